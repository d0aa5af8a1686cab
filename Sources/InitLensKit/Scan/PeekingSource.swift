/// Serves the first block of a source twice: once to look for a year, then to the line reader.
struct PeekingSource<Inner: ByteSource>: ByteSource {
  var inner: Inner
  var head: [UInt8] = []
  var headOffset = 0
  var peeked = false
  /// A read error met while peeking, raised once the peeked bytes are served.
  var peekError: InputError? = nil

  init(inner: Inner) { self.inner = inner }

  /// The year of the first full date (`2025-06-25`, or RFC 2822 `25 Jun 2025`) in the first 64 KiB.
  mutating func peekYear() -> Int? {
    peeked = true
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var filled = 0
    while filled < buffer.count {
      let n: Int
      do {
        n = try buffer.withUnsafeMutableBytes { b throws(InputError) in
          try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: b[filled...]))
        }
      } catch let error as InputError {
        peekError = error
        break
      } catch {
        peekError = InputError("\(error)")
        break
      }
      if n == 0 { break }
      filled += n
    }
    head = Array(buffer[0..<filled])
    return head.withUnsafeBytes { PeekingSource.year(in: $0) }
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
    if headOffset < head.count {
      let n = min(buffer.count, head.count - headOffset)
      head.withUnsafeBytes { h in buffer.baseAddress!.copyMemory(from: h.baseAddress! + headOffset, byteCount: n) }
      headOffset += n
      return n
    }
    if let peekError {
      self.peekError = nil
      throw peekError
    }
    return try inner.read(into: buffer)
  }
}
