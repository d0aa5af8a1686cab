import Foundation
import Testing

@testable import InitLensKit

@Suite struct CorrelationTests {
  static let files: [String] = RuleSet.yamlFiles(under: Repo.rules).filter { $0.contains("/correlations/") }
  static let kinds = Set(repoRules.rules.map(\.kind))

  /// Each chain file is its own case: it loads, names known kinds, and its fixtures (in window, out of
  /// window, wrong order, other host, and version cases) give what they expect.
  @Test(arguments: files)
  func chainLoadsAndItsFixturesPass(_ path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let (chain, diags) = CorrelationLoader.load(RuleFile(path: path, text: text), knownKinds: Self.kinds)
    #expect(diags.isEmpty, "\(diags.map(\.description).joined(separator: "\n"))")
    let c = try #require(chain)
    let result = CorrelationChecker.check([c])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(result.checked >= 4)
  }

  @Test func requiredChainsExist() {
    let ids = Set(repoRules.correlations.map(\.id))
    #expect(ids.contains("imds-503-not-retried"))
    #expect(ids.contains("ecs-warm-pool-404"))
    #expect(repoRules.correlations.count >= 4)
  }

  @Test func fixtureThatExpectsTheWrongThingIsReported() throws {
    let path = Self.files.first { $0.hasSuffix("imds-503-not-retried.yaml") }!
    let text = try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(
        of: "  - name: out of window\n    expect: none",
        with: "  - name: out of window\n    expect: imds-503-not-retried")
    let (chain, _) = CorrelationLoader.load(RuleFile(path: path, text: text))
    let result = CorrelationChecker.check([try #require(chain)])
    #expect(
      result.diagnostics.map(\.message) == ["fixture 'out of window': expected imds-503-not-retried, got no root cause"]
    )
  }

  @Test func missingFixturesAndUnknownKindsAreErrors() {
    let (chain, diags) = CorrelationLoader.load(
      RuleFile(
        path: "x-chain.yaml",
        text: """
          id: x-chain
          title: t
          cause: no-such-kind
          symptoms: [imds-503]
          summary: s
          explanation: e
          fixes: [f]
          examples:
            - name: in window
              expect: x-chain
              incidents: [{kind: no-such-kind, at: 0}]
          """), knownKinds: Self.kinds)
    #expect(chain == nil)
    let messages = diags.map(\.message)
    #expect(messages.contains("no line rule raises the kind 'no-such-kind'"))
    #expect(messages.contains("examples need a fixture named 'wrong order'"))
  }

  @Test func versionComparison() {
    #expect(Version("22.2.2-1.amzn2023.0.3")! < Version("24.4.1")!)
    #expect(Version("24.4.1-0ubuntu0~22.04.1")! == Version("24.4.1")!)
    #expect(Version("1.91.1")! > Version("1.91.0")!)
    #expect(Version("19.3-46.amzn2.0.1")! < Version("20.2")!)
    #expect(VersionCondition(">= 1.91.1")!.holds("1.93.1"))
    #expect(!VersionCondition("< 24.4.1")!.holds("24.4.1"))
    #expect(VersionCondition(anyOf: ["1.89.3", "1.90.0"])!.holds("1.90.0"))
    #expect(VersionCondition("missing")!.holds(nil))
    #expect(!VersionCondition("< 24.4.1")!.holds(nil))
  }

  /// End to end through the analyzer: ecs.config facts reach the chain, and the version picks the case.
  @Test func warmPoolChainUsesVersionAndConfigFacts() throws {
    let agent = """
      level=info time=2025-02-04T07:02:15Z msg="Amazon ECS agent Version: 1.89.3, Commit: 0d1bb9a7" module=agent.go
      level=info time=2025-02-04T07:02:16Z msg="Waiting for instance to go InService" module=agent.go
      level=critical time=2025-02-04T07:02:21Z msg="Could not determine target lifecycle of instance: operation error ec2imds: GetMetadata, http response error StatusCode: 404, request to EC2 IMDS failed" module=agent.go
      """
    let config = "ECS_CLUSTER=prod-web\nECS_WARM_POOLS_CHECK=true\nECS_ENGINE_AUTH_DATA={\"secret\":1}\n"
    let (report, _) = analyze([("ecs-agent.log", agent), ("ecs.config", config)], rules: repoRules)
    let boot = try #require(report.hosts.first?.boots.first)
    #expect(boot.facts["ECS_WARM_POOLS_CHECK"] == "true")
    #expect(boot.facts["ECS_ENGINE_AUTH_DATA"] == "(redacted)")
    #expect(report.summary.skipped["config"] == 3)
    let cause = try #require(boot.rootCauses.first)
    #expect(cause.id == "ecs-warm-pool-404")
    #expect(cause.summary.contains("ECS agent 1.89.3"))
    #expect(cause.explanation.contains("ecs.config in these inputs: true"))
    #expect(boot.incidents.first { $0.kind == "ecs-lifecycle-404" }?.rootCause == "ecs-warm-pool-404")

    let fixed = agent.replacingOccurrences(of: "1.89.3", with: "1.93.1")
    let (later, _) = analyze([("ecs-agent.log", fixed)], rules: repoRules)
    let lost = try #require(later.hosts.first?.boots.first?.rootCauses.first)
    #expect(lost.id == "ecs-lifecycle-state-lost")
    #expect(lost.explanation.contains("ECS_WARM_POOLS_CHECK in the inputs: (ECS_WARM_POOLS_CHECK not in the inputs)"))
  }
}
