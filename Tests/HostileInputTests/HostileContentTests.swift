import Foundation
import InitLensKit
import Testing

/// Well-formed bytes with hostile content: journal JSON of the wrong types, times out of order or
/// from the future, host names full of shell and HTML metacharacters.
extension HostileInputTests {
  @Test func journalJSONWithWrongTypesAndMissingFields() throws {
    let dir = try Hostile.tempDir("json")
    defer { Hostile.cleanUp(dir) }
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let lines = [
      #"{"MESSAGE": 42, "__REALTIME_TIMESTAMP": 1750863481470000, "_HOSTNAME": ["a", "b"], "_BOOT_ID": null}"#,
      #"{"MESSAGE": {"nested": {"deeper": [1, 2, {"x": null}]}}, "PRIORITY": "not a number"}"#,
      #"{"MESSAGE": [1, 2, 300, -1, 1.5], "__REALTIME_TIMESTAMP": "soon"}"#,
      #"{"MESSAGE": ["first", "second"], "_HOSTNAME": "h1", "__MONOTONIC_TIMESTAMP": "1e308"}"#,
      #"{"MESSAGE": "\ud800 lone surrogate \udc00 and \u0000 NUL", "_HOSTNAME": "h1"}"#,
      #"{"__REALTIME_TIMESTAMP": "-9223372036854775808", "__MONOTONIC_TIMESTAMP": "5000000", "MESSAGE": "Linux version 6.1"}"#,
      #"{"__REALTIME_TIMESTAMP": "9223372036854775807", "__MONOTONIC_TIMESTAMP": "-1", "MESSAGE": "Journal started"}"#,
      #"{"__REALTIME_TIMESTAMP": "99999999999999999999999", "MESSAGE": "Cloud-init v. 22.2.2 running 'init-local'"}"#,
      #"{}"#,
      #"{"MESSAGE": "#,
      #"{"MESSAGE": "x", "MESSAGE": "duplicate key"}"#,
      #"{"MESSAGE": "trailing garbage"} {"#,
      "{\"MESSAGE\": \(deep)}",
      "{\"MESSAGE\": \"" + String(repeating: "\\u00e9", count: 50_000) + "\"}",
      #"{"level": 5, "msg": ["not", "a", "string"], "time": "2025-13-45T99:99:99Z"}"#,
      #"{"level": "error", "msg": "ok", "time": "9999-12-31T23:59:59.999999999+99:99"}"#,
      #"[1, 2, 3]"#,
      #"{"MESSAGE": "Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]", "SYSLOG_IDENTIFIER": "cloud-init", "_HOSTNAME": "ip-10-0-0-1", "__REALTIME_TIMESTAMP": "1750863481470000", "_BOOT_ID": "0123456789abcdef0123456789abcdef"}"#,
    ]
    let bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
    let file = dir.appendingPathComponent("journal.json")
    try Hostile.write(bytes, to: file)

    let r = try ProcessRun.initlens(["--format", "json", file.path])
    expectSaneRun(r, files: [file.path], lines: lines.count, status: 2)
    // Malformed lines are named with their line numbers and read as plain text.
    #expect(r.errLines.count == 3, "\(r.stderr)")
    for n in [10, 12, 13] {
      #expect(r.errLines.contains { $0.hasPrefix("initlens: \(file.path):\(n): ") }, "line \(n): \(r.stderr)")
    }
    #expect(incidentKinds(r.json).contains("imds-503"))
    let text = try ProcessRun.initlens([file.path])
    #expect(text.signal == nil && text.status == 2)

    for format in [InputFormat.auto, .json, .journal, .plain] {
      var options = AnalyzerOptions()
      options.inputFormat = format
      let (report, diagnostics) = analyzeInMemory([("journal.json", bytes)], options: options)
      expectAccounting(report.summary, lines: lines.count)
      #expect(diagnostics.allSatisfy { !$0.description.contains("\n") })
    }
  }

  @Test func timestampsOutOfOrderAndFromTheFuture() throws {
    let dir = try Hostile.tempDir("time")
    defer { Hostile.cleanUp(dir) }
    let cloudInit = """
      2025-06-25 14:58:03,000 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:03 +0000. Up 5.10 seconds.
      2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
      2024-01-01 00:00:00,000 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled
      9999-12-31 23:59:59,999 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
      0000-01-01 00:00:00,000 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-network' at Sat, 01 Jan 0000 00:00:00 +0000. Up 99999999999.00 seconds.
      2099-02-30 25:61:61,000 - util.py[WARNING]: an impossible date
      2038-01-19 03:14:08,000 - util.py[DEBUG]: Cloud-init v. 24.4 running 'modules:final' at Tue, 19 Jan 2038 03:14:08 +0000. Up 0.01 seconds.
      2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]

      """
    let journal = """
      Dec 31 23:59:59 ip-10-0-0-1 cloud-init[1]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 31 Dec 2025 23:59:59 +0000. Up 1.00 seconds.
      Jan  1 00:00:01 ip-10-0-0-1 cloud-init[1]: 2026-01-01 00:00:01,000 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled
      Jun 25 14:58:01 ip-10-0-0-1 kernel: Linux version 6.1
      Feb 29 12:00:00 ip-10-0-0-1 systemd[1]: Journal started
      [99999999999999999999.000000] cloud-init[1]: Cloud-init v. 22.2.2 running 'init-local'
      [    0.000000] Linux version 6.1
      2262-04-11T23:47:16.854775807+14:00 ip-10-0-0-1 cloud-init[1]: future
      1970-01-01T00:00:00Z ip-10-0-0-1 cloud-init[1]: 1970-01-01 00:00:00,000 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
      9999999999999999999 [Error] Cloud-init v. 22.2.2 an ECS seelog stamp past Int64
      1749224150222807666 [Error] Cloud-init v. 22.2.2 a good one

      """
    let ecs =
      "level=error time=9999-12-31T23:59:59Z msg=\"future\"\nlevel=error time=1969-12-31T23:59:59Z msg=\"past\"\n"
    let inputs = [("cloud-init.log", cloudInit), ("journal.txt", journal), ("ecs-agent.log", ecs)]
    var paths: [String] = []
    for (name, text) in inputs {
      let url = dir.appendingPathComponent(name)
      try Hostile.write(Array(text.utf8), to: url)
      paths.append(url.path)
    }
    let total = inputs.reduce(0) { $0 + lineCount(Array($1.1.utf8)) }
    for format in ["json", "text"] {
      let r = try ProcessRun.initlens(["--format", format] + paths)
      #expect(r.signal == nil && r.status == 0, "\(format): \(r.stderr)")
      if format == "json" { expectSaneRun(r, files: paths, lines: total, status: 0) }
    }
    let fleetDir = dir.appendingPathComponent("fleet/i-time")
    try FileManager.default.createDirectory(at: fleetDir, withIntermediateDirectories: true)
    for (name, text) in inputs { try Hostile.write(Array(text.utf8), to: fleetDir.appendingPathComponent(name)) }
    for format in ["json", "text", "html"] {
      let r = try ProcessRun.initlens(["fleet", "--format", format, fleetDir.path])
      #expect(r.signal == nil && r.status == 0, "fleet \(format): \(r.stderr)")
    }
    for (year, noPrefilter) in [(nil, false), (2025, true), (9999, false)] as [(Int?, Bool)] {
      var options = AnalyzerOptions()
      options.year = year
      options.usePrefilter = !noPrefilter
      let (report, _) = analyzeInMemory(inputs.map { ($0.0, Array($0.1.utf8)) }, options: options)
      expectAccounting(report.summary, lines: total)
      _ = TextRenderer(color: false).render(report)
    }
  }

  @Test func hostNameWithShellAndHTMLMetacharactersIsEscaped() throws {
    let dir = try Hostile.tempDir("host")
    defer { Hostile.cleanUp(dir) }
    let evil = #"ip-1$(touch PWNED)`id`;rm -rf /;<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'"|"#
    let journal = """
      {"_HOSTNAME": \(jsonString(evil)), "_BOOT_ID": "0123456789abcdef0123456789abcdef", "__REALTIME_TIMESTAMP": "1750863480100000", "SYSLOG_IDENTIFIER": "cloud-init", "MESSAGE": "Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds."}
      {"_HOSTNAME": \(jsonString(evil)), "_BOOT_ID": "0123456789abcdef0123456789abcdef", "__REALTIME_TIMESTAMP": "1750863481470000", "SYSLOG_IDENTIFIER": "cloud-init", "MESSAGE": "Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503] <b>bold</b> $(id)"}
      {"_HOSTNAME": "line1\\nline2\\u001b[2J\\u001b]0;title\\u0007", "_BOOT_ID": "fedcba9876543210fedcba9876543210", "__REALTIME_TIMESTAMP": "1750863481470000", "SYSLOG_IDENTIFIER": "cloud-init", "MESSAGE": "Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]"}

      """
    let syslog =
      "Jun 25 14:58:01 <svg/onload=alert(1)>;$(reboot) cloud-init[1]: 2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]\n"
    // A bundle whose name (the host fallback) is hostile too.
    let bundleName = #"i-<b>&"'$(touch PWNED2)"#
    let bundle = dir.appendingPathComponent("fleet/\(bundleName)")
    try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
    try Hostile.write(Array(journal.utf8), to: bundle.appendingPathComponent("journal.json"))
    let other = dir.appendingPathComponent("fleet/i-other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try Hostile.write(Array(syslog.utf8), to: other.appendingPathComponent("messages"))
    let anonymous = dir.appendingPathComponent("fleet/\(bundleName)2")
    try FileManager.default.createDirectory(at: anonymous, withIntermediateDirectories: true)
    try Hostile.write(Array(imds503.utf8), to: anonymous.appendingPathComponent("cloud-init.log"))
    let fleet = dir.appendingPathComponent("fleet").path

    let json = try ProcessRun.initlens(["fleet", "--format", "json", fleet])
    expectSaneRun(json, files: [], status: 0)
    let hosts = Set((json.json?["hosts"] as? [[String: Any]] ?? []).compactMap { $0["host"] as? String })
    #expect(hosts.contains(evil), "the JSON keeps the name exactly: \(hosts)")
    #expect(hosts.contains(bundleName + "2"))

    let html = try ProcessRun.initlens(["fleet", "--format", "html", fleet])
    #expect(html.signal == nil && html.status == 0, "\(html.stderr)")
    for raw in ["<script>alert", "<img src=x", "<svg/onload", "<b>bold</b>", "<b>&\"'", "\u{1B}"] {
      #expect(!html.stdout.contains(raw), "unescaped in HTML: \(raw)")
    }
    #expect(html.stdout.contains("&lt;script&gt;"))

    let text = try ProcessRun.initlens(["fleet", fleet])
    #expect(text.signal == nil && text.status == 0, "\(text.stderr)")
    // Regression (fixed): text output used to print host names raw, escape sequences included.
    #expect(!text.stdout.contains("\u{1B}"), "an escape sequence from a log reached the terminal")
    let analyze = try ProcessRun.initlens([bundle.appendingPathComponent("journal.json").path])
    #expect(analyze.signal == nil && analyze.status == 0)
    // Nothing ran a shell on the names.
    #expect(!FileManager.default.fileExists(atPath: "PWNED") && !FileManager.default.fileExists(atPath: "PWNED2"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["fleet"])

    let (report, _) = analyzeInMemory([("journal.json", Array(journal.utf8)), ("messages", Array(syslog.utf8))])
    expectAccounting(report.summary, lines: 4)
    #expect(report.hosts.contains { $0.host == evil })
  }
}
