/// Serves the first block of a source twice: once to look for a year, then to the line reader.
struct PeekingSource<Inner: ByteSource>: ByteSource {
  var prefix: PrefixSource<Inner>
  /// A read error met while peeking, raised once the peeked bytes are served.
  var peekError: InputError? = nil

  init(inner: Inner) { prefix = PrefixSource(inner: inner) }

  /// The bytes read ahead.
  var head: [UInt8] { prefix.head }

  /// The year of the first full date (`2025-06-25`, or RFC 2822 `25 Jun 2025`) in the first 64 KiB.
  mutating func peekYear() -> Int? {
    do {
      _ = try prefix.fill(64 * 1024)
    } catch {
      peekError = error
    }
    return prefix.head.withUnsafeBytes { PeekingSource.year(in: $0) }
  }

  /// The year of the first full date (`2025-06-25`, or RFC 2822 `25 Jun 2025`) in `p`.
  static func year(in p: UnsafeRawBufferPointer) -> Int? {
    var i = 0
    while i + 10 <= p.count {
      if p[i] == 0x32 || p[i] == 0x31, let (y, _, _) = p.isoDate(i), (1990...2100).contains(y) { return y }
      if p[i] == 0x20, Timestamp.month(p, i + 1) != nil, p.byte(i + 4, is: 0x20), let y = p.digits(i + 5, 4),
        (1990...2100).contains(y), p.byte(i + 9, is: 0x20)
      {
        return y
      }
      i += 1
    }
    return nil
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if prefix.offset < prefix.head.count { return try prefix.read(into: buffer) }
    if let peekError {
      self.peekError = nil
      throw peekError
    }
    return try prefix.read(into: buffer)
  }
}

/// A source whose first bytes were read ahead (to look at magic numbers) and are served again.
struct PrefixSource<Inner: ByteSource>: ByteSource {
  var inner: Inner
  var head: [UInt8] = []
  var offset = 0

  /// Reads until `n` bytes are buffered or the input ends; returns the buffered bytes.
  mutating func fill(_ n: Int) throws(InputError) -> [UInt8] {
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(n, 1), alignment: 1)
    defer { chunk.deallocate() }
    while head.count < n {
      let want = n - head.count
      let got = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<want]))
      if got == 0 { break }
      head += chunk[0..<got]
    }
    return head
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if offset < head.count {
      let n = min(buffer.count, head.count - offset)
      head.withUnsafeBytes { h in buffer.baseAddress!.copyMemory(from: h.baseAddress! + offset, byteCount: n) }
      offset += n
      return n
    }
    return try inner.read(into: buffer)
  }
}
