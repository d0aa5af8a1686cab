import Foundation
import Testing

@testable import InitLensKit

/// Each sample scenario's report is a golden file: `samples/<scenario>/expected.json` (and
/// `expected.txt`). Regenerate after an intended change with `INITLENS_UPDATE_GOLDEN=1 scripts/test`,
/// and read the diff before committing it.
@Suite struct GoldenTests {
  static let scenarios: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: Repo.samples)) ?? []
    return names.filter { name in
      var isDir: ObjCBool = false
      return FileManager.default.fileExists(atPath: Repo.samples + "/" + name, isDirectory: &isDir) && isDir.boolValue
        && name != "fleet" && name != "slow-boots"  // fleets: FleetGoldenTests, SlowBootsSampleTests
    }.sorted()
  }()

  /// The scenario's inputs as a user would pass them: every file but the README and the goldens.
  static func inputs(_ scenario: String) -> [String] {
    let dir = Repo.samples + "/" + scenario
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return files.filter { !$0.hasSuffix(".md") && !$0.hasPrefix("expected") }.sorted().map {
      "samples/\(scenario)/\($0)"
    }
  }

  static func report(_ scenario: String) throws -> Report {
    let analyzer = Analyzer(rules: repoRules)
    for path in inputs(scenario) {
      var source = MemoryByteSource(Array(try Data(contentsOf: Repo.root.appendingPathComponent(path))))
      analyzer.analyze(name: path, source: &source)
    }
    return analyzer.finish()
  }

  /// `initlens fleet DIR` in JSON and text against DIR's `expected.json` and `expected.txt`; the report.
  static func fleetReport(_ dir: String) throws -> (json: String, text: String, report: Report) {
    let r = try run(["fleet", dir, "--format", "json"])
    #expect(r.status == 0, "\(r.err)")
    try compare(r.out, "\(dir)/expected.json")
    let text = try run(["fleet", dir])
    try compare(text.out, "\(dir)/expected.txt")
    return (r.out, text.out, try JSONDecoder().decode(Report.self, from: Data(r.out.utf8)))
  }

  static func compare(_ actual: String, _ goldenPath: String) throws {
    let url = Repo.root.appendingPathComponent(goldenPath)
    if ProcessInfo.processInfo.environment["INITLENS_UPDATE_GOLDEN"] == "1" {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(
      actual == expected, "\(goldenPath) differs; if the change is intended, run INITLENS_UPDATE_GOLDEN=1 scripts/test")
  }

  @Test func thereAreScenarios() {
    #expect(Set(Self.scenarios).isSuperset(of: ["imds-503", "ecs-warm-pool-404", "healthy"]))
  }

  @Test(arguments: scenarios)
  func reportMatchesGolden(_ scenario: String) throws {
    let report = try Self.report(scenario)
    try Self.compare(JSONRenderer.render(report), "samples/\(scenario)/expected.json")
    try Self.compare(TextRenderer(color: false).render(report), "samples/\(scenario)/expected.txt")
    let s = report.summary
    #expect(s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
    // linesRead is the number of lines in the inputs.
    var lines = 0
    for path in Self.inputs(scenario) {
      let data = try Data(contentsOf: Repo.root.appendingPathComponent(path))
      lines += data.split(separator: 0x0A, omittingEmptySubsequences: false).count - (data.last == 0x0A ? 1 : 0)
    }
    #expect(s.linesRead == lines)
  }

  /// The built binary run from the repository root gives exactly the golden report.
  @Test(arguments: scenarios)
  func binaryMatchesGolden(_ scenario: String) throws {
    let r = try run(["--format", "json"] + Self.inputs(scenario))
    #expect(r.status == 0, "\(r.err)")
    let expected = try String(
      contentsOf: Repo.root.appendingPathComponent("samples/\(scenario)/expected.json"), encoding: .utf8)
    #expect(r.out == expected)
  }

  /// Same inputs in another order: the same hosts, boots, incidents and root causes.
  @Test(arguments: scenarios)
  func inputOrderDoesNotChangeTheDiagnosis(_ scenario: String) throws {
    let forward = try Self.report(scenario)
    let analyzer = Analyzer(rules: repoRules)
    for path in Self.inputs(scenario).reversed() {
      var source = MemoryByteSource(Array(try Data(contentsOf: Repo.root.appendingPathComponent(path))))
      analyzer.analyze(name: path, source: &source)
    }
    let backward = analyzer.finish()
    let shape = { (r: Report) in
      r.hosts.map { h in h.boots.map { b in (b.boot, b.incidents.map(\.kind), b.rootCauses.map(\.id)) } }
        .description
    }
    #expect(shape(forward) == shape(backward))
  }

  @Test func prefilterOnAndOffGiveTheSameReports() throws {
    for scenario in Self.scenarios {
      var options = AnalyzerOptions()
      options.usePrefilter = false
      let analyzer = Analyzer(rules: repoRules, options: options)
      for path in Self.inputs(scenario) {
        var source = MemoryByteSource(Array(try Data(contentsOf: Repo.root.appendingPathComponent(path))))
        analyzer.analyze(name: path, source: &source)
      }
      #expect(JSONRenderer.render(analyzer.finish()) == JSONRenderer.render(try Self.report(scenario)), "\(scenario)")
    }
  }
}
