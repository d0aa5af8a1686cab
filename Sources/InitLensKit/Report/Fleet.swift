/// The `fleet` section of a report over many instances: what failed, on how many hosts and boots,
/// since when, on which versions, and the hosts in each group.
///
/// It is computed from the per-host reports alone (``FleetSection/aggregate(hosts:bundles:bundleErrors:)``),
/// so a merge of shard reports recomputes exactly what a single run computes.
public struct FleetSection: Sendable, Equatable {
  public var bundles: Int
  /// Bundles that could not be read at all, or only in part.
  public var bundleErrors: [BundleError]
  public var hosts: Int
  /// Hosts with at least one root cause or an incident at warning or above.
  public var affectedHosts: Int
  public var healthyHosts: Int
  public var rootCauses: [FleetGroup]
  public var incidents: [FleetGroup]
  /// component (`cloud-init`, `ecs-agent`, `os`) → version → hosts running it and how many are affected.
  public var versions: [String: [String: VersionCount]]
  /// Incidents per hour (first occurrence), by kind: the data of the "over time" chart.
  public var incidentsOverTime: [TimeBucket]
  /// Where the boot time goes: stages, steps and whole-boot times across the hosts
  /// (``BootTimeProfile/compute(hosts:)``).
  public var bootTime: [BootTimeMetric] = []
  /// Set only in a shard's report (`fleet --shard K/N`): which shard of which run it is, so that
  /// `merge` can refuse a set that misses a shard, holds one twice, or mixes runs.
  public var shard: FleetShard? = nil
}

/// A shard report's place in its run.
public struct FleetShard: Sendable, Equatable {
  /// K of N.
  public var k: Int
  public var n: Int
  /// Hash of the sorted paths given to `fleet` and of `rules`: the same for every shard of one run.
  public var run: String
  /// Hash of the rule set (``RuleSet/fingerprint(of:)``; the built-in set's is the one `--version` prints).
  public var rules: String

  public init(k: Int, n: Int, run: String, rules: String) {
    self.k = k
    self.n = n
    self.run = run
    self.rules = rules
  }

  /// Shard K of N of the run over `paths` (as given, in any order; `dir` and `dir/` alike, as they
  /// give the same bundle paths) with the rules of hash `rules`; `contents`: a digest of what the bundles
  /// found there hold (`BundleFinder.contentsDigest`), so shards run over changed bundles do not merge.
  public init(k: Int, n: Int, paths: [String], rules: String, contents: String = "") {
    let spelled = paths.map { path in
      var p = Substring(path)
      while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
      return String(p)
    }
    let run = FNV1a.hex(spelled.sorted().map { $0 + "\n" }.joined() + "rules " + rules + "\ncontents " + contents)
    self.init(k: k, n: n, run: run, rules: rules)
  }
}

public struct BundleError: Sendable, Equatable {
  public var bundle: String
  public var message: String
}

public struct FleetGroup: Sendable, Equatable {
  /// Root-cause id or incident kind.
  public var id: String
  /// An incident group's family (the contract kind its kind refines); nil for root-cause groups.
  public var family: String? = nil
  public var title: String
  public var severity: Severity?
  public var hosts: Int
  public var boots: Int
  /// First and last occurrence, µs UTC.
  public var firstSeen: Int64?
  public var lastSeen: Int64?
  public var hostNames: [String]
  /// Versions among the affected hosts: component → version → hosts.
  public var versions: [String: [String: Int]]
}

public struct VersionCount: Sendable, Equatable {
  public var hosts: Int
  public var affected: Int
}

public struct TimeBucket: Sendable, Equatable {
  /// Start of the hour, µs UTC.
  public var hour: Int64
  public var counts: [String: Int]
}

extension FleetSection {
  /// Groups the hosts' root causes and incidents. Deterministic: everything sorted.
  public static func aggregate(hosts: [HostReport], bundles: Int, bundleErrors: [BundleError]) -> FleetSection {
    struct Acc {
      var title = ""
      var family: String?
      var severity: Severity?
      var hosts = Set<String>()
      var boots = 0
      var first: Int64?
      var last: Int64?
      var versions: [String: [String: Set<String>]] = [:]
    }
    var causes: [String: Acc] = [:]
    var kinds: [String: Acc] = [:]
    var versionHosts: [String: [String: Set<String>]] = [:]
    var affected = Set<String>()
    var buckets: [Int64: [String: Int]] = [:]

    func note(_ acc: inout Acc, host: String, boot: BootReport, first: Int64?, last: Int64?) {
      acc.hosts.insert(host)
      acc.boots += 1
      if let f = first, acc.first == nil || f < acc.first! { acc.first = f }
      if let l = last ?? first, acc.last == nil || l > acc.last! { acc.last = l }
      for (component, version) in boot.versions {
        acc.versions[component, default: [:]][version, default: []].insert(host)
      }
    }

    for host in hosts {
      var hostAffected = false
      for boot in host.boots {
        for (component, version) in boot.versions {
          versionHosts[component, default: [:]][version, default: []].insert(host.host)
        }
        for cause in boot.rootCauses {
          hostAffected = true
          let causeIncident = boot.incidents.first { $0.kind == cause.cause }
          var acc = causes[cause.id] ?? Acc()
          acc.title = cause.title
          acc.severity = max(acc.severity ?? .info, causeIncident?.severity ?? .info)
          note(&acc, host: host.host, boot: boot, first: causeIncident?.first, last: causeIncident?.last)
          causes[cause.id] = acc
        }
        for incident in boot.incidents {
          if incident.severity >= .warning { hostAffected = true }
          var acc = kinds[incident.kind] ?? Acc()
          acc.family = min(acc.family ?? incident.familyName, incident.familyName)
          acc.title = acc.title.isEmpty ? incident.title : min(acc.title, incident.title)
          acc.severity = max(acc.severity ?? incident.severity, incident.severity)
          note(&acc, host: host.host, boot: boot, first: incident.first, last: incident.last)
          kinds[incident.kind] = acc
          if let first = incident.first {
            let hour = Int64(3_600_000_000)
            let start = first - ((first % hour) + hour) % hour
            buckets[start, default: [:]][incident.kind, default: 0] += 1
          }
        }
      }
      if hostAffected { affected.insert(host.host) }
    }

    func groups(_ map: [String: Acc]) -> [FleetGroup] {
      map.map { id, acc in
        FleetGroup(
          id: id, family: acc.family, title: acc.title, severity: acc.severity, hosts: acc.hosts.count,
          boots: acc.boots,
          firstSeen: acc.first,
          lastSeen: acc.last, hostNames: acc.hosts.sorted(),
          versions: acc.versions.mapValues { $0.mapValues(\.count) })
      }.sorted { ($1.hosts, $0.id) < ($0.hosts, $1.id) }
    }
    let versions = versionHosts.mapValues { byVersion in
      byVersion.mapValues { hostSet in
        VersionCount(hosts: hostSet.count, affected: hostSet.intersection(affected).count)
      }
    }
    let allHosts = Set(hosts.map(\.host))
    return FleetSection(
      bundles: bundles, bundleErrors: bundleErrors.sorted { ($0.bundle, $0.message) < ($1.bundle, $1.message) },
      hosts: allHosts.count, affectedHosts: affected.count, healthyHosts: allHosts.count - affected.count,
      rootCauses: groups(causes), incidents: groups(kinds), versions: versions,
      incidentsOverTime: buckets.sorted { $0.key < $1.key }.map { TimeBucket(hour: $0.key, counts: $0.value) },
      bootTime: BootTimeProfile.compute(hosts: hosts))
  }
}
