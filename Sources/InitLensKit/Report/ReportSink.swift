/// Where a run's results go. Every output is a sink: the formats of `ReportFormat.all` (text, JSON
/// with its spill that keeps boots handed over early on disk, NDJSON, HTML, SARIF, JUnit, markdown)
/// and their live forms for `watch`. A fleet's reports and a merge's shards reach a sink through
/// `CombineSink`. Today `SinkDrive` adapts the engine's hooks to this protocol.
///
/// The engine hands over what it has finished, in this order:
/// - `incident` / `rootCause`: live only (`watch`), as soon as they are known;
/// - `boot`: a boot finished while reading (its host went quiet and was retired, or a live tick);
/// - `end`: the report of the run, holding everything not already handed over by `boot`.
///
/// A sink writes nothing before `end` unless it is live; `end` is called exactly once.
public protocol ReportSink: AnyObject {
  /// A live incident: its first line was just read.
  func incident(host: String, boot: String, _ incident: Incident)
  /// A live root cause: its chain's time window closed.
  func rootCause(host: String, boot: String, _ cause: RootCause)
  /// A boot finished before the end of the run.
  func boot(host: String, _ boot: BootReport)
  /// The end of the run: the rest of the report (hosts whose boots went to `boot` are not in it, or
  /// hold only the boots they showed later).
  func end(_ report: Report) throws
  /// Whether the engine may finish quiet hosts while reading and hand their boots to `boot` (memory
  /// then stays flat however many hosts an input holds). False: everything arrives in `end`. Asked
  /// once, before any input is read, and only for an input that may retire hosts (one stream).
  var takesBootsEarly: Bool { get }
}

extension ReportSink {
  public func incident(host: String, boot: String, _ incident: Incident) {}
  public func rootCause(host: String, boot: String, _ cause: RootCause) {}
  public var takesBootsEarly: Bool { false }
}

/// A boot as reported, with its host.
public struct FinishedBoot: Sendable {
  public let host: String
  public let report: BootReport
  public init(host: String, report: BootReport) {
    self.host = host
    self.report = report
  }
}
