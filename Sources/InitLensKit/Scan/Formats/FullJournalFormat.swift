/// journalctl `short-full` and `with-unit`: `Wed 2025-06-25 14:58:01 UTC host ident[pid]: msg`.
enum FullJournalFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x41...0x5A]
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool {
    p[0] &- 0x41 < 26 && p.byte(3, is: 0x20) && p.byte(14, is: 0x20)
  }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseFullJournal(p, &out)
  }
}

extension LineFormat {
  public static let journalFull = LineFormat("journal-full")
}

extension LineParser {
  /// `Wed 2025-01-22 09:14:03[.us] UTC host ident[pid]: msg` (journalctl short-full, with-unit). A zone
  /// other than UTC/GMT is read as UTC, as the year-less short modes are.
  mutating func parseFullJournal(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard let (t, end) = LineParser.fullStamp(p), p.byte(end, is: 0x20) else { return false }
    guard parseHostAndIdent(p, end + 1, &out) else { return false }
    out.format = .journalFull
    if out.time == nil { out.time = t }
    return true
  }

  /// The stamp of short-full and verbose at the line's start, `Www YYYY-MM-DD HH:MM:SS[.us] ZONE` →
  /// (µs, index after the zone).
  static func fullStamp(_ p: UnsafeRawBufferPointer) -> (Int64, Int)? {
    guard p.count > 24, p[0] | 0x20 >= 0x61, p[0] | 0x20 <= 0x7A, p.byte(3, is: 0x20), let (y, mo, d) = p.isoDate(4),
      p.byte(14, is: 0x20), let (h, mi, s) = p.clock(15)
    else { return nil }
    var j = 23
    var micro = 0
    if p.byte(j, is: 0x2E) { (micro, j) = p.fraction(j + 1) }
    guard p.byte(j, is: 0x20) else { return nil }
    let zone = j + 1
    j = zone
    while j < p.count, j - zone < 8, p[j] != 0x20 { j += 1 }
    guard j > zone else { return nil }
    return (Timestamp.micros(year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: micro), j)
  }
}
