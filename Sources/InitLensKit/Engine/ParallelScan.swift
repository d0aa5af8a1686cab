import Foundation

/// Large regular files are scanned by several threads: each takes a range of whole lines and runs the
/// fast path (skip reasons, literal prefilter) over it, keeping only the candidate lines, with the
/// last unexamined line before each that may carry context. The candidates are then replayed in file
/// order through the ordinary per-line path, so the report is exactly the one a single pass gives:
/// only the scanning is parallel, never the interpretation.
///
/// Ranges have a fixed size (`parallelChunkBytes`) and the scanners may run at most a few ranges ahead
/// of the replay, so memory does not grow with the file: a range's candidates are dropped once replayed.
extension RecordReader {
  /// A candidate line kept by a scanner: where its bytes (and its context line's) are in `Chunk.data`.
  struct Candidate {
    var number: Int
    var start: Int
    var count: Int
    /// The context line seen since the previous candidate; `contextCount` -1 when there was none.
    var contextStart: Int
    var contextCount: Int
    /// What the lines passed over since the previous candidate did to the continuation run (the
    /// last indented line starts one, the last line with the template's header ends it); nil: nothing.
    var continuation: Bool?
    /// How many of the chunk's `clock` times come before this candidate.
    var clockEnd = 0
  }

  /// A file range of whole lines and what its scan found.
  final class Chunk: @unchecked Sendable {
    // SAFETY: each chunk is written by one scanning thread before it signals `done`, and read by the
    // analyzer only after waiting on `done` (the semaphore orders the accesses).
    let lo: Int
    let hi: Int
    var lines = 0
    var unmatched = 0
    var skipped: [String: Int] = [:]
    /// The candidate lines and their context lines, back to back.
    var data: [UInt8] = []
    var candidates: [Candidate] = []
    /// The context line seen after the chunk's last candidate.
    var trailingContext: [UInt8]?
    var trailingContinuation: Bool?
    /// While retiring: the times of the lines passed over with the template's header where the log
    /// clock moved on (a time above the last since the previous candidate), in file order.
    var clock: [Int64] = []
    var error: InputError?
    /// Signalled when the chunk's scan is complete.
    let done = DispatchSemaphore(value: 0)
    init(lo: Int, hi: Int) {
      self.lo = lo
      self.hi = hi
    }
  }

  /// Where each range of `fd` starts: the byte after the first `\n` at or past each nominal boundary
  /// (`chunkBytes` apart). A boundary with no `\n` within 64 KiB is dropped (its range grows).
  static func chunkBounds(fd: Int32, size: Int, chunkBytes: Int) -> [Int]? {
    var bounds = [0]
    var window = [UInt8](repeating: 0, count: 64 * 1024)
    var nominal = chunkBytes
    while nominal < size {
      if nominal > bounds.last! {
        var found: Int? = nil
        for want in [4096, window.count] {
          let n = window.withUnsafeMutableBytes { System.read(fd, into: $0.baseAddress, count: want, at: nominal) }
          if n < 0 { return nil }
          if let nl = window[0..<n].firstIndex(of: 0x0A) {
            found = nominal + nl + 1
            break
          }
          if n < want { break }
        }
        if let found, found < size { bounds.append(found) }
      }
      nominal += chunkBytes
    }
    bounds.append(size)
    return bounds
  }

  /// Reads `fd` (a regular file of `size` bytes) with `threads` scanners. Returns false, having done
  /// nothing, when the file cannot be split at line ends (then the caller reads it sequentially).
  func analyzeParallel(fd: Int32, size: Int, name: String, modificationYear: Int?, threads: Int) -> Bool {
    var sample = [UInt8](repeating: 0, count: min(size, 64 * 1024))
    guard sample.withUnsafeMutableBytes({ System.read(fd, into: $0, at: 0) }) == sample.count else {
      return false
    }
    if sample.count >= 2 && sample[0] == 0x1F && sample[1] == 0x8B { return false }
    if ConfigFile.isConfig(name) { return false }
    if sample.withUnsafeBytes({ ConsoleOutput.kind($0) }) != nil { return false }  // unwrapped whole first
    if sample.withUnsafeBytes(CloudWatchExport.starts) { return false }  // its events are sorted first
    if sample.withUnsafeBytes({ Concatenation.applies(name: name, head: $0) }) { return false }  // cut first
    // Records over several lines (json-pretty, export, verbose) cannot be cut into ranges.
    let shape = sample.withUnsafeBytes { InputShape.detect(sample: $0) } ?? .lines
    if shape.isMultiline { return false }
    let chunkBytes = max(1, min(options.parallelChunkBytes, max(size / (threads * 2), 1)))
    guard let bounds = RecordReader.chunkBounds(fd: fd, size: size, chunkBytes: chunkBytes) else { return false }
    let chunks = zip(bounds, bounds.dropFirst()).filter { $0 < $1 }.map { Chunk(lo: $0, hi: $1) }
    guard chunks.count > 1 else { return false }

    let year =
      options.year ?? sample.withUnsafeBytes { PeekingSource<MemoryByteSource>.year(in: $0) } ?? modificationYear
      ?? options.fallbackYear
    let prefilter = sample.withUnsafeBytes { Prefilter(literals: classifier.literals, sample: $0) }
    let literalCount = classifier.literals.count
    let usePrefilter = passesOver
    let templates = self.templates
    let retires = builder.retires
    let maxLine = options.maxLineBytes
    let bufferBytes = options.readBufferBytes
    let next = NextIndex()
    // Scanners take a range only when fewer than `ahead` ranges wait for the replay.
    let ahead = max(8, threads * 4)
    let slots = DispatchSemaphore(value: ahead)
    let cancelled = Flag()
    let pool = BufferPool()
    let finished = DispatchGroup()
    let scanners = min(threads, chunks.count)
    for _ in 0..<scanners {
      finished.enter()
      let thread = Thread {
        defer { finished.leave() }
        var present = LiteralBits(count: literalCount)
        var context: [UInt8] = []
        context.reserveCapacity(1024)
        while true {
          slots.wait()
          guard let i = next.take(below: chunks.count) else {
            slots.signal()
            return
          }
          let chunk = chunks[i]
          defer { chunk.done.signal() }
          if cancelled.isSet { continue }
          // Counted in locals and stored once: `chunk` is a class, whose properties cost an
          // exclusivity check at every access.
          var (data, candidates) = pool.take()
          var lines = 0
          var unmatched = 0
          var skipped: [String: Int] = [:]
          // The last unexamined line that may carry context: its bytes while still in the reader's
          // buffer (`held`), copied to `context` only when the buffer moves on (most are never needed).
          var hasContext = false
          var held: UnsafeRawBufferPointer? = nil
          context.removeAll(keepingCapacity: true)
          // The header of the last line kept: a later line that may carry a header is kept unless it has
          // this one (the replay examines it unless it has the header of the last line examined, which
          // is then this one's; see `HeaderTemplate`). The file's first line is always examined.
          // (Not an optional: unwrapping one copies the template at every line.)
          var template = HeaderTemplate.none
          var keepNext = i == 0
          var continuation: Bool? = nil
          // While retiring: the times passed-over lines move the clock to (`Chunk.clock`), the latest
          // since the last kept line, and the last ISO stamp read with its time.
          var clock: [Int64] = []
          var clockMax = Int64.min
          var stampWords: (UInt64, UInt64, UInt64) = (0, 0, 0)
          var stampTime: Int64? = nil
          var source = FileRangeSource(fd: fd, offset: chunk.lo, end: chunk.hi)
          let reader = LineReader(initialCapacity: bufferBytes, maxLineBytes: maxLine)
          do {
            try reader.forEachLine(
              &source,
              linesExpire: {
                if let h = held {
                  context.removeAll(keepingCapacity: true)
                  context.append(contentsOf: h)
                  held = nil
                }
              }
            ) { line in
              lines += 1
              var (verdict, bytes) = FastPath.screen(
                line, prefilter, &present, usePrefilter: usePrefilter, shape: shape)
              if case .passed(let carries) = verdict, keepNext || carries {
                let colon = keepNext ? -1 : template.match(bytes)
                if colon < 0 {
                  verdict = .candidate
                } else if retires {
                  // The line moves the log clock as an examined line would: its time goes to the replay,
                  // or the line does when its time is not the stamp's alone (or needs the year).
                  if let t = template.clockTime(bytes, colon: colon, &stampWords, &stampTime) {
                    if t > clockMax {
                      clock.append(t)
                      clockMax = t
                    }
                  } else {
                    verdict = .candidate
                  }
                }
              }
              switch verdict {
              case .skipped(let reason): skipped[reason, default: 0] += 1
              case .passed(let carries):
                unmatched += 1
                if carries {
                  held = bytes
                  hasContext = true
                  continuation = false
                } else if bytes[0] == 0x20 || bytes[0] == 0x09 {
                  continuation = true
                }
              case .candidate:
                // A separator leaves the replay without a previous record: keep the next line too.
                keepNext = keepNext && bytes.hasPrefix("-- ")
                template = templates ? HeaderTemplate.of(bytes) ?? .none : .none
                var c = Candidate(
                  number: line.number, start: 0, count: line.bytes.count, contextStart: 0, contextCount: -1,
                  continuation: continuation, clockEnd: clock.count)
                continuation = nil
                clockMax = Int64.min
                stampTime = nil
                if hasContext {
                  c.contextStart = data.count
                  if let h = held { data.append(contentsOf: h) } else { data.append(contentsOf: context) }
                  c.contextCount = data.count - c.contextStart
                  hasContext = false
                  held = nil
                }
                c.start = data.count
                data.append(contentsOf: line.bytes)
                candidates.append(c)
              }
            }
          } catch let error as InputError {
            chunk.error = error
          } catch {
            chunk.error = InputError("\(error)")
          }
          chunk.lines = lines
          chunk.unmatched = unmatched
          chunk.skipped = skipped
          chunk.data = data
          chunk.candidates = candidates
          chunk.trailingContext = hasContext ? context : nil
          chunk.trailingContinuation = continuation
          chunk.clock = clock
        }
      }
      thread.stackSize = 4 << 20
      thread.name = "initlens-scan"
      thread.start()
    }

    // Replay, in file order, through the ordinary path: the candidates with the context each had, the
    // other lines only as counts.
    read(
      name: name, sample: UnsafeRawBufferPointer(start: nil, count: 0), year: year, prefilter: prefilter, shape: shape
    ) { stream in
      var linesBefore = 0
      defer {
        // On an error the scanners skip what is left; the file is closed only after they stop.
        cancelled.set()
        for _ in 0..<chunks.count { slots.signal() }
        finished.wait()
      }
      for chunk in chunks {
        chunk.done.wait()
        tally.summary.linesRead += chunk.lines - chunk.candidates.count
        tally.summary.linesUnmatched += chunk.unmatched
        for (reason, n) in chunk.skipped {
          tally.summary.linesSkipped += n
          tally.summary.skipped[reason, default: 0] += n
        }
        var ticks = 0
        chunk.data.withUnsafeBytes { data in
          for c in chunk.candidates {
            while ticks < c.clockEnd {
              builder.notePassedClock(chunk.clock[ticks], &stream)
              ticks += 1
            }
            if c.contextCount >= 0 {
              stream.context.removeAll(keepingCapacity: true)
              stream.context.append(contentsOf: data[c.contextStart..<(c.contextStart + c.contextCount)])
              stream.contextIsNewer = true
            }
            if let run = c.continuation { stream.lastWasContinuation = run }
            stream.lines = linesBefore + c.number - 1
            let bytes = UnsafeRawBufferPointer(rebasing: data[c.start..<(c.start + c.count)])
            process(Line(bytes: bytes, number: linesBefore + c.number, truncated: false), &stream)
          }
        }
        while ticks < chunk.clock.count {
          builder.notePassedClock(chunk.clock[ticks], &stream)
          ticks += 1
        }
        if let context = chunk.trailingContext {
          stream.context = context
          stream.contextIsNewer = true
        }
        if let run = chunk.trailingContinuation { stream.lastWasContinuation = run }
        linesBefore += chunk.lines
        stream.lines = linesBefore
        if let error = chunk.error { throw error }
        // Big buffers freed on this thread would be unmapped (a TLB flush on every core): reuse them.
        var data: [UInt8] = []
        var candidates: [Candidate] = []
        swap(&data, &chunk.data)
        swap(&candidates, &chunk.candidates)
        pool.give(&data, &candidates)
        slots.signal()
      }
    }
    return true
  }
}

/// Candidate buffers passed from the replay back to the scanners. SAFETY: every access goes through `lock`.
final class BufferPool: @unchecked Sendable {
  private let lock = NSLock()
  private var free: [([UInt8], [RecordReader.Candidate])] = []

  func take() -> ([UInt8], [RecordReader.Candidate]) {
    lock.lock()
    defer { lock.unlock() }
    return free.popLast() ?? ([], [])
  }

  /// Takes the buffers (emptied, their memory kept); the caller's variables are left empty.
  func give(_ data: inout [UInt8], _ candidates: inout [RecordReader.Candidate]) {
    data.removeAll(keepingCapacity: true)
    candidates.removeAll(keepingCapacity: true)
    lock.lock()
    free.append((data, candidates))
    lock.unlock()
    data = []
    candidates = []
  }
}

/// A flag set once, read by other threads. SAFETY: every access goes through `lock`.
final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  var isSet: Bool {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
  func set() {
    lock.lock()
    value = true
    lock.unlock()
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
      let n = System.read(fd, into: buffer.baseAddress, count: want, at: offset)
      if n >= 0 {
        offset += n
        return n
      }
      if System.lastError == System.interrupted { continue }
      throw InputError.errno("read failed", System.lastError)
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
