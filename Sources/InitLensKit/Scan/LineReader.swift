#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One line as the reader hands it out: bytes without the line end, valid only during the callback.
public struct Line {
  /// The line's bytes (without `\n`, `\r\n` or `\r`); at most `maxLineBytes` of them.
  public let bytes: UnsafeRawBufferPointer
  /// 1-based line number in the input.
  public let number: Int
  /// True when the line was longer than `maxLineBytes` and `bytes` holds only its head.
  public let truncated: Bool
}

/// Splits a byte stream into lines with one reusable buffer (ripgrep's line buffer, in spirit).
///
/// Line ends are `\n`, `\r\n` and a lone `\r`. The unfinished last line of a fill rolls over to the
/// next fill; a line longer than the buffer grows it up to `maxLineBytes`, past which the rest of the
/// line is read and dropped, and the line is handed out cut (`truncated`). A final line without a
/// line end is still a line. Memory is bounded by `maxLineBytes` whatever the input.
public struct LineReader {
  public let maxLineBytes: Int
  let initialCapacity: Int

  public init(initialCapacity: Int = 256 * 1024, maxLineBytes: Int = 16 * 1024 * 1024) {
    self.initialCapacity = max(1, initialCapacity)
    self.maxLineBytes = max(1, maxLineBytes)
  }

  /// Reads `source` to its end, calling `body` for every line in order.
  public func forEachLine<S: ByteSource>(
    _ source: inout S, _ body: (Line) throws -> Void
  ) throws {
    var capacity = min(initialCapacity, maxLineBytes + 1)
    var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    var start = 0  // first byte of the current (unfinished) line
    var end = 0  // end of valid data
    var scan = 0  // where the search for the next `\n` resumes
    var number = 0
    var discarding = false  // inside an over-long line whose head was already handed out
    var eof = false

    func emit(_ lo: Int, _ hi: Int) throws {
      // Strip one trailing CR (CRLF); split the rest on lone CRs.
      var hi = hi
      if hi > lo && buffer[hi - 1] == 0x0D { hi -= 1 }
      var lo = lo
      while hi > lo, let cr = memchr(buffer.baseAddress! + lo, 0x0D, hi - lo) {
        let at = buffer.baseAddress!.distance(to: cr)
        number += 1
        try body(Line(bytes: UnsafeRawBufferPointer(rebasing: buffer[lo..<at]), number: number, truncated: false))
        lo = at + 1
      }
      number += 1
      try body(Line(bytes: UnsafeRawBufferPointer(rebasing: buffer[lo..<hi]), number: number, truncated: false))
    }

    while true {
      // Hand out every complete line in the buffer.
      while scan < end, let nl = memchr(buffer.baseAddress! + scan, 0x0A, end - scan) {
        let at = buffer.baseAddress!.distance(to: nl)
        if discarding {
          discarding = false
        } else {
          try emit(start, at)
        }
        start = at + 1
        scan = start
      }
      scan = end
      if eof {
        if start < end && !discarding { try emit(start, end) }
        return
      }
      // Keep the unfinished line: move it to the front.
      if start > 0 {
        if end > start {
          (buffer.baseAddress! + 0).copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
        }
        end -= start
        scan -= start
        start = 0
      }
      if discarding {
        // Drop what we have of an over-long line; only its line end matters now.
        end = 0
        scan = 0
      } else if end == capacity {
        if capacity > maxLineBytes {
          // A line longer than the cap: hand out its head now, drop the rest as it arrives.
          number += 1
          let head = UnsafeRawBufferPointer(rebasing: buffer[0..<maxLineBytes])
          try body(Line(bytes: head, number: number, truncated: true))
          discarding = true
          end = 0
          scan = 0
        } else {
          let grown = min(capacity * 2, maxLineBytes + 1)
          let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: grown, alignment: 16)
          bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
          buffer.deallocate()
          buffer = bigger
          capacity = grown
        }
      }
      let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<capacity]))
      if n == 0 { eof = true } else { end += n }
    }
  }
}
