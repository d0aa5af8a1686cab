import Foundation
import InitLensKit
// Shared with HostileInputTests (Tests/TestSupport): Repo, repoRules, analyzeInMemory, SplitMix,
// `.requires(…)`. Exported so that every file of this target sees them without importing it.
@_exported import TestSupport

/// Runs the analyzer over in-memory inputs (name, text) with the given rules, each input read whole.
func analyze(
  _ inputs: [(String, String)], rules: RuleSet, options: AnalyzerOptions = AnalyzerOptions()
) -> (Report, [InputDiagnostic]) {
  analyzeInMemory(inputs.map { ($0.0, Array($0.1.utf8)) }, options: options, chunk: .max, rules: rules)
}

/// A rule set built from YAML texts, for tests that need a known rule.
func rules(_ yaml: String...) -> RuleSet {
  var list: [Rule] = []
  for (i, text) in yaml.enumerated() {
    let id = text.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) } ?? "r\(i)"
    let (rule, diags) = RuleLoader.load(RuleFile(path: "\(id).yaml", text: text))
    precondition(rule != nil, "test rule does not load: \(diags)")
    list.append(rule!)
  }
  return RuleSet(rules: list)
}

func rule(
  id: String, kind: String, source: String = "any", severity: String = "error", pattern: String, match: String,
  noMatch: String = "nothing", family: String? = nil
) -> String {
  """
  id: \(id)
  kind: \(kind)
  family: \(family ?? kind)
  title: \(id) title
  severity: \(severity)
  source: \(source)
  pattern: '\(pattern.replacingOccurrences(of: "'", with: "''"))'
  fix: 'fix for \(id)'
  references: []
  examples:
    match:
      - '\(match.replacingOccurrences(of: "'", with: "''"))'
    no-match:
      - '\(noMatch.replacingOccurrences(of: "'", with: "''"))'
  """
}

/// A shell command that failed (python3 or a generator missing, a script error): the test fails
/// with its status instead of going on with empty output.
struct ShellFailed: Error, CustomStringConvertible {
  var script: String
  var status: Int32
  var description: String { "exit \(status): bash -c \(script.prefix(300))" }
}

/// Runs `script` with bash; its standard output. Throws when it exits non-zero.
@discardableResult
func shell(_ script: String) throws -> String {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/bin/bash")
  p.arguments = ["-c", script]
  let out = Pipe()
  p.standardOutput = out
  try p.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else { throw ShellFailed(script: script, status: p.terminationStatus) }
  return String(decoding: data, as: UTF8.self)
}
