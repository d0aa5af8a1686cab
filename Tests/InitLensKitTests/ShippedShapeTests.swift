import Foundation
import Testing

@testable import InitLensKit

/// The shipped shapes line by line: what each takes, and the lines of other formats it must not take.
@Suite struct ShippedShapeTests {
  static let shipped = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/shipped").path

  static func parse(_ line: String, export: Bool = false) -> ParsedLine {
    var parser = LineParser(fileSource: .cloudInit, year: 2025)
    parser.cloudWatchExport = export
    parser.jsonInput = line.hasPrefix("{")
    return Array(line.utf8).withUnsafeBytes { parser.parse($0) }
  }

  @Test func anExportEventKeepsItsLinesOwnTimeOrTakesTheEventTime() {
    let own = Self.parse(
      "2026-12-01T23:12:50.300Z 2026-12-01 23:12:50,189 - util.py[WARNING]: Running interface command failed",
      export: true)
    #expect(own.format == .cloudWatchExport)
    #expect(own.time.map(Timestamp.iso) == "2026-12-01T23:12:50.189Z")
    #expect(own.level == .warning && own.source == .cloudInit && own.host == nil)
    // In an export, a message shaped like `ident: text` is the message, not a journal line's ident.
    let bare = Self.parse(
      "2026-12-01T23:12:50.190Z cloudinit.subp.ProcessExecutionError: Unexpected error", export: true)
    #expect(bare.format == .cloudWatchExport)
    #expect(bare.time.map(Timestamp.iso) == "2026-12-01T23:12:50.190Z")
    #expect(bare.ident == nil && bare.source == .cloudInit)
    // A syslog line shipped from /var/log/messages keeps its host and identifier.
    let syslog = Self.parse(
      "2025-01-15T10:23:46.000Z Jan 15 10:23:45 ip-10-0-0-5 cloud-init[1234]: Cloud-init v. 19.3 running 'init-local'",
      export: true)
    #expect(syslog.format == .cloudWatchExport && syslog.host == "ip-10-0-0-5" && syslog.ident == "cloud-init")
    #expect(syslog.time.map(Timestamp.iso) == "2025-01-15T10:23:45.000Z")
    let inner = Array(
      "2025-01-15T10:23:46.000Z Jan 15 10:23:45 ip-10-0-0-5 cloud-init[1234]: Cloud-init v. 19.3 running 'init-local'"
        .utf8)
    #expect(String(decoding: inner[syslog.inner], as: UTF8.self).hasPrefix("Cloud-init v. 19.3"))
  }

  /// Near misses: an input is an export only when its first line is an event; journal, ECS seelog
  /// and logfmt lines are none.
  @Test(arguments: [
    ("2020-09-08T04:00:24.000Z 2020-09-08 04:00:24,000 - util.py[DEBUG]: x", true),
    ("\n2020-09-08T04:00:24.000Z level=info time=2020-09-08T04:00:24Z msg=\"x\"", true),
    ("2025-01-22T09:14:03.118402+0000 ip-10-0-1-23 cloud-init[872]: hello", false),
    ("2025-01-22T09:14:03.118Z ip-10-0-1-23 cloud-init[872]: hello", true),
    ("2025-01-22T09:14:03+0000 ip-10-0-1-23 cloud-init[872]: hello", false),
    ("2020-01-24T20:19:09Z [WARN] Error getting valid credentials", false),
    ("2020-01-24T20:19:09.123Z [WARN] Error getting valid credentials", false),
    ("level=info time=2025-02-04T07:02:16Z msg=\"Starting Amazon ECS Agent\"", false),
    ("2026-12-01T23:12:49 Cloud-init v. 22.4.2 finished", false),
  ])
  func exportInputsAreToldByTheirFirstLine(_ head: String, _ export: Bool) {
    #expect(Array(head.utf8).withUnsafeBytes(CloudWatchExport.starts) == export, "\(head)")
  }

  /// Outside an export the same journal line stays a journal line.
  @Test func aJournalLineWithMillisecondsStaysAJournalLineOutsideAnExport() {
    let p = Self.parse("2025-01-22T09:14:03.118Z ip-10-0-1-23 cloud-init[872]: hello")
    #expect(p.format == .journalISO && p.host == "ip-10-0-1-23")
  }

  @Test func theExportFixturesAreOutOfOrderAndTheirEventsSpanLines() throws {
    for name in ["export.imds-503.cloud-init.log", "export.userdata-exit3.cloud-init.log"] {
      let bytes = Array(try String(contentsOfFile: "\(Self.shipped)/\(name)", encoding: .utf8).utf8)
      bytes.withUnsafeBytes { p in
        let (events, sorted) = CloudWatchExport.events(in: p)
        #expect(!sorted, "\(name)")
        #expect(events.contains { ev in p[ev.range].split(separator: 0x0A).count > 1 }, "\(name): a traceback")
        let ordered = CloudWatchExport.ordered(p, events)
        let stamps = ordered.map {
          String(decoding: p[$0.range.lowerBound..<($0.range.lowerBound + 23)], as: UTF8.self)
        }
        #expect(stamps == stamps.sorted())
      }
    }
  }

  /// A gzipped export object (`<task>/<stream>/000000.gz`) read from disk is diagnosed like the text.
  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed"))
  func aGzippedExportObjectIsReadFromDisk() throws {
    let text = try String(contentsOfFile: "\(Self.shipped)/export.imds-503.cloud-init.log", encoding: .utf8)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-export-\(getpid())")
      .appendingPathComponent("1b2c/i-0123456789abcdef0")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent().deletingLastPathComponent()) }
    let path = dir.appendingPathComponent("000000.gz").path
    try Data(try gzip(Array(text.utf8))).write(to: URL(fileURLWithPath: path))
    let analyzer = Analyzer(rules: repoRules)
    analyzer.analyzeFile(path: path)
    let fromDisk = analyzer.finish()
    #expect(analyzer.diagnostics.isEmpty)
    let (fromText, _) = analyze([("export.cloud-init.log", text)], rules: repoRules)
    #expect(ShippedTests.diagnosis(fromDisk) == ShippedTests.diagnosis(fromText))
    #expect(fromDisk.summary.linesMatched == fromText.summary.linesMatched)
  }

  @Test func aFluentBitTailRecordIsReadAsItsLine() {
    let p = Self.parse(
      #"{"date":"2024-01-15T10:23:45.123456Z","log":"level=warn time=2024-01-15T10:23:40Z msg=\"x\"","file":"/var/log/ecs/ecs-init.log","host":"i-0abc"}"#
    )
    #expect(p.format == .shippedJSON)
    #expect(p.time.map(Timestamp.iso) == "2024-01-15T10:23:40.000Z")
    #expect(p.host == "i-0abc" && p.source == .ecsInit && p.level == .warning)
    let output = Self.parse(
      #"{"date":"2024-01-15T10:23:45.123456Z","log":"+ exit 3","path":"/var/log/cloud-init-output.log"}"#)
    #expect(output.time.map(Timestamp.iso) == "2024-01-15T10:23:45.123456Z")
    #expect(output.headerless && output.source == .cloudInit && output.host == nil)
  }

  @Test func vectorAndSystemdRecordsAreRead() {
    let v = Self.parse(
      #"{"file":"/var/log/cloud-init-output.log","host":"ip-10-0-0-5","message":"hello","source_type":"file","timestamp":"2020-11-01T21:15:47+00:00"}"#
    )
    #expect(v.format == .shippedJSON && v.host == "ip-10-0-0-5" && v.source == .cloudInit)
    #expect(v.time.map(Timestamp.iso) == "2020-11-01T21:15:47.000Z")
    for line in [
      #"{"date":"2024-01-15T10:23:45.000000Z","MESSAGE":"hi","_HOSTNAME":"h1","SYSLOG_IDENTIFIER":"cloud-init","PRIORITY":"4","_BOOT_ID":"b1"}"#,
      #"{"date":"2024-01-15T10:23:45.000000Z","MESSAGE":"hi","HOSTNAME":"h1","SYSLOG_IDENTIFIER":"cloud-init","PRIORITY":"4","BOOT_ID":"b1"}"#,
      #"{"date":1705314225.0,"message":"hi","hostname":"h1","syslog_identifier":"cloud-init","priority":"4","boot_id":"b1"}"#,
    ] {
      let p = Self.parse(line)
      #expect(p.format == .journalJSON, "\(line)")
      #expect(p.host == "h1" && p.bootID == "b1" && p.ident == "cloud-init" && p.level == .warning, "\(line)")
      #expect(p.source == .cloudInit && p.time.map(Timestamp.iso) == "2024-01-15T10:23:45.000Z", "\(line)")
    }
  }

  /// Near misses: journal and ECS JSON records stay theirs; an object with neither a line nor journal
  /// fields is no shipped record.
  @Test(arguments: [
    (#"{"__REALTIME_TIMESTAMP":"1705314225000000","MESSAGE":"hi","_HOSTNAME":"h1"}"#, LineFormat.journalJSON),
    (#"{"level":"info","time":"2024-01-15T10:23:45Z","msg":"Starting"}"#, LineFormat.ecsJSON),
    (#"{"date":"2024-01-15T10:23:45Z","status":"ok"}"#, LineFormat.plain),
    (#"{"date":"2024-01-15T10:23:45Z","message":"hi","priority_class":"x"}"#, LineFormat.shippedJSON),
  ])
  func otherJSONKeepsItsFormat(_ line: String, _ format: LineFormat) {
    #expect(Self.parse(line).format == format, "\(line)")
  }

  @Test(arguments: [
    ("==> /var/log/cloud-init.log <==", "/var/log/cloud-init.log"),
    ("==> /var/log/ecs/ecs-agent.log <==  ", "/var/log/ecs/ecs-agent.log"),
    ("=== cloud-init-output.log ===", "cloud-init-output.log"),
    ("##### journalctl -b #####", "journalctl -b"),
    ("----- /var/log/messages -----", "/var/log/messages"),
    ("-- Boot 1b2c3d --", nil),
    ("ci-info: +-------+-------------+", nil),
    ("+-------+-------------+-----------+", nil),
    ("=== ", nil),
    ("### Heading", nil),
  ])
  func concatenationHeadersNameTheirFile(_ line: String, _ file: String?) {
    #expect(Array(line.utf8).withUnsafeBytes(Concatenation.header) == file, "\(line)")
  }

  /// A concatenation is cut where its logs start: at their headers, else where the kind of lines changes.
  @Test func ssmOutputIsCutIntoItsLogs() throws {
    func parts(_ name: String) throws -> [String] {
      let bytes = Array(try String(contentsOfFile: "\(Self.shipped)/\(name)", encoding: .utf8).utf8)
      return bytes.withUnsafeBytes { p in
        Concatenation.parts(of: p, year: 2025).map { "\($0.firstLine) \($0.file ?? $0.kind?.rawValue ?? "-")" }
      }
    }
    #expect(
      try parts("ssm.ecs-warm-pool-404.cat.stdout") == [
        "1 cloud-init.log", "576 cloud-init-output.log", "642 ecs", "656 journal",
      ])
    #expect(
      try parts("ssm.ecs-warm-pool-404.tail.stdout").map { $0.split(separator: " ")[1] } == [
        "/var/log/cloud-init.log", "/var/log/cloud-init-output.log", "/var/log/ecs-init.log", "/var/log/ecs-agent.log",
      ])
    // journalctl's first note starts the journal; stamped warnings in cloud-init-output.log do not end it.
    let text = [
      "level=info time=2025-02-04T07:02:16Z msg=\"Loading configuration\"",
      "-- Logs begin at Tue 2025-02-04 07:02:00 UTC, end at Tue 2025-02-04 07:10:00 UTC. --",
      "2025-02-04T07:02:00+0000 ip-10-0-2-148 kernel: Linux version 6.1",
      "Cloud-init v. 22.2.2 running 'init-local' at Tue, 04 Feb 2025 07:02:05 +0000. Up 5.19 seconds.",
      "2025-02-04 07:02:06,200 - DataSourceEc2.py[WARNING]: Metadata 'network' key not valid: None.",
      "+ exit 3",
    ].joined(separator: "\n")
    let cut = Array(text.utf8).withUnsafeBytes { p in
      Concatenation.parts(of: p, year: 2025).map { "\($0.firstLine) \($0.kind?.rawValue ?? "-")" }
    }
    #expect(cut == ["1 ecs", "2 journal", "4 cloud-init-output.log"])
    // Only SSM's stdout, or an input that starts with a header, is cut: a console log is not.
    #expect(
      Array("Cloud-init v. 1 running 'init-local' at x\n".utf8).withUnsafeBytes {
        !Concatenation.applies(name: "console.log", head: $0) && Concatenation.applies(name: "out/stdout", head: $0)
      })
  }
}
