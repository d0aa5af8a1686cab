/// One `cloud-init analyze` event: what `cloudinit/analyze/dump.py` (`parse_ci_logline`) makes of one
/// `cloud-init.log` line (docs: FORMATS §1.3, §1.4).
///
/// Three message shapes become events:
/// - `start: NAME: DESCRIPTION` (reporting `LogHandler`, `handlers.py[DEBUG]`);
/// - `finish: NAME: RESULT: DESCRIPTION`, and since cloud-init 26.1 `… DESCRIPTION (duration: 1.234s)`;
/// - the stage banner `Cloud-init v. X running 'ACTION' at <RFC 2822>. Up N seconds.`, which analyze turns
///   into a `start` (cloud-init cannot log the stage's own `start:` event: logging is not set up yet).
///
/// The `Cloud-init v. X finished at …` banner makes no event (analyze ignores it); it is still a
/// monotonic anchor, see ``MonotonicAnchor``.
public struct CloudInitEvent: Sendable, Equatable {
  public enum EventType: String, Sendable, Equatable {
    case start
    case finish
  }

  /// The line's time stamp: µs since the Unix epoch, UTC (cloud-init's asctime has milliseconds).
  public var time: Int64
  public var type: EventType
  /// `init-local`, `init-network/search-Ec2`, `modules-final/config-scripts_user`, …
  public var name: String
  /// The description analyze shows. For a finish, the text after `RESULT: `, without 26.1's
  /// ` (duration: …)` suffix (analyze keeps the suffix; it is in ``reportedDuration`` here).
  public var description: String
  /// `SUCCESS`, `WARN` or `FAIL` for a finish (verbatim: the text before the first `:`); nil for a start.
  public var result: String?
  /// The line number the event came from (analyze's own `origin` field is always `"cloudinit"`).
  public var origin: Int
  /// cloud-init ≥ 26.1: the event's duration that cloud-init measured itself with `time.monotonic()`,
  /// in µs (`(duration: 1.234s)` → 1_234_000). Immune to wall-clock steps.
  public var reportedDuration: Int64?

  public init(
    time: Int64, type: EventType, name: String, description: String, result: String? = nil, origin: Int,
    reportedDuration: Int64? = nil
  ) {
    self.time = time
    self.type = type
    self.name = name
    self.description = description
    self.result = result
    self.origin = origin
    self.reportedDuration = reportedDuration
  }

  /// Stage descriptions that analyze gives banner starts (`dump.py` `stage_to_description`).
  static func bannerDescription(_ name: String) -> String? {
    switch name {
    case "finished": return "finished running cloud-init"
    case "init-local": return "starting search for local datasources"
    case "init-network", "init": return "searching for network datasources"
    case "modules-config": return "running config modules"
    case "modules-final": return "finalizing modules"
    case "modules": return "running modules for"
    case "single": return "running single module "
    default: return nil
    }
  }

  /// Recognises an event in a log line's *message* (the text after `file.py[LEVEL]: `), or returns nil.
  ///
  /// Follows `parse_ci_logline`: the name is the first whitespace-separated token after `start:`/`finish:`
  /// with its trailing colons removed; a finish's result is the description up to its first `:`.
  /// Differences, all on lines analyze mis-reads: the keyword must open the message (analyze also takes
  /// `start:` from the middle of unrelated lines and makes a bogus event of it), a banner with an unknown
  /// action is ignored (analyze raises `KeyError`), and a finish description that repeats the result word
  /// is kept whole (analyze cuts it at the repetition).
  public static func parse(message m: UnsafeRawBufferPointer, time: Int64, line: Int) -> CloudInitEvent? {
    guard m.count > 7 else { return nil }
    switch m[0] {
    case 0x73:  // s
      guard m.hasPrefix("start:"), isSpace(m[6]) else { return nil }
      return parseEvent(m, from: 7, type: .start, time: time, line: line)
    case 0x66:  // f
      guard m.hasPrefix("finish:"), isSpace(m[7]) else { return nil }
      return parseEvent(m, from: 8, type: .finish, time: time, line: line)
    case 0x43:  // C
      return parseBanner(m, time: time, line: line)
    default:
      return nil
    }
  }

  private static func parseEvent(
    _ m: UnsafeRawBufferPointer, from: Int, type: EventType, time: Int64, line: Int
  ) -> CloudInitEvent? {
    var end = m.count
    while end > from, isSpace(m[end - 1]) { end -= 1 }
    var i = from
    while i < end, isSpace(m[i]) { i += 1 }
    let nameStart = i
    while i < end, !isSpace(m[i]) { i += 1 }
    var nameEnd = i
    while nameEnd > nameStart, m[nameEnd - 1] == 0x3A { nameEnd -= 1 }
    guard nameEnd > nameStart else { return nil }
    while i < end, isSpace(m[i]) { i += 1 }
    let name = m.string(nameStart..<nameEnd)
    if type == .start {
      return CloudInitEvent(time: time, type: .start, name: name, description: m.string(i..<end), origin: line)
    }
    // "RESULT: description": analyze raises ValueError (and skips the line) on an empty result.
    let colon = m.firstIndex(of: 0x3A, from: i, to: end) ?? end
    guard colon > i else { return nil }
    let result = m.string(i..<colon)
    var d = colon
    while d < end, m[d] == 0x3A { d += 1 }
    while d < end, isSpace(m[d]) { d += 1 }
    var descEnd = end
    var reported: Int64? = nil
    if let (value, suffixStart) = durationSuffix(m, from: d, to: end) {
      reported = value
      descEnd = suffixStart
      while descEnd > d, isSpace(m[descEnd - 1]) { descEnd -= 1 }
    }
    return CloudInitEvent(
      time: time, type: .finish, name: name, description: m.string(d..<descEnd), result: result, origin: line,
      reportedDuration: reported)
  }

  /// ` (duration: 1.234s)` at the end of `from..<to` → (µs, index of the space before `(`).
  private static func durationSuffix(_ m: UnsafeRawBufferPointer, from: Int, to: Int) -> (Int64, Int)? {
    guard to - from >= 14, m[to - 1] == 0x29, m[to - 2] == 0x73 else { return nil }  // "s)"
    var k = to - 3
    while k > from, m[k] != 0x28 { k -= 1 }  // "("
    guard m[k] == 0x28, k > from, m[k - 1] == 0x20, m.hasPrefix("(duration: ", at: k) else { return nil }
    guard let v = decimalMicros(m, (k + 11)..<(to - 2)) else { return nil }
    return (v, k - 1)
  }

  /// `Cloud-init v. X running 'ACTION' at …` → a start named after the action.
  private static func parseBanner(_ m: UnsafeRawBufferPointer, time: Int64, line: Int) -> CloudInitEvent? {
    guard m.hasPrefix("Cloud-init v. "), let r = m.find(runningBytes, from: 14) else { return nil }
    var i = r + runningBytes.count
    while i < m.count, isSpace(m[i]) { i += 1 }
    // analyze: `event_name, _ = rest.split(" at ")`, which needs exactly one " at ".
    guard let at = m.find(atBytes, from: i), m.find(atBytes, from: at + 1) == nil else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(at - i)
    for k in i..<at {
      let c = m[k]
      if c == 0x27 { continue }  // '
      bytes.append(c == 0x3A ? 0x2D : c)  // ':' → '-'
    }
    var name = String(decoding: bytes, as: UTF8.self)
    if name == "init" { name = "init-network" }
    guard let description = bannerDescription(name) else { return nil }
    return CloudInitEvent(time: time, type: .start, name: name, description: description, origin: line)
  }
}

/// A pair of clocks from a `Cloud-init v. …` banner: the wall time and `Up N seconds` (`/proc/uptime`,
/// seconds since kernel start), read together by `welcome_format()` or `cc_final_message`.
///
/// The uptime is monotonic: it does not move when chrony or NTP steps the wall clock, so two anchors
/// tell how much wall time *should* have passed between them (FORMATS §1.3).
public struct MonotonicAnchor: Sendable, Equatable {
  /// Wall time, µs UTC: the log line's stamp, but never later than the banner's own RFC 2822 time + 1 s
  /// (the banner text is formatted when uptime is read; the line is logged after the configuration is
  /// read and logging is set up, sometimes hundreds of ms later).
  public var wallTime: Int64
  /// µs since kernel start (`Up 4.62 seconds` → 4_620_000).
  public var uptime: Int64
  /// The log line's own stamp, µs UTC (≥ ``wallTime``).
  public var lineTime: Int64
  public var line: Int

  public init(wallTime: Int64, uptime: Int64, lineTime: Int64? = nil, line: Int) {
    self.wallTime = wallTime
    self.uptime = uptime
    self.lineTime = lineTime ?? wallTime
    self.line = line
  }

  /// Recognises the `running` and `finished at` banners in a line's message; nil for anything else,
  /// including a customised `final_message` without `Up … seconds`.
  public static func parse(message m: UnsafeRawBufferPointer, time: Int64, line: Int) -> MonotonicAnchor? {
    guard m.count > 20, m[0] == 0x43, m.hasPrefix("Cloud-init v. "), let at = m.find(atBytes, from: 14),
      let up = m.find(upBytes, from: at)
    else { return nil }
    var e = up + 4
    while e < m.count, m[e] &- 0x30 < 10 || m[e] == 0x2E { e += 1 }
    guard let uptime = decimalMicros(m, (up + 4)..<e) else { return nil }
    var wall = time
    if let rfc = m.rfc2822(at + 4) { wall = min(time, rfc + 999_999) }
    return MonotonicAnchor(wallTime: wall, uptime: uptime, lineTime: time, line: line)
  }
}

private let runningBytes: [UInt8] = Array("running".utf8)
private let atBytes: [UInt8] = Array(" at ".utf8)
private let upBytes: [UInt8] = Array(" Up ".utf8)

/// Python's `str.split()` whitespace, ASCII part.
@inline(__always) private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

/// `12.345` (digits, optional fraction) in `r` → µs; nil when `r` holds anything else.
private func decimalMicros(_ m: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int64? {
  var i = r.lowerBound
  var whole: Int64 = 0
  var digits = 0
  while i < r.upperBound, m[i] &- 0x30 < 10 {
    // More than 12 digits of seconds (31,000 years of uptime) is no uptime, and would overflow µs.
    guard digits < 12 else { return nil }
    whole = whole &* 10 &+ Int64(m[i] &- 0x30)
    digits += 1
    i += 1
  }
  var frac: Int64 = 0
  if i < r.upperBound, m[i] == 0x2E {
    i += 1
    var scale: Int64 = 100_000
    while i < r.upperBound, m[i] &- 0x30 < 10 {
      frac += Int64(m[i] &- 0x30) * scale
      scale /= 10
      digits += 1
      i += 1
    }
  }
  guard digits > 0, digits <= 18, i == r.upperBound else { return nil }
  return whole * 1_000_000 + frac
}
