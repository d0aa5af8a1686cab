import Foundation
import InitLensKit
import Testing

/// User rules that backtrack catastrophically or carry no literal: bounded, their lines counted.
extension HostileInputTests {
  /// A user rule's file for a pattern (non-capturing groups: rules allow only named captures).
  func writeRule(_ dir: URL, id: String, pattern: String, literals: [String], yes: String, no: String) throws {
    let lits = literals.isEmpty ? "" : "literals: [\(literals.map { "'\($0)'" }.joined(separator: ", "))]\n"
    let yaml = """
      id: \(id)
      kind: \(id)
      family: \(id)
      title: catastrophic backtracking
      severity: warning
      source: any
      pattern: '\(pattern)'
      \(lits)fix: 'none'
      references: []
      examples:
        match:
          - '\(yes)'
        no-match:
          - '\(no)'
      """
    try Hostile.write(Array(yaml.utf8), to: dir.appendingPathComponent("\(id).yaml"))
  }

  /// Lines on which the patterns above backtrack catastrophically: 20 of each.
  static let redosText: String = {
    var text = ""
    for i in 0..<60 {
      switch i % 3 {
      case 0: text += String(repeating: "a", count: 5000 + i) + "b\n"
      case 1: text += String(repeating: "x", count: 5000 + i) + "zy\n"
      default: text += String(repeating: "b", count: 5000 + i) + "c\n"
      }
    }
    return text + imds503
  }()

  @Test func catastrophicBacktrackingRuleIsBoundedAndItsLinesCounted() throws {
    let dir = try Hostile.tempDir("redos")
    defer { Hostile.cleanUp(dir) }
    let rules = dir.appendingPathComponent("rules/any")
    try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
    try writeRule(rules, id: "redos-nested", pattern: #"^(?:a+)+$"#, literals: ["aaa"], yes: "aaaa", no: "aab")
    try writeRule(rules, id: "redos-overlap", pattern: #"(?:x+x+)+y"#, literals: ["xxx"], yes: "xxxy", no: "xxx")
    let text = Self.redosText
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(Array(text.utf8), to: file)
    let lines = lineCount(Array(text.utf8))

    let r = try ProcessRun.initlens(["--format", "json", "--rules", rules.deletingLastPathComponent().path, file.path])
    let summary = expectSaneRun(r, files: [file.path], lines: lines, status: 0)
    #expect(r.seconds < 60, "took \(r.seconds) s")
    let hits = summary?["ruleLimitHits"] as? [String: Int] ?? [:]
    #expect(hits == ["redos-nested": 20, "redos-overlap": 20], "\(hits)")
    #expect((summary?["linesUnmatched"] as? Int ?? 0) >= 60, "limit-hit lines are counted, not dropped")
    #expect(incidentKinds(r.json).contains("imds-503"), "the other rules still work")
    let text2 = try ProcessRun.initlens(["--rules", rules.deletingLastPathComponent().path, file.path])
    #expect(text2.status == 0 && text2.signal == nil)

    let (set, diags) = RuleSet.load([.directory(Hostile.rules), .directory(rules.deletingLastPathComponent().path)])
    #expect(diags.filter { $0.level == .error }.isEmpty, "\(diags)")
    let bytes = Array(text.utf8)
    if let report = bounded(60, { analyzeInMemory([("cloud-init.log", bytes)], rules: set).report }) {
      expectAccounting(report.summary, lines: lines)
      #expect(report.summary.ruleLimitHits == ["redos-nested": 20, "redos-overlap": 20])
    }
  }

  /// A user rule with no literal (none stated, none derivable from the pattern) never meets a line
  /// that holds no other rule's literal: the line-level prefilter passes the line over.
  @Test func ruleWithoutLiteralsRunsOnEveryLine() throws {
    let dir = try Hostile.tempDir("redos-noliteral")
    defer { Hostile.cleanUp(dir) }
    let rules = dir.appendingPathComponent("rules/any")
    try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
    try writeRule(rules, id: "redos-no-literal", pattern: #"^(?:b+)+$"#, literals: [], yes: "bbbb", no: "bbc")
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(Array(Self.redosText.utf8), to: file)

    // Without the prefilter (hidden --no-prefilter) the rule runs and its limit hits are counted.
    let slow = try ProcessRun.initlens([
      "--format", "json", "--no-prefilter", "--rules", rules.deletingLastPathComponent().path, file.path,
    ])
    let slowHits = expectSaneRun(slow, files: [file.path], status: 0)?["ruleLimitHits"] as? [String: Int]
    #expect(slowHits == ["redos-no-literal": 20])
    #expect(slow.seconds < 60)
    let r = try ProcessRun.initlens(["--format", "json", "--rules", rules.deletingLastPathComponent().path, file.path])
    let hits = expectSaneRun(r, files: [file.path], status: 0)?["ruleLimitHits"] as? [String: Int]
    // Regression (fixed): a rule with no literal made the prefilter pass its lines over.
    #expect(hits == ["redos-no-literal": 20])
  }
}
