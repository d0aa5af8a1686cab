import Foundation

/// Where rules come from: a directory on disk, or the set embedded in the binary.
public enum RuleSource: Sendable, Equatable {
  case directory(String)
  case embedded
}

/// The validated rules of a run, sorted by id, later sources overriding earlier ones by id.
public struct RuleSet: Sendable {
  public let rules: [Rule]
  /// Root-cause chains from `correlations/` folders, sorted by id.
  public let correlations: [CorrelationRule]
  public init(rules: [Rule], correlations: [CorrelationRule] = []) {
    self.rules = rules.sorted { $0.id < $1.id }
    self.correlations = correlations.sorted { $0.id < $1.id }
  }

  /// Loads every source in order. A rule id defined twice in one source is an error; a later source
  /// (a user's `--rules DIR`) replaces a built-in rule of the same id.
  public static func load(_ sources: [RuleSource]) -> (RuleSet, [RuleDiagnostic]) {
    var byID: [String: Rule] = [:]
    var diags: [RuleDiagnostic] = []
    let listed = sources.map(ruleFiles)
    // What the files declare, so that a file without `family:` is told which line to add.
    var families = Families.builtin
    for (files, _) in listed { families.merge(Families.declared(in: files)) { old, _ in old } }
    for (files, listDiags) in listed {
      diags += listDiags
      var seen: [String: String] = [:]
      for file in files {
        let (rule, d) = RuleLoader.load(file, families: families)
        diags += d
        guard let rule else { continue }
        if let other = seen[rule.id] {
          diags.append(
            RuleDiagnostic(
              file: file.path, position: SourcePosition(line: 1, column: 1), ruleID: rule.id,
              message: "rule id defined twice (also in \(other))"))
          continue
        }
        seen[rule.id] = file.path
        byID[rule.id] = rule
      }
    }
    // A continuation rule needs the incident rule it continues, of the same kind.
    for rule in byID.values.sorted(by: { $0.id < $1.id }) {
      guard let parent = rule.continues else { continue }
      let position = SourcePosition(line: 1, column: 1)
      if let p = byID[parent], !p.isEvent, p.continues == nil {
        if p.kind != rule.kind {
          diags.append(
            RuleDiagnostic(
              file: rule.file, position: position, ruleID: rule.id,
              message: "kind '\(rule.kind)' must be the kind of '\(parent)', the rule it continues ('\(p.kind)')"))
          byID[rule.id] = nil
        }
      } else {
        diags.append(
          RuleDiagnostic(
            file: rule.file, position: position, ruleID: rule.id,
            message: "continues '\(parent)', which is no incident rule of this rule set"))
        byID[rule.id] = nil
      }
    }
    // One kind, one family: an incident (rules of the same kind fold into it) has one family.
    var familyOf: [String: Rule] = [:]
    for rule in byID.values.sorted(by: { $0.id < $1.id }) where !rule.isEvent {
      guard let family = rule.family else { continue }
      if let other = familyOf[rule.kind], let otherFamily = other.family {
        if otherFamily != family {
          diags.append(
            RuleDiagnostic(
              file: rule.file, position: rule.familyPosition, ruleID: rule.id,
              message:
                "family '\(family)' differs from 'family: \(otherFamily)' of rule \(other.id) (\(other.file)) "
                + "of the same kind '\(rule.kind)': one kind has one family"))
        }
      } else {
        familyOf[rule.kind] = rule
      }
    }
    // Chains are checked against the kinds the line rules of every source raise.
    let kinds = Set(byID.values.map(\.kind))
    var chains: [String: CorrelationRule] = [:]
    for source in sources {
      var seen: Set<String> = []
      for file in correlationFiles(source) {
        let (rule, d) = CorrelationLoader.load(file, knownKinds: kinds)
        diags += d
        guard let rule else { continue }
        if !seen.insert(rule.id).inserted {
          diags.append(
            RuleDiagnostic(
              file: file.path, position: SourcePosition(line: 1, column: 1), ruleID: rule.id,
              message: "chain id defined twice"))
          continue
        }
        chains[rule.id] = rule
      }
    }
    return (RuleSet(rules: Array(byID.values), correlations: Array(chains.values)), diags)
  }

  /// The correlation files of a source (its `correlations/` folder), sorted by path.
  public static func correlationFiles(_ source: RuleSource) -> [RuleFile] {
    switch source {
    case .embedded:
      return EmbeddedRules.files.filter { $0.path.contains("/correlations/") }
    case .directory(let dir):
      return yamlFiles(under: dir).filter { $0.contains("/correlations/") }.compactMap { path in
        (try? String(contentsOfFile: path, encoding: .utf8)).map { RuleFile(path: path, text: $0) }
      }
    }
  }

  /// The rule files of a source, sorted by path. `correlations/` holds chain rules, not line rules.
  public static func ruleFiles(_ source: RuleSource) -> ([RuleFile], [RuleDiagnostic]) {
    switch source {
    case .embedded:
      return (EmbeddedRules.files.filter { !$0.path.contains("/correlations/") }, [])
    case .directory(let dir):
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        return ([], [RuleDiagnostic(file: dir, position: nil, ruleID: nil, message: "rule directory not found")])
      }
      var files: [RuleFile] = []
      var diags: [RuleDiagnostic] = []
      for path in yamlFiles(under: dir) where !path.contains("/correlations/") {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
          files.append(RuleFile(path: path, text: text))
        } else {
          diags.append(RuleDiagnostic(file: path, position: nil, ruleID: nil, message: "cannot read rule file"))
        }
      }
      return (files, diags)
    }
  }

  static func yamlFiles(under dir: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
      if rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
        out.append(dir.hasSuffix("/") ? dir + rel : dir + "/" + rel)
      }
    }
    return out.sorted()
  }

  /// The embedded rule set's identity: a hash of its files (FNV-1a 64, hex) and its counts.
  public static var embeddedVersion: (hash: String, rules: Int, chains: Int) {
    var hash = FNV1a.seed
    for file in EmbeddedRules.files {
      FNV1a.hash(Array(file.path.utf8) + Array(file.text.utf8), into: &hash)
    }
    let chains = EmbeddedRules.files.filter { $0.path.contains("/correlations/") }.count
    return (FNV1a.hex(hash), EmbeddedRules.files.count - chains, chains)
  }

  /// A hash of the rules `sources` give: the built-in set's (embedded, or a directory holding the
  /// same files) is the one `--version` prints; another directory's covers its files' relative paths
  /// and texts. The same on every machine for the same rules.
  public static func fingerprint(of sources: [RuleSource]) -> String {
    let parts = sources.map { source -> String in
      guard case .directory(let dir) = source, !sameAsEmbedded(dir) else { return embeddedVersion.hash }
      let base = dir.hasSuffix("/") ? dir : dir + "/"
      var hash = FNV1a.seed
      for path in yamlFiles(under: dir) {
        FNV1a.hash(Array(path.dropFirst(base.count).utf8) + [0], into: &hash)
        FNV1a.hash(((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()) + [0], into: &hash)
      }
      return FNV1a.hex(hash)
    }
    return parts.count == 1 ? parts[0] : FNV1a.hex(parts.joined(separator: "+"))
  }

  /// Whether the rule directory `dir` holds exactly the files embedded in the binary (same relative
  /// paths, same text): then it is the built-in set, wherever it lies (a development checkout after
  /// `scripts/embed-rules`, an installation's `share/initlens/rules`).
  public static func sameAsEmbedded(_ dir: String) -> Bool {
    func trimmed(_ s: String) -> Substring {
      var t = s[...]
      while t.hasSuffix("\n") { t = t.dropLast() }
      return t
    }
    let prefix = "builtin:rules/"
    var embedded: [String: Substring] = [:]
    for file in EmbeddedRules.files where file.path.hasPrefix(prefix) {
      embedded[String(file.path.dropFirst(prefix.count))] = trimmed(file.text)
    }
    let base = dir.hasSuffix("/") ? dir : dir + "/"
    let paths = yamlFiles(under: dir)
    guard paths.count == embedded.count else { return false }
    for path in paths {
      guard let want = embedded[String(path.dropFirst(base.count))],
        let text = try? String(contentsOfFile: path, encoding: .utf8), trimmed(text) == want
      else { return false }
    }
    return true
  }

  /// The built-in rules: a `rules/` directory of a development checkout or an installation next to
  /// the executable when there is one (so edits take effect at once), else the embedded copy.
  public static func builtinSource(executablePath: String) -> RuleSource {
    if let env = ProcessInfo.processInfo.environment["INITLENS_RULES_DIR"], !env.isEmpty { return .directory(env) }
    let exe = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
    let fm = FileManager.default
    func isDirectory(_ url: URL) -> Bool {
      var isDir: ObjCBool = false
      return fm.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
    for candidate in [exe.appendingPathComponent("rules"), exe.appendingPathComponent("../share/initlens/rules")] {
      if isDirectory(candidate) { return .directory(candidate.standardized.path) }
    }
    // A development checkout: .build/<config>/initlens → the package root holds Package.swift and rules/.
    var dir = exe
    for _ in 0..<5 {
      dir = dir.deletingLastPathComponent()
      if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
        isDirectory(dir.appendingPathComponent("rules"))
      {
        return .directory(dir.appendingPathComponent("rules").standardized.path)
      }
    }
    return .embedded
  }
}
