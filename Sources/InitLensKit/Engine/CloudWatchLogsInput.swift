/// Reading CloudWatch Logs JSON (`Scan/CloudWatchLogs.swift`): the document is unwrapped once per input
/// and each log stream is read as an input of its own, as the `aws logs tail` lines of its events, under
/// the stream as host; the log group (or the file's name) says which log the lines came from.
extension Analyzer {
  /// Whether an input's head is CloudWatch Logs JSON, when inputs are read for what they are.
  func isCloudWatchLogs(_ head: UnsafeRawBufferPointer) -> Bool {
    options.inputFormat == .auto && CloudWatchLogs.isHead(head)
  }

  /// Reads the rest of `source` and unwraps it.
  func analyzeCloudWatchLogs<S: ByteSource>(name: String, source: inout S, modificationYear: Int?) {
    guard let bytes = readWhole(name: name, &source) else { return }
    analyzeCloudWatchLogs(name: name, bytes: bytes, modificationYear: modificationYear)
  }

  /// Reads each stream's events; a document that does not parse is one error for the input.
  func analyzeCloudWatchLogs(name: String, bytes: [UInt8], modificationYear: Int?) {
    let streams: [CloudWatchLogs.Stream]
    do {
      streams = try CloudWatchLogs.streams(json: bytes)
    } catch {
      return failed(name: name, message: "looks like CloudWatch Logs JSON (aws logs …) but is not read: \(error)")
    }
    let fileHost = CloudWatchLogs.instanceID(fileName: name)
    let fileSource = LineParser.source(forFileName: name)
    let severalGroups = Set(streams.map { $0.group ?? "" }).count > 1
    let lines = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    if streams.isEmpty {
      let year = options.year ?? modificationYear ?? options.fallbackYear
      return reader.read(name: name, sample: UnsafeRawBufferPointer(start: nil, count: 0), year: year) { _ in }
    }
    for stream in streams {
      // Each stream (and group) is an input of its own, named after it.
      let label = [stream.name, severalGroups ? stream.group : nil].compactMap { $0 }.joined(separator: " ")
      let inputName = label.isEmpty ? name : "\(name) (\(label))"
      let source = stream.group.flatMap(CloudWatchLogs.source(forGroup:)) ?? fileSource
      let year =
        options.year ?? stream.events.lazy.compactMap(\.time).first.map { Timestamp.components($0).0 }
        ?? modificationYear ?? options.fallbackYear
      let text = CloudWatchLogs.tailText(stream)
      text.withUnsafeBytes { text in
        let sample = UnsafeRawBufferPointer(rebasing: text[0..<min(text.count, 64 * 1024)])
        reader.read(name: inputName, sample: sample, year: year, source: source, host: stream.name ?? fileHost) {
          input in
          lines.forEachLine(in: text) { line in reader.process(line, &input) }
        }
      }
    }
  }
}
