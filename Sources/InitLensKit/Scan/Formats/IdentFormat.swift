/// A journal line without time or host (Amazon Linux 2's syslog copy, `journalctl -o cat` of some
/// units): `ident[pid]: msg`. The pid is required: without a timestamp before it, `word: text` is too
/// common to be an identifier. Lines starting with `c` (cloud-init's identifiers) are kept as context.
enum IdentFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x63...0x63]
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] &- 0x30 >= 10 }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseIdentOnly(p, 0, &out, requirePID: true)
  }
}
