import Foundation
import InitLensKit
import Testing

/// Bytes that are not log lines: random bytes, NUL padding, invalid UTF-8, huge lines, CR-only line
/// ends, a large file (parallel scan), a last line without its end, an empty file.
extension HostileInputTests {
  @Test func randomBytesAreCountedAndNeverCrash() throws {
    let dir = try Hostile.tempDir("random")
    defer { Hostile.cleanUp(dir) }
    var rng = SplitMix(state: 20_250_625)
    let alphabet = Array("0123456789-:.,[]{}\"=' TZabcdefgilnorstuvwxyACDEFGILNORSTU\\/\n\n\r".utf8)
    let inputs: [(String, [UInt8])] = [
      ("random.log", rng.bytes(1 << 20)),
      ("cloud-init.log", (0..<(1 << 20)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }),
      ("journal.json", Array(imds503.utf8) + rng.bytes(4096) + Array(imds503.utf8)),
    ]
    for (name, bytes) in inputs {
      let file = dir.appendingPathComponent(name)
      try Hostile.write(bytes, to: file)
      let r = try ProcessRun.initlens(["--format", "json", file.path], timeout: 120)
      expectSaneRun(r, files: [file.path], lines: lineCount(bytes))

      // The library counts every line, and gives the same report whatever the read size.
      let head = Array(bytes.prefix(64 * 1024))
      let reports = bounded(120) { () -> [Report] in
        [(bytes, 1 << 16), (bytes, 4093), (head, 1 << 16), (head, 7)].map {
          analyzeInMemory([(name, $0.0)], chunk: $0.1).report
        }
      }
      if let reports {
        expectAccounting(reports[0].summary, lines: lineCount(bytes))
        expectAccounting(reports[2].summary, lines: lineCount(head))
        #expect(
          JSONRenderer.render(reports[0]) == JSONRenderer.render(reports[1]), "\(name): read size changed the report")
        #expect(
          JSONRenderer.render(reports[2]) == JSONRenderer.render(reports[3]), "\(name): read size changed the report")
      }
    }
  }

  @Test func nulBytesAreSkippedAsBinaryAndTheLineAfterPaddingIsRead() throws {
    let dir = try Hostile.tempDir("nul")
    defer { Hostile.cleanUp(dir) }
    let lines = imds503.split(separator: "\n").map(String.init)
    var bytes: [UInt8] = Array((lines[0] + "\n").utf8)
    bytes += [UInt8](repeating: 0, count: 4096) + [0x0A]  // a crash's NUL padding, alone on a line
    bytes += Array("abc".utf8) + [0] + Array("def\n".utf8)  // a NUL inside a line
    bytes += [UInt8](repeating: 0, count: 300) + Array((lines[1] + "\n").utf8)  // padding, then a real line
    bytes += Array((lines[2] + "\n").utf8)
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(bytes, to: file)

    let r = try ProcessRun.initlens(["--format", "json", file.path])
    let summary = expectSaneRun(r, files: [file.path], lines: 5, status: 0)
    #expect((summary?["skipped"] as? [String: Int])?["binary"] == 2)
    #expect(incidentKinds(r.json).isSuperset(of: ["imds-503", "imds-endpoint-disabled"]))

    let (report, diagnostics) = analyzeInMemory([("cloud-init.log", bytes)])
    expectAccounting(report.summary, lines: 5)
    #expect(report.summary.skipped["binary"] == 2)
    #expect(diagnostics.isEmpty)
  }

  @Test func invalidUTF8IsReadAndTheReportIsValidUTF8() throws {
    let dir = try Hostile.tempDir("utf8")
    defer { Hostile.cleanUp(dir) }
    let bad: [[UInt8]] = [
      [0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82],
    ]
    var bytes: [UInt8] = []
    for (i, line) in imds503.split(separator: "\n").enumerated() {
      // Invalid sequences after the text the rules match, and a line of nothing else.
      bytes += Array(line.utf8) + [0x20] + bad[i % bad.count] + bad[(i + 1) % bad.count] + [0x0A]
      bytes += bad.flatMap { $0 } + [0x0A]
    }
    bytes += Array("2025-06-25 14:58:02,000 - util.py[WARNING]: ends inside a character ".utf8) + [0xE2, 0x82]
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(bytes, to: file)

    let r = try ProcessRun.initlens(["--format", "json", file.path])
    expectSaneRun(r, files: [file.path], lines: lineCount(bytes), status: 0)
    #expect(String(validating: r.out, as: UTF8.self) != nil)
    #expect(incidentKinds(r.json).contains("imds-503"))
    let text = try ProcessRun.initlens([file.path])
    #expect(text.status == 0 && !text.out.isEmpty)

    let (report, _) = analyzeInMemory([("cloud-init.log", bytes)])
    expectAccounting(report.summary, lines: lineCount(bytes))
    #expect(incidentKinds(report).contains("imds-503"))
  }

  @Test func sixteenMebibyteSingleLineIsCutNotBuffered() throws {
    let dir = try Hostile.tempDir("long")
    defer { Hostile.cleanUp(dir) }
    let lines = imds503.split(separator: "\n").map(String.init)
    let long = [UInt8](repeating: 0x61, count: 16 << 20)
    let bytes = Array((lines[0] + "\n" + lines[1] + "\n").utf8) + long + [0x0A] + Array(lines[2].utf8)
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(bytes, to: file)
    let small = dir.appendingPathComponent("small/cloud-init.log")
    try FileManager.default.createDirectory(at: small.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Hostile.write(Array(imds503.utf8), to: small)

    let baseline = try ProcessRun.initlens(["--format", "json", small.path])
    let r = try ProcessRun.initlens(["--format", "json", file.path])
    let summary = expectSaneRun(r, files: [file.path], lines: 4, status: 0)
    #expect((summary?["skipped"] as? [String: Int])?["too-long"] == 1)
    #expect(incidentKinds(r.json).isSuperset(of: ["imds-503", "imds-endpoint-disabled"]))
    // The 16 MiB line is never held whole: memory grows by far less than the line.
    #expect(
      r.maxRSSKiB - baseline.maxRSSKiB < 12 * 1024,
      "peak RSS \(r.maxRSSKiB) KiB vs \(baseline.maxRSSKiB) KiB for a small input")
    print("16 MiB line: peak RSS \(r.maxRSSKiB) KiB, small input \(baseline.maxRSSKiB) KiB")

    var source = MemoryByteSource(bytes, chunk: 1 << 16)
    var seen: [(Int, Bool)] = []
    try LineReader(maxLineBytes: 1 << 20).forEachLine(&source) { seen.append(($0.bytes.count, $0.truncated)) }
    #expect(seen.map(\.0) == [lines[0].utf8.count, lines[1].utf8.count, 1 << 20, lines[2].utf8.count])
    #expect(seen.map(\.1) == [false, false, true, false])
    let (report, _) = analyzeInMemory([("cloud-init.log", bytes)])
    expectAccounting(report.summary, lines: 4)
    #expect(report.summary.skipped["too-long"] == 1)
  }

  @Test func crOnlyLineEndsAreLineEndsAtAnySize() throws {
    let dir = try Hostile.tempDir("cr")
    defer { Hostile.cleanUp(dir) }
    let small = Array(imds503.replacingOccurrences(of: "\n", with: "\r").utf8)
    // Larger than the 1 MiB line cap: every CR-ended line must still be a line, and the last ones found.
    var filler = ""
    for i in 0..<40_000 {
      filler +=
        "2025-06-25 14:57:\(10 + i % 40),\(100 + i % 900) - util.py[DEBUG]: Reading from /proc/uptime (quiet=False) \(i)\r"
    }
    let large = Array(filler.utf8) + small
    for (name, bytes) in [("small", small), ("large", large)] {
      let file = dir.appendingPathComponent("\(name)/cloud-init.log")
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Hostile.write(bytes, to: file)
      let r = try ProcessRun.initlens(["--format", "json", file.path])
      let summary = expectSaneRun(r, files: [file.path], lines: lineCount(bytes), status: 0)
      #expect((summary?["skipped"] as? [String: Int])?["too-long"] == nil, "\(name)")
      #expect(incidentKinds(r.json).isSuperset(of: ["imds-503", "imds-endpoint-disabled"]), "\(name)")

      for chunk in [1 << 16, 4099] {
        let (report, _) = analyzeInMemory([("cloud-init.log", bytes)], chunk: chunk)
        expectAccounting(report.summary, lines: lineCount(bytes))
        #expect(incidentKinds(report).contains("imds-503"))
      }
    }
  }

  /// A file past `parallelScanBytes` (32 MiB) is scanned by several threads, split at `\n`s: hostile
  /// content across the split points must give the report one sequential pass (a pipe) gives. No
  /// stretch without `\n` is 64 KiB long, so every split point is found and the parallel path runs.
  @Test func largeHostileFileGivesTheSequentialReport() throws {
    let dir = try Hostile.tempDir("parallel")
    defer { Hostile.cleanUp(dir) }
    var rng = SplitMix(state: 32)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(40 << 20)
    var block = 0
    while bytes.count < 36 << 20 {
      switch block % 6 {
      case 0: bytes += rng.bytes(1 << 20)
      case 1: bytes += Array(imds503.replacingOccurrences(of: "\n", with: "\r").utf8)
      case 2: bytes += [UInt8](repeating: 0x61, count: 60_000) + [0x0D, 0x0A]
      case 3: bytes += Array(imds503.replacingOccurrences(of: "\n", with: "\r\n").utf8)
      case 4: bytes += [UInt8](repeating: 0, count: 30_000) + Array(imds503.utf8)
      default:
        for i in 0..<20_000 {
          bytes += Array("2025-06-25 14:58:\(10 + i % 40),000 - util.py[DEBUG]: filler \(i)\n".utf8)
        }
      }
      block += 1
    }
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(bytes, to: file)
    let lines = lineCount(bytes)

    let parallel = try ProcessRun.initlens(["--format", "json", file.path], timeout: 300)
    expectSaneRun(parallel, files: [file.path], lines: lines)
    let piped = try ProcessRun.initlens(["--format", "json", "-"], stdin: bytes, timeout: 300)
    expectSaneRun(piped, files: ["<stdin>"], lines: lines)
    #expect(parallel.status == piped.status)
    let same = piped.stdout.replacingOccurrences(of: "\"<stdin>\"", with: jsonString(file.path))
    #expect(parallel.stdout == same, "the parallel scan changed the report: \(firstDifference(parallel.stdout, same))")
    #expect(incidentKinds(parallel.json).contains("imds-503"))
  }

  @Test func fileEndingMidLineKeepsItsLastLine() throws {
    let dir = try Hostile.tempDir("midline")
    defer { Hostile.cleanUp(dir) }
    let text = imds503.trimmingCharacters(in: .newlines)  // ends inside the last line (no line end)
    let file = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(Array(text.utf8), to: file)
    let r = try ProcessRun.initlens(["--format", "json", file.path])
    expectSaneRun(r, files: [file.path], lines: 3, status: 0)
    #expect(incidentKinds(r.json).contains("imds-endpoint-disabled"))

    // Cut inside a multi-byte character and inside a CRLF, too.
    for cut in [Array(text.utf8) + [0xE2, 0x82], Array(text.utf8) + [0x0D]] {
      let (report, _) = analyzeInMemory([("cloud-init.log", cut)])
      expectAccounting(report.summary, lines: lineCount(cut))
      #expect(incidentKinds(report).contains("imds-endpoint-disabled"))
    }
  }

  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed")) func emptyFileIsAnInputWithNoLines() throws {
    let dir = try Hostile.tempDir("empty")
    defer { Hostile.cleanUp(dir) }
    let empty = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write([], to: empty)
    let emptyGz = dir.appendingPathComponent("journal.txt.gz")
    try Hostile.write(try gzip([]), to: emptyGz)
    let r = try ProcessRun.initlens(["--format", "json", empty.path, emptyGz.path])
    expectSaneRun(r, files: [empty.path, emptyGz.path], lines: 0, status: 0)
    #expect(r.errLines == ["initlens: note: read no log line from \(empty.path), \(emptyGz.path) (empty)"])
    let inputs = r.json?["inputs"] as? [[String: Any]] ?? []
    #expect(inputs.count == 2)
    #expect(inputs.allSatisfy { $0["lines"] as? Int == 0 && $0["error"] == nil })
    // On standard input as well.
    let stdin = try ProcessRun.initlens(["--format", "json"], stdin: [])
    expectSaneRun(stdin, files: ["<stdin>"], lines: 0, status: 0)
    #expect(stdin.errLines == ["initlens: note: read no log line from <stdin> (empty)"])

    let (report, diagnostics) = analyzeInMemory([("cloud-init.log", [])])
    expectAccounting(report.summary, lines: 0)
    #expect(diagnostics.isEmpty && report.inputs.count == 1)
  }
}
