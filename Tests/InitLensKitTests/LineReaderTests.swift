import Foundation
import Testing

@testable import InitLensKit

@Suite struct LineReaderTests {
  /// Reads `bytes` with a given first buffer size and read chunk; returns lines and cut flags.
  func lines(_ bytes: [UInt8], capacity: Int, chunk: Int, max: Int = 1 << 20) throws -> [(String, Bool)] {
    var source = MemoryByteSource(bytes, chunk: chunk)
    var out: [(String, Bool)] = []
    try LineReader(initialCapacity: capacity, maxLineBytes: max).forEachLine(&source) { line in
      // `nulFree` lets the triage skip its own NUL search: it must be exact.
      #expect(line.nulFree == !line.bytes.contains(0), "line \(line.number)")
      out.append((String(decoding: line.bytes, as: UTF8.self), line.truncated))
    }
    return out
  }

  /// The same, from a buffer already in memory (a mapped file's reader).
  func linesInMemory(_ bytes: [UInt8], max: Int = 1 << 20) -> [(String, Bool)] {
    var out: [(String, Bool)] = []
    bytes.withUnsafeBytes { buffer in
      LineReader(maxLineBytes: max).forEachLine(in: buffer) { line in
        #expect(line.nulFree == !line.bytes.contains(0), "line \(line.number)")
        out.append((String(decoding: line.bytes, as: UTF8.self), line.truncated))
      }
    }
    return out
  }

  /// Random lines full of CRs, CRLFs and NULs: both readers split them alike, and say exactly which
  /// lines hold a NUL.
  @Test(arguments: [1, 2, 3, 4])
  func bothReadersAgreeOnLinesFullOfCRAndNUL(seed: UInt64) throws {
    var rng = SplitMix(seed: seed)
    let alphabet: [UInt8] = [0x61, 0x62, 0x20, 0x0A, 0x0D, 0x00, 0x0A, 0x63]
    for _ in 0..<50 {
      let bytes = (0..<Int(rng.next() % 300)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      let max = Int(rng.next() % 40) + 1
      let memory = linesInMemory(bytes, max: max)
      for capacity in [1, 7, 64] {
        let streamed = try lines(bytes, capacity: capacity, chunk: Int(rng.next() % 9) + 1, max: max)
        #expect(streamed.map(\.0) == memory.map(\.0), "capacity \(capacity)")
        #expect(streamed.map(\.1) == memory.map(\.1))
      }
    }
  }

  static let inputs: [(String, [String])] = [
    ("a\nbb\nccc\n", ["a", "bb", "ccc"]),
    ("no final newline\nlast", ["no final newline", "last"]),
    ("crlf\r\nline two\r\n", ["crlf", "line two"]),
    ("cr only\rsecond\rthird", ["cr only", "second", "third"]),
    ("\n\n\n", ["", "", ""]),
    ("", []),
    ("nul\u{0}inside\nnext\n", ["nul\u{0}inside", "next"]),
    ("mixed\r\nends\rhere\n", ["mixed", "ends", "here"]),
  ]

  @Test(arguments: Array(1...17))
  func sameLinesAtEveryBufferAndReadSize(size: Int) throws {
    for (text, expected) in Self.inputs {
      let bytes = Array(text.utf8)
      for chunk in [1, size, 64 * 1024] {
        let got = try lines(bytes, capacity: size, chunk: chunk)
        #expect(got.map(\.0) == expected, "input \(text.debugDescription) capacity \(size) chunk \(chunk)")
        #expect(got.allSatisfy { !$0.1 })
      }
    }
  }

  @Test func sixteenMebibyteLineIsReadWhole() throws {
    let big = [UInt8](repeating: 0x61, count: 16 << 20)
    let bytes = Array("before\n".utf8) + big + Array("\nafter\n".utf8)
    for (capacity, chunk) in [(1, 1 << 20), (64 * 1024, 64 * 1024), (1 << 20, 7)] {
      var source = MemoryByteSource(bytes, chunk: chunk)
      var lengths: [Int] = []
      try LineReader(initialCapacity: capacity, maxLineBytes: 32 << 20).forEachLine(&source) { line in
        lengths.append(line.bytes.count)
        #expect(!line.truncated)
      }
      #expect(lengths == [6, 16 << 20, 5])
    }
  }

  @Test func overLongLineIsCutAndTheNextLineSurvives() throws {
    let bytes = Array("a\n".utf8) + [UInt8](repeating: 0x62, count: 5000) + Array("\nc\n".utf8)
    for chunk in [1, 3, 100, 10_000] {
      let got = try lines(bytes, capacity: 16, chunk: chunk, max: 1000)
      #expect(got.count == 3)
      #expect(got[0] == ("a", false))
      #expect(got[1].0.count == 1000 && got[1].1)
      #expect(got[2] == ("c", false))
    }
  }

  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed")) func gzipIsInflatedAndTruncationReported() throws
  {
    let text = (1...2000).map { "line \($0) of a compressed log" }.joined(separator: "\n") + "\n"
    let gz = try gzip(Array(text.utf8))
    var source = try GzipByteSource(MemoryByteSource(gz, chunk: 97))
    var count = 0
    try LineReader(initialCapacity: 64).forEachLine(&source) { _ in count += 1 }
    #expect(count == 2000)
    // Two members back to back are one valid gzip stream.
    var twice = try GzipByteSource(MemoryByteSource(gz + gz, chunk: 4096))
    count = 0
    try LineReader().forEachLine(&twice) { _ in count += 1 }
    #expect(count == 4000)

    var cut = try GzipByteSource(MemoryByteSource(Array(gz[0..<(gz.count / 2)])))
    #expect(throws: InputError.self) { try LineReader().forEachLine(&cut) { _ in } }
  }

  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed")) func gzipOutputCapStopsABomb() throws {
    let gz = try gzip([UInt8](repeating: 0x0A, count: 4 << 20))
    var source = try GzipByteSource(MemoryByteSource(gz), maxOutputBytes: 1 << 20)
    #expect(throws: InputError.self) { try LineReader().forEachLine(&source) { _ in } }
  }

  /// Lines handed out stay valid until `linesExpire`: a caller that keeps pointers to earlier lines
  /// and copies them only then (the parallel scanner's context lines) sees the bytes it was given.
  @Test(arguments: [1, 3, 7, 16, 64])
  func linesStayValidUntilTheyExpire(size: Int) throws {
    let text = "first line\nsecond\r\nthird\rfourth is a longer line than the buffer\n\nlast"
    var source = MemoryByteSource(Array(text.utf8), chunk: 5)
    var held: [(UnsafeRawBufferPointer, String)] = []
    var checked: [String] = []
    var expiries = 0
    func expire() {
      expiries += 1
      for (bytes, copy) in held {
        #expect(String(decoding: bytes, as: UTF8.self) == copy)
        checked.append(copy)
      }
      held.removeAll()
    }
    func keep(_ line: Line) { held.append((line.bytes, String(decoding: line.bytes, as: UTF8.self))) }
    try LineReader(initialCapacity: size, maxLineBytes: 1 << 10).forEachLine(&source, linesExpire: expire, keep)
    #expect(held.isEmpty, "lines still held after the reader returned")
    #expect(checked == ["first line", "second", "third", "fourth is a longer line than the buffer", "", "last"])
    #expect(expiries >= 2)
  }
}
