/// Turning segments and folded hits into hosts × boots × incidents, once every input is read.
extension Analyzer {
  /// A boot as reported: anchored segments of one host merged across inputs.
  final class FinalBoot {
    let host: String
    var bootID: String?
    var start: Int64?
    var streams: Set<Int> = []
    var versions: [String: String] = [:]
    var facts: [String: String] = [:]
    var identity = Identity()
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

  /// A boot as reported, with its host (what `onRetire` hands over).
  public struct FinishedBoot: Sendable {
    public let host: String
    public let report: BootReport
  }

  /// The host of segments that name none: the one named host when inputs name exactly one; else the
  /// one instance (or, without one, the one host name) that cloud-init's own lines name.
  var defaultHost: String {
    var named = retired.namedHosts
    var instances = Set<String>()
    var hostnames = Set<String>()
    for seg in segments.values {
      if let h = seg.host {
        named.insert(h)
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
  /// `retireQuietHosts`) count in the summary but their boots went to `onRetire`.
  public func finish() -> Report {
    let defaultHost = self.defaultHost
    var byHost: [String: HostInputs] = [:]
    func hostOf(_ id: Int) -> String { redactor.redact(segments[id]!.host ?? defaultHost) }
    for seg in segments.values.sorted(by: { $0.id < $1.id }) {
      byHost[hostOf(seg.id), default: HostInputs()].segments.append(seg)
    }
    for hit in pending { byHost[hostOf(hit.segment), default: HostInputs()].pending.append(hit) }
    for v in pendingVersions { byHost[hostOf(v.segment), default: HostInputs()].versions.append(v) }
    for e in pendingEvents { byHost[hostOf(e.segment), default: HostInputs()].events.append(e) }
    // Configuration inputs carry no host: their settings hold for every boot of the default host.
    for (hostKey, facts) in configFacts {
      let host = hostKey.isEmpty ? defaultHost : hostKey
      byHost[host, default: HostInputs()].facts = (byHost[host]?.facts ?? [:]).merging(facts) { a, _ in a }
    }
    var summary = self.summary
    summary.add(retired.summary)
    var hosts: [HostReport] = []
    for host in byHost.keys.sorted() {
      let boots = finishHost(host, byHost[host]!, summary: &summary)
      hosts.append(HostReport(host: host, boots: boots.map(\.report)))
    }
    summary.hosts = retired.hostCount + byHost.count
    summary.ruleLimitHits = ruleLimitHits
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
        guard !boot.streams.contains(seg.stream) else { return false }
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
    for seg in inputs.segments where !seg.anchored && !seg.identity.isEmpty {
      bootFor(time: seg.firstTime).identity.merge(seg.identity)
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

    // 3. Render sorted value types.
    // In the order they ran: by cloud-init's start where known (boots that share a kernel start, as in a
    // container, differ there), else by the kernel's.
    let sorted = list.sorted { a, b in
      (a.cloudInitStart ?? a.start ?? Int64.max, a.bootID ?? "") < (
        b.cloudInitStart ?? b.start ?? Int64.max, b.bootID ?? ""
      )
    }
    var reports: [FinishedBoot] = []
    for (n, boot) in sorted.enumerated() {
      var incidents = boot.incidents.values.map(incident).sorted { a, b in
        (a.first ?? .max, a.kind) < (b.first ?? .max, b.kind)
      }
      let name = boot.bootID ?? (boot.synthetic ? "unknown" : boot.start.map(Timestamp.iso) ?? "boot-\(n + 1)")
      if boot.versions["os"] == nil,
        let os = Marker.os(boot.versions) ?? boot.facts["PRETTY_NAME"] ?? boot.identity.distro.flatMap(Identity.os)
      {
        boot.versions["os"] = os
      }
      let causes = correlator.rootCauses(
        incidents, boot: Correlator.BootFacts(start: boot.start, versions: boot.versions, facts: boot.facts),
        scratch: correlationScratch)
      for c in causes {
        let kinds = Set([c.cause] + c.symptoms.map { $0.kind })
        for i in incidents.indices where incidents[i].rootCause == nil && kinds.contains(incidents[i].kind) {
          incidents[i].rootCause = c.id
        }
      }
      let (stages, stageItems) = stageTimeline(boot)
      let report = BootReport(
        boot: name, start: boot.start, versions: boot.versions, facts: boot.facts,
        incidents: incidents, stages: stages, timeline: timeline(boot, incidents, extra: stageItems),
        rootCauses: causes)
      reports.append(FinishedBoot(host: host, report: report))
      summary.count(boot: report)
    }
    return reports
  }

  /// The boot's steps and incidents in time order, each with its offset from the boot's start.
  func timeline(_ boot: FinalBoot, _ incidents: [Incident], extra: [TimelineItem]) -> [TimelineEntry] {
    var items = Array(boot.events) + extra
    for i in incidents {
      let count = i.count > 1 ? " (×\(i.count))" : ""
      items.append(
        TimelineItem(
          time: i.first, kind: i.kind, summary: i.title + count,
          origin: i.firstOrigin ?? Origin(file: "", line: 0)))
    }
    items.sort { a, b in
      (a.time ?? Int64.max, a.origin.file, a.origin.line, a.kind, a.summary)
        < (b.time ?? Int64.max, b.origin.file, b.origin.line, b.kind, b.summary)
    }
    // The same step seen in several inputs (cloud-init.log, the journal, cloud-init-output.log) is one
    // step: keep its first origin.
    struct Key: Hashable {
      let time: Int64
      let kind: String
      let summary: String
    }
    var seen = Set<Key>()
    items = items.filter { item in
      guard let t = item.time else { return true }
      return seen.insert(Key(time: t, kind: item.kind, summary: item.summary)).inserted
    }
    var out: [TimelineEntry] = []
    if let start = boot.start, !boot.synthetic {
      out.append(
        TimelineEntry(
          offsetSeconds: 0, time: start, kind: "boot-start", summary: "kernel started", origin: nil))
    }
    for item in items {
      out.append(
        TimelineEntry(
          offsetSeconds: Analyzer.offset(item.time, from: boot.start), time: item.time,
          kind: item.kind,
          summary: item.summary, origin: item.origin.line > 0 ? item.origin : nil))
    }
    return out
  }

  /// The boot's cloud-init stages as `cloud-init analyze show` times them, and their timeline steps.
  func stageTimeline(_ boot: FinalBoot) -> ([StageReport], [TimelineItem]) {
    guard let seg = boot.stageSource, !seg.stageEvents.isEmpty else { return ([], []) }
    let file = inputs[seg.stream].name
    let timeline = StageTimeline(events: seg.stageEvents, anchors: seg.anchors)
    var items: [TimelineItem] = []
    func report(_ s: StageTimeline.Stage, depth: Int) -> StageReport {
      let result = s.result.map { " \($0)" } ?? (s.end == nil ? " (unfinished)" : "")
      let took = s.durationSeconds.map { " in " + TimeFormat.seconds($0) } ?? ""
      let kind = depth == 0 ? "cloud-init-stage" : "cloud-init-step"
      items.append(
        TimelineItem(
          time: s.start, kind: kind, summary: "\(s.name) started", origin: Origin(file: file, line: s.startLine)))
      if let end = s.end {
        items.append(
          TimelineItem(
            time: end, kind: kind, summary: "\(s.name) finished\(result)\(took)",
            origin: Origin(file: file, line: s.endLine ?? s.startLine)))
      }
      return StageReport(
        name: s.name, start: s.start, end: s.end,
        durationSeconds: s.durationSeconds.map { ($0 * 1_000_000).rounded() / 1_000_000 }, result: s.result,
        steps: s.children.map { report($0, depth: depth + 1) })
    }
    let stages = timeline.stages.map { report($0, depth: 0) }
    return (stages, items)
  }

  /// Seconds from `start` to `time`, rounded to the millisecond.
  static func offset(_ time: Int64?, from start: Int64?) -> Double? {
    guard let time, let start else { return nil }
    return Double((time - start) / 1000) / 1000
  }

  func incident(_ acc: Accumulator) -> Incident {
    let ruleIndexes = acc.rules.sorted { rules[$0].id < rules[$1].id }
    let primary = rules[
      acc.rules.max {
        rules[$0].severity < rules[$1].severity
          || rules[$0].severity == rules[$1].severity && rules[$0].id > rules[$1].id
      }!]
    return Incident(
      kind: acc.kind, rule: primary.id, rules: ruleIndexes.map { rules[$0].id }, title: primary.title,
      severity: ruleIndexes.map { rules[$0].severity }.max()!, source: primary.source,
      first: acc.first, last: acc.last, count: acc.count, captures: acc.captures,
      fix: Analyzer.fill(primary.fix, acc.captures), references: primary.references,
      evidence: acc.evidence.map(\.0).sorted { ($0.file, $0.line) < ($1.file, $1.line) }, family: primary.family,
      firstOrigin: acc.firstOrigin)
  }

  /// `{name}` placeholders replaced by captures; unknown names are left as they are.
  static func fill(_ template: String, _ captures: [String: String]) -> String {
    let t = Array(template.utf8)
    guard !captures.isEmpty, t.contains(0x7B) else { return template }
    var out: [UInt8] = []
    out.reserveCapacity(t.count + 64)
    var i = 0
    while i < t.count {
      if t[i] == 0x7B, let close = t[(i + 1)...].firstIndex(of: 0x7D), close - i < 80,
        let value = captures[String(decoding: t[(i + 1)..<close], as: UTF8.self)]
      {
        out.append(contentsOf: value.utf8)
        i = close + 1
        continue
      }
      out.append(t[i])
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

}
