import ArgumentParser
import Foundation
import InitLensKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, ndjson
}

extension Output {
  /// One compact JSON object per line, keys sorted.
  static func ndjson<T: Encodable>(_ items: [T]) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var out = ""
    for item in items {
      guard let data = try? encoder.encode(item) else { continue }
      out += String(decoding: data, as: UTF8.self) + "\n"
    }
    write(out)
  }
}

extension ReportFormat {
  /// Writes a report to `path` or stdout in this format; JSON to stdout is streamed. `failOn` is the
  /// threshold of a failed JUnit test case (default `error`).
  /// `threads`: how many threads may render a big JSON report.
  /// `evidenceLines`: evidence shown per incident in text (`--evidence`; default 3).
  func write(
    _ report: Report, to path: String?, color: Bool, failOn: Severity? = nil, threads: Int = 1,
    evidenceLines: Int? = nil
  ) throws {
    // JSON and NDJSON are streamed (to stdout or the file); the other formats are rendered whole.
    let text: String
    switch self {
    case .json:
      return try Output.stream(to: path) { sink in JSONRenderer.stream(report, threads: threads, to: sink) }
    case .ndjson:
      return try Output.stream(to: path) { sink in
        var buffer: [UInt8] = []
        NDJSONRenderer.write(report) { line in
          buffer += line.utf8
          buffer.append(0x0A)
          if buffer.count >= 1 << 16 {
            buffer.withUnsafeBytes(sink)
            buffer.removeAll(keepingCapacity: true)
          }
        }
        buffer.withUnsafeBytes(sink)
      }
    case .sarif: text = SARIFRenderer(toolVersion: InitLensVersion.string).render(report)
    case .junit: text = JUnitRenderer(failOn: failOn ?? .error).render(report)
    case .html: text = HTMLRenderer().render(report)
    case .text:
      text = FleetTextRenderer(color: color && path == nil, evidenceLines: evidenceLines ?? 3).render(report)
    }
    try Output.write(text, to: path)
  }
}

extension Severity: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}

struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Analyse log files (or standard input) and report incidents per host and boot.")

  @Argument(
    help:
      "Log files: cloud-init.log, cloud-init-output.log, ecs-agent.log, ecs-init.log, journalctl output, /var/log/messages, console output; .gz works too. None: standard input."
  )
  var files: [String] = []

  @Option(help: "Output format: text, json, html, ndjson (one JSON object per line), sarif (SARIF 2.1.0), junit.")
  var format: ReportFormat = .text

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"))
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Exit with status 1 when an incident at or above this severity is found (also the threshold of a failed --format junit test case, default error).",
      valueName: "severity")
  )
  var failOn: Severity?

  @Option(help: "Force the input line format instead of detecting it per line.")
  var inputFormat: InputFormat = .auto

  @Option(
    help:
      "Year for year-less syslog timestamps (default: a dated line in the input, else the file's modification year).")
  var year: Int?

  @Option(help: "Evidence lines kept per incident (default 5) and shown in the text report (default 3).")
  var evidence: Int?

  @Flag(help: .hidden)
  var noPrefilter = false

  @OptionGroup var redaction: RedactionOptions

  @Flag(
    help:
      "After the report, print per rule on stderr: lines that reached its pattern, matches, limit hits, and its share of the matching time."
  )
  var profileRules = false

  @OptionGroup var rules: RuleOptions

  func validate() throws {
    if let year, !(1970...2200).contains(year) { throw ValidationError("--year must be a four-digit year") }
    if let evidence, evidence < 0 { throw ValidationError("--evidence must be 0 or more") }
  }

  func run() throws {
    if files.isEmpty && Output.stdinIsTerminal {
      Output.error(Initlens.helpMessage())
      throw ExitCode(64)
    }
    let (ruleSet, ruleErrors) = try rules.load()
    var options = AnalyzerOptions()
    options.year = year
    options.inputFormat = inputFormat
    options.maxEvidence = evidence ?? 5
    options.usePrefilter = !noPrefilter
    options.profileRules = profileRules
    redaction.apply(&options)
    options.fallbackYear = Timestamp.components(Int64(time(nil)) * 1_000_000).0
    // One stream (a journal of many instances) as JSON: hosts quiet for an hour of log time are
    // finalised while reading and their boots kept on disk, so memory stays flat.
    let spill = format == .json && files.count <= 1 ? BootSpill() : nil
    if spill != nil { options.retireAfterMicros = 3600 * 1_000_000 }
    let analyzer = Analyzer(rules: ruleSet, options: options)
    if let spill { analyzer.sink = SpillSink(spill) }
    if files.isEmpty {
      analyzer.analyzeStdin()
    } else {
      for file in files {
        if file == "-" { analyzer.analyzeStdin() } else { analyzer.analyzeFile(path: file) }
      }
    }
    let report = analyzer.finish()
    for d in analyzer.diagnostics { Output.error("initlens: \(d)") }
    if let spill, !spill.isEmpty {
      try Output.stream(to: output) { sink in spill.stream(report, to: sink) }
      if let error = spill.error {
        Output.error("initlens: \(error)")
        throw ExitCode(2)
      }
    } else {
      try format.write(report, to: output, color: Output.colorWanted, failOn: failOn, evidenceLines: evidence)
    }
    if profileRules { Output.error(Analyze.profileTable(analyzer.ruleProfile, linesRead: report.summary.linesRead)) }
    if ruleErrors || analyzer.diagnostics.contains(where: \.lostInput) { throw ExitCode(2) }
    if let failOn, let highest = report.summary.highestSeverity, highest >= failOn { throw ExitCode(1) }
  }
}

extension Analyze {
  static func profileTable(_ profile: [Analyzer.RuleProfile], linesRead: Int) -> String {
    let total = max(1, profile.reduce(0) { $0 + $1.nanoseconds })
    let width = max(4, profile.map(\.rule.count).max() ?? 0)
    var out = "RULE".pad(width) + "  CANDIDATES     MATCHES  LIMIT   TIME%   TIME(ms)\n"
    for p in profile {
      let share = Double(p.nanoseconds) * 100 / Double(total)
      out +=
        p.rule.pad(width) + "  " + String(p.candidates).leftPad(10) + "  " + String(p.matches).leftPad(10) + "  "
        + String(p.limitHits).leftPad(5) + "  " + String(format: "%5.1f", share).leftPad(6) + "  "
        + String(format: "%9.3f", Double(p.nanoseconds) / 1e6) + "\n"
    }
    out += "\(linesRead) lines read; candidates are lines that passed the source filter and the literal prefilter\n"
    return out
  }
}

extension String {
  func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

/// Boots of hosts retired while reading, kept in the spill until the report is written.
final class SpillSink: ReportSink {
  let spill: BootSpill
  init(_ spill: BootSpill) { self.spill = spill }
  var takesBootsEarly: Bool { true }
  func boot(host: String, _ boot: BootReport) { spill.add(FinishedBoot(host: host, report: boot)) }
  func end(_ report: Report) throws {}
}
