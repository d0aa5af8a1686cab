/// Calendar arithmetic for log timestamps, without Foundation's formatters (slow, locale-bound).
///
/// Times are microseconds since the Unix epoch, UTC (`Int64`).
public enum Timestamp {
  /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
  public static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  public static func micros(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, micro: Int = 0, offsetSeconds: Int = 0
  ) -> Int64 {
    let d = Int64(days(year: year, month: month, day: day))
    let s = d * 86400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return s * 1_000_000 + Int64(micro)
  }

  /// (year, month, day, hour, minute, second, microsecond) of a UTC time.
  public static func components(_ t: Int64) -> (Int, Int, Int, Int, Int, Int, Int) {
    var secs = t / 1_000_000
    var micro = Int(t % 1_000_000)
    if micro < 0 {
      micro += 1_000_000
      secs -= 1
    }
    var days = secs / 86400
    var rem = secs % 86400
    if rem < 0 {
      rem += 86400
      days -= 1
    }
    let z = Int(days) + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day, Int(rem / 3600), Int(rem % 3600 / 60), Int(rem % 60), micro)
  }

  /// ISO 8601 in UTC: `2025-06-25T14:58:01.470Z`; microseconds only when they are not whole milliseconds.
  public static func iso(_ t: Int64) -> String {
    let (y, mo, d, h, mi, s, us) = components(t)
    var out = [UInt8](repeating: 0x30, count: 27)
    func put(_ v: Int, _ at: Int, _ width: Int) {
      var v = v
      var i = at + width - 1
      while i >= at {
        out[i] = UInt8(0x30 + v % 10)
        v /= 10
        i -= 1
      }
    }
    put(max(0, min(y, 9999)), 0, 4)
    out[4] = 0x2D
    put(mo, 5, 2)
    out[7] = 0x2D
    put(d, 8, 2)
    out[10] = 0x54
    put(h, 11, 2)
    out[13] = 0x3A
    put(mi, 14, 2)
    out[16] = 0x3A
    put(s, 17, 2)
    out[19] = 0x2E
    var n: Int
    if us % 1000 == 0 {
      put(us / 1000, 20, 3)
      n = 23
    } else {
      put(us, 20, 6)
      n = 26
    }
    out[n] = 0x5A
    n += 1
    // A year outside 0...9999 (never from a parsed log, but a computed offset may get there) is
    // written in full; the rest of the stamp is the same bytes.
    let rest = String(decoding: out[4..<n], as: UTF8.self)
    if y < 0 || y > 9999 { return String(y) + rest }
    return String(decoding: out[0..<4], as: UTF8.self) + rest
  }

  /// `HH:MM:SS.mmm` for compact text output.
  public static func clock(_ t: Int64) -> String {
    let (_, _, _, h, mi, s, us) = components(t)
    return "\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(us / 1000, 3))"
  }

  static func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }

  /// Month number (1-12) for an English three-letter abbreviation at `p`.
  static func month(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    guard i + 3 <= p.count else { return nil }
    let a = p[i] | 0x20
    let b = p[i + 1] | 0x20
    let c = p[i + 2] | 0x20
    switch (a, b, c) {
    case (0x6A, 0x61, 0x6E): return 1  // jan
    case (0x66, 0x65, 0x62): return 2  // feb
    case (0x6D, 0x61, 0x72): return 3  // mar
    case (0x61, 0x70, 0x72): return 4  // apr
    case (0x6D, 0x61, 0x79): return 5  // may
    case (0x6A, 0x75, 0x6E): return 6  // jun
    case (0x6A, 0x75, 0x6C): return 7  // jul
    case (0x61, 0x75, 0x67): return 8  // aug
    case (0x73, 0x65, 0x70): return 9  // sep
    case (0x6F, 0x63, 0x74): return 10  // oct
    case (0x6E, 0x6F, 0x76): return 11  // nov
    case (0x64, 0x65, 0x63): return 12  // dec
    default: return nil
    }
  }
}
