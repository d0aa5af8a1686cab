import Foundation

// The report's wire format, type by type (docs/OUTPUT.md): each type's keys, its writing (keys in
// sorted order, an unknown value `null`, never a missing key, unless noted) and its reading, in one
// place. The JSON output, `initlens merge` and `initlens diff` all go through these.

extension Report: Decodable {
  enum Key: String, CodingKey { case fleet, hosts, inputs, schemaVersion, summary, unmatched }

  /// `hostsWriter`: writes the `hosts` array instead (a report some of whose boots are on disk).
  func write(to w: inout JSONWriter, hostsWriter: ((inout JSONWriter) -> Void)? = nil) {
    w.beginObject()
    if let fleet {
      w.key(Key.fleet)
      fleet.write(to: &w)
    }
    w.key(Key.hosts)
    if let hostsWriter { hostsWriter(&w) } else { w.array(hosts) { w, h in h.write(to: &w) } }
    w.key(Key.inputs)
    w.array(inputs) { w, i in i.write(to: &w) }
    w.key(Key.schemaVersion)
    w.int(schemaVersion)
    w.key(Key.summary)
    summary.write(to: &w)
    w.key(Key.unmatched)
    w.array(unmatched) { w, t in t.write(to: &w) }
    w.endObject()
  }

  /// Reports written before `unmatched` existed decode with an empty list (`initlens merge` of old shards).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    summary = try c.decode(Summary.self, forKey: .summary)
    inputs = try c.decode([InputSummary].self, forKey: .inputs)
    hosts = try c.decode([HostReport].self, forKey: .hosts)
    fleet = try c.decodeIfPresent(FleetSection.self, forKey: .fleet)
    unmatched = try c.decodeIfPresent([UnmatchedTemplate].self, forKey: .unmatched) ?? []
  }

  /// A report from its JSON (a shard for `initlens merge`, a file for `initlens diff`).
  public static func decode(_ data: Data) throws -> Report { try JSONDecoder().decode(Report.self, from: data) }
}

extension Summary: Decodable {
  enum Key: String, CodingKey {
    case boots, bySeverity, highestSeverity, hosts, incidents, linesMatched, linesRead, linesSkipped
    case linesUnmatched, rootCauses, ruleLimitHits, skipped
  }

  /// `highestSeverity` is left out when there is no incident.
  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.boots)
    w.int(boots)
    w.key(Key.bySeverity)
    w.map(bySeverity) { $0.int($1) }
    if let highestSeverity {
      w.key(Key.highestSeverity)
      w.string(highestSeverity.rawValue)
    }
    w.key(Key.hosts)
    w.int(hosts)
    w.key(Key.incidents)
    w.int(incidents)
    w.key(Key.linesMatched)
    w.int(linesMatched)
    w.key(Key.linesRead)
    w.int(linesRead)
    w.key(Key.linesSkipped)
    w.int(linesSkipped)
    w.key(Key.linesUnmatched)
    w.int(linesUnmatched)
    w.key(Key.rootCauses)
    w.int(rootCauses)
    w.key(Key.ruleLimitHits)
    w.map(ruleLimitHits) { $0.int($1) }
    w.key(Key.skipped)
    w.map(skipped) { $0.int($1) }
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    linesRead = try c.decode(Int.self, forKey: .linesRead)
    linesMatched = try c.decode(Int.self, forKey: .linesMatched)
    linesUnmatched = try c.decode(Int.self, forKey: .linesUnmatched)
    linesSkipped = try c.decode(Int.self, forKey: .linesSkipped)
    skipped = try c.decode([String: Int].self, forKey: .skipped)
    hosts = try c.decode(Int.self, forKey: .hosts)
    boots = try c.decode(Int.self, forKey: .boots)
    incidents = try c.decode(Int.self, forKey: .incidents)
    rootCauses = try c.decode(Int.self, forKey: .rootCauses)
    bySeverity = try c.decode([String: Int].self, forKey: .bySeverity)
    ruleLimitHits = try c.decode([String: Int].self, forKey: .ruleLimitHits)
    highestSeverity = try c.decodeIfPresent(Severity.self, forKey: .highestSeverity)
  }
}

extension InputSummary: Decodable {
  enum Key: String, CodingKey { case error, lines, name }

  /// `error` is left out when the input was read to its end.
  func write(to w: inout JSONWriter) {
    w.beginObject()
    if let error {
      w.key(Key.error)
      w.string(error)
    }
    w.key(Key.lines)
    w.int(lines)
    w.key(Key.name)
    w.string(name)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    name = try c.decode(String.self, forKey: .name)
    lines = try c.decode(Int.self, forKey: .lines)
    error = try c.decodeIfPresent(String.self, forKey: .error)
  }
}

extension HostReport: Decodable {
  enum Key: String, CodingKey { case boots, host }

  /// `earlier`: writes boots that come before `boots` (elements of the same array).
  func write(to w: inout JSONWriter, earlier: ((inout JSONWriter) -> Void)? = nil) {
    w.beginObject()
    w.key(Key.boots)
    w.beginArray()
    earlier?(&w)
    for b in boots {
      w.element()
      b.write(to: &w)
      w.flush()
    }
    w.endArray()
    w.key(Key.host)
    w.string(host)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    host = try c.decode(String.self, forKey: .host)
    boots = try c.decode([BootReport].self, forKey: .boots)
  }
}
