/// `--format ndjson`: one JSON object per line, streamed in 64 KiB chunks.
final class NDJSONSink: ReportSink {
  static let format = ReportFormat(
    name: "ndjson", help: "one JSON object per line", make: { NDJSONSink($0) }, live: { LiveNDJSONSink($0) },
    liveHelp: "an incident or rootCause object per line, a summary line at the end")

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.stream { emit in
      var buffer: [UInt8] = []
      NDJSONRenderer.write(report) { line in
        buffer += line.utf8
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 {
          buffer.withUnsafeBytes(emit)
          buffer.removeAll(keepingCapacity: true)
        }
      }
      buffer.withUnsafeBytes(emit)
    }
  }
}

/// `watch --format ndjson`: the `incident` and `rootCause` lines of `--format ndjson` as they are
/// found, and the `summary` line at the end.
final class LiveNDJSONSink: ReportSink {
  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func incident(host: String, boot: String, _ incident: Incident) {
    line(NDJSONRenderer.line(incident: incident, host: host, boot: boot))
  }

  func rootCause(host: String, boot: String, _ cause: RootCause) {
    line(NDJSONRenderer.line(rootCause: cause, host: host, boot: boot))
  }

  private func line(_ text: String) { try? options.destination.write(text + "\n") }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.write(NDJSONRenderer.line(summary: report.summary) + "\n")
  }
}
