import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes to stdout and stderr. A closed pipe (`initlens … | head`) ends the program quietly.
enum Output {
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
  }

  static func write(bytes b: UnsafeRawBufferPointer) {
    do {
      var offset = 0
      while offset < b.count {
        let n = Glibc.write(1, b.baseAddress! + offset, b.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          if errno == EPIPE { exit(0) }
          exit(2)
        }
        offset += n
      }
    }
  }

  static func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write(bytes: $0) } }

  /// Writes `text` to the file at `path`, or to stdout when `path` is nil; exit 2 when the file cannot
  /// be written.
  static func write(_ text: String, to path: String?) throws {
    try stream(to: path) { sink in
      var text = text
      text.withUTF8 { sink(UnsafeRawBufferPointer($0)) }
    }
  }

  /// Hands `produce` a sink that writes to `path` (created or truncated) or, when nil, to stdout.
  static func stream(to path: String?, _ produce: (@escaping (UnsafeRawBufferPointer) -> Void) -> Void) throws {
    guard let path else { return produce { write(bytes: $0) } }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      error("initlens: cannot write \(path): \(String(cString: strerror(errno)))")
      throw ExitCode(2)
    }
    defer { close(fd) }
    var failed = false
    produce { b in
      var offset = 0
      while !failed && offset < b.count {
        let n = Glibc.write(fd, b.baseAddress! + offset, b.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { failed = true } else { offset += n }
      }
    }
    if failed {
      error("initlens: cannot write \(path): \(String(cString: strerror(errno)))")
      throw ExitCode(2)
    }
  }

  static func error(_ line: String, newline: Bool = true) {
    let text = !newline || line.hasSuffix("\n") ? line : line + "\n"
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { b in
      var offset = 0
      while offset < b.count {
        let n = Glibc.write(2, b.baseAddress! + offset, b.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
      }
    }
  }

  static var stdoutIsTerminal: Bool { isatty(1) == 1 }
  static var stdinIsTerminal: Bool { isatty(0) == 1 }
  static var colorWanted: Bool { stdoutIsTerminal && getenv("NO_COLOR") == nil }
}
