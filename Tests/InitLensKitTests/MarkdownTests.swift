import Foundation
import Testing

@testable import InitLensKit

/// `--format markdown`: golden files beside each sample's (`samples/<scenario>/expected.md`,
/// `samples/fleet/expected.md`), and the shape it was added in: its own file plus one line of the
/// registry, nothing else.
@Suite struct MarkdownTests {
  static func markdown(_ report: Report, evidenceLines: Int? = nil) throws -> String {
    let destination = MemoryDestination()
    var options = SinkOptions(destination: destination)
    options.evidenceLines = evidenceLines
    let format = try #require(ReportFormat.named("markdown"))
    try format.make(options).end(report)
    return destination.text
  }

  @Test(arguments: GoldenTests.scenarios)
  func sampleMatchesGolden(_ scenario: String) throws {
    let report = try GoldenTests.report(scenario)
    let text = try Self.markdown(report)
    try GoldenTests.compare(text, "samples/\(scenario)/expected.md")
    // Every host and boot has its heading; every root cause its section.
    for host in report.hosts {
      for boot in host.boots { #expect(text.contains("\n## `\(host.host)`, boot `\(boot.boot)`\n")) }
    }
    for cause in report.hosts.flatMap(\.boots).flatMap(\.rootCauses) {
      #expect(text.contains("\n### Root cause: `\(cause.id)`\n"))
    }
    #expect(text.hasSuffix(MarkdownRenderer.summaryLine(report.summary) + "\n"))
  }

  /// The binary, through the registry and the CLI, gives the same bytes.
  @Test func binaryWritesTheGolden() throws {
    let scenario = "imds-503"
    let r = try run(["--format", "markdown"] + GoldenTests.inputs(scenario))
    #expect(r.status == 0, "\(r.err)")
    let expected = try String(
      contentsOf: Repo.root.appendingPathComponent("samples/\(scenario)/expected.md"), encoding: .utf8)
    #expect(r.out == expected)
  }

  @Test func fleetMatchesGolden() throws {
    let r = try run(["fleet", "samples/fleet", "--format", "markdown"])
    #expect(r.status == 0, "\(r.err)")
    try GoldenTests.compare(r.out, "samples/fleet/expected.md")
    #expect(r.out.contains("\nFleet: 8 bundles"))
  }

  /// Text from logs cannot break out of its code span, fence or table cell, and control
  /// characters never reach the paste.
  @Test func logTextStaysInItsPlace() throws {
    let evidence = Evidence(file: "a.log", line: 7, text: "```\nnot code | \u{1B}[31m")
    let incident = Incident(
      kind: "k`x", rule: "r", rules: ["r"], title: "a | b\nc", severity: .error, source: .cloudInit,
      first: nil, last: nil, count: 1, captures: [:], fix: "", references: [], evidence: [evidence])
    let boot = BootReport(boot: "b", start: nil, versions: [:], incidents: [incident])
    let report = Report(summary: Summary(), inputs: [], hosts: [HostReport(host: "h|`", boots: [boot])])
    let text = try Self.markdown(report)
    #expect(text.contains("## `` h|` ``, boot `b`"))
    #expect(text.contains("| ``k`x`` | error | 1 | - | a \\| b c |"))
    #expect(text.contains("````text\na.log:7: ```\nnot code | \u{FFFD}[31m\n````\n"))
    #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
    #expect(try Self.markdown(report, evidenceLines: 0).contains("evidence:") == false)
  }

  @Test func firstCommandIsTheFirstQuotedOne() {
    #expect(MarkdownRenderer.firstCommand("run `sudo x` then `y`") == "sudo x")
    #expect(MarkdownRenderer.firstCommand("no command") == nil)
    #expect(MarkdownRenderer.firstCommand("odd ` tick") == nil)
  }

  /// Adding the format touched its own file and one registration line: no other source names it.
  @Test func markdownLivesInItsFileAndOneRegistryLine() throws {
    let sources = Repo.root.appendingPathComponent("Sources")
    let files = try #require(FileManager.default.subpaths(atPath: sources.path)).filter { $0.hasSuffix(".swift") }
    var mentions: [String: [String]] = [:]
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      let lines = text.split(separator: "\n").filter { $0.contains("MarkdownSink") || $0.contains("\"markdown\"") }
      if !lines.isEmpty { mentions[file] = lines.map { $0.trimmingCharacters(in: .whitespaces) } }
    }
    let own = "InitLensKit/Output/Sinks/MarkdownSink.swift"
    #expect(mentions[own] != nil)
    #expect(mentions["InitLensKit/Output/Sinks/ReportFormat.swift"] == ["MarkdownSink.format,"])
    #expect(Set(mentions.keys) == [own, "InitLensKit/Output/Sinks/ReportFormat.swift"], "\(mentions)")
  }

  /// Help and completions list the formats from the registry: every one, markdown included.
  @Test func helpAndCompletionsListEveryRegisteredFormat() throws {
    for command in [["analyze"], ["fleet"], ["merge"]] {
      let help = try run(command + ["--help"]).out
      for format in ReportFormat.all {
        #expect(help.contains("\(format.name) "), "\(command) --help lacks \(format.name)")
      }
    }
    let watch = try run(["watch", "--help"]).out
    #expect(ReportFormat.live.map(\.name) == ["text", "ndjson", "console"])
    #expect(watch.contains("ndjson ") && !watch.contains("markdown"))
    let bash = try run(["--generate-completion-script", "bash"]).out
    for format in ReportFormat.all { #expect(CompletionTests.containsWord(bash, format.name)) }
    let bad = try run(["watch", "--format", "markdown"])
    #expect(bad.status == 64)
  }
}
