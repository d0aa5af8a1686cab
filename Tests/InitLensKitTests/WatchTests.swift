import Foundation
import Testing

@testable import InitLensKit

/// A running `initlens watch` fed through a pipe: output arrives while the input is still open.
final class LiveProcess: @unchecked Sendable {
  // SAFETY: `buffer` is only touched under `lock` (the readability handler runs on another thread).
  let process = Process()
  let input = Pipe()
  let output = Pipe()
  private let lock = NSLock()
  private var buffer = Data()

  init(_ args: [String]) throws {
    process.executableURL = URL(fileURLWithPath: Repo.binary)
    process.arguments = args
    process.currentDirectoryURL = Repo.root
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    output.fileHandleForReading.readabilityHandler = { [weak self] h in
      let d = h.availableData
      guard let self else { return }
      self.lock.lock()
      self.buffer.append(d)
      self.lock.unlock()
    }
    try process.run()
  }

  var lines: [String] {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

  /// Waits (up to `seconds`) for an output line that satisfies `match`.
  func waitFor(_ seconds: Double, _ match: (String) -> Bool) -> String? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let l = lines.first(where: match) { return l }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return nil
  }

  /// Ends the input, waits for the exit, and reads what is left of the output.
  func close() -> Int32 {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    output.fileHandleForReading.readabilityHandler = nil
    try? output.fileHandleForWriting.close()
    let rest = output.fileHandleForReading.readDataToEndOfFile()
    lock.lock()
    buffer.append(rest)
    lock.unlock()
    return process.terminationStatus
  }
}

@Suite(.serialized) struct WatchTests {
  static let journal = try! String(
    contentsOf: Repo.root.appendingPathComponent("samples/imds-503/journal.txt"), encoding: .utf8
  ).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

  func object(_ line: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  }

  func kind(_ line: String) -> String? { (object(line)?["incident"] as? [String: Any])?["kind"] as? String }

  /// Every incident is on stdout after its line is written and before the rest of the input is.
  @Test func eachIncidentArrivesBeforeTheInputEnds() throws {
    let expected = ["imds-503", "imds-endpoint-disabled", "datasource-not-found"]
    let live = try LiveProcess(["watch", "--format", "ndjson"])
    var seen: [String] = []
    for (n, line) in Self.journal.enumerated() {
      live.send(line + "\n")
      guard n % 20 == 0 || line.contains("503") || line.contains("finished at") else { continue }
      // Lines arrive a little at a time, as from `journalctl -f`.
      Thread.sleep(forTimeInterval: 0.01)
      for k in expected where !seen.contains(k) && line.contains(k == "imds-503" ? "[503]" : "\u{0}") {
        #expect(live.waitFor(5) { kind($0) == k } != nil, "\(k) not reported while the input was open")
        seen.append(k)
      }
    }
    // Before closing the input: every incident of the sample, and its root cause, is already out.
    for k in expected {
      #expect(live.waitFor(5) { kind($0) == k } != nil, "\(k) not reported before the input ended")
    }
    // The chain's window (10 minutes after the first 503) is still open in log time: no root cause yet.
    func rootCause(_ l: String) -> Bool {
      (object(l)?["rootCause"] as? [String: Any])?["id"] as? String == "imds-503-not-retried"
    }
    #expect(live.waitFor(0.5, rootCause) == nil)
    // A line 15 minutes later closes it: the root cause comes out while the input is still open.
    live.send("2025-01-22T09:29:30+0000 ip-10-0-1-23.ec2.internal chronyd[2016]: Selected source 169.254.169.123\n")
    live.send("2025-01-22T09:29:31+0000 ip-10-0-1-23.ec2.internal systemd[1]: Failed to start later.service.\n")
    #expect(live.waitFor(5, rootCause) != nil, "root cause not reported once its window closed")
    #expect(!live.lines.contains { object($0)?["type"] as? String == "summary" })
    let status = live.close()
    #expect(status == 0)
    #expect(live.lines.filter { object($0)?["type"] as? String == "summary" }.count == 1, "one summary at the end")
    #expect(live.lines.filter { object($0) == nil }.isEmpty, "every line is JSON")
    #expect(live.lines.filter { kind($0) == "imds-503" }.count == 1, "an incident is reported once")
  }

  @Test func untilBootCompleteExitsWithoutEndOfInput() throws {
    let live = try LiveProcess(["watch", "--until-boot-complete", "--timeout", "30", "--fail-on", "error"])
    let text = try String(
      contentsOf: Repo.root.appendingPathComponent("samples/ecs-warm-pool-404/journal.txt"), encoding: .utf8)
    live.send(text)
    // The input stays open: watch must end by itself once the agent failed after cloud-init finished.
    let start = Date()
    live.process.waitUntilExit()
    #expect(Date().timeIntervalSince(start) < 20)
    #expect(live.close() == 1, "an error incident and --fail-on error")
    #expect(live.lines.contains { $0.contains("CRITICAL ecs-agent-failed") })
  }

  @Test func timeoutEndsTheWait() throws {
    let live = try LiveProcess(["watch", "--until-boot-complete", "--timeout", "1"])
    let start = Date()
    live.process.waitUntilExit()
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(live.process.terminationStatus == 124)
    _ = live.close()
  }

  /// Hours of many hosts through the live path keep only the recent hosts in memory.
  @Test(.requires(FastPathTests.corpusAvailable, FastPathTests.noCorpus))
  func memoryStaysBoundedAsHostsComeAndGo() throws {
    let (log, truth) = try FastPathTests.corpus(3, seed: 8)
    var options = AnalyzerOptions()
    options.anchorEverySegment = true
    options.retireAfterMicros = 60_000_000
    let analyzer = Analyzer(rules: repoRules, options: options)
    var causes = 0
    var peak = 0
    let lines = LiveCounter { isCause in
      if isCause { causes += 1 }
      peak = max(peak, analyzer.builder.segments.count)
    }
    let watch = LiveWatch(analyzer: analyzer, sink: lines)
    var source = MemoryByteSource(Array(log), chunk: 4096)
    analyzer.analyzeLive(name: "j", source: &source)
    watch.tick()
    let report = analyzer.finish()
    try watch.end(report)
    let hosts = Set(truth.map(\.host)).count
    #expect(peak < hosts / 4, "\(peak) live segments for \(hosts) hosts")
    #expect(causes == report.summary.rootCauses)
    #expect(causes == truth.filter { $0.kind != "healthy" }.count)
  }
}

/// Counts live events: `true` for a root cause, `false` for an incident.
final class LiveCounter: ReportSink {
  let body: (Bool) -> Void
  init(_ body: @escaping (Bool) -> Void) { self.body = body }
  func incident(host: String, boot: String, _ incident: Incident) { body(false) }
  func rootCause(host: String, boot: String, _ cause: RootCause) { body(true) }
  func boot(host: String, _ boot: BootReport) {}
  func end(_ report: Report) throws {}
}
