import Foundation

/// Large regular files are scanned by several threads: each takes a range of whole lines and runs the
/// fast path (skip reasons, literal prefilter) over it, keeping only the candidate lines, with the
/// last unexamined line before each that may carry context. The candidates are then replayed in file
/// order through the ordinary per-line path, so the report is exactly the one a single pass gives:
/// only the scanning is parallel, never the interpretation.
extension Analyzer {
  /// A file range of whole lines and what its scan found.
  final class Chunk: @unchecked Sendable {
    // SAFETY: each chunk is written by one scanning thread, and read by the analyzer only after
    // every thread has finished (DispatchGroup.wait orders the accesses).
    let lo: Int
    let hi: Int
    var lines = 0
    var unmatched = 0
    var skipped: [String: Int] = [:]
    /// (line number within the chunk, the line's bytes, the context line seen since the previous candidate)
    var candidates: [(Int, [UInt8], [UInt8]?)] = []
    /// The context line seen after the chunk's last candidate.
    var trailingContext: [UInt8]?
    var error: InputError?
    /// Signalled when the chunk's scan is complete.
    let done = DispatchSemaphore(value: 0)
    init(lo: Int, hi: Int) {
      self.lo = lo
      self.hi = hi
    }
  }

  /// Reads `fd` (a regular file of `size` bytes) with `threads` scanners. Returns false, having done
  /// nothing, when the file cannot be split at line ends (then the caller reads it sequentially).
  func analyzeParallel(fd: Int32, size: Int, name: String, modificationYear: Int?, threads: Int) -> Bool {
    var sample = [UInt8](repeating: 0, count: min(size, 64 * 1024))
    guard sample.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, $0.count, 0) }) == sample.count else {
      return false
    }
    if sample.count >= 2 && sample[0] == 0x1F && sample[1] == 0x8B { return false }
    if ConfigFile.isConfig(name) { return false }
    // Split at the first '\n' after each nominal boundary: several chunks per thread, so the analyzer
    // replays the first chunks while the scanners are still on the later ones.
    let pieces = threads * 4
    var bounds = [0]
    var window = [UInt8](repeating: 0, count: 64 * 1024)
    for k in 1..<pieces {
      let nominal = size * k / pieces
      guard nominal > bounds.last! else { continue }
      let n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(nominal)) }
      guard n > 0, let nl = window[0..<n].firstIndex(of: 0x0A) else { return false }
      bounds.append(nominal + nl + 1)
    }
    bounds.append(size)
    let chunks = zip(bounds, bounds.dropFirst()).filter { $0 < $1 }.map { Chunk(lo: $0, hi: $1) }
    guard chunks.count > 1 else { return false }

    let year =
      options.year ?? sample.withUnsafeBytes { PeekingSource<MemoryByteSource>.year(in: $0) } ?? modificationYear
      ?? options.fallbackYear
    let prefilter = sample.withUnsafeBytes { Prefilter(literals: classifier.literals, sample: $0) }
    let literalCount = classifier.literals.count
    let usePrefilter = passesOver
    let maxLine = options.maxLineBytes
    let bufferBytes = options.readBufferBytes
    let next = NextIndex()
    for _ in 0..<min(threads, chunks.count) {
      let thread = Thread {
        var present = LiteralBits(count: literalCount)
        while let i = next.take(below: chunks.count) {
          let chunk = chunks[i]
          var context: [UInt8]? = nil
          var source = FileRangeSource(fd: fd, offset: chunk.lo, end: chunk.hi)
          do {
            try LineReader(initialCapacity: bufferBytes, maxLineBytes: maxLine).forEachLine(&source) { line in
              chunk.lines += 1
              let (verdict, bytes) = Analyzer.triage(line, prefilter, &present, usePrefilter: usePrefilter)
              switch verdict {
              case .skipped(let reason): chunk.skipped[reason, default: 0] += 1
              case .passed(let carries):
                chunk.unmatched += 1
                if carries { context = Array(bytes) }
              case .candidate:
                chunk.candidates.append((line.number, Array(line.bytes), context))
                context = nil
              }
            }
          } catch let error as InputError {
            chunk.error = error
          } catch {
            chunk.error = InputError("\(error)")
          }
          chunk.trailingContext = context
          chunk.done.signal()
        }
      }
      thread.stackSize = 4 << 20
      thread.start()
    }

    // Replay, in file order, through the ordinary path: the candidates with the context each had, the
    // other lines only as counts.
    run(name: name, sample: UnsafeRawBufferPointer(start: nil, count: 0), year: year, prefilter: prefilter) { stream in
      var linesBefore = 0
      for chunk in chunks {
        chunk.done.wait()
        summary.linesRead += chunk.lines - chunk.candidates.count
        summary.linesUnmatched += chunk.unmatched
        for (reason, n) in chunk.skipped {
          summary.linesSkipped += n
          summary.skipped[reason, default: 0] += n
        }
        for (number, bytes, context) in chunk.candidates {
          if let context {
            stream.context = context
            stream.contextIsNewer = true
          }
          stream.lines = linesBefore + number - 1
          bytes.withUnsafeBytes { b in process(Line(bytes: b, number: linesBefore + number, truncated: false), &stream)
          }
        }
        if let context = chunk.trailingContext {
          stream.context = context
          stream.contextIsNewer = true
        }
        linesBefore += chunk.lines
        stream.lines = linesBefore
        if let error = chunk.error {
          // The scanners finish their chunks before the file is closed; what follows the error is lost.
          for later in chunks.drop(while: { $0 !== chunk }).dropFirst() { later.done.wait() }
          throw error
        }
      }
    }
    return true
  }
}

/// Reads `offset..<end` of a file with pread (threads share the descriptor, not a file position).
struct FileRangeSource: ByteSource {
  let fd: Int32
  var offset: Int
  let end: Int
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let want = min(buffer.count, end - offset)
    guard want > 0 else { return 0 }
    while true {
      let n = pread(fd, buffer.baseAddress, want, off_t(offset))
      if n >= 0 {
        offset += n
        return n
      }
      if errno == EINTR { continue }
      throw InputError.errno("read failed", errno)
    }
  }
}

/// The next chunk to scan, shared by the scanning threads. SAFETY: every access goes through `lock`.
final class NextIndex: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  func take(below limit: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}
