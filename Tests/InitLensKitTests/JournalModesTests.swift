import Foundation
import Testing

@testable import InitLensKit

/// Real inputs as they come: every journalctl output mode of a real journal, and real cloud-init logs.
///
/// `Fixtures/journal-modes/<mode>.txt` is what `journalctl --file … -o <mode>` (systemd 252) printed for a
/// journal that systemd-journal-remote built from the entries of samples/imds-503 and
/// samples/ecs-warm-pool-404 (two hosts, two boots): `scripts/make-journal-fixtures`.
@Suite(.serialized) struct JournalModesTests {
  static let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/journal-modes")
  static let realci = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci")

  /// Every mode the issue names; the fixtures may hold more (whatever the installed journalctl has).
  static let modes = [
    "short", "short-iso", "short-precise", "short-iso-precise", "short-full", "short-monotonic", "short-unix",
    "with-unit", "json", "json-pretty", "json-seq", "json-sse", "export", "verbose", "cat",
  ]
  /// Modes that print no host name.
  static let hostless: Set<String> = ["cat"]

  /// What a report says per boot, in boot order: host, start (µs), incident kinds with counts, root causes.
  struct Boot: Equatable, CustomStringConvertible {
    var host: String
    var start: Int64?
    var incidents: [String]
    var rootCauses: [String]
    var description: String { "\(host) \(start.map(Timestamp.iso) ?? "-") \(incidents) \(rootCauses)" }
  }

  struct Run {
    var status: Int32
    var err: String
    var boots: [Boot]
    var summary: [String: Any]
  }

  static func analyse(_ file: URL) throws -> Run {
    let r = try run(["--format", "json", file.path])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], "\(r.err)")
    var boots: [Boot] = []
    for host in json["hosts"] as? [[String: Any]] ?? [] {
      for boot in host["boots"] as? [[String: Any]] ?? [] {
        let start = (boot["start"] as? String).flatMap { s in
          Array(s.utf8).withUnsafeBytes { $0.rfc3339(0)?.0 }
        }
        let incidents = (boot["incidents"] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? "?")×\($0["count"] ?? 0)" }
        let causes = (boot["rootCauses"] as? [[String: Any]] ?? []).map { "\($0["chain"] ?? $0["id"] ?? "?")" }
        boots.append(
          Boot(
            host: host["host"] as? String ?? "?", start: start, incidents: incidents.sorted(),
            rootCauses: causes.sorted()))
      }
    }
    boots.sort { ($0.start ?? 0, $0.host) < ($1.start ?? 0, $1.host) }
    return Run(status: r.status, err: r.err, boots: boots, summary: json["summary"] as? [String: Any] ?? [:])
  }

  /// Lines as the reader counts them: `\n`, `\r\n` or a lone `\r` ends one; a last line without an end counts.
  static func lineCount(_ data: Data) -> Int {
    var n = 0
    var previous: UInt8 = 0x0A
    for b in data {
      if b == 0x0A {
        if previous != 0x0D { n += 1 }
      } else if b == 0x0D {
        n += 1
      }
      previous = b
    }
    if let last = data.last, last != 0x0A && last != 0x0D { n += 1 }
    return n
  }

  @Test func everyModeGivesTheIncidentsRootCausesHostsAndBootsOfJSON() throws {
    let baseline = try Self.analyse(Self.dir.appendingPathComponent("json.txt"))
    try #require(baseline.status == 0 && baseline.err.isEmpty, "\(baseline.err)")
    // The journal holds two boots of two hosts: imds-503 (with its root cause) and ecs-warm-pool-404.
    try #require(baseline.boots.count == 2)
    #expect(baseline.boots.map(\.host) == ["ip-10-0-1-23.ec2.internal", "ip-10-0-2-148.ec2.internal"])
    #expect(baseline.boots[0].rootCauses == ["imds-503-not-retried"])
    #expect(baseline.boots[1].incidents.contains("ecs-agent-failed×4"))

    let files = try FileManager.default.contentsOfDirectory(atPath: Self.dir.path).filter { $0.hasSuffix(".txt") }
    let present = Set(files.map { String($0.dropLast(4)) })
    #expect(present.isSuperset(of: Self.modes), "missing fixtures: \(Set(Self.modes).subtracting(present).sorted())")
    for mode in present.sorted() {
      let file = Self.dir.appendingPathComponent(mode + ".txt")
      let r = try Self.analyse(file)
      #expect(r.status == 0, "\(mode): exit \(r.status)")
      if Self.hostless.contains(mode) {
        // One note, naming what is missing and the modes to use instead.
        let lines = r.err.split(separator: "\n")
        #expect(lines.count == 1, "\(mode): \(r.err)")
        #expect(r.err.contains("host") && r.err.contains("-o short-iso") && r.err.contains("-o json"), "\(mode)")
      } else {
        #expect(r.err.isEmpty, "\(mode): \(r.err)")
      }
      #expect(r.boots.count == baseline.boots.count, "\(mode): \(r.boots)")
      for (got, want) in zip(r.boots, baseline.boots) {
        #expect(got.incidents == want.incidents, "\(mode)")
        #expect(got.rootCauses == want.rootCauses, "\(mode)")
        #expect(got.host == (Self.hostless.contains(mode) ? "unknown" : want.host), "\(mode)")
        // The same boot starts at the same time, within short's one-second precision.
        if let g = got.start, let w = want.start {
          #expect(abs(g - w) <= 1_000_000, "\(mode): boot starts \(Timestamp.iso(g)), json says \(Timestamp.iso(w))")
        } else {
          Issue.record("\(mode): a boot without a start: \(got)")
        }
      }
      // Every line is counted: the lines of a multi-line record too.
      let lines = Self.lineCount(try Data(contentsOf: file))
      let s = r.summary
      #expect(s["linesRead"] as? Int == lines, "\(mode)")
      let sum =
        (s["linesMatched"] as? Int ?? -1) + (s["linesUnmatched"] as? Int ?? -1) + (s["linesSkipped"] as? Int ?? -1)
      #expect(sum == lines, "\(mode): \(s)")
    }
  }

  /// The fixtures are what the real tools print now: the journal is built again with
  /// systemd-journal-remote and read back with journalctl in every mode it has. Skipped (with the
  /// reason) without the tools, except in CI (`CI` set), which installs them and must run it.
  @Test(
    .enabled(
      if: JournalTools.available || ProcessInfo.processInfo.environment["CI"] != nil,
      "systemd-journal-remote, journalctl or python3 is not installed (apt-get install systemd-journal-remote)"))
  func fixturesAreWhatJournalctlPrintsNow() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", Repo.root.appendingPathComponent("scripts/make-journal-fixtures").path, "--check"]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = Pipe()
    try p.run()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(message)")
  }

  /// Real cloud-init logs (cloud-init 22.4.2) read without a warning and exit 0: the `{'type': …}`
  /// lines of its network configuration continue the record above them; the fast path and the full
  /// path agree.
  @Test func realCloudInitLogsReadCleanly() throws {
    let scenarios = try FileManager.default.contentsOfDirectory(atPath: Self.realci.path).filter {
      !$0.hasSuffix(".md")
    }.sorted()
    try #require(!scenarios.isEmpty)
    var withBraceLines = 0
    for scenario in scenarios {
      let files = ["cloud-init.log", "cloud-init-output.log"].map {
        Self.realci.appendingPathComponent(scenario).appendingPathComponent($0)
      }
      let log = try Data(contentsOf: files[0])
      if log.split(separator: 0x0A).contains(where: { $0.first == 0x7B }) { withBraceLines += 1 }
      let r = try run(["--format", "json"] + files.map(\.path))
      #expect(r.status == 0, "\(scenario): exit \(r.status)")
      #expect(r.err.isEmpty, "\(scenario): \(r.err)")

      var reports: [String] = []
      for prefilter in [true, false] {
        var options = AnalyzerOptions()
        options.usePrefilter = prefilter
        let analyzer = Analyzer(rules: repoRules, options: options)
        for file in files { analyzer.analyzeFile(path: file.path) }
        let report = analyzer.finish()
        #expect(analyzer.diagnostics.isEmpty, "\(scenario): \(analyzer.diagnostics)")
        let lines = try files.reduce(0) { $0 + Self.lineCount(try Data(contentsOf: $1)) }
        let s = report.summary
        #expect(s.linesRead == lines && s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
        reports.append(JSONRenderer.render(report))
      }
      #expect(reports[0] == reports[1], "\(scenario): the prefilter changed the report")
    }
    #expect(withBraceLines >= 5, "real logs with `{` continuation lines to test: \(withBraceLines)")
  }

  /// In a JSON input a broken line is still an error naming file and line (exit 2); the lines around
  /// it are read.
  @Test func brokenLineOfAJSONJournalIsAnError() throws {
    let good = try String(contentsOf: Self.dir.appendingPathComponent("json.txt"), encoding: .utf8)
    var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[4] = String(lines[4].prefix(60))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-jm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("journal.json")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    let r = try run(["--format", "json", file.path])
    #expect(r.status == 2)
    #expect(r.err == "initlens: \(file.path):5: not a valid JSON object; read as plain text\n")
    #expect(r.out.contains("imds-503-not-retried"))
  }
}

/// Multi-line journal records at their edges, through the library.
@Suite struct JournalRecordTests {
  static let warning =
    "2025-01-22 09:14:08,741 - DataSourceEc2.py[WARNING]: Fatal error while requesting Ec2 IMDSv2 API tokens"

  static func incidents(_ report: Report) -> [String] {
    report.hosts.flatMap { h in h.boots.flatMap { b in b.incidents.map { "\(h.host) \($0.kind)×\($0.count)" } } }
      .sorted()
  }

  /// A binary export field whose length and bytes hold newlines is read whole, and the fields after it too.
  @Test func exportBinaryFieldSplitByNewlinesIsReadWhole() throws {
    // 266 bytes: the length's first byte is 0x0A; the message ends in a second line.
    var message = Array(("\u{1B}[0m" + Self.warning).utf8)
    message += Array(repeating: 0x20, count: 266 - message.count - 5) + Array("\nmore".utf8)
    #expect(message.count == 266)
    let header = "__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1737537248741000\n__MONOTONIC_TIMESTAMP=5000000\n"
    let fields = "_BOOT_ID=5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7\n_HOSTNAME=h1\nPRIORITY=4\n"
    var export = Array((header + fields + "MESSAGE\n").utf8)
    export += (0..<8).map { UInt8((message.count >> (8 * $0)) & 0xFF) } + message + [0x0A]
    export += Array("SYSLOG_IDENTIFIER=cloud-init\n\n".utf8)
    let json =
      "{\"__REALTIME_TIMESTAMP\":\"1737537248741000\",\"__MONOTONIC_TIMESTAMP\":\"5000000\",\"_BOOT_ID\":\"5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7\",\"_HOSTNAME\":\"h1\",\"PRIORITY\":\"4\",\"SYSLOG_IDENTIFIER\":\"cloud-init\",\"MESSAGE\":["
      + message.map(String.init).joined(separator: ",") + "]}\n"

    let (fromJSON, d1) = analyze([("journal.json", json)], rules: repoRules)
    let (fromExport, d2) = analyze([("journal.export", String(decoding: export, as: UTF8.self))], rules: repoRules)
    #expect(d1.isEmpty && d2.isEmpty, "\(d1) \(d2)")
    #expect(!Self.incidents(fromJSON).isEmpty)
    #expect(Self.incidents(fromExport) == Self.incidents(fromJSON))
    let s = fromExport.summary
    let lines = JournalModesTests.lineCount(Data(export))
    #expect(s.linesRead == lines && s.linesMatched == 1 && s.linesMatched + s.linesUnmatched + s.linesSkipped == lines)
  }

  /// A json-pretty object that breaks off is an error at its first line; the objects after it are read.
  @Test func brokenPrettyObjectIsReportedAndTheNextIsRead() {
    func object(_ host: String) -> String {
      "{\n\t\"__REALTIME_TIMESTAMP\" : \"1737537248741000\",\n\t\"_HOSTNAME\" : \"\(host)\",\n"
        + "\t\"_BOOT_ID\" : \"b-\(host)\",\n\t\"SYSLOG_IDENTIFIER\" : \"cloud-init\",\n"
        + "\t\"MESSAGE\" : \"\(Self.warning)\"\n}\n"
    }
    let broken = "{\n\t\"_HOSTNAME\" : \"h0\",\n"
    let text = object("h1") + broken + object("h2")
    let (report, diags) = analyze([("pretty.json", text)], rules: repoRules)
    #expect(diags.map(\.description) == ["pretty.json:8: not a valid JSON object; read as plain text"])
    #expect(Self.incidents(report).map { $0.split(separator: " ")[0] } == ["h1", "h2"])
    let s = report.summary
    #expect(s.linesRead == 16 && s.linesMatched + s.linesUnmatched + s.linesSkipped == 16)
  }

  /// A verbose value over several lines stays one field; the next entry starts at its cursor line.
  @Test func verboseMultiLineValue() {
    let entry = { (i: Int, realtime: String, message: String) in
      "Wed 2025-01-22 09:14:0\(i).741000 UTC [s=ab;i=\(i);b=5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7;m=4c4b40;t=\(realtime);x=1]\n"
        + "    _HOSTNAME=h1\n    SYSLOG_IDENTIFIER=cloud-init\n    MESSAGE=\(message)\n"
    }
    // The cursor's t= (µs, hex) is the time, m= the time since boot (5 s): the boot started at 09:13:56.741.
    let text =
      entry(1, "62c47ea13f6c8", "first line\n            second line") + entry(2, "62c47ea233908", Self.warning)
    let (report, diags) = analyze([("verbose.txt", text)], rules: repoRules)
    #expect(diags.isEmpty)
    #expect(!Self.incidents(report).isEmpty)
    #expect(report.hosts.map(\.host) == ["h1"])
    #expect(report.hosts.first?.boots.first?.start.map(Timestamp.iso) == "2025-01-22T09:13:56.741Z")
    let s = report.summary
    #expect(s.linesRead == 9 && s.linesMatched + s.linesUnmatched == 2 && s.skipped == ["record": 7])
  }
}

enum JournalTools {
  static let remote = ["/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"]
  static var available: Bool {
    let fm = FileManager.default
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    func inPath(_ tool: String) -> Bool { path.contains { fm.isExecutableFile(atPath: "\($0)/\(tool)") } }
    return remote.contains(where: fm.isExecutableFile(atPath:)) && inPath("journalctl") && inPath("python3")
  }
}
