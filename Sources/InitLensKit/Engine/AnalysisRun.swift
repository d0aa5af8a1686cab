/// One run of the pipeline into a sink: the analyzer reads, the sink gets what is finished. The one
/// place the executable starts a run from.
public final class AnalysisRun {
  public let analyzer: Analyzer
  public let sink: ReportSink
  /// Live runs only: call its `tick` and `checkCompletion` while reading.
  public let live: LiveWatch?

  /// A run whose report the sink gets at the end. With `retireAfterMicros` and a sink that takes boots
  /// early, a host quiet that long (log time) is finished while reading and its boots go to `sink.boot`.
  public init(rules: RuleSet, options: AnalyzerOptions, into sink: ReportSink, retireAfterMicros: Int64? = nil) {
    var options = options
    if retireAfterMicros != nil && sink.takesBootsEarly { options.retireAfterMicros = retireAfterMicros }
    self.sink = sink
    analyzer = Analyzer(rules: rules, options: options)
    analyzer.sink = sink
    live = nil
  }

  /// A live run (`watch`): each incident and root cause goes to the sink as soon as it is known.
  public init(live rules: RuleSet, options: AnalyzerOptions, into sink: ReportSink) {
    self.sink = sink
    analyzer = Analyzer(rules: rules, options: options)
    live = LiveWatch(analyzer: analyzer, sink: sink)
  }

  /// The highest severity of the incidents handed to a live sink.
  public var highestLive: Severity? { live?.highestSeverity }

  /// The input ended: the report for `end` (a live run first hands over the root causes not yet handed).
  public func finish() -> Report {
    let report = analyzer.finish()
    live?.finish(report)
    return report
  }

  /// Ends the sink with the report.
  public func end(_ report: Report) throws { try sink.end(report) }
}
