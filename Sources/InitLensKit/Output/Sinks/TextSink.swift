/// `--format text`: the report for a person (a fleet's tables first when it is a fleet report).
final class TextSink: ReportSink {
  static let format = ReportFormat(
    name: "text", help: "for a person (default)", make: { TextSink($0) }, live: { LiveTextSink($0) },
    liveHelp: "one line per incident or root cause (default)")

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.write(
      FleetTextRenderer(color: options.color, evidenceLines: options.shownEvidence, width: options.width).render(
        report))
  }
}

/// `watch --format text`: a line per incident when its first line is read and per root cause when
/// its window closes; at the end a summary line for the person watching (stderr).
final class LiveTextSink: ReportSink {
  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  /// The severity each incident was last printed with, by host, boot and kind: a raised one says so.
  private var printed: [String: Severity] = [:]

  func incident(host: String, boot: String, _ i: Incident) {
    let at = i.evidence.first.map { " (\($0.file):\($0.line))" } ?? ""
    let key = "\(host)\u{1}\(boot)\u{1}\(i.kind)"
    let raised = printed[key].map { " (raised from \($0.rawValue))" } ?? ""
    printed[key] = i.severity
    line(
      "\(i.first.map(Timestamp.iso) ?? "-") \(host) \(i.severity.rawValue.uppercased())\(raised) \(i.kindAndFamily): \(i.title)\(at)"
    )
  }

  func rootCause(host: String, boot: String, _ c: RootCause) {
    let fix = c.fixes.first.map { " Fix: \($0)" } ?? ""
    line("ROOT CAUSE \(host) \(c.id): \(c.summary)\(fix)")
  }

  private func line(_ text: String) { try? options.destination.write(TextRenderer.terminalSafe(text) + "\n") }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    let s = report.summary
    options.note(
      "initlens watch: \(plural(s.linesRead, "line")) (\(s.linesMatched) matched, \(s.linesUnmatched) unmatched, \(s.linesSkipped) skipped), \(plural(s.incidents, "incident")), \(plural(s.rootCauses, "root cause"))"
        + options.ending())
  }
}
