import Foundation
import PCRE2Kit
import Yams

/// Loads and validates correlation rule files, reporting problems as `FILE:LINE:COL: error: [id] …`.
public enum CorrelationLoader {
  static let knownKeys: Set<String> = [
    "id", "title", "cause", "cause-captures", "symptoms", "require", "order", "window", "when", "summary",
    "explanation", "fixes", "references", "cases", "examples", "description",
  ]

  public static func load(_ file: RuleFile, knownKinds: Set<String>? = nil) -> (CorrelationRule?, [RuleDiagnostic]) {
    var diags: [RuleDiagnostic] = []
    var id: String? = nil
    func pos(_ node: Node?) -> SourcePosition? { node?.mark.map { SourcePosition(line: $0.line, column: $0.column) } }
    func error(_ node: Node?, _ message: String) {
      diags.append(RuleDiagnostic(file: file.path, position: pos(node), ruleID: id, message: message))
    }
    let root: Node
    do {
      guard let node = try YAML.compose(file.text) else {
        error(nil, "empty correlation file")
        return (nil, diags)
      }
      root = node
    } catch let e as YamlError {
      let (mark, problem) = RuleLoader.yamlProblem(e)
      diags.append(
        RuleDiagnostic(
          file: file.path, position: mark.map { SourcePosition(line: $0.line, column: $0.column) }, ruleID: nil,
          message: "invalid YAML: \(problem)"))
      return (nil, diags)
    } catch {
      diags.append(RuleDiagnostic(file: file.path, position: nil, ruleID: nil, message: "invalid YAML: \(error)"))
      return (nil, diags)
    }
    guard let map = root.mapping else {
      error(root, "a correlation file must be a mapping (id: …, cause: …, symptoms: …)")
      return (nil, diags)
    }
    func field(_ key: String) -> Node? { map[text: key] }
    func string(_ key: String, required: Bool = true) -> String? {
      guard let node = field(key) else {
        if required { error(root, "missing required field '\(key)'") }
        return nil
      }
      guard let s = node.string, !s.isEmpty else {
        error(node, "'\(key)' must be a non-empty string")
        return nil
      }
      return s
    }
    func strings(_ node: Node?) -> [String] {
      guard let node else { return [] }
      if let s = node.string { return [s] }
      return node.sequence?.compactMap(\.string) ?? []
    }
    for (key, _) in map {
      if let k = key.string, !knownKeys.contains(k) {
        diags.append(
          RuleDiagnostic(
            .warning, file: file.path, position: pos(key), ruleID: id, message: "unknown field '\(k)' (ignored)"))
      }
    }
    id = string("id")
    if let id, RuleLoader.baseName(file.path) != id {
      error(field("id"), "id '\(id)' must equal the file name '\(RuleLoader.baseName(file.path))'")
    }
    let title = string("title")
    let cause = string("cause")
    let symptoms = strings(field("symptoms"))
    if let knownKinds {
      for (node, kind) in [(field("cause"), cause)] + symptoms.map({ (field("symptoms"), Optional($0)) }) {
        if let kind, !knownKinds.contains(kind) { error(node, "no line rule raises the kind '\(kind)'") }
      }
    }
    var causeCaptures: [(String, Pattern)] = []
    if let m = field("cause-captures")?.mapping {
      for (k, v) in m {
        guard let name = k.string, let text = v.string else { continue }
        do {
          causeCaptures.append((name, try Pattern(text)))
        } catch {
          diags.append(
            RuleDiagnostic(
              file: file.path, position: pos(v), ruleID: id,
              message: "cause-captures.\(name) does not compile: \(error.message) (offset \(error.offset))"))
        }
      }
    }
    var require = CorrelationRule.Requirement.any
    if let node = field("require") {
      if let s = node.string {
        switch s {
        case "any": require = .any
        case "all": require = .all
        case "none": require = .none
        default: error(node, "require is any, all, none, or a list of symptom kinds")
        }
      } else {
        let list = strings(node)
        for k in list where !symptoms.contains(k) { error(node, "required kind '\(k)' is not among the symptoms") }
        require = .oneOf(list)
      }
    }
    if require != .none && symptoms.isEmpty { error(root, "a chain needs symptoms, or require: none") }
    var causeFirst = true
    if let s = string("order", required: false) {
      switch s {
      case "cause-first": causeFirst = true
      case "any": causeFirst = false
      default: error(field("order"), "order is cause-first or any")
      }
    }
    var window = 600.0
    if let node = field("window") {
      if let w = seconds(node.string ?? "") {
        window = w
      } else {
        error(node, "window is seconds: 300, 300s, 5m or 2h")
      }
    }
    let when = conditions(field("when"), &diags, file.path, id)
    let summary = string("summary")
    let explanation = string("explanation")
    let fixes = strings(field("fixes"))
    if fixes.isEmpty { error(field("fixes") ?? root, "a root cause needs at least one fix") }
    var cases: [CorrelationRule.Case] = []
    for node in field("cases")?.sequence.map(Array.init) ?? [] {
      guard let m = node.mapping else {
        error(node, "a case is a mapping with when: and the fields it overrides")
        continue
      }
      cases.append(
        CorrelationRule.Case(
          when: conditions(m[text: "when"], &diags, file.path, id), id: m[text: "id"]?.string,
          summary: m[text: "summary"]?.string, explanation: m[text: "explanation"]?.string,
          fixes: m[text: "fixes"].map(strings)))
    }
    var examples: [CorrelationExample] = []
    for node in field("examples")?.sequence.map(Array.init) ?? [] {
      guard let m = node.mapping else {
        error(node, "an example is a mapping: name, expect, incidents")
        continue
      }
      var items: [CorrelationExample.Item] = []
      for inc in m[text: "incidents"]?.sequence.map(Array.init) ?? [] {
        guard let im = inc.mapping, let kind = im[text: "kind"]?.string else {
          error(inc, "an example incident needs a kind")
          continue
        }
        var captures: [String: String] = [:]
        for (k, v) in im[text: "captures"]?.mapping.map(Array.init) ?? [] {
          if let k = k.string { captures[k] = v.string ?? "" }
        }
        items.append(
          CorrelationExample.Item(
            kind: kind, at: Double(im[text: "at"]?.string ?? "0") ?? 0, host: im[text: "host"]?.string,
            captures: captures))
      }
      let expect = m[text: "expect"]?.string
      examples.append(
        CorrelationExample(
          name: m[text: "name"]?.string ?? "example", expect: expect == "none" ? nil : expect,
          symptoms: m[text: "symptoms"].map(strings),
          versions: stringMap(m[text: "versions"]), facts: stringMap(m[text: "facts"]), incidents: items,
          position: pos(node) ?? SourcePosition(line: 0, column: 0)))
    }
    let names = Set(examples.map(\.name))
    for needed in ["in window", "out of window", "wrong order", "other host"] where !names.contains(needed) {
      error(field("examples") ?? root, "examples need a fixture named '\(needed)'")
    }
    let description = string("description", required: false)
    guard diags.allSatisfy({ $0.level != .error }), let id, let title, let cause, let summary, let explanation else {
      return (nil, diags)
    }
    return (
      CorrelationRule(
        id: id, title: title, description: description, cause: cause,
        causeCaptures: causeCaptures, symptoms: symptoms, require: require, causeFirst: causeFirst, window: window,
        when: when, summary: summary, explanation: explanation, fixes: fixes,
        references: strings(field("references")), cases: cases, examples: examples, file: file.path), diags
    )
  }

  static func stringMap(_ node: Node?) -> [String: String] {
    var out: [String: String] = [:]
    for (k, v) in node?.mapping.map(Array.init) ?? [] { if let k = k.string { out[k] = v.string ?? "" } }
    return out
  }

  static func conditions(
    _ node: Node?, _ diags: inout [RuleDiagnostic], _ file: String, _ id: String?
  ) -> CorrelationRule.Conditions {
    var c = CorrelationRule.Conditions()
    guard let m = node?.mapping else { return c }
    for (k, v) in m[text: "versions"]?.mapping.map(Array.init) ?? [] {
      guard let name = k.string else { continue }
      let cond: VersionCondition?
      if let list = v.sequence {
        cond = VersionCondition(anyOf: list.compactMap(\.string))
      } else {
        cond = v.string.flatMap(VersionCondition.init)
      }
      if let cond {
        c.versions[name] = cond
      } else {
        diags.append(
          RuleDiagnostic(
            file: file, position: v.mark.map { SourcePosition(line: $0.line, column: $0.column) }, ruleID: id,
            message:
              "version condition for '\(name)' must be like '< 24.4.1', '>= 1.91.1', a list of versions, missing or present"
          ))
      }
    }
    c.facts = stringMap(m[text: "facts"])
    return c
  }

  /// `300`, `300s`, `5m`, `2h` → seconds.
  static func seconds(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if let v = Double(t) { return v }
    guard let unit = t.last, let v = Double(t.dropLast()) else { return nil }
    switch unit {
    case "s": return v
    case "m": return v * 60
    case "h": return v * 3600
    default: return nil
    }
  }
}
