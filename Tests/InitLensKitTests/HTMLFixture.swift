import Foundation

@testable import InitLensKit

/// Small reports built by hand, for the HTML renderer.
enum HTMLFixture {
  static func incident(
    _ kind: String, _ severity: Severity, first: String, last: String? = nil, count: Int = 1,
    rootCause: String? = nil, evidence: [Evidence] = [], title: String? = nil
  ) -> Incident {
    Incident(
      kind: kind, rule: kind + "-rule", rules: [kind + "-rule"], title: title ?? "\(kind) happened",
      severity: severity, source: .cloudInit, first: wireTime(first), last: wireTime(last ?? first), count: count,
      captures: ["status": "503"], fix: "Run `cloud-init clean` and reboot.",
      references: ["https://example.com/\(kind)"], evidence: evidence, rootCause: rootCause)
  }

  static func stage(_ name: String, _ start: String, _ end: String?, _ seconds: Double?) -> StageReport {
    StageReport(
      name: name, start: wireTime(start), end: end.map(wireTime), durationSeconds: seconds,
      result: end == nil ? nil : "SUCCESS",
      steps: [
        StageReport(
          name: name + "/search", start: wireTime(start), end: end.map(wireTime), durationSeconds: seconds,
          result: "SUCCESS")
      ])
  }

  /// A boot starting at `day`T10:00:00 with two stages, and the given incidents and root causes.
  static func boot(
    _ id: String, day: String = "2025-01-22", incidents: [Incident] = [], rootCauses: [RootCause] = [],
    versions: [String: String] = ["cloud-init": "22.2.2"]
  ) -> BootReport {
    let t = { (s: String) in wireTime("\(day)T10:00:\(s)Z") }
    return BootReport(
      boot: id, start: t("00.000"), versions: versions, facts: ["ECS_CLUSTER": "prod"], incidents: incidents,
      stages: [
        stage("init-local", "\(day)T10:00:05.000Z", "\(day)T10:00:06.000Z", 1),
        stage("init-network", "\(day)T10:00:07.000Z", "\(day)T10:00:08.500Z", 1.5),
      ],
      timeline: [
        TimelineEntry(offsetSeconds: 0, time: t("00.000"), kind: "boot-start", summary: "kernel started", origin: nil),
        TimelineEntry(
          offsetSeconds: 5, time: t("05.000"), kind: "cloud-init-stage", summary: "init-local started",
          origin: Origin(file: "cloud-init.log", line: 1)),
        TimelineEntry(
          offsetSeconds: 10, time: t("10.000"), kind: "ecs-agent-start", summary: "ECS agent started",
          origin: Origin(file: "ecs-agent.log", line: 3)),
      ],
      rootCauses: rootCauses)
  }

  static func cause(_ id: String, cause: String, symptom: String, evidence: [Evidence] = []) -> RootCause {
    RootCause(
      id: id, title: "\(id) title", cause: cause, summary: "\(cause) led to \(symptom)",
      explanation: "Because `\(cause)` is fatal.",
      symptoms: [Symptom(kind: symptom, offsetSeconds: 8, afterCauseSeconds: 1.5)],
      fixes: ["Upgrade.", "Reboot with `sudo reboot`."], references: ["https://example.com/\(id)"], evidence: evidence)
  }

  static func summary(_ hosts: [HostReport]) -> Summary {
    var s = Summary(linesRead: 100, linesMatched: 10, linesUnmatched: 85, linesSkipped: 5, skipped: ["blank": 5])
    s.hosts = hosts.count
    s.boots = hosts.reduce(0) { $0 + $1.boots.count }
    let incidents = hosts.flatMap { $0.boots.flatMap(\.incidents) }
    s.incidents = incidents.count
    s.rootCauses = hosts.reduce(0) { $0 + $1.boots.reduce(0) { $0 + $1.rootCauses.count } }
    for i in incidents { s.bySeverity[i.severity.rawValue, default: 0] += 1 }
    s.highestSeverity = incidents.map(\.severity).max()
    return s
  }

  static func report(_ hosts: [HostReport], fleet: Bool = true) -> Report {
    Report(
      summary: summary(hosts), inputs: [InputSummary(name: "bundle/cloud-init.log", lines: 100, error: nil)],
      hosts: hosts,
      fleet: fleet ? FleetSection.aggregate(hosts: hosts, bundles: hosts.count, bundleErrors: []) : nil)
  }

  /// Two affected hosts (one with two boots, on different days) and one healthy host.
  static var fleet: Report {
    let ev = [Evidence(file: "cloud-init.log", line: 57, text: "url_helper.py[WARNING]: bad status code [503]")]
    let a = HostReport(
      host: "ip-10-0-1-1",
      boots: [
        boot(
          "boot-a1",
          incidents: [
            incident(
              "imds-503", .error, first: "2025-01-22T10:00:05.500Z", last: "2025-01-22T10:00:07.200Z", count: 2,
              rootCause: "imds-503-not-retried", evidence: ev),
            incident(
              "datasource-not-found", .warning, first: "2025-01-22T10:00:07.600Z", rootCause: "imds-503-not-retried"),
          ],
          rootCauses: [cause("imds-503-not-retried", cause: "imds-503", symptom: "datasource-not-found", evidence: ev)]),
        boot(
          "boot-a2", day: "2025-01-28",
          incidents: [incident("ecs-agent-failed", .critical, first: "2025-01-28T10:00:09.000Z")]),
      ])
    let b = HostReport(
      host: "ip-10-0-1-2",
      boots: [boot("boot-b1", incidents: [incident("imds-503", .error, first: "2025-01-22T11:00:05.500Z")])])
    let c = HostReport(
      host: "ip-10-0-1-3",
      boots: [
        boot(
          "boot-c1", incidents: [incident("imds-token-ok", .info, first: "2025-01-22T12:00:05.500Z")],
          versions: ["cloud-init": "24.4.1"])
      ])
    return report([a, b, c])
  }
}

func occurrences(_ needle: String, in haystack: String) -> Int {
  haystack.components(separatedBy: needle).count - 1
}
