import Foundation
import Testing

@testable import InitLensKit

/// Whole logs written by cloud-init itself (`Fixtures/realci`, see its README): each scenario's report is
/// a golden file beside its logs, and a well-formed log never gets a warning or exit 2.
@Suite struct RealLogGoldenTests {
  static let dir = "Tests/InitLensKitTests/Fixtures/realci"
  static let scenarios: [String] = StagePipelineTests.realci

  static func inputs(_ scenario: String) -> [String] {
    ["cloud-init.log", "cloud-init-output.log"].map { "\(dir)/\(scenario)/\($0)" }
  }

  @Test(arguments: scenarios)
  func reportMatchesGolden(_ scenario: String) throws {
    let analyzer = Analyzer(rules: repoRules)
    for path in Self.inputs(scenario) {
      var source = MemoryByteSource(Array(try Data(contentsOf: Repo.root.appendingPathComponent(path))))
      analyzer.analyze(name: path, source: &source)
    }
    let report = analyzer.finish()
    #expect(analyzer.diagnostics.isEmpty, "\(analyzer.diagnostics)")
    try GoldenTests.compare(JSONRenderer.render(report), "\(Self.dir)/\(scenario)/expected.json")
    try GoldenTests.compare(TextRenderer(color: false).render(report), "\(Self.dir)/\(scenario)/expected.txt")
    let s = report.summary
    #expect(s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
    // Where cloud-init names the instance in its paths, that is the host; a boot that never reached
    // the metadata has no instance id (`iid-datasource-none`), and no other name: `unknown`.
    let log = try String(
      contentsOf: Repo.root.appendingPathComponent(Self.inputs(scenario)[0]), encoding: .utf8)
    let named = log.contains("/var/lib/cloud/instances/i-0123456789abcdef0/")
    #expect(report.hosts.map(\.host) == [named ? "i-0123456789abcdef0" : "unknown"])
  }

  /// The binary on a real log: exit 0 with nothing on stderr, and `--fail-on error` exits 1 exactly when
  /// the report has an error (never 2).
  @Test(arguments: scenarios)
  func binaryIsQuietAndExitsByTheReport(_ scenario: String) throws {
    let plain = try run(Self.inputs(scenario))
    #expect(plain.status == 0 && plain.err.isEmpty, "\(plain.err)")
    let failOn = try run(["--fail-on", "error", "--format", "json"] + Self.inputs(scenario))
    #expect(failOn.err.isEmpty, "\(failOn.err)")
    let report = try JSONDecoder().decode(Report.self, from: Data(failOn.out.utf8))
    let errors = report.hosts.flatMap(\.boots).flatMap(\.incidents).contains { $0.severity >= .error }
    #expect(failOn.status == (errors ? 1 : 0))
    // The severity as the reports print it (ERROR) is accepted too.
    let upper = try run(["--fail-on", "ERROR", "--format", "json"] + Self.inputs(scenario))
    #expect(upper.status == failOn.status && upper.out == failOn.out, "\(upper.err)")
  }
}
