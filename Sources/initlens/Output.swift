import ArgumentParser
import InitLensKit

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
        let n = System.write(1, b.baseAddress! + offset, count: b.count - offset)
        if n < 0 {
          if System.lastError == System.interrupted { continue }
          if System.lastError == System.brokenPipe { System.exit(0) }
          System.exit(2)
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
    let fd = System.openForWriting(path)
    guard fd >= 0 else {
      error("initlens: cannot write \(path): \(System.message(for: System.lastError))")
      throw ExitCode(2)
    }
    defer { System.close(fd) }
    var failed = false
    produce { b in
      var offset = 0
      while !failed && offset < b.count {
        let n = System.write(fd, b.baseAddress! + offset, count: b.count - offset)
        if n < 0 && System.lastError == System.interrupted { continue }
        if n <= 0 { failed = true } else { offset += n }
      }
    }
    if failed {
      error("initlens: cannot write \(path): \(System.message(for: System.lastError))")
      throw ExitCode(2)
    }
  }

  static func error(_ line: String, newline: Bool = true) {
    let text = !newline || line.hasSuffix("\n") ? line : line + "\n"
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { b in
      var offset = 0
      while offset < b.count {
        let n = System.write(2, b.baseAddress! + offset, count: b.count - offset)
        if n < 0 && System.lastError == System.interrupted { continue }
        if n <= 0 { return }
        offset += n
      }
    }
  }

  static var stdoutIsTerminal: Bool { System.isTerminal(1) }
  static var stdinIsTerminal: Bool { System.isTerminal(0) }
  static var colorWanted: Bool { stdoutIsTerminal && System.environment("NO_COLOR") == nil }
}
