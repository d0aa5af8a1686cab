import ArgumentParser
import InitLensKit

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show how one log line is read: its format, header, inner line, and what every rule made of it.")

  @Argument(help: "The log line, quoted.")
  var line: String

  @Option(help: "Output format.")
  var format: ListFormat = .text

  @OptionGroup var redaction: RedactionOptions

  @OptionGroup var rules: RuleOptions

  func run() throws {
    let (set, errors) = try rules.load()
    let explanation = Explanation.explain(line, rules: set.rules)
      .redacted(by: Redactor.shared(secrets: !redaction.noRedact, ids: redaction.redactIds))
    switch format {
    case .json: Output.write(JSONRenderer.render(explanation))
    case .ndjson: Output.ndjson([explanation])
    case .text: Output.write(explanation.text())
    }
    if errors { throw ExitCode(2) }
  }
}
