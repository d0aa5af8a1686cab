/// journalctl's separators: `-- Boot 0a1b… --`, `-- Reboot --`, `-- No entries --`. Not log records: a
/// boot separator starts a new boot for every host after it. A `-` line that is none has no header.
enum SeparatorFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = []  // a `-- ` line is always examined
  static var exclusive: Bool { true }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] == 0x2D }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    guard p.hasPrefix("-- "), p.count >= 6, p[p.count - 1] == 0x2D, p[p.count - 2] == 0x2D, p[p.count - 3] == 0x20
    else { return false }
    out.isSeparator = true
    if p.hasPrefix("-- Boot ") {
      out.bootID = p.string(8..<(p.count - 3))
    } else if p.hasPrefix("-- Reboot --") {
      out.bootID = ""
    }
    return true
  }
}
