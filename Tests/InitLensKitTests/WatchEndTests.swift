import Foundation
import Testing

@testable import InitLensKit

extension LiveProcess {
  /// Sends `lines` a few at a time, as `journalctl -f` hands them over.
  func sendSlowly(_ lines: some Sequence<String>, every: Int = 20) {
    for (n, line) in lines.enumerated() {
      send(line + "\n")
      if n % every == every - 1 { Thread.sleep(forTimeInterval: 0.01) }
    }
  }

  /// Waits (up to `seconds`) for the process to end by itself; false when it still runs.
  func waitForExit(_ seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    return !process.isRunning
  }

  /// Ends a process that outlived its test, so that no test hangs on it.
  func kill() {
    if process.isRunning { process.terminate() }
    if process.isRunning { Thread.sleep(forTimeInterval: 0.5) }
    if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
  }
}

/// How `watch` ends: by a signal as by the end of its input, by `--until-boot-complete` on a host
/// with or without the ECS agent; and what it prints live agrees with the report of the same input.
@Suite(.serialized) struct WatchEndTests {
  static func lines(_ path: String) throws -> [String] {
    try String(contentsOf: Repo.root.appendingPathComponent(path), encoding: .utf8)
      .split(separator: "\n").map(String.init)
  }

  static func object(_ line: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  }

  static func type(_ line: String) -> String? {
    guard let o = object(line) else { return nil }
    return o["incident"] != nil
      ? "incident" : o["rootCause"] != nil ? "rootCause" : o["summary"] != nil ? "summary" : nil
  }

  enum Stop: String, CaseIterable { case interrupt, terminate }

  /// A signal mid-stream: the root cause still waiting for its window is decided and printed, then the
  /// summary, and the exit status is the one the end of the same input gives: the output is the same.
  @Test(arguments: Stop.allCases)
  func aSignalEndsTheInputAsItsEndWould(_ stop: Stop) throws {
    let journal = try Self.lines("samples/imds-503/journal.txt")
    let args = ["watch", "--format", "ndjson", "--fail-on", "error"]
    let live = try LiveProcess(args)
    defer { live.kill() }
    live.sendSlowly(journal)
    // Every line is read once its last incident is out; the chain's 10-minute window is still open.
    #expect(live.waitFor(10) { ($0.contains("datasource-not-found")) } != nil)
    #expect(live.waitFor(0.5) { Self.type($0) == "rootCause" } == nil, "the root cause waits for its window")
    switch stop {
    case .interrupt: live.process.interrupt()
    case .terminate: live.process.terminate()
    }
    // The input is still open and quiet: the signal alone ends the reading.
    #expect(live.waitForExit(10), "watch did not end on SIG\(stop == .interrupt ? "INT" : "TERM")")
    let status = live.close()
    #expect(live.process.terminationReason == .exit, "ended by the signal instead of finishing")
    let lines = live.lines
    #expect(
      lines.contains {
        Self.object($0).flatMap { $0["rootCause"] as? [String: Any] }?["id"] as? String == "imds-503-not-retried"
      },
      "the pending root cause is printed")
    #expect(lines.last.flatMap(Self.type) == "summary", "the summary comes last")
    // The same lines ended by the end of input: the same output and status.
    let ended = try ProcessRun.initlens(args, stdin: Array((journal.joined(separator: "\n") + "\n").utf8), timeout: 60)
    #expect(ended.status == status)
    #expect(ended.stdout.split(separator: "\n").map(String.init) == lines)
  }

  /// Without any line of the ECS agent (its lines, ecs.service, ecs.config), the boot is complete once
  /// cloud-init's final stage is done: watch ends long before its timeout, the input still open.
  @Test(arguments: [
    "samples/imds-503/journal.txt", "samples/imds-503/journal.json",
    "Tests/InitLensKitTests/Fixtures/realci/healthy/cloud-init.log",
    "Tests/InitLensKitTests/Fixtures/realci/userdata-exit3/cloud-init.log",
  ])
  func untilBootCompleteEndsAfterCloudInitWithoutTheAgent(_ path: String) throws {
    let lines = try Self.lines(path)
    let agent = ["ecs-", "ecs.", "Elastic Container Service", "Amazon ECS"]
    #expect(!lines.contains { line in agent.contains { line.contains($0) } }, "a log without the agent")
    let live = try LiveProcess(["watch", "--format", "ndjson", "--until-boot-complete", "--timeout", "60"])
    defer { live.kill() }
    let start = Date()
    live.sendSlowly(lines)
    #expect(live.waitForExit(30), "still waiting for an agent the host does not have")
    #expect(Date().timeIntervalSince(start) < 10, "ended by the timeout, not by the boot's completion")
    #expect(live.close() == 0, "boot complete: not 124 (timed out)")
    #expect(live.lines.last.flatMap(Self.type) == "summary")
  }

  /// A host whose lines showed the agent (ecs.service starting, ecs-init) waits for it to register or
  /// fail: without either in its lines, the wait ends by the timeout.
  @Test func untilBootCompleteWaitsForTheAgentOfAnECSHost() throws {
    let journal = try Self.lines("samples/healthy/journal.txt")
    #expect(journal.contains { $0.contains("Starting ecs.service") })
    #expect(!journal.contains { $0.contains("registration completed") || $0.contains("Registration completed") })
    let live = try LiveProcess(["watch", "--format", "ndjson", "--until-boot-complete", "--timeout", "8"])
    defer { live.kill() }
    let start = Date()
    live.sendSlowly(journal)
    #expect(live.waitForExit(30))
    #expect(Date().timeIntervalSince(start) >= 7.5, "ended before the agent registered or failed")
    #expect(live.close() == 124)
  }

  /// Every log of the samples and of the real cloud-init fixtures: each incident's last live line has
  /// the severity the report gives it, the live incidents are the report's, and a boot is named by one
  /// id across the live lines (one per boot the report has findings in).
  @Test func liveIncidentsAgreeWithTheReport() throws {
    let fm = FileManager.default
    var logs: [String] = []
    for dir in ["samples", "Tests/InitLensKitTests/Fixtures/realci"] {
      let base = Repo.root.appendingPathComponent(dir)
      for sub in try fm.contentsOfDirectory(atPath: base.path).sorted() {
        let names = (try? fm.contentsOfDirectory(atPath: base.appendingPathComponent(sub).path)) ?? []
        for name in names.sorted()
        where name.hasSuffix(".log") || name.hasPrefix("journal.") || name == "messages"
          || name == "console-output.txt"
        {
          logs.append("\(dir)/\(sub)/\(name)")
        }
      }
    }
    #expect(logs.count >= 30)
    var raisedSomewhere = false
    for log in logs {
      let input = Array(try Data(contentsOf: Repo.root.appendingPathComponent(log)))
      let live = try ProcessRun.initlens(["watch", "--format", "ndjson"], stdin: input, timeout: 60)
      let batch = try ProcessRun.initlens(["--format", "json"], stdin: input, timeout: 60)
      let report = try #require(batch.json, "\(log): no report")
      var last: [String: String] = [:]
      var printed: [String: Int] = [:]
      var boots: Set<String> = []
      for line in live.stdout.split(separator: "\n").map(String.init) {
        let o = try #require(Self.object(line), "\(log): not JSON: \(line)")
        if let host = o["host"] as? String, let boot = o["boot"] as? String { boots.insert(host + " " + boot) }
        guard let incident = o["incident"] as? [String: Any] else { continue }
        let key = "\(o["host"]!) \(o["boot"]!) \(incident["kind"]!)"
        last[key] = incident["severity"] as? String
        printed[key, default: 0] += 1
      }
      raisedSomewhere = raisedSomewhere || printed.values.contains { $0 > 1 }
      let hosts = report["hosts"] as? [[String: Any]] ?? []
      let reported = hosts.flatMap { $0["boots"] as? [[String: Any]] ?? [] }
      let expected = reported.flatMap { $0["incidents"] as? [[String: Any]] ?? [] }
        .map { "\($0["kind"]!) \($0["severity"]!)" }.sorted()
      let got = last.map { "\($0.key.split(separator: " ").last!) \($0.value)" }.sorted()
      #expect(got == expected, "\(log): live incidents and severities differ from the report")
      let withFindings = reported.filter {
        !($0["incidents"] as? [Any] ?? []).isEmpty || !($0["rootCauses"] as? [Any] ?? []).isEmpty
      }
      #expect(boots.count == withFindings.count, "\(log): live boot ids \(boots.sorted())")
    }
    // At least one sample raises an incident's severity after its first line (datasource-not-found in
    // cloud-init.log: the Ec2 search's warning, then the final message's error).
    #expect(raisedSomewhere)
  }
}
