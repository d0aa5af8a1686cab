/// journalctl `-o json` (one object per line, also json-seq and json-sse; json-pretty, export and verbose
/// records are gathered by `JournalRecord` and read with `parseJournalFields`) and the ECS agent's
/// `ECS_LOG_OUTPUT_FORMAT=json`. In a text input a `{` line that is no JSON object (cloud-init's
/// `{'type': 'physical', …}`) has no header: it continues the record above it.
enum JSONFormat: HeaderFormat {
  /// A `{` line is examined in a JSON input; passed over in a text one, it may still be a broken record
  /// that a forced JSON format reports.
  static let headerStarts: [ClosedRange<UInt8>] = [0x7B...0x7B]
  static var exclusive: Bool { true }
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool {
    forced == .auto || forced == .json || forced == .ecs
  }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { p[0] == 0x7B }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    let auto = parser.forced == .auto
    if parser.jsonInput || !auto || p.byte(1, is: 0x22) {
      parser.parseJSON(p, &out, strict: parser.jsonInput || !auto)
    } else {
      parser.classifyHeaderless(p, &out)
    }
    return true
  }
}

extension LineFormat {
  public static let journalJSON = LineFormat("journal-json")
  /// journalctl `-o export`: `FIELD=value` lines, an empty line after each entry.
  public static let journalExport = LineFormat("journal-export")
  /// journalctl `-o verbose`: a dated cursor line, then indented `FIELD=value` lines.
  public static let journalVerbose = LineFormat("journal-verbose")
  /// ECS agent with `ECS_LOG_OUTPUT_FORMAT=json`.
  public static let ecsJSON = LineFormat("ecs-json")
}

extension LineParser {
  /// journalctl `-o json` (or an ECS JSON line). `strict`: the input is JSON, so a line that is no JSON
  /// object is reported (`malformed`); otherwise it is a text line like any other.
  mutating func parseJSON(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, strict: Bool = true) {
    guard let obj = FlatJSON.parse(p) else {
      if strict { out.malformed = "not a valid JSON object" }
      classifyHeaderless(p, &out)
      return
    }
    if obj["__REALTIME_TIMESTAMP"] == nil, obj["msg"] == nil, let fields = LineParser.shippedJournalFields(obj) {
      parseJournalFields(fields, &out)  // Fluent Bit's systemd input (ShippedJSON.swift)
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
    if parseShippedLine(obj, &out) { return }  // Fluent Bit tail, Vector (ShippedJSON.swift)
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
}
