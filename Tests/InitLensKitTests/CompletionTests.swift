import Foundation
import Testing

/// Shell completions and the man page's source, from the built binary. ArgumentParser generates both from
/// the command tree: these tests fail when a command or option would be missing, or a script would not
/// parse. The man page itself is generated and checked by `scripts/man` (a CI step: it needs SwiftPM).
@Suite struct CompletionTests {
  /// `initlens --experimental-dump-help`: the JSON that the man page generator (generate-manual) reads.
  static func dumpHelp() throws -> (raw: String, command: [String: Any]) {
    let r = try run(["--experimental-dump-help"])
    #expect(r.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    #expect(json?["serializationVersion"] as? Int == 0)
    return (r.out, json?["command"] as? [String: Any] ?? [:])
  }

  /// Every command path below the root: ["analyze"], ["fleet"], …, ["rules", "check"], ["help"].
  static func commandPaths(_ command: [String: Any], _ prefix: [String] = []) -> [[String]] {
    var paths: [[String]] = []
    for sub in command["subcommands"] as? [[String: Any]] ?? [] {
      guard let name = sub["commandName"] as? String else { continue }
      paths.append(prefix + [name])
      paths += commandPaths(sub, prefix + [name])
    }
    return paths
  }

  /// The subcommands `initlens --help` lists (names indented under SUBCOMMANDS:).
  static func listedSubcommands() throws -> Set<String> {
    let r = try run(["--help"])
    #expect(r.status == 0)
    var names: Set<String> = []
    var inList = false
    for line in r.out.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("SUBCOMMANDS:") {
        inList = true
        continue
      }
      guard inList, line.hasPrefix("  "), !line.hasPrefix("   "),
        let word = line.split(separator: " ").first, word.allSatisfy({ $0.isLowercase || $0 == "-" })
      else { continue }
      names.insert(String(word))
    }
    return names
  }

  static let required: Set<String> = ["analyze", "fleet", "merge", "rules", "explain"]

  @Test func manPageSourceNamesEverySubcommand() throws {
    let (raw, command) = try Self.dumpHelp()
    #expect(command["commandName"] as? String == "initlens")
    let top = Set(Self.commandPaths(command).filter { $0.count == 1 }.map { $0[0] })
    let listed = try Self.listedSubcommands()
    #expect(top.isSuperset(of: Self.required))
    #expect(top.isSuperset(of: listed), "subcommands in --help but not in the man page: \(listed.subtracting(top))")
    // generate-manual keeps ASCII only: any other character in a help text would vanish from the page.
    let nonASCII = raw.split(separator: "\n").filter { !$0.unicodeScalars.allSatisfy(\.isASCII) }
    #expect(nonASCII.isEmpty, "generate-manual drops non-ASCII characters; use ASCII ('...') in: \(nonASCII)")
    for sub in command["subcommands"] as? [[String: Any]] ?? [] {
      #expect(!((sub["abstract"] as? String) ?? "").isEmpty, "\(sub["commandName"] ?? "?") has no abstract")
    }
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptNamesCommandsAndOptions(_ shell: String) throws {
    let r = try run(["--generate-completion-script", shell])
    #expect(r.status == 0)
    #expect(r.err.isEmpty)
    let script = r.out
    #expect(script.utf8.count > 1000, "\(shell) script is \(script.utf8.count) bytes")
    let paths = Self.commandPaths(try Self.dumpHelp().command)
    let listed = try Self.listedSubcommands()
    #expect(Set(paths.map { $0[0] }).isSuperset(of: Self.required.union(listed)))
    for path in paths {
      // bash and zsh: one function per command (`_initlens_rules_check()`); fish: a `-fa 'NAME'` completion.
      let form = shell == "fish" ? "-fa '\(path.last!)'" : "_initlens_\(path.joined(separator: "_"))()"
      let has = script.contains(form)
      #expect(has, "\(shell) script lacks \(path.joined(separator: " ")) (\(form))")
    }
    for option in ["format", "fail-on", "input-format", "rules", "no-redact", "jobs", "shard", "version"] {
      let form: String
      switch shell {
      case "zsh": form = "--\(option)["  // '--format[…]', or '*--rules[…]' when repeatable
      case "fish": form = "-l '\(option)'"
      default: form = "--\(option)"
      }
      let has = script.contains(form)
      #expect(has, "\(shell) script lacks --\(option) (\(form))")
    }
    // Values of enumerated options: --format and --fail-on.
    for value in ["text", "json", "html", "warning", "error"] {
      let has = Self.containsWord(script, value)
      #expect(has, "\(shell) script lacks value \(value)")
    }
  }

  /// Each script parses in its shell (bash -n, zsh -n, fish --no-execute); skipped with the reason
  /// where that shell is not installed, never in CI (.ci/run installs zsh and fish).
  @Test(.requires(Requirement.tools("bash"), "bash is not installed"))
  func bashParsesItsScript() throws { try Self.parses("bash", ["-n"]) }

  @Test(.requires(Requirement.tools("zsh"), "zsh is not installed (apt-get install zsh)"))
  func zshParsesItsScript() throws { try Self.parses("zsh", ["-n"]) }

  @Test(.requires(Requirement.tools("fish"), "fish is not installed (apt-get install fish)"))
  func fishParsesItsScript() throws { try Self.parses("fish", ["--no-execute"]) }

  static func parses(_ shell: String, _ check: [String]) throws {
    let exe = try #require(Requirement.tool(shell), "\(shell) is not installed")
    let script = try run(["--generate-completion-script", shell]).out
    let file = try Self.temp("initlens.\(shell)", script)
    let s = try Self.shell(exe, check + [file])
    #expect(s.status == 0, "\(shell) cannot parse its completion script: \(s.out)")
  }

  /// The bash script really completes: subcommand names, and the values of --format and --fail-on.
  @Test(.requires(FileManager.default.isExecutableFile(atPath: "/bin/bash"), "/bin/bash is not installed"))
  func bashCompletes() throws {
    let script = try run(["--generate-completion-script", "bash"]).out
    let file = try Self.temp("initlens.bash", script)
    func complete(_ words: [String]) throws -> [String] {
      let quoted = words.map { "'\($0)'" }.joined(separator: " ")
      let line = words.joined(separator: " ")
      let program = """
        source '\(file)'
        COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
        _initlens initlens '\(words.last!)' '\(words[words.count - 2])'
        printf '%s\\n' "${COMPREPLY[@]}"
        """
      let r = try Self.shell("/bin/bash", ["-c", program])
      #expect(r.status == 0, "\(r.out)")
      return r.out.split(separator: "\n").map(String.init)
    }
    let cases: [([String], Set<String>)] = [
      (["initlens", "fl"], ["fleet"]),
      (["initlens", ""], Self.required),
      (["initlens", "analyze", "--format", ""], ["text", "json", "html"]),
      (["initlens", "fleet", "--fail-on", ""], ["warning", "error"]),
      (["initlens", "rules", ""], ["check", "list"]),
    ]
    for (words, expected) in cases {
      let got = try complete(words)
      #expect(Set(got).isSuperset(of: expected), "\(words.joined(separator: " "))<TAB> offers \(got)")
    }
    let onlyFleet = try complete(["initlens", "fl"])
    #expect(onlyFleet == ["fleet"])
  }

  /// Whether `word` occurs in `text` with no letter, digit, `-` or `_` on either side.
  static func containsWord(_ text: String, _ word: String) -> Bool {
    func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "-" || c == "_" }
    var rest = text[...]
    while let range = rest.range(of: word) {
      let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
      let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
      if !(before.map(isWordChar) ?? false) && !(after.map(isWordChar) ?? false) { return true }
      rest = text[range.upperBound...]
    }
    return false
  }

  static func temp(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-completion-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// Runs a shell; stdout and stderr together.
  static func shell(_ exe: String, _ args: [String]) throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
