import Foundation
import Testing

@testable import InitLensKit

/// Hosts quiet for a while are finalised while reading and their boots spilled to disk: the JSON must
/// be the report a run that keeps everything gives, and the analyzer must keep only recent hosts.
@Suite struct RetireTests {
  /// The hosts the analyzer holds segments of.
  func liveHosts(_ analyzer: Analyzer) -> Int { Set(analyzer.builder.segments.values.map(\.host)).count }

  func run(_ log: Data, retireAfter: Int64?) -> (json: [UInt8], analyzer: Analyzer, peakHosts: Int) {
    var options = AnalyzerOptions()
    options.retireAfterMicros = retireAfter
    let analyzer = Analyzer(rules: repoRules, options: options)
    let spill = BootSpill()!
    var peak = 0
    analyzer.sink = BootsTo { host, boot in
      peak = max(peak, liveHosts(analyzer))
      spill.add(FinishedBoot(host: host, report: boot))
    }
    var source = MemoryByteSource(Array(log), chunk: 1 << 16)
    analyzer.analyze(name: "journal.log", source: &source)
    let report = analyzer.finish()
    var out: [UInt8] = []
    spill.stream(report) { out.append(contentsOf: $0) }
    #expect(spill.error == nil)
    return (out, analyzer, peak)
  }

  @Test(.requires(FastPathTests.corpusAvailable, FastPathTests.noCorpus))
  func retiringQuietHostsGivesTheSameReport() throws {
    let (log, truth) = try FastPathTests.corpus(3, seed: 21)
    let kept = run(log, retireAfter: nil)
    let retired = run(log, retireAfter: 60_000_000)
    #expect(retired.json == kept.json)
    let hosts = Set(truth.map(\.host)).count
    #expect(hosts > 30)
    // Without retirement every host's segments stay until the end; with it only the last minutes'
    // hosts' (each has two: the lines before its boot's first marker, and the boot).
    #expect(liveHosts(kept.analyzer) >= hosts)
    #expect(liveHosts(retired.analyzer) < hosts / 4, "\(liveHosts(retired.analyzer)) live hosts")
    #expect(retired.peakHosts < hosts / 4)
    #expect(retired.analyzer.builder.retired.hostCount > 0)
  }

  @Test func aHostSeenAgainAfterRetirementKeepsAllItsBoots() throws {
    let boot = { (host: String, hour: Int) -> String in
      """
      2025-06-25T\(hour):00:01+0000 \(host) cloud-init[1]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 \(hour):00:01 +0000. Up 4.00 seconds.
      2025-06-25T\(hour):00:02+0000 \(host) cloud-init[1]: 2025-06-25 \(hour):00:02,000 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]

      """
    }
    let log = Data((boot("ip-10-0-0-1", 10) + boot("ip-10-0-0-2", 12) + boot("ip-10-0-0-1", 14)).utf8)
    let result = run(log, retireAfter: 3600 * 1_000_000)
    let report = try JSONDecoder().decode(Report.self, from: Data(result.json))
    #expect(report.hosts.map(\.host) == ["ip-10-0-0-1", "ip-10-0-0-2"])
    #expect(report.hosts[0].boots.count == 2)
    #expect(report.summary.hosts == 2)
    #expect(report.summary.boots == 3)
  }

  /// A spill that never receives a boot (an empty input) is dropped at once; its writer must not run
  /// after it is gone (it once was started in `init` and read a destroyed `self`).
  @Test func spillsDroppedUnusedOrStreamedTwiceAreSafe() throws {
    for _ in 0..<2000 { _ = BootSpill() }
    let spill = BootSpill()!
    let empty = Report(summary: Summary(), inputs: [], hosts: [])
    var first: [UInt8] = []
    spill.stream(empty) { first.append(contentsOf: $0) }
    var second: [UInt8] = []
    spill.stream(empty) { second.append(contentsOf: $0) }
    #expect(!first.isEmpty)
    #expect(first == second)
  }
}

/// A sink that hands boots finished while reading to a closure.
final class BootsTo: ReportSink {
  let body: (String, BootReport) -> Void
  init(_ body: @escaping (String, BootReport) -> Void) { self.body = body }
  var takesBootsEarly: Bool { true }
  func boot(host: String, _ boot: BootReport) { body(host, boot) }
  func end(_ report: Report) throws {}
}
