import Foundation
import Testing

@testable import InitLensKit

/// What a corpus test throws in CI when the benchmark's generator is not there.
struct CorpusMissing: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// The CI-sized variant of the benchmark: a few MiB of the benchmark's journal, analysed with the
/// prefilter (the fast path) and without it. Not timed: it checks that the fast path loses nothing.
@Suite struct FastPathTests {
  static var generator: URL { Repo.shared.appendingPathComponent("bench/gen_journal.py") }
  /// The benchmark's generator is in ../shared, not in the repository: without it (a checkout on its
  /// own) the corpus tests are skipped with this reason; CI has it, runs them, and fails without it.
  static var corpusAvailable: Bool {
    Repo.sharedFile("bench/gen_journal.py") != nil && Requirement.tools("bash", "python3")
  }
  static let noCorpus = "needs shared/bench/gen_journal.py beside the repository (or INITLENS_SHARED), bash and python3"

  static func corpus(_ mib: Double, seed: Int) throws -> (log: Data, truth: [(host: String, kind: String)]) {
    guard FileManager.default.fileExists(atPath: generator.path) else {
      throw CorpusMissing(message: "\(generator.path) is missing: \(noCorpus)")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-fast-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try shell("python3 '\(generator.path)' \(mib) \(seed) > '\(dir.path)/j.log' 2> '\(dir.path)/truth.jsonl'")
    let log = try Data(contentsOf: dir.appendingPathComponent("j.log"))
    let truth = try String(contentsOf: dir.appendingPathComponent("truth.jsonl"), encoding: .utf8)
      .split(separator: "\n").compactMap { line -> (String, String)? in
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
          let host = obj["host"], let kind = obj["kind"]
        else { return nil }
        return (host, kind)
      }
    return (log, truth)
  }

  @Test(.requires(corpusAvailable, noCorpus))
  func prefilterChangesNothingAndFindsEveryInjectedFailure() throws {
    let (log, truth) = try Self.corpus(4, seed: 11)
    func report(prefilter: Bool) -> Report {
      var options = AnalyzerOptions()
      options.usePrefilter = prefilter
      let analyzer = Analyzer(rules: repoRules, options: options)
      var source = MemoryByteSource(Array(log), chunk: 1 << 16)
      analyzer.analyze(name: "journal.log", source: &source)
      return analyzer.finish()
    }
    let fast = report(prefilter: true)
    let slow = report(prefilter: false)
    #expect(JSONRenderer.render(fast) == JSONRenderer.render(slow))
    #expect(fast.summary.linesRead == log.split(separator: 0x0A, omittingEmptySubsequences: false).count - 1)

    // Recall against the generator's ground truth: every failing boot's host has its root cause, and
    // no healthy host gets one.
    let causes = Dictionary(grouping: fast.hosts, by: \.host).mapValues { hosts in
      Set(hosts.flatMap(\.boots).flatMap(\.rootCauses).map(\.id))
    }
    let expected = ["imds503": "imds-503-not-retried", "ecs404": "ecs-warm-pool-404"]
    var failing = 0
    for (host, kind) in truth {
      if let id = expected[kind] {
        failing += 1
        #expect(causes[host]?.contains(id) == true, "\(host) should show \(id)")
      } else if kind == "healthy" {
        #expect(causes[host]?.isEmpty ?? true, "\(host) is healthy but got \(causes[host] ?? [])")
      }
    }
    #expect(failing > 0)
  }
}

/// Large files are scanned by several threads and the candidates replayed in order: the report must be
/// exactly the sequential one, whatever the number of threads (files split at awkward places too).
@Suite struct ParallelScanTests {
  func report(_ paths: [String], threads: Int) -> String {
    var options = AnalyzerOptions()
    options.scanThreads = threads
    options.parallelScanBytes = 1
    let analyzer = Analyzer(rules: repoRules, options: options)
    for p in paths { analyzer.analyzeFile(path: p) }
    return JSONRenderer.render(analyzer.finish())
  }

  @Test(arguments: GoldenTests.scenarios)
  func samplesGiveTheSameReportWithAnyNumberOfScanners(_ scenario: String) {
    let paths = GoldenTests.inputs(scenario).map { Repo.root.appendingPathComponent($0).path }
    let sequential = report(paths, threads: 1)
    for threads in [2, 3, 7] {
      #expect(report(paths, threads: threads) == sequential, "\(scenario) with \(threads) scanners")
    }
  }

  @Test(.requires(FastPathTests.corpusAvailable, FastPathTests.noCorpus))
  func benchmarkCorpusToo() throws {
    let (log, _) = try FastPathTests.corpus(3, seed: 5)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-par-\(UUID().uuidString).log")
    try log.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let sequential = report([file.path], threads: 1)
    #expect(report([file.path], threads: 2) == sequential)
    #expect(report([file.path], threads: 5) == sequential)
  }
}

/// The prefilter passes over a journal line's ISO stamp only when no literal could start inside one.
@Suite struct StampSkipTests {
  @Test func builtInLiteralsNeverStartInsideAStamp() {
    let classifier = Classifier(rules: repoRules.rules)
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    #expect(Prefilter(literals: classifier.literals, sample: empty).skipsISOStamp)
  }

  @Test func aLiteralThatFitsAStampTurnsTheSkipOff() {
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    for literal in ["2025-", "06-25T1", ":00", "T14:", "5"] {
      #expect(!Prefilter(literals: [Array(literal.utf8)], sample: empty).skipsISOStamp, "\(literal)")
    }
    for literal in ["Traceback", "[503]", "T-", "-x"] {
      #expect(Prefilter(literals: [Array(literal.utf8)], sample: empty).skipsISOStamp, "\(literal)")
    }
  }
}

/// The stamp is skipped only when all of its 19 bytes have the stamp's shape: a literal may start
/// anywhere in a line that merely begins like one.
@Suite struct StampShapeTests {
  @Test func onlyAWholeStampIsSkipped() {
    func starts(_ s: String) -> Bool { Array(s.utf8).withUnsafeBytes { Prefilter.startsWithStamp($0) } }
    #expect(starts("2025-06-25T14:00:00+0000 host ident[1]: msg"))
    #expect(starts("0000-00-00T00:00:00 "))
    #expect(!starts("2023-11-16T16:Failed running /x"))
    #expect(!starts("2025-06-25T14:00:00"))  // nothing after it: too short to skip
    #expect(!starts("2025-06-25 14:00:00,123 - util.py"))
    #expect(!starts("2025-06-25T14:00:0a+0000 x"))
    #expect(!starts("2025-06-25T14:00/00+0000 x"))
    #expect(!starts("2025:06-25T14:00:00+0000 x"))
    // Every single byte changed to a byte outside its place's shape breaks it.
    let good = Array("2025-06-25T14:00:00+0000 host".utf8)
    for i in 0..<19 {
      for b: UInt8 in [0x00, 0x2F, 0x3A, 0x41, 0x54, 0x2D, 0x39, 0xFF] {
        var line = good
        line[i] = b
        let shapeHolds = Prefilter.stampShape[i].map { $0 == b } ?? (0x30...0x39).contains(b)
        #expect(line.withUnsafeBytes { Prefilter.startsWithStamp($0) } == shapeHolds, "byte \(i) = \(b)")
      }
    }
  }
}
