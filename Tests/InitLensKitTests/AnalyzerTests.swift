import Testing

@testable import InitLensKit

@Suite struct AnalyzerTests {
  let set = rules(
    rule(
      id: "t-503", kind: "imds-503", source: "cloud-init", severity: "warning",
      pattern: #"bad status code \[(?<status>503)\]"#, match: "bad status code [503]"),
    rule(
      id: "t-disabled", kind: "imds-endpoint-disabled", source: "cloud-init",
      pattern: "IMDS's HTTP endpoint is probably disabled", match: "IMDS's HTTP endpoint is probably disabled"),
    rule(
      id: "t-lifecycle", kind: "ecs-lifecycle-404", source: "ecs-agent", severity: "critical",
      pattern: #"Could not determine target lifecycle.*StatusCode: (?<status>404)"#,
      match: "Could not determine target lifecycle StatusCode: 404"),
    rule(
      id: "t-cluster", kind: "ecs-cluster-not-found", source: "ecs-agent",
      pattern: #"status code: (?<code>400), request id"#, match: "status code: 400, request id"),
    rule(
      id: "t-exit", kind: "ecs-agent-failed", source: "systemd",
      pattern: #"ecs\.service: Main process exited, code=exited, status=(?<status>\d+)"#,
      match: "ecs.service: Main process exited, code=exited, status=5")
  )

  static let cloudInitLog = """
    2025-06-25 14:58:00,100 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds.
    2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
    2025-06-25 14:58:01,471 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled

    2025-06-25 15:30:00,000 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 15:30:00 +0000. Up 4.00 seconds.
    2025-06-25 15:30:01,000 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
    2025-06-25 15:30:02,000 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]

    """

  @Test func everyLineIsCountedOnce() {
    let (report, _) = analyze([("cloud-init.log", Self.cloudInitLog)], rules: set)
    let s = report.summary
    #expect(s.linesRead == 7)
    #expect(s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
    #expect(s.linesMatched == 4)
    #expect(s.linesSkipped == 1 && s.skipped == ["blank": 1])
  }

  @Test func bootsSplitOnInitLocalAndMatchesFoldPerBoot() throws {
    let (report, _) = analyze([("cloud-init.log", Self.cloudInitLog)], rules: set)
    #expect(report.hosts.map(\.host) == ["unknown"])
    let boots = report.hosts[0].boots
    #expect(boots.count == 2)
    #expect(boots[0].start.map(Timestamp.iso) == "2025-06-25T14:57:55.000Z")  // banner time minus "Up 5.10 seconds"
    #expect(boots[0].versions == ["cloud-init": "22.2.2"])
    #expect(boots[0].incidents.map(\.kind) == ["imds-503", "imds-endpoint-disabled"])
    let second = try #require(boots[1].incidents.first)
    #expect(second.kind == "imds-503" && second.count == 2)
    #expect(
      second.first.map(Timestamp.iso) == "2025-06-25T15:30:01.000Z"
        && second.last.map(Timestamp.iso) == "2025-06-25T15:30:02.000Z")
    #expect(second.captures == ["status": "503"])
    #expect(second.evidence.map(\.line) == [6, 7])
    #expect(second.evidence[0].file == "cloud-init.log")
    #expect(second.fix == "fix for t-503")
  }

  @Test func evidenceIsCapped() {
    let lines = (0..<20).map { "2025-06-25 14:58:\(10 + $0),000 - url_helper.py[WARNING]: bad status code [503]" }
    var options = AnalyzerOptions()
    options.maxEvidence = 3
    let (report, _) = analyze([("cloud-init.log", lines.joined(separator: "\n"))], rules: set, options: options)
    let incident = report.hosts[0].boots[0].incidents[0]
    #expect(incident.count == 20)
    #expect(incident.evidence.count == 3)
  }

  @Test func theSameEventInTwoInputsCountsOnce() {
    let journal = """
      2025-06-25T14:57:55+0000 ip-10-0-1-5 kernel: Linux version 6.1.0
      2025-06-25T14:58:01+0000 ip-10-0-1-5 cloud-init[812]: 2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
      """
    let (report, _) = analyze([("cloud-init.log", Self.cloudInitLog), ("journal.txt", journal)], rules: set)
    // One host: the journal names it, and cloud-init.log (no host names) belongs with it.
    #expect(report.hosts.map(\.host) == ["ip-10-0-1-5"])
    let boots = report.hosts[0].boots
    #expect(boots.count == 2)
    #expect(boots[0].start.map(Timestamp.iso) == "2025-06-25T14:57:55.000Z")
    let first503 = boots[0].incidents.first { $0.kind == "imds-503" }
    #expect(first503?.count == 1)
    #expect(first503?.evidence.count == 1)
  }

  @Test func unanchoredInputsFallIntoBootsByTime() {
    let agent = """
      level=info time=2025-06-25T14:59:00Z msg="Amazon ECS agent Version: 1.89.3, Commit: 0d1bb9a7" module=agent.go
      level=critical time=2025-06-25T14:59:10Z msg="Could not determine target lifecycle of instance: operation error ec2imds: GetMetadata, http response error StatusCode: 404, request to EC2 IMDS failed" module=agent.go
      level=info time=2025-06-25T15:31:00Z msg="Amazon ECS agent Version: 1.91.1, Commit: 1234abcd" module=agent.go
      """
    let (report, _) = analyze([("cloud-init.log", Self.cloudInitLog), ("ecs/ecs-agent.log", agent)], rules: set)
    let boots = report.hosts[0].boots
    #expect(boots.count == 2)
    #expect(boots[0].versions["ecs-agent"] == "1.89.3")
    #expect(boots[1].versions["ecs-agent"] == "1.91.1")
    #expect(boots[0].incidents.contains { $0.kind == "ecs-lifecycle-404" && $0.source == .ecsAgent })
    #expect(!boots[1].incidents.contains { $0.kind == "ecs-lifecycle-404" })
  }

  @Test func agentLogAloneGetsAnUnknownBoot() {
    let agent =
      "level=critical time=2025-06-25T14:59:10Z msg=\"Could not determine target lifecycle of instance: StatusCode: 404\""
    let (report, _) = analyze([("ecs-agent.log", agent)], rules: set)
    #expect(report.hosts[0].boots.map(\.boot) == ["unknown"])
    #expect(report.hosts[0].boots[0].start.map(Timestamp.iso) == "2025-06-25T14:59:10.000Z")
  }

  @Test func interleavedJournalSplitsHostsAndBoots() {
    let journal = """
      2025-06-25T14:57:55+0000 host-a kernel: Linux version 6.1.0
      2025-06-25T14:57:56+0000 host-b kernel: Linux version 6.1.0
      2025-06-25T14:58:01+0000 host-a cloud-init[812]: 2025-06-25 14:58:01,470 - url_helper.py[WARNING]: bad status code [503]
      2025-06-25T14:58:02+0000 host-b systemd[1]: ecs.service: Main process exited, code=exited, status=5/NOTCONFIGURED
      2025-06-25T16:00:00+0000 host-a kernel: Linux version 6.1.0
      2025-06-25T16:00:01+0000 host-a cloud-init[812]: 2025-06-25 16:00:01,000 - url_helper.py[WARNING]: bad status code [503]
      """
    let (report, _) = analyze([("journal.txt", journal)], rules: set)
    #expect(report.hosts.map(\.host) == ["host-a", "host-b"])
    #expect(report.hosts[0].boots.count == 2)
    #expect(report.hosts[1].boots.count == 1)
    #expect(report.hosts[1].boots[0].incidents.map(\.captures) == [["status": "5"]])
    #expect(report.summary.hosts == 2 && report.summary.boots == 3 && report.summary.incidents == 3)
  }

  @Test func journalBootSeparatorAndJSONBootIDs() {
    let short = """
      -- Boot 11111111111111111111111111111111 --
      2025-06-25T14:58:01+0000 h cloud-init[1]: 2025-06-25 14:58:01,470 - url_helper.py[WARNING]: bad status code [503]
      -- Boot 22222222222222222222222222222222 --
      2025-06-25T14:59:01+0000 h cloud-init[1]: 2025-06-25 14:59:01,470 - url_helper.py[WARNING]: bad status code [503]
      """
    let (a, _) = analyze([("j.txt", short)], rules: set)
    #expect(a.hosts[0].boots.map(\.boot) == ["11111111111111111111111111111111", "22222222222222222222222222222222"])
    #expect(a.summary.skipped == ["separator": 2])
    let json = """
      {"__REALTIME_TIMESTAMP":"1750863481470000","__MONOTONIC_TIMESTAMP":"6470000","_BOOT_ID":"aaaa","_HOSTNAME":"h","SYSLOG_IDENTIFIER":"cloud-init","MESSAGE":"2025-06-25 14:58:01,470 - url_helper.py[WARNING]: bad status code [503]"}
      {"__REALTIME_TIMESTAMP":"1750863541470000","_BOOT_ID":"bbbb","_HOSTNAME":"h","SYSLOG_IDENTIFIER":"cloud-init","MESSAGE":"2025-06-25 14:59:01,470 - url_helper.py[WARNING]: bad status code [503]"}
      """
    let (b, _) = analyze([("j.json", json)], rules: set)
    #expect(b.hosts[0].boots.map(\.boot) == ["aaaa", "bbbb"])
    #expect(b.hosts[0].boots[0].start.map(Timestamp.iso) == "2025-06-25T14:57:55.000Z")  // realtime minus monotonic
  }

  @Test func continuationLinesInheritTheirRecord() {
    let legacy = """
      2019-07-31T05:00:48Z [ERROR] Unable to register as a container instance with ECS: ClientException: Cluster not found.
      \tstatus code: 400, request id: d700ab09-7b4a-4ed3-bdcb-4081a11eea57
      """
    let (report, _) = analyze([("ecs-agent.log", legacy)], rules: set)
    let incident = report.hosts[0].boots[0].incidents[0]
    #expect(incident.kind == "ecs-cluster-not-found")
    #expect(incident.first.map(Timestamp.iso) == "2019-07-31T05:00:48.000Z")
    #expect(incident.evidence.map(\.line) == [2])
  }

  @Test func sourceFamiliesKeepRulesApart() {
    // A cloud-init rule never fires on an ECS agent line, even when the text matches.
    let (report, _) = analyze(
      [("ecs-agent.log", "level=warn time=2025-06-25T14:59:10Z msg=\"bad status code [503]\"")], rules: set)
    #expect(report.summary.incidents == 0)
    // A line of unknown source meets every rule.
    let (other, _) = analyze([("x.txt", "something said bad status code [503]")], rules: set)
    #expect(other.summary.incidents == 1)
  }

  @Test func yearComesFromADatedLineInTheSameInput() {
    let syslog = """
      Mar 23 04:18:27 task-302 systemd[1]: Starting Initial cloud-init job (pre-networking)...
      Mar 23 04:18:33 task-302 cloud-init[399]: Cloud-init v. 17.2 running 'init-local' at Fri, 23 Mar 2018 04:18:28 +0000. Up 4.98 seconds.
      Mar 23 04:18:34 task-302 cloud-init[399]: 2018-03-23 04:18:34,100 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled
      """
    let (report, _) = analyze([("messages", syslog)], rules: set)
    #expect(report.hosts[0].boots.last?.incidents.first?.first.map(Timestamp.iso) == "2018-03-23T04:18:34.100Z")
  }

  @Test func binaryAndOverLongLinesAreSkippedNotLost() {
    var options = AnalyzerOptions()
    options.maxLineBytes = 100
    let text =
      "ok line\n\u{0}\u{0}2025-06-25 14:58:01,470 - url_helper.py[WARNING]: bad status code [503]\nbin\u{0}ary\n"
      + String(repeating: "x", count: 500) + "\n\n"
    let (report, _) = analyze([("cloud-init.log", text)], rules: set, options: options)
    let s = report.summary
    #expect(s.linesRead == 5)
    #expect(s.linesMatched == 1)  // NUL padding before a line is looked past
    #expect(s.skipped == ["binary": 1, "too-long": 1, "blank": 1])
    #expect(s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
  }

  @Test func malformedJSONIsReportedWithFileAndLine() {
    let (report, diags) = analyze(
      [("j.json", "{\"MESSAGE\":\"ok\",\"__REALTIME_TIMESTAMP\":\"1\"}\n{\"MESSAGE\": broken\n")], rules: set)
    #expect(diags.map(\.description) == ["j.json:2: not a valid JSON object; read as plain text"])
    #expect(report.summary.linesRead == 2)
  }

  @Test func reportIsDeterministic() {
    let inputs = [
      ("cloud-init.log", Self.cloudInitLog),
      (
        "ecs-agent.log",
        "level=critical time=2025-06-25T14:59:10Z msg=\"Could not determine target lifecycle of instance: StatusCode: 404\""
      ),
    ]
    let a = JSONRenderer.render(analyze(inputs, rules: set).0)
    let b = JSONRenderer.render(analyze(inputs, rules: set).0)
    #expect(a == b)
    let reversed = analyze(inputs.reversed(), rules: set).0
    #expect(reversed.hosts == analyze(inputs, rules: set).0.hosts)
  }
}
