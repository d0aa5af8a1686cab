/// journalctl `short-iso`/`short-iso-precise` and RFC 3339 syslog: `2025-06-25T14:58:01+0000 host ident[pid]: msg`.
enum ISOJournalFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x30...0x39]
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] &- 0x30 < 10 }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseISOJournal(p, &out)
  }
}

extension LineFormat {
  public static let journalISO = LineFormat("journal-iso")
}

extension LineParser {
  /// `2025-06-25T14:58:01[.us](+0000|+00:00|Z) host ident[pid]: msg`; not ECS legacy (`…Z [LEVEL]`).
  mutating func parseISOJournal(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard p.count > 20, p[10] == 0x54, let (t, end) = p.rfc3339(0), p.byte(end, is: 0x20) else { return false }
    if p.byte(end + 1, is: 0x5B) { return false }  // ECS legacy "…Z [INFO]"
    guard parseHostAndIdent(p, end + 1, &out) else { return false }
    out.format = .journalISO
    // The program's own stamp (cloud-init's milliseconds) is when it happened; keep it when present.
    if out.time == nil { out.time = t }
    return true
  }
}
