/// How an input lays out its records, decided once per input from its first line that is neither
/// blank nor a journalctl `-- … --` note (docs/INPUTS.md). Line formats are still detected per line;
/// the shape says what a line alone cannot: whether a `{` line must be JSON, whether a record spans
/// several lines, whether a `[ 5.1]` stamp is followed by a host.
public enum InputShape: Sendable, Equatable {
  /// One record per line, each line's format detected on its own: text logs, the journalctl short
  /// modes, the console. A `{` line that is no JSON object continues the record above it.
  case lines
  /// One JSON object per line (journalctl json, ECS JSON): a broken `{` line is reported.
  case jsonLines
  /// journalctl json-seq: each object after an RS byte (0x1E).
  case jsonSeq
  /// journalctl json-sse: `data: {…}` lines, an empty line after each.
  case jsonSSE
  /// journalctl short-monotonic and short-delta: `[    5.123456] host ident[pid]: msg`.
  case monotonic
  /// journalctl json-pretty: one object over many lines, `{` and `}` alone on theirs.
  case jsonPretty
  /// journalctl export: `FIELD=value` lines (a binary field as its name, a 64-bit length and the
  /// bytes), an empty line after each entry.
  case export
  /// journalctl verbose: a dated cursor line, then indented `FIELD=value` lines.
  case verbose

  /// Whether a record spans several lines (read by the record assembler, never in parallel).
  public var isMultiline: Bool { self == .jsonPretty || self == .export || self == .verbose }

  /// Whether every `{` line of the input is a JSON record.
  public var isJSON: Bool { self == .jsonLines || self == .jsonSeq || self == .jsonSSE || self == .jsonPretty }

  /// The shape a first line tells, or nil when the line does not decide (blank, a `-- … --` note).
  public static func detect(_ p: UnsafeRawBufferPointer) -> InputShape? {
    let i = p.skipBlanks(0)
    guard i < p.count else { return nil }
    if p.hasPrefix("-- ") && p.count >= 6 && p[p.count - 1] == 0x2D && p[p.count - 2] == 0x2D { return nil }
    switch p[i] {
    case 0x1E where p.byte(i + 1, is: 0x7B): return .jsonSeq
    case 0x7B:
      let j = p.skipBlanks(i + 1)
      if j == p.count { return .jsonPretty }
      return p.byte(j, is: 0x22) ? .jsonLines : .lines
    case 0x64 where p.hasPrefix("data: {", at: i): return .jsonSSE
    case 0x5F where p.hasPrefix("__", at: i):
      // export starts with `__CURSOR=`, `__REALTIME_TIMESTAMP=` or (systemd 254+) `__SEQNUM=`.
      var j = i
      while j < p.count, p[j] == 0x5F || p[j] &- 0x41 < 26 || p[j] &- 0x30 < 10 { j += 1 }
      return p.byte(j, is: 0x3D) ? .export : .lines
    case 0x5B:
      guard let (_, end) = LineParser.monotonicStamp(p), p.byte(end, is: 0x20) else { return .lines }
      // A host, then `ident[pid]:` or `kernel:`; a console line has the identifier right after the stamp.
      guard let sp = p.firstIndex(of: 0x20, from: end + 1), sp > end + 1,
        !p[(end + 1)..<sp].contains(where: { $0 == 0x5B || $0 == 0x3A })
      else { return .lines }
      var k = sp + 1
      while k < p.count, k - sp < 65, p[k] != 0x20, p[k] != 0x5B, p[k] != 0x3A { k += 1 }
      guard k > sp + 1, k < p.count else { return .lines }
      if p[k] == 0x5B || p.hasPrefix("kernel:", at: sp + 1) { return .monotonic }
      return .lines
    default:
      if let (_, end) = LineParser.fullStamp(p), p.hasPrefix(" [s=", at: end) { return .verbose }
      return .lines
    }
  }

  /// The shape of an input from a sample of its head: its first deciding line, else nil.
  public static func detect(sample: UnsafeRawBufferPointer) -> InputShape? {
    var start = 0
    while start < sample.count {
      var end = start
      while end < sample.count, sample[end] != 0x0A, sample[end] != 0x0D { end += 1 }
      // A line cut by the sample's end decides only when it is long enough to tell.
      if end == sample.count && end - start < 64 && start > 0 { return nil }
      if let shape = detect(UnsafeRawBufferPointer(rebasing: sample[start..<end])) { return shape }
      start = end + 1
    }
    return nil
  }
}

extension UnsafeRawBufferPointer {
  /// The index of the first byte at or after `i` that is not a space or a tab.
  func skipBlanks(_ i: Int) -> Int {
    var j = i
    while j < count, self[j] == 0x20 || self[j] == 0x09 { j += 1 }
    return j
  }
}
