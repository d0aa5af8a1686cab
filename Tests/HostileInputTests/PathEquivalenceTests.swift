import Foundation
import Testing

@testable import InitLensKit

/// The fast path (literal prefilter, header-less lines restored from a copy of the last unexamined
/// line) and the full path (`usePrefilter = false`: every line parsed) must give byte-identical
/// reports on every input. Random small logs mixing every line shape the parser knows, with and
/// without rule literals, through both paths.
@Suite struct PathEquivalenceTests {
  /// Writes random logs of the shapes `LineParser` reads, seeded (the same logs on every run).
  struct LogMaker {
    var rng: SplitMix
    var second = 0

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    /// Mostly forward in time, sometimes a step back (a clock step).
    mutating func tick() -> Int {
      second = chance(8) ? max(0, second - Int(rng.next() % 30)) : second + Int(rng.next() % 4)
      return second
    }
    mutating func clock() -> String {
      let s = tick()
      return String(format: "14:%02d:%02d", (s / 60) % 60, s % 60)
    }
    mutating func host() -> String { pick(["ip-10-0-0-9", "ip-10-0-0-9", "ip-10-0-0-9", "ip-10-0-1-5", "web-1"]) }
    mutating func ident() -> String {
      pick([
        "systemd[1]", "sshd[812]", "cloud-init[1502]", "kernel", "ecs-init[3001]", "amazon-ecs-agent[4100]",
        "chronyd[600]", "NetworkManager[700]",
      ])
    }

    /// A message: benign text, or one holding a rule's or the engine's literal.
    mutating func message() -> String {
      if chance(55) {
        return pick([
          "Started Session 4 of User ec2-user.", "Reached target Network.", "Accepted publickey for ec2-user",
          "ens5: Gained IPv6LL", "Selected source 169.254.169.123", "Image excluded from cleanup",
          "pam_unix(sshd:session): session opened", "Writing to /var/lib/cloud/data/python-version",
        ])
      }
      return pick([
        "Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]",
        "IMDS's HTTP endpoint is probably disabled", "Error registering: ClientException: Cluster not found.",
        "Failed to start app.service - App.", "ecs.service: Main process exited, code=exited, status=5/NOTINSTALLED",
        "Linux version 6.1.124-134.200.amzn2023.x86_64 (mockbuild@ip-10-0-35-42)", "Journal started",
        "Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds.",
        "start: init-local/search-Ec2Local: searching for local data", "Unexpected error while running command.",
        "Setting the hostname to web-1", "Reading from /var/lib/cloud/instances/i-0abc123/obj.pkl",
      ])
    }

    /// One record of some shape, as one or more lines.
    mutating func record() -> [String] {
      switch rng.next() % 17 {
      case 0, 1: return ["Jun 25 \(clock()) \(host()) \(ident()): \(message())"]
      case 2, 3: return ["2025-06-25T\(clock())+0000 \(host()) \(ident()): \(message())"]
      case 4:
        let s = tick()
        let msg = message().replacingOccurrences(of: "'", with: "\\u0027")
        return [
          #"{"__REALTIME_TIMESTAMP":"\#(1_750_860_000_000_000 + s * 1_000_000)","_HOSTNAME":"\#(host())","_BOOT_ID":"\#(pick(["b1", "b2"]))","SYSLOG_IDENTIFIER":"cloud-init","MESSAGE":"\#(msg)"}"#
        ]
      case 5, 6:
        var lines = [
          "2025-06-25 \(clock()),\(100 + rng.next() % 900) - \(pick(["util.py", "subp.py", "url_helper.py"]))[\(pick(["DEBUG", "WARNING"]))]: \(message())"
        ]
        for _ in 0..<(rng.next() % 4) {
          lines.append(
            pick([
              "Command: ['/var/lib/cloud/instance/scripts/part-001']", "Exit code: 3", "Reason: -",
              "Traceback (most recent call last):", "  File \"/usr/lib/python3.9/site-packages/x.py\", line 3",
              "{'type': 'physical', 'name': 'eth0'}", "Stdout: ", "Image excluded from cleanup",
              "Error registering: ClientException: Cluster not found.", "\tstatus code: 400, request id: d700ab09",
            ]))
        }
        return lines
      case 7:
        return [
          "[    \(tick()).\(100_000 + rng.next() % 900_000)] \(pick(["", "systemd[1]: ", "cloud-init[1502]: "]))\(message())"
        ]
      case 8:
        return [
          "level=\(pick(["info", "warn", "error"])) time=2025-06-25T\(clock())Z msg=\"\(message())\" module=agent.go"
        ]
      case 9: return ["2025-06-25T\(clock())Z [\(pick(["INFO", "WARN", "ERROR"]))] \(message())"]
      case 10: return [""]
      case 11:
        return [
          pick([
            "-- Boot 5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7 --", "-- Reboot --", "-- No entries --", "-- not a separator",
          ])
        ]
      case 12: return ["\(pick(["sshd[812]", "systemd[1]", "cloud-init[1502]"])): \(message())"]
      case 13: return ["Wed 2025-06-25 \(clock()) UTC \(host()) \(ident()): \(message())"]
      case 14: return ["\(tick() + 1_750_860_000).123456 \(host()) \(ident()): \(message())"]
      case 15:
        // Header-less lines: indented, or starting with a lowercase word, with and without literals.
        return [
          pick([
            "  indented text", "\tstatus code: 400, request id: d700ab09", "while waiting for connection level=warn",
            "failed to start the agent", "and then nothing", "util.py[DEBUG]: Writing to /etc/ecs/ecs.config",
            "ip-10-0-0-9 login: [   15.100000] cloud-init[872]: Failed to start",
          ])
        ]
      default: return [message()]
      }
    }

    mutating func log() -> String {
      var lines: [String] = []
      for _ in 0..<(1 + rng.next() % 14) { lines += record() }
      return lines.joined(separator: "\n") + (chance(90) ? "\n" : "")
    }
  }

  static let names = ["journal.txt", "cloud-init.log", "ecs-agent.log", "console.log", "messages", "journal.json"]

  /// Both paths' JSON reports and diagnostics of `inputs`.
  static func bothPaths(_ inputs: [(name: String, bytes: [UInt8])], format: InputFormat = .auto) -> (
    fast: String, slow: String
  ) {
    func render(_ prefilter: Bool) -> String {
      var options = AnalyzerOptions()
      options.usePrefilter = prefilter
      options.inputFormat = format
      let (report, diagnostics) = analyzeInMemory(inputs, options: options)
      return JSONRenderer.render(report) + "\n" + diagnostics.map(\.description).joined(separator: "\n")
    }
    return (render(true), render(false))
  }

  @Test func randomLogsGiveTheSameReportOnBothPaths() {
    var maker = LogMaker(rng: SplitMix(state: 12))
    var differences = 0
    for i in 0..<600 {
      var inputs: [(name: String, bytes: [UInt8])] = []
      for _ in 0..<(1 + maker.rng.next() % 2) {
        inputs.append((maker.pick(Self.names), Array(maker.log().utf8)))
      }
      // Mostly read as they come; now and then in a forced format (--input-format).
      let format: InputFormat = maker.pick([
        .auto, .auto, .auto, .auto, .journal, .json, .console, .cloudInit, .ecs, .plain,
      ])
      let (fast, slow) = Self.bothPaths(inputs, format: format)
      if fast != slow {
        differences += 1
        if differences <= 3 {
          let shown = inputs.map { "== \($0.name)\n" + String(decoding: $0.bytes, as: UTF8.self) }.joined()
          Issue.record("log \(i) (\(format)): the paths differ at \(firstDifference(fast, slow))\n\(shown)")
        }
      }
    }
    #expect(differences == 0, "\(differences) of 600 random logs give different reports on the two paths")
  }

  /// Hosts quiet for a while of log time are retired while reading (`--format json` of one input):
  /// the lines the fast path passes over move the clock and keep their host alive as on the full path,
  /// so hosts are retired at the same lines and the boots handed over are the same.
  @Test(arguments: [false, true])
  func randomJournalsRetireTheSameHostsOnBothPaths(parallel: Bool) throws {
    let dir = try Hostile.tempDir("retire")
    defer { Hostile.cleanUp(dir) }
    let file = dir.appendingPathComponent("journal.txt")
    var maker = LogMaker(rng: SplitMix(state: 47))
    var differences = 0
    for i in 0..<300 {
      var lines: [String] = []
      var minute = 0
      for _ in 0..<(5 + maker.rng.next() % 40) {
        // Hosts take turns; log time jumps now and then, past the retirement delay.
        minute += maker.chance(15) ? Int(maker.rng.next() % 30) : 0
        let second = Int(maker.rng.next() % 60)
        let host = maker.pick(["ip-10-0-0-9", "ip-10-0-1-5", "web-1"])
        let stamp = String(format: "2025-06-25T%02d:%02d:%02d+0000", 10 + minute / 60, minute % 60, second)
        lines.append(
          maker.chance(80)
            ? "\(stamp) \(host) \(maker.ident()): \(maker.message())"
            : maker.record().joined(separator: "\n"))
      }
      let input = Array((lines.joined(separator: "\n") + "\n").utf8)
      if parallel { try Hostile.write(input, to: file) }
      let chunkBytes = 64 + Int(maker.rng.next() % 256)
      func render(_ prefilter: Bool) -> String {
        var options = AnalyzerOptions()
        options.usePrefilter = prefilter
        options.retireAfterMicros = 10 * 60 * 1_000_000
        // In parallel: the fast path scanned in ranges of a few lines by three threads.
        options.scanThreads = 3
        options.parallelScanBytes = parallel && prefilter ? 1 : Int.max
        options.parallelChunkBytes = chunkBytes
        let analyzer = Analyzer(rules: Hostile.ruleSet, options: options)
        var retired: [String] = []
        analyzer.sink = RetiredBoots { host, boot in
          var w = JSONWriter()
          boot.write(to: &w)
          retired.append(host + " " + String(decoding: w.out, as: UTF8.self))
        }
        if parallel {
          analyzer.analyzeFile(path: file.path)
        } else {
          var source = MemoryByteSource(input, chunk: 1 << 16)
          analyzer.analyze(name: file.path, source: &source)
        }
        return retired.joined(separator: "\n") + "\n" + JSONRenderer.render(analyzer.finish())
      }
      let (fast, slow) = (render(true), render(false))
      if fast != slow {
        differences += 1
        if differences <= 3 {
          Issue.record(
            "journal \(i): the paths differ at \(firstDifference(fast, slow))\n\(lines.joined(separator: "\n"))")
        }
      }
    }
    #expect(differences == 0, "\(differences) of 300 random journals retire hosts differently on the two paths")
  }

  /// The parallel scanners keep the lines the replay may examine (candidates, and lines whose header
  /// differs from the last kept line's): cut into ranges of a few lines, the random logs give the
  /// full path's report too.
  @Test func randomLogsGiveTheSameReportWhenScannedInParallel() throws {
    let dir = try Hostile.tempDir("paths")
    defer { Hostile.cleanUp(dir) }
    var maker = LogMaker(rng: SplitMix(state: 31))
    var differences = 0
    for i in 0..<200 {
      let name = maker.pick(Self.names)
      var text = ""
      for _ in 0..<4 { text += maker.log() + "\n" }
      let file = dir.appendingPathComponent(name)
      try Hostile.write(Array(text.utf8), to: file)
      func render(prefilter: Bool, threads: Int) -> String {
        var options = AnalyzerOptions()
        options.usePrefilter = prefilter
        options.scanThreads = threads
        options.parallelScanBytes = 1
        options.parallelChunkBytes = 64 + Int(maker.rng.next() % 256)
        let analyzer = Analyzer(rules: Hostile.ruleSet, options: options)
        analyzer.analyzeFile(path: file.path)
        return JSONRenderer.render(analyzer.finish())
      }
      let slow = render(prefilter: false, threads: 1)
      let parallel = render(prefilter: true, threads: 3)
      if parallel != slow {
        differences += 1
        if differences <= 3 {
          Issue.record("log \(i) (\(name)): the paths differ at \(firstDifference(parallel, slow))\n\(text)")
        }
      }
    }
    #expect(differences == 0, "\(differences) of 200 random logs give different reports scanned in parallel")
  }
}

/// A sink that takes boots while reading (so hosts are retired) and hands them to a closure.
final class RetiredBoots: ReportSink {
  let body: (String, BootReport) -> Void
  init(_ body: @escaping (String, BootReport) -> Void) { self.body = body }
  var takesBootsEarly: Bool { true }
  func boot(host: String, _ boot: BootReport) { body(host, boot) }
  func end(_ report: Report) throws {}
}
