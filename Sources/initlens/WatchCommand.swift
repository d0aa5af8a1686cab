import ArgumentParser
import Foundation
import InitLensKit

struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Follow a live log (journalctl -f) and report each incident and root cause as it is found.",
    discussion: """
      Reads standard input as it is written:
        journalctl -f -o short-iso | initlens watch
        journalctl -f -o json | initlens watch --format ndjson --until-boot-complete --timeout 900

      Each incident is printed when its first line is read; each root cause once its chain's time
      window has closed (log time, moved on by the clock while the input is quiet), or at the end.
      Hosts quiet for --retire-after seconds of log time are finalised and dropped, so memory stays
      bounded however long it runs. Exit status follows --fail-on; 124 when --timeout ended the wait
      for --until-boot-complete.
      """)

  @Option(help: "Output format.")
  var format: LiveFormatName = .text

  @Flag(help: "Exit once cloud-init's modules-final finished and the ECS agent registered or failed.")
  var untilBootComplete = false

  @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "seconds"))
  var timeout: Double?

  @Option(
    help: ArgumentHelp("Exit with status 1 when an incident at or above this severity was seen.", valueName: "severity")
  )
  var failOn: Severity?

  @Option(
    help: ArgumentHelp("Finalise a host after this many seconds of log time without a line.", valueName: "seconds"))
  var retireAfter: Double = 1800

  @Option(help: "Force the input line format instead of detecting it per line.")
  var inputFormat: InputFormat = .auto

  @OptionGroup var redaction: RedactionOptions
  @OptionGroup var rules: RuleOptions

  func validate() throws {
    if let timeout, timeout <= 0 { throw ValidationError("--timeout must be more than 0") }
    if retireAfter <= 0 { throw ValidationError("--retire-after must be more than 0") }
  }

  func run() throws {
    let (ruleSet, ruleErrors) = try rules.load()
    var options = AnalyzerOptions()
    options.inputFormat = inputFormat
    options.anchorEverySegment = true
    options.retireAfterMicros = Int64(retireAfter * 1_000_000)
    options.fallbackYear = Timestamp.components(Int64(time(nil)) * 1_000_000).0
    redaction.apply(&options)
    var timedOut = false
    var complete = false
    var sinkOptions = SinkOptions(to: nil)
    sinkOptions.failOn = failOn
    sinkOptions.note = { Output.error($0) }
    sinkOptions.ending = { complete ? "; boot complete" : timedOut ? "; timed out" : "" }
    let drive = AnalysisRun(live: ruleSet, options: options, into: format.format.makeLive!(sinkOptions))
    let analyzer = drive.analyzer
    let watch = drive.live!
    let started = Date()
    var source = LiveByteSource(fd: 0) {
      watch.tick()
      if untilBootComplete { watch.checkCompletion() }
      if untilBootComplete && !watch.completeHosts.isEmpty {
        complete = true
        return true
      }
      if let timeout, Date().timeIntervalSince(started) >= timeout {
        timedOut = true
        return true
      }
      return false
    }
    analyzer.analyzeLive(name: "<stdin>", source: &source)
    let report = drive.finish()
    for d in analyzer.diagnostics { Output.error("initlens: \(d)") }
    try ending { try drive.end(report) }
    if ruleErrors || analyzer.diagnostics.contains(where: \.lostInput) { throw ExitCode(2) }
    if let failOn, let highest = report.summary.highestSeverity ?? drive.highestLive, highest >= failOn {
      throw ExitCode(1)
    }
    if untilBootComplete && timedOut { throw ExitCode(124) }
  }
}
