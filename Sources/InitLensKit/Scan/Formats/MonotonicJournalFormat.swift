/// journalctl `short-monotonic` and `short-delta`: `[    5.123456] host ident[pid]: msg`. Decided once
/// per input (`InputShape.monotonic`): on a console, `[ 2.0] usb 1-1: …` has no host.
enum MonotonicJournalFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x5B...0x5B]
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool {
    parser.monotonicJournal && (forced == .auto || forced == .console || forced == .journal)
  }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] == 0x5B }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseMonotonicJournal(p, &out)
  }
}

extension LineFormat {
  public static let journalMonotonic = LineFormat("journal-monotonic")
}

extension LineParser {
  /// `[    5.123456] host ident[pid]: msg` (short-monotonic) or `[    5.123456 <    0.000100>] host …`
  /// (short-delta): seconds since the kernel started, no wall time.
  mutating func parseMonotonicJournal(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard let (mono, end) = LineParser.monotonicStamp(p), p.byte(end, is: 0x20) else { return false }
    guard parseHostAndIdent(p, end + 1, &out) else { return false }
    out.format = .journalMonotonic
    out.monotonic = mono
    return true
  }

  /// `[   12.345678]` or short-delta's `[   12.345678 <    0.000100>]` → (seconds, index after `]`).
  static func monotonicStamp(_ p: UnsafeRawBufferPointer) -> (Double, Int)? {
    guard p.byte(0, is: 0x5B), let (mono, end) = stampSeconds(p, 1) else { return nil }
    var i = p.skipSpaces(end)
    if p.byte(i, is: 0x3C), let close = p.firstIndex(of: 0x3E, from: i, to: i + 24) { i = p.skipSpaces(close + 1) }
    guard p.byte(i, is: 0x5D) else { return nil }
    return (mono, i + 1)
  }
}
