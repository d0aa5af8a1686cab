import ArgumentParser
import InitLensKit

struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "Check or list the rule set.", subcommands: [Check.self, List.self])

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Validate every rule file and run its examples (exit 2 on any problem).")
    @OptionGroup var rules: RuleOptions

    func run() throws {
      let (set, loadErrors) = rules.load()
      let result = RuleChecker.check(set.rules)
      let chains = CorrelationChecker.check(set.correlations)
      for d in result.diagnostics + chains.diagnostics { Output.error(d.description) }
      if set.rules.isEmpty { Output.error("initlens: no rules loaded (check --rules and --no-default-rules)") }
      let failed = loadErrors || !result.diagnostics.isEmpty || !chains.diagnostics.isEmpty || set.rules.isEmpty
      Output.write(
        "\(plural(set.rules.count, "rule")), \(plural(result.examplesChecked, "example")), "
          + "\(plural(set.correlations.count, "chain")), \(plural(chains.checked, "chain fixture")) checked: "
          + (failed ? "problems found\n" : "all good\n"))
      if failed { throw ExitCode(2) }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List rules: id, kind, severity, source, title.")
    @Option(help: "Output format.")
    var format: OutputFormat = .text
    @OptionGroup var rules: RuleOptions

    struct Entry: Encodable {
      let id, kind, severity, source, title, file: String
    }

    func run() throws {
      let (set, errors) = rules.load()
      let entries = set.rules.map {
        Entry(
          id: $0.id, kind: $0.kind, severity: $0.severity.rawValue, source: $0.source.rawValue, title: $0.title,
          file: $0.file)
      }
      switch format {
      case .json:
        Output.write(JSONRenderer.render(entries))
      case .text:
        let w0 = max(2, entries.map(\.id.count).max() ?? 0)
        let w1 = max(4, entries.map(\.kind.count).max() ?? 0)
        var out = "\("ID".pad(w0))  \("KIND".pad(w1))  SEVERITY  SOURCE      TITLE\n"
        for e in entries {
          out += "\(e.id.pad(w0))  \(e.kind.pad(w1))  \(e.severity.pad(8))  \(e.source.pad(10))  \(e.title)\n"
        }
        Output.write(out)
      }
      if errors { throw ExitCode(2) }
    }
  }
}

func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

extension String {
  func pad(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
