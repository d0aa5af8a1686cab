import Foundation
import Testing

@testable import InitLensKit

/// Every rule file in rules/ is its own test case: it loads cleanly and its examples behave.
@Suite struct RuleSetTests {
  static let files: [String] = RuleSet.yamlFiles(under: Repo.rules).filter { !$0.contains("/correlations/") }

  @Test(arguments: files)
  func ruleLoadsAndItsExamplesPass(_ path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let (rule, diags) = RuleLoader.load(RuleFile(path: path, text: text))
    #expect(diags.isEmpty, "\(diags.map(\.description).joined(separator: "\n"))")
    let r = try #require(rule)
    let result = RuleChecker.check([r])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(!r.references.isEmpty, "a built-in rule names its upstream source")
    #expect(!r.literals.isEmpty, "a built-in rule states prefilter literals")
  }

  @Test func theBuiltinSetIsLargeAndCoversTheContractKinds() {
    let (set, diags) = RuleSet.load([.directory(Repo.rules)])
    #expect(diags.filter { $0.level == .error }.isEmpty)
    #expect(set.rules.count >= 25)
    let kinds = Set(set.rules.map(\.kind))
    for kind in [
      "imds-503", "imds-endpoint-disabled", "imds-unreachable", "datasource-not-found", "ecs-lifecycle-404",
      "ecs-agent-failed", "ecs-registration-failed", "userdata-failed",
    ] {
      #expect(kinds.contains(kind), "no rule raises \(kind)")
    }
  }

  /// The binary embeds rules/ so it works from any directory; the copy must not drift.
  @Test func embeddedRulesMatchTheRulesDirectory() throws {
    let onDisk = try RuleSet.yamlFiles(under: Repo.rules).map { path -> String in
      try String(contentsOfFile: path, encoding: .utf8)
    }
    let embedded = EmbeddedRules.files.map(\.text)
    let normalise = { (s: String) in s.hasSuffix("\n") ? String(s.dropLast()) : s }
    #expect(
      onDisk.map(normalise) == embedded.map(normalise),
      "Sources/InitLensKit/Rules/EmbeddedRules.swift is stale: run scripts/embed-rules")
    #expect(
      RuleSet.yamlFiles(under: Repo.rules).map { "builtin:rules/" + $0.dropFirst(Repo.rules.count + 1) }
        == EmbeddedRules.files.map(\.path))
  }

  /// Every rule with its prefilter on and off gives the same verdict on every example of every rule.
  @Test func prefilterNeverChangesAVerdict() {
    let rules = repoRules.rules
    let fast = Classifier(rules: rules, usePrefilter: true)
    let slow = Classifier(rules: rules, usePrefilter: false)
    var parser = LineParser(year: 2025)
    for line in rules.flatMap({ $0.matchExamples + $0.noMatchExamples }).map(\.line) {
      Array(line.utf8).withUnsafeBytes { p in
        let parsed = parser.parse(p)
        parsed.withInner(p) { inner in
          let a = fast.classify(inner, source: parsed.source).map { rules[$0.rule].id }
          let b = slow.classify(inner, source: parsed.source).map { rules[$0.rule].id }
          #expect(a == b, "\(line)")
        }
      }
    }
  }
}
