/// journalctl `short`/`short-precise` and syslog files: `Mmm dd HH:MM:SS[.us] host ident[pid]: msg`. A
/// line starting with a month that is no such line has no header.
enum SyslogFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x41...0x5A]
  static var exclusive: Bool { true }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool {
    p[0] &- 0x41 < 26 && Timestamp.month(p, 0) != nil
  }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseSyslog(p, &out)
  }
}

extension LineFormat {
  public static let journalShort = LineFormat("journal-short")
}

extension LineParser {
  /// `Mmm dd HH:MM:SS[.us] [host] ident[pid]: msg` (journalctl short, short-precise, syslog files).
  mutating func parseSyslog(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard let st = p.syslogTime(0), p.byte(st.end, is: 0x20) else { return false }
    guard parseHostAndIdent(p, st.end + 1, &out) else { return false }
    out.format = .journalShort
    if st.month < lastYearlessMonth - 6 { year += 1 }  // December → January
    lastYearlessMonth = st.month
    let t = Timestamp.micros(
      year: year, month: st.month, day: st.day, hour: st.h, minute: st.m, second: st.s, micro: st.micro)
    if out.time == nil { out.time = t }
    return true
  }
}
