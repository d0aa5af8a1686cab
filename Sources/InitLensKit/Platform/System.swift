import CSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The operating system and libc, behind small named calls: the only file that imports Glibc or
/// Darwin (and CSystem). Callers keep their own error handling: a call returns what libc returns,
/// and `lastError` is `errno` right after it.
public enum System {
  // MARK: errors

  /// `errno`: the error of the last call that failed on this thread.
  @inline(__always) public static var lastError: Int32 { errno }
  /// EINTR: a signal interrupted the call; try again.
  public static let interrupted: Int32 = EINTR
  /// EAGAIN: nothing to read on a non-blocking descriptor yet.
  public static let wouldBlock: Int32 = EAGAIN
  /// EPIPE: the reader of a pipe went away.
  public static let brokenPipe: Int32 = EPIPE

  /// strerror(3): `No such file or directory`.
  public static func message(for code: Int32) -> String { String(cString: strerror(code)) }

  // MARK: descriptors

  /// open(2) for reading; -1 on failure.
  public static func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY) }

  /// open(2) for writing: created (mode 0644) or truncated; -1 on failure.
  public static func openForWriting(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }

  /// close(2).
  public static func close(_ fd: Int32) {
    #if canImport(Glibc)
      _ = Glibc.close(fd)
    #else
      _ = Darwin.close(fd)
    #endif
  }

  /// read(2): bytes read, 0 at end of input, -1 on failure.
  public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    #if canImport(Glibc)
      Glibc.read(fd, buffer.baseAddress, buffer.count)
    #else
      Darwin.read(fd, buffer.baseAddress, buffer.count)
    #endif
  }

  /// pread(2): up to `count` bytes from `offset`, without moving the file position.
  public static func read(_ fd: Int32, into start: UnsafeMutableRawPointer?, count: Int, at offset: Int) -> Int {
    pread(fd, start, count, off_t(offset))
  }

  /// pread(2) into the whole of `buffer`.
  public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
    pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
  }

  /// write(2): bytes written, -1 on failure.
  public static func write(_ fd: Int32, _ start: UnsafeRawPointer, count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, start, count)
    #else
      Darwin.write(fd, start, count)
    #endif
  }

  /// poll(2) for input on one descriptor: > 0 readable, 0 on timeout, -1 on failure.
  public static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Int32 {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, milliseconds)
  }

  /// poll(2) for input on `fd` and on `other` at once: whether each is readable (or at its end),
  /// nil on timeout or failure (`lastError` says which: 0 after a timeout).
  public static func waitReadable(_ fd: Int32, or other: Int32, milliseconds: Int32) -> (Bool, Bool)? {
    var p = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: other, events: Int16(POLLIN), revents: 0)]
    errno = 0
    guard poll(&p, 2, milliseconds) > 0 else { return nil }
    return (p[0].revents != 0, p[1].revents != 0)
  }

  /// isatty(3).
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// The columns of the terminal on `fd` (ioctl TIOCGWINSZ); nil when it is no terminal or does not say.
  public static func terminalColumns(_ fd: Int32) -> Int? {
    let n = Int(csystem_terminal_columns(fd))
    return n > 0 ? n : nil
  }

  /// A file that exists only while its descriptor is open: mkstemp(3) in `directory`, then unlinked.
  /// nil when none can be created.
  public static func anonymousTemporaryFile(in directory: String, prefix: String) -> Int32? {
    var template = Array("\(directory)/\(prefix)XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { return nil }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    return fd
  }

  // MARK: files

  /// What stat(2) tells of a file.
  public struct FileStatus: Sendable {
    public enum Kind: Sendable { case regularFile, directory, symbolicLink, other }
    public let kind: Kind
    /// Size in bytes.
    public let size: Int
    /// Modification time, seconds since the epoch.
    public let modificationSeconds: Int64

    init(_ st: stat) {
      switch st.st_mode & S_IFMT {
      case S_IFREG: kind = .regularFile
      case S_IFDIR: kind = .directory
      case S_IFLNK: kind = .symbolicLink
      default: kind = .other
      }
      size = Int(st.st_size)
      #if canImport(Glibc)
        modificationSeconds = Int64(st.st_mtim.tv_sec)
      #else
        modificationSeconds = Int64(st.st_mtimespec.tv_sec)
      #endif
    }
  }

  /// fstat(2); nil on failure (`lastError` says why).
  public static func status(of fd: Int32) -> FileStatus? {
    var st = stat()
    return fstat(fd, &st) == 0 ? FileStatus(st) : nil
  }

  /// stat(2), following links; nil on failure.
  public static func status(atPath path: String) -> FileStatus? {
    var st = stat()
    return stat(path, &st) == 0 ? FileStatus(st) : nil
  }

  /// lstat(2): a symbolic link is described, not followed; nil on failure.
  public static func linkStatus(atPath path: String) -> FileStatus? {
    var st = stat()
    return lstat(path, &st) == 0 ? FileStatus(st) : nil
  }

  /// realpath(3): the path with every link resolved, or nil.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  // MARK: process

  /// getenv(3).
  public static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

  /// Writing to a closed pipe fails with `brokenPipe` instead of killing the process (SIGPIPE ignored).
  /// access(2) with X_OK: whether the file at `path` may be executed.
  public static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

  /// exit(3): ends the process with `status` now.
  public static func exit(_ status: Int32) -> Never {
    #if canImport(Glibc)
      Glibc.exit(status)
    #else
      Darwin.exit(status)
    #endif
  }

  public static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }

  /// glibc's malloc_trim: gives free heap pages back to the system. A no-op elsewhere.
  public static func trimHeap() { csystem_trim_heap() }

  // MARK: signals

  /// The write end of the pipe that SIGINT and SIGTERM write to (`catchStopSignals`); set before the
  /// handler is installed, only read by it.
  nonisolated(unsafe) private static var stopPipe: Int32 = -1

  /// SIGINT and SIGTERM ask the process to stop instead of ending it: the handler only writes a byte
  /// to a pipe (what a signal handler may safely do) and restores the default action, so a second
  /// signal ends the process at once. Returns the pipe's read end, readable once a stop was asked (poll
  /// it beside the input); nil when no pipe could be made (the signals keep their default action).
  public static func catchStopSignals() -> Int32? {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds {
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    }
    stopPipe = fds[1]
    // A parent may have left them blocked (a spawning thread's mask is inherited): unblock them here.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    sigaddset(&unblock, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for sig in [SIGINT, SIGTERM] {
      signal(sig) { sig in
        var byte = UInt8(truncatingIfNeeded: sig)
        #if canImport(Glibc)
          _ = Glibc.write(System.stopPipe, &byte, 1)
        #else
          _ = Darwin.write(System.stopPipe, &byte, 1)
        #endif
        signal(sig, SIG_DFL)
      }
    }
    return fds[0]
  }

  // MARK: clocks

  /// CLOCK_REALTIME in microseconds since the epoch.
  public static func wallMicros() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
  }

  /// CLOCK_MONOTONIC in nanoseconds: for measuring intervals.
  public static func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }

  // MARK: memory

  /// memchr(3): the first `byte` in `count` bytes from `start`, or nil.
  @inline(__always)
  public static func firstByte(_ byte: Int32, in start: UnsafeRawPointer, count: Int) -> UnsafeMutableRawPointer? {
    memchr(start, byte, count)
  }

  /// memcmp(3) == 0: whether `count` bytes at `a` and `b` are the same.
  @inline(__always)
  public static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
    memcmp(a, b, count) == 0
  }

  /// memmem(3): where `needle` first occurs in `count` bytes from `start`, or nil.
  @inline(__always)
  public static func firstOccurrence(
    of needle: UnsafeRawBufferPointer, in start: UnsafeRawPointer, count: Int
  ) -> UnsafeRawPointer? {
    csystem_memmem(start, count, needle.baseAddress!, needle.count)
  }
}
