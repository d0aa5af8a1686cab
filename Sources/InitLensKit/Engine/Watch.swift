/// Live analysis (`initlens watch`): each incident as soon as its first line is read, each root cause
/// once its chain's time window has closed (or every symptom it names is already there).
///
/// "Now" is the log's clock, moved on by the wall clock while the input is quiet, so a window closes
/// on time even when the instance logs nothing more. Quiet hosts are retired (their remaining root
/// causes are emitted, then their state is dropped), so memory stays bounded however long it runs.
public final class LiveWatch {
  public enum Event {
    case incident(host: String, boot: String, Incident)
    case rootCause(host: String, boot: String, RootCause)
  }

  let analyzer: Analyzer
  let emit: (Event) -> Void
  private var emitted: Set<String> = []
  /// Segments with new hits since the last look, and segments whose root causes wait for a window.
  private var dirty: Set<Int> = []
  private var waiting: Set<Int> = []
  private var logClock = Int64.min
  private var wallAtLogClock = LiveWatch.wallMicros()
  /// Hosts whose boot is complete: cloud-init's modules-final finished and the ECS agent registered
  /// or failed.
  public private(set) var completeHosts: Set<String> = []

  /// Sets up `analyzer` (before any input is read) for live use.
  public init(analyzer: Analyzer, emit: @escaping (Event) -> Void) {
    self.analyzer = analyzer
    self.emit = emit
    analyzer.onFold = { [unowned self] seg, acc, isNew in
      dirty.insert(seg.id)
      if isNew {
        let (host, boot) = names(seg)
        emit(.incident(host: host, boot: boot, analyzer.incident(acc)))
      }
    }
    analyzer.onRetire = { [unowned self] boot in
      for cause in boot.report.rootCauses {
        emitOnce(host: boot.host, boot: boot.report.boot, cause, incidents: boot.report.incidents)
      }
    }
  }

  static func wallMicros() -> Int64 {
    System.wallMicros()
  }

  /// The log's time now: its latest stamp (of a line examined) plus the wall time since it was read.
  public var now: Int64? {
    let clock = analyzer.retired.clock
    if clock != logClock {
      logClock = clock
      wallAtLogClock = LiveWatch.wallMicros()
    }
    return logClock == Int64.min ? nil : logClock + (LiveWatch.wallMicros() - wallAtLogClock)
  }

  func names(_ seg: Segment) -> (host: String, boot: String) {
    let host = analyzer.redactor.redact(seg.host ?? analyzer.defaultHost)
    let boot = seg.bootID ?? seg.start.map(Timestamp.iso) ?? "unknown"
    return (host, boot)
  }

  private func emitOnce(host: String, boot: String, _ cause: RootCause, incidents: [Incident]) {
    let first = incidents.first { $0.kind == cause.cause }?.first ?? ""
    guard emitted.insert("\(host)\u{1}\(cause.id)\u{1}\(first)").inserted else { return }
    emit(.rootCause(host: host, boot: boot, cause))
  }

  /// Looks at the segments that changed: emits the root causes whose windows have closed and notes
  /// the hosts whose boot is complete.
  public func tick() {
    let now = self.now
    let look = dirty.union(waiting)
    dirty.removeAll()
    waiting.removeAll()
    for id in look.sorted() {
      guard let seg = analyzer.segments[id], let byKind = analyzer.accumulators[id] else { continue }
      let incidents = byKind.keys.sorted().map { analyzer.incident(byKind[$0]!) }
      let (host, boot) = names(seg)
      let facts = Correlator.BootFacts(start: seg.start, versions: seg.versions, facts: [:])
      for cause in analyzer.correlator.rootCauses(incidents, boot: facts, scratch: analyzer.correlationScratch) {
        guard let rule = analyzer.correlator.rules.first(where: { $0.id == cause.id }) else { continue }
        let start = incidents.first { $0.kind == cause.cause }?.firstMicros
        let seen = Set(cause.symptoms.map(\.kind))
        let closed =
          start == nil || now.map { $0 >= start! + Int64(rule.window * 1_000_000) } ?? false
          || Set(rule.symptoms).subtracting([rule.cause]).isSubset(of: seen)
        if closed {
          emitOnce(host: host, boot: boot, cause, incidents: incidents)
        } else {
          waiting.insert(id)
        }
      }
    }
  }

  /// Notes the hosts whose boot is complete (looks at every live segment: few while watching).
  public func checkCompletion() {
    for seg in analyzer.segments.values where !completeHosts.contains(names(seg).host) {
      let incidents = (analyzer.accumulators[seg.id] ?? [:]).values.map { analyzer.incident($0) }
      if isComplete(seg, incidents) { completeHosts.insert(names(seg).host) }
    }
  }

  /// Whether cloud-init's modules-final finished and the ECS agent registered or failed.
  func isComplete(_ seg: Segment, _ incidents: [Incident]) -> Bool {
    // cloud-init.log has modules-final's finish event; the journal has cloud-init's "finished at" line.
    let final =
      seg.stageEvents.contains { $0.type == .finish && $0.name == "modules-final" }
      || seg.events.contains { $0.kind == "cloud-init-finished" }
    let registered = seg.events.contains { $0.kind == "ecs-registered" }
    let failed = incidents.contains {
      $0.severity >= .error && ($0.source == .ecsAgent || $0.source == .ecsInit || $0.kind.hasPrefix("ecs"))
    }
    return final && (registered || failed)
  }

  /// Emits every root cause not yet emitted from the final report (the input ended).
  public func finish(_ report: Report) {
    for host in report.hosts {
      for boot in host.boots {
        for cause in boot.rootCauses { emitOnce(host: host.host, boot: boot.boot, cause, incidents: boot.incidents) }
      }
    }
  }
}

/// A descriptor read as it is written to (a pipe): waits at most `interval` for data, calling `tick`
/// before each wait; `tick` returning true ends the input.
public struct LiveByteSource: ByteSource {
  let fd: Int32
  let interval: Int32
  let tick: () -> Bool

  public init(fd: Int32, intervalMilliseconds: Int32 = 200, tick: @escaping () -> Bool) {
    self.fd = fd
    self.interval = intervalMilliseconds
    self.tick = tick
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      if tick() { return 0 }
      let ready = System.waitReadable(fd, milliseconds: interval)
      if ready < 0 && System.lastError == System.interrupted { continue }
      if ready == 0 { continue }
      let n = System.read(fd, into: buffer)
      if n < 0 {
        if System.lastError == System.interrupted || System.lastError == System.wouldBlock { continue }
        throw InputError.errno("read failed", System.lastError)
      }
      return n
    }
  }
}
