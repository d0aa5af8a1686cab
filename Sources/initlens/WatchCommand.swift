import ArgumentParser
import Foundation
import InitLensKit

enum WatchFormat: String, ExpressibleByArgument, CaseIterable {
  case text, ndjson
}

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

  @Option(help: "Output format: text (one line per incident or root cause) or ndjson.")
  var format: WatchFormat = .text

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
    let analyzer = Analyzer(rules: ruleSet, options: options)
    var highest: Severity? = nil
    let text = format == .text
    let watch = LiveWatch(analyzer: analyzer) { event in
      switch event {
      case .incident(let host, let boot, let incident):
        if highest == nil || incident.severity > highest! { highest = incident.severity }
        Output.write(
          (text
            ? WatchCommand.line(incident, host: host) : NDJSONRenderer.line(incident: incident, host: host, boot: boot))
            + "\n")
      case .rootCause(let host, let boot, let cause):
        Output.write(
          (text ? WatchCommand.line(cause, host: host) : NDJSONRenderer.line(rootCause: cause, host: host, boot: boot))
            + "\n")
      }
    }
    let started = Date()
    var timedOut = false
    var complete = false
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
    let report = analyzer.finish()
    watch.finish(report)
    for d in analyzer.diagnostics { Output.error("initlens: \(d)") }
    if text {
      let s = report.summary
      Output.error(
        "initlens watch: \(s.linesRead) lines (\(s.linesMatched) matched, \(s.linesUnmatched) unmatched, \(s.linesSkipped) skipped), \(s.incidents) incidents, \(s.rootCauses) root causes"
          + (complete ? "; boot complete" : timedOut ? "; timed out" : ""))
    } else {
      Output.write(NDJSONRenderer.line(summary: report.summary) + "\n")
    }
    if ruleErrors || analyzer.diagnostics.contains(where: \.lostInput) { throw ExitCode(2) }
    if let failOn, let highest = report.summary.highestSeverity ?? highest, highest >= failOn { throw ExitCode(1) }
    if untilBootComplete && timedOut { throw ExitCode(124) }
  }

  static func line(_ i: Incident, host: String) -> String {
    let at = i.evidence.first.map { " (\($0.file):\($0.line))" } ?? ""
    return TextRenderer.terminalSafe(
      "\(i.first.map(Timestamp.iso) ?? "-") \(host) \(i.severity.rawValue.uppercased()) \(i.kindAndFamily): \(i.title)\(at)"
    )
  }

  static func line(_ c: RootCause, host: String) -> String {
    let fix = c.fixes.first.map { " Fix: \($0)" } ?? ""
    return TextRenderer.terminalSafe("ROOT CAUSE \(host) \(c.id): \(c.summary)\(fix)")
  }
}
