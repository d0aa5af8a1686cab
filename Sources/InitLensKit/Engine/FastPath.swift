/// The fast path: what a line is before any header parsing. Skip reasons (too long, binary, blank),
/// then the literal prefilter: a line holding none of the rules' or the engine's literals is passed
/// over (counted as unmatched, kept as context when it may start a record). Shared by the sequential
/// reader and the parallel scanners.
enum FastPath {
  /// What the fast path makes of a line, before any header parsing.
  enum Verdict {
    case skipped(String)
    /// Not examined; `context` when it may be the record a later header-less line continues.
    case passed(context: Bool)
    case candidate
  }

  /// The fast path, shared by the sequential reader and the parallel scanners: skip reasons, then the
  /// literal prefilter. `bytes` is the line with leading NUL padding removed.
  static func screen(
    _ line: Line, _ prefilter: Prefilter, _ present: inout LiteralBits, usePrefilter: Bool, shape: InputShape
  ) -> (Verdict, UnsafeRawBufferPointer) {
    if line.truncated { return (.skipped("too-long"), line.bytes) }
    var bytes = line.bytes
    // A crash can leave NUL padding before the next real line: look past it.
    var lead = 0
    while !line.nulFree, lead < bytes.count, bytes[lead] == 0 { lead += 1 }
    if lead > 0 { bytes = UnsafeRawBufferPointer(rebasing: bytes[lead...]) }
    if !line.nulFree, bytes.count > 0, System.firstByte(0, in: bytes.baseAddress!, count: bytes.count) != nil {
      return (.skipped("binary"), bytes)
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return (.skipped(lead > 0 ? "binary" : "blank"), bytes) }
    var b0 = bytes[0]
    // json-seq puts an RS byte before each object, json-sse `data: ` before each.
    if b0 == 0x1E && shape == .jsonSeq || b0 == 0x64 && shape == .jsonSSE && bytes.hasPrefix("data: ") {
      bytes = UnsafeRawBufferPointer(rebasing: bytes[(b0 == 0x1E ? 1 : 6)...])
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return (.skipped("blank"), bytes) }
      b0 = bytes[0]
    }
    // Candidate lines only: a line with none of the rules' or the engine's literals is counted and
    // passed over without parsing its header (journal JSON is always parsed: its text is escaped).
    // A journal line's `2025-06-25T14:00:00` stamp holds no literal: start past it (only past a whole
    // stamp: "2023-11-16T16:Failed" holds one).
    let from = prefilter.skipsISOStamp && Prefilter.startsWithStamp(bytes) ? 19 : 0
    if !usePrefilter || b0 == 0x7B && isJSONRecord(bytes, shape) || b0 == 0x2D && bytes.hasPrefix("-- ")
      || prefilter.scan(bytes, from: from, &present)
    {
      return (.candidate, bytes)
    }
    return (.passed(context: mayCarryContext(b0, bytes)), bytes)
  }

  /// Whether a `{` line is read as a JSON record: always in a JSON input; in a text input only when it
  /// looks like one (`{"`), so cloud-init's `{'type': …}` continuation lines stay text.
  @inline(__always)
  static func isJSONRecord(_ bytes: UnsafeRawBufferPointer, _ shape: InputShape) -> Bool {
    shape.isJSON || bytes.byte(1, is: 0x22)
  }

  /// Whether a line that was not examined may be the record a later header-less line continues: it
  /// may have a header: it starts the way some format's header starts (`HeaderFormat.headerStarts`: a
  /// date, a month, a console stamp, logfmt, a colour code, a JSON record), or it has `ident[pid]: `, a
  /// getty prompt before a console stamp, or says who wrote it (`ci-info: `, cloud-init's
  /// `file.py[LEVEL]: `). Any other line is header-less text that only passes its record on.
  @inline(__always)
  static func mayCarryContext(_ b0: UInt8, _ bytes: UnsafeRawBufferPointer) -> Bool {
    if headerStart[Int(b0)] { return true }
    switch b0 {
    case 0x09, 0x20, 0x2D: return false
    default: return mayHaveHeader(b0, bytes)
    }
  }

  static let headerStart = HeaderFormats.headerStartTable

  /// `mayCarryContext` for the lines that start with neither a stamp's nor a continuation's byte.
  static func mayHaveHeader(_ b0: UInt8, _ bytes: UnsafeRawBufferPointer) -> Bool {
    if HeaderTemplate.identOnly(bytes, 0, requirePID: true) { return true }
    guard b0 == 0x5F || b0 &- 0x61 < 26 else { return false }
    return UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 56)]).find(LineParser.pyBracket, from: 0)
      != nil
      || LineParser.consoleStamp(bytes) != nil
  }
}
