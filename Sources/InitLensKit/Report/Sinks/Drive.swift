/// The engine's hooks of today driving a sink, in this one place until the engine calls the sink
/// itself: `Analyzer.onRetire` → `boot`, `LiveWatch`'s events → `incident` / `rootCause`,
/// `Analyzer.finish` → the report for `end`.
public final class SinkDrive {
  public let analyzer: Analyzer
  public let sink: ReportSink
  /// Live runs only: call its `tick` and `checkCompletion` while reading.
  public let live: LiveWatch?
  /// The highest severity of the incidents handed to a live sink.
  public private(set) var highestLive: Severity?

  /// A run whose report the sink gets at the end. With `retireAfterMicros`, and a sink that takes
  /// boots early, a host quiet that long (log time) is finished while reading and its boots go to
  /// `sink.boot`.
  public init(rules: RuleSet, options: AnalyzerOptions, into sink: ReportSink, retireAfterMicros: Int64? = nil) {
    var options = options
    let early = retireAfterMicros != nil && sink.takesBootsEarly
    if early { options.retireAfterMicros = retireAfterMicros }
    self.sink = sink
    analyzer = Analyzer(rules: rules, options: options)
    if early { analyzer.onRetire = { sink.boot(host: $0.host, $0.report) } }
    live = nil
  }

  /// A live run (`watch`): each incident and root cause goes to the sink as soon as it is known.
  public init(live rules: RuleSet, options: AnalyzerOptions, into sink: ReportSink) {
    self.sink = sink
    analyzer = Analyzer(rules: rules, options: options)
    var highest: Severity? = nil
    live = LiveWatch(analyzer: analyzer) { event in
      switch event {
      case .incident(let host, let boot, let incident):
        if highest == nil || incident.severity > highest! { highest = incident.severity }
        sink.incident(host: host, boot: boot, incident)
      case .rootCause(let host, let boot, let cause):
        sink.rootCause(host: host, boot: boot, cause)
      }
    }
    highestOfLive = { highest }
  }

  private var highestOfLive: () -> Severity? = { nil }

  /// The input ended: the report for `end` (a live run first hands the root causes not yet handed).
  public func finish() -> Report {
    let report = analyzer.finish()
    live?.finish(report)
    highestLive = highestOfLive()
    return report
  }

  /// Ends the sink with the report.
  public func end(_ report: Report) throws { try sink.end(report) }
}
