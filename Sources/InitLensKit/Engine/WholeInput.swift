/// Inputs that are read whole before their lines are: documents that wrap logs (console output,
/// CloudWatch Logs JSON) and inputs whose lines are put in order or cut into logs first (a CloudWatch
/// export, SSM output). One way to read them, and one way back to plain lines when one is too large.
extension Analyzer {
  /// The bytes of `source` to its end, or the first ones past `limit` (the caller reads the rest as
  /// lines: `analyzeLines(name:head:rest:…)`). nil after a read error, which is recorded for `name`.
  func readWhole<S: ByteSource>(name: String, _ source: inout S, limit: Int = .max) -> [UInt8]? {
    var bytes: [UInt8] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { chunk.deallocate() }
    do {
      while bytes.count <= limit {
        let n = try source.read(into: chunk)
        if n == 0 { break }
        bytes += chunk[0..<n]
      }
    } catch {
      failed(name: name, message: error.message)
      return nil
    }
    return bytes
  }

  /// Reads `head` (already read) and then the rest of `source` as one input's plain lines.
  /// `configure`: what the input's stream must know before its first line.
  func analyzeLines<S: ByteSource>(
    name: String, head: [UInt8], rest source: inout S, modificationYear: Int?,
    configure: (inout InputStream) -> Void = { _ in }
  ) {
    var rest = HeadThenSource(head: head, inner: source)
    let lines = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    head.withUnsafeBytes { sample in
      let sample = UnsafeRawBufferPointer(rebasing: sample[0..<min(sample.count, 64 * 1024)])
      reader.read(name: name, sample: sample, year: options.year ?? modificationYear ?? options.fallbackYear) {
        stream in
        configure(&stream)
        try lines.forEachLine(&rest) { line in reader.process(line, &stream) }
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
