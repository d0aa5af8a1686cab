import PCRE2Kit
import Yams

/// A rule file's text and the name to report it under.
public struct RuleFile: Sendable {
  public let path: String
  public let text: String
  public init(path: String, text: String) {
    self.path = path
    self.text = text
  }
}

/// Turns rule files into validated rules, collecting every problem rather than stopping at the first.
public enum RuleLoader {
  static let knownKeys: Set<String> = [
    "id", "kind", "title", "severity", "source", "pattern", "fix", "references", "examples", "literals",
    "description", "caseless", "event", "summary", "continues", "family",
  ]

  /// Parses and validates one rule file. Returns the rule (nil when it has errors) and the diagnostics.
  /// `families`: `kind → family` other rule files declare, to name the line a file without
  /// `family:` should add.
  public static func load(_ file: RuleFile, families: [String: String] = [:]) -> (Rule?, [RuleDiagnostic]) {
    var diags: [RuleDiagnostic] = []
    func error(_ mark: Mark?, _ id: String?, _ message: String, snippet: [String] = []) {
      diags.append(
        RuleDiagnostic(
          file: file.path, position: mark.map { SourcePosition(line: $0.line, column: $0.column) }, ruleID: id,
          message: message, snippet: snippet))
    }
    let root: Node
    do {
      guard let node = try YAML.compose(file.text) else {
        error(nil, nil, "empty rule file")
        return (nil, diags)
      }
      root = node
    } catch let e as YamlError {
      let (mark, problem) = yamlProblem(e)
      error(mark, nil, "invalid YAML: \(problem)")
      return (nil, diags)
    } catch {
      diags.append(RuleDiagnostic(file: file.path, position: nil, ruleID: nil, message: "invalid YAML: \(error)"))
      return (nil, diags)
    }
    guard let map = root.mapping else {
      error(root.mark, nil, "a rule file must be a mapping (id: …, kind: …, pattern: …)")
      return (nil, diags)
    }
    func field(_ key: String) -> Node? { map[text: key] }
    func scalar(_ key: String, required: Bool = true) -> String? {
      guard let node = field(key) else {
        if required { error(root.mark, id, "missing required field '\(key)'") }
        return nil
      }
      guard let s = node.scalar?.string, !s.isEmpty else {
        error(node.mark, id, "'\(key)' must be a non-empty string")
        return nil
      }
      return s
    }
    var id: String? = nil
    id = scalar("id")
    if let id {
      let base = baseName(file.path)
      if base != id { error(field("id")?.mark, id, "id '\(id)' must equal the file name '\(base)'") }
      if !isKebab(id) { error(field("id")?.mark, id, "id must be lower-case kebab-case ([a-z0-9-])") }
    }
    for (key, _) in map {
      if let k = key.string, !knownKeys.contains(k) {
        diags.append(
          RuleDiagnostic(
            .warning, file: file.path, position: key.mark.map { SourcePosition(line: $0.line, column: $0.column) },
            ruleID: id, message: "unknown field '\(k)' (ignored)"))
      }
    }
    // An event rule marks a step of the boot on the timeline (agent started, registered); it raises
    // no incident, so it needs no severity or fix.
    let isEvent = field("event")?.bool ?? false
    // A continuation rule adds captures to the incident of the record it continues: no severity or fix.
    let continues = scalar("continues", required: false)
    if let continues, !isKebab(continues) { error(field("continues")?.mark, id, "continues must name a rule id") }
    if continues != nil && isEvent { error(field("continues")?.mark, id, "an event rule cannot continue a record") }
    let needsFix = !isEvent && continues == nil
    let kind = scalar("kind")
    if let kind, !isKebab(kind) { error(field("kind")?.mark, id, "kind must be lower-case kebab-case") }
    let title = scalar("title")
    // The contract kind this kind refines (rules/README.md, "Families"). A rule file written before
    // families existed has none: the message says exactly which line to add.
    var family: String? = nil
    if !isEvent {
      if field("family") == nil {
        error(root.mark, id, missingFamilyMessage(kind: kind, known: kind.flatMap { families[$0] }))
      } else if let f = scalar("family") {
        family = f
        if let kind, let problem = familyProblem(kind: kind, family: f) { error(field("family")?.mark, id, problem) }
      }
    } else if field("family") != nil {
      error(field("family")?.mark, id, "an event rule raises no incident, so it has no 'family': remove the line")
    }
    var severity: Severity? = needsFix ? nil : .info
    if let s = scalar("severity", required: needsFix) {
      severity = Severity(rawValue: s)
      if severity == nil {
        error(field("severity")?.mark, id, "unknown severity '\(s)' (info, warning, error, critical)")
      }
    }
    var source: Source? = nil
    if let s = scalar("source") {
      source = Source(rawValue: s)
      if source == nil {
        let names = Source.allCases.map(\.rawValue).joined(separator: ", ")
        error(field("source")?.mark, id, "unknown source '\(s)' (\(names))")
      }
    }
    let caseless = field("caseless")?.bool ?? false
    var pattern: Pattern? = nil
    if let text = scalar("pattern") {
      do {
        pattern = try Pattern(text, options: .init(caseless: caseless))
        if pattern!.names.count < pattern!.captureCount {
          error(field("pattern")?.mark, id, "use named captures (?<name>…) or non-capturing groups (?:…) only")
        }
      } catch {
        let offset = min(error.offset, text.utf8.count)
        let prefix = String(decoding: Array(text.utf8)[0..<offset], as: UTF8.self)
        let caret = String(repeating: " ", count: prefix.count) + "^"
        diags.append(
          RuleDiagnostic(
            file: file.path,
            position: field("pattern")?.mark.map { patternPosition($0, node: field("pattern")!, offset: offset) },
            ruleID: id, message: "pattern does not compile: \(error.message) (offset \(offset))",
            snippet: [text, caret]))
      }
    }
    let fix = scalar("fix", required: needsFix) ?? (needsFix ? nil : "")
    let summary = scalar("summary", required: false)
    if let pattern {
      let names = Set(pattern.names.map(\.name))
      for (key, text) in [("fix", fix), ("summary", summary)] {
        for ph in placeholders(text ?? "") where !names.contains(ph) {
          error(field(key)?.mark, id, "\(key) uses {\(ph)} but the pattern has no capture named '\(ph)'")
        }
      }
    }
    var references: [String] = []
    if let node = field("references") {
      if let seq = node.sequence {
        references = seq.compactMap(\.string)
      } else if let s = node.string {
        references = [s]
      } else {
        error(node.mark, id, "'references' must be a list of URLs")
      }
    }
    var literals: [[UInt8]] = []
    if let node = field("literals") {
      if let seq = node.sequence {
        literals = seq.compactMap(\.string).filter { !$0.isEmpty }.map { Array($0.utf8) }
      } else if let s = node.string {
        literals = [Array(s.utf8)]
      } else {
        error(node.mark, id, "'literals' must be a list of strings")
      }
    }
    var matches: [RuleExample] = []
    var noMatches: [RuleExample] = []
    if let ex = field("examples")?.mapping {
      matches = examples(ex[text: "match"], matchList: true, id: id, &diags, file.path)
      noMatches = examples(ex[text: "no-match"], matchList: false, id: id, &diags, file.path)
      if matches.isEmpty {
        error(field("examples")?.mark, id, "examples.match needs at least one line that must match")
      }
      if noMatches.isEmpty {
        error(field("examples")?.mark, id, "examples.no-match needs at least one near-miss line that must not match")
      }
      if let pattern {
        let names = Set(pattern.names.map(\.name))
        for example in matches {
          for name in example.captures.keys.sorted() where !names.contains(name) {
            diags.append(
              RuleDiagnostic(
                file: file.path, position: example.position, ruleID: id,
                message: "example expects capture '\(name)' that the pattern does not define"))
          }
        }
      }
    } else {
      error(field("examples")?.mark ?? root.mark, id, "missing 'examples' with 'match' and 'no-match' lists")
    }
    guard diags.allSatisfy({ $0.level != .error }), let id, let kind, let title, let severity, let source, let pattern,
      let fix
    else { return (nil, diags) }
    let rule = Rule(
      id: id, kind: kind, title: title, severity: severity, source: source, pattern: pattern, fix: fix,
      references: references, literals: literals, matchExamples: matches, noMatchExamples: noMatches, file: file.path,
      isEvent: isEvent, summary: summary, continues: continues)
    var withFamily = rule
    withFamily.family = family
    withFamily.familyPosition =
      (field("family")?.mark ?? root.mark).map { SourcePosition(line: $0.line, column: $0.column) }
    return (withFamily, diags)
  }

  /// Why `family` cannot be the family of `kind`, or nil when it can: a contract kind is its own
  /// family; any other kind names a contract kind, or itself when it refines none.
  public static func familyProblem(kind: String, family: String) -> String? {
    let contract = Rule.contractKinds
    if contract.contains(kind) {
      return family == kind
        ? nil
        : "kind '\(kind)' is a contract kind, so its family must be itself: write 'family: \(kind)'"
    }
    if family == kind || contract.contains(family) { return nil }
    return "unknown family '\(family)': a family is one of the contract kinds (\(contract.joined(separator: ", "))) "
      + "or, for a kind that refines none of them, the kind itself ('family: \(kind)')"
  }

  /// The message for a line rule without `family:`, naming the line to add. `known` is the family
  /// other rules of the same kind already declare.
  public static func missingFamilyMessage(kind: String?, known: String?) -> String {
    guard let kind else { return "missing required field 'family' (the contract kind this rule's kind refines)" }
    if Rule.contractKinds.contains(kind) || known == kind {
      return "missing required field 'family': add the line 'family: \(kind)' (a contract kind is its own family)"
    }
    if let known {
      return
        "missing required field 'family': add the line 'family: \(known)' (the family of kind '\(kind)' in the other rules)"
    }
    return "missing required field 'family': add the line 'family: <contract kind>' naming the contract kind '\(kind)' "
      + "refines (\(Rule.contractKinds.joined(separator: ", "))), or 'family: \(kind)' when it refines none of them"
  }

  static func examples(
    _ node: Node?, matchList: Bool, id: String?, _ diags: inout [RuleDiagnostic], _ file: String
  ) -> [RuleExample] {
    guard let seq = node?.sequence else { return [] }
    var out: [RuleExample] = []
    for item in seq {
      let pos = item.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 0, column: 0)
      if let line = item.string {
        out.append(RuleExample(line: line, captures: [:], position: pos))
      } else if let m = item.mapping, let line = m[text: "line"]?.string {
        var captures: [String: String] = [:]
        if let c = m[text: "captures"]?.mapping {
          for (k, v) in c {
            if let k = k.string { captures[k] = v.string ?? "" }
          }
        }
        if !matchList && !captures.isEmpty {
          diags.append(
            RuleDiagnostic(
              .warning, file: file, position: pos, ruleID: id, message: "captures on a no-match example are ignored"))
        }
        out.append(RuleExample(line: line, captures: captures, position: pos))
      } else {
        diags.append(
          RuleDiagnostic(
            file: file, position: pos, ruleID: id,
            message: "an example is a line, or a mapping with 'line' and 'captures'"))
      }
    }
    return out
  }

  /// `{name}` placeholders in a fix text.
  static func placeholders(_ text: String) -> [String] {
    var out: [String] = []
    var current: String? = nil
    for ch in text {
      if ch == "{" {
        current = ""
      } else if ch == "}" {
        if let c = current, !c.isEmpty, c.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { out.append(c) }
        current = nil
      } else if current != nil {
        current!.append(ch)
      }
    }
    return out
  }

  /// Where PCRE2's error offset falls in the file: the scalar starts at `mark`; a quoted scalar has
  /// its quote first. Exact for single-line plain and quoted scalars without escapes before the offset.
  static func patternPosition(_ mark: Mark, node: Node, offset: Int) -> SourcePosition {
    let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
    return SourcePosition(line: mark.line, column: mark.column + (quoted ? 1 : 0) + offset)
  }

  static func yamlProblem(_ e: YamlError) -> (Mark?, String) {
    switch e {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return (mark, problem)
    default:
      return (nil, "\(e)")
    }
  }

  static func baseName(_ path: String) -> String {
    var name = path.split(separator: "/").last.map(String.init) ?? path
    for ext in [".yaml", ".yml"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
    return name
  }

  static func isKebab(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
  }
}
