/// Runs every rule's examples through the same path real lines take (format detection, inner line,
/// source filter, prefilter, pattern) and reports each example that does not behave as it says.
public enum RuleChecker {
  public struct Result: Sendable {
    public var diagnostics: [RuleDiagnostic]
    public var examplesChecked: Int
  }

  public static func check(_ rules: [Rule]) -> Result {
    var diags: [RuleDiagnostic] = []
    var checked = 0
    let fast = Classifier(rules: rules, usePrefilter: true)
    let slow = Classifier(rules: rules, usePrefilter: false)
    for (index, rule) in rules.enumerated() {
      func fail(_ example: RuleExample, _ message: String) {
        diags.append(
          RuleDiagnostic(
            file: rule.file, position: example.position, ruleID: rule.id, message: message, snippet: [example.line]))
      }
      for example in rule.matchExamples {
        checked += 1
        let (parsed, hit, unfiltered) = run(example.line, index, fast, slow)
        guard let hit else {
          if unfiltered != nil {
            fail(example, "match example rejected by the literals prefilter: none of its literals occurs in the line")
          } else if !rule.source.applies(to: parsed.source) {
            fail(
              example,
              "match example is read as a \(parsed.source.rawValue) line, and a \(rule.source.rawValue) rule does not apply to it"
            )
          } else {
            fail(
              example, "match example does not match the pattern (the inner line was: \(inner(example.line, parsed)))")
          }
          continue
        }
        for (name, expected) in example.captures.sorted(by: { $0.key < $1.key }) {
          let actual = hit.captures[name]
          if actual != expected {
            fail(example, "capture '\(name)' is \(actual.map { "'\($0)'" } ?? "unset"), expected '\(expected)'")
          }
        }
      }
      for example in rule.noMatchExamples {
        checked += 1
        let (_, hit, unfiltered) = run(example.line, index, fast, slow)
        if hit != nil || unfiltered != nil {
          fail(example, "no-match example matches the pattern")
        }
      }
    }
    return Result(diagnostics: diags, examplesChecked: checked)
  }

  /// The parsed line, the hit with the prefilter on, and the hit with it off.
  static func run(_ line: String, _ index: Int, _ fast: Classifier, _ slow: Classifier)
    -> (ParsedLine, Classifier.Hit?, Classifier.Hit?)
  {
    var parser = LineParser(year: 2025)
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      return parsed.withInner(p) { inner in
        let a = fast.classify(inner, source: parsed.source, only: index).first
        let b = slow.classify(inner, source: parsed.source, only: index).first
        return (parsed, a, b)
      }
    }
  }

  static func inner(_ line: String, _ parsed: ParsedLine) -> String {
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { p in parsed.withInner(p) { String(decoding: $0, as: UTF8.self) } }
  }
}
