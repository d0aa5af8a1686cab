/// Times on the wire: the model holds µs since the epoch (UTC); a report writes them as ISO 8601
/// (`2025-06-25T14:58:01.470Z`, microseconds only when they are not whole milliseconds: ``Timestamp/iso(_:)``)
/// and reads them back here, exactly (the text has every digit of the µs).
enum WireTime {
  /// µs of an ISO 8601 time as reports write it (any year, `Z`), else of any RFC 3339 time; nil if
  /// `text` is neither.
  static func parse(_ text: String) -> Int64? {
    var text = text
    return text.withUTF8 { b -> Int64? in
      if let t = own(b) { return t }
      guard let (t, end) = UnsafeRawBufferPointer(b).rfc3339(0), end == b.count else { return nil }
      return t
    }
  }

  /// `[-]Y…Y-MM-DDTHH:MM:SS[.fff[fff]]Z`: what ``Timestamp/iso(_:)`` writes, years outside 0…9999 included.
  private static func own(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    let negative = b.first == 0x2D
    if negative { i = 1 }
    var year = 0
    let yearStart = i
    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - yearStart < 9 {
      year = year * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i - yearStart >= 4 || negative, i > yearStart else { return nil }
    func two(_ at: Int, after sep: UInt8) -> Int? {
      guard at + 2 < b.count, b[at] == sep else { return nil }
      let x = b[at + 1]
      let y = b[at + 2]
      guard x >= 0x30, x <= 0x39, y >= 0x30, y <= 0x39 else { return nil }
      return Int(x - 0x30) * 10 + Int(y - 0x30)
    }
    guard let month = two(i, after: 0x2D), let day = two(i + 3, after: 0x2D), let hour = two(i + 6, after: 0x54),
      let minute = two(i + 9, after: 0x3A), let second = two(i + 12, after: 0x3A)
    else { return nil }
    i += 15
    var micro = 0
    if i < b.count, b[i] == 0x2E {
      var digits = 0
      var scale = 100_000
      i += 1
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39, digits < 6 {
        micro += Int(b[i] - 0x30) * scale
        scale /= 10
        digits += 1
        i += 1
      }
      guard digits == 3 || digits == 6 else { return nil }
    }
    guard i + 1 == b.count, b[i] == 0x5A, (1...12).contains(month), (1...31).contains(day) else { return nil }
    return Timestamp.micros(
      year: negative ? -year : year, month: month, day: day, hour: hour, minute: minute, second: second,
      micro: micro)
  }
}

extension JSONWriter {
  /// A time as ISO 8601 text (``Timestamp/iso(_:)``), or `null`; written in place, no String made.
  mutating func time(_ t: Int64?) {
    guard let t else { return null() }
    let (y, mo, d, h, mi, s, us) = Timestamp.components(t)
    guard y >= 0, y <= 9999 else { return string(Timestamp.iso(t)) }
    out.append(0x22)
    digits(y, 4)
    out.append(0x2D)
    digits(mo, 2)
    out.append(0x2D)
    digits(d, 2)
    out.append(0x54)
    digits(h, 2)
    out.append(0x3A)
    digits(mi, 2)
    out.append(0x3A)
    digits(s, 2)
    out.append(0x2E)
    if us % 1000 == 0 { digits(us / 1000, 3) } else { digits(us, 6) }
    out.append(0x5A)
    out.append(0x22)
  }

  private mutating func digits(_ v: Int, _ width: Int) {
    var div = 1
    for _ in 1..<width { div *= 10 }
    var v = v
    while div > 0 {
      out.append(UInt8(0x30 + v / div))
      v %= div
      div /= 10
    }
  }
}

extension KeyedDecodingContainer {
  /// A time written by ``JSONWriter/time(_:)``: ISO 8601 text or `null` (or absent) for none.
  func time(_ key: Key) throws -> Int64? {
    guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
    guard let t = WireTime.parse(text) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an ISO 8601 time: \(text)")
    }
    return t
  }
}
