/// Reading several logs printed one after the other (`Scan/Concatenation.swift`, SSM Run Command stdout):
/// the input is cut into its logs and each is read as an input of its own, as the file it was (its name
/// from its header, `stdout (/var/log/cloud-init.log)`, says its source), so that cloud-init-output.log's
/// lines do not continue the last cloud-init.log record and each log's boots are told as in its file.
/// Lines keep their numbers in the whole input; header lines are counted as skipped (`file-header`).
extension Analyzer {
  func isConcatenation(name: String, head: UnsafeRawBufferPointer) -> Bool {
    options.inputFormat == .auto && Concatenation.applies(name: name, head: head)
  }

  /// Reads the rest of `source` whole (up to `Concatenation.limitBytes`; a larger input is read as one
  /// log) and cuts it.
  func analyzeConcatenation<S: ByteSource>(name: String, source: inout S, modificationYear: Int?) {
    guard let bytes = readWhole(name: name, &source, limit: Concatenation.limitBytes) else { return }
    guard bytes.count > Concatenation.limitBytes else {
      return bytes.withUnsafeBytes { analyzeConcatenation(name: name, bytes: $0, modificationYear: modificationYear) }
    }
    analyzeLines(name: name, head: bytes, rest: &source, modificationYear: modificationYear)
  }

  func analyzeConcatenation(name: String, bytes: UnsafeRawBufferPointer, modificationYear: Int?) {
    let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 64 * 1024)])
    let year =
      options.year ?? PeekingSource<MemoryByteSource>.year(in: head) ?? modificationYear ?? options.fallbackYear
    let parts = Concatenation.parts(of: bytes, year: year)
    for (index, part) in parts.enumerated() {
      if part.headerLine != nil {
        tally.summary.linesRead += 1
        tally.skip("file-header")
      }
      if part.range.isEmpty { continue }
      let text = UnsafeRawBufferPointer(rebasing: bytes[part.range])
      let partName =
        parts.count == 1 ? name : part.file.map { "\(name) (\($0))" } ?? "\(name) (part \(index + 1))"
      let sample = UnsafeRawBufferPointer(rebasing: text[0..<min(text.count, 64 * 1024)])
      let partYear = options.year ?? PeekingSource<MemoryByteSource>.year(in: sample) ?? year
      reader.read(name: partName, sample: sample, year: partYear) { stream in
        if part.file == nil, part.kind == .cloudInitLog || part.kind == .cloudInitOutput {
          stream.parser.fileSource = .cloudInit  // the file cloud-init's lines came from
        }
        readLines(text, firstLine: part.firstLine, &stream)
      }
    }
  }

  /// Hands `text` to the reader line by line, numbered from `firstLine`, cut at `maxLineBytes`.
  func readLines(_ text: UnsafeRawBufferPointer, firstLine: Int, _ stream: inout InputStream) {
    let max = options.maxLineBytes
    var start = 0
    var number = firstLine
    while start < text.count {
      var end = start
      while end < text.count, text[end] != 0x0A { end += 1 }
      var stop = end
      if stop > start, text[stop - 1] == 0x0D { stop -= 1 }
      let cut = stop - start > max
      let line = UnsafeRawBufferPointer(rebasing: text[start..<(cut ? start + max : stop)])
      reader.process(Line(bytes: line, number: number, truncated: cut), &stream)
      start = end + 1
      number += 1
    }
  }
}
