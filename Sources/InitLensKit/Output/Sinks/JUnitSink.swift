/// `--format junit`: JUnit XML, one test case per host, failed at `--fail-on` (default error).
final class JUnitSink: ReportSink {
  static let format = ReportFormat(name: "junit", help: "JUnit XML, a test case per host", make: { JUnitSink($0) })

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.write(JUnitRenderer(failOn: options.failOn ?? .error).render(report))
  }
}
