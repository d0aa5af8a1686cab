// One fuzz input through every stage of initlens; see main.swift for the entry points.

import Foundation
import InitLensKit

/// What one input runs with, derived from its bytes so that a saved input replays exactly.
struct Knobs {
  /// Bytes per read from the source (cuts reads anywhere, including inside CRLF and UTF-8).
  var chunk: Int
  /// The line reader's first buffer size and line cap (small, to reach growth and truncation).
  var capacity: Int
  var maxLine: Int
  /// The input's name: it decides the file source (cloud-init, ecs-agent, …) and ecs.config parsing.
  var name: String
  var format: InputFormat
  /// Also run every rule on every line with and without the prefilter, and compare.
  var exhaustive: Bool

  static let chunks = [1, 2, 3, 7, 64, 4096, Int.max]
  static let capacities = [1, 2, 16, 256 * 1024]
  static let maxLines = [1 << 20, 1 << 20, 4096, 64, 8, 1]
  static let names = [
    "cloud-init.log", "cloud-init-output.log", "ecs-agent.log", "ecs-init.log", "journal.json", "console.log",
    "messages", "ecs.config",
  ]
  static let formats: [InputFormat] = [.auto, .auto, .auto, .auto, .journal, .json, .console, .cloudInit, .ecs, .plain]

  /// From the last byte and the middle one: a mutation anywhere else keeps the knobs, and most
  /// inputs run with real line caps.
  init(_ bytes: [UInt8]) {
    let a = Int(bytes.last ?? 0)
    let b = bytes.isEmpty ? 0 : Int(bytes[bytes.count / 2])
    chunk = Knobs.chunks[a % Knobs.chunks.count]
    capacity = Knobs.capacities[(a / 7) % Knobs.capacities.count]
    maxLine = Knobs.maxLines[(a / 28) % Knobs.maxLines.count]
    name = Knobs.names[b % Knobs.names.count]
    format = Knobs.formats[(b / 8) % Knobs.formats.count]
    exhaustive = (a ^ b) & 7 == 0
  }
}

/// The built-in rules, loaded once (the copy embedded in the library, the same as rules/).
let ruleSet: RuleSet = {
  let (set, diags) = RuleSet.load([.embedded])
  precondition(!set.rules.isEmpty, "no built-in rules: \(diags)")
  return set
}()
// SAFETY: libFuzzer and the replay loop call `fuzzOne` from one thread only.
nonisolated(unsafe) let classifierWithPrefilter = Classifier(rules: ruleSet.rules, usePrefilter: true)
nonisolated(unsafe) let classifierWithout = Classifier(rules: ruleSet.rules, usePrefilter: false)

/// The lines a correct reader gives: ends are `\n`, `\r\n` and a lone `\r`; a final line without an
/// end still counts; a line longer than `maxLine` is its head, marked cut.
func referenceLines(_ b: [UInt8], maxLine: Int) -> [(bytes: ArraySlice<UInt8>, cut: Bool)] {
  var out: [(ArraySlice<UInt8>, Bool)] = []
  func add(_ lo: Int, _ hi: Int) {
    if hi - lo > maxLine { out.append((b[lo..<(lo + maxLine)], true)) } else { out.append((b[lo..<hi], false)) }
  }
  var i = 0
  var start = 0
  while i < b.count {
    if b[i] == 0x0A {
      add(start, i)
      i += 1
      start = i
    } else if b[i] == 0x0D {
      add(start, i)
      i += i + 1 < b.count && b[i + 1] == 0x0A ? 2 : 1
      start = i
    } else {
      i += 1
    }
  }
  if start < b.count { add(start, b.count) }
  return out
}

/// Whether `needle` occurs in `haystack` (the obvious way, as the reference for the prefilter).
func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
  guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
  for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
    var k = 1
    while k < needle.count && haystack[start + k] == needle[k] { k += 1 }
    if k == needle.count { return true }
  }
  return false
}

func check(_ ok: @autoclosure () -> Bool, _ what: @autoclosure () -> String) {
  if !ok() {
    FileHandle.standardError.write(Data("initlens-fuzz: invariant broken: \(what())\n".utf8))
    fatalError(what())
  }
}

/// Runs one input through every stage. Traps when an invariant breaks.
func fuzzOne(_ bytes: [UInt8]) {
  let knobs = Knobs(bytes)

  // 1. The line reader, with reads cut at `chunk` bytes, against the reference splitter.
  let expected = referenceLines(bytes, maxLine: knobs.maxLine)
  var got: [(bytes: [UInt8], cut: Bool, number: Int)] = []
  var source = MemoryByteSource(bytes, chunk: knobs.chunk)
  do {
    try LineReader(initialCapacity: knobs.capacity, maxLineBytes: knobs.maxLine).forEachLine(&source) { line in
      check(line.bytes.count <= knobs.maxLine, "line \(line.number) longer than the cap")
      got.append((Array(line.bytes), line.truncated, line.number))
    }
  } catch {
    check(false, "memory source failed: \(error)")
  }
  check(got.count == expected.count, "reader gave \(got.count) lines, expected \(expected.count) (\(knobs))")
  for (i, (g, e)) in zip(got, expected).enumerated() {
    check(g.number == i + 1, "line number \(g.number) at index \(i)")
    check(g.bytes.elementsEqual(e.bytes) && g.cut == e.cut, "line \(i + 1) differs from the reference (\(knobs))")
  }

  // 1b. The in-memory reader (no copying) gives the same lines.
  var inMemory = 0
  bytes.withUnsafeBytes { buffer in
    LineReader(initialCapacity: knobs.capacity, maxLineBytes: knobs.maxLine).forEachLine(in: buffer) { line in
      check(inMemory < expected.count, "in-memory reader gave more lines than expected (\(knobs))")
      let e = expected[inMemory]
      inMemory += 1
      check(line.number == inMemory, "in-memory line number \(line.number) at \(inMemory)")
      check(
        line.bytes.elementsEqual(e.bytes) && line.truncated == e.cut, "in-memory line \(inMemory) differs (\(knobs))")
    }
  }
  check(inMemory == expected.count, "in-memory reader gave \(inMemory) lines, expected \(expected.count)")

  // 2. Format detection and the rules on every line (a sample of inputs runs every rule, with and
  //    without the literal prefilter, which must not change what matches).
  var parser = LineParser(forced: knobs.format, fileSource: LineParser.source(forFileName: knobs.name), year: 2025)
  let literals = classifierWithPrefilter.literals
  let prefilter = Array(bytes.prefix(64 * 1024)).withUnsafeBytes { Prefilter(literals: literals, sample: $0) }
  var present = LiteralBits(count: literals.count)
  for line in expected {
    Array(line.bytes).withUnsafeBytes { raw in
      // The line-level prefilter never misses a literal the line holds (it may flag extra ones).
      let any = prefilter.scan(raw, &present)
      if knobs.exhaustive {
        for (i, literal) in literals.enumerated() where contains(raw, literal) {
          check(present.contains(i) && any, "prefilter missed literal \(i) (\(literal.count) bytes)")
        }
      }
      let parsed = parser.parse(raw)
      check(parsed.inner.lowerBound >= 0 && parsed.inner.upperBound <= raw.count, "inner range out of the line")
      parsed.withInner(raw) { inner in
        check(parsed.messageOffset >= 0, "negative message offset")
        let fast = classifierWithPrefilter.classify(inner, source: parsed.source)
        if knobs.exhaustive {
          let slow = classifierWithout.classify(inner, source: parsed.source)
          check(fast.map(\.rule) == slow.map(\.rule), "prefilter changed the matching rules")
        }
      }
    }
  }

  // 3. Tar parsing of the same bytes (fleet archives are read in memory): never traps.
  if let (members, refused) = try? Tar.members(bytes) {
    for m in members {
      check(!Tar.isUnsafe(m.name), "unsafe member name returned: \(m.name)")
      check(!m.name.unicodeScalars.contains { $0.value < 0x20 }, "control character in a member name")
    }
    for name in refused { check(Tar.isUnsafe(name), "safe member name refused: \(name)") }
  }

  // 4. A whole analysis (through gzip when the input starts with its magic), then every renderer.
  //    Line accounting must balance, and cover every line when the input was read to its end.
  func analyse(prefilter: Bool, inMemory: Bool = false) -> (Report, [InputDiagnostic]) {
    var options = AnalyzerOptions()
    options.inputFormat = knobs.format
    options.maxLineBytes = knobs.maxLine
    options.readBufferBytes = knobs.capacity
    options.maxInflatedBytes = 1 << 20
    options.usePrefilter = prefilter
    let analyzer = Analyzer(rules: ruleSet, options: options)
    if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
      do {
        var gz: any ByteSource = try GzipByteSource(
          MemoryByteSource(bytes, chunk: knobs.chunk), maxOutputBytes: options.maxInflatedBytes)
        analyzer.analyze(name: knobs.name + ".gz", source: &gz)
      } catch {
        analyzer.failed(name: knobs.name + ".gz", message: error.message)
      }
    } else if inMemory {
      bytes.withUnsafeBytes { analyzer.analyze(name: knobs.name, bytes: $0) }
    } else {
      var source = MemoryByteSource(bytes, chunk: knobs.chunk)
      analyzer.analyze(name: knobs.name, source: &source)
    }
    return (analyzer.finish(), analyzer.diagnostics)
  }
  let (report, diagnostics) = analyse(prefilter: true)
  let s = report.summary
  check(
    s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped,
    "line accounting: \(s.linesRead) read != \(s.linesMatched) + \(s.linesUnmatched) + \(s.linesSkipped)")
  check(s.skipped.values.reduce(0, +) == s.linesSkipped, "skipped reasons do not add up")
  let gzipped = bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  if !gzipped {
    check(s.linesRead == expected.count, "linesRead \(s.linesRead) != \(expected.count) lines")
    check(report.inputs.first?.lines == expected.count, "input lines != \(expected.count)")
    // Read in memory (no copying), the input gives the same report.
    let (memory, memoryDiagnostics) = analyse(prefilter: true, inMemory: true)
    check(JSONRenderer.render(memory) == JSONRenderer.render(report), "in-memory analysis differs from streamed")
    check(memoryDiagnostics == diagnostics, "in-memory diagnostics differ from streamed")
  }
  for d in diagnostics {
    check(!d.description.contains("\n"), "diagnostic spans lines: \(d.description.debugDescription)")
  }
  // 5. The fast path (prefilter, header templates) and the full path give the same report, byte for
  //    byte, and the same diagnostics: any difference traps.
  let (slow, slowDiagnostics) = analyse(prefilter: false)
  let fastJSON = JSONRenderer.render(report)
  let slowJSON = JSONRenderer.render(slow)
  check(
    fastJSON == slowJSON,
    "the prefilter changed the report (\(knobs)): \(firstDifference(fastJSON, slowJSON, width: 200))")
  check(slowDiagnostics == diagnostics, "the prefilter changed the diagnostics (\(knobs))")
  _ = JSONRenderer.render(report)
  _ = TextRenderer(color: true).render(report)
  _ = HTMLRenderer().render(report)
}
