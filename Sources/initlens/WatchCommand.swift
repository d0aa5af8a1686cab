import ArgumentParser
import Foundation
import InitLensKit

struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Follow a live log (journalctl -f) and report each incident and root cause as it is found.",
    usage: "initlens watch [<options>]",
    discussion: """
      Reads standard input as it is written:
        journalctl -f -o short-iso | initlens watch
        journalctl -f -o json | initlens watch --format ndjson \\
          --until-boot-complete --timeout 900

      Each incident is printed when its first line is read (and again if a later line raises its \
      severity, so its last line has the severity the report gives it); each root cause once its \
      chain's time window has closed (log time, moved on by the clock while the input is quiet), or \
      at the end. A boot keeps the id its first line was printed with. Hosts quiet for \
      --retire-after seconds of log time are finalised and dropped, so memory stays bounded however \
      long it runs.

      SIGINT (Ctrl-C) and SIGTERM end the input as its end would: the root causes still pending are \
      decided and printed, then the summary, and the exit status is the same; a second signal ends \
      at once.

      --until-boot-complete waits for cloud-init's final stage (modules-final) and, on a host that \
      has the ECS agent, for the agent to register or fail. A host has the agent when its lines \
      showed it: the ECS agent's or ecs-init's own lines, the ecs.service unit ("Amazon Elastic \
      Container Service"), or ecs.config. A host whose lines showed none of these is complete 5 s \
      (log time) after cloud-init's final stage (ecs.service starts right after it). Lines that \
      name no host (the agent's own log) count for the machine watched: its registration or failure \
      completes the boot.

      --report-json FILE writes the whole report (as --format json gives it) to FILE at the end, \
      beside the live output: `watch --format console --report-json boot.json` is what the \
      initlens-boot.service unit runs (docs/ON-INSTANCE.md).

      Exit status follows --fail-on; 124 when --timeout ended the wait for --until-boot-complete.
      """)

  @Option(help: "Output format.")
  var format: LiveFormatName = .text

  @Flag(
    help: """
      Exit once cloud-init's modules-final finished and, on a host whose lines showed the ECS agent, \
      the agent registered or failed.
      """)
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

  @Option(
    help: ArgumentHelp(
      "Also write the whole report as JSON (--format json) to this file at the end.", valueName: "file"),
    completion: .file())
  var reportJson: String?

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
    var stopped = false
    var complete = false
    var completeAt: Date?
    var sinkOptions = SinkOptions(to: nil)
    sinkOptions.failOn = failOn
    sinkOptions.note = { Output.error($0) }
    sinkOptions.ending = {
      complete ? "; boot complete" : timedOut ? "; timed out" : stopped ? "; stopped by a signal" : ""
    }
    let drive = AnalysisRun(live: ruleSet, options: options, into: format.format.makeLive!(sinkOptions))
    let analyzer = drive.analyzer
    let watch = drive.live!
    let started = Date()
    // After the analyzer is set up: a signal now ends the input, and the run finishes as at its end.
    let stop = System.catchStopSignals()
    var source = LiveByteSource(fd: 0, stop: stop) {
      watch.tick()
      if untilBootComplete { watch.checkCompletion() }
      if untilBootComplete && !watch.completeHosts.isEmpty {
        // Lines still on their way from another source (the agent's own log beside the journal).
        completeAt = completeAt ?? Date()
        complete = Date().timeIntervalSince(completeAt!) >= 1
        if complete { return true }
      }
      if let timeout, Date().timeIntervalSince(started) >= timeout {
        timedOut = true
        return true
      }
      return false
    }
    analyzer.analyzeLive(name: "<stdin>", source: &source)
    stopped = source.stopped
    let report = drive.finish()
    for d in analyzer.diagnostics { Output.error("initlens: \(d)") }
    // The live output first: a report file that cannot be written must not cost the verdict.
    try ending { try drive.end(report) }
    if let reportJson {
      try ending { try ReportFormat.named("json")!.make(SinkOptions(to: reportJson)).end(report) }
    }
    if ruleErrors || analyzer.diagnostics.contains(where: \.lostInput) { throw ExitCode(2) }
    if let failOn, let highest = report.summary.highestSeverity ?? drive.highestLive, highest >= failOn {
      throw ExitCode(1)
    }
    if untilBootComplete && timedOut { throw ExitCode(124) }
  }
}
