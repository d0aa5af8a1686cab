import ArgumentParser

/// Completion scripts that cover the default command. ArgumentParser completes a subcommand's files
/// and option values only after its name (`initlens analyze --format <TAB>`); `initlens` without a
/// subcommand runs `analyze`, so its scripts are patched to complete as `analyze` does when the first
/// word is not a subcommand (`initlens samp<TAB>` gives files, `initlens --format <TAB>` the formats),
/// while the first word still offers the subcommands. A script the patch does not recognise is left
/// as ArgumentParser wrote it (CompletionTests drive each shell and fail then).
enum Completions {
  /// The subcommands, as the scripts name them (ArgumentParser adds `help`).
  static var subcommands: [(name: String, abstract: String)] {
    Initlens.configuration.subcommands.map { ($0._commandName, $0.configuration.abstract) }
      + [("help", "Show subcommand help information.")]
  }

  /// The script, patched for the shell it is written for (told by its first line).
  static func patch(_ script: String) -> String {
    if script.hasPrefix("#compdef ") { return zsh(script) }
    if script.hasPrefix("#!/bin/bash") { return bash(script) }
    if script.contains("function __initlens_parse_tokens") { return fish(script) }
    return script
  }

  /// bash: in `_initlens`, a first word that is no subcommand runs `_initlens_analyze` on every word.
  static func bash(_ script: String) -> String {
    let names = subcommands.map(\.name).joined(separator: " ")
    let offer = "        COMPREPLY+=($(compgen -W '\(names)' -- \"${cur}\"))\n"
    guard let root = script.range(of: "\n_initlens() {\n"),
      let at = script.range(of: offer, range: root.upperBound..<script.endIndex)
    else { return script }
    let analyze = """
              # No subcommand: initlens runs analyze. Complete every word as analyze does; the first word
              # may also be a subcommand.
              COMPREPLY=()
              unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")
              _initlens_analyze
              [[ "${COMP_CWORD}" -eq 1 && "${cur}" != -* ]] || return 0

      """
    var out = script
    out.insert(contentsOf: analyze, at: at.lowerBound)
    return out
  }

  /// zsh: `_initlens` hands a command line whose first word is no subcommand to `_initlens_analyze`,
  /// and offers the subcommands beside it for the first word.
  static func zsh(_ script: String) -> String {
    let names = subcommands.map(\.name).joined(separator: "|")
    let described = subcommands.map {
      "                '\($0.name):\($0.abstract.replacingOccurrences(of: "'", with: "'\\''"))'"
    }
    .joined(separator: "\n")
    guard let root = script.range(of: "\n_initlens() {\n"),
      let at = script.range(of: "    local -i ret=1\n", range: root.upperBound..<script.endIndex)
    else { return script }
    let analyze = """
          # No subcommand: initlens runs analyze. Complete the words as analyze does; the first word may
          # also be a subcommand.
          if [[ "${words[2]}" != (\(names)) || "${CURRENT}" -eq 2 ]]; then
              if [[ "${CURRENT}" -eq 2 && "${words[2]}" != -* ]]; then
                  local -ar default_subcommands=(
      \(described)
                  )
                  _describe -V subcommand default_subcommands && ret=0
              fi
              _initlens_analyze && ret=0
              return "${ret}"
          fi

      """
    var out = script
    out.insert(contentsOf: analyze, at: at.upperBound)
    return out
  }

  /// fish: the tokens of a command line whose first word is no subcommand (or whose only word is an
  /// option being typed) are parsed as `initlens analyze …`; a first word also completes files.
  static func fish(_ script: String) -> String {
    let names = subcommands.map(\.name).joined(separator: " ")
    let rootParse = "    case 'initlens'\n        __initlens_parse_subcommand 0 "
    guard let at = script.range(of: rootParse) else { return script }
    let analyze = """
              # No subcommand: initlens runs analyze (a first word may still be a subcommand).
              if set -q unparsed_tokens[2]; and not contains -- $unparsed_tokens[2] \(names)
                  set unparsed_tokens $unparsed_tokens[1] analyze $unparsed_tokens[2..]
              else if not set -q unparsed_tokens[2]; and string match -q -- '-*' (commandline -ct)
                  set unparsed_tokens $unparsed_tokens[1] analyze
              end

      """
    var out = script
    out.insert(contentsOf: analyze, at: script.index(at.lowerBound, offsetBy: "    case 'initlens'\n".count))
    let files = "complete -c 'initlens' -n '__initlens_should_offer_completions_for_positional \"initlens\" -eq 1' -F\n"
    return out + (out.hasSuffix("\n") ? "" : "\n") + files
  }
}
