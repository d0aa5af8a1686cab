/// Detects each line's format and parses its header (docs: FORMATS §8 gives the order).
///
/// One parser per input stream: it carries what a line alone cannot tell — the year for year-less
/// syslog stamps and the source that the file name implies.
public struct LineParser {
  public var forced: InputFormat
  /// The source the input's name implies (`ecs-init.log` → ecs-init), for lines that do not say.
  public var fileSource: Source?
  /// The year for year-less stamps; advanced when the month wraps from December to January.
  public var year: Int
  var lastYearlessMonth = 0
  /// The input is JSON (its first record is a `{` line: journalctl `-o json`, `json-seq`, `json-sse`, ECS
  /// JSON): every `{` line is a record and a broken one is reported. In a text input a `{` line that
  /// is no JSON object (cloud-init's `{'type': 'physical', …}`) continues the record above it.
  public var jsonInput = false
  /// The input is journalctl `-o short-monotonic` or `short-delta`: `[    5.123456] host ident[pid]: msg`
  /// (decided once per input: on a console, `[ 2.0] usb 1-1: …` has no host).
  public var monotonicJournal = false
  /// Console paste state (`ConsolePaste.swift`): a record cut at 80 columns, recent cloud-init messages.
  var paste = ConsolePaste()

  public init(forced: InputFormat = .auto, fileSource: Source? = nil, year: Int) {
    self.forced = forced
    self.fileSource = fileSource
    self.year = year
  }

  /// The source a file name implies, if any.
  public static func source(forFileName name: String) -> Source? {
    let base = name.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
    if base.contains("cloud-init") || base.hasPrefix("cloudinit") { return .cloudInit }
    if base.contains("ecs-init") { return .ecsInit }
    if base.contains("ecs-agent") || base.hasPrefix("ecs") && base.contains("agent") { return .ecsAgent }
    return nil
  }

  public mutating func parse(_ p: UnsafeRawBufferPointer) -> ParsedLine {
    var out = ParsedLine()
    out.inner = 0..<p.count
    guard p.count > 0 else {
      out.headerless = true
      return out
    }
    let b0 = p[0]
    let auto = forced == .auto
    if auto || forced == .console, let pasted = parsePasted(p) { return pasted }
    switch b0 {
    case 0x7B where auto || forced == .json || forced == .ecs:  // {
      if jsonInput || !auto || p.byte(1, is: 0x22) {
        parseJSON(p, &out, strict: jsonInput || !auto)
      } else {
        classifyHeaderless(p, &out)
      }
    case 0x5B where auto || forced == .console || forced == .journal && monotonicJournal:  // [
      if monotonicJournal, parseMonotonicJournal(p, &out) { break }
      if !parseConsole(p, &out) { classifyHeaderless(p, &out) }
    case 0x2D where auto || forced == .journal:  // -
      if p.hasPrefix("-- "), p.count >= 6, p[p.count - 1] == 0x2D, p[p.count - 2] == 0x2D, p[p.count - 3] == 0x20 {
        out.isSeparator = true
        if p.hasPrefix("-- Boot ") {
          out.bootID = p.string(8..<(p.count - 3))
        } else if p.hasPrefix("-- Reboot --") {
          out.bootID = ""
        }
      } else {
        classifyHeaderless(p, &out)
      }
    case 0x41...0x5A where (auto || forced == .journal) && Timestamp.month(p, 0) != nil:
      if !parseSyslog(p, &out) { classifyHeaderless(p, &out) }
    case 0x41...0x5A where (auto || forced == .journal) && p.byte(3, is: 0x20) && p.byte(14, is: 0x20):
      // journalctl short-full, with-unit: "Wed 2025-01-22 09:14:03 UTC host ident[pid]: msg"
      if parseFullJournal(p, &out) { break }
      if parseIdentOnly(p, 0, &out, requirePID: true) { break }
      if !parseInner(p, 0, &out, fileLevel: true) { classifyHeaderless(p, &out) }
    case 0x30...0x39:
      if auto || forced == .journal, parseISOJournal(p, &out) || parseUnixJournal(p, &out) { break }
      if !parseInner(p, 0, &out, fileLevel: true) { classifyHeaderless(p, &out) }
    default:
      if auto || forced == .journal, parseIdentOnly(p, 0, &out, requirePID: true) { break }
      if !parseInner(p, 0, &out, fileLevel: true) { classifyHeaderless(p, &out) }
    }
    if auto || forced == .console { notePasted(p, &out) }
    return out
  }

  // MARK: - Outer formats

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

  /// `Mmm dd HH:MM:SS[.us] [host] ident[pid]: msg` (journalctl short, short-precise, syslog files).
  mutating func parseSyslog(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard let st = p.syslogTime(0), p.byte(st.end, is: 0x20) else { return false }
    guard parseHostAndIdent(p, st.end + 1, &out) else { return false }
    out.format = .journalShort
    if st.month < lastYearlessMonth - 6 { year += 1 }  // December → January
    lastYearlessMonth = st.month
    let t = Timestamp.micros(
      year: year, month: st.month, day: st.day, hour: st.h, minute: st.m, second: st.s, micro: st.micro)
    if out.time == nil { out.time = t }
    return true
  }

  /// `Wed 2025-01-22 09:14:03[.us] UTC host ident[pid]: msg` (journalctl short-full, with-unit). A zone
  /// other than UTC/GMT is read as UTC, as the year-less short modes are.
  mutating func parseFullJournal(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard let (t, end) = LineParser.fullStamp(p), p.byte(end, is: 0x20) else { return false }
    guard parseHostAndIdent(p, end + 1, &out) else { return false }
    out.format = .journalFull
    if out.time == nil { out.time = t }
    return true
  }

  /// The stamp of short-full and verbose at the line's start, `Www YYYY-MM-DD HH:MM:SS[.us] ZONE` →
  /// (µs, index after the zone).
  static func fullStamp(_ p: UnsafeRawBufferPointer) -> (Int64, Int)? {
    guard p.count > 24, p[0] | 0x20 >= 0x61, p[0] | 0x20 <= 0x7A, p.byte(3, is: 0x20), let (y, mo, d) = p.isoDate(4),
      p.byte(14, is: 0x20), let (h, mi, s) = p.clock(15)
    else { return nil }
    var j = 23
    var micro = 0
    if p.byte(j, is: 0x2E) { (micro, j) = p.fraction(j + 1) }
    guard p.byte(j, is: 0x20) else { return nil }
    let zone = j + 1
    j = zone
    while j < p.count, j - zone < 8, p[j] != 0x20 { j += 1 }
    guard j > zone else { return nil }
    return (Timestamp.micros(year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: micro), j)
  }

  /// `1737537243.118402 host ident[pid]: msg` (journalctl short-unix: seconds since the epoch, UTC).
  mutating func parseUnixJournal(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) -> Bool {
    guard p.count > 18, p[10] == 0x2E, let secs = p.digits(0, 10) else { return false }
    let (micro, end) = p.fraction(11)
    guard end > 11, p.byte(end, is: 0x20), parseHostAndIdent(p, end + 1, &out) else { return false }
    out.format = .journalUnix
    if out.time == nil { out.time = Int64(secs) * 1_000_000 + Int64(micro) }
    return true
  }

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

  /// Seconds since the kernel started, as console and journal stamps print them: spaces, digits, `.`,
  /// digits from `i` (`    5.123456`) → (seconds, index after the last digit).
  static func stampSeconds(_ p: UnsafeRawBufferPointer, _ i: Int) -> (Double, Int)? {
    var i = p.skipSpaces(i)
    let start = i
    while i < p.count, p.isDigit(i) { i += 1 }
    guard i > start, p.byte(i, is: 0x2E) else { return nil }
    i += 1
    let frac = i
    while i < p.count, p.isDigit(i) { i += 1 }
    guard i > frac, let seconds = Double(p.string(start..<i)) else { return nil }
    return (seconds, i)
  }

  /// After a journal timestamp: `host ident[pid]: msg`, `ident[pid]: msg` (Amazon Linux 2, no host),
  /// `host [CLOUDINIT] file[LEVEL]: msg` (rsyslog), or `host ident: msg`.
  mutating func parseHostAndIdent(_ p: UnsafeRawBufferPointer, _ start: Int, _ out: inout ParsedLine) -> Bool {
    let i = p.skipSpaces(start)
    guard i < p.count else { return false }
    // A first token that is itself "ident[pid]:" or "ident:" means there is no host.
    if parseIdentOnly(p, i, &out) { return true }
    guard let sp = p.firstIndex(of: 0x20, from: i), sp > i else { return false }
    out.host = p.string(i..<sp)
    let j = sp + 1
    if p.hasPrefix("[CLOUDINIT] ", at: j) {
      out.ident = "cloud-init"
      out.source = .cloudInit
      out.inner = j..<p.count
      _ = parseInner(p, j, &out, fileLevel: false)
      out.source = .cloudInit
      return true
    }
    if parseIdentOnly(p, j, &out) { return true }
    out.host = nil
    return false
  }

  /// Where `ident[pid]: ` or `ident: ` at `i` ends: (end of the identifier, index after the colon), or
  /// nil. The identifier has no spaces and is at most 64 bytes. `requirePID`: without a timestamp before
  /// it, `word: text` is too common to be taken for an identifier.
  static func identifierEnd(_ p: UnsafeRawBufferPointer, _ i: Int, requirePID: Bool) -> (ident: Int, colon: Int)? {
    var j = i
    let limit = min(p.count, i + 64)
    while j < limit {
      let c = p[j]
      if c == 0x5B || c == 0x3A || c == 0x20 { break }
      j += 1
    }
    guard j > i, j < p.count else { return nil }
    let identEnd = j
    if p[j] == 0x5B {
      var k = j + 1
      while k < p.count, p.isDigit(k) { k += 1 }
      guard k > j + 1, p.byte(k, is: 0x5D), p.byte(k + 1, is: 0x3A) else { return nil }
      j = k + 2
    } else if p[j] == 0x3A, !requirePID {
      j += 1
    } else {
      return nil
    }
    guard j == p.count || p[j] == 0x20 else { return nil }
    return (identEnd, j)
  }

  /// `ident[pid]: msg` or `ident: msg` at `i` (see `identifierEnd`).
  mutating func parseIdentOnly(_ p: UnsafeRawBufferPointer, _ i: Int, _ out: inout ParsedLine, requirePID: Bool = false)
    -> Bool
  {
    guard let (identEnd, j) = LineParser.identifierEnd(p, i, requirePID: requirePID) else { return false }
    let ident = p.string(i..<identEnd)
    out.ident = ident
    if out.format == .plain { out.format = .journalShort }
    let msg = j < p.count ? j + 1 : j
    out.inner = msg..<p.count
    let identSource = LineParser.source(forIdent: ident)
    _ = parseInner(p, msg, &out, fileLevel: false)
    if let identSource { out.source = identSource }
    return true
  }

  static func source(forIdent ident: String) -> Source? {
    switch ident {
    case "cloud-init", "cloud-init-local", "cloud-final", "cloud-config": return .cloudInit
    case "amazon-ecs-init", "ecs-init": return .ecsInit
    case "ecs-agent", "amazon-ecs-agent": return .ecsAgent
    case "kernel": return .kernel
    case "systemd", "init.scope": return .systemd
    default:
      // journalctl with-unit names the unit: "cloud-init-local.service", "ecs.service".
      guard ident.hasSuffix(".service") else { return nil }
      let unit = ident.dropLast(8)
      if unit == "ecs" { return .ecsInit }
      if unit.hasPrefix("cloud-") { return .cloudInit }
      return source(forIdent: String(unit))
    }
  }

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

  /// journalctl `-o json` (or an ECS JSON line). `strict`: the input is JSON, so a line that is no JSON
  /// object is reported (`malformed`); otherwise it is a text line like any other.
  mutating func parseJSON(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, strict: Bool = true) {
    guard let obj = FlatJSON.parse(p) else {
      if strict { out.malformed = "not a valid JSON object" }
      classifyHeaderless(p, &out)
      return
    }
    if obj["MESSAGE"] != nil || obj["__REALTIME_TIMESTAMP"] != nil {
      parseJournalFields(obj, &out)
      out.format = .journalJSON
      return
    }
    if obj["level"] != nil, obj["msg"] != nil {
      out.format = .ecsJSON
      out.source = fileSource ?? .ecsAgent
      if case .string(let s)? = obj["level"] {
        out.level = Array(s.utf8).withUnsafeBytes { Level(word: $0, 0..<$0.count) }
      }
      if case .string(let s)? = obj["time"] {
        out.time = Array(s.utf8).withUnsafeBytes { $0.rfc3339(0)?.0 }
      }
      return
    }
    classifyHeaderless(p, &out)
  }

  /// One journal entry from its fields (journalctl json, json-pretty, export, verbose): time, host,
  /// boot, identifier and priority from the journal, the message as the inner line.
  mutating func parseJournalFields(_ obj: [String: FlatJSONValue], _ out: inout ParsedLine) {
    out.format = .journalJSON
    // µs since the epoch; a value before 1970 or after 9999 is no time journald wrote (and would
    // overflow time arithmetic downstream): ignore it.
    if case .string(let s)? = obj["__REALTIME_TIMESTAMP"], let us = Int64(s), LineParser.plausibleTimes.contains(us) {
      out.time = us
    }
    if case .string(let s)? = obj["_HOSTNAME"] { out.host = s }
    if case .string(let s)? = obj["_BOOT_ID"] { out.bootID = s }
    if case .string(let s)? = obj["SYSLOG_IDENTIFIER"] {
      out.ident = s
    } else if case .string(let s)? = obj["_COMM"] {
      out.ident = s
    }
    if case .string(let s)? = obj["PRIORITY"], let n = Int(s) { out.level = Level(priority: n) }
    if case .string(let s)? = obj["__MONOTONIC_TIMESTAMP"], let n = Double(s) { out.monotonic = n / 1e6 }
    switch obj["MESSAGE"] {
    case .string(let s)?: out.ownedInner = Array(s.utf8)
    case .bytes(let b)?: out.ownedInner = b
    case .strings(let list)?: out.ownedInner = Array((list.first ?? "").utf8)
    default: out.ownedInner = []
    }
    let journalTime = out.time
    let journalLevel = out.level
    out.ownedInner!.withUnsafeBytes { m in _ = parseInner(m, 0, &out, fileLevel: false) }
    out.ownedInner = out.ownedInner ?? []
    if out.time == nil { out.time = journalTime }
    if out.level == nil { out.level = journalLevel }
    if let ident = out.ident, let s = LineParser.source(forIdent: ident) { out.source = s }
    out.inner = 0..<0
  }

  // MARK: - Inner payloads

  /// Recognises the inner line at `i`: cloud-init asctime, `[CLOUDINIT]`, ECS legacy, ECS logfmt,
  /// seelog epoch errors, cloud-init banners and `ci-info:`. Sets source, level and (inner) time.
  /// `fileLevel`: the line is a whole file line, so its format is the line's format.
  @discardableResult
  mutating func parseInner(_ p: UnsafeRawBufferPointer, _ i: Int, _ out: inout ParsedLine, fileLevel: Bool) -> Bool {
    guard i < p.count else { return false }
    var j = LineParser.skipColour(p, i)
    if p.hasPrefix("FALLBACK: ", at: j) { j += 10 }
    guard j < p.count else { return false }
    let c = p[j]
    if c &- 0x30 < 10 {
      // cloud-init asctime: "2025-06-25 14:58:01,470 - file.py[LEVEL]: "
      if p.byte(j + 10, is: 0x20), p.byte(j + 19, is: 0x2C), let (y, mo, d) = p.isoDate(j),
        let (h, mi, s) = p.clock(j + 11),
        let ms = p.digits(j + 20, 3), p.hasPrefix(" - ", at: j + 23)
      {
        if forced != .auto && forced != .cloudInit && fileLevel { return false }
        out.time = Timestamp.micros(year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: ms * 1000)
        out.source = .cloudInit
        if fileLevel { out.format = .cloudInit }
        if let lb = p.firstIndex(of: 0x5B, from: j + 26, to: j + 90),
          let rb = p.firstIndex(of: 0x5D, from: lb, to: lb + 12)
        {
          out.level = Level(word: p, (lb + 1)..<rb)
          if p.byte(rb + 1, is: 0x3A) { out.messageOffset = min(rb + 3, p.count) - out.inner.lowerBound }
        }
        return true
      }
      // ECS legacy: "2020-01-24T20:19:09Z [WARN] "
      if p.byte(j + 10, is: 0x54), let (t, end) = p.rfc3339(j), p.byte(end, is: 0x20),
        case let lb = LineParser.skipColour(p, end + 1), p.byte(lb, is: 0x5B),
        let rb = p.firstIndex(of: 0x5D, from: lb + 1, to: lb + 13)
      {
        if forced != .auto && forced != .ecs && fileLevel { return false }
        out.time = t
        out.level = Level(word: p, (lb + 1)..<rb)
        out.messageOffset = min(rb + 2, p.count) - out.inner.lowerBound
        out.source = .ecsAgent
        if fileLevel { out.format = .ecsLegacy }
        if let fs = fileSource, fileLevel { out.source = fs }
        return true
      }
      // seelog's own error format: "1749224150222807666 [Error] format error: …" (epoch ns).
      if p.count > j + 21, let ns = p.digits(j, 19), p.hasPrefix(" [", at: j + 19) {
        out.time = Int64(ns / 1000)
        out.level = .error
        out.source = .ecsInit
        if fileLevel { out.format = .ecsLegacy }
        return true
      }
      return false
    }
    if c == 0x6C, p.hasPrefix("level=", at: j) {
      // ECS logfmt: "level=info time=2025-02-04T07:02:20Z msg=…"
      guard let sp = p.firstIndex(of: 0x20, from: j + 6, to: j + 20), p.hasPrefix("time=", at: sp + 1) else {
        return false
      }
      if forced != .auto && forced != .ecs && fileLevel { return false }
      out.level = Level(word: p, (j + 6)..<sp)
      if let (t, _) = p.rfc3339(sp + 6) { out.time = t }
      out.source = .ecsAgent
      if fileLevel {
        out.format = .ecsLogfmt
        if let fs = fileSource { out.source = fs }
      }
      return true
    }
    if c == 0x5B, p.hasPrefix("[CLOUDINIT] ", at: j) {
      out.source = .cloudInit
      if let lb = p.firstIndex(of: 0x5B, from: j + 12, to: j + 80),
        let rb = p.firstIndex(of: 0x5D, from: lb, to: lb + 12)
      {
        out.level = Level(word: p, (lb + 1)..<rb)
        if p.byte(rb + 1, is: 0x3A) { out.messageOffset = min(rb + 3, p.count) - out.inner.lowerBound }
      }
      return true
    }
    // cloud-init's syslog shape without a time (Amazon Linux 2): "handlers.py[DEBUG]: message".
    if !fileLevel, c >= 0x5F || c >= 0x41 && c <= 0x5A, let dot = p.find(LineParser.pyBracket, from: j), dot - j < 48,
      let rb = p.firstIndex(of: 0x5D, from: dot + 4, to: dot + 16), p.byte(rb + 1, is: 0x3A),
      p[j..<dot].allSatisfy({
        $0 == 0x5F || $0 == 0x2D || $0 == 0x2E || $0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A || $0 &- 0x30 < 10
      })
    {
      out.source = .cloudInit
      out.level = Level(word: p, (dot + 4)..<rb)
      out.messageOffset = min(rb + 3, p.count) - out.inner.lowerBound
      return true
    }
    if c == 0x43, p.hasPrefix("Cloud-init v. ", at: j) {
      out.source = .cloudInit
      if out.time == nil, let at = p.find(Array(" at ".utf8), from: j + 14) { out.time = p.rfc2822(at + 4) }
      return !fileLevel
    }
    if c == 0x63, p.hasPrefix("ci-info: ", at: j) {
      out.source = .cloudInit
      return !fileLevel
    }
    return false
  }

  static let pyBracket = Array(".py[".utf8)

  /// 1970-01-01T00:00:00Z up to 9999-12-31T23:59:59.999999Z, in µs.
  static let plausibleTimes: ClosedRange<Int64> = 0...253_402_300_799_999_999

  /// Skips colour codes at `i`: raw `ESC[…m`, and rsyslog's escaped `#033[…m` (old ecs-init wraps its
  /// console lines in them).
  static func skipColour(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int {
    var j = i
    while true {
      var k: Int
      if p.byte(j, is: 0x1B), p.byte(j + 1, is: 0x5B) {
        k = j + 2
      } else if p.hasPrefix("#033[", at: j) {
        k = j + 5
      } else {
        return j
      }
      while k < p.count, k - j < 16, p[k] == 0x3B || p.isDigit(k) { k += 1 }
      guard p.byte(k, is: 0x6D) else { return j }
      j = k + 1
    }
  }

  /// A line with no header of its own: the caller decides whether it continues the previous record.
  mutating func classifyHeaderless(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine) {
    if forced == .auto || forced == .console, parsePrompted(p, &out) { return }
    out.format = .plain
    out.headerless = true
    out.inner = 0..<p.count
    // Banners and ci-info text still say who wrote them (cloud-init-output.log).
    _ = parseInner(p, 0, &out, fileLevel: false)
    if out.source == .other, let fileSource { out.source = fileSource }
  }
}
