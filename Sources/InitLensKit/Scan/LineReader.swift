/// One line as the reader hands it out: bytes without the line end, valid only during the callback.
public struct Line {
  /// The line's bytes (without `\n`, `\r\n` or `\r`); at most `maxLineBytes` of them.
  public let bytes: UnsafeRawBufferPointer
  /// 1-based line number in the input.
  public let number: Int
  /// True when the line was longer than `maxLineBytes` and `bytes` holds only its head.
  public let truncated: Bool
  /// True when the reader knows `bytes` holds no NUL byte (false: not known).
  public var nulFree = false

  public init(bytes: UnsafeRawBufferPointer, number: Int, truncated: Bool, nulFree: Bool = false) {
    self.bytes = bytes
    self.number = number
    self.truncated = truncated
    self.nulFree = nulFree
  }
}

/// Where the next CR and NUL bytes are in a buffer, each found by one `memchr` over the rest of the
/// buffer and remembered, instead of two `memchr` calls over every line (CR and NUL are rare in logs).
struct RareBytes {
  private var cr = -1
  private var nul = -1

  /// Forgets what was found (the buffer's contents moved or grew).
  mutating func reset() {
    cr = -1
    nul = -1
  }

  /// The first `byte` at or after `lo` and before `end`, or `end`.
  @inline(__always)
  static func next(_ byte: Int32, _ cached: inout Int, _ base: UnsafeRawPointer, _ lo: Int, _ end: Int) -> Int {
    if cached >= lo { return cached }
    cached = System.firstByte(byte, in: base + lo, count: end - lo).map { base.distance(to: $0) } ?? end
    return cached
  }
  /// Whether `[lo, hi)` holds a CR (positions must not go backwards between resets).
  mutating func hasCR(_ base: UnsafeRawPointer, _ lo: Int, _ hi: Int, end: Int) -> Bool {
    RareBytes.next(0x0D, &cr, base, lo, end) < hi
  }
  mutating func hasNUL(_ base: UnsafeRawPointer, _ lo: Int, _ hi: Int, end: Int) -> Bool {
    RareBytes.next(0x00, &nul, base, lo, end) < hi
  }
}

/// Splits a byte stream into lines with one reusable buffer (ripgrep's line buffer, in spirit).
///
/// Line ends are `\n`, `\r\n` and a lone `\r`. The unfinished last line of a fill rolls over to the
/// next fill; a line longer than the buffer grows it up to `maxLineBytes` (plus room for a line end),
/// past which the rest of the line is read and dropped up to its line end, and the line is handed out
/// cut (`truncated`). Lines ended by lone `\r`s are handed out when the buffer fills, so a file with
/// CR-only line ends is split into its lines whatever its size. A final line without a line end is
/// still a line. Memory is bounded by `maxLineBytes` whatever the input.
public struct LineReader {
  public let maxLineBytes: Int
  let initialCapacity: Int

  public init(initialCapacity: Int = 256 * 1024, maxLineBytes: Int = 16 * 1024 * 1024) {
    self.initialCapacity = max(1, initialCapacity)
    self.maxLineBytes = min(max(1, maxLineBytes), Int.max / 2)
  }

  /// Reads `source` to its end, calling `body` for every line in order. `linesExpire` is called
  /// before the bytes of the lines handed out so far are moved or freed (once a fill, not once a line):
  /// a caller that keeps a line's bytes past its callback copies them then.
  public func forEachLine<S: ByteSource>(
    _ source: inout S, linesExpire: () -> Void = {}, _ body: (Line) throws -> Void
  ) throws {
    // Room for a line of `maxLineBytes` and its two-byte line end.
    let maxCapacity = maxLineBytes + 2
    var capacity = min(initialCapacity, maxCapacity)
    var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer {
      linesExpire()
      buffer.deallocate()
    }
    var start = 0  // first byte of the current (unfinished) line
    var end = 0  // end of valid data
    var scan = 0  // where the search for the next `\n` resumes
    var number = 0
    var discarding = false  // inside an over-long line whose head was already handed out
    var skipLF = false  // the last line ended with a CR that was the last byte read: a `\n` next is its end
    var eof = false
    var rare = RareBytes()

    func deliver(_ lo: Int, _ hi: Int) throws {
      number += 1
      let cut = hi - lo > maxLineBytes
      let top = cut ? lo + maxLineBytes : hi
      let bytes = UnsafeRawBufferPointer(rebasing: buffer[lo..<top])
      let nulFree = !rare.hasNUL(buffer.baseAddress!, lo, top, end: end)
      try body(Line(bytes: bytes, number: number, truncated: cut, nulFree: nulFree))
    }

    func emit(_ lo: Int, _ hi: Int) throws {
      // Strip one trailing CR (CRLF); split the rest on lone CRs.
      var hi = hi
      if hi > lo && buffer[hi - 1] == 0x0D { hi -= 1 }
      if !rare.hasCR(buffer.baseAddress!, lo, hi, end: end) { return try deliver(lo, hi) }
      var lo = lo
      while hi > lo, let cr = System.firstByte(0x0D, in: buffer.baseAddress! + lo, count: hi - lo) {
        let at = buffer.baseAddress!.distance(to: cr)
        try deliver(lo, at)
        lo = at + 1
      }
      try deliver(lo, hi)
    }

    while true {
      if skipLF && start < end {
        skipLF = false
        if buffer[start] == 0x0A {
          start += 1
          scan = Swift.max(scan, start)
        }
      }
      if discarding && scan < end {
        // Drop the rest of an over-long line, up to its line end (`\n`, `\r\n` or a lone `\r`).
        let base = buffer.baseAddress!
        let lf = System.firstByte(0x0A, in: base + scan, count: end - scan).map { base.distance(to: $0) }
        let cr = System.firstByte(0x0D, in: base + scan, count: (lf ?? end) - scan).map { base.distance(to: $0) }
        if let cr {
          discarding = false
          start = cr + 1
          if start < end {
            if buffer[start] == 0x0A { start += 1 }
          } else {
            skipLF = true
          }
        } else if let lf {
          discarding = false
          start = lf + 1
        } else {
          start = end
        }
        scan = start
      }
      // Hand out every complete line in the buffer.
      if !discarding {
        while scan < end, let nl = System.firstByte(0x0A, in: buffer.baseAddress! + scan, count: end - scan) {
          let at = buffer.baseAddress!.distance(to: nl)
          try emit(start, at)
          start = at + 1
          scan = start
        }
        scan = end
      }
      if eof {
        if start < end && !discarding { try emit(start, end) }
        return
      }
      linesExpire()
      rare.reset()
      // Keep the unfinished line: move it to the front.
      if start > 0 {
        if end > start {
          (buffer.baseAddress! + 0).copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
        }
        end -= start
        scan -= start
        start = 0
      }
      if end == capacity {
        if capacity < maxCapacity {
          let grown = min(capacity * 2, maxCapacity)
          let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: grown, alignment: 16)
          bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
          buffer.deallocate()
          buffer = bigger
          capacity = grown
        } else {
          // A full buffer without `\n`. Lines ended by a lone CR (not the last byte, which may be
          // the CR of a CRLF) are complete: hand them out and keep the rest.
          var cr = end - 2
          while cr >= 0 && buffer[cr] != 0x0D { cr -= 1 }
          if cr >= 0 {
            try emit(0, cr + 1)
            linesExpire()
            rare.reset()
            start = cr + 1
          } else {
            // A line longer than the cap: hand out its head now, drop the rest up to its line end
            // (a CR in the last byte may be that end: keep it for the next round).
            try deliver(0, end)
            linesExpire()
            rare.reset()
            discarding = true
            start = buffer[end - 1] == 0x0D ? end - 1 : end
          }
          scan = start
          if end > start {
            (buffer.baseAddress! + 0).copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
          }
          end -= start
          scan -= start
          start = 0
        }
      }
      let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<capacity]))
      if n == 0 { eof = true } else { end += n }
    }
  }

  /// Every line of a buffer already in memory (a mapped file): no copying at all. Same line ends and
  /// over-long policy as the streaming reader.
  public func forEachLine(in buffer: UnsafeRawBufferPointer, _ body: (Line) throws -> Void) rethrows {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    var number = 0
    var start = 0
    let end = buffer.count
    var rare = RareBytes()
    func deliver(_ lo: Int, _ hi: Int) throws {
      number += 1
      let cut = hi - lo > maxLineBytes
      let count = cut ? maxLineBytes : hi - lo
      let bytes = UnsafeRawBufferPointer(start: base + lo, count: count)
      let nulFree = !rare.hasNUL(base, lo, lo + count, end: end)
      try body(Line(bytes: bytes, number: number, truncated: cut, nulFree: nulFree))
    }
    func emit(_ lo: Int, _ hi: Int) throws {
      // Strip one trailing CR (CRLF); split the rest on lone CRs, then cut what is over-long (as the
      // streaming reader does: a CR-only file is many lines, not one over-long line).
      var hi = hi
      if hi > lo && buffer[hi - 1] == 0x0D { hi -= 1 }
      if !rare.hasCR(base, lo, hi, end: end) { return try deliver(lo, hi) }
      var lo = lo
      while hi > lo, let cr = System.firstByte(0x0D, in: base + lo, count: hi - lo) {
        let at = base.distance(to: UnsafeRawPointer(cr))
        try deliver(lo, at)
        lo = at + 1
      }
      try deliver(lo, hi)
    }
    while start < end {
      guard let nl = System.firstByte(0x0A, in: base + start, count: end - start) else {
        try emit(start, end)
        return
      }
      let at = base.distance(to: UnsafeRawPointer(nl))
      try emit(start, at)
      start = at + 1
    }
  }
}
