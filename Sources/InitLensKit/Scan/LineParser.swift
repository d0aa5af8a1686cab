/// Detects each line's format and parses its header: each format of `Formats/` is asked in turn
/// (`HeaderFormats.all`, docs: FORMATS §8 gives the order).
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
  /// The input is a CloudWatch Logs export (`CloudWatchExportFormat`): a `2020-09-08T04:00:24.000Z ` line
  /// is an event, whatever its message looks like.
  public var cloudWatchExport = false
  /// The host of the lines that name none: the instance whose console output this is.
  public var defaultHost: String? = nil
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
    var out = parseHeader(p)
    if out.host == nil, let defaultHost { out.host = defaultHost }
    return out
  }

  mutating func parseHeader(_ p: UnsafeRawBufferPointer) -> ParsedLine {
    var out = ParsedLine()
    out.inner = 0..<p.count
    guard p.count > 0 else {
      out.headerless = true
      return out
    }
    let auto = forced == .auto
    if auto || forced == .console, let pasted = parsePasted(p) { return pasted }
    if !HeaderFormats.read(p, &out, &self) { classifyHeaderless(p, &out) }
    if auto || forced == .console { notePasted(p, &out) }
    return out
  }

  // MARK: - Outer formats

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

  // MARK: - Inner payloads

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
