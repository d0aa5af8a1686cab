import Foundation

/// Newline-delimited JSON (`--format ndjson`): one compact JSON object per line, each with a `"type"`
/// key, for `jq`, log shippers and anything that reads one record at a time (docs/OUTPUT.md).
///
/// A report is written as, in this order:
/// - per host (sorted by name), per boot (by start): one `"incident"` line per incident, then one
///   `"rootCause"` line per root cause; then one `"host"` line for the host;
/// - in fleet reports, one `"fleetRootCause"` line per root-cause group, then one `"fleetIncident"`
///   line per incident-kind group (the `fleet` section's order: most hosts first);
/// - a final `"summary"` line.
///
/// The objects inside a line are the ones of the JSON report (same field names, explicit `null`s),
/// keys are sorted and nothing depends on the clock, so the same report gives the same bytes.
///
/// The `line(…)` functions encode one record, without the newline, so that a live consumer (`watch`)
/// can emit the same objects one at a time as they are found.
public enum NDJSONRenderer {
  /// The whole report, one line per record, each ending in `\n`.
  public static func render(_ report: Report) -> String {
    var out = ""
    write(report) { line in
      out += line
      out += "\n"
    }
    return out
  }

  /// Hands each line of the report (without its newline) to `emit`, in order.
  public static func write(_ report: Report, _ emit: (String) -> Void) {
    for host in report.hosts {
      for boot in host.boots {
        for incident in boot.incidents { emit(line(incident: incident, host: host.host, boot: boot.boot)) }
        for cause in boot.rootCauses { emit(line(rootCause: cause, host: host.host, boot: boot.boot)) }
      }
      emit(line(host: host))
    }
    if let fleet = report.fleet {
      for group in fleet.rootCauses { emit(line(fleetRootCause: group)) }
      for group in fleet.incidents { emit(line(fleetIncident: group)) }
    }
    emit(line(summary: report.summary, fleet: report.fleet))
  }

  /// `{"boot": …, "host": …, "incident": {…}, "type": "incident"}`: one incident as the JSON report
  /// has it, with the host and boot it belongs to.
  public static func line(incident: Incident, host: String, boot: String) -> String {
    encode(IncidentLine(boot: boot, host: host, incident: incident))
  }

  /// `{"boot": …, "host": …, "rootCause": {…}, "type": "rootCause"}`: one root cause as the JSON
  /// report has it, with its host and boot.
  public static func line(rootCause: RootCause, host: String, boot: String) -> String {
    encode(RootCauseLine(boot: boot, host: host, rootCause: rootCause))
  }

  /// `{"boots": N, "highestSeverity": …|null, "host": …, "incidents": N, "rootCauses": N, "type": "host"}`:
  /// a host's totals over all its boots.
  public static func line(host: HostReport) -> String {
    let incidents = host.boots.flatMap(\.incidents)
    return encode(
      HostLine(
        boots: host.boots.count, highestSeverity: incidents.map(\.severity).max(), host: host.host,
        incidents: incidents.count, rootCauses: host.boots.reduce(0) { $0 + $1.rootCauses.count }))
  }

  /// `{"group": {…}, "type": "fleetRootCause"}`: one root-cause group of the fleet section.
  public static func line(fleetRootCause group: FleetGroup) -> String {
    encode(GroupLine(group: group, type: "fleetRootCause"))
  }

  /// `{"group": {…}, "type": "fleetIncident"}`: one incident-kind group of the fleet section.
  public static func line(fleetIncident group: FleetGroup) -> String {
    encode(GroupLine(group: group, type: "fleetIncident"))
  }

  /// `{"summary": {…}, "type": "summary"}`, plus `"fleet": {"affectedHosts", "bundleErrors",
  /// "bundles", "healthyHosts", "hosts"}` for fleet reports: the report's totals, written last.
  public static func line(summary: Summary, fleet: FleetSection? = nil) -> String {
    encode(
      SummaryLine(
        fleet: fleet.map {
          FleetTotals(
            affectedHosts: $0.affectedHosts, bundleErrors: $0.bundleErrors, bundles: $0.bundles,
            healthyHosts: $0.healthyHosts, hosts: $0.hosts)
        }, summary: summary))
  }

  /// Compact JSON with sorted keys; `{}` if a value ever failed to encode (it cannot: all are plain values).
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }

  private struct IncidentLine: Encodable {
    let boot: String
    let host: String
    let incident: Incident
    let type = "incident"
  }

  private struct RootCauseLine: Encodable {
    let boot: String
    let host: String
    let rootCause: RootCause
    let type = "rootCause"
  }

  private struct HostLine: Encodable {
    let boots: Int
    let highestSeverity: Severity?
    let host: String
    let incidents: Int
    let rootCauses: Int
    let type = "host"

    enum CodingKeys: String, CodingKey { case boots, highestSeverity, host, incidents, rootCauses, type }
    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(boots, forKey: .boots)
      try c.encode(highestSeverity, forKey: .highestSeverity)  // explicit null when there is no incident
      try c.encode(host, forKey: .host)
      try c.encode(incidents, forKey: .incidents)
      try c.encode(rootCauses, forKey: .rootCauses)
      try c.encode(type, forKey: .type)
    }
  }

  private struct GroupLine: Encodable {
    let group: FleetGroup
    let type: String
  }

  private struct FleetTotals: Encodable {
    let affectedHosts: Int
    let bundleErrors: [BundleError]
    let bundles: Int
    let healthyHosts: Int
    let hosts: Int
  }

  private struct SummaryLine: Encodable {
    let fleet: FleetTotals?
    let summary: Summary
    let type = "summary"
  }
}
