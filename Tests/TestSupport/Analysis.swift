import Foundation
import InitLensKit

/// The repository's rules, loaded once.
public let repoRules: RuleSet = {
  let (set, _) = RuleSet.load([.directory(Repo.rules)])
  return set
}()

/// Analyses in-memory inputs with the library: the report and its diagnostics.
public func analyzeInMemory(
  _ inputs: [(name: String, bytes: [UInt8])], options: AnalyzerOptions = AnalyzerOptions(), chunk: Int = 1 << 16,
  rules: RuleSet = repoRules
) -> (report: Report, diagnostics: [InputDiagnostic]) {
  let analyzer = Analyzer(rules: rules, options: options)
  for input in inputs {
    var source = MemoryByteSource(input.bytes, chunk: chunk)
    analyzer.analyze(name: input.name, source: &source)
  }
  return (analyzer.finish(), analyzer.diagnostics)
}

/// Runs the analyzer over in-memory inputs (name, text) with the given rules, each input read whole.
public func analyze(
  _ inputs: [(String, String)], rules: RuleSet, options: AnalyzerOptions = AnalyzerOptions()
) -> (Report, [InputDiagnostic]) {
  analyzeInMemory(inputs.map { ($0.0, Array($0.1.utf8)) }, options: options, chunk: .max, rules: rules)
}

/// Analyses files of the repository (paths from its root), each read into memory first.
public func analyzeRepoFiles(_ paths: [String]) throws -> Report {
  let analyzer = Analyzer(rules: repoRules)
  for path in paths {
    var source = MemoryByteSource(Array(try Data(contentsOf: Repo.root.appendingPathComponent(path))))
    analyzer.analyze(name: path, source: &source)
  }
  return analyzer.finish()
}
