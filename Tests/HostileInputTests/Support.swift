import Foundation
import InitLensKit
// Shared with InitLensKitTests (Tests/TestSupport): Repo, repoRules, analyzeInMemory, SplitMix,
// `.requires(…)`. Exported so that every file of this target sees them without importing it.
@_exported import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Paths of the repository and of the binaries built beside this test bundle (Repo's, by the names
/// this target's tests use), and temporary folders.
enum Hostile {
  static var root: URL { Repo.root }
  static var rules: String { Repo.rules }
  static var corpus: String { root.appendingPathComponent("Tests/HostileInputTests/Corpus").path }
  static func executable(_ name: String) -> String { Repo.executable(name) }
  static var binary: String { executable("initlens") }
  static var fuzzBinary: String { executable("initlens-fuzz") }
  static var ruleSet: RuleSet { repoRules }

  /// A fresh temporary directory (removed by the caller with `cleanUp`).
  static func tempDir(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "initlens-hostile-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func cleanUp(_ dir: URL) {
    // Undo chmod 000 and friends so removal works.
    _ = try? ProcessRun.run(["/bin/chmod", "-R", "u+rwx", dir.path], timeout: 30)
    try? FileManager.default.removeItem(at: dir)
  }

  static func write(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
  }
}

/// One finished child process: status, output, time and peak memory.
struct ProcessResult {
  /// Exit status, or nil when the process was killed by a signal.
  var status: Int32?
  var signal: Int32?
  var out: [UInt8]
  var err: [UInt8]
  var seconds: Double
  /// Peak resident set size in KiB: the child's VmHWM, sampled every 10 ms while it runs (wait4's
  /// ru_maxrss would count the test process's own pages, which a spawned child starts from).
  var maxRSSKiB: Int
  var timedOut: Bool

  var stdout: String { String(decoding: out, as: UTF8.self) }
  var stderr: String { String(decoding: err, as: UTF8.self) }
  var errLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
  /// The report on stdout as JSON (nil when it does not parse).
  var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(out)) as? [String: Any] }
  var summary: [String: Any]? { json?["summary"] as? [String: Any] }
}

/// Spawns programs with a deadline: every child is killed when it runs too long, so no test can hang.
enum ProcessRun {
  static func run(
    _ argv: [String], stdin: [UInt8] = [], env extra: [String: String] = [:], timeout: Double = 120
  ) throws -> ProcessResult {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["SWIFT_BACKTRACE"] = "enable=no"
    for (k, v) in extra { env[k] = v }

    var inPipe: [Int32] = [0, 0]
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in cArgs + cEnv { free(p) }
    }
    let start = Date()
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    guard rc == 0 else {
      close(inPipe[1])
      close(outPipe[0])
      close(errPipe[0])
      throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO)
    }

    // Feed stdin on a thread (it may be larger than a pipe holds) and drain both outputs with poll.
    let writer = inPipe[1]
    let input = stdin
    let feeder = Thread {
      input.withUnsafeBytes { b in
        var offset = 0
        while offset < b.count {
          let n = write(writer, b.baseAddress! + offset, b.count - offset)
          if n <= 0 { break }
          offset += n
        }
      }
      close(writer)
    }
    feeder.start()

    var out: [UInt8] = []
    var err: [UInt8] = []
    var open = [outPipe[0], errPipe[0]]
    var timedOut = false
    var peak = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while !open.isEmpty {
      let left = timeout - Date().timeIntervalSince(start)
      if left <= 0 {
        timedOut = true
        kill(pid, SIGKILL)
        break
      }
      peak = max(peak, highWaterKiB(pid))
      var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
      let n = poll(&fds, nfds_t(fds.count), Int32(min(left, 0.01) * 1000))
      if n < 0 && errno == EINTR { continue }
      for p in fds where p.revents != 0 {
        let got = chunk.withUnsafeMutableBytes { read(p.fd, $0.baseAddress!, $0.count) }
        if got > 0 {
          if p.fd == outPipe[0] { out += chunk[0..<got] } else { err += chunk[0..<got] }
        } else {
          open.removeAll { $0 == p.fd }
        }
      }
    }
    close(outPipe[0])
    close(errPipe[0])
    peak = max(peak, highWaterKiB(pid))
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let seconds = Date().timeIntervalSince(start)
    let exited = status & 0x7F == 0
    return ProcessResult(
      status: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F, out: out, err: err,
      seconds: seconds, maxRSSKiB: peak, timedOut: timedOut)
  }

  /// The process's peak resident set so far (VmHWM in /proc/PID/status), in KiB; 0 once it is gone.
  static func highWaterKiB(_ pid: pid_t) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
  }

  /// Runs the built `initlens` with `args`.
  static func initlens(
    _ args: [String], stdin: [UInt8] = [], env: [String: String] = [:], timeout: Double = 120
  ) throws -> ProcessResult {
    try run([Hostile.binary] + args, stdin: stdin, env: env, timeout: timeout)
  }
}

/// SAFETY: written once by the worker thread before it signals, read after the wait.
final class ResultBox<T>: @unchecked Sendable {
  var value: T?
  init() {}
}

/// Runs `work` on its own thread and waits at most `seconds`: a hang becomes a test failure, not a
/// stuck test run (the runaway thread is left behind and dies with the process).
func bounded<T: Sendable>(
  _ seconds: Double, sourceLocation: SourceLocation = #_sourceLocation, _ work: @escaping @Sendable () -> T
) -> T? {
  let box = ResultBox<T>()
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    box.value = work()
    done.signal()
  }
  thread.stackSize = 8 << 20
  thread.start()
  if done.wait(timeout: .now() + seconds) == .timedOut {
    Issue.record("did not finish within \(seconds) s", sourceLocation: sourceLocation)
    return nil
  }
  return box.value
}

/// The number of lines a correct reader finds: ends are `\n`, `\r\n` and a lone `\r`; a final line
/// without an end counts.
func lineCount(_ b: [UInt8]) -> Int {
  var n = 0
  var i = 0
  var inLine = false
  while i < b.count {
    switch b[i] {
    case 0x0A:
      n += 1
      inLine = false
    case 0x0D:
      n += 1
      inLine = false
      if i + 1 < b.count && b[i + 1] == 0x0A { i += 1 }
    default:
      inLine = true
    }
    i += 1
  }
  return n + (inLine ? 1 : 0)
}

/// Checks the line-accounting identity of a library report, and that every line was counted.
func expectAccounting(
  _ summary: Summary, lines: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    summary.linesRead == summary.linesMatched + summary.linesUnmatched + summary.linesSkipped,
    "linesRead \(summary.linesRead) != \(summary.linesMatched) + \(summary.linesUnmatched) + \(summary.linesSkipped)",
    sourceLocation: sourceLocation)
  #expect(summary.skipped.values.reduce(0, +) == summary.linesSkipped, sourceLocation: sourceLocation)
  if let lines { #expect(summary.linesRead == lines, "linesRead", sourceLocation: sourceLocation) }
}

/// What every CLI run on hostile input must show: it finished in time without a signal, its report
/// parses (JSON) and balances, and stderr holds only one-line `initlens: FILE[:LINE]: message`
/// diagnostics naming the given files. Returns the JSON summary.
@discardableResult
func expectSaneRun(
  _ r: ProcessResult, files: [String], lines: Int? = nil, status: Int32? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) -> [String: Any]? {
  #expect(!r.timedOut, "timed out after \(r.seconds) s", sourceLocation: sourceLocation)
  #expect(r.signal == nil, "killed by signal \(r.signal ?? 0): \(r.stderr)", sourceLocation: sourceLocation)
  if let status { #expect(r.status == status, "exit status; stderr: \(r.stderr)", sourceLocation: sourceLocation) }
  #expect(r.status == 0 || r.status == 2, "exit \(String(describing: r.status))", sourceLocation: sourceLocation)
  // Exit 2 exactly when something was reported on stderr.
  #expect((r.status == 2) == !r.errLines.isEmpty, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
  for line in r.errLines {
    let named = files.contains { line.hasPrefix("initlens: \($0): ") || line.hasPrefix("initlens: \($0):") }
    #expect(named, "diagnostic does not name an input: \(line.debugDescription)", sourceLocation: sourceLocation)
  }
  guard let summary = r.summary else {
    Issue.record("no JSON report on stdout: \(r.stdout.prefix(300))", sourceLocation: sourceLocation)
    return nil
  }
  let read = summary["linesRead"] as? Int ?? -1
  let matched = summary["linesMatched"] as? Int ?? -1
  let unmatched = summary["linesUnmatched"] as? Int ?? -1
  let skipped = summary["linesSkipped"] as? Int ?? -1
  #expect(read == matched + unmatched + skipped, "line accounting \(summary)", sourceLocation: sourceLocation)
  if let lines { #expect(read == lines, "linesRead", sourceLocation: sourceLocation) }
  return summary
}

extension Array where Element == UInt8 {
  init(_ text: String) { self = Array(text.utf8) }
}

/// gzip with the system's gzip (`-c`), through a file, bounded in time.
func gzip(_ bytes: [UInt8], in dir: URL) throws -> [UInt8] {
  let plain = dir.appendingPathComponent("gzip-input-\(UUID().uuidString)")
  try Data(bytes).write(to: plain)
  let r = try ProcessRun.run(["/bin/sh", "-c", "gzip -c -9 '\(plain.path)' > '\(plain.path).gz'"], timeout: 120)
  #expect(r.status == 0, "gzip failed: \(r.stderr)")
  defer {
    try? FileManager.default.removeItem(at: plain)
    try? FileManager.default.removeItem(atPath: plain.path + ".gz")
  }
  return Array(try Data(contentsOf: URL(fileURLWithPath: plain.path + ".gz")))
}

/// A tar archive built in memory: ustar headers with any member name (no tar tool would write
/// `../` or absolute names), optional GNU long names.
struct TarWriter {
  var bytes: [UInt8] = []

  mutating func add(name: String, data: [UInt8], type: UInt8 = 0x30, linkName: String = "", longName: Bool = false) {
    if longName {
      add(name: "././@LongLink", data: Array(name.utf8) + [0], type: 0x4C)
      header(name: String(name.prefix(99)), size: data.count, type: type, linkName: linkName)
    } else {
      header(name: name, size: data.count, type: type, linkName: linkName)
    }
    bytes += data
    bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
  }

  mutating func header(name: String, size: Int, type: UInt8, linkName: String) {
    var h = [UInt8](repeating: 0, count: 512)
    func put(_ s: [UInt8], _ at: Int, _ len: Int) { for (i, b) in s.prefix(len).enumerated() { h[at + i] = b } }
    func octal(_ v: Int, _ at: Int, _ len: Int) {
      let s = String(v, radix: 8)
      put(Array((String(repeating: "0", count: max(0, len - 1 - s.count)) + s).utf8), at, len - 1)
    }
    put(Array(name.utf8), 0, 100)
    octal(0o644, 100, 8)
    octal(0, 108, 8)
    octal(0, 116, 8)
    octal(size, 124, 12)
    octal(1_700_000_000, 136, 12)
    h[156] = type
    put(Array(linkName.utf8), 157, 100)
    put(Array("ustar\u{0}00".utf8), 257, 8)
    for i in 148..<156 { h[i] = 0x20 }
    let sum = h.reduce(0) { $0 + Int($1) }
    octal(sum, 148, 7)
    h[155] = 0x20
    bytes += h
  }

  var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}
