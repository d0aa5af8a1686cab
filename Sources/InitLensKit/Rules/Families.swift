/// Families of incident kinds: which contract kind (``Rule/contractKinds``) each kind refines.
public enum Families {
  /// `kind → family` as the rule files declare it, read from their top-level `kind:` and `family:`
  /// lines without parsing the YAML (event rules and chains have no family and are left out). For
  /// messages and for reports written before families existed, not for validation.
  public static func declared(in files: [RuleFile]) -> [String: String] {
    var out: [String: String] = [:]
    for file in files where !file.path.contains("/correlations/") {
      var kind: String? = nil
      var family: String? = nil
      for line in file.text.split(separator: "\n", omittingEmptySubsequences: true) {
        if line.hasPrefix("kind:") {
          kind = value(line.dropFirst(5))
        } else if line.hasPrefix("family:") {
          family = value(line.dropFirst(7))
        }
      }
      if let kind, let family, out[kind] == nil { out[kind] = family }
    }
    return out
  }

  /// `kind → family` of the rule set embedded in the binary.
  public static let builtin: [String: String] = declared(in: EmbeddedRules.files)

  /// The family of `kind` for a report that does not say (written before families existed): the
  /// built-in rules' answer, else the kind itself.
  public static func fallback(kind: String) -> String { builtin[kind] ?? kind }

  static func value(_ text: Substring) -> String? {
    var v = text
    if let hash = v.firstIndex(of: "#") { v = v[..<hash] }
    let trimmed = v.trimmingCharacters(in: " \t'\"")
    return trimmed.isEmpty ? nil : trimmed
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> String {
    let chars = Set(set)
    var s = self[...]
    while let f = s.first, chars.contains(f) { s = s.dropFirst() }
    while let l = s.last, chars.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
