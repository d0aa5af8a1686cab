/// `--format html`: one self-contained page.
final class HTMLSink: ReportSink {
  static let format = ReportFormat(name: "html", help: "one self-contained page", make: { HTMLSink($0) })

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws { try options.destination.write(HTMLRenderer().render(report)) }
}
