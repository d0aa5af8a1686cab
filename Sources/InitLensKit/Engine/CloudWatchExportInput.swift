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
    var bytes: [UInt8] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { chunk.deallocate() }
    do {
      while bytes.count <= CloudWatchExport.sortLimitBytes {
        let n = try source.read(into: chunk)
        if n == 0 {
          return bytes.withUnsafeBytes {
            analyzeCloudWatchExport(name: name, bytes: $0, modificationYear: modificationYear)
          }
        }
        bytes += chunk[0..<n]
      }
    } catch {
      return failed(name: name, message: error.message)
    }
    tally.diagnostics.append(
      InputDiagnostic(
        file: name, line: nil,
        message:
          "a CloudWatch export over \(CloudWatchExport.sortLimitBytes >> 20) MiB is read in file order, not sorted by time: split it (or sort its events) for boots and stages in order",
        lostInput: false))
    var rest = HeadThenSource(head: bytes, inner: source)
    let lines = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    bytes.withUnsafeBytes { sample in
      let sample = UnsafeRawBufferPointer(rebasing: sample[0..<min(sample.count, 64 * 1024)])
      reader.read(name: name, sample: sample, year: options.year ?? modificationYear ?? options.fallbackYear) {
        stream in
        stream.parser.cloudWatchExport = true
        try lines.forEachLine(&rest) { line in reader.process(line, &stream) }
      }
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

/// Bytes already read, then the rest of the source they came from.
struct HeadThenSource<S: ByteSource>: ByteSource {
  let head: [UInt8]
  var offset = 0
  var inner: S

  init(head: [UInt8], inner: S) {
    self.head = head
    self.inner = inner
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard offset < head.count else { return try inner.read(into: buffer) }
    let n = min(buffer.count, head.count - offset)
    head.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
    offset += n
    return n
  }
}
