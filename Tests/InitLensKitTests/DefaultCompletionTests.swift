import Foundation
import Testing

/// Completion covers the default command: `initlens samp<TAB>` completes files and `initlens --format
/// <TAB>` the formats, as after an explicit `analyze`, while the first word still offers the
/// subcommands. Each shell runs the script the binary writes, in the repository (which has samples/).
@Suite struct DefaultCompletionTests {
  /// Command line (the last word is the one completed) → what must be offered, and what must not.
  static let cases: [(line: [String], offers: Set<String>, never: Set<String>)] = [
    (["initlens", "samp"], ["samples"], []),
    (["initlens", "analyze", "samp"], ["samples"], []),
    (["initlens", "--format", ""], ["text", "json", "html", "markdown"], ["analyze", "fleet", "samples"]),
    (["initlens", "--fail-on", ""], ["warning", "error"], ["analyze"]),
    (["initlens", "--format", "json", "samp"], ["samples"], []),
    (["initlens", "--fo"], ["--format"], []),
    (["initlens", "fl"], ["fleet"], []),
    (["initlens", ""], ["analyze", "fleet", "rules", "explain", "samples"], []),
    (["initlens", "fleet", "samp"], ["samples"], []),
    (["initlens", "rules", ""], ["check", "list", "suggest"], ["samples"]),
  ]

  static func script(_ shell: String) throws -> String {
    let r = try run(["--generate-completion-script", shell])
    #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
    return try CompletionTests.temp(shell == "zsh" ? "_initlens" : "initlens.\(shell)", r.out)
  }

  /// Runs `shell` with `args` in the repository; stdout (stderr is appended to a failure's message).
  static func offered(_ shell: String, _ args: [String], line: [String]) throws -> Set<String> {
    let exe = try #require(Requirement.tool(shell), "\(shell) is not installed")
    let r = try ProcessRun.run([exe] + args, timeout: 60)
    #expect(r.status == 0 && !r.timedOut, "\(shell) completing \(line): \(r.stderr)")
    // Directories come with a slash from fish, files and words without.
    return Set(
      r.stdout.split(whereSeparator: \.isNewline).map { String($0.split(separator: "\t")[0]) }
        .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty })
  }

  static func check(_ shell: String, _ complete: ([String]) throws -> Set<String>) throws {
    for (line, offers, never) in cases {
      let got = try complete(line)
      let shown = "\(shell): \(line.joined(separator: " "))<TAB> offers \(got.sorted())"
      #expect(got.isSuperset(of: offers), "\(shown)")
      #expect(got.isDisjoint(with: never), "\(shown)")
    }
  }

  @Test(.requires(Requirement.tools("bash"), "bash is not installed"))
  func bashCompletesTheDefaultCommand() throws {
    let file = try Self.script("bash")
    try Self.check("bash") { line in
      let words = line.map { "'\($0)'" }.joined(separator: " ")
      let program = """
        cd '\(Repo.root.path)' && source '\(file)'
        COMP_WORDS=(\(words)); COMP_CWORD=\(line.count - 1)
        COMP_LINE='\(line.joined(separator: " "))'; COMP_POINT=${#COMP_LINE}
        _initlens initlens '\(line[line.count - 1])' '\(line[line.count - 2])'
        printf '%s\\n' "${COMPREPLY[@]}"
        """
      return try Self.offered("bash", ["-c", program], line: line)
    }
  }

  @Test(.requires(Requirement.tools("fish"), "fish is not installed (apt-get install fish)"))
  func fishCompletesTheDefaultCommand() throws {
    let file = try Self.script("fish")
    try Self.check("fish") { line in
      let program = "cd '\(Repo.root.path)'; and source '\(file)'; and complete -C '\(line.joined(separator: " "))'"
      return try Self.offered("fish", ["--no-config", "-c", program], line: line)
    }
  }

  /// zsh completes only in its line editor: a zsh on a pseudo-terminal (zpty) loads the script with
  /// compinit, is sent the line and a TAB, and prints what the completion system was handed.
  @Test(.requires(Requirement.tools("zsh"), "zsh is not installed (apt-get install zsh)"))
  func zshCompletesTheDefaultCommand() throws {
    let dir = URL(fileURLWithPath: try Self.script("zsh")).deletingLastPathComponent().path
    let driver = try CompletionTests.temp("capture.zsh", Self.zshDriver)
    try Self.check("zsh") { line in
      try Self.offered("zsh", ["-f", driver, dir, Repo.root.path, line.joined(separator: " ")], line: line)
    }
  }

  /// `zsh -f capture.zsh FPATH-DIR CWD LINE`: one offered completion a line.
  static let zshDriver = #"""
    zmodload zsh/zpty || exit 3
    cd "$2" || exit 3
    zpty z zsh -f -i
    zpty -w z "PROMPT=; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
    zpty -w z 'bindkey "^I" complete-word; zstyle ":completion:*" insert-tab false'
    zpty -w z 'null-line () { echo -E - $'"'"'\0'"'"' }; compprefuncs=( null-line ); comppostfuncs=( null-line exit )'
    zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; typeset -a hits; builtin compadd -A hits "$@"; local h; for h in $hits; do echo -E - "OFFERED:$h"; done; }'
    zpty -w z "$3"$'\t'
    integer seen=0
    local line
    while zpty -r z line; do
      [[ $line == *$'\0'* ]] && { (( seen++ )) && break || continue }
      (( seen )) && [[ $line == *OFFERED:* ]] && print -r -- ${${line#*OFFERED:}%$'\r'}
    done
    zpty -d z
    """#
}
