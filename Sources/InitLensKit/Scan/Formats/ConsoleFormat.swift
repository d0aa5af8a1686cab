/// Serial console: `[   14.226188] cloud-init[872]: msg` or a kernel line `[    0.000000] Linux version …`
/// (records cut at 80 columns are joined first: `ConsolePaste.swift`). A `[` line that is neither has no
/// header. Colour codes (`ESC[…m`, rsyslog's `#033[`) may start a console or log line.
enum ConsoleFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x5B...0x5B, 0x1B...0x1B, 0x23...0x23]
  static var exclusive: Bool { true }
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool {
    forced == .auto || forced == .console || forced == .journal && parser.monotonicJournal
  }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] == 0x5B }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseConsole(p, &out)
  }
}

extension LineFormat {
  public static let console = LineFormat("console")
}

extension LineParser {
  /// `[   14.226188] ident[pid]: msg` or a kernel line `[    0.000000] Linux version …`, the `[` at
  /// `start` (past a getty prompt glued in front of it: `ConsolePaste.swift`).
  mutating func parseConsole(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, at start: Int = 0) -> Bool {
    guard let (mono, i) = LineParser.stampSeconds(p, start + 1), p.byte(i, is: 0x5D) else { return false }
    out.monotonic = mono
    out.format = .console
    let msg = p.byte(i + 1, is: 0x20) ? i + 2 : i + 1
    out.inner = msg..<p.count
    if msg < p.count, parseIdentOnly(p, msg, &out) {
      out.format = .console
      return true
    }
    out.source = .kernel
    out.ident = "kernel"
    return true
  }
}
