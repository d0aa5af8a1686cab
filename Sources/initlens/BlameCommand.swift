import ArgumentParser
import Foundation
import InitLensKit

/// `initlens blame FILE…`: where each boot's time went, slowest stage and step first.
struct BlameCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "blame",
    abstract: "Print each boot's cloud-init step and stage times, slowest first (as cloud-init analyze blame).",
    usage: "initlens blame [<options>] [<files> ...]",
    discussion: """
      The steps come from the start and finish events of cloud-init.log and are timed as \
      `cloud-init analyze blame` times them; the stages follow. A boot whose inputs hold no such events \
      (a journal, console output) gets its timeline instead, and the output says so.

        initlens blame /var/log/cloud-init.log
        journalctl -b -o short-iso | initlens blame

      Exit status: 0 done; 2 an input or rule file could not be read; 64 usage error.
      """)

  @Argument(help: "Log files as for the analysis (.gz works too). None: standard input.")
  var files: [String] = []

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
  var output: String?

  @Option(
    help:
      "Year for year-less syslog timestamps (default: a dated line in the input, else the file's modification year).")
  var year: Int?

  @OptionGroup var redaction: RedactionOptions

  @OptionGroup var rules: RuleOptions

  func validate() throws {
    if let year, !(1970...2200).contains(year) { throw ValidationError("--year must be a four-digit year") }
  }

  func run() throws {
    if files.isEmpty && Output.stdinIsTerminal {
      Output.error(Initlens.helpMessage(for: BlameCommand.self))
      throw ExitCode(64)
    }
    let (ruleSet, ruleErrors) = try rules.load()
    var options = AnalyzerOptions()
    options.year = year
    redaction.apply(&options)
    options.fallbackYear = Timestamp.components(Int64(time(nil)) * 1_000_000).0
    let analyzer = Analyzer(rules: ruleSet, options: options)
    analyzer.analyze(files: files)
    let report = analyzer.finish()
    let verdict = InputVerdict(report: report, analyzer: analyzer)
    verdict.printProblems()
    if verdict.readAnything { try Output.write(BlameText.render(report), to: output) }
    verdict.printNoLogLine()
    try verdict.exitIfBad(ruleErrors: ruleErrors)
  }
}
