/// Where a fleet's boot time goes: for each cloud-init stage, each module step and the time from the
/// kernel's start to cloud-init's end and to the ECS agent's registration, how many boots show it and
/// its nearest-rank percentiles (`fleet.bootTime`).
///
/// Computed from the hosts' own per-boot `stages` and `timeline` alone, so a merge of shard reports
/// computes exactly what a single run does. A boot counts in a metric only when it shows both its ends
/// (a stage that never finished, a boot without a known kernel start or registration is left out).
public struct BootTimeMetric: Sendable, Equatable {
  /// `init-local` … `modules-final`, a step (`modules-final/config-scripts-user`), or one of
  /// ``BootTimeMetric/toCloudInitEnd`` and ``BootTimeMetric/toECSRegistered``.
  public var name: String
  public var boots: Int
  /// Nearest-rank percentiles (rank ⌈p/100 × n⌉ of the durations sorted ascending) and the maximum, in
  /// seconds.
  public var p50: Double
  public var p90: Double
  public var p99: Double
  public var max: Double
  /// The slowest boots, at most ``BootTimeMetric/slowestKept``: seconds descending, then host, boot.
  public var slowest: [BootTimeSample]

  /// Kernel start → the end of cloud-init's `modules-final` stage.
  public static let toCloudInitEnd = "kernel-to-cloud-init-end"
  /// Kernel start → the ECS agent's first registration (`ecs-registered` on the timeline).
  public static let toECSRegistered = "kernel-to-ecs-registered"
  public static let slowestKept = 5
  /// cloud-init's stages in the order they run; other stage names follow by name.
  public static let stageOrder = ["init-local", "init-network", "modules-config", "modules-final"]

  public init(
    name: String, boots: Int, p50: Double, p90: Double, p99: Double, max: Double, slowest: [BootTimeSample]
  ) {
    self.name = name
    self.boots = boots
    self.p50 = p50
    self.p90 = p90
    self.p99 = p99
    self.max = max
    self.slowest = slowest
  }
}

public struct BootTimeSample: Sendable, Equatable {
  public var host: String
  public var boot: String
  public var seconds: Double

  public init(host: String, boot: String, seconds: Double) {
    self.host = host
    self.boot = boot
    self.seconds = seconds
  }
}

public enum BootTimeProfile {
  /// What one boot contributes: metric name → seconds. A step that ran twice in one boot counts with
  /// the sum of its runs; a stage seen twice likewise.
  public static func durations(of boot: BootReport) -> [String: Double] {
    var out: [String: Double] = [:]
    func add(_ s: StageReport) {
      if let d = s.durationSeconds { out[s.name, default: 0] += d }
      for step in s.steps { add(step) }
    }
    for stage in boot.stages { add(stage) }
    if let start = boot.start {
      let ends = boot.stages.filter { $0.name == "modules-final" }.compactMap(\.end)
      if let end = ends.max(), end >= start { out[BootTimeMetric.toCloudInitEnd] = seconds(end - start) }
      let registered = boot.timeline.filter { $0.kind == "ecs-registered" }.compactMap(\.time)
      if let at = registered.min(), at >= start { out[BootTimeMetric.toECSRegistered] = seconds(at - start) }
    }
    return out.mapValues(round)
  }

  /// The profile of `hosts`: the two whole-boot metrics, then stages in the order they run, then steps
  /// by name.
  public static func compute(hosts: [HostReport]) -> [BootTimeMetric] {
    var samples: [String: [BootTimeSample]] = [:]
    for host in hosts {
      for boot in host.boots {
        for (name, s) in durations(of: boot) {
          samples[name, default: []].append(BootTimeSample(host: host.host, boot: boot.boot, seconds: s))
        }
      }
    }
    return samples.keys.sorted(by: order).map { name in
      let list = samples[name]!
      let values = list.map(\.seconds).sorted()
      let slowest = list.sorted { a, b in
        a.seconds != b.seconds ? a.seconds > b.seconds : (a.host, a.boot) < (b.host, b.boot)
      }
      return BootTimeMetric(
        name: name, boots: values.count, p50: percentile(values, 50), p90: percentile(values, 90),
        p99: percentile(values, 99), max: values.last ?? 0, slowest: Array(slowest.prefix(BootTimeMetric.slowestKept)))
    }
  }

  /// Nearest rank: the value of rank ⌈p/100 × n⌉ (1-based) of `sorted` (ascending); 0 when empty.
  public static func percentile(_ sorted: [Double], _ p: Int) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = (p * sorted.count + 99) / 100
    return sorted[Swift.max(1, Swift.min(rank, sorted.count)) - 1]
  }

  /// Whole-boot metrics, then stages (cloud-init's order), then steps by name.
  static func order(_ a: String, _ b: String) -> Bool {
    func key(_ n: String) -> (Int, Int, String) {
      if n == BootTimeMetric.toCloudInitEnd { return (0, 0, n) }
      if n == BootTimeMetric.toECSRegistered { return (0, 1, n) }
      if !n.contains("/") { return (1, BootTimeMetric.stageOrder.firstIndex(of: n) ?? 99, n) }
      return (2, 0, n)
    }
    return key(a) < key(b)
  }

  static func seconds(_ us: Int64) -> Double { Double(us) / 1_000_000 }
  /// Milliseconds, as the stages are reported.
  static func round(_ s: Double) -> Double { (s * 1000).rounded() / 1000 }
}
