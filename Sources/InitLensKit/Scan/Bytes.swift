/// Small byte-level helpers for header parsing on `UnsafeRawBufferPointer` (no `String` on the hot path).
extension UnsafeRawBufferPointer {
  @inline(__always) func isDigit(_ i: Int) -> Bool { i < count && self[i] &- 0x30 < 10 }

  /// The decimal number in `i..<i+n`, or nil when any byte is not a digit or it does not fit an `Int`.
  @inline(__always) func digits(_ i: Int, _ n: Int) -> Int? {
    guard i >= 0, n >= 0, i <= count - n else { return nil }
    var v = 0
    for k in i..<(i + n) {
      let d = self[k] &- 0x30
      if d >= 10 { return nil }
      let (times10, o1) = v.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(Int(d))
      if o1 || o2 { return nil }
      v = sum
    }
    return v
  }

  @inline(__always) func byte(_ i: Int, is b: UInt8) -> Bool { i < count && self[i] == b }

  func hasPrefix(_ prefix: StaticString, at i: Int = 0) -> Bool {
    let n = prefix.utf8CodeUnitCount
    guard i + n <= count else { return false }
    let p = prefix.utf8Start
    for k in 0..<n where self[i + k] != p[k] { return false }
    return true
  }

  /// Index of the first `b` in `from..<to`, or nil.
  func firstIndex(of b: UInt8, from: Int, to: Int? = nil) -> Int? {
    let end = Swift.min(to ?? count, count)
    var i = from
    while i < end {
      if self[i] == b { return i }
      i += 1
    }
    return nil
  }

  /// Whether `needle` occurs anywhere (memmem).
  func contains(_ needle: [UInt8]) -> Bool { find(needle, from: 0) != nil }

  func find(_ needle: [UInt8], from: Int) -> Int? {
    guard needle.count > 0, count - from >= needle.count, let base = baseAddress else { return nil }
    return needle.withUnsafeBytes { n -> Int? in
      guard let hit = System.firstOccurrence(of: n, in: base + from, count: count - from) else { return nil }
      return base.distance(to: hit)
    }
  }

  func string(_ r: Range<Int>) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: self[r]), as: UTF8.self)
  }

  /// Skips ASCII spaces from `i`.
  func skipSpaces(_ i: Int) -> Int {
    var i = i
    while i < count && self[i] == 0x20 { i += 1 }
    return i
  }
}
