import Foundation

/// Newline-delimited JSON (`--format ndjson`): one compact JSON object per line, each with a `"type"`
/// key, for `jq`, log shippers and anything that reads one record at a time (docs/OUTPUT.md).
///
/// A report is written as, in this order:
/// - per host (sorted by name), per boot (by start): one `"incident"` line per incident, then one
///   `"rootCause"` line per root cause; then one `"host"` line for the host;
/// - in fleet reports, one `"fleetRootCause"` line per root-cause group, then one `"fleetIncident"`
///   line per incident-kind group (the `fleet` section's order: most hosts first), then one
///   `"bootTime"` line per metric of the boot-time profile (`fleet.bootTime`'s order);
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
      for metric in fleet.bootTime { emit(line(bootTime: metric)) }
    }
    emit(line(summary: report.summary, fleet: report.fleet))
  }

  /// `{"boot": …, "host": …, "incident": {…}, "type": "incident"}`: one incident as the JSON report
  /// has it, with the host and boot it belongs to.
  public static func line(incident: Incident, host: String, boot: String) -> String {
    line(Key.incident, type: "incident", host: host, boot: boot) { incident.write(to: &$0) }
  }

  /// `{"boot": …, "host": …, "rootCause": {…}, "type": "rootCause"}`: one root cause as the JSON
  /// report has it, with its host and boot.
  public static func line(rootCause: RootCause, host: String, boot: String) -> String {
    line(Key.rootCause, type: "rootCause", host: host, boot: boot) { rootCause.write(to: &$0) }
  }

  /// `{"boot": …, "host": …, KEY: {…}, "type": TYPE}` (KEY sorts between `host` and `type`).
  static func line(
    _ key: Key, type: String, host: String, boot: String, _ value: (inout JSONWriter) -> Void
  ) -> String {
    line { w in
      w.key(Key.boot)
      w.string(boot)
      w.key(Key.host)
      w.string(host)
      w.key(key)
      value(&w)
      w.key(Key.type)
      w.string(type)
    }
  }

  /// `{"boots": N, "highestSeverity": …|null, "host": …, "incidents": N, "rootCauses": N, "type": "host"}`:
  /// a host's totals over all its boots.
  public static func line(host: HostReport) -> String {
    var totals = Summary()
    for boot in host.boots { totals.count(boot: boot) }
    return line { w in
      w.key(Key.boots)
      w.int(totals.boots)
      w.key(Key.highestSeverity)
      w.string(totals.highestSeverity?.rawValue)
      w.key(Key.host)
      w.string(host.host)
      w.key(Key.incidents)
      w.int(totals.incidents)
      w.key(Key.rootCauses)
      w.int(totals.rootCauses)
      w.key(Key.type)
      w.string("host")
    }
  }

  /// `{"group": {…}, "type": "fleetRootCause"}`: one root-cause group of the fleet section.
  public static func line(fleetRootCause group: FleetGroup) -> String { line(group: group, type: "fleetRootCause") }

  /// `{"group": {…}, "type": "fleetIncident"}`: one incident-kind group of the fleet section.
  public static func line(fleetIncident group: FleetGroup) -> String { line(group: group, type: "fleetIncident") }

  static func line(group: FleetGroup, type: String) -> String {
    line { w in
      w.key(Key.group)
      group.write(to: &w)
      w.key(Key.type)
      w.string(type)
    }
  }

  /// `{"boots": N, "max": …, "name": …, "p50": …, "p90": …, "p99": …, "slowest": […], "type": "bootTime"}`:
  /// one metric of the fleet's boot-time profile, its fields as in `fleet.bootTime[]`.
  public static func line(bootTime metric: BootTimeMetric) -> String {
    line { w in
      metric.writeFields(to: &w)
      w.key(Key.type)
      w.string("bootTime")
    }
  }

  /// `{"summary": {…}, "type": "summary"}`, plus `"fleet": {"affectedHosts", "bundleErrors",
  /// "bundles", "healthyHosts", "hosts"}` for fleet reports: the report's totals, written last.
  public static func line(summary: Summary, fleet: FleetSection? = nil) -> String {
    line { w in
      if let fleet {
        typealias F = FleetSection.Key
        w.key(Key.fleet)
        w.beginObject()
        w.key(F.affectedHosts)
        w.int(fleet.affectedHosts)
        w.key(F.bundleErrors)
        w.array(fleet.bundleErrors) { w, e in e.write(to: &w) }
        w.key(F.bundles)
        w.int(fleet.bundles)
        w.key(F.healthyHosts)
        w.int(fleet.healthyHosts)
        w.key(F.hosts)
        w.int(fleet.hosts)
        w.endObject()
      }
      w.key(Key.summary)
      summary.write(to: &w)
      w.key(Key.type)
      w.string("summary")
    }
  }

  /// The keys of the lines around the report's objects (written in sorted order).
  enum Key: String, CodingKey {
    case boot, boots, fleet, group, highestSeverity, host, incident, incidents, rootCause, rootCauses, summary, type
  }

  /// One object on one line (no newline), its keys written by `body` through the report's writer.
  static func line(_ body: (inout JSONWriter) -> Void) -> String {
    var w = JSONWriter(capacity: 1024)
    w.compact = true
    w.beginObject()
    body(&w)
    w.endObject()
    return String(decoding: w.out, as: UTF8.self)
  }

  /// Compact JSON with sorted keys of a value that is not a report (`initlens diff`'s lines); `{}` if a
  /// value ever failed to encode (it cannot: all are plain values).
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
