/// Live analysis (`initlens watch`): each incident as soon as its first line is read, each root cause
/// once its chain's time window has closed (or every symptom it names is already there).
///
/// "Now" is the log's clock, moved on by the wall clock while the input is quiet, so a window closes
/// on time even when the instance logs nothing more. Quiet hosts are retired (their remaining root
/// causes are emitted, then their state is dropped), so memory stays bounded however long it runs.
public final class LiveWatch: ReportSink {
  let analyzer: Analyzer
  /// Where the live lines go: each incident and root cause as it is known, then the run's end.
  let out: ReportSink
  private var emitted: Set<String> = []
  /// Segments with new hits since the last look, and segments whose root causes wait for a window.
  private var dirty: Set<Int> = []
  private var waiting: Set<Int> = []
  private var logClock = Int64.min
  private var wallAtLogClock = LiveWatch.wallMicros()
  /// Hosts whose boot is complete: cloud-init's modules-final finished and, on a host that has the
  /// ECS agent, the agent registered or failed.
  public private(set) var completeHosts: Set<String> = []
  /// Hosts (as their lines name them, "" for lines that name none) whose lines showed the ECS agent.
  private var ecsHosts: Set<String> = []
  /// When a boot whose finish line had no time was first seen finished (log time), by segment.
  private var finishSeen: [Int: Int64] = [:]
  /// The host and boot each incident's first live line named (by kind and first time), so that a
  /// root cause decided from the final report names the boot as the live lines did.
  private var liveNames: [String: (host: String, boot: String)] = [:]
  /// How long (log time) a host without any sign of the ECS agent is watched after cloud-init's final
  /// stage before its boot is complete: ecs.service starts right after cloud-final.service.
  public static let agentGraceMicros: Int64 = 5_000_000
  /// The highest severity of the incidents handed over so far.
  public private(set) var highestSeverity: Severity? = nil

  /// Sets up `analyzer` (before any input is read) for live use: it hands its hits and retired boots
  /// here, and the live lines go on to `out`.
  public init(analyzer: Analyzer, sink out: ReportSink) {
    self.analyzer = analyzer
    self.out = out
    analyzer.sink = self
    analyzer.builder.live = self
  }

  var builder: BootBuilder { analyzer.builder }
  var assembler: BootAssembler { analyzer.assembler }

  /// A hit was folded into an incident of `segment`: look at it on the next tick.
  func changed(segment: Int) { dirty.insert(segment) }

  /// An incident's first hit, or a hit that raised its severity (it goes out again, at the new one).
  func opened(host: String, boot: String, _ incident: Incident) {
    if highestSeverity == nil || incident.severity > highestSeverity! { highestSeverity = incident.severity }
    if let first = incident.first { liveNames["\(incident.kind)\u{1}\(first)"] = (host, boot) }
    out.incident(host: host, boot: boot, incident)
  }

  // MARK: - ReportSink: what the analyzer finishes

  public var takesBootsEarly: Bool { true }

  /// A retired host's boot: its root causes not yet emitted.
  public func boot(host: String, _ boot: BootReport) {
    for cause in boot.rootCauses { emitOnce(host: host, boot: boot.boot, cause, incidents: boot.incidents) }
    for incident in boot.incidents {
      if let first = incident.first { liveNames["\(incident.kind)\u{1}\(first)"] = nil }
    }
  }

  /// The input ended: every root cause not yet emitted, then the end of the live output.
  public func end(_ report: Report) throws {
    finish(report)
    try out.end(report)
  }

  static func wallMicros() -> Int64 {
    System.wallMicros()
  }

  /// The log's time now: its latest stamp (of a line examined) plus the wall time since it was read.
  public var now: Int64? {
    let clock = builder.logClock
    if clock != logClock {
      logClock = clock
      wallAtLogClock = LiveWatch.wallMicros()
    }
    return logClock == Int64.min ? nil : logClock + (LiveWatch.wallMicros() - wallAtLogClock)
  }

  private func emitOnce(host: String, boot: String, _ cause: RootCause, incidents: [Incident]) {
    let start = incidents.first { $0.kind == cause.cause }?.first
    // Named as the live line of its cause's incident named it (the report may name the boot otherwise).
    let (host, boot) = start.flatMap { liveNames["\(cause.cause)\u{1}\($0)"] } ?? (host, boot)
    let first = start.map(String.init) ?? ""
    guard emitted.insert("\(host)\u{1}\(cause.id)\u{1}\(first)").inserted else { return }
    out.rootCause(host: host, boot: boot, cause)
  }

  /// Looks at the segments that changed: emits the root causes whose windows have closed and notes
  /// the hosts whose boot is complete.
  public func tick() {
    let now = self.now
    let look = dirty.union(waiting)
    dirty.removeAll()
    waiting.removeAll()
    for open in builder.openBoots(look.sorted().filter(builder.hasIncidents)) {
      let incidents = open.incidents
      for cause in assembler.correlator.rootCauses(incidents, boot: open.facts, scratch: assembler.scratch) {
        guard let rule = assembler.correlator.rules.first(where: { $0.id == cause.id }) else { continue }
        let start = incidents.first { $0.kind == cause.cause }?.first
        let seen = Set(cause.symptoms.map(\.kind))
        let closed =
          start == nil || now.map { $0 >= start! + Int64(rule.window * 1_000_000) } ?? false
          || Set(rule.symptoms).subtracting([rule.cause]).isSubset(of: seen)
        if closed {
          emitOnce(host: open.host, boot: open.boot, cause, incidents: incidents)
        } else {
          waiting.insert(open.segment)
        }
      }
    }
  }

  /// Notes the hosts whose boot is complete (looks at every live boot: few while watching).
  public func checkCompletion() {
    let now = self.now
    let boots = builder.openBoots()
    // The ECS agent's own log (/var/log/ecs/ecs-agent.log, read beside the journal) names no host:
    // its registration or failure is that of the machine watched.
    let agentDone = boots.contains { $0.hostKey == "" && Self.agentDone($0) }
    for open in boots where !completeHosts.contains(open.host) && isComplete(open, now: now, agentDone: agentDone) {
      completeHosts.insert(open.host)
    }
  }

  /// The agent registered or failed in this boot's lines.
  static func agentDone(_ open: OpenBoot) -> Bool {
    open.ecsRegistered
      || open.incidents.contains {
        $0.severity >= .error && ($0.source == .ecsAgent || $0.source == .ecsInit || $0.kind.hasPrefix("ecs"))
      }
  }

  /// Whether cloud-init's modules-final finished and, where the stream showed the ECS agent, the agent
  /// registered or failed. A host whose lines showed no sign of the agent (see `showsECSAgent`) is
  /// complete once `agentGraceMicros` of log time passed after cloud-init's final stage with none.
  /// `agentDone`: lines that name no host showed the agent registered or failed.
  func isComplete(_ open: OpenBoot, now: Int64?, agentDone: Bool = false) -> Bool {
    guard open.cloudInitFinished else { return false }
    if agentDone || Self.agentDone(open) { return true }
    if ecsHosts.contains(open.hostKey) || ecsHosts.contains("") { return false }
    guard let now else { return false }
    let finished = open.cloudInitFinishedAt ?? finishSeen[open.segment] ?? now
    finishSeen[open.segment] = finished
    return now >= finished + LiveWatch.agentGraceMicros
  }

  /// A line that shows the host has the ECS agent: the agent's or ecs-init's own lines, its unit
  /// (`ecs.service`, "Amazon Elastic Container Service"), or its configuration (`ecs.config`).
  static func showsECSAgent(_ line: UnsafeRawBufferPointer) -> Bool {
    ecsSigns.contains { line.contains($0) }
  }

  static let ecsSigns: [[UInt8]] = [
    "ecs.service", "ecs.config", "ecs-init", "ecs-agent", "Amazon Elastic Container Service", "Amazon ECS",
  ].map { Array($0.utf8) }

  /// A line showed the ECS agent; `host`: the host the line names, nil when it names none.
  func sawECSAgent(host: String?) { ecsHosts.insert(host ?? "") }

  /// Emits every root cause not yet emitted from the final report (the input ended).
  func finish(_ report: Report) {
    for host in report.hosts {
      for boot in host.boots {
        for cause in boot.rootCauses { emitOnce(host: host.host, boot: boot.boot, cause, incidents: boot.incidents) }
      }
    }
  }
}

/// A descriptor read as it is written to (a pipe): waits at most `interval` for data, calling `tick`
/// before each wait; `tick` returning true ends the input, and so does a stop asked on `stop` (the
/// read end of `System.catchStopSignals`' pipe: SIGINT or SIGTERM end the input as its end would).
public struct LiveByteSource: ByteSource {
  let fd: Int32
  let stop: Int32?
  let interval: Int32
  let tick: () -> Bool
  /// Whether a signal ended the input.
  public private(set) var stopped = false

  public init(fd: Int32, stop: Int32? = nil, intervalMilliseconds: Int32 = 200, tick: @escaping () -> Bool) {
    self.fd = fd
    self.stop = stop
    self.interval = intervalMilliseconds
    self.tick = tick
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      if stopped || tick() { return 0 }
      if let stop {
        guard let (input, stopAsked) = System.waitReadable(fd, or: stop, milliseconds: interval) else { continue }
        if stopAsked {
          stopped = true
          return 0
        }
        if !input { continue }
      } else {
        let ready = System.waitReadable(fd, milliseconds: interval)
        if ready <= 0 { continue }
      }
      let n = System.read(fd, into: buffer)
      if n < 0 {
        if System.lastError == System.interrupted || System.lastError == System.wouldBlock { continue }
        throw InputError.errno("read failed", System.lastError)
      }
      return n
    }
  }
}
