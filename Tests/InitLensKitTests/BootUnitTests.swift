import Foundation
import Testing

@testable import InitLensKit

#if canImport(Glibc)
  import Glibc
#endif

/// packaging/systemd/initlens-boot.service: systemd accepts it, and its own command line, fed a recorded
/// boot live (the journal replaced by a named pipe, the ECS agent's log by a file it follows), ends
/// by itself once the boot is complete, prints the console verdict and writes boot.json.
@Suite(.serialized) struct BootUnitTests {
  static let unit = "packaging/systemd/initlens-boot.service"
  static let journal = "/usr/bin/journalctl --boot --follow --no-tail --output=json"

  /// The script of `ExecStart=/bin/bash -c '…'`.
  static func execStart() throws -> String {
    let text = try String(contentsOf: Repo.root.appendingPathComponent(unit), encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
    let prefix = "ExecStart=/bin/bash -c '"
    #expect(line.hasPrefix(prefix) && line.hasSuffix("'") && line.filter { $0 == "'" }.count == 2)
    return String(line.dropFirst(prefix.count).dropLast())
  }

  static func verify(_ path: String) throws -> ProcessResult {
    try ProcessRun.run([Requirement.tool("systemd-analyze")!, "verify", path], timeout: 60)
  }

  /// `systemd-analyze verify` exits 0 even for unknown keys: it must also say nothing about the unit.
  @Test(.requires(Requirement.tools("systemd-analyze"), "needs systemd-analyze (apt-get install systemd)"))
  func systemdAcceptsTheUnit() throws {
    let r = try Self.verify(Repo.root.appendingPathComponent(Self.unit).path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!(r.stdout + r.stderr).contains("initlens-boot.service"), "\(r.stdout)\(r.stderr)")
    // The check sees a broken copy.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-unit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = try String(contentsOf: Repo.root.appendingPathComponent(Self.unit), encoding: .utf8)
    let bad = dir.appendingPathComponent("initlens-boot.service")
    try text.replacingOccurrences(of: "Type=simple", with: "Type=simpel").write(
      to: bad, atomically: true, encoding: .utf8)
    let broken = try Self.verify(bad.path)
    #expect((broken.stdout + broken.stderr).contains("simpel"))
  }

  /// The writing end of the named pipe once a reader opened it (nil after 20 s without one).
  static func openWhenRead(_ fifo: String) -> FileHandle? {
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
      let fd = open(fifo, O_WRONLY | O_NONBLOCK)
      if fd >= 0 {
        _ = fcntl(fd, F_SETFL, 0)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return nil
  }

  /// What the unit's verdict and boot.json promise, for a recorded boot played live.
  @Test(
    .requires(Requirement.tools("bash", "tail", "mkfifo"), "needs bash, tail and mkfifo"),
    arguments: [("healthy", true, "ecs-warm-pool-404"), ("imds-503", false, "imds-503-not-retried")])
  func recordedBootPlayedIntoTheUnitsCommandLine(_ scenario: String, agentLog: Bool, cause: String) throws {
    let boot = try RecordedBoot(realci: scenario, agentLog: agentLog)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-boot-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("journal").path
    let agent = dir.appendingPathComponent("ecs-agent.log").path
    let json = dir.appendingPathComponent("boot.json").path
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(FileManager.default.createFile(atPath: agent, contents: nil))
    var script = try Self.execStart()
    for (from, to) in [
      (Self.journal, "cat \(fifo)"), ("/usr/bin/initlens", Repo.binary), ("/var/log/initlens/boot.json", json),
      ("/var/log/ecs/ecs-agent.log", agent), ("/usr/bin/tail", try #require(Requirement.tool("tail"))),
    ] {
      #expect(script.components(separatedBy: from).count == 2, "the unit's command names \(from) once")
      script = script.replacingOccurrences(of: from, with: to)
    }
    var output: [Int32] = [0, 0]
    #expect(pipe(&output) == 0)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, output[0])
    posix_spawn_file_actions_addclose(&actions, output[1])
    let args: [String] = ["/bin/bash", "-c", script]
    let argv = args.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    // Its own process group, ended at the end as systemd ends the unit's cgroup (tail -F follows for ever).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    var pid: pid_t = 0
    #expect(posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, environ) == 0)
    defer { kill(-pid, SIGTERM) }
    close(output[1])
    var status: Int32 = 0
    var exited = false
    func poll() -> Bool {
      if !exited && waitpid(pid, &status, WNOHANG) == pid { exited = true }
      return !exited
    }
    defer {
      if poll() {
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
      }
    }
    let journal = try #require(Self.openWhenRead(fifo), "nothing read the journal's pipe")
    Thread.sleep(forTimeInterval: 0.3)  // tail -F is started beside cat
    let agentLog = try #require(FileHandle(forWritingAtPath: agent))
    let started = Date()
    // Once the boot is complete the run ends and the rest of the lines find no reader (EPIPE).
    signal(SIGPIPE, SIG_IGN)
    for (n, line) in boot.lines.enumerated() where poll() {
      let fd = (line.channel == .journal ? journal : agentLog).fileDescriptor
      var bytes = Array((line.text + "\n").utf8)
      guard write(fd, &bytes, bytes.count) == bytes.count else { break }
      if n % 10 == 9 { Thread.sleep(forTimeInterval: 0.02) }
    }
    // The journal stays open, as `journalctl --follow` does: the boot's completion ends the run.
    let deadline = Date().addingTimeInterval(30)
    while poll() && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    #expect(exited, "still running: the boot's completion did not end it")
    try? journal.close()
    try? agentLog.close()
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(exited && status == 0, "exit status \(status)")
    let verdict = String(
      decoding: FileHandle(fileDescriptor: output[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)

    #expect(ConsoleFormatTests.boundBreaks(verdict) == [], "\(verdict)")
    let lines = verdict.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("initlens: BOOT FAILED") == true, "\(verdict)")
    #expect(lines.dropFirst().first == "ROOT CAUSE \(cause)", "\(verdict)")
    #expect(verdict.contains("; boot") && verdict.hasSuffix("complete\n"), "ended by the boot's completion")

    let report = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    #expect(report["schemaVersion"] != nil && report["summary"] != nil)
    let hosts = try #require(report["hosts"] as? [[String: Any]])
    #expect(hosts.map { $0["host"] as? String } == [RecordedBoot.host])
    // The agent log's lines (no host, no boot) belong to the journal's one boot, not a boot of their own.
    #expect(hosts.flatMap { ($0["boots"] as? [[String: Any]]) ?? [] }.count == 1)
    #expect(verdict.contains("1 host, 1 boot,"), "\(verdict)")
    let causes = hosts.flatMap { ($0["boots"] as? [[String: Any]]) ?? [] }
      .flatMap { ($0["rootCauses"] as? [[String: Any]]) ?? [] }
    let found = try #require(causes.first { $0["id"] as? String == cause }, "boot.json lacks \(cause)")
    let fix = try #require((found["fixes"] as? [String])?.first)
    let start = ConsoleRenderer.ascii(fix).split(separator: " ").prefix(4).joined(separator: " ")
    #expect(lines.contains("  FIX: " + start) || lines.contains { $0.hasPrefix("  FIX: " + start) }, "\(verdict)")
  }

  /// A healthy ECS host: the journal never says the agent registered, its own log (read beside the
  /// journal, naming no host) does, and that completes the boot long before the timeout.
  @Test func theAgentLogBesideTheJournalCompletesAHealthyECSBoot() throws {
    let journal = try RecordedBoot.read("samples/healthy/journal.txt").map {
      (RecordedBoot.iso(String($0.prefix(19)) + "Z")!, $0)
    }
    let agent = try RecordedBoot.read("samples/healthy/ecs-agent.log").map {
      (RecordedBoot.iso(String($0.split(separator: " ")[1].dropFirst("time=".count)).prefix(19) + "Z")!, $0)
    }
    let lines = (journal + agent).enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
    #expect(agent.contains { $0.1.contains("Registered container instance with cluster") })
    let live = try LiveProcess(["watch", "--format", "console", "--until-boot-complete", "--timeout", "20"])
    defer { live.kill() }
    let start = Date()
    live.sendSlowly(lines.map(\.element.1))
    #expect(live.waitForExit(30))
    #expect(Date().timeIntervalSince(start) < 15, "ended by the timeout, not by the agent's registration")
    #expect(live.close() == 0)
    #expect(live.lines.first == "initlens: boot OK: no root cause, no error")
    #expect(live.lines.last?.hasSuffix("; boot complete") == true, "\(live.lines)")
  }

  /// `watch --report-json`: the whole report beside the live output, with the batch report's root
  /// causes; a file that cannot be written is exit 2, after the verdict.
  @Test func reportJSONBesideTheVerdict() throws {
    let input = Array(try Data(contentsOf: Repo.root.appendingPathComponent("samples/imds-503/journal.txt")))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-rj-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let json = dir.appendingPathComponent("boot.json").path
    let r = try ProcessRun.initlens(["watch", "--format", "console", "--report-json", json], stdin: input, timeout: 60)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("initlens: BOOT FAILED: 1 root cause\nROOT CAUSE imds-503-not-retried\n"))
    let batch = try ProcessRun.initlens(["--format", "json"], stdin: input, timeout: 60)
    func causes(_ report: [String: Any]?) -> [String] {
      ((report?["hosts"] as? [[String: Any]]) ?? []).flatMap { ($0["boots"] as? [[String: Any]]) ?? [] }
        .flatMap { ($0["rootCauses"] as? [[String: Any]]) ?? [] }.compactMap { $0["id"] as? String }
    }
    let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
    #expect(causes(written as? [String: Any]) == ["imds-503-not-retried"])
    #expect(causes(batch.json) == causes(written as? [String: Any]))
    let unwritable = try ProcessRun.initlens(
      ["watch", "--format", "console", "--report-json", dir.appendingPathComponent("no/such/dir.json").path],
      stdin: input, timeout: 60)
    #expect(unwritable.status == 2)
    #expect(unwritable.stdout == r.stdout, "the verdict comes first")
    #expect(unwritable.stderr.contains("cannot write"))
  }
}
