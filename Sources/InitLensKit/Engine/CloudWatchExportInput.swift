/// Reading a CloudWatch Logs export to S3 (`Scan/CloudWatchExport.swift`): its chunks are not in time
/// order, and boots, stages and clock steps are told from lines in order, so the events are read in time
/// order: the input is read whole (up to `CloudWatchExport.sortLimitBytes`; a larger one is read in file
/// order, with a diagnostic), each event with its continuation lines and its line numbers in the file.
extension Analyzer {
  /// Whether an input whose head is `head` is read as an export (not under a forced format).
  func isCloudWatchExport(_ head: UnsafeRawBufferPointer) -> Bool {
    options.inputFormat == .auto && CloudWatchExport.starts(head)
  }

  func analyzeCloudWatchExport<S: ByteSource>(name: String, source: inout S, modificationYear: Int?) {
    let limit = CloudWatchExport.sortLimitBytes
    guard let bytes = readWhole(name: name, &source, limit: limit) else { return }
    guard bytes.count > limit else {
      return bytes.withUnsafeBytes {
        analyzeCloudWatchExport(name: name, bytes: $0, modificationYear: modificationYear)
      }
    }
    tally.diagnostics.append(
      InputDiagnostic(
        file: name, line: nil,
        message:
          "a CloudWatch export over \(limit >> 20) MiB is read in file order, not sorted by time: split it (or sort its events) for boots and stages in order",
        lostInput: false))
    analyzeLines(name: name, head: bytes, rest: &source, modificationYear: modificationYear) {
      $0.parser.cloudWatchExport = true
    }
  }

  /// Reads the export's events in time order, each line under its number in the file.
  func analyzeCloudWatchExport(name: String, bytes: UnsafeRawBufferPointer, modificationYear: Int?) {
    let (events, sorted) = CloudWatchExport.events(in: bytes)
    let sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 64 * 1024)])
    reader.read(name: name, sample: sample, year: options.year ?? modificationYear ?? options.fallbackYear) { stream in
      stream.parser.cloudWatchExport = true
      for event in sorted ? events : CloudWatchExport.ordered(bytes, events) {
        readLines(UnsafeRawBufferPointer(rebasing: bytes[event.range]), firstLine: event.firstLine, &stream)
      }
    }
  }
}
