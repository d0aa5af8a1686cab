import Foundation
import Testing

@testable import InitLensKit

/// Big reports are rendered by several threads, host batches in order: the same bytes as one thread.
@Suite struct ParallelRenderTests {
  @Test(.requires(FastPathTests.corpusAvailable, FastPathTests.noCorpus))
  func threadsRenderTheSameJSON() throws {
    let (log, truth) = try FastPathTests.corpus(6, seed: 4)
    let analyzer = Analyzer(rules: repoRules)
    var source = MemoryByteSource(Array(log), chunk: 1 << 16)
    analyzer.analyze(name: "journal.log", source: &source)
    let report = analyzer.finish()
    #expect(report.hosts.count > 64, "\(Set(truth.map(\.host)).count) hosts")
    let one = JSONRenderer.bytes(report)
    for threads in [2, 3, 8] {
      var out: [UInt8] = []
      JSONRenderer.stream(report, threads: threads) { out.append(contentsOf: $0) }
      #expect(out == one, "\(threads) threads")
    }
  }
}
