import Foundation
import Testing

@testable import InitLensKit

/// Real cloud-init 22.4.2 logs (`Fixtures/realci/`, written by cloud-init itself against a stand-in
/// IMDS): each scenario must get its root cause, and no other, and the incident kinds that carry it.
@Suite struct RealCloudInitTests {
  struct Scenario: CustomStringConvertible, Sendable {
    let name: String
    /// Root-cause ids per boot, in boot order.
    let rootCauses: [[String]]
    /// Incident kinds each boot must have.
    let kinds: [Set<String>]
    /// Incident kinds no boot may have.
    var never: Set<String> = []
    var description: String { name }
  }

  /// `gen.sh`'s default set, committed with the suite.
  static let committed: Set<String> = ["healthy", "imds-403", "imds-503", "imds-refused", "userdata-exit3"]

  static let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci").path

  static let scenarios: [Scenario] = [
    Scenario(
      name: "healthy", rootCauses: [[]], kinds: [[]],
      never: ["imds-503", "imds-endpoint-disabled", "imds-unreachable", "datasource-not-found", "userdata-failed"]),
    Scenario(
      name: "imds-403", rootCauses: [["imds-disabled-no-datasource"]],
      kinds: [["imds-endpoint-disabled", "datasource-not-found"]], never: ["imds-503", "imds-unreachable"]),
    Scenario(
      name: "imds-503", rootCauses: [["imds-503-not-retried"]],
      kinds: [["imds-503", "imds-endpoint-disabled", "datasource-not-found"]], never: ["imds-unreachable"]),
    Scenario(
      name: "imds-refused", rootCauses: [["imds-unreachable-no-datasource"]],
      kinds: [["imds-unreachable", "datasource-not-found"]], never: ["imds-503"]),
    Scenario(
      name: "userdata-exit3", rootCauses: [["userdata-script-failed"]], kinds: [["userdata-failed"]],
      never: ["datasource-not-found", "imds-endpoint-disabled"]),
    Scenario(
      name: "imds-404", rootCauses: [["imds-token-rejected-no-datasource"]],
      kinds: [["imds-endpoint-disabled", "datasource-not-found"]], never: ["imds-503", "imds-unreachable"]),
    Scenario(
      name: "imds-hang", rootCauses: [["imds-unreachable-no-datasource"]],
      kinds: [["imds-unreachable", "datasource-not-found"]], never: ["imds-503"]),
    Scenario(
      name: "bad-cloud-config", rootCauses: [["cloud-config-invalid-ignored"]], kinds: [["cloud-config-invalid"]],
      never: ["datasource-not-found", "userdata-failed"]),
    Scenario(
      name: "userdata-not-script", rootCauses: [["userdata-not-runnable-ignored"]], kinds: [["userdata-not-runnable"]],
      never: ["datasource-not-found", "userdata-failed"]),
    Scenario(
      name: "two-boots", rootCauses: [[], ["imds-503-not-retried"]],
      kinds: [[], ["imds-503", "imds-endpoint-disabled", "datasource-not-found"]], never: ["imds-unreachable"]),
  ]

  static func present(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: "\(dir)/\(name)/cloud-init.log")
  }

  static func report(_ name: String) throws -> Report {
    let analyzer = Analyzer(rules: repoRules)
    for file in ["cloud-init-output.log", "cloud-init.log"] {
      let path = "\(dir)/\(name)/\(file)"
      var source = MemoryByteSource(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
      analyzer.analyze(name: "realci/\(name)/\(file)", source: &source)
    }
    return analyzer.finish()
  }

  /// The five scenarios of `gen.sh`'s default set are committed; the suite has no reason to skip them.
  @Test func defaultScenariosArePresent() {
    for name in Self.committed.sorted() {
      #expect(Self.present(name), "Fixtures/realci/\(name) is missing")
    }
  }

  /// The default five; the others once generated (each test below is skipped, with the reason, until
  /// then; in CI it runs and fails).
  @Test(arguments: scenarios.filter { committed.contains($0.name) })
  func diagnosis(_ scenario: Scenario) throws {
    try Self.check(scenario)
  }

  static func scenario(_ name: String) -> Scenario { scenarios.first { $0.name == name }! }
  static let notYet = "not generated yet (shared/realci/gen.sh, see Fixtures/realci/README.md)"

  @Test(.requires(present("imds-404"), "realci/imds-404 \(notYet)"))
  func imds404() throws { try Self.check(Self.scenario("imds-404")) }

  @Test(.requires(present("imds-hang"), "realci/imds-hang \(notYet)"))
  func imdsHang() throws { try Self.check(Self.scenario("imds-hang")) }

  @Test(.requires(present("bad-cloud-config"), "realci/bad-cloud-config \(notYet)"))
  func badCloudConfig() throws { try Self.check(Self.scenario("bad-cloud-config")) }

  @Test(.requires(present("userdata-not-script"), "realci/userdata-not-script \(notYet)"))
  func userdataNotScript() throws { try Self.check(Self.scenario("userdata-not-script")) }

  @Test(.requires(present("two-boots"), "realci/two-boots \(notYet)"))
  func twoBoots() throws {
    // realci runs both boots on one machine, so both have the same kernel start (wall time minus the
    // machine's uptime), as boots in a container do: they are told apart by cloud-init's own start.
    try Self.check(Self.scenario("two-boots"))
  }

  static func check(_ scenario: Scenario) throws {
    let report = try Self.report(scenario.name)
    #expect(report.hosts.count == 1)
    let boots = report.hosts.flatMap(\.boots)
    try #require(
      boots.count == scenario.rootCauses.count, "\(boots.count) boots, expected \(scenario.rootCauses.count)")
    for (i, boot) in boots.enumerated() {
      let causes = boot.rootCauses.map(\.id)
      #expect(causes == scenario.rootCauses[i], "boot \(i): root causes \(causes)")
      let kinds = Set(boot.incidents.map(\.kind))
      #expect(scenario.kinds[i].isSubset(of: kinds), "boot \(i): kinds \(kinds.sorted())")
      #expect(kinds.isDisjoint(with: scenario.never), "boot \(i): kinds \(kinds.sorted())")
      if scenario.rootCauses[i].isEmpty {
        let problems = boot.incidents.filter { $0.severity >= .warning }.map(\.kind)
        #expect(problems.isEmpty, "boot \(i): a healthy boot has \(problems)")
      }
    }
    let s = report.summary
    #expect(s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
  }
}
