/// Log lines as Fluent Bit and Vector ship them to S3, one JSON object a line (../shared/COLLECTED.md §7):
///
/// - Fluent Bit `tail`: `{"date":"2024-01-15T10:23:45.123456Z","log":"<line>"}`, maybe with the file's
///   path (`file`, `path`, `filename`: its name says the source, as a file's name does) and a host
///   (`host`, `hostname`);
/// - Fluent Bit `systemd`: the journal's fields (`MESSAGE`, `_HOSTNAME`, `SYSLOG_IDENTIFIER`, `PRIORITY`,
///   `_BOOT_ID`, …) with `date` for `__REALTIME_TIMESTAMP`, also with `strip_underscores` (`HOSTNAME`) and
///   `lowercase` (`message`, `hostname`);
/// - Vector: `{"host":"…","message":"<line>","timestamp":"2020-11-01T21:15:47+00:00"}` (and `file`,
///   `source_type`).
///
/// The shipped line is read as the line it is: its own time, level and source where it has them, the
/// record's time where it has none; a line without a header of its own (a traceback's) continues the
/// record before it, as in the file.
extension LineParser {
  /// The journal fields of a shipped systemd record, under journalctl's names, or nil when `obj` is no
  /// journal record (raw journalctl `-o json` records are read as they are).
  static func shippedJournalFields(_ obj: [String: FlatJSONValue]) -> [String: FlatJSONValue]? {
    var fields: [String: FlatJSONValue] = [:]
    var journal = false
    for (key, value) in obj {
      let bare = String(key.drop { $0 == "_" }).uppercased()
      let name: String
      switch bare {
      case "REALTIME_TIMESTAMP", "MONOTONIC_TIMESTAMP", "CURSOR": name = "__" + bare
      case "HOSTNAME", "BOOT_ID", "SYSTEMD_UNIT", "COMM", "TRANSPORT", "PID", "MACHINE_ID":
        name = "_" + bare
        journal = true
      case "SYSLOG_IDENTIFIER", "PRIORITY": (name, journal) = (bare, true)
      default: name = bare
      }
      if fields[name] == nil || key.hasPrefix("_") || key == name { fields[name] = value }
    }
    guard journal, fields["MESSAGE"] != nil else { return nil }
    if fields["__REALTIME_TIMESTAMP"] == nil, let t = shippedTime(obj) {
      fields["__REALTIME_TIMESTAMP"] = .string("\(t)")
    }
    if fields["_HOSTNAME"] == nil, case .string(let host)? = obj["host"] { fields["_HOSTNAME"] = .string(host) }
    return fields
  }

  /// The record's time: Fluent Bit's `date` (ISO 8601, or seconds since the epoch), Vector's `timestamp`.
  static func shippedTime(_ obj: [String: FlatJSONValue]) -> Int64? {
    for key in ["date", "timestamp", "@timestamp", "time"] {
      switch obj[key] {
      case .string(let s)?:
        if let (t, _) = Array(s.utf8).withUnsafeBytes({ $0.rfc3339(0) }) { return t }
      case .number(let n)?:
        if let seconds = Double(n), seconds > 0, seconds < 253_402_300_800 { return Int64(seconds * 1e6) }
      default: break
      }
    }
    return nil
  }

  /// A shipped file line: Fluent Bit's `log`, Vector's `message`. False when `obj` holds none.
  mutating func parseShippedLine(_ obj: [String: FlatJSONValue], _ out: inout ParsedLine) -> Bool {
    guard case .string(let line)? = obj["log"] ?? obj["message"] else { return false }
    var pathSource: Source? = nil
    for key in ["file", "path", "filename", "log_path"] {
      if case .string(let path)? = obj[key] {
        pathSource = LineParser.source(forFileName: path)
        break
      }
    }
    var host: String? = nil
    if case .string(let h)? = obj["host"] ?? obj["hostname"] { host = h }
    // The line as its file holds it, read by a parser of the file's name.
    var inner = LineParser(forced: forced, fileSource: pathSource ?? fileSource, year: year)
    let bytes = Array(line.utf8)
    var parsed = bytes.withUnsafeBytes { inner.parseHeader($0) }
    year = inner.year
    out.format = .shippedJSON
    out.time = parsed.time ?? LineParser.shippedTime(obj)
    out.host = parsed.host ?? host
    out.ident = parsed.ident
    out.level = parsed.level
    out.source = parsed.source
    out.bootID = parsed.bootID
    out.headerless = parsed.headerless
    out.messageOffset = parsed.messageOffset
    if parsed.ownedInner == nil { parsed.ownedInner = Array(bytes[parsed.inner]) }
    out.ownedInner = parsed.ownedInner
    out.inner = 0..<0
    return true
  }
}

extension LineFormat {
  /// A line shipped by Fluent Bit or Vector: `{"date":…,"log":…}`, `{"message":…,"timestamp":…}`.
  public static let shippedJSON = LineFormat("shipped-json", logFile: true)
}
