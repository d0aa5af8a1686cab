import Foundation
import InitLensKit
import Testing

/// gzip inputs that are truncated, corrupt, or bombs: capped with a clear message, the rest reported.
extension HostileInputTests {
  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed"))
  func truncatedAndCorruptGzipAreExitTwoAndTheRestIsReported() throws {
    let dir = try Hostile.tempDir("gz")
    defer { Hostile.cleanUp(dir) }
    var text = ""
    for i in 0..<20_000 { text += "2025-06-25 14:57:\(10 + i % 40),\(100 + i % 900) - util.py[DEBUG]: line \(i)\n" }
    let gz = try gzip(Array(text.utf8))
    let truncated = dir.appendingPathComponent("truncated/cloud-init.log.gz")
    let corrupt = dir.appendingPathComponent("corrupt/cloud-init.log.gz")
    let magicOnly = dir.appendingPathComponent("magic/cloud-init.log.gz")
    let good = dir.appendingPathComponent("good/cloud-init.log")
    for url in [truncated, corrupt, magicOnly, good] {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    }
    try Hostile.write(Array(gz.prefix(gz.count * 6 / 10)), to: truncated)
    var flipped = gz
    for i in stride(from: gz.count / 3, to: gz.count / 3 + 64, by: 1) { flipped[i] ^= 0x5A }
    try Hostile.write(flipped, to: corrupt)
    try Hostile.write([0x1F, 0x8B], to: magicOnly)
    try Hostile.write(Array(imds503.utf8), to: good)

    let files = [truncated.path, corrupt.path, magicOnly.path, good.path]
    let r = try ProcessRun.initlens(["--format", "json"] + files)
    expectSaneRun(r, files: files, status: 2)
    #expect(r.errLines.count == 3, "one line per broken input: \(r.stderr)")
    #expect(r.errLines.contains { $0.hasPrefix("initlens: \(truncated.path):") && $0.contains("truncated gzip data") })
    #expect(r.errLines.contains { $0.hasPrefix("initlens: \(corrupt.path):") && $0.contains("corrupt gzip data") })
    #expect(r.errLines.contains { $0.hasPrefix("initlens: \(magicOnly.path):") && $0.contains("truncated gzip data") })
    // The line where reading stopped is named: FILE:LINE: message.
    let truncLine = r.errLines.first { $0.hasPrefix("initlens: \(truncated.path):") } ?? ""
    let lineNumber = Int(truncLine.dropFirst("initlens: \(truncated.path):".count).prefix { $0.isNumber }) ?? -1
    let inputs = r.json?["inputs"] as? [[String: Any]] ?? []
    let truncLines = inputs.first { $0["name"] as? String == truncated.path }?["lines"] as? Int ?? 0
    #expect(truncLines > 1000 && truncLines < 20_000, "the lines before the cut are read")
    #expect(lineNumber == truncLines + 1)
    #expect(inputs.filter { $0["error"] != nil }.count == 3)
    #expect(incidentKinds(r.json).contains("imds-503"), "the good input is still analysed")
    #expect((r.summary?["linesRead"] as? Int) == inputs.reduce(0) { $0 + ($1["lines"] as? Int ?? 0) })

    // The library: the same, from memory.
    let analyzer = Analyzer(rules: Hostile.ruleSet)
    do {
      var source: any ByteSource = try GzipByteSource(MemoryByteSource(Array(gz.prefix(gz.count / 2)), chunk: 333))
      analyzer.analyze(name: "cut.gz", source: &source)
    }
    let report = analyzer.finish()
    expectAccounting(report.summary)
    #expect(analyzer.diagnostics.count == 1 && analyzer.diagnostics[0].lostInput)
    #expect(analyzer.diagnostics.first?.line == report.inputs[0].lines + 1)
  }

  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed"))
  func gzipBombIsCappedByTheLibraryLimitWithAClearMessage() throws {
    let dir = try Hostile.tempDir("bomb-lib")
    defer { Hostile.cleanUp(dir) }
    for (what, byte) in [("zeros", UInt8(0)), ("newlines", UInt8(0x0A))] {
      let bomb = try gzip([UInt8](repeating: byte, count: 64 << 20))
      #expect(bomb.count < 128 * 1024, "\(what): \(bomb.count) bytes")
      let result = bounded(120) { () -> (Report, [InputDiagnostic]) in
        var options = AnalyzerOptions()
        options.maxInflatedBytes = 1 << 20
        let analyzer = Analyzer(rules: Hostile.ruleSet, options: options)
        do {
          var source: any ByteSource = try GzipByteSource(
            MemoryByteSource(bomb), maxOutputBytes: options.maxInflatedBytes)
          analyzer.analyze(name: "bomb.log.gz", source: &source)
        } catch {
          analyzer.failed(name: "bomb.log.gz", message: "\(error)")
        }
        return (analyzer.finish(), analyzer.diagnostics)
      }
      guard let (report, diagnostics) = result else { continue }
      expectAccounting(report.summary)
      #expect(diagnostics.count == 1)
      #expect(diagnostics.first?.lostInput == true)
      #expect(
        diagnostics.first?.message == "gzip data inflates past the 1 MiB limit; stopped reading it",
        "\(what): \(diagnostics)")
      #expect(report.summary.linesRead <= (1 << 20) + 1)
    }
    // The ratio guard alone, with no size cap: stopped once 16 MiB are out.
    let bomb = try gzip([UInt8](repeating: 0x0A, count: 64 << 20))
    var source = try GzipByteSource(MemoryByteSource(bomb))
    var lines = 0
    #expect(throws: InputError.self) { try LineReader().forEachLine(&source) { _ in lines += 1 } }
    #expect(lines >= 16 << 20 && lines < 20 << 20)
  }

  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed"))
  func gzipBombIsStoppedByTheCLIDefaultInSecondsAndModestMemory() throws {
    let dir = try Hostile.tempDir("bomb-cli")
    defer { Hostile.cleanUp(dir) }
    // A real bomb: 16 GiB from about 16 MB (256 gzip members of 64 MiB each, which is valid gzip).
    for (what, byte) in [("zeros", UInt8(0)), ("newlines", UInt8(0x0A))] {
      let member = try gzip([UInt8](repeating: byte, count: 64 << 20))
      var bomb: [UInt8] = []
      bomb.reserveCapacity(member.count * 256)
      for _ in 0..<256 { bomb += member }
      let file = dir.appendingPathComponent("\(what)/cloud-init.log.gz")
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Hostile.write(bomb, to: file)
      let good = dir.appendingPathComponent("\(what)/journal.txt")
      try Hostile.write(Array(imds503.utf8), to: good)

      let r = try ProcessRun.initlens(["--format", "json", file.path, good.path], timeout: 120)
      expectSaneRun(r, files: [file.path, good.path], status: 2)
      #expect(r.errLines.count == 1, "\(what): \(r.stderr)")
      #expect(r.errLines.first?.contains("stopped reading it") == true, "\(what): \(r.stderr)")
      #expect(r.seconds < 60, "\(what): the bomb took \(r.seconds) s")
      #expect(r.maxRSSKiB < 256 * 1024, "\(what): peak RSS \(r.maxRSSKiB) KiB")
      print("gzip bomb of \(what): stopped after \(r.seconds) s, peak RSS \(r.maxRSSKiB) KiB")
      #expect(incidentKinds(r.json).contains("imds-503"), "the other input is still analysed")
    }
  }
}
