/// journalctl `short-unix`: `1750863481.470000 host ident[pid]: msg` (seconds since the epoch, UTC).
enum UnixJournalFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x30...0x39]
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] &- 0x30 < 10 }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseUnixJournal(p, &out)
  }
}

extension LineFormat {
  public static let journalUnix = LineFormat("journal-unix")
}

extension LineParser {
  /// `1737537243.118402 host ident[pid]: msg` (journalctl short-unix: seconds since the epoch, UTC).
  mutating func parseUnixJournal(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard p.count > 18, p[10] == 0x2E, let secs = p.digits(0, 10) else { return false }
    let (micro, end) = p.fraction(11)
    guard end > 11, p.byte(end, is: 0x20), parseHostAndIdent(p, end + 1, &out) else { return false }
    out.format = .journalUnix
    if out.time == nil { out.time = Int64(secs) * 1_000_000 + Int64(micro) }
    return true
  }
}
