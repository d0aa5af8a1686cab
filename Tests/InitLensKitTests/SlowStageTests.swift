import Foundation
import Testing

@testable import InitLensKit

/// `slow-stage` incidents: a boot beyond max(p90 × 2, p90 + 10 s) of the fleet in a stage or step, with
/// what it waited on; computed when reports are combined, so a merge of shards gives the same.
@Suite struct SlowStageTests {
  static let t0: Int64 = 1_750_000_000_000_000

  /// A boot whose modules-final/config-scripts-user step took `seconds`, with `extra` timeline steps.
  static func boot(_ n: Int, seconds: Double, timeline: [TimelineEntry] = [], incidents: [Incident] = [])
    -> BootReport
  {
    let start = t0 + Int64(n) * 3_600_000_000
    let stepStart = start + 20_000_000
    let stepEnd = stepStart + Int64(seconds * 1_000_000)
    let step = StageReport(
      name: "modules-final/config-scripts-user", start: stepStart, end: stepEnd, durationSeconds: seconds,
      result: "SUCCESS")
    let stage = StageReport(
      name: "modules-final", start: stepStart - 5000, end: stepEnd + 5000, durationSeconds: seconds + 0.01,
      result: "SUCCESS", steps: [step])
    return BootReport(
      boot: "boot-\(n)", start: start, versions: [:], incidents: incidents, stages: [stage], timeline: timeline)
  }

  static func host(_ n: Int, _ boot: BootReport) -> Report {
    Report(summary: Summary(), inputs: [], hosts: [HostReport(host: String(format: "i-%017d", n), boots: [boot])])
  }

  static func slow(_ r: Report) -> [String: Incident] {
    var out: [String: Incident] = [:]
    for h in r.hosts {
      for b in h.boots { for i in b.incidents where i.kind == SlowStage.kind { out[h.host] = i } }
    }
    return out
  }

  @Test func anOutlierGetsOneIncidentNamingItsStepAndWait() throws {
    var parts = (1...9).map { Self.host($0, Self.boot($0, seconds: 1 + Double($0) / 10)) }
    let scriptAt = Self.t0 + 10 * 3_600_000_000 + 21_000_000
    let run = TimelineEntry(
      offsetSeconds: 21, time: scriptAt, kind: "userdata-run",
      summary: "cloud-init runs the user-data script /var/lib/cloud/instance/scripts/part-001")
    parts.append(Self.host(10, Self.boot(10, seconds: 95, timeline: [run])))
    let report = Report.combine(parts, bundles: 10, bundleErrors: [])
    let slow = Self.slow(report)
    #expect(slow.keys.sorted() == ["i-00000000000000010"])
    let i = try #require(slow["i-00000000000000010"])
    #expect(i.severity == .warning && i.familyName == "slow-stage" && i.count == 1)
    #expect(i.captures["step"] == "modules-final/config-scripts-user")
    #expect(i.captures["seconds"] == "95.000" && i.captures["p90"] == "1.900" && i.captures["boots"] == "10")
    #expect(i.captures["waitingOn"] == "user-data script /var/lib/cloud/instance/scripts/part-001")
    #expect(i.fix.contains("install packages in the AMI"))
    #expect(report.summary.incidents == 1 && report.summary.bySeverity == ["warning": 1])
    #expect(report.fleet?.incidents.map(\.id) == ["slow-stage"])
    #expect(report.fleet?.affectedHosts == 1)
    // A merge of the combined report (as of shards) recomputes, never doubles.
    let again = Report.combine([report], bundles: 10, bundleErrors: [])
    #expect(again.hosts == report.hosts && again.summary == report.summary)
  }

  @Test func imdsRetriesInsideTheStepAreWhatItWaitedOn() throws {
    var parts = (1...9).map { Self.host($0, Self.boot($0, seconds: 2)) }
    let inStep = Self.t0 + 10 * 3_600_000_000 + 30_000_000
    let retry = Incident(
      kind: "imds-unreachable", rule: "imds-request-error", rules: ["imds-request-error"],
      title: "Metadata request failed", severity: .warning, source: .cloudInit, first: inStep, last: inStep + 9_000_000,
      count: 7, captures: [:], fix: "", references: [],
      evidence: [Evidence(file: "cloud-init.log", line: 3, text: "x")],
      family: "imds-unreachable")
    parts.append(Self.host(10, Self.boot(10, seconds: 60, incidents: [retry])))
    let i = try #require(Self.slow(Report.combine(parts, bundles: 10, bundleErrors: []))["i-00000000000000010"])
    #expect(i.captures["waitingOn"] == "IMDS retries (imds-unreachable ×7)")
    #expect(i.fix.contains("retrying IMDS (7 failed requests"))
    #expect(i.evidence.map(\.line) == [3])
  }

  @Test func noIncidentBelowTheFloorOrWithFewBoots() {
    // 0.2 s steps and one of 0.9 s: beyond p90 × 2 but not 10 s beyond p90.
    var parts = (1...9).map { Self.host($0, Self.boot($0, seconds: 0.2)) }
    parts.append(Self.host(10, Self.boot(10, seconds: 0.9)))
    #expect(Self.slow(Report.combine(parts, bundles: 10, bundleErrors: [])).isEmpty)
    // Four boots are too few to call one an outlier.
    let few = [1, 2, 3].map { Self.host($0, Self.boot($0, seconds: 1)) } + [Self.host(4, Self.boot(4, seconds: 500))]
    #expect(Self.slow(Report.combine(few, bundles: 4, bundleErrors: [])).isEmpty)
  }
}

extension SlowStageTests {
  @Test func aSlowWholeBootNamesItsLongestPart() throws {
    // Ten boots of 20 s before modules-final; one whose network came up 80 s late (a gap, no stage).
    var parts: [Report] = []
    for n in 1...10 {
      var boot = Self.boot(n, seconds: 1)
      let start = boot.start!
      let late: Int64 = n == 10 ? 80_000_000 : 0
      boot.stages.insert(
        StageReport(
          name: "init-local", start: start + 5_000_000, end: start + 6_000_000, durationSeconds: 1, result: "SUCCESS"),
        at: 0)
      boot.stages.insert(
        StageReport(
          name: "init-network", start: start + 8_000_000 + late, end: start + 9_000_000 + late, durationSeconds: 1,
          result: "SUCCESS"), at: 1)
      boot.stages[2].start! += late
      boot.stages[2].end! += late
      boot.stages[2].steps[0].start! += late
      boot.stages[2].steps[0].end! += late
      parts.append(Self.host(n, boot))
    }
    let i = try #require(Self.slow(Report.combine(parts, bundles: 10, bundleErrors: []))["i-00000000000000010"])
    #expect(
      i.captures["step"] == "kernel-to-cloud-init-end (longest: the wait between init-local and init-network, 82.000 s)"
    )
  }
}

extension SlowStageTests {
  @Test func packageInstallsByCloudInitAreWhatItWaitedOn() throws {
    var parts = (1...9).map { Self.host($0, Self.boot($0, seconds: 1)) }
    let at = Self.t0 + 10 * 3_600_000_000 + 25_000_000
    let dnf = TimelineEntry(
      offsetSeconds: 25, time: at, kind: "package-command", summary: "cloud-init runs the package manager: dnf install")
    parts.append(Self.host(10, Self.boot(10, seconds: 240, timeline: [dnf])))
    let i = try #require(Self.slow(Report.combine(parts, bundles: 10, bundleErrors: []))["i-00000000000000010"])
    #expect(i.captures["waitingOn"] == "package installs (dnf install)")
    #expect(i.fix.hasPrefix("modules-final/config-scripts-user ran the package manager (dnf install;"))
  }

  /// The event rule behind it, on a cloud-init.log line as subp.py writes it.
  @Test func thePackageCommandRuleMarksTheTimeline() throws {
    let log = """
      2025-03-24 10:20:30,001 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'modules:final' at Mon, 24 Mar 2025 10:20:30 +0000. Up 20.00 seconds.
      2025-03-24 10:20:41,512 - subp.py[DEBUG]: Running command ['dnf', '-y', 'install', 'jq'] with allowed return codes [0] (shell=False, capture=False)

      """
    let analyzer = Analyzer(rules: repoRules)
    Array(log.utf8).withUnsafeBytes { analyzer.analyze(name: "cloud-init.log", bytes: $0) }
    let boot = try #require(analyzer.finish().hosts.first?.boots.first)
    #expect(boot.timeline.contains { $0.kind == "package-command" && $0.summary.hasSuffix(": dnf install") })
  }

  /// A user-data script that ran dnf: its "Complete!" in cloud-init-output.log borrows the time of the
  /// stage header before it (a second before the step began), and still counts as the step's wait.
  @Test func packageInstallsInUserDataAreWhatItWaitedOn() throws {
    var parts = (1...9).map { Self.host($0, Self.boot($0, seconds: 1)) }
    let stepStart = Self.t0 + 10 * 3_600_000_000 + 20_000_000
    let script = TimelineEntry(
      offsetSeconds: 20, time: stepStart + 1000, kind: "userdata-run",
      summary: "cloud-init runs the user-data script /var/lib/cloud/instance/scripts/part-001")
    let complete = TimelineEntry(
      offsetSeconds: 19, time: stepStart - 800_000, kind: "package-output",
      summary: "yum or dnf installed packages (\"Complete!\")")
    parts.append(Self.host(10, Self.boot(10, seconds: 240, timeline: [script, complete])))
    let i = try #require(Self.slow(Report.combine(parts, bundles: 10, bundleErrors: []))["i-00000000000000010"])
    #expect(
      i.captures["waitingOn"]
        == "user-data script /var/lib/cloud/instance/scripts/part-001, package installs in user data "
        + "(a package-manager transaction in cloud-init-output.log)")
    #expect(
      i.fix.hasPrefix(
        "modules-final/config-scripts-user installed packages from user data (/var/lib/cloud/instance/scripts/part-001)"
      ))
    // Output from long before the step (an earlier stage's) is not the step's.
    var early = complete
    early.time = stepStart - 30_000_000
    var again = (1...9).map { Self.host($0, Self.boot($0, seconds: 1)) }
    again.append(Self.host(10, Self.boot(10, seconds: 240, timeline: [script, early])))
    let j = try #require(Self.slow(Report.combine(again, bundles: 10, bundleErrors: []))["i-00000000000000010"])
    #expect(j.captures["waitingOn"] == "user-data script /var/lib/cloud/instance/scripts/part-001")
  }

  /// The output rules on cloud-init-output.log as a user-data script's yum and apt-get write it: each
  /// transaction is on the timeline at the time of the stage header before it.
  @Test func packageManagerOutputMarksTheTimeline() throws {
    let log = """
      Cloud-init v. 22.4.2 running 'modules:final' at Mon, 24 Mar 2025 10:20:30 +0000. Up 20.00 seconds.
      Installed:
        jq.x86_64 0:1.5-1.amzn2.0.2
      Complete!
      0 upgraded, 5 newly installed, 0 to remove and 12 not upgraded.
      0 upgraded, 0 newly installed, 0 to remove and 12 not upgraded.
      Bootstrap Complete! starting the app

      """
    let analyzer = Analyzer(rules: repoRules)
    Array(log.utf8).withUnsafeBytes { analyzer.analyze(name: "cloud-init-output.log", bytes: $0) }
    let boot = try #require(analyzer.finish().hosts.first?.boots.first)
    let output = boot.timeline.filter { $0.kind == "package-output" }
    #expect(
      output.map(\.summary) == [
        "yum or dnf installed packages (\"Complete!\")", "apt-get installs 5 packages and upgrades 0",
      ])
    let header = Timestamp.micros(year: 2025, month: 3, day: 24, hour: 10, minute: 20, second: 30)
    #expect(output.allSatisfy { $0.time == header })
  }
}
