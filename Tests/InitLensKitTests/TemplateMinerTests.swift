import Foundation
import Testing

@testable import InitLensKit

/// Real warning lines (from ../shared/logs, sources in its README) for the unmatched templates.
enum RealLines {
  /// stratuslab-gh17-md-noroute-giveup.log (CI-FILE, cloud-init 0.7.x, 2014).
  static let noRoute = [
    "2014-05-12 14:29:56,689 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/2009-04-04/meta-data/instance-id' failed [99/120s]: request error [[Errno 113] No route to host]",
    "2014-05-12 14:30:03,695 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/2009-04-04/meta-data/instance-id' failed [106/120s]: request error [[Errno 113] No route to host]",
    "2014-05-12 14:30:11,702 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/2009-04-04/meta-data/instance-id' failed [114/120s]: request error [[Errno 113] No route to host]",
    "2014-05-12 14:30:16,708 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/2009-04-04/meta-data/instance-id' failed [119/120s]: request error [[Errno 115] Operation now in progress]",
  ]
  /// Same file: the give-up line.
  static let givingUp =
    "2014-05-12 14:30:21,714 - DataSourceEc2.py[CRITICAL]: Giving up on md from ['http://169.254.169.254/2009-04-04/meta-data/instance-id'] after 124 seconds"
  /// ecs-init-roadmap670-imdsv2-required-exit1-legacy.log (ECS-LEGACY).
  static let agentRetry = [
    "2020-01-24T20:19:09Z [WARN] ECS Agent failed to start, retrying in 2.066145821s",
    "2020-01-24T20:19:11Z [WARN] ECS Agent failed to start, retrying in 4.235010051s",
    "2020-01-24T20:19:16Z [WARN] ECS Agent failed to start, retrying in 8.287113937s",
  ]
  /// console-2003-netplan-warning.log (CONSOLE wrapping CI-FILE).
  static let netplan =
    "[   31.031975] cloud-init[644]: 2024-08-22 03:12:38,078 - activators.py[WARNING]: Running ['netplan', 'apply'] resulted in stderr output: Failed to connect system bus: No such file or directory"
  /// ecs-agent-gh447-imds-retry-legacy.log (ECS-LEGACY, agent 1.10.0).
  static let imdsRetry =
    "2016-07-08T22:41:45Z [WARN] Error accessing the EC2 Metadata Service; retrying: Get http://xxx.xxx.xxx.xxx/2014-02-25/dynamic/instance-identity/document: dial tcp xxx.xxx.xxx.xxx:80: i/o timeout"

  /// The message part of `line` (past its header and `[LEVEL]` prefix) and its level, as the
  /// analyzer hands them to the template miner.
  static func message(_ line: String) -> (message: String, level: Level?) {
    let bytes = Array(line.utf8)
    var parser = LineParser(year: 2025)
    return bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      let m = parsed.withInner(p) { String(decoding: $0[min(parsed.messageOffset, $0.count)...], as: UTF8.self) }
      return (m, parsed.level)
    }
  }
}

@Suite struct TemplateMinerTests {
  /// Feeds lines to a miner as the analyzer would: the message part, one evidence per line.
  static func mine(
    _ lines: [String], file: String = "cloud-init.log", host: String = "ip-10-0-1-23", boot: String = "b1",
    into miner: TemplateMiner = TemplateMiner()
  ) -> TemplateMiner {
    for (n, line) in lines.enumerated() {
      miner.add(message: RealLines.message(line).message, host: host, boot: boot) {
        Evidence(file: file, line: n + 1, text: line)
      }
    }
    return miner
  }

  @Test func masksVariablePartsWithTypedPlaceholders() {
    let cases: [(String, String)] = [
      (
        RealLines.message(RealLines.noRoute[0]).message,
        "Calling '<URL>' failed [<NUM>/<NUM>s]: request error [[Errno <NUM>] No route to host]"
      ),
      (RealLines.message(RealLines.agentRetry[0]).message, "ECS Agent failed to start, retrying in <NUM>s"),
      (
        RealLines.message(RealLines.imdsRetry).message,
        "Error accessing the EC2 Metadata Service; retrying: Get <URL>: dial tcp xxx.xxx.xxx.xxx:<NUM>: i/o timeout"
      ),
      ("Failed running /var/lib/cloud/instance/scripts/part-001 [1]", "Failed running <PATH> [<NUM>]"),
      ("instance i-0abc1234def567890 volume vol-0123456789abcdef0 in sg-1a2b3c4d", "instance <ID> volume <ID> in <ID>"),
      ("registered arn:aws:ecs:us-east-1:123456789012:container-instance/abc, retrying", "registered <ID>, retrying"),
      ("boot 5c6a0f0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a failed", "boot <UUID> failed"),
      ("object at 0x7f0c2a1b3d90, commit 5bb3a5b8, id deadbeef12", "object at <HEX>, commit <HEX>, id <HEX>"),
      ("time=2025-02-04T07:02:16Z at 14:58:01,470 on 2025-06-25", "time=<TIME> at <TIME> on <TIME>"),
      ("from 10.0.1.23:443 to 169.254.169.254", "from <IP>:<NUM> to <IP>"),
      // Words with digits stay words; numbers inside a word are not numbers.
      (
        "ec2 IMDSv2 DataSourceEc2 ip-10-0-1-23 2/FAILURE n/a",
        "ec2 IMDSv2 DataSourceEc2 ip-<NUM>-<NUM>-<NUM>-<NUM> <NUM>/FAILURE n/a"
      ),
    ]
    for (input, expected) in cases {
      #expect(TemplateMiner.mask(input) == expected, "\(input)")
    }
  }

  @Test func cloudInitWarningsWithDifferentNumbersClusterIntoOneTemplate() {
    let miner = Self.mine(Array(RealLines.noRoute.prefix(3)))
    let list = miner.templates()
    #expect(list.count == 1)
    #expect(list[0].template == "Calling '<URL>' failed [<NUM>/<NUM>s]: request error [[Errno <NUM>] No route to host]")
    #expect(list[0].count == 3)
    #expect(list[0].hosts == 1 && list[0].boots == 1)
    #expect(list[0].examples.map(\.line) == [1, 2, 3])
    #expect(list[0].examples[0].text == RealLines.noRoute[0])
  }

  @Test func tokensThatDifferBecomeWildcards() {
    let other = RealLines.netplan.replacingOccurrences(of: "'apply']", with: "'generate']")
    let miner = Self.mine([RealLines.netplan, other])
    let list = miner.templates()
    #expect(list.count == 1)
    #expect(
      list.first?.template
        == "Running ['netplan', <*> resulted in stderr output: Failed to connect system bus: No such file or directory")
    // The last "No route" line says "Operation now in progress": 4 of 12 tokens differ, still the template.
    let routes = Self.mine(RealLines.noRoute).templates()
    #expect(routes.count == 1)
    #expect(
      routes.first?.template == "Calling '<URL>' failed [<NUM>/<NUM>s]: request error [[Errno <NUM>] <*> <*> <*> <*>")
  }

  @Test func differentMessagesStayApart() {
    let miner = Self.mine(
      Array(RealLines.noRoute.prefix(2)) + [RealLines.givingUp] + RealLines.agentRetry + [RealLines.netplan])
    let templates = Set(miner.templates().map(\.template))
    #expect(
      templates == [
        "Calling '<URL>' failed [<NUM>/<NUM>s]: request error [[Errno <NUM>] No route to host]",
        "Giving up on md from ['<URL>'] after <NUM> seconds",
        "ECS Agent failed to start, retrying in <NUM>s",
        "Running ['netplan', 'apply'] resulted in stderr output: Failed to connect system bus: No such file or directory",
      ])
    #expect(miner.templates().map(\.count).reduce(0, +) == 7)
  }

  @Test func hostsAndBootsAreCountedDistinctly() {
    let miner = TemplateMiner()
    for (host, boot) in [("a", "1"), ("a", "1"), ("a", "2"), ("b", "1"), ("c", "9")] {
      _ = Self.mine([RealLines.agentRetry[0]], host: host, boot: boot, into: miner)
    }
    let t = miner.templates()[0]
    #expect(t.count == 5)
    #expect(t.hosts == 3)
    #expect(t.boots == 4)  // a/1, a/2, b/1, c/9: boot "1" of a and of b are different boots
  }

  @Test func capsHoldHoweverManyLines() {
    var limits = TemplateMiner.Limits()
    limits.maxClusters = 3
    limits.maxKeys = 5
    limits.maxExampleBytes = 40
    let miner = TemplateMiner(limits: limits)
    let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
    var calls = 0
    for (i, w) in words.enumerated() {
      for k in 0..<20 {
        miner.add(message: "\(w) failed badly", host: "h\(k)", boot: "b\(k)") {
          calls += 1
          return Evidence(file: "f", line: i * 100 + k, text: String(repeating: "é", count: 100))
        }
      }
    }
    let list = miner.templates()
    #expect(list.count == 3)
    #expect(miner.overflow == 4 * 20)
    #expect(miner.lines == 7 * 20)
    #expect(calls == 3 * 3)  // evidence is built only while a template wants an example
    for t in list {
      #expect(t.count == 20)
      #expect(t.hosts == 5 && t.boots == 5)  // past maxKeys the sets stop growing
      #expect(t.examples.count == 3)
      #expect(t.examples.allSatisfy { $0.text.utf8.count <= 40 + "…".utf8.count && $0.text.hasSuffix("…") })
    }
    // A very long message costs no more than its first maxMessageBytes.
    let long = "x failed " + String(repeating: "word ", count: 10_000)
    let m = TemplateMiner()
    m.add(message: long, host: "h", boot: "b") { Evidence(file: "f", line: 1, text: long) }
    #expect(m.templates()[0].template.utf8.count <= 1024)
    #expect(m.templates()[0].examples[0].text.utf8.count <= 300 + 3)
  }

  @Test func idsAreStableAcrossRunsAndOrders() {
    #expect(UnmatchedTemplate.id(for: "a") == "t-e40c292c")  // FNV-1a 32 of "a"
    let lines = RealLines.noRoute + [RealLines.givingUp, RealLines.netplan] + RealLines.agentRetry
    let a = Self.mine(lines).templates()
    let b = Self.mine(lines).templates()
    #expect(a == b)
    let reversed = Self.mine(lines.reversed()).templates()
    #expect(Set(a.map(\.id)) == Set(reversed.map(\.id)))
    for t in a {
      #expect(t.id == UnmatchedTemplate.id(for: t.template))
      #expect(t.id.count == 10 && t.id.hasPrefix("t-"))
    }
  }

  static func template(_ id: String, hosts: Int, boots: Int, count: Int, examples: [Int] = [1]) -> UnmatchedTemplate {
    UnmatchedTemplate(
      id: id, template: "template \(id)", hosts: hosts, boots: boots, count: count,
      examples: examples.map { Evidence(file: "\(id).log", line: $0, text: "line \($0)") })
  }

  @Test func sortOrderIsHostsBootsCountThenID() {
    let list = [
      Self.template("t-00000003", hosts: 1, boots: 1, count: 9),
      Self.template("t-00000002", hosts: 2, boots: 1, count: 1),
      Self.template("t-00000005", hosts: 1, boots: 2, count: 1),
      Self.template("t-00000004", hosts: 1, boots: 1, count: 9),
      Self.template("t-00000001", hosts: 1, boots: 1, count: 1),
    ]
    #expect(
      UnmatchedTemplate.sorted(list).map(\.id) == [
        "t-00000002", "t-00000005", "t-00000003", "t-00000004", "t-00000001",
      ])
    #expect(UnmatchedTemplate.sorted(list.reversed()) == UnmatchedTemplate.sorted(list))
  }

  @Test func combineSumsByIDAndKeepsTheFirstExamples() {
    let a = [
      Self.template("t-0000000a", hosts: 1, boots: 2, count: 5, examples: [7, 9]),
      Self.template("t-0000000b", hosts: 1, boots: 1, count: 1),
    ]
    let b = [Self.template("t-0000000a", hosts: 2, boots: 2, count: 3, examples: [1, 8])]
    let c = [Self.template("t-0000000c", hosts: 4, boots: 4, count: 4)]
    let all = UnmatchedTemplate.combine([a, b, c])
    #expect(all.map(\.id) == ["t-0000000c", "t-0000000a", "t-0000000b"])
    let merged = all[1]
    #expect(merged.hosts == 3 && merged.boots == 4 && merged.count == 8)
    #expect(merged.examples.map(\.line) == [1, 7, 8])
    // Order of the lists and grouping (shards merged later) do not matter.
    #expect(UnmatchedTemplate.combine([c, b, a]) == all)
    #expect(UnmatchedTemplate.combine([UnmatchedTemplate.combine([a, b]), c]) == all)
    #expect(UnmatchedTemplate.combine([a, b, c], limit: 2).map(\.id) == ["t-0000000c", "t-0000000a"])
  }

  @Test func warningLevelDecidesAndFailingWordsWithoutALevel() {
    #expect(TemplateMiner.isWarningOrWorse(level: .warning, message: "all good"))
    #expect(TemplateMiner.isWarningOrWorse(level: .critical, message: "x"))
    #expect(!TemplateMiner.isWarningOrWorse(level: .info, message: "request failed"))  // a known level wins
    #expect(!TemplateMiner.isWarningOrWorse(level: .debug, message: "Traceback (most recent call last):"))
    #expect(TemplateMiner.isWarningOrWorse(level: nil, message: "Failed to start Docker Application Container Engine."))
    #expect(TemplateMiner.isWarningOrWorse(level: nil, message: "Traceback (most recent call last):"))
    #expect(TemplateMiner.isWarningOrWorse(level: nil, message: "<3>nvme nvme0: I/O timeout"))
    #expect(!TemplateMiner.isWarningOrWorse(level: nil, message: "<6>EXT4-fs (nvme0n1p1): mounted filesystem"))
    #expect(!TemplateMiner.isWarningOrWorse(level: nil, message: "Started Journal Service."))
    // Levels as the parser reads them from real lines.
    #expect(RealLines.message(RealLines.noRoute[0]).level == .warning)
    #expect(RealLines.message(RealLines.agentRetry[0]).level == .warning)
    #expect(RealLines.message(RealLines.givingUp).level == .critical)
  }

  /// The engine's literal prefilter passes over lines without literals: warning lines must be
  /// candidates, or the template miner never sees them; the benchmark's info noise must not become one.
  @Test func warningLinesAreCandidatesOfThePrefilter() {
    let classifier = Classifier(rules: repoRules.rules)
    let prefilter = Prefilter(literals: classifier.literals, sample: UnsafeRawBufferPointer(start: nil, count: 0))
    var present = LiteralBits(count: classifier.literals.count)
    func candidate(_ line: String) -> Bool {
      Array(line.utf8).withUnsafeBytes { prefilter.scan($0, &present) }
    }
    for line in [
      RealLines.netplan, RealLines.agentRetry[0], "level=error time=2025-02-04T07:02:16Z msg=\"something new\"",
      "2025-06-25T14:00:01+0000 ip-10-0-1-23 systemd[1]: Failed to start Foo.",
      "2025-06-25 14:58:01,470 - util.py[WARNING]: new",
    ] {
      #expect(candidate(line), "\(line)")
    }
    for line in [
      "2025-06-25T14:00:01+0000 ip-10-0-1-23 dockerd[1234]: time=\"2025-06-25T14:00:01+0000\" level=info msg=\"API listen on /run/docker.sock\"",
      "2025-06-25T14:00:01+0000 ip-10-0-1-23 chronyd[321]: Selected source 169.254.169.123",
    ] {
      #expect(!candidate(line), "\(line)")
    }
  }

  // MARK: - The analyzer's side

  /// Feeds real lines to an analyzer's unmatched-line hook as `process` does for lines no rule matched.
  static func note(_ analyzer: Analyzer, _ lines: [String], host: String?, bootKey: String, file: String) {
    for (n, line) in lines.enumerated() {
      let (message, level) = RealLines.message(line)
      var m = message
      m.withUTF8 { bytes in
        analyzer.examiner.noteUnmatched(
          message: UnsafeRawBufferPointer(bytes), level: level, host: host, bootKey: bootKey
        ) {
          Evidence(file: file, line: n + 1, text: line)
        }
      }
    }
  }

  @Test func analyzerFilesWarningsAndCountsResolvedBoots() {
    let analyzer = Analyzer(rules: repoRules)
    Self.note(analyzer, Array(RealLines.noRoute.prefix(2)), host: "ip-10-0-1-23", bootKey: "0", file: "cloud-init.log")
    Self.note(analyzer, [RealLines.noRoute[2]], host: nil, bootKey: "1", file: "journal.log")
    Self.note(analyzer, [RealLines.noRoute[2]], host: "ip-10-0-9-9", bootKey: "2", file: "other.log")
    // Below warning: never filed.
    Self.note(
      analyzer, ["2014-05-12 14:29:56,689 - url_helper.py[DEBUG]: Calling 'http://x' failed [1/2s]: y"],
      host: "ip-10-0-1-23", bootKey: "0", file: "cloud-init.log")

    // Each boot key its own boot, a line without a host on the default host.
    let plain = analyzer.builder.unmatchedTemplates()
    #expect(plain.count == 1)
    #expect(plain[0].count == 4)
    #expect(plain[0].hosts == 3 && plain[0].boots == 3)  // ip-10-0-1-23, unknown, ip-10-0-9-9

    // finish() knows segments 0 and 1 are one boot of one host.
    let resolved = analyzer.builder.unmatchedTemplates { host, key in
      key == "2" ? ("ip-10-0-9-9", "b2") : ("ip-10-0-1-23", "b1")
    }
    #expect(resolved[0].hosts == 2 && resolved[0].boots == 2 && resolved[0].count == 4)
    #expect(resolved[0].examples.map(\.file) == ["cloud-init.log", "cloud-init.log", "journal.log"])

    // The same through `place`, as finishHost records it.
    analyzer.builder.unmatched.place(bootKey: "0", host: "ip-10-0-1-23", boot: "b1")
    analyzer.builder.unmatched.place(bootKey: "1", host: "ip-10-0-1-23", boot: "b1")
    let placed = analyzer.builder.unmatchedTemplates()
    #expect(placed[0].hosts == 2 && placed[0].boots == 2 && placed[0].count == 4)
  }

  @Test func analyzerRedactsTemplates() {
    let analyzer = Analyzer(rules: repoRules)
    let line = "2025-06-25 14:58:01,470 - util.py[WARNING]: chpasswd failed for password=hunter2"
    Self.note(analyzer, [line], host: "h", bootKey: "0", file: "cloud-init.log")
    let t = analyzer.builder.unmatchedTemplates()
    #expect(t.count == 1)
    #expect(!t[0].template.contains("hunter2"))
    #expect(t[0].id == UnmatchedTemplate.id(for: t[0].template))
  }

  // MARK: - Reports

  static func reportWithUnmatched(fleet: Bool = false) throws -> Report {
    var report = try GoldenTests.report("healthy")
    let miner = Self.mine(RealLines.noRoute + [RealLines.givingUp, "<script>alert(1)</script> failed \u{1B}[31m"])
    report.unmatched = miner.templates()
    if fleet { report.fleet = FleetSection.aggregate(hosts: report.hosts, bundles: 1, bundleErrors: []) }
    return report
  }

  @Test func unmatchedRoundTrips() throws {
    let report = try Self.reportWithUnmatched()
    let json = JSONRenderer.render(report)
    #expect(json.contains("\"unmatched\": [\n    {\n      \"boots\": 1,\n      \"count\": 4,"))
    let back = try Report.decode(Data(json.utf8))
    #expect(back.unmatched == report.unmatched)
    #expect(JSONRenderer.render(back) == json)
    // A report written before the key existed decodes with an empty list.
    var old = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    old.removeValue(forKey: "unmatched")
    let decoded = try Report.decode(JSONSerialization.data(withJSONObject: old))
    #expect(decoded.unmatched.isEmpty)
    // Always present, [] when empty.
    #expect(JSONRenderer.render(try GoldenTests.report("healthy")).contains("\"unmatched\": []"))
  }

  @Test func textReportShowsTheTemplatesAfterTheIncidents() throws {
    let report = try Self.reportWithUnmatched()
    let text = TextRenderer(color: false).render(report)
    let section = try #require(text.range(of: "Unmatched warnings (no rule knows these)"))
    #expect(text[section.upperBound...].contains("Calling '<URL>' failed [<NUM>/<NUM>s]: request error"))
    // The example shows the message, without the line's time stamp.
    #expect(text[section.upperBound...].contains("url_helper.py[WARNING]: Calling 'http://169.254.169.254/2009"))
    #expect(!text[section.upperBound...].contains(RealLines.noRoute[0].prefix(26)))
    #expect(text[section.upperBound...].contains("initlens rules suggest ID --from REPORT.json"))
    #expect(!text.contains("\u{1B}"))  // the ESC from the log is made safe
    #expect(!TextRenderer(color: false).render(try GoldenTests.report("healthy")).contains("Unmatched warnings"))

    let fleetText = FleetTextRenderer(color: false).render(try Self.reportWithUnmatched(fleet: true))
    let incidents = try #require(fleetText.range(of: "INCIDENT"))
    let unmatched = try #require(fleetText.range(of: "Unmatched warnings"))
    #expect(incidents.lowerBound < unmatched.lowerBound)
  }

  @Test func textReportListsTheTopTen() {
    var report = Report(summary: Summary(), inputs: [], hosts: [])
    report.unmatched = (0..<12).map { Self.template(String(format: "t-%08x", $0), hosts: 1, boots: 1, count: 1) }
    let text = TextRenderer(color: false).render(report)
    #expect(text.contains("t-00000009"))
    #expect(!text.contains("t-0000000a"))
    #expect(text.contains("… 2 more in --format json"))
  }

  @Test func htmlReportHasAnEscapedTable() throws {
    let html = HTMLRenderer().render(try Self.reportWithUnmatched())
    #expect(html.contains("<section id=\"unmatched\">"))
    #expect(html.contains("&lt;script&gt;alert(&lt;NUM&gt;)&lt;/script&gt;"))
    #expect(!html.contains("<script>"))
    #expect(!HTMLRenderer().render(try GoldenTests.report("healthy")).contains("id=\"unmatched\""))
  }

  @Test func fleetCombineSumsTemplatesAcrossBundles() throws {
    var a = Report(summary: Summary(), inputs: [], hosts: [])
    a.unmatched = Self.mine(RealLines.agentRetry, host: "a").templates()
    var b = Report(summary: Summary(), inputs: [], hosts: [])
    b.unmatched = Self.mine(Array(RealLines.agentRetry.prefix(1)), host: "b").templates()
    let fleet = Report.combine([a, b], bundles: 2, bundleErrors: [])
    #expect(fleet.unmatched.count == 1)
    #expect(fleet.unmatched[0].hosts == 2 && fleet.unmatched[0].boots == 2 && fleet.unmatched[0].count == 4)
    #expect(Report.combine([b, a], bundles: 2, bundleErrors: []) == fleet)
  }
}
