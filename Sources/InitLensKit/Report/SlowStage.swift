/// Boots of a fleet that took far longer than the rest in one stage or step: a `slow-stage` incident
/// (warning; its own family, it refines no contract kind) naming the step that took the time and what
/// it waited on when the boot's report says so.
///
/// **Outlier**: in a metric of the fleet's boot-time profile with at least ``minBoots`` boots, a boot
/// whose seconds exceed max(p90 × ``factor``, p90 + ``floorSeconds``): twice the fleet's 90th
/// percentile, and never less than ten seconds above it (a step of 0.2 s that took 0.5 s is noise).
/// A boot gets one such incident: its slowest outlying step, else stage, else kernel → ECS
/// registration, else kernel → cloud-init's end.
///
/// **Waiting on**: incidents and timeline steps of the same boot inside the step's span (`Waits`):
/// IMDS retries (incidents of the `imds-*` kinds and families), no network route (`network-unreachable`),
/// the Auto Scaling lifecycle wait (`ecs-warm-pool-wait`), cloud-init running the package manager
/// (`package-command`), user-data scripts that ran (`userdata-run`: package installs and downloads in
/// user data take their time there).
///
/// Computed by ``Report/combine(_:bundles:bundleErrors:)`` from the merged hosts only (incidents of
/// this kind already in the parts are dropped first), so shards merge to what a single run gives.
public enum SlowStage {
  public static let kind = "slow-stage"
  public static let minBoots = 5
  public static let factor = 2.0
  public static let floorSeconds = 10.0

  /// The seconds above which a boot is an outlier in `m`, or nil when `m` has too few boots.
  public static func threshold(_ m: BootTimeMetric) -> Double? {
    m.boots >= minBoots ? Swift.max(m.p90 * factor, m.p90 + floorSeconds) : nil
  }

  /// `hosts` with a `slow-stage` incident added to each outlying boot (and none left from before).
  static func mark(_ hosts: [HostReport], profile: [BootTimeMetric]) -> [HostReport] {
    let limits = Dictionary(uniqueKeysWithValues: profile.compactMap { m in threshold(m).map { (m.name, (m, $0)) } })
    return hosts.map { host in
      var host = host
      for b in host.boots.indices {
        var boot = host.boots[b]
        boot.incidents.removeAll { $0.kind == kind }
        let outliers = BootTimeProfile.durations(of: boot).compactMap { name, s -> (String, Double, BootTimeMetric)? in
          guard let (m, limit) = limits[name], s > limit else { return nil }
          return (name, s, m)
        }
        if let pick = outliers.min(by: { (rank($0.0), -$0.1, $0.0) < (rank($1.0), -$1.1, $1.0) }) {
          let incident = make(boot, name: pick.0, seconds: pick.1, metric: pick.2)
          let key = (incident.first ?? .max, incident.kind)
          let at = boot.incidents.firstIndex { ($0.first ?? .max, $0.kind) > key } ?? boot.incidents.count
          boot.incidents.insert(incident, at: at)
        }
        host.boots[b] = boot
      }
      return host
    }
  }

  /// Steps first, then stages, then the whole-boot times.
  static func rank(_ name: String) -> Int {
    if name == BootTimeMetric.toCloudInitEnd { return 3 }
    if name == BootTimeMetric.toECSRegistered { return 2 }
    return name.contains("/") ? 0 : 1
  }

  static func make(_ boot: BootReport, name: String, seconds: Double, metric m: BootTimeMetric) -> Incident {
    let (start, end) = span(boot, name)
    let waits = Waits(boot, from: start, to: end)
    var what = name
    if rank(name) == 1, let step = longestStep(boot, stage: name) { what = "\(name) (its step \(step))" }
    if name == BootTimeMetric.toCloudInitEnd, let part = longestPart(boot) { what = "\(name) (longest: \(part))" }
    var captures = [
      "step": what, "seconds": fixed(seconds), "p50": fixed(m.p50), "p90": fixed(m.p90), "boots": String(m.boots),
    ]
    if let w = waits.summary { captures["waitingOn"] = w }
    let waited = waits.summary.map { ", waiting on \($0)" } ?? ""
    return Incident(
      kind: kind, rule: kind, rules: [kind],
      title: "\(what) took \(fixed(seconds)) s (fleet p90 \(fixed(m.p90)) s over \(m.boots) boots)\(waited)",
      severity: .warning, source: name == BootTimeMetric.toECSRegistered ? .ecsAgent : .cloudInit, first: start,
      last: end, count: 1, captures: captures,
      fix: waits.fix(step: what), references: waits.references, evidence: waits.evidence, family: kind)
  }

  /// The metric's span in this boot (the first run of a step seen twice).
  static func span(_ boot: BootReport, _ name: String) -> (Int64?, Int64?) {
    switch name {
    case BootTimeMetric.toCloudInitEnd:
      return (boot.start, boot.stages.filter { $0.name == "modules-final" }.compactMap(\.end).max())
    case BootTimeMetric.toECSRegistered:
      return (boot.start, boot.timeline.filter { $0.kind == "ecs-registered" }.compactMap(\.time).min())
    default:
      var found: StageReport?
      func look(_ s: StageReport) {
        if found == nil, s.name == name { found = s }
        s.steps.forEach(look)
      }
      boot.stages.forEach(look)
      return (found?.start, found?.end)
    }
  }

  /// The longest part of kernel start → cloud-init's end: a stage, or the wait before or between stages
  /// (before `init-network`: the network coming up, DHCP).
  static func longestPart(_ boot: BootReport) -> String? {
    guard var at = boot.start else { return nil }
    var previous = "the kernel's start"
    var best: (String, Int64)?
    for stage in boot.stages {
      guard let s = stage.start, let e = stage.end, s >= at else { continue }
      let gap = "the wait between \(previous) and \(stage.name)"
      for (label, us) in [(gap, s - at), (stage.name, e - s)] where us > best?.1 ?? -1 { best = (label, us) }
      previous = stage.name
      at = e
    }
    return best.map { "\($0.0), \(fixed(Double($0.1) / 1_000_000)) s" }
  }

  static func longestStep(_ boot: BootReport, stage: String) -> String? {
    boot.stages.filter { $0.name == stage }.flatMap(\.steps).filter { $0.durationSeconds != nil }
      .max { ($0.durationSeconds!, $1.name) < ($1.durationSeconds!, $0.name) }?.name
  }

  static func fixed(_ s: Double) -> String {
    let ms = Int64((s * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
  }
}
