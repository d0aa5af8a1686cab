/// The serial console as people paste it (`aws ec2 get-console-output`, the console's "Get system log"):
///
/// - lines hard-wrapped at 80 columns: a long `[   14.226188] cloud-init[872]: …` record goes on in the
///   next lines, which carry no prefix. The pieces are joined and the whole record is read when its last
///   piece (shorter than 80 bytes) arrives; the full-width pieces before it are read as nothing. An input
///   with any line longer than 80 bytes is not wrapped: from that line on nothing is joined. (In a wrapped
///   paste a record of exactly 80 bytes followed by another record cannot be told from a cut one: it is
///   read as nothing.)
/// - a getty prompt in front of a record (`ip-10-0-1-23 login: [   15.100000] cloud-init[872]: …`): the
///   console output that came after the prompt was printed.
/// - one cloud-init event twice: the journal's copy (`[ 14.2] cloud-init[872]: 2025-… - file.py[LEVEL]: msg`)
///   and the syslog handler's (`[CLOUDINIT] file.py[LEVEL]: msg`). The second of a pair is read as nothing,
///   so the event counts once.
///
/// Every piece is still one input line, counted as matched or unmatched like any other.
struct ConsolePaste {
  /// The console width the pieces are cut at.
  static let width = 80
  /// How many recent cloud-init messages are kept to pair the two copies of one event.
  static let recentLimit = 32
  /// The longest record joined: a record still going on at this size is read as it is (memory stays
  /// bounded whatever the input).
  static let maxRecord = 32 << 10

  /// The raw bytes of a cut record so far; empty when no record is open.
  var pieces: [UInt8] = []
  /// How many lines the open record has so far.
  var count = 0
  /// Hashes of recent cloud-init messages (`file.py[LEVEL]: msg`) and whether each is the `[CLOUDINIT]` copy.
  var recent: [(hash: Int, syslog: Bool)] = []
  /// A line longer than the width was seen: the input is not wrapped.
  var unwrapped = false
  /// A joined record is being parsed (it is longer than the width, yet no proof of an unwrapped input).
  var joining = false

  var pending: Bool { !pieces.isEmpty }

  static let loginPrompt = Array(" login: ".utf8)
  static let syslogTag: StaticString = "[CLOUDINIT] "
}

extension LineParser {
  /// Whether the analyzer must give this line to `parse` though it holds no rule literal: a full-width
  /// console line (it may be cut), and any line while a cut record is open (its next piece).
  public mutating func wantsConsolePiece(_ p: UnsafeRawBufferPointer) -> Bool {
    guard forced == .auto || forced == .console, !paste.unwrapped else { return false }
    if p.count > ConsolePaste.width {
      paste.unwrapped = true
      paste.pieces.removeAll()
      paste.count = 0
      return false
    }
    if paste.pending { return true }
    return p.count == ConsolePaste.width && LineParser.consoleStamp(p) != nil
  }

  /// Where the console stamp `[   14.226188]` starts: 0, or past a getty prompt (`host login: `).
  static func consoleStamp(_ p: UnsafeRawBufferPointer) -> Int? {
    if p.byte(0, is: 0x5B) { return isStamp(p, 0) ? 0 : nil }
    let b0 = p.count > 0 ? p[0] : 0
    guard b0 | 0x20 >= 0x61 && b0 | 0x20 <= 0x7A || b0 &- 0x30 < 10,
      let k = UnsafeRawBufferPointer(rebasing: p[0..<min(p.count, 72)]).find(ConsolePaste.loginPrompt, from: 1)
    else { return nil }
    let start = k + ConsolePaste.loginPrompt.count
    return isStamp(p, start) ? start : nil
  }

  /// `[`, optional spaces, digits, `.`, digits, `]` at `i`.
  static func isStamp(_ p: UnsafeRawBufferPointer, _ i: Int) -> Bool {
    guard p.byte(i, is: 0x5B) else { return false }
    var j = p.skipSpaces(i + 1)
    let d = j
    while p.isDigit(j) { j += 1 }
    guard j > d, p.byte(j, is: 0x2E) else { return false }
    j += 1
    let f = j
    while p.isDigit(j) { j += 1 }
    return j > f && p.byte(j, is: 0x5D)
  }

  /// Whether a line opens a record of its own rather than going on with a cut one: a console stamp
  /// (or prompt), systemd's status lines, a colour code, a syslog priority, a cloud-init copy.
  static func opensRecord(_ p: UnsafeRawBufferPointer) -> Bool {
    guard let b0 = p.first else { return true }
    if consoleStamp(p) != nil { return true }
    switch b0 {
    case 0x1B: return true
    case 0x5B: return p.byte(1, is: 0x1B) || p.hasPrefix("[  OK  ]") || p.hasPrefix(ConsolePaste.syslogTag)
    case 0x3C: return p.isDigit(1)  // <14>
    case 0x20: return p.hasPrefix("         ")  // systemd "         Starting …"
    default: return false
    }
  }

  /// A line the analyzer skipped (blank): the open cut record, if any, does not go on past it.
  public mutating func endConsoleRecord() {
    if paste.pending {
      paste.pieces.removeAll(keepingCapacity: true)
      paste.count = 0
    }
  }

  /// Before the format dispatch: the next piece of a cut record; nil for every other line.
  mutating func parsePasted(_ p: UnsafeRawBufferPointer) -> ParsedLine? {
    if p.count > ConsolePaste.width, !paste.unwrapped, !paste.joining {
      paste.unwrapped = true
      paste.pieces.removeAll()
      paste.count = 0
    }
    if paste.pending {
      if !LineParser.opensRecord(p) {
        paste.pieces.append(contentsOf: p)
        paste.count += 1
        if p.count == ConsolePaste.width, paste.pieces.count < ConsolePaste.maxRecord {
          // More to come: this piece alone means nothing; it inherits the record's time and host.
          var out = ParsedLine()
          out.inner = 0..<p.count
          out.headerless = true
          out.ownedInner = []
          return out
        }
        let joined = paste.pieces
        let linesBefore = paste.count - 1
        paste.pieces.removeAll(keepingCapacity: true)
        paste.count = 0
        paste.joining = true
        var out = joined.withUnsafeBytes { parse($0) }
        paste.joining = false
        joined.withUnsafeBytes { out.ownedInner = out.ownedInner ?? Array($0[out.inner]) }
        out.inner = 0..<p.count
        out.record = joined
        out.recordLinesBefore = linesBefore
        return out
      }
      paste.pieces.removeAll(keepingCapacity: true)
      paste.count = 0
    }
    return nil
  }

  /// A console record behind a getty prompt (`host login: [  15.1] ident[pid]: …`), for a line no
  /// format took (`classifyHeaderless`).
  mutating func parsePrompted(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard let start = LineParser.consoleStamp(p), start > 0 else { return false }
    out = ParsedLine()
    out.inner = 0..<p.count
    return parseConsole(p, &out, at: start)
  }

  /// After a line is parsed: open a cut record on a full-width console line, and read the second copy
  /// of a cloud-init event as nothing.
  mutating func notePasted(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) {
    guard out.format == .console || out.headerless && out.source == .cloudInit, out.ownedInner == nil else { return }
    if out.format == .console, p.count == ConsolePaste.width, !paste.pending, !paste.unwrapped {
      // Perhaps the first piece of a cut record: read it as nothing until its end is known.
      paste.pieces.append(contentsOf: p)
      paste.count = 1
      out.ownedInner = []
      out.level = nil
      out.messageOffset = 0
      return
    }
    guard out.source == .cloudInit, out.level != nil, out.messageOffset > 0 else { return }
    let inner = UnsafeRawBufferPointer(rebasing: p[out.inner])
    // The message from its `file.py[LEVEL]: `: past "[CLOUDINIT] " or past the asctime "… ,mmm - ".
    let syslog = inner.hasPrefix(ConsolePaste.syslogTag)
    let from: Int
    if syslog {
      from = 12
    } else if inner.hasPrefix(" - ", at: 23) {
      from = 26
    } else {
      return
    }
    guard from < inner.count else { return }
    var h = Hasher()
    h.combine(bytes: UnsafeRawBufferPointer(rebasing: inner[from...]))
    let hash = h.finalize()
    if let k = paste.recent.firstIndex(where: { $0.hash == hash && $0.syslog != syslog }) {
      paste.recent.remove(at: k)
      out.ownedInner = []
      out.level = nil
      out.messageOffset = 0
      return
    }
    if paste.recent.count == ConsolePaste.recentLimit { paste.recent.removeFirst() }
    paste.recent.append((hash, syslog))
  }
}
