/// `aws logs tail GROUP` (AWS CLI v2): CloudWatch Logs events as the CLI prints them, each event's own
/// log line after the event's time.
///
/// - `--format detailed` (the default): `2025-06-25T14:58:01.470000+00:00 i-0abc12 MESSAGE`; the log
///   stream (the CloudWatch agent names it after the instance id) is the host.
/// - `--format short`: `2025-06-25T14:58:01 MESSAGE`: no stream, so no host.
///
/// MESSAGE is the shipped line itself (a cloud-init.log, ECS agent or cloud-init-output.log line): its own
/// time, level and source count where it has them. The CLI prints the event time in UTC with a `+00:00`
/// offset (journalctl prints `+0000`, so a journal line is never taken for one of these); a short line
/// has no offset at all. A message over several lines is printed as it is: its other lines continue it.
enum AWSLogsTailFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x30...0x39]
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool { forced == .auto }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool {
    p.count > 20 && p[0] &- 0x30 < 10 && p[10] == 0x54
  }

  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    guard let (time, end) = p.rfc3339(0), p.byte(end, is: 0x20) else { return false }
    var message: Int
    if end == 19 {
      message = 20  // short: no offset, no stream
    } else {
      guard end >= 25, p.hasPrefix("+00:00", at: end - 6) else { return false }
      let stream = end + 1
      guard stream < p.count, p[stream] != 0x5B, p[stream] != 0x20,
        let space = p.firstIndex(of: 0x20, from: stream), space - stream <= 512
      else { return false }
      out.host = p.string(stream..<space)
      message = space + 1
    }
    message = min(message, p.count)
    out.format = .awsLogsTail
    out.time = time
    out.inner = message..<p.count
    if !parser.parseInner(p, message, &out, fileLevel: false), let source = parser.fileSource {
      out.source = source
    }
    return true
  }
}

extension LineFormat {
  public static let awsLogsTail = LineFormat("aws-logs-tail", logFile: true)
}
