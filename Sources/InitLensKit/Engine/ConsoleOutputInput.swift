/// Reading `aws ec2 get-console-output` (`Scan/ConsoleOutput.swift`): the document is unwrapped once per
/// input and each instance's console text is read as a console input of its own, every line under the
/// instance id as host.
extension Analyzer {
  /// The kind of console output an input's head shows, when console output is read for what it is
  /// (not under a forced `plain`, `journal`, … format).
  func consoleOutputKind(_ head: UnsafeRawBufferPointer) -> ConsoleOutput.Kind? {
    options.inputFormat == .auto || options.inputFormat == .console ? ConsoleOutput.kind(head) : nil
  }

  /// Reads the rest of `source` (console output is at most 64 KB a document) and unwraps it.
  func analyzeConsoleOutput<S: ByteSource>(
    name: String, kind: ConsoleOutput.Kind, source: inout S, modificationYear: Int?
  ) {
    guard let bytes = readWhole(name: name, &source) else { return }
    analyzeConsoleOutput(name: name, kind: kind, bytes: bytes, modificationYear: modificationYear)
  }

  /// Reads each document's console text; a document that does not parse is read as the lines it is.
  func analyzeConsoleOutput(name: String, kind: ConsoleOutput.Kind, bytes: [UInt8], modificationYear: Int?) {
    let documents =
      kind == .json ? ConsoleOutput.documents(json: bytes) : ConsoleOutput.document(text: bytes).map { [$0] }
    guard let documents else {
      return bytes.withUnsafeBytes { analyzeLines(name: name, bytes: $0, modificationYear: modificationYear) }
    }
    let lines = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    for document in documents {
      // Several instances in one file: each console is an input of its own, named after its instance.
      let inputName = documents.count == 1 ? name : "\(name) (\(document.instanceID))"
      if !ConsoleOutput.startsAtBoot(document.text) {
        tally.diagnostics.append(
          InputDiagnostic(
            file: inputName, line: nil,
            message:
              "the console output of \(document.instanceID) starts after its boot did (EC2 keeps only its last 64 KB): what came before is not in this report",
            lostInput: false))
      }
      document.text.withUnsafeBytes { text in
        let sample = UnsafeRawBufferPointer(rebasing: text[0..<min(text.count, 64 * 1024)])
        let year =
          options.year ?? PeekingSource<MemoryByteSource>.year(in: sample)
          ?? document.timestamp.flatMap { Int($0.prefix(4)) } ?? modificationYear ?? options.fallbackYear
        reader.read(name: inputName, sample: sample, year: year, host: document.instanceID) { stream in
          lines.forEachLine(in: text) { line in reader.process(line, &stream) }
        }
      }
    }
  }
}
