/// Timestamp parsers for the header shapes in docs/FORMATS (byte offsets, no allocation).
extension UnsafeRawBufferPointer {
  /// `YYYY-MM-DD` at `i` → (year, month, day).
  func isoDate(_ i: Int, separator: UInt8 = 0x2D) -> (Int, Int, Int)? {
    guard let y = digits(i, 4), byte(i + 4, is: separator), let mo = digits(i + 5, 2),
      byte(i + 7, is: separator), let d = digits(i + 8, 2), (1...12).contains(mo), (1...31).contains(d)
    else { return nil }
    return (y, mo, d)
  }

  /// `HH:MM:SS` at `i`.
  func clock(_ i: Int) -> (Int, Int, Int)? {
    guard let h = digits(i, 2), byte(i + 2, is: 0x3A), let m = digits(i + 3, 2), byte(i + 5, is: 0x3A),
      let s = digits(i + 6, 2), h < 24, m < 60, s <= 60
    else { return nil }
    return (h, m, s)
  }

  /// Fraction digits at `i` (after the `.` or `,`) → (microseconds, index after the digits).
  func fraction(_ i: Int) -> (Int, Int) {
    var j = i
    var micro = 0
    var scale = 100_000
    while j < count, self[j] &- 0x30 < 10 {
      if scale > 0 {
        micro += Int(self[j] &- 0x30) * scale
        scale /= 10
      }
      j += 1
    }
    return (micro, j)
  }

  /// RFC 3339 / ISO 8601 with `T`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HHMM|+HH:MM)` → (µs UTC, end index).
  /// A missing zone is taken as UTC.
  func rfc3339(_ i: Int) -> (Int64, Int)? {
    guard let (y, mo, d) = isoDate(i), i + 10 < count, self[i + 10] == 0x54 || self[i + 10] == 0x20,
      let (h, mi, s) = clock(i + 11)
    else { return nil }
    var j = i + 19
    var micro = 0
    if j < count, self[j] == 0x2E || self[j] == 0x2C {
      (micro, j) = fraction(j + 1)
    }
    var offset = 0
    if j < count, self[j] == 0x5A {  // Z
      j += 1
    } else if j < count, self[j] == 0x2B || self[j] == 0x2D, let oh = digits(j + 1, 2) {
      var om = 0
      var k = j + 3
      if let m = digits(k, 2) {
        om = m
        k += 2
      } else if byte(k, is: 0x3A), let m = digits(k + 1, 2) {
        om = m
        k += 3
      } else {
        return nil
      }
      offset = (oh * 3600 + om * 60) * (self[j] == 0x2D ? -1 : 1)
      j = k
    }
    let t = Timestamp.micros(
      year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: micro, offsetSeconds: offset)
    return (t, j)
  }

  /// Syslog `Mmm dd HH:MM:SS[.ffffff]` (day may be space-padded) → (month, day, h, m, s, µs, end).
  func syslogTime(_ i: Int) -> (month: Int, day: Int, h: Int, m: Int, s: Int, micro: Int, end: Int)? {
    guard let month = Timestamp.month(self, i), byte(i + 3, is: 0x20) else { return nil }
    var j = i + 4
    var day: Int
    if byte(j, is: 0x20), let d = digits(j + 1, 1) {
      day = d
      j += 2
    } else if let d = digits(j, 2) {
      day = d
      j += 2
    } else if let d = digits(j, 1), byte(j + 1, is: 0x20) {
      day = d
      j += 1
    } else {
      return nil
    }
    guard day >= 1, day <= 31, byte(j, is: 0x20), let (h, m, s) = clock(j + 1) else { return nil }
    j += 9
    var micro = 0
    if j < count, self[j] == 0x2E { (micro, j) = fraction(j + 1) }
    return (month, day, h, m, s, micro, j)
  }

  /// RFC 2822 as in cloud-init banners: `Thu, 15 Aug 2013 14:13:22 +0000` at `i` → µs UTC.
  func rfc2822(_ i: Int) -> Int64? {
    var j = i
    if j + 5 <= count, self[j + 3] == 0x2C { j += 5 }  // "Thu, "
    var day: Int
    if let d = digits(j, 2) {
      day = d
      j += 2
    } else if let d = digits(j, 1) {
      day = d
      j += 1
    } else {
      return nil
    }
    guard byte(j, is: 0x20), let month = Timestamp.month(self, j + 1), byte(j + 4, is: 0x20),
      let year = digits(j + 5, 4), byte(j + 9, is: 0x20), let (h, m, s) = clock(j + 10)
    else { return nil }
    j += 18
    var offset = 0
    if byte(j, is: 0x20), j + 1 < count, self[j + 1] == 0x2B || self[j + 1] == 0x2D, let oh = digits(j + 2, 2),
      let om = digits(j + 4, 2)
    {
      offset = (oh * 3600 + om * 60) * (self[j + 1] == 0x2D ? -1 : 1)
    }
    return Timestamp.micros(year: year, month: month, day: day, hour: h, minute: m, second: s, offsetSeconds: offset)
  }
}
