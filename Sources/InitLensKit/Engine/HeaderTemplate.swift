/// The header of the last examined line, so that the fast path may pass over later lines of the same
/// host and format without parsing them, exactly as the full path would read them.
///
/// What a passed-over line could tell the full path is in its header: its host (a host named only
/// there opens a segment of its own), its time (the record a later header-less line inherits) and
/// whether it has a header at all. A line whose header has the template's shape — the same kind of
/// stamp ending at the same place, valid, then the same host bytes and a valid identifier — names the
/// same host, so it belongs to the segment the template's line went to and adds nothing but its time,
/// which the fast path keeps lazily (a copy of the line, parsed only when a header-less candidate
/// follows). Every other line that may carry a header is examined. The rule is exact because the
/// checks are the parser's own (`LineParser.parse` in `auto` mode), in its order; the template is
/// taken only from lines with a wall time, so their segment has its first time already.
struct HeaderTemplate {
  enum Kind: UInt8 {
    /// `2025-06-25T14:58:01+0000 host ident[pid]: `, short-unix, short/syslog, short-full.
    case iso, unix, syslog, full
    /// cloud-init.log `2025-06-25 14:58:01,470 - `, ECS seelog `2020-01-24T20:19:09Z [WARN]`, logfmt.
    case cloudInit, ecsLegacy, logfmt
    var isJournal: Bool { self == .iso || self == .unix || self == .syslog || self == .full }
  }
  var kind: Kind
  /// Where the stamp ends and the identifier starts (journal kinds; else both the stamp's end).
  var stampEnd: Int
  var identStart: Int
  /// The syslog month (a change of month may advance the parser's year).
  var month: Int
  /// Whether a host stands between the stamp and the identifier (journal kinds).
  var hasHost: Bool
  /// The bytes between the stamp and the identifier: the host with the spaces around it (at most 64,
  /// kept inline so that a template is plain data: the scanners copy it without reference counting).
  var between: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  var betweenCount = 0
  static let maxBetween = 64
  /// The words `matchesISO` compares (a short-iso journal with a host, whose bytes 19 up to the
  /// identifier fit in `tail`): the line's bytes 0..<8 and 5..<13 (date and hour), and bytes 19..<identStart
  /// (zone, host, spaces) in `tailWords` words, the last one masked by `tailMask`.
  var fastISO = false
  var head0: UInt64 = 0
  var head5: UInt64 = 0
  var tail: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
  var tailWords = 0
  var tailMask: UInt64 = 0

  /// A template no line matches.
  static let none = HeaderTemplate(kind: .iso, stampEnd: 0, identStart: Int.max, month: 0, hasHost: false)
  var isNone: Bool { identStart == Int.max }

  /// The template of `p`, when its header is one the fast path can recognise exactly (`auto` only).
  static func of(_ p: UnsafeRawBufferPointer) -> HeaderTemplate? {
    guard let b0 = p.first else { return nil }
    for kind in HeaderTemplate.kinds(b0) {
      guard let (end, month) = stamp(p, kind) else { continue }
      var ident = end
      var hasHost = false
      if kind.isJournal {
        guard let (i, host) = hostAndIdent(p, end + 1) else { return nil }
        ident = i
        hasHost = host
      }
      guard ident - end <= maxBetween else { return nil }
      var template = HeaderTemplate(kind: kind, stampEnd: end, identStart: ident, month: month, hasHost: hasHost)
      template.betweenCount = ident - end
      withUnsafeMutableBytes(of: &template.between) {
        $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: p[end..<ident]))
      }
      template.prepareISO(p)
      return template
    }
    return nil
  }

  /// Fills the words of `matchesISO` when the template is a short-iso header with a host whose bytes
  /// 19..<identStart fit in five words.
  mutating func prepareISO(_ p: UnsafeRawBufferPointer) {
    let n = identStart - 19
    guard kind == .iso, hasHost, n > 0, n <= 40, Prefilter.startsWithStamp(p) else { return }
    var words: [UInt64] = []
    var k = 0
    while k < n {
      var w: UInt64 = 0
      for b in 0..<min(8, n - k) { w |= UInt64(p[19 + k + b]) << UInt64(8 * b) }
      words.append(w)
      k += 8
    }
    tailWords = words.count
    let last = n - 8 * (words.count - 1)
    tailMask = last == 8 ? ~0 : (1 << UInt64(8 * last)) - 1
    while words.count < 5 { words.append(0) }
    tail = (words[0], words[1], words[2], words[3], words[4])
    head0 = p.baseAddress!.loadUnaligned(as: UInt64.self)
    head5 = p.baseAddress!.loadUnaligned(fromByteOffset: 5, as: UInt64.self)
    fastISO = true
  }

  /// Whether `p` has this template's header: its kind of stamp, valid and ending at the same place,
  /// the same bytes up to the identifier (host, spaces, syslog month), and a valid identifier.
  @inline(__always)
  func matches(_ p: UnsafeRawBufferPointer) -> Bool {
    if fastISO, p.count >= identStart + 16 { return matchISO(p) >= 0 }
    return matchesAny(p)
  }

  /// `matches`, and where the identifier's `:` ends (the message starts one byte later); -1 when `p`
  /// has not this header. For a header without an identifier, the stamp's end.
  @inline(__always)
  func match(_ p: UnsafeRawBufferPointer) -> Int {
    if fastISO, p.count >= identStart + 16 { return matchISO(p) }
    return matchesAny(p) ? colonEnd(p) : -1
  }

  /// Where the identifier's `:` ends in a line with this header.
  func colonEnd(_ p: UnsafeRawBufferPointer) -> Int {
    guard kind.isJournal else { return stampEnd }
    var j = identStart
    while j < p.count, p[j] != 0x3A { j += 1 }
    return j + 1
  }

  /// `matches` for a short-iso template, on the bytes the prefilter's stamp test loads and a few words
  /// more: bytes 19 up to the identifier (zone, host) equal to the template's, the first 19 bytes an
  /// ISO stamp's shape with the template's date and hour (else the parser's own stamp test), minutes and
  /// seconds in range, then the identifier found eight bytes at a time. `p` has 16 bytes past
  /// `identStart`. True exactly when `matchesAny` is.
  @inline(__always)
  func matchISO(_ p: UnsafeRawBufferPointer) -> Int {
    let base = p.baseAddress!
    // Zone, host and the spaces around it: a few word compares, the test that fails for another host.
    @inline(__always) func word(_ k: Int, _ t: UInt64) -> UInt64 {
      let w = base.loadUnaligned(fromByteOffset: 19 + 8 * k, as: UInt64.self) ^ t
      return k == tailWords - 1 ? w & tailMask : w
    }
    var diff = word(0, tail.0)
    if tailWords > 1 { diff |= word(1, tail.1) }
    if tailWords > 2 { diff |= word(2, tail.2) }
    if tailWords > 3 { diff |= word(3, tail.3) }
    if tailWords > 4 { diff |= word(4, tail.4) }
    guard diff == 0 else { return -1 }
    if base.loadUnaligned(as: UInt64.self) == head0, base.loadUnaligned(fromByteOffset: 5, as: UInt64.self) == head5 {
      // The template's date and hour (valid): `:MM:SS` digits, minutes below 60, seconds up to 60.
      guard Prefilter.fits(base.loadUnaligned(fromByteOffset: 11, as: UInt64.self), Prefilter.stampMasks11),
        p[14] <= 0x35, p[17] <= 0x35 || p[17] == 0x36 && p[18] == 0x30
      else { return -1 }
    } else {
      guard let (end, _) = HeaderTemplate.stamp(p, .iso), end == stampEnd else { return -1 }
    }
    return HeaderTemplate.identifierEnd(p, identStart)
  }

  /// `LineParser.identifierEnd(p, i, requirePID: false)?.colon`, or -1: the identifier's end looked
  /// for eight bytes at a time.
  @inline(__always)
  static func identifierEnd(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int {
    let base = p.baseAddress!
    let count = p.count
    let limit = min(count, i + 64)
    @inline(__always) func zero(_ x: UInt64) -> UInt64 {
      (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }
    var j = i
    while true {
      guard j + 8 <= count else { return LineParser.identifierEnd(p, i, requirePID: false)?.colon ?? -1 }
      let w = base.loadUnaligned(fromByteOffset: j, as: UInt64.self)
      // The lowest byte flagged is exact (a borrow only flags bytes above a real match).
      let m = zero(w ^ 0x2020_2020_2020_2020) | zero(w ^ 0x3A3A_3A3A_3A3A_3A3A) | zero(w ^ 0x5B5B_5B5B_5B5B_5B5B)
      if m != 0 {
        j += m.trailingZeroBitCount >> 3
        break
      }
      j += 8
      if j >= limit { break }
    }
    if j > limit { j = limit }
    guard j > i, j < count else { return -1 }
    if p[j] == 0x5B {
      var k = j + 1
      while k < count, p[k] &- 0x30 < 10 { k += 1 }
      guard k > j + 1, k + 1 < count, p[k] == 0x5D, p[k + 1] == 0x3A else { return -1 }
      j = k + 2
    } else if p[j] == 0x3A {
      j += 1
    } else {
      return -1
    }
    return j == count || p[j] == 0x20 ? j : -1
  }

  /// `matches` for every template: the parser's checks.
  func matchesAny(_ p: UnsafeRawBufferPointer) -> Bool {
    // The bytes between stamp and identifier first: the cheapest test that fails for another host.
    let n = betweenCount
    guard p.count > identStart else { return false }
    if n > 0 {
      var between = self.between
      guard withUnsafeBytes(of: &between, { System.sameBytes(p.baseAddress! + stampEnd, $0.baseAddress!, count: n) })
      else {
        return false
      }
    }
    guard let (end, m) = HeaderTemplate.stamp(p, kind), end == stampEnd, m == month else { return false }
    guard kind.isJournal else { return true }
    // With a host, `parseHostAndIdent` reads it as the template's (the same bytes); then rsyslog's tag,
    // then the identifier. Without one, the identifier must be there (else a host would be read).
    if hasHost, p.hasPrefix("[CLOUDINIT] ", at: identStart) { return false }
    return HeaderTemplate.identOnly(p, identStart, requirePID: false)
  }

  /// The time `LineParser.parse` gives a line that `matches` this template, or nil when its message
  /// may carry a time of its own (cloud-init's, ECS's, logfmt's, a banner's: then the caller parses the
  /// line). `year`: the parser's, for syslog stamps (the template's month keeps it).
  func time(_ p: UnsafeRawBufferPointer, year: Int) -> Int64? {
    if messageMayCarryTime(p, colonEnd(p)) { return nil }
    switch kind {
    case .iso, .ecsLegacy: return p.rfc3339(0)?.0
    case .unix:
      guard let secs = p.digits(0, 10) else { return nil }
      return Int64(secs) * 1_000_000 + Int64(p.fraction(11).0)
    case .syslog:
      guard let st = p.syslogTime(0) else { return nil }
      return Timestamp.micros(
        year: year, month: st.month, day: st.day, hour: st.h, minute: st.m, second: st.s, micro: st.micro)
    case .full: return LineParser.fullStamp(p)?.0
    case .cloudInit:
      guard let (y, mo, d) = p.isoDate(0), let (h, mi, s) = p.clock(11), let ms = p.digits(20, 3) else { return nil }
      return Timestamp.micros(year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: ms * 1000)
    case .logfmt: return p.rfc3339(stampEnd + 6)?.0
    }
  }

  /// The time a line passed over with this header moves the log clock to, as the replay's `time`
  /// reads it; nil when the scanner cannot tell (a syslog stamp needs the replay's year; a message may
  /// carry its own time): then the line is kept for the replay. `colon`: `match(p)`. The ISO stamp of
  /// the last line read with this template and its time are kept (`stamp`, `stampTime`; the caller
  /// forgets them when the template changes): most lines repeat it.
  @inline(__always)
  func clockTime(
    _ p: UnsafeRawBufferPointer, colon: Int, _ stamp: inout (UInt64, UInt64, UInt64), _ stampTime: inout Int64?
  ) -> Int64? {
    guard kind != .syslog else { return nil }
    if messageMayCarryTime(p, colon) {
      // ECS's logfmt lines are common: their own time, else the stamp's; any other: the replay's parse.
      guard kind == .iso, p.byte(colon + 1, is: 0x6C) else { return nil }
      return logfmtTime(p, colon) ?? p.rfc3339(0)?.0
    }
    // The zone is the template's only when `matchISO` compared it.
    guard fastISO, p.count >= identStart + 16, let base = p.baseAddress else { return time(p, year: 0) }
    let w = (
      base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
      base.loadUnaligned(fromByteOffset: 11, as: UInt64.self)
    )
    if w == stamp, let known = stampTime { return known }
    guard let t = p.rfc3339(0)?.0 else { return nil }
    stamp = w
    stampTime = t
    return t
  }

  /// Whether the message of a journal line that `matches` may carry a time of its own (then
  /// `LineParser.parseInner` reads it): the message starts after `ident[pid]: ` (`colon`: where the
  /// `:` ends) with a colour code, `FALLBACK: `, what may be cloud-init's or ECS's stamp, `level=` or
  /// `Cloud-init v. `.
  @inline(__always)
  func messageMayCarryTime(_ p: UnsafeRawBufferPointer, _ colon: Int) -> Bool {
    guard kind.isJournal else { return false }
    let msg = colon + 1
    guard msg < p.count else { return false }
    switch p[msg] {
    case 0x30...0x39: return p.byte(msg + 10, is: 0x20) || p.byte(msg + 10, is: 0x54) || p.byte(msg + 19, is: 0x20)
    case 0x6C: return p.hasPrefix("level=", at: msg)
    case 0x43: return p.hasPrefix("Cloud-init v. ", at: msg)
    case 0x46: return p.hasPrefix("FALLBACK: ", at: msg)
    case 0x1B, 0x23: return LineParser.skipColour(p, msg) != msg
    default: return false
    }
  }

  /// The time of ECS's logfmt message `level=… time=…` after `ident[pid]: `, as `parseInner` reads it.
  func logfmtTime(_ p: UnsafeRawBufferPointer, _ colon: Int) -> Int64? {
    let msg = colon + 1
    guard p.hasPrefix("level=", at: msg), let sp = p.firstIndex(of: 0x20, from: msg + 6, to: msg + 20),
      p.hasPrefix("time=", at: sp + 1)
    else { return nil }
    return p.rfc3339(sp + 6)?.0
  }

  /// The kinds whose stamp may start with `b0`, in the order `LineParser.parse` tries them.
  static func kinds(_ b0: UInt8) -> [Kind] {
    switch b0 {
    case 0x30...0x39: return digitKinds
    case 0x41...0x5A: return letterKinds
    case 0x6C: return logfmtKinds
    default: return []
    }
  }
  static let digitKinds: [Kind] = [.iso, .ecsLegacy, .unix, .cloudInit]
  static let letterKinds: [Kind] = [.syslog, .full]
  static let logfmtKinds: [Kind] = [.logfmt]

  /// Where a stamp of `kind` at the start of `p` ends (and its syslog month), checked as
  /// `LineParser.parse` checks it; nil when the parser would not read the line as that kind.
  static func stamp(_ p: UnsafeRawBufferPointer, _ kind: Kind) -> (Int, Int)? {
    guard p.count > 1 else { return nil }
    switch kind {
    case .iso, .ecsLegacy:
      // parseISOJournal; "…Z [INFO]" is no journal line but ECS seelog, read by parseInner.
      guard p.count > 20, p[0] &- 0x30 < 10, p[10] == 0x54, let (_, end) = p.rfc3339(0), p.byte(end, is: 0x20) else {
        return nil
      }
      if p.byte(end + 1, is: 0x5B) {
        guard kind == .ecsLegacy, p.firstIndex(of: 0x5D, from: end + 2, to: end + 14) != nil else { return nil }
        return (end, 0)
      }
      return kind == .iso ? (end, 0) : nil
    case .unix:
      // parseUnixJournal (parseISOJournal fails: no `T`).
      guard p.count > 18, p[10] == 0x2E, p.digits(0, 10) != nil else { return nil }
      let (_, end) = p.fraction(11)
      guard end > 11, p.byte(end, is: 0x20) else { return nil }
      return (end, 0)
    case .cloudInit:
      // parseInner's asctime (both journal readings fail: neither `T` nor `.` at 10).
      guard p[0] &- 0x30 < 10, p.byte(10, is: 0x20), p.byte(19, is: 0x2C), p.isoDate(0) != nil, p.clock(11) != nil,
        p.digits(20, 3) != nil, p.hasPrefix(" - ", at: 23)
      else { return nil }
      return (23, 0)
    case .syslog:
      guard p[0] &- 0x41 < 26, let month = Timestamp.month(p, 0), let st = p.syslogTime(0), p.byte(st.end, is: 0x20)
      else { return nil }
      return (st.end, month)
    case .full:
      guard p[0] &- 0x41 < 26, Timestamp.month(p, 0) == nil, p.byte(3, is: 0x20), p.byte(14, is: 0x20),
        let (_, end) = LineParser.fullStamp(p), p.byte(end, is: 0x20)
      else { return nil }
      return (end, 0)
    case .logfmt:
      // parseIdentOnly (a PID required) must fail first, then parseInner reads "level=… time=…".
      guard p.hasPrefix("level="), let sp = p.firstIndex(of: 0x20, from: 6, to: 20), p.hasPrefix("time=", at: sp + 1),
        p.rfc3339(sp + 6) != nil, !identOnly(p, 0, requirePID: true)
      else { return nil }
      return (sp, 0)
    }
  }

  /// `parseHostAndIdent` at `start`: where the identifier starts, when the line has one (with or
  /// without a host before it); nil for rsyslog's `[CLOUDINIT]` (its time is the inner line's).
  static func hostAndIdent(_ p: UnsafeRawBufferPointer, _ start: Int) -> (Int, Bool)? {
    let i = p.skipSpaces(start)
    guard i < p.count else { return nil }
    if identOnly(p, i, requirePID: false) { return (i, false) }
    guard let sp = p.firstIndex(of: 0x20, from: i), sp > i else { return nil }
    let j = sp + 1
    if p.hasPrefix("[CLOUDINIT] ", at: j) { return nil }
    return identOnly(p, j, requirePID: false) ? (j, true) : nil
  }

  /// Whether `LineParser.parseIdentOnly` reads `ident[pid]: ` or `ident: ` at `i`.
  static func identOnly(_ p: UnsafeRawBufferPointer, _ i: Int, requirePID: Bool) -> Bool {
    LineParser.identifierEnd(p, i, requirePID: requirePID) != nil
  }
}
