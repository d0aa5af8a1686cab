/// `--format json`: the contract of docs/OUTPUT.md, streamed in chunks (by `threads` threads for a
/// big fleet). It takes boots early: they wait in a spill file (`BootSpill`) until the end, so a
/// journal of thousands of instances keeps only the hosts it still hears from in memory.
final class JSONSink: ReportSink {
  static let format = ReportFormat(name: "json", help: "the stable contract (docs/OUTPUT.md)", make: { JSONSink($0) })

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  /// Made the first time the engine asks whether boots may come early (nil when no spill file can
  /// be created: then everything comes at the end).
  private var spill: BootSpill?
  private var askedForSpill = false

  var takesBootsEarly: Bool {
    if !askedForSpill {
      askedForSpill = true
      spill = BootSpill()
    }
    return spill != nil
  }

  func boot(host: String, _ boot: BootReport) { spill?.add(host: host, boot) }

  func end(_ report: Report) throws {
    if let spill, !spill.isEmpty {
      try options.destination.stream { spill.stream(report, to: $0) }
      if let error = spill.error { throw SinkError(error) }
    } else {
      try options.destination.stream { JSONRenderer.stream(report, threads: options.threads, to: $0) }
    }
  }
}
