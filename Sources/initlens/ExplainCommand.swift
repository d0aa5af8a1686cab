import ArgumentParser
import Foundation
import InitLensKit

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show how one log line is read: its format, header, inner line, and what every rule made of it.",
    usage: "initlens explain [<options>] <line>")

  @Argument(help: "The log line, quoted; - reads it from standard input (one line).")
  var line: String

  @Option(help: "Output format.")
  var format: ListFormat = .text

  @OptionGroup var redaction: RedactionOptions

  @OptionGroup var rules: RuleOptions

  func run() throws {
    let (set, errors) = try rules.load()
    let explanation = Explanation.explain(try given(), rules: set.rules)
      .redacted(by: Redactor.shared(secrets: !redaction.noRedact, ids: redaction.redactIds))
    switch format {
    case .json: Output.write(JSONRenderer.render(explanation))
    case .ndjson: Output.ndjson([explanation])
    case .text: Output.write(explanation.text(width: TerminalWidth.listing()))
    }
    if errors { throw ExitCode(2) }
  }

  /// The line: the argument, or for `-` the one line standard input holds (a line copied with its
  /// newline, or `\r\n`, is that line).
  func given() throws -> String {
    guard line == "-" else { return line }
    let data = FileHandle.standardInput.readDataToEndOfFile()
    // "\r\n" is one Character (a newline), as is "\n".
    var lines = String(decoding: data, as: UTF8.self).split(
      omittingEmptySubsequences: false, whereSeparator: \.isNewline
    )
    .map(String.init)
    while lines.last?.isEmpty == true { lines.removeLast() }
    guard lines.count == 1 else {
      Output.error(
        lines.isEmpty
          ? "initlens: explain: no line on standard input"
          : "initlens: explain: standard input holds \(lines.count) lines; explain reads one (initlens FILE reads a log)"
      )
      throw ExitCode(2)
    }
    return lines[0]
  }
}
