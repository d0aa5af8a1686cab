// The `fleet` section on the wire (see Report+Wire.swift).

extension FleetSection: Decodable {
  enum Key: String, CodingKey {
    case affectedHosts, bootTime, bundleErrors, bundles, healthyHosts, hosts, incidents, incidentsOverTime, rootCauses
    case shard, versions
  }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.affectedHosts)
    w.int(affectedHosts)
    w.key(Key.bootTime)
    w.array(bootTime) { w, m in m.write(to: &w) }
    w.key(Key.bundleErrors)
    w.array(bundleErrors) { w, e in e.write(to: &w) }
    w.key(Key.bundles)
    w.int(bundles)
    w.key(Key.healthyHosts)
    w.int(healthyHosts)
    w.key(Key.hosts)
    w.int(hosts)
    w.key(Key.incidents)
    w.array(incidents) { w, g in g.write(to: &w) }
    w.key(Key.incidentsOverTime)
    w.array(incidentsOverTime) { w, b in b.write(to: &w) }
    w.key(Key.rootCauses)
    w.array(rootCauses) { w, g in g.write(to: &w) }
    if let shard {
      w.key(Key.shard)
      shard.write(to: &w)
    }
    w.key(Key.versions)
    w.map(versions) { w, byVersion in w.map(byVersion) { w, c in c.write(to: &w) } }
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    bundles = try c.decode(Int.self, forKey: .bundles)
    bundleErrors = try c.decode([BundleError].self, forKey: .bundleErrors)
    hosts = try c.decode(Int.self, forKey: .hosts)
    affectedHosts = try c.decode(Int.self, forKey: .affectedHosts)
    healthyHosts = try c.decode(Int.self, forKey: .healthyHosts)
    rootCauses = try c.decode([FleetGroup].self, forKey: .rootCauses)
    incidents = try c.decode([FleetGroup].self, forKey: .incidents)
    versions = try c.decode([String: [String: VersionCount]].self, forKey: .versions)
    incidentsOverTime = try c.decode([TimeBucket].self, forKey: .incidentsOverTime)
    shard = try c.decodeIfPresent(FleetShard.self, forKey: .shard)
    // Absent in reports written before the boot-time profile existed.
    bootTime = try c.decodeIfPresent([BootTimeMetric].self, forKey: .bootTime) ?? []
  }
}

extension BootTimeMetric: Decodable {
  enum Key: String, CodingKey { case boots, max, name, p50, p90, p99, slowest }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    writeFields(to: &w)
    w.endObject()
  }

  /// The fields alone, in sorted order (an NDJSON `bootTime` line adds its `type` after them).
  func writeFields(to w: inout JSONWriter) {
    w.key(Key.boots)
    w.int(boots)
    w.key(Key.max)
    w.double(max)
    w.key(Key.name)
    w.string(name)
    w.key(Key.p50)
    w.double(p50)
    w.key(Key.p90)
    w.double(p90)
    w.key(Key.p99)
    w.double(p99)
    w.key(Key.slowest)
    w.array(slowest) { w, s in s.write(to: &w) }
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    name = try c.decode(String.self, forKey: .name)
    boots = try c.decode(Int.self, forKey: .boots)
    p50 = try c.decode(Double.self, forKey: .p50)
    p90 = try c.decode(Double.self, forKey: .p90)
    p99 = try c.decode(Double.self, forKey: .p99)
    max = try c.decode(Double.self, forKey: .max)
    slowest = try c.decode([BootTimeSample].self, forKey: .slowest)
  }
}

extension BootTimeSample: Decodable {
  enum Key: String, CodingKey { case boot, host, seconds }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.boot)
    w.string(boot)
    w.key(Key.host)
    w.string(host)
    w.key(Key.seconds)
    w.double(seconds)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    boot = try c.decode(String.self, forKey: .boot)
    host = try c.decode(String.self, forKey: .host)
    seconds = try c.decode(Double.self, forKey: .seconds)
  }
}

/// `shard` is written only in a shard's report (`fleet --shard K/N`).
extension FleetShard: Decodable {
  enum Key: String, CodingKey { case k, n, rules, run }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.k)
    w.int(k)
    w.key(Key.n)
    w.int(n)
    w.key(Key.rules)
    w.string(rules)
    w.key(Key.run)
    w.string(run)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    k = try c.decode(Int.self, forKey: .k)
    n = try c.decode(Int.self, forKey: .n)
    rules = try c.decode(String.self, forKey: .rules)
    run = try c.decode(String.self, forKey: .run)
  }
}

extension BundleError: Decodable {
  enum Key: String, CodingKey { case bundle, message }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.bundle)
    w.string(bundle)
    w.key(Key.message)
    w.string(message)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    bundle = try c.decode(String.self, forKey: .bundle)
    message = try c.decode(String.self, forKey: .message)
  }
}

extension FleetGroup: Decodable {
  enum Key: String, CodingKey {
    case boots, family, firstSeen, hostNames, hosts, id, lastSeen, severity, title, versions
  }

  /// `family` and `severity` are left out when unknown (root-cause groups have no family).
  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.boots)
    w.int(boots)
    if let family {
      w.key(Key.family)
      w.string(family)
    }
    w.key(Key.firstSeen)
    w.time(firstSeen)
    w.key(Key.hostNames)
    w.strings(hostNames)
    w.key(Key.hosts)
    w.int(hosts)
    w.key(Key.id)
    w.string(id)
    w.key(Key.lastSeen)
    w.time(lastSeen)
    if let severity {
      w.key(Key.severity)
      w.string(severity.rawValue)
    }
    w.key(Key.title)
    w.string(title)
    w.key(Key.versions)
    w.map(versions) { w, byVersion in w.map(byVersion) { $0.int($1) } }
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    id = try c.decode(String.self, forKey: .id)
    family = try c.decodeIfPresent(String.self, forKey: .family)
    title = try c.decode(String.self, forKey: .title)
    severity = try c.decodeIfPresent(Severity.self, forKey: .severity)
    hosts = try c.decode(Int.self, forKey: .hosts)
    boots = try c.decode(Int.self, forKey: .boots)
    firstSeen = try c.time(.firstSeen)
    lastSeen = try c.time(.lastSeen)
    hostNames = try c.decode([String].self, forKey: .hostNames)
    versions = try c.decode([String: [String: Int]].self, forKey: .versions)
  }
}

extension VersionCount: Decodable {
  enum Key: String, CodingKey { case affected, hosts }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.affected)
    w.int(affected)
    w.key(Key.hosts)
    w.int(hosts)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    hosts = try c.decode(Int.self, forKey: .hosts)
    affected = try c.decode(Int.self, forKey: .affected)
  }
}

extension TimeBucket: Decodable {
  enum Key: String, CodingKey { case counts, hour }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.counts)
    w.map(counts) { $0.int($1) }
    w.key(Key.hour)
    w.time(hour)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    guard let hour = try c.time(.hour) else {
      throw DecodingError.valueNotFound(
        Int64.self, .init(codingPath: c.codingPath + [Key.hour], debugDescription: "no hour"))
    }
    self.hour = hour
    counts = try c.decode([String: Int].self, forKey: .counts)
  }
}
