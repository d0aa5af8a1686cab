/// Merging segments into boots, once every input is read (or a host retires): anchored segments of a
/// host merge across inputs when they start together; hits of unanchored ones fall into boots by time.
extension BootBuilder {
  /// A boot as reported: anchored segments of one host merged across inputs.
  final class FinalBoot {
    let host: String
    var bootID: String?
    var start: Int64?
    var streams: Set<Int> = []
    var versions: [String: String] = [:]
    var facts: [String: String] = [:]
    var identity = Identity()
    /// The host names its lines gave, when the host is keyed by its instance id.
    var hostnames: Set<String> = []
    var cloudInitStart: Int64?
    var events: Set<TimelineItem> = []
    /// The segment with the most cloud-init stage events: its input times the stages.
    var stageSource: Segment?
    var incidents: [String: Accumulator] = [:]
    let synthetic: Bool
    init(host: String, bootID: String?, start: Int64?, synthetic: Bool = false) {
      self.host = host
      self.bootID = bootID
      self.start = start
      self.synthetic = synthetic
    }
  }

  /// What one host's boots are built from: its segments and what waits to be placed into them.
  struct HostInputs {
    var segments: [Segment] = []
    var pending: [PendingHit] = []
    var versions: [(segment: Int, time: Int64?, key: String, value: String)] = []
    var events: [(segment: Int, item: TimelineItem)] = []
    var facts: [String: String]? = nil
  }

  /// The host of segments that name none: the one named host when inputs name exactly one; else the
  /// one instance (or, without one, the one host name) that cloud-init's own lines name.
  var defaultHost: String { defaultHost(keys: hostKeys()) }

  func defaultHost(keys: [String: String]) -> String {
    var named = retired.namedHosts
    var instances = Set<String>()
    var hostnames = Set<String>()
    for seg in segments.values {
      if let h = seg.host {
        named.insert(keys[h] ?? h)
      } else {
        if let i = seg.identity.instanceID { instances.insert(i) }
        if let h = seg.identity.hostname { hostnames.insert(h) }
      }
    }
    if named.count == 1 { return named.first! }
    if named.isEmpty, instances.count == 1 { return instances.first! }
    if named.isEmpty, instances.isEmpty, hostnames.count == 1 { return hostnames.first! }
    return options.defaultHost
  }

  /// Builds the report. Inputs given together without host names belong to the one named host
  /// when there is exactly one; otherwise to `unknown`. Hosts already retired while reading (see
  /// `retireQuietHosts`) count in the summary but their boots went to the sink.
  func finish(summary: Summary, inputs: [InputSummary]) -> Report {
    let keys = hostKeys()
    let defaultHost = self.defaultHost(keys: keys)
    var byHost: [String: HostInputs] = [:]
    func hostOf(_ id: Int) -> String { redactor.redact(segments[id]!.host.map { keys[$0] ?? $0 } ?? defaultHost) }
    for seg in segments.values.sorted(by: { $0.id < $1.id }) {
      byHost[hostOf(seg.id), default: HostInputs()].segments.append(seg)
    }
    for hit in pending { byHost[hostOf(hit.segment), default: HostInputs()].pending.append(hit) }
    for v in pendingVersions { byHost[hostOf(v.segment), default: HostInputs()].versions.append(v) }
    for e in pendingEvents { byHost[hostOf(e.segment), default: HostInputs()].events.append(e) }
    // Configuration inputs carry no host: their settings hold for every boot of the default host.
    for (hostKey, facts) in configFacts {
      let host = hostKey.isEmpty ? defaultHost : redactor.redact(keys[hostKey] ?? hostKey)
      byHost[host, default: HostInputs()].facts = (byHost[host]?.facts ?? [:]).merging(facts) { a, _ in a }
    }
    var summary = summary
    summary.add(retired.summary)
    var hosts: [HostReport] = []
    for host in byHost.keys.sorted() {
      let boots = finishHost(host, byHost[host]!, summary: &summary)
      hosts.append(HostReport(host: host, boots: boots.map(\.report)))
    }
    summary.hosts = retired.hostCount + byHost.count
    var report = Report(summary: summary, inputs: inputs, hosts: hosts)
    report.unmatched = unmatchedTemplates(defaultHost: defaultHost)
    return report
  }

  /// One host's boots, built from its segments; counts them into `summary` (not its `hosts`).
  func finishHost(_ host: String, _ inputs: HostInputs, summary: inout Summary) -> [FinishedBoot] {
    // 1. Anchored segments become boots, merged across inputs when they start together.
    var list: [FinalBoot] = []
    var bootOfSegment: [Int: FinalBoot] = [:]
    let anchored = inputs.segments.filter(\.anchored).sorted { a, b in
      (a.start ?? Int64.max, a.stream, a.id) < (b.start ?? Int64.max, b.stream, b.id)
    }
    for seg in anchored {
      let match = list.last { boot in
        if let a = seg.bootID, let b = boot.bootID { return a == b }
        // Two boots of one input are two boots; but lines that name no host and no boot, interleaved in
        // a journal's stream (the boot unit's `tail -F ecs-agent.log` beside `journalctl -f`), belong
        // to the journal boot they fall in.
        let interleaved = seg.bootID == nil && seg.host == nil && boot.bootID != nil
        guard interleaved || !boot.streams.contains(seg.stream) else { return false }
        // cloud-init started its first stage once per boot: seconds apart, these are two boots (a
        // container or a re-run cloud-init shares the kernel start of the boot before).
        if let a = seg.cloudInitStart, let b = boot.cloudInitStart, abs(a - b) > 5_000_000 { return false }
        // A boot that another input can only place in no time (dmesg, a console without wall clock)
        // is the latest boot of that host: those rings hold the boot running when they were saved.
        guard let s = seg.start else { return boot.start != nil }
        guard let bs = boot.start else { return false }
        return abs(s - bs) <= 600_000_000
      }
      let boot: FinalBoot
      if let match {
        boot = match
        if boot.bootID == nil { boot.bootID = seg.bootID }
        if let s = seg.start, boot.start == nil || s < boot.start! { boot.start = s }
      } else {
        boot = FinalBoot(host: host, bootID: seg.bootID, start: seg.start)
        list.append(boot)
      }
      boot.streams.insert(seg.stream)
      if boot.cloudInitStart == nil { boot.cloudInitStart = seg.cloudInitStart }
      for (k, v) in seg.versions where boot.versions[k] == nil { boot.versions[k] = v }
      boot.identity.merge(seg.identity)
      if let raw = seg.host, !HostIdentity.isInstanceID(raw) { boot.hostnames.insert(redactor.redact(raw)) }
      boot.events.formUnion(seg.events)
      if seg.stageEvents.count > (boot.stageSource?.stageEvents.count ?? 0) { boot.stageSource = seg }
      bootOfSegment[seg.id] = boot
    }

    // 2. Hits and versions of unanchored segments fall into the host's boots by time.
    func bootFor(time: Int64?) -> FinalBoot {
      if let time,
        let b = list.filter({ !$0.synthetic && ($0.start ?? Int64.max) <= time + 5_000_000 }).max(by: {
          ($0.start ?? 0) < ($1.start ?? 0)
        })
      {
        return b
      }
      if let unknown = list.first(where: \.synthetic) {
        if let time, unknown.start == nil || time < unknown.start! { unknown.start = time }
        return unknown
      }
      let unknown = FinalBoot(host: host, bootID: nil, start: time, synthetic: true)
      list.append(unknown)
      return unknown
    }
    for seg in inputs.segments {
      guard let boot = bootOfSegment[seg.id], let byKind = accumulators[seg.id] else { continue }
      for (kind, acc) in byKind.sorted(by: { $0.key < $1.key }) {
        if let existing = boot.incidents[kind] {
          existing.merge(acc, maxEvidence: options.maxEvidence)
        } else {
          boot.incidents[kind] = acc
        }
      }
    }
    for hit in inputs.pending {
      let boot = bootFor(time: hit.time)
      let kind = rules[hit.rule].kind
      let acc = boot.incidents[kind] ?? Accumulator(kind: kind)
      boot.incidents[kind] = acc
      acc.add(
        rule: hit.rule, time: hit.time, captures: hit.captures, evidence: hit.evidence, dedupe: hit.dedupe,
        maxEvidence: options.maxEvidence)
    }
    for v in inputs.versions {
      let boot = bootFor(time: v.time)
      if boot.versions[v.key] == nil { boot.versions[v.key] = v.value }
    }
    for e in inputs.events { bootFor(time: e.item.time).events.insert(e.item) }
    for seg in inputs.segments where !seg.anchored {
      if !seg.identity.isEmpty { bootFor(time: seg.firstTime).identity.merge(seg.identity) }
      if let raw = seg.host, !HostIdentity.isInstanceID(raw), bootOfSegment[seg.id] == nil {
        bootFor(time: seg.firstTime).hostnames.insert(redactor.redact(raw))
      }
    }
    // Every host the logs show is reported, even with nothing found (a healthy instance).
    if list.isEmpty, let seg = inputs.segments.first { _ = bootFor(time: seg.firstTime) }
    if let facts = inputs.facts {
      if list.isEmpty { _ = bootFor(time: nil) }
      for boot in list { boot.facts.merge(facts) { a, _ in a } }
    }
    // Warning lines no rule knows were filed by segment: say which reported boot each became.
    for seg in inputs.segments where unmatched.bootKeys.contains(String(seg.id)) {
      let boot =
        bootOfSegment[seg.id]
        ?? list.filter({ !$0.synthetic && ($0.start ?? .max) <= (seg.firstTime ?? .min) + 5_000_000 })
        .max(by: { ($0.start ?? 0) < ($1.start ?? 0) }) ?? list.first(where: \.synthetic)
      let name = boot.map { "\($0.start ?? -1)\u{1}\($0.bootID ?? "")" } ?? "unknown"
      unmatched.place(bootKey: String(seg.id), host: host, boot: name)
    }
    // 3. The boots, in the order they ran: by cloud-init's start where known (boots that share a kernel
    // start, as in a container, differ there), else by the kernel's.
    let sorted = list.sorted { a, b in
      (a.cloudInitStart ?? a.start ?? Int64.max, a.bootID ?? "") < (
        b.cloudInitStart ?? b.start ?? Int64.max, b.bootID ?? ""
      )
    }
    return assembler.reports(host: host, sorted, summary: &summary)
  }
}
