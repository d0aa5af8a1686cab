import Foundation
import PCRE2Kit
import Testing

@testable import InitLensKit

/// `initlens rules suggest`: a draft rule file from a template of unmatched warnings loads, its
/// examples pass the repository's own checker, and `rules check` rejects it, saying what to write,
/// until a person has written its kind and fix.
@Suite struct RuleDraftTests {
  /// The draft with `kind` and `fix` written, as a person would.
  static func filled(_ text: String, kind: String = "imds-unreachable") -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      if line.hasPrefix("kind: ") { return "kind: \(kind)" }
      if line.hasPrefix("family: ") { return "family: \(kind)" }
      if line.hasPrefix("fix: ") { return "fix: 'Check the network when cloud-init ran.'" }
      return String(line)
    }.joined(separator: "\n")
  }

  static func mined(_ lines: [String]) -> UnmatchedTemplate {
    TemplateMinerTests.mine(lines).templates()[0]
  }

  @Test func draftFromATemplateIsCheckedLikeAnyRule() throws {
    let template = Self.mined(Array(RealLines.noRoute.prefix(3)))
    let draft = try RuleDraft.make(template)
    #expect(draft.id == "draft-" + template.id)
    #expect(draft.source == .cloudInit)
    #expect(draft.severity == .warning)
    #expect(
      draft.pattern
        == #"Calling '(?<url1>[A-Za-z][A-Za-z0-9+.-]*://[^\s'"<>`]*)' failed \[(?<num1>\d+(?:\.\d+)*)/(?<num2>\d+(?:\.\d+)*)s\]: request error \[\[Errno (?<num3>\d+(?:\.\d+)*)\] No route to host\]"#
    )
    #expect(draft.examples.map(\.line) == Array(RealLines.noRoute.prefix(3)))
    #expect(
      draft.examples[1].captures == [
        "url1": "http://169.254.169.254/2009-04-04/meta-data/instance-id", "num1": "106", "num2": "120", "num3": "113",
      ])

    // As written: rejected, and the messages say what to fill in.
    let file = RuleFile(path: "rules/cloud-init/\(draft.id).yaml", text: draft.text)
    let (rule, _) = RuleLoader.load(file)
    #expect(rule == nil)
    let problems = RuleLint.check(file).map(\.message)
    #expect(problems.contains { $0.hasPrefix("draft rule: write 'kind'") })
    #expect(problems.contains { $0.hasPrefix("draft rule: write 'fix'") })

    // Filled in: the loader takes it and the checker runs every example (3 match, 1 no-match) clean.
    let done = RuleFile(path: file.path, text: Self.filled(draft.text))
    #expect(RuleLint.unfinishedDraft(done).isEmpty)
    let (loaded, diags) = RuleLoader.load(done)
    let filledRule = try #require(loaded, "\(diags)")
    #expect(diags.isEmpty)
    let result = RuleChecker.check([filledRule])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.examplesChecked == 4)
    #expect(filledRule.matchExamples.map(\.captures) == draft.examples.map(\.captures))
    // The generated near-miss is a real near miss: the example with one literal word taken out.
    let nearMiss = try #require(draft.nearMiss)
    #expect(filledRule.noMatchExamples.map(\.line) == [nearMiss])
    #expect(nearMiss.count < RealLines.noRoute[0].count)

    // And the rule now knows the lines: analysing them gives an incident of the new kind.
    let (report, _) = analyze(
      [("cloud-init.log", RealLines.noRoute.joined(separator: "\n") + "\n")], rules: RuleSet(rules: [filledRule]))
    #expect(report.hosts.flatMap(\.boots).flatMap(\.incidents).map(\.kind) == ["imds-unreachable"])
  }

  @Test func wildcardsBecomeCapturesToo() throws {
    let template = Self.mined(RealLines.noRoute)
    #expect(template.template.hasSuffix("<*> <*> <*> <*>"))
    let draft = try RuleDraft.make(template)
    #expect(draft.pattern.hasSuffix(#"(?<var1>\S+) (?<var2>\S+) (?<var3>\S+) (?<var4>\S+)"#))
    #expect(draft.examples.count == 3)  // a template keeps 3 examples
    let pattern = try Pattern(draft.pattern)
    #expect(RuleDraft.captures(pattern, line: RealLines.noRoute[3])?["var1"] == "Operation")
    let (rule, _) = RuleLoader.load(RuleFile(path: "\(draft.id).yaml", text: Self.filled(draft.text)))
    #expect(RuleChecker.check([try #require(rule)]).diagnostics.isEmpty)
  }

  @Test(arguments: [
    (RealLines.agentRetry[0], Source.ecsAgent, Severity.warning, ["num1": "2.066145821"]),
    (
      RealLines.givingUp, .cloudInit, .critical,
      ["url1": "http://169.254.169.254/2009-04-04/meta-data/instance-id", "num1": "124"]
    ),
    (RealLines.netplan, .cloudInit, .warning, [:]),
    (
      RealLines.imdsRetry, .ecsAgent, .warning,
      ["url1": "http://xxx.xxx.xxx.xxx/2014-02-25/dynamic/instance-identity/document", "num1": "80"]
    ),
    // A journal line of systemd: no level, a failing word.
    (
      "2025-06-25T14:00:01+0000 ip-10-0-1-23 systemd[1]: Failed to start Docker Application Container Engine.",
      .systemd, .warning, [:]
    ),
  ])
  func draftFromOneLine(_ line: String, source: Source, severity: Severity, captures: [String: String]) throws {
    let template = RuleDraft.template(fromLine: line)
    #expect(template.examples.map(\.text) == [line])
    let draft = try RuleDraft.make(template, id: "my-rule", origin: "the line given with --from-line")
    #expect(draft.source == source)
    #expect(draft.severity == severity)
    #expect(draft.examples.first?.captures == captures)
    #expect(draft.text.contains("id: my-rule\n"))
    let (rule, diags) = RuleLoader.load(RuleFile(path: "my-rule.yaml", text: Self.filled(draft.text, kind: "new-kind")))
    let loaded = try #require(rule, "\(diags)\n\(draft.text)")
    #expect(RuleChecker.check([loaded]).diagnostics.isEmpty, "\(draft.text)")
  }

  @Test func metacharactersAndControlCharactersAreEscaped() throws {
    let line = "2025-06-25 14:58:01,470 - util.py[WARNING]: odd (a|b)* $x {y} ^z \\ q? \u{1B}[31mred\u{1B}[0m 'quoted'"
    let draft = try RuleDraft.make(RuleDraft.template(fromLine: line), id: "odd")
    #expect(draft.pattern.contains(#"\(a\|b\)\* \$x \{y\} \^z \\ q\?"#))
    #expect(draft.pattern.contains(#"\x{1b}\["#))
    // The example holds ESC: written double-quoted with an escape, which YAML reads back exactly.
    #expect(draft.text.contains(#"\x1b[31mred"#))
    let (rule, diags) = RuleLoader.load(RuleFile(path: "odd.yaml", text: Self.filled(draft.text)))
    let loaded = try #require(rule, "\(diags)")
    #expect(loaded.matchExamples.first?.line == line)
    #expect(RuleChecker.check([loaded]).diagnostics.isEmpty)
  }

  @Test func examplesCutShortInTheReportAreLeftOut() throws {
    var template = Self.mined(Array(RealLines.noRoute.prefix(2)))
    template.examples.append(
      Evidence(file: "x.log", line: 9, text: UnmatchedTemplate.cut(RealLines.noRoute[2], maxBytes: 120)))
    let draft = try RuleDraft.make(template)
    #expect(draft.examples.count == 2)
    #expect(draft.text.contains("# 1 example cut short in the report left out"))
    // Only cut examples: the pattern keeps the template's tokens that they still show.
    template.examples = [
      Evidence(file: "x.log", line: 9, text: UnmatchedTemplate.cut(RealLines.noRoute[2], maxBytes: 120))
    ]
    let short = try RuleDraft.make(template)
    #expect(short.pattern.hasPrefix("Calling '"))
    #expect(!short.pattern.contains("No route"))
    let (rule, _) = RuleLoader.load(RuleFile(path: "\(short.id).yaml", text: Self.filled(short.text)))
    #expect(RuleChecker.check([try #require(rule)]).diagnostics.isEmpty)
  }

  @Test func noNearMissLeavesAPlaceholderTheCheckerExplains() throws {
    // Nothing but variables: no literal word to take out, and no literal for the prefilter.
    let draft = try RuleDraft.make(RuleDraft.template(fromLine: "2020-01-24T20:19:09Z [WARN] 10.0.0.1 42"), id: "bare")
    #expect(draft.nearMiss == nil)
    #expect(draft.text.contains("# No literal text of 3 bytes or more"))
    let file = RuleFile(path: "bare.yaml", text: Self.filled(draft.text))
    #expect(
      RuleLint.unfinishedDraft(file).map(\.message) == [
        "draft rule: replace the no-match placeholder with a line that looks like the examples but must not match"
      ])
  }

  @Test func badIDsAreRefused() {
    #expect(throws: RuleDraft.DraftError.self) {
      try RuleDraft.make(Self.mined([RealLines.netplan]), id: "Not_Kebab")
    }
    #expect(RuleDraft.fileID("rules/cloud-init/my-new-rule.yaml") == "my-new-rule")
  }

  // MARK: - The command

  @Test func suggestCommandFromAReportAndFromALine() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-suggest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var report = Report(summary: Summary(), inputs: [], hosts: [])
    report.unmatched = TemplateMinerTests.mine(Array(RealLines.noRoute.prefix(3)) + RealLines.agentRetry).templates()
    let reportPath = dir.appendingPathComponent("report.json").path
    try JSONRenderer.render(report).write(toFile: reportPath, atomically: true, encoding: .utf8)
    let id = try #require(report.unmatched.first { $0.template.hasPrefix("ECS Agent") }).id

    // From --from FILE and from standard input: the same draft on stdout.
    let fromFile = try run(["rules", "suggest", id, "--from", reportPath])
    #expect(fromFile.status == 0, "\(fromFile.err)")
    #expect(fromFile.out.contains("id: draft-\(id)\n"))
    #expect(fromFile.out.contains("retrying in (?<num1>"))
    let fromStdin = try run(["rules", "suggest", id], stdin: Data(JSONRenderer.render(report).utf8))
    #expect(fromStdin.out == fromFile.out)

    // An unknown id: one line on stderr, exit 2.
    let unknown = try run(["rules", "suggest", "t-00000000", "--from", reportPath])
    #expect(unknown.status == 2)
    #expect(unknown.out.isEmpty)
    #expect(unknown.err.hasPrefix("initlens: no template t-00000000 in \(reportPath)'s unmatched list"))
    #expect(unknown.err.contains(id))
    #expect(unknown.err.split(separator: "\n").count == 1)
    let notJSON = try run(["rules", "suggest", id], stdin: Data("hello".utf8))
    #expect(notJSON.status == 2 && notJSON.err.contains("not an initlens JSON report"))

    // From one line into a file; `rules check` rejects it until kind and fix are written.
    let rules = dir.appendingPathComponent("rules/cloud-init")
    try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
    let out = rules.appendingPathComponent("no-route-probe.yaml").path
    let made = try run(["rules", "suggest", "--from-line", RealLines.noRoute[0], "-o", out])
    #expect(made.status == 0, "\(made.err)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.contains("id: no-route-probe\n"))
    let rulesDir = dir.appendingPathComponent("rules").path
    let before = try run(["rules", "check", "--no-default-rules", "--rules", rulesDir])
    #expect(before.status == 2)
    #expect(before.err.contains("draft rule: write 'kind'"))
    #expect(before.err.contains("draft rule: write 'fix'"))
    try Self.filled(text).write(toFile: out, atomically: true, encoding: .utf8)
    let after = try run(["rules", "check", "--no-default-rules", "--rules", rulesDir])
    #expect(after.status == 0, "\(after.err)")
    #expect(after.out.contains("1 rule, 2 examples"))

    // Usage mistakes.
    #expect(try run(["rules", "suggest"]).status == 64)
    #expect(try run(["rules", "suggest", id, "--from-line", "x"]).status == 64)
    let badName = try run([
      "rules", "suggest", "--from-line", RealLines.noRoute[0], "-o", dir.appendingPathComponent("Bad Name.yaml").path,
    ])
    #expect(badName.status == 2 && badName.err.contains("kebab-case"))
  }
}
