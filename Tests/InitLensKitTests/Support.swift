import Foundation
import InitLensKit

/// Paths of the repository, for tests that read rules/ and samples/.
enum Repo {
  static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static var rules: String { root.appendingPathComponent("rules").path }
  static var samples: String { root.appendingPathComponent("samples").path }

  /// The built `initlens` next to the test bundle (swift build puts both in .build/<config>/).
  static var binary: String {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("initlens").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug/initlens").path
  }
}

/// Runs the analyzer over in-memory inputs with the given rules.
func analyze(
  _ inputs: [(String, String)], rules: RuleSet, options: AnalyzerOptions = AnalyzerOptions()
) -> (Report, [InputDiagnostic]) {
  let analyzer = Analyzer(rules: rules, options: options)
  for (name, text) in inputs {
    var source = MemoryByteSource(Array(text.utf8))
    analyzer.analyze(name: name, source: &source)
  }
  return (analyzer.finish(), analyzer.diagnostics)
}

/// The repository's rules, loaded once.
let repoRules: RuleSet = {
  let (set, _) = RuleSet.load([.directory(Repo.rules)])
  return set
}()

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
