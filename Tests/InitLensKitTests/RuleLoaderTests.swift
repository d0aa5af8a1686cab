import Foundation
import Testing

@testable import InitLensKit

@Suite struct RuleLoaderTests {
  /// The shape issue 2 promises users: it must load as written.
  static let documentedShape = """
    id: imds-token-503
    kind: imds-503
    title: IMDSv2 token request answered 503
    severity: warning
    source: cloud-init
    pattern: 'Calling ''(?<url>[^'']*/latest/api/token)'' failed \\[\\d+/\\d+s\\]: bad status code \\[(?<status>503)\\]'
    fix: 'IMDS answered {status} to the token request; …'
    references: ['https://github.com/canonical/cloud-init/issues/5577']
    examples:
      match:
        - line: "2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]"
          captures: {status: '503'}
      no-match:
        - "2025-06-25 14:58:01,473 - url_helper.py[DEBUG]: Read from http://169.254.169.254/latest/api/token (200, 56b) after 1 attempts"
    family: imds-503
    """

  func load(_ text: String, path: String = "imds-token-503.yaml") -> (Rule?, [String]) {
    let (rule, diags) = RuleLoader.load(RuleFile(path: path, text: text))
    return (rule, diags.filter { $0.level == .error }.map(\.description))
  }

  @Test func documentedShapeLoadsAndItsExamplesPass() throws {
    let (rule, errors) = load(Self.documentedShape)
    #expect(errors.isEmpty)
    let r = try #require(rule)
    #expect(r.kind == "imds-503" && r.severity == .warning && r.source == .cloudInit)
    #expect(r.captureNames == ["status", "url"])
    #expect(RuleChecker.check([r]).diagnostics.isEmpty)
  }

  /// Rule files are read without YAML tag resolution (`YAML.compose`): booleans, numbers and keys
  /// must still read as a user writes them (`true`/`yes`, unquoted digits, the last of duplicate keys).
  @Test func booleansNumbersAndDuplicateKeysReadAsWritten() throws {
    let text = Self.documentedShape.replacingOccurrences(
      of: "severity: warning\n",
      with: """
        severity: error
        severity: warning
        caseless: yes
        event: true

        """
    ).replacingOccurrences(of: "captures: {status: '503'}", with: "captures: {status: 503}")
      .replacingOccurrences(of: "bad status code [503]\"", with: "BAD STATUS CODE [503]\"")
      .replacingOccurrences(of: "\nfamily: imds-503", with: "")  // an event rule has no family
    let (rule, errors) = load(text)
    #expect(errors.isEmpty, "\(errors)")
    let r = try #require(rule)
    #expect(r.severity == .warning)
    #expect(r.isEvent)
    // Caseless: the upper-case example line matches the lower-case pattern, with its number capture.
    #expect(RuleChecker.check([r]).diagnostics.isEmpty, "\(RuleChecker.check([r]).diagnostics)")
    let (plain, _) = load(text.replacingOccurrences(of: "caseless: yes", with: "caseless: false"))
    #expect(!RuleChecker.check([try #require(plain)]).diagnostics.isEmpty)
  }

  @Test func badPatternPointsAtTheOffsetWithACaret() {
    let text = Self.documentedShape.replacingOccurrences(of: "(?<status>503)\\]'", with: "(?<status>503\\]'")
    let (rule, diags) = RuleLoader.load(RuleFile(path: "imds-token-503.yaml", text: text))
    #expect(rule == nil)
    let d = diags.first { $0.message.contains("does not compile") }
    #expect(d != nil)
    #expect(d?.position?.line == 6)
    #expect(d?.description.hasPrefix("imds-token-503.yaml:6:") == true)
    #expect(
      d?.description.contains("error: [imds-token-503] pattern does not compile: missing closing parenthesis") == true)
    // The caret sits under PCRE2's offset in the pattern shown above it.
    let snippet = d?.snippet ?? []
    #expect(snippet.count == 2)
    if snippet.count == 2 {
      let caretColumn = snippet[1].count - 1
      #expect(caretColumn == snippet[0].count)
    }
  }

  @Test func missingFieldsAndExamplesAreErrors() {
    let (rule, errors) = load(
      """
      id: x-rule
      kind: Not Kebab
      severity: loud
      source: cloud-init
      pattern: 'a(?<n>b)'
      fix: 'uses {missing}'
      examples:
        match: ['ab']
      """, path: "x-rule.yaml")
    #expect(rule == nil)
    let all = errors.joined(separator: "\n")
    #expect(all.contains("missing required field 'title'"))
    #expect(all.contains("unknown severity 'loud'"))
    #expect(all.contains("kind must be lower-case kebab-case"))
    #expect(all.contains("fix uses {missing}"))
    #expect(all.contains("examples.no-match needs at least one"))
  }

  @Test func idMustMatchFileName() {
    let (_, errors) = load(Self.documentedShape, path: "rules/cloud-init/other-name.yaml")
    #expect(errors.contains { $0.contains("must equal the file name 'other-name'") })
  }

  @Test func invalidYAMLReportsLineAndColumn() {
    let (rule, errors) = load("id: [unclosed\nkind: x\n")
    #expect(rule == nil)
    #expect(errors.first?.hasPrefix("imds-token-503.yaml:") == true)
    #expect(errors.first?.contains("invalid YAML") == true)
  }

  @Test func unnamedCapturesAreRejected() {
    let text = Self.documentedShape.replacingOccurrences(of: "(?<url>", with: "(")
    #expect(load(text).1.contains { $0.contains("named captures") })
  }

  @Test func failingExamplesAreReportedWithTheirPosition() throws {
    let text = Self.documentedShape.replacingOccurrences(
      of: "captures: {status: '503'}", with: "captures: {status: '504'}"
    )
    .replacingOccurrences(
      of: "(200, 56b)",
      with:
        "failed [0/1s]: bad status code [503] 'http://x/latest/api/token' Calling 'http://x/latest/api/token' failed [0/1s]: bad status code [503]"
    )
    let r = try #require(load(text).0)
    let diags = RuleChecker.check([r]).diagnostics.map(\.description)
    #expect(
      diags.contains {
        $0.contains("imds-token-503.yaml:11:") && $0.contains("capture 'status' is '503', expected '504'")
      })
    #expect(diags.contains { $0.contains("no-match example matches the pattern") })
  }

  @Test func prefilterLiteralsThatRejectAnExampleAreCaught() throws {
    let text = Self.documentedShape + "\nliterals: ['not in the line']\n"
    let r = try #require(load(text).0)
    let diags = RuleChecker.check([r]).diagnostics.map(\.description)
    #expect(diags.contains { $0.contains("rejected by the literals prefilter") })
  }

  @Test func laterSourceOverridesBuiltinById() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.documentedShape.replacingOccurrences(of: "severity: warning", with: "severity: critical")
      .write(to: dir.appendingPathComponent("imds-token-503.yaml"), atomically: true, encoding: .utf8)
    let (set, diags) = RuleSet.load([.embedded, .directory(dir.path)])
    #expect(diags.filter { $0.level == .error }.isEmpty)
    #expect(set.rules.first { $0.id == "imds-token-503" }?.severity == .critical)
  }
}
