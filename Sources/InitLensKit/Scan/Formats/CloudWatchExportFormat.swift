/// A CloudWatch Logs export to S3 (`Scan/CloudWatchExport.swift`): `2020-09-08T04:00:24.000Z MESSAGE`, the
/// event time in ms UTC, then the shipped line (cloud-init.log, the ECS agent's, cloud-init-output.log).
/// The log stream is the key's directory, not in the line: no host but the message's own. MESSAGE is read
/// as the line it is: its own time, level, source (and a syslog line's host) where it has them, the
/// event's time where it has none. A message over several lines continues on lines without the prefix.
///
/// Asked only in an input that is an export (its first line is an event, `LineParser.cloudWatchExport`),
/// and first: there a message such as `cloudinit.subp.ProcessExecutionError: …` is no `ident: msg` of a
/// journal line.
enum CloudWatchExportFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x30...0x39]
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool { parser.cloudWatchExport }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { CloudWatchExport.isEvent(p) }

  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    guard let (time, end) = p.rfc3339(0), end == 24 else { return false }
    // The message is read as a line of its own file (a syslog or journal line keeps its host and ident).
    var inner = parser
    inner.cloudWatchExport = false
    var message = inner.parseHeader(UnsafeRawBufferPointer(rebasing: p[25...]))
    parser.year = inner.year
    if message.headerless, message.source == .other, let source = parser.fileSource { message.source = source }
    message.format = .cloudWatchExport
    message.headerless = false  // the event is a record, with its time
    if message.time == nil { message.time = time }
    if message.ownedInner == nil { message.inner = (message.inner.lowerBound + 25)..<(message.inner.upperBound + 25) }
    out = message
    return true
  }
}

extension LineFormat {
  /// A CloudWatch Logs export to S3: `2020-09-08T04:00:24.000Z MESSAGE`.
  public static let cloudWatchExport = LineFormat("cloudwatch-export", logFile: true)
}
