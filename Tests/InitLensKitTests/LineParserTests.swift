import Testing

@testable import InitLensKit

@Suite struct LineParserTests {
  struct Expect: Sendable, CustomStringConvertible {
    var line: String
    var format: LineFormat
    var time: String?
    var host: String? = nil
    var ident: String? = nil
    var source: Source
    var level: Level? = nil
    var inner: String
    var description: String { line }
  }

  static let cases: [Expect] = [
    Expect(
      line:
        "2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]",
      format: .cloudInit, time: "2025-06-25T14:58:01.470Z", source: .cloudInit, level: .warning,
      inner:
        "2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]"
    ),
    Expect(
      line:
        "2024-07-24T08:13:06+0000 ip-10-0-0-1 cloud-init[1234]: 2024-07-24 08:13:06,801 - url_helper.py[WARNING]: Calling 'x' failed [0/120s]: bad status code [503]",
      format: .journalISO, time: "2024-07-24T08:13:06.801Z", host: "ip-10-0-0-1", ident: "cloud-init",
      source: .cloudInit,
      level: .warning,
      inner: "2024-07-24 08:13:06,801 - url_helper.py[WARNING]: Calling 'x' failed [0/120s]: bad status code [503]"),
    Expect(
      line:
        "2024-07-24T04:13:06.797000-0400 ip-10-0-0-1 systemd[1]: Starting Initial cloud-init job (pre-networking)...",
      format: .journalISO, time: "2024-07-24T08:13:06.797Z", host: "ip-10-0-0-1", ident: "systemd", source: .systemd,
      inner: "Starting Initial cloud-init job (pre-networking)..."),
    Expect(
      line:
        "2024-07-24T08:13:06+00:00 ip-10-0-0-1 amazon-ecs-init[3141]: level=info time=2024-07-24T08:13:06Z msg=\"pre-start\"",
      format: .journalISO, time: "2024-07-24T08:13:06.000Z", host: "ip-10-0-0-1", ident: "amazon-ecs-init",
      source: .ecsInit,
      level: .info, inner: "level=info time=2024-07-24T08:13:06Z msg=\"pre-start\""),
    Expect(
      line:
        "Jul 24 08:13:06 ip-10-0-0-1 cloud-init[1234]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 24 Jul 2024 08:13:06 +0000. Up 5.23 seconds.",
      format: .journalShort, time: "2024-07-24T08:13:06.000Z", host: "ip-10-0-0-1", ident: "cloud-init",
      source: .cloudInit,
      inner: "Cloud-init v. 22.2.2 running 'init-local' at Wed, 24 Jul 2024 08:13:06 +0000. Up 5.23 seconds."),
    Expect(
      line: "Jul 24 08:13:06.797000 ip-10-0-0-1 kernel: Linux version 6.1.0",
      format: .journalShort, time: "2025-07-24T08:13:06.797Z", host: "ip-10-0-0-1", ident: "kernel", source: .kernel,
      inner: "Linux version 6.1.0"),
    Expect(
      line:
        "Apr 30 19:39:11 cloud-init[2673]: handlers.py[DEBUG]: start: init-local/check-cache: attempting to read from cache [check]",
      format: .journalShort, time: "2025-04-30T19:39:11.000Z", ident: "cloud-init", source: .cloudInit,
      inner: "handlers.py[DEBUG]: start: init-local/check-cache: attempting to read from cache [check]"),
    Expect(
      line:
        "Aug 29 22:55:26 test1 [CLOUDINIT] handlers.py[DEBUG]: finish: modules-final: SUCCESS: running modules for final",
      format: .journalShort, time: "2025-08-29T22:55:26.000Z", host: "test1", ident: "cloud-init", source: .cloudInit,
      level: .debug, inner: "[CLOUDINIT] handlers.py[DEBUG]: finish: modules-final: SUCCESS: running modules for final"),
    Expect(
      line:
        "[    6.926700] cloud-init[535]: 2020-07-28 08:54:12,463 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [404]",
      format: .console, time: "2020-07-28T08:54:12.463Z", ident: "cloud-init", source: .cloudInit, level: .warning,
      inner:
        "2020-07-28 08:54:12,463 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [404]"
    ),
    Expect(
      line: "[    0.000000] Linux version 5.10.0 (gcc 10)", format: .console, time: nil, ident: "kernel",
      source: .kernel,
      inner: "Linux version 5.10.0 (gcc 10)"),
    Expect(
      line:
        "level=critical time=2025-02-04T07:02:21Z msg=\"Could not determine target lifecycle of instance\" module=agent.go",
      format: .ecsLogfmt, time: "2025-02-04T07:02:21.000Z", source: .ecsAgent, level: .critical,
      inner:
        "level=critical time=2025-02-04T07:02:21Z msg=\"Could not determine target lifecycle of instance\" module=agent.go"
    ),
    Expect(
      line:
        "2019-07-31T05:00:48Z [ERROR] Unable to register as a container instance with ECS: ClientException: Cluster not found.",
      format: .ecsLegacy, time: "2019-07-31T05:00:48.000Z", source: .ecsAgent, level: .error,
      inner:
        "2019-07-31T05:00:48Z [ERROR] Unable to register as a container instance with ECS: ClientException: Cluster not found."
    ),
    Expect(
      line:
        "{\"level\":\"info\",\"time\":\"2024-10-01T06:24:05Z\",\"msg\":\"Remaining memory\",\"remainingMemory\":31292}",
      format: .ecsJSON, time: "2024-10-01T06:24:05.000Z", source: .ecsAgent, level: .info,
      inner:
        "{\"level\":\"info\",\"time\":\"2024-10-01T06:24:05Z\",\"msg\":\"Remaining memory\",\"remainingMemory\":31292}"),
    Expect(
      line:
        "{\"_HOSTNAME\":\"ip-10-0-0-1\",\"PRIORITY\":\"4\",\"SYSLOG_IDENTIFIER\":\"cloud-init\",\"_BOOT_ID\":\"0123456789abcdef0123456789abcdef\",\"__REALTIME_TIMESTAMP\":\"1721808786797000\",\"MESSAGE\":\"IMDS\\u0027s HTTP endpoint is \\\"probably\\\" disabled\"}",
      format: .journalJSON, time: "2024-07-24T08:13:06.797Z", host: "ip-10-0-0-1", ident: "cloud-init",
      source: .cloudInit,
      level: .warning, inner: "IMDS's HTTP endpoint is \"probably\" disabled"),
    Expect(
      line:
        "{\"MESSAGE\":[27,91,48,109,104,105],\"_HOSTNAME\":\"h\",\"__REALTIME_TIMESTAMP\":\"1721808786797000\",\"SYSLOG_IDENTIFIER\":\"amazon-ecs-init\"}",
      format: .journalJSON, time: "2024-07-24T08:13:06.797Z", host: "h", ident: "amazon-ecs-init", source: .ecsInit,
      inner: "\u{1B}[0mhi"),
    Expect(
      line:
        "Jun 06 15:35:50 host amazon-ecs-init[3103]: 1749224150222807666 [Error] format error: unrecognized formatter at 1: InitLogfmt",
      format: .journalShort, time: "2025-06-06T15:35:50.222807Z", host: "host", ident: "amazon-ecs-init",
      source: .ecsInit,
      level: .error, inner: "1749224150222807666 [Error] format error: unrecognized formatter at 1: InitLogfmt"),
    Expect(
      line: "ci-info: |   2   | 169.254.169.254 |   0.0.0.0   | 255.255.255.255 |    eth0   |   UH  |", format: .plain,
      time: nil, source: .cloudInit,
      inner: "ci-info: |   2   | 169.254.169.254 |   0.0.0.0   | 255.255.255.255 |    eth0   |   UH  |"),
    Expect(
      line: "\tstatus code: 400, request id: d700ab09", format: .plain, time: nil, source: .other,
      inner: "\tstatus code: 400, request id: d700ab09"),
    Expect(
      line: "time=\"2016-01-28T10:58:35.513708191Z\" level=info msg=\"GET /v1.17/_ping\"", format: .plain, time: nil,
      source: .other, inner: "time=\"2016-01-28T10:58:35.513708191Z\" level=info msg=\"GET /v1.17/_ping\""),
    // journalctl short-full, with-unit (the unit names the source) and short-unix.
    Expect(
      line: "Wed 2025-01-22 09:14:03.118402 UTC ip-10-0-1-23.ec2.internal kernel: Linux version 6.1.124",
      format: .journalFull, time: "2025-01-22T09:14:03.118402Z", host: "ip-10-0-1-23.ec2.internal", ident: "kernel",
      source: .kernel, inner: "Linux version 6.1.124"),
    Expect(
      line:
        "Tue 2025-02-04 07:02:20 UTC ip-10-0-2-148.ec2.internal ecs.service[2634]: level=error time=2025-02-04T07:02:20Z msg=\"x\"",
      format: .journalFull, time: "2025-02-04T07:02:20.000Z", host: "ip-10-0-2-148.ec2.internal",
      ident: "ecs.service", source: .ecsInit, level: .error, inner: "level=error time=2025-02-04T07:02:20Z msg=\"x\""),
    Expect(
      line: "Wed 2025-01-22 09:14:08 UTC h cloud-init-local.service[1870]: Cloud-init v. 22.2.2 running 'init-local'",
      format: .journalFull, time: "2025-01-22T09:14:08.000Z", host: "h", ident: "cloud-init-local.service",
      source: .cloudInit, inner: "Cloud-init v. 22.2.2 running 'init-local'"),
    Expect(
      line: "1737537243.118402 ip-10-0-1-23.ec2.internal systemd[1]: Started x.",
      format: .journalUnix, time: "2025-01-22T09:14:03.118402Z", host: "ip-10-0-1-23.ec2.internal", ident: "systemd",
      source: .systemd, inner: "Started x."),
  ]

  /// short-monotonic and short-delta are told once per input: a console line has no host.
  @Test func monotonicJournalLinesNameTheirHost() {
    var parser = LineParser(year: 2025)
    parser.monotonicJournal = true
    for line in [
      "[    5.123456] ip-10-0-1-23.ec2.internal cloud-init[1870]: hello",
      "[    5.123456 <    0.000100 >] ip-10-0-1-23.ec2.internal cloud-init[1870]: hello",
    ] {
      let parsed = Array(line.utf8).withUnsafeBytes { parser.parse($0) }
      #expect(parsed.format == .journalMonotonic, "\(line)")
      #expect(parsed.host == "ip-10-0-1-23.ec2.internal")
      #expect(parsed.source == .cloudInit)
      #expect(parsed.monotonic == 5.123456)
      #expect(parsed.time == nil)
    }
    var console = LineParser(year: 2025)
    let usb = Array("[    2.000000] usb 1-1: new high-speed USB device".utf8).withUnsafeBytes { console.parse($0) }
    #expect(usb.format == .console && usb.host == nil)
  }

  @Test func inputShapeIsToldByTheFirstLine() {
    let cases: [(String, InputShape?)] = [
      ("{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"x\"}", .jsonLines), ("\u{1E}{\"MESSAGE\":\"x\"}", .jsonSeq),
      ("data: {\"MESSAGE\":\"x\"}", .jsonSSE), ("{", .jsonPretty), ("__CURSOR=s=0123;i=1", .export),
      ("Wed 2025-01-22 09:14:03.118402 UTC [s=f0;i=1;b=5f;m=0;t=62c47ea28fb42;x=58]", .verbose),
      ("[    0.000000] ip-10-0-1-23.ec2.internal kernel: Linux version 6.1", .monotonic),
      ("[    0.000000 <    0.000000 >] h systemd[1]: x", .monotonic), ("[    0.000000] Linux version 6.1", .lines),
      ("[   14.226188] cloud-init[872]: foo[3] bar", .lines), ("[    2.000000] usb 1-1: new device", .lines),
      ("{'type': 'physical'}", .lines), ("2025-06-25 14:58:01,470 - util.py[DEBUG]: x", .lines),
      ("", nil), ("-- Journal begins at Mon 2024-01-01 00:00:00 UTC. --", nil),
    ]
    for (line, shape) in cases {
      #expect(Array(line.utf8).withUnsafeBytes { InputShape.detect($0) } == shape, "\(line)")
    }
  }

  @Test(arguments: cases)
  func parses(_ e: Expect) {
    var parser = LineParser(year: 2025)
    let bytes = Array(e.line.utf8)
    bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      #expect(parsed.format == e.format)
      #expect(parsed.time.map(Timestamp.iso) == e.time)
      #expect(parsed.host == e.host)
      #expect(parsed.ident == e.ident)
      #expect(parsed.source == e.source)
      if let level = e.level { #expect(parsed.level == level) }
      #expect(parsed.withInner(p) { String(decoding: $0, as: UTF8.self) } == e.inner)
    }
  }

  @Test func separatorsAreRecognised() {
    var parser = LineParser(year: 2025)
    for (line, boot) in [
      ("-- Boot fedcba9876543210fedcba9876543210 --", "fedcba9876543210fedcba9876543210"), ("-- Reboot --", ""),
      ("-- No entries --", nil),
      ("-- Logs begin at Mon 2024-01-01 00:00:00 UTC, end at Tue 2024-01-02 00:00:00 UTC. --", nil),
    ] {
      let parsed = Array(line.utf8).withUnsafeBytes { parser.parse($0) }
      #expect(parsed.isSeparator, "\(line)")
      #expect(parsed.bootID == boot)
    }
  }

  @Test func yearAdvancesWhenDecemberWrapsToJanuary() {
    var parser = LineParser(year: 2024)
    let a = Array("Dec 31 23:59:59 h cron[1]: x".utf8).withUnsafeBytes { parser.parse($0) }
    let b = Array("Jan  1 00:00:01 h cron[1]: y".utf8).withUnsafeBytes { parser.parse($0) }
    #expect(a.time.map(Timestamp.iso) == "2024-12-31T23:59:59.000Z")
    #expect(b.time.map(Timestamp.iso) == "2025-01-01T00:00:01.000Z")
  }

  @Test func brokenJSONIsReportedAndKeptAsText() {
    var parser = LineParser(year: 2025)
    parser.jsonInput = true
    let parsed = Array("{\"MESSAGE\": \"cut off".utf8).withUnsafeBytes { parser.parse($0) }
    #expect(parsed.malformed != nil)
    #expect(parsed.format == .plain)
  }

  /// In a text log a `{` line is a continuation (cloud-init's network config dump), never an error.
  @Test func braceLineInATextInputContinuesTheRecord() {
    var parser = LineParser(year: 2025)
    for text in ["{'type': 'physical', 'name': 'eth0'}", "{\"MESSAGE\": \"cut off", "{"] {
      let parsed = Array(text.utf8).withUnsafeBytes { parser.parse($0) }
      #expect(parsed.malformed == nil, "\(text)")
      #expect(parsed.headerless, "\(text)")
    }
  }

  @Test func forcedFormatDisablesDetection() {
    var parser = LineParser(forced: .plain, year: 2025)
    let parsed = Array("2025-06-25 14:58:01,470 - url_helper.py[WARNING]: x".utf8).withUnsafeBytes { parser.parse($0) }
    #expect(parsed.format == .plain)
  }

  @Test func fileNameImpliesSource() {
    #expect(LineParser.source(forFileName: "/var/log/ecs/ecs-init.log.2025-01-01-01") == .ecsInit)
    #expect(LineParser.source(forFileName: "bundle/var/log/ecs/ecs-agent.log.gz") == .ecsAgent)
    #expect(LineParser.source(forFileName: "/var/log/cloud-init-output.log") == .cloudInit)
    #expect(LineParser.source(forFileName: "/var/log/messages") == nil)
  }

  @Test func timestampRoundTrip() {
    let t = Timestamp.micros(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, micro: 123_456)
    #expect(Timestamp.iso(t) == "2024-02-29T23:59:58.123456Z")
    #expect(Timestamp.iso(0) == "1970-01-01T00:00:00.000Z")
  }

  /// Regression: a journal line whose message is only a colour code read past the end of the line.
  @Test func colourCodeAloneAfterTheIdentifierDoesNotCrash() {
    var parser = LineParser(year: 2025)
    for line in ["Nov 16 16:04:45 ip-172-31-22-57 amazon-ecs-init: #033[0m", "h ident[1]: \u{1B}[0m", "#033[0m"] {
      let parsed = Array(line.utf8).withUnsafeBytes { parser.parse($0) }
      #expect(parsed.inner.upperBound <= line.utf8.count)
    }
  }
}

@Suite struct TimestampFormatTests {
  @Test func isoWritesMillisecondsOrMicrosecondsAndAnyYear() {
    #expect(
      Timestamp.iso(Timestamp.micros(year: 2025, month: 6, day: 25, hour: 14, minute: 58, second: 1, micro: 470_000))
        == "2025-06-25T14:58:01.470Z")
    #expect(
      Timestamp.iso(Timestamp.micros(year: 1999, month: 12, day: 31, hour: 23, minute: 59, second: 59, micro: 1))
        == "1999-12-31T23:59:59.000001Z")
    #expect(
      Timestamp.iso(Timestamp.micros(year: 12025, month: 1, day: 2, hour: 3, minute: 4, second: 5))
        == "12025-01-02T03:04:05.000Z")
  }
}
