/// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards.
final class SARIFSink: ReportSink {
  static let format = ReportFormat(name: "sarif", help: "SARIF 2.1.0", make: { SARIFSink($0) })

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.write(SARIFRenderer(toolVersion: options.toolVersion).render(report))
  }
}
