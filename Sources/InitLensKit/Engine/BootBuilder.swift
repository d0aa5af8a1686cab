/// The boot builder: owns hosts, boots and segments. Folds the examiner's hits into incidents per
/// segment, keeps what cannot be placed yet (hits, versions and steps of lines before any boot marker),
/// and, when the run ends or a host goes quiet (`retire`), merges segments into boots (`BootMerge.swift`)
/// and hands them to the `BootAssembler`, whose finished boots go to the sink.
final class BootBuilder {
  let rules: [Rule]
  let options: AnalyzerOptions
  let redactor: Redactor
  let assembler: BootAssembler
  var segments: [Int: Segment] = [:]
  var nextSegmentID = 0
  var accumulators: [Int: [String: Accumulator]] = [:]  // segment → kind → folded hits
  var pending: [PendingHit] = []
  var pendingVersions: [(segment: Int, time: Int64?, key: String, value: String)] = []
  var pendingEvents: [(segment: Int, item: TimelineItem)] = []
  /// Settings read from configuration inputs (ecs.config), by host ("" when the input names none).
  var configFacts: [String: [String: String]] = [:]
  /// Hosts finalised while reading (`retireAfterMicros`), and the clock that decides it.
  let retired = RetiredState()
  /// Warning lines no rule knows, mined into templates (the report's `unmatched`).
  let unmatched = UnmatchedState()
  /// Where boots of retired hosts go (when it takes boots early); without one no host is retired.
  var sink: ReportSink? = nil
  /// Live analysis (`watch`): told of every hit folded into an incident of an anchored segment.
  weak var live: LiveWatch? = nil {
    didSet { watching = live != nil }
  }
  /// Whether a `LiveWatch` is told (a plain flag: cheaper per line than loading the weak reference).
  private(set) var watching = false
  /// The host and boot each segment's live lines named it by (`names`), by segment.
  var liveNames: [Int: (host: String, boot: String)] = [:]

  init(rules: [Rule], options: AnalyzerOptions, redactor: Redactor, assembler: BootAssembler) {
    self.rules = rules
    self.options = options
    self.redactor = redactor
    self.assembler = assembler
  }

  /// Whether quiet hosts are finalised while reading.
  var retires: Bool { options.retireAfterMicros != nil && sink?.takesBootsEarly == true }

  /// The segment a line with a header belongs to, opening a new one at a boot boundary.
  func segment(for parsed: inout ParsedLine, message: UnsafeRawBufferPointer, stream: inout InputStream) -> Int {
    let hostKey = parsed.host ?? ""
    if let boot = parsed.bootID {
      let key = hostKey + "\u{1}" + boot
      if let id = stream.jsonSegments[key] { return id }
      let id = newSegment(stream, host: parsed.host, bootID: boot, anchored: true, order: -1, time: parsed.time)
      stream.jsonSegments[key] = id
      return id
    }
    let order = Marker.bootOrder(message, parsed: parsed)
    if let id = stream.current[hostKey] {
      let seg = segments[id]!
      guard let order else { return id }
      if seg.bootID != nil || seg.anchored && seg.markerOrder < order
        || seg.anchored && order == Marker.journalOrder && seg.markerOrder == Marker.journalOrder
      {
        if seg.markerOrder < order {
          seg.markerOrder = order
          if seg.markerTime == nil { seg.markerTime = parsed.time }
        }
        return id
      }
    } else if case .some(let boot) = stream.separatorBoot {
      // After a journalctl "-- Boot … --" separator, every host's lines start a new boot.
      let id = newSegment(
        stream, host: parsed.host, bootID: boot, anchored: true, order: order ?? -1, time: parsed.time)
      stream.current[hostKey] = id
      return id
    }
    let id = newSegment(
      stream, host: parsed.host, bootID: nil, anchored: order != nil || options.anchorEverySegment, order: order ?? -1,
      time: order != nil ? parsed.time : nil)
    stream.current[hostKey] = id
    return id
  }

  func newSegment(_ stream: InputStream, host: String?, bootID: String?, anchored: Bool, order: Int, time: Int64?)
    -> Int
  {
    let seg = Segment(
      id: nextSegmentID, stream: stream.index, host: host, bootID: bootID, anchored: anchored, markerOrder: order,
      markerTime: time)
    nextSegmentID += 1
    segments[seg.id] = seg
    return seg.id
  }

  func noteTimes(_ seg: Segment, parsed: ParsedLine, message: UnsafeRawBufferPointer) {
    guard let t = parsed.time else { return }
    // The time of the segment's first line that has one: lines the fast path passes over (same host,
    // later in the segment) cannot change it.
    if seg.firstTime == nil { seg.firstTime = t }
    let mono = Marker.uptime(message) ?? parsed.monotonic
    if let mono, mono >= 0, mono < 10 * 365 * 86400 {
      let ks = t - Int64(mono * 1_000_000)
      if seg.kernelStart == nil || ks < seg.kernelStart! { seg.kernelStart = ks }
    }
  }

  func fold(_ hit: Classifier.Hit, segment seg: Segment, time: Int64?, evidence: Evidence, dedupe: Int?) {
    if seg.anchored {
      let kind = rules[hit.rule].kind
      let existing = accumulators[seg.id]?[kind]
      let acc = existing ?? Accumulator(kind: kind)
      accumulators[seg.id, default: [:]][kind] = acc
      // Live: a hit of a rule of a higher severity raises the incident (as the report will).
      let before = live == nil ? nil : existing.map(severity(of:))
      acc.add(
        rule: hit.rule, time: time, captures: hit.captures, evidence: evidence, dedupe: dedupe,
        maxEvidence: options.maxEvidence)
      if let live {
        live.changed(segment: seg.id)
        if before.map({ severity(of: acc) > $0 }) ?? true {
          let (host, boot) = names(seg)
          live.opened(host: host, boot: boot, assembler.incident(acc))
        }
      }
    } else {
      pending.append(
        PendingHit(
          segment: seg.id, rule: hit.rule, time: time, captures: hit.captures, evidence: evidence, dedupe: dedupe))
    }
  }

  /// An incident's severity: the highest of the rules that matched it (`BootAssembler.incident`).
  func severity(of acc: Accumulator) -> Severity { acc.rules.map { rules[$0].severity }.max() ?? .info }

  /// Captures of a continuation line, added to what the incident of `rule` in `seg` does not have yet.
  func addCaptures(_ captures: [String: String], rule: Int, segment seg: Segment) {
    if seg.anchored {
      guard let acc = accumulators[seg.id]?[rules[rule].kind] else { return }
      for (k, v) in captures where acc.captures[k] == nil { acc.captures[k] = v }
    } else if let i = pending.lastIndex(where: { $0.segment == seg.id && $0.rule == rule }) {
      for (k, v) in captures where pending[i].captures[k] == nil { pending[i].captures[k] = v }
    }
  }

  func note(event hit: Classifier.Hit, segment seg: Segment, time: Int64?, origin: Origin) {
    let rule = rules[hit.rule]
    let item = TimelineItem(
      time: time, kind: rule.kind, summary: Placeholders.fill(rule.summary ?? rule.title, hit.captures), origin: origin
    )
    if seg.anchored {
      if seg.events.count < Segment.maxEvents { seg.events.append(item) }
    } else if pendingEvents.count < 100_000 {
      pendingEvents.append((seg.id, item))
    }
  }
}
