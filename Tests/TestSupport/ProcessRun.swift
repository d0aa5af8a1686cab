import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One finished child process: status, output, time and peak memory.
public struct ProcessResult {
  /// Exit status, or nil when the process was killed by a signal.
  public var status: Int32?
  public var signal: Int32?
  public var out: [UInt8]
  public var err: [UInt8]
  public var seconds: Double
  /// Peak resident set size in KiB: the child's VmHWM, sampled every 10 ms while it runs (wait4's
  /// ru_maxrss would count the test process's own pages, which a spawned child starts from).
  public var maxRSSKiB: Int
  public var timedOut: Bool

  public var stdout: String { String(decoding: out, as: UTF8.self) }
  public var stderr: String { String(decoding: err, as: UTF8.self) }
  public var errLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
  /// The report on stdout as JSON (nil when it does not parse).
  public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(out)) as? [String: Any] }
  public var summary: [String: Any]? { json?["summary"] as? [String: Any] }
}

/// Spawns programs with a deadline: every child is killed when it runs too long, so no test can hang.
public enum ProcessRun {
  public static func run(
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
  public static func highWaterKiB(_ pid: pid_t) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
  }

  /// Runs the built `initlens` with `args`.
  public static func initlens(
    _ args: [String], stdin: [UInt8] = [], env: [String: String] = [:], timeout: Double = 120
  ) throws -> ProcessResult {
    try run([Repo.binary] + args, stdin: stdin, env: env, timeout: timeout)
  }
}
