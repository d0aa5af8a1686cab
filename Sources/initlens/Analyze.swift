import ArgumentParser
import Foundation
import InitLensKit

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

extension Severity: ExpressibleByArgument {
  /// `--fail-on ERROR` as well as `error`: the reports print severities in capitals.
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension InputFormat: ExpressibleByArgument {}

struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Analyse log files (or standard input) and report incidents per host and boot.",
    usage: "initlens [analyze] [<options>] [<files> ...]")

  @Argument(
    help:
      "Log files: cloud-init.log, cloud-init-output.log, ecs-agent.log, ecs-init.log, journalctl output, /var/log/messages, console output; .gz works too. None: standard input.",
    completion: .file()
  )
  var files: [String] = []

  @Option(help: "Output format.")
  var format: FormatName = .text

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"), completion: .file())
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
    var sinkOptions = SinkOptions(to: output)
    sinkOptions.failOn = failOn
    sinkOptions.evidenceLines = evidence
    // One stream (a journal of many instances): hosts quiet for an hour of log time are finalised
    // while reading and their boots handed to the sink early, if it takes them (JSON keeps them on
    // disk), so memory stays flat.
    let drive = AnalysisRun(
      rules: ruleSet, options: options, into: format.format.make(sinkOptions),
      retireAfterMicros: files.count <= 1 ? 3600 * 1_000_000 : nil)
    let analyzer = drive.analyzer
    analyzer.analyze(files: files)
    let report = drive.finish()
    let verdict = InputVerdict(report: report, analyzer: analyzer)
    verdict.printProblems()
    if verdict.readAnything { try ending { try drive.end(report) } }
    verdict.printNoLogLine()
    if profileRules { Output.error(Analyze.profileTable(analyzer.ruleProfile, linesRead: report.summary.linesRead)) }
    try verdict.exitIfBad(ruleErrors: ruleErrors)
    if let failOn, let highest = report.summary.highestSeverity, highest >= failOn { throw ExitCode(1) }
  }
}

/// What a run over the inputs of a command line says of them, the same for every command that reads
/// them (`analyze`, `blame`): each problem on stderr, whether anything could be read at all (when
/// nothing could, no report is written), and exit 2 for a lost input or binary data alone.
struct InputVerdict {
  let report: Report
  let analyzer: Analyzer

  var problems: [InputDiagnostic] { analyzer.diagnostics + analyzer.binaryInputs }

  func printProblems() { for d in problems { Output.error("initlens: \(d)") } }

  /// False when every input failed before giving a line (missing files, directories).
  var readAnything: Bool { !report.inputs.allSatisfy { $0.error != nil && $0.lines == 0 } }

  func printNoLogLine() {
    if let note = Analyze.readNoLogLine(report, diagnostics: problems) { Output.error(note) }
  }

  func exitIfBad(ruleErrors: Bool) throws {
    if ruleErrors || analyzer.diagnostics.contains(where: \.lostInput) { throw ExitCode(2) }
    // Binary data and no other input with a line: nothing was analysed.
    let binary = Set(analyzer.binaryInputs.map(\.file))
    if !binary.isEmpty && report.inputs.allSatisfy({ binary.contains($0.name) || $0.lines == 0 }) { throw ExitCode(2) }
  }
}

extension Analyze {
  /// The note of a run that read no log line (empty input, blank lines only) when no line on stderr
  /// already said why; nil when it read one. Empty input is not an error: the exit status stays 0.
  static func readNoLogLine(_ report: Report, diagnostics: [InputDiagnostic]) -> String? {
    let s = report.summary
    guard s.linesMatched + s.linesUnmatched == 0, diagnostics.isEmpty else { return nil }
    let names = report.inputs.map(\.name)
    let from = names.isEmpty ? "" : " from " + names.joined(separator: ", ")
    let reasons = s.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    let what = s.linesRead == 0 ? "empty" : "\(plural(s.linesRead, "line")) skipped: \(reasons)"
    return "initlens: note: read no log line\(from) (\(what))"
  }

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
