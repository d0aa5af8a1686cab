import Foundation
import Testing

@testable import InitLensKit

/// `--format console`: the verdict on the serial console. Golden files beside each sample's
/// (`samples/<scenario>/expected.console.txt`, `samples/fleet/expected.console.txt`), and the bound it
/// promises, at most 20 lines of at most 80 printable ASCII columns, on every sample and real log.
@Suite struct ConsoleFormatTests {
  static func console(_ report: Report) throws -> String {
    let destination = MemoryDestination()
    let format = try #require(ReportFormat.named("console"))
    try format.make(SinkOptions(destination: destination)).end(report)
    return destination.text
  }

  static func report(_ paths: [String]) throws -> Report { try analyzeRepoFiles(paths) }

  /// Lines that break the bound: more than 20, wider than 80, or not printable ASCII.
  static func boundBreaks(_ text: String) -> [String] {
    var breaks: [String] = []
    #expect(text.hasSuffix("\n"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    if lines.count > 20 { breaks.append("\(lines.count) lines") }
    for line in lines where line.utf8.count > 80 || line.utf8.contains(where: { $0 < 0x20 || $0 > 0x7E }) {
      breaks.append(String(line))
    }
    return breaks
  }

  /// Root causes first, each with its first fix; the summary line last.
  static func checkShape(_ text: String, _ report: Report) {
    let lines = text.split(separator: "\n").map(String.init)
    let causes = report.hosts.flatMap(\.boots).flatMap(\.rootCauses)
    if let first = causes.first {
      #expect(lines[0].hasPrefix("initlens: BOOT FAILED"))
      #expect(lines[1].hasPrefix("ROOT CAUSE \(first.id)"))
      if let fix = first.fixes.first {
        let start = ConsoleRenderer.ascii(fix).split(separator: " ").prefix(3).joined(separator: " ")
        #expect(lines.contains { $0.hasPrefix("  FIX: " + start) }, "first fix of \(first.id)")
      }
    } else if report.hosts.flatMap(\.boots).flatMap(\.incidents).allSatisfy({ $0.severity < .error }) {
      #expect(lines.count <= 2 && lines[0].contains("boot OK"), "\(text)")
    }
    #expect(text.contains("initlens: \(plural(report.summary.hosts, "host")),"))
  }

  @Test(arguments: GoldenTests.scenarios)
  func sampleMatchesGolden(_ scenario: String) throws {
    let report = try GoldenTests.report(scenario)
    let text = try Self.console(report)
    try GoldenTests.compare(text, "samples/\(scenario)/expected.console.txt")
    #expect(Self.boundBreaks(text) == [])
    Self.checkShape(text, report)
  }

  @Test func fleetMatchesGoldenThroughTheBinary() throws {
    let r = try run(["fleet", "samples/fleet", "--format", "console"])
    #expect(r.status == 0, "\(r.err)")
    try GoldenTests.compare(r.out, "samples/fleet/expected.console.txt")
    #expect(Self.boundBreaks(r.out) == [])
    #expect(r.out.contains("\n+ 4 more; the whole report: initlens --format json\n"), "what does not fit is counted")
  }

  /// Every real cloud-init log (Fixtures/realci) and each single input of the samples: within the bound.
  @Test func everyRealLogAndSampleInputStaysWithinTheBound() throws {
    var inputs = RealLogGoldenTests.scenarios.map(RealLogGoldenTests.inputs)
    for scenario in GoldenTests.scenarios { inputs += GoldenTests.inputs(scenario).map { [$0] } }
    #expect(inputs.count >= 20)
    var failed = 0
    for paths in inputs {
      let report = try Self.report(paths)
      let text = try Self.console(report)
      #expect(Self.boundBreaks(text) == [], "\(paths)")
      Self.checkShape(text, report)
      if report.summary.rootCauses > 0 { failed += 1 }
    }
    #expect(failed >= 8, "most of these inputs have a root cause")
  }

  /// Many root causes, long words and non-ASCII text from rules or logs: still 20 x 80 ASCII, and
  /// what is left out is counted.
  @Test func manyLongCausesStayWithinTheBound() throws {
    let long = String(repeating: "x", count: 200)
    let cause = RootCause(
      id: "c", title: "t", cause: "k",
      summary: "Caf\u{E9} \u{2026} \u{2192} 3\u{D7} \(long) " + String(repeating: "w ", count: 90),
      explanation: "", symptoms: [],
      fixes: ["Run `sudo fix \u{201C}it\u{201D}` " + String(repeating: "y ", count: 200)],
      references: [])
    let boot = BootReport(
      boot: "b", start: nil, versions: [:], incidents: [], rootCauses: Array(repeating: cause, count: 9))
    var report = Report(summary: Summary(), inputs: [], hosts: [HostReport(host: "h\u{1B}[31m", boots: [boot])])
    report.summary.rootCauses = 9
    let text = try Self.console(report)
    #expect(Self.boundBreaks(text) == [], "\(text)")
    #expect(text.split(separator: "\n").count >= 18, "the room is used")
    #expect(text.contains("\n  Caf? ... -> 3x\n  " + String(repeating: "x", count: 78) + "\n"))
    #expect(text.contains("  FIX: Run `sudo fix \"it\"` y y"))
    #expect(text.contains("\n+ 7 more; the whole report: initlens --format json\n"))
  }

  @Test func healthyIsOneLineAndTheSummary() throws {
    let text = try Self.console(try GoldenTests.report("healthy"))
    #expect(
      text == "initlens: boot OK: no root cause, no error\ninitlens: 1 host, 1 boot, 0 incidents, 0 root causes\n")
  }

  /// The format lives in its own file plus one registry line, and `watch` can use it.
  @Test func consoleLivesInItsFileAndOneRegistryLine() throws {
    let sources = Repo.root.appendingPathComponent("Sources")
    let files = try #require(FileManager.default.subpaths(atPath: sources.path)).filter { $0.hasSuffix(".swift") }
    var mentions: [String: [String]] = [:]
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      let lines = text.split(separator: "\n").filter { $0.contains("ConsoleSink") }
      if !lines.isEmpty { mentions[file] = lines.map { $0.trimmingCharacters(in: .whitespaces) } }
    }
    let own = "InitLensKit/Output/Sinks/ConsoleSink.swift"
    #expect(mentions["InitLensKit/Output/Sinks/ReportFormat.swift"] == ["ConsoleSink.format,"])
    #expect(Set(mentions.keys) == [own, "InitLensKit/Output/Sinks/ReportFormat.swift"], "\(mentions)")
    #expect(ReportFormat.named("console")?.canRunLive == true)
  }
}
