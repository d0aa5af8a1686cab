// A boot on the wire: the boot, its cloud-init stages and its timeline (see Report+Wire.swift).

extension BootReport: Decodable {
  enum Key: String, CodingKey { case boot, facts, hostname, incidents, rootCauses, stages, start, timeline, versions }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.boot)
    w.string(boot)
    w.key(Key.facts)
    w.map(facts) { $0.string($1) }
    // Only when the host is keyed by its instance id and the logs named it otherwise too.
    if let hostname {
      w.key(Key.hostname)
      w.string(hostname)
    }
    w.key(Key.incidents)
    w.array(incidents) { w, i in i.write(to: &w) }
    w.key(Key.rootCauses)
    w.array(rootCauses) { w, r in r.write(to: &w) }
    w.key(Key.stages)
    w.array(stages) { w, s in s.write(to: &w) }
    w.key(Key.start)
    w.time(start)
    w.key(Key.timeline)
    w.array(timeline) { w, t in t.write(to: &w) }
    w.key(Key.versions)
    w.map(versions) { $0.string($1) }
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    boot = try c.decode(String.self, forKey: .boot)
    start = try c.time(.start)
    versions = try c.decode([String: String].self, forKey: .versions)
    facts = try c.decode([String: String].self, forKey: .facts)
    hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
    incidents = try c.decode([Incident].self, forKey: .incidents)
    stages = try c.decode([StageReport].self, forKey: .stages)
    timeline = try c.decode([TimelineEntry].self, forKey: .timeline)
    rootCauses = try c.decode([RootCause].self, forKey: .rootCauses)
  }
}

extension StageReport: Decodable {
  enum Key: String, CodingKey { case durationSeconds, end, name, result, start, steps }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.durationSeconds)
    w.double(durationSeconds)
    w.key(Key.end)
    w.time(end)
    w.key(Key.name)
    w.string(name)
    w.key(Key.result)
    w.string(result)
    w.key(Key.start)
    w.time(start)
    w.key(Key.steps)
    w.array(steps) { w, s in s.write(to: &w) }
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    name = try c.decode(String.self, forKey: .name)
    start = try c.time(.start)
    end = try c.time(.end)
    durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds)
    result = try c.decodeIfPresent(String.self, forKey: .result)
    steps = try c.decode([StageReport].self, forKey: .steps)
  }
}

extension TimelineEntry: Decodable {
  enum Key: String, CodingKey { case kind, offsetSeconds, origin, summary, time }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.kind)
    w.string(kind)
    w.key(Key.offsetSeconds)
    w.double(offsetSeconds)
    w.key(Key.origin)
    if let origin { origin.write(to: &w) } else { w.null() }
    w.key(Key.summary)
    w.string(summary)
    w.key(Key.time)
    w.time(time)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    offsetSeconds = try c.decodeIfPresent(Double.self, forKey: .offsetSeconds)
    time = try c.time(.time)
    kind = try c.decode(String.self, forKey: .kind)
    summary = try c.decode(String.self, forKey: .summary)
    origin = try c.decodeIfPresent(Origin.self, forKey: .origin)
  }
}

extension Origin {
  /// The keys of `Origin`'s `Codable` conformance (Model/), written in the same order.
  enum Key: String, CodingKey { case file, line }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.file)
    w.string(file)
    w.key(Key.line)
    w.int(line)
    w.endObject()
  }
}
