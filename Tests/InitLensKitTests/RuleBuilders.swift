import InitLensKit

/// A rule set built from YAML texts, for tests that need a known rule.
func rules(_ yaml: String...) -> RuleSet {
  var list: [Rule] = []
  for (i, text) in yaml.enumerated() {
    let id = text.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) } ?? "r\(i)"
    let (rule, diags) = RuleLoader.load(RuleFile(path: "\(id).yaml", text: text))
    precondition(rule != nil, "test rule does not load: \(diags)")
    list.append(rule!)
  }
  return RuleSet(rules: list)
}

func rule(
  id: String, kind: String, source: String = "any", severity: String = "error", pattern: String, match: String,
  noMatch: String = "nothing", family: String? = nil
) -> String {
  """
  id: \(id)
  kind: \(kind)
  family: \(family ?? kind)
  title: \(id) title
  severity: \(severity)
  source: \(source)
  pattern: '\(pattern.replacingOccurrences(of: "'", with: "''"))'
  fix: 'fix for \(id)'
  references: []
  examples:
    match:
      - '\(match.replacingOccurrences(of: "'", with: "''"))'
    no-match:
      - '\(noMatch.replacingOccurrences(of: "'", with: "''"))'
  """
}
