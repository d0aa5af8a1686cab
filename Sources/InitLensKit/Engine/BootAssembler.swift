import PCRE2Kit

/// Turns a merged boot into its report: incidents from the folded hits, root causes from the
/// correlator, cloud-init stages as `cloud-init analyze` times them, and the timeline.
final class BootAssembler {
  let rules: [Rule]
  let options: AnalyzerOptions
  let correlator: Correlator
  let tally: RunTally
  /// Match memory for the chains' capture conditions, reused for every boot.
  lazy var scratch = MatchScratch(maxCaptures: 8)

  init(rules: [Rule], options: AnalyzerOptions, correlator: Correlator, tally: RunTally) {
    self.rules = rules
    self.options = options
    self.correlator = correlator
    self.tally = tally
  }

  /// One host's boots as reported, in the order they ran; counts them into `summary` (not its `hosts`).
  func reports(host: String, _ sorted: [BootBuilder.FinalBoot], summary: inout Summary) -> [FinishedBoot] {
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
        scratch: scratch)
      for c in causes {
        let kinds = Set([c.cause] + c.symptoms.map { $0.kind })
        for i in incidents.indices where incidents[i].rootCause == nil && kinds.contains(incidents[i].kind) {
          incidents[i].rootCause = c.id
        }
      }
      let (stages, stageItems) = stageTimeline(boot)
      var report = BootReport(
        boot: name, start: boot.start, versions: boot.versions, facts: boot.facts,
        incidents: incidents, stages: stages, timeline: timeline(boot, incidents, extra: stageItems),
        rootCauses: causes)
      let names = boot.hostnames.subtracting([host]).sorted()
      if !names.isEmpty { report.hostname = names.joined(separator: ", ") }
      reports.append(FinishedBoot(host: host, report: report))
      summary.count(boot: report)
    }
    return reports
  }

  /// The boot's steps and incidents in time order, each with its offset from the boot's start.
  func timeline(_ boot: BootBuilder.FinalBoot, _ incidents: [Incident], extra: [TimelineItem]) -> [TimelineEntry] {
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
          offsetSeconds: TimeFormat.offsetSeconds(item.time, from: boot.start), time: item.time,
          kind: item.kind,
          summary: item.summary, origin: item.origin.line > 0 ? item.origin : nil))
    }
    return out
  }

  /// The boot's cloud-init stages as `cloud-init analyze show` times them, and their timeline steps.
  func stageTimeline(_ boot: BootBuilder.FinalBoot) -> ([StageReport], [TimelineItem]) {
    guard let seg = boot.stageSource, !seg.stageEvents.isEmpty else { return ([], []) }
    let file = tally.inputs[seg.stream].name
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
      fix: Placeholders.fill(primary.fix, acc.captures), references: primary.references,
      evidence: acc.evidence.map(\.0).sorted { ($0.file, $0.line) < ($1.file, $1.line) }, family: primary.family,
      firstOrigin: acc.firstOrigin)
  }

}
