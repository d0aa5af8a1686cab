import ArgumentParser
import InitLensKit

@main
struct Initlens: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "initlens",
    abstract: "Explain why an EC2 instance's boot went wrong, from its cloud-init and ECS agent logs.",
    discussion: """
      With no subcommand, initlens analyses the files given (plain or .gz), or standard input:
        journalctl -b -o short-iso | initlens
        initlens /var/log/cloud-init.log /var/log/ecs/ecs-agent.log --format json

      Exit status: 0 done; 1 an incident at or above --fail-on was found; 2 an input or rule file \
      could not be read (the rest was still analysed), or the inputs held only binary data; 64 usage \
      error. When no input could be read at all, there is no report: only the reasons, on stderr. A \
      run that read no log line (empty input) says so on stderr; that is not an error.
      """,
    version: InitLensVersion.full,
    subcommands: [
      Analyze.self, FleetCommand.self, MergeCommand.self, DiffCommand.self, BlameCommand.self, WatchCommand.self,
      RulesCommand.self,
      ExplainCommand.self,
    ],
    defaultSubcommand: Analyze.self
  )

  static func main() {
    System.ignoreBrokenPipe()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      // `--generate-completion-script SHELL`: the script, completing the default command too.
      if exitCode(for: error) == .success,
        CommandLine.arguments.contains(where: { $0.hasPrefix("--generate-completion-script") })
      {
        print(Completions.patch(fullMessage(for: error)))
        exit()
      }
      exit(withError: error)
    }
  }
}

enum InitLensVersion {
  static let string = "0.1.0"
  /// The version and the built-in rule set's: its size and a hash of its files.
  static var full: String {
    let set = RuleSet.embeddedVersion
    return "initlens \(string) (rules \(set.hash): \(set.rules) line rules, \(set.chains) chains)"
  }
}

/// Redaction: on by default in every output format.
struct RedactionOptions: ParsableArguments {
  @Flag(help: "Show secrets (IMDS tokens, AWS keys, passwords) instead of redacting them.")
  var noRedact = false

  @Flag(help: "Also replace account ids, instance ids, IP addresses and ip-a-b-c-d host names by stable pseudonyms.")
  var redactIds = false

  func apply(_ options: inout AnalyzerOptions) {
    options.redact = !noRedact
    options.redactIDs = redactIds
  }
}

/// Options every command that loads rules shares.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp(
      "Also load rules from DIR (repeatable); a rule there replaces a built-in one of the same id.", valueName: "DIR"),
    completion: .directory)
  var ruleDirectories: [String] = []

  @Flag(help: "Do not load the built-in rule set.")
  var noDefaultRules = false

  func sources() -> [RuleSource] {
    var sources: [RuleSource] = []
    if !noDefaultRules {
      sources.append(RuleSet.builtinSource(executablePath: CommandLine.arguments[0].resolvedExecutable))
    }
    sources += ruleDirectories.map { .directory($0) }
    return sources
  }

  /// Loads rules, printing every problem to stderr. Returns the valid rules and whether any failed.
  ///
  /// A built-in set read from a directory (`rules/` or `../share/initlens/rules` beside the binary,
  /// `INITLENS_RULES_DIR`) whose files differ from the copy embedded in the binary is named on stderr
  /// in one line, so a stray folder never replaces the rules unnoticed. A set without any line rule
  /// (an empty folder, `--no-default-rules` with an empty `--rules DIR`) is refused: one line, exit 2.
  /// `refuseEmpty: false` (`rules check`) lists every problem instead and fails on its own.
  func load(refuseEmpty: Bool = true) throws -> (RuleSet, Bool) {
    let sources = sources()
    if let builtin = sources.first, !noDefaultRules, case .directory(let dir) = builtin,
      !RuleSet.sameAsEmbedded(dir)
    {
      Output.error("initlens: rules from \(dir) (not the rule set built into initlens)")
    }
    let (set, diags) = RuleSet.load(sources)
    for d in diags { Output.error(d.description) }
    if refuseEmpty && set.rules.isEmpty {
      let dirs = sources.compactMap { source -> String? in
        if case .directory(let dir) = source { return dir }
        return nil
      }
      Output.error(
        dirs.isEmpty
          ? "initlens: no rules: --no-default-rules without --rules DIR leaves none; refusing to run"
          : "initlens: \(dirs.joined(separator: ", ")): no line rules; refusing to run with an empty rule set")
      throw ExitCode(2)
    }
    return (set, diags.contains { $0.level == .error })
  }
}

extension String {
  /// argv[0] as a path: itself when it has a slash, else found on PATH.
  var resolvedExecutable: String {
    if contains("/") { return self }
    for dir in (System.environment("PATH") ?? "").split(separator: ":") {
      let candidate = "\(dir)/\(self)"
      if System.isExecutable(candidate) { return candidate }
    }
    return self
  }
}
