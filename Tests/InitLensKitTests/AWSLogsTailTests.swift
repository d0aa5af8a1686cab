import Foundation
import Testing

@testable import InitLensKit

/// `aws logs tail` output (Fixtures/aws-logs-tail, from the real cloud-init logs of Fixtures/realci by
/// `scripts/make-aws-tail-fixtures`): each event's line is read as the line it is, the log stream is the
/// host, and the diagnosis is the one the shipped file itself gets.
@Suite struct AWSLogsTailTests {
  static let fixtures = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures").path

  static func report(_ path: String) throws -> Report {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let (report, diagnostics) = analyze([(path, text)], rules: repoRules)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    return report
  }

  /// What must not change between a log and its `aws logs tail` form: per boot, the incidents, the
  /// root causes and the stage times.
  static func diagnosis(_ r: Report) -> [String] {
    r.hosts.flatMap(\.boots).map { b in
      let kinds = b.incidents.map { "\($0.kind)×\($0.count)" }.sorted()
      let stages = b.stages.map { "\($0.name) \($0.durationSeconds.map { "\($0)" } ?? "-")" }
      return "\(b.boot) \(kinds) \(b.rootCauses.map(\.id)) \(stages)"
    }
  }

  @Test(arguments: ["imds-503", "userdata-exit3"])
  func tailOutputIsDiagnosedLikeTheFileItself(_ scenario: String) throws {
    let plain = try Self.report("\(Self.fixtures)/realci/\(scenario)/cloud-init.log")
    let detailed = try Self.report("\(Self.fixtures)/aws-logs-tail/\(scenario).detailed.txt")
    let short = try Self.report("\(Self.fixtures)/aws-logs-tail/\(scenario).short.txt")
    #expect(!Self.diagnosis(plain).isEmpty)
    #expect(Self.diagnosis(detailed) == Self.diagnosis(plain))
    #expect(Self.diagnosis(short) == Self.diagnosis(plain))
    // The log stream names the instance; the short form names none.
    #expect(detailed.hosts.map(\.host) == ["i-0123456789abcdef0"])
    #expect(short.hosts.map(\.host) == plain.hosts.map(\.host))
    for r in [detailed, short] {
      #expect(r.summary.linesRead == plain.summary.linesRead)
      #expect(r.summary.linesMatched == plain.summary.linesMatched)
      #expect(r.summary.linesSkipped == 0)
    }
  }

  static func parse(_ line: String) -> ParsedLine {
    var parser = LineParser(year: 2025)
    return Array(line.utf8).withUnsafeBytes { parser.parse($0) }
  }

  @Test func detailedLineKeepsItsOwnTimeAndNamesTheStream() {
    let line =
      "2026-12-01T23:12:49.300000+00:00 i-0abc 2026-12-01 23:12:49,044 - url_helper.py[WARNING]: Calling 'None' failed"
    let p = Self.parse(line)
    #expect(p.format == .awsLogsTail)
    #expect(p.host == "i-0abc")
    #expect(p.time.map(Timestamp.iso) == "2026-12-01T23:12:49.044Z")
    #expect(p.source == .cloudInit)
    #expect(p.level == .warning)
    #expect(!p.headerless)
  }

  @Test func aMessageWithoutATimeTakesTheEventTime() {
    let p = Self.parse("2026-12-01T23:12:49 Cloud-init v. 22.4.2 finished at Tue, 01 Dec 2026 23:12:49 +0000.")
    #expect(p.format == .awsLogsTail)
    #expect(p.host == nil)
    #expect(p.time.map(Timestamp.iso) == "2026-12-01T23:12:49.000Z")
    #expect(p.source == .cloudInit)
  }

  /// Near misses: lines of other formats that start the same way stay theirs.
  @Test(arguments: [
    ("2025-01-22T09:14:03.118402+0000 ip-10-0-1-23 cloud-init[872]: hello", LineFormat.journalISO),
    ("2025-01-22T09:14:03.118402+00:00 ip-10-0-1-23 cloud-init[872]: hello", LineFormat.journalISO),
    ("2020-01-24T20:19:09Z [WARN] Error getting valid credentials", LineFormat.ecsLegacy),
    ("2025-01-22T09:14:03+0000 ip-10-0-1-23 some free text", LineFormat.plain),
  ])
  func otherFormatsKeepTheirLines(_ line: String, _ format: LineFormat) {
    #expect(Self.parse(line).format == format, "\(line)")
  }

  /// The fast path keeps as context exactly the lines some format's header may start (it kept these
  /// first bytes before formats were files of their own).
  @Test func formatsDeclareTheFirstBytesTheFastPathKeeps() {
    let expected = Set(Array(0x30...0x39) + Array(0x41...0x5A) + [0x5B, 0x6C, 0x63, 0x23, 0x1B, 0x7B])
    let table = HeaderFormats.headerStartTable
    #expect(Set((0..<256).filter { table[$0] }) == expected)
  }

  /// Adding the format touched its own file and one registration line: no other source names it.
  @Test func theFormatLivesInItsFileAndOneRegistryLine() throws {
    let sources = Repo.root.appendingPathComponent("Sources")
    let files = try #require(FileManager.default.subpaths(atPath: sources.path)).filter { $0.hasSuffix(".swift") }
    var mentions: [String: [String]] = [:]
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      let lines = text.split(separator: "\n").filter { $0.contains("AWSLogsTail") || $0.contains("awsLogsTail") }
      if !lines.isEmpty { mentions[file] = lines.map { $0.trimmingCharacters(in: .whitespaces) } }
    }
    let own = "InitLensKit/Scan/Formats/AWSLogsTailFormat.swift"
    let registry = "InitLensKit/Scan/Formats/HeaderFormat.swift"
    #expect(mentions[own] != nil)
    #expect(mentions[registry] == ["AWSLogsTailFormat.self,"])
    #expect(Set(mentions.keys) == [own, registry], "\(mentions)")
  }
}
