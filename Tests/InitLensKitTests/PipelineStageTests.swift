import Testing

@testable import InitLensKit

/// The pipeline's stages, each alone: the fast path on a line, the boot builder and assembler on hits
/// handed to them directly (no reader, no parser), the analyzer's sink on retired boots.
@Suite struct PipelineStageTests {
  static func screen(_ text: String, literals: [String]) -> FastPath.Verdict {
    let prefilter = Prefilter(
      literals: literals.map { Array($0.utf8) }, sample: UnsafeRawBufferPointer(start: nil, count: 0))
    var present = LiteralBits(count: literals.count)
    return Array(text.utf8).withUnsafeBytes { p in
      FastPath.screen(
        Line(bytes: p, number: 1, truncated: false), prefilter, &present, usePrefilter: true, shape: .lines
      ).0
    }
  }

  @Test func fastPathSortsLinesBeforeAnyParsing() {
    func name(_ v: FastPath.Verdict) -> String {
      switch v {
      case .skipped(let reason): return "skipped \(reason)"
      case .passed(let context): return context ? "passed, context" : "passed"
      case .candidate: return "candidate"
      }
    }
    let literals = ["Calling 'http://169.254.169.254"]
    #expect(name(Self.screen("   ", literals: literals)) == "skipped blank")
    #expect(
      name(
        Self.screen(
          "2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/x", literals: literals))
        == "candidate")
    // No literal: passed over; a line that starts like a header is kept as the context of what follows.
    #expect(
      name(Self.screen("2025-06-25 14:58:01,470 - util.py[DEBUG]: Reading file", literals: literals))
        == "passed, context")
    #expect(name(Self.screen("  File \"/usr/lib/python3/x.py\", line 3", literals: literals)) == "passed")
    // A journal separator is always examined: it ends a boot.
    #expect(name(Self.screen("-- Boot 0123 --", literals: literals)) == "candidate")
  }

  /// Hits folded into a segment become a boot with its incident and root cause, without any line read.
  @Test func builderAndAssemblerTurnHitsIntoABoot() throws {
    let rules = repoRules
    let analyzer = Analyzer(rules: rules)
    let builder = analyzer.builder
    let index = try #require(rules.rules.firstIndex { $0.kind == "imds-503" })
    let parser = LineParser(year: 2025)
    var stream = InputStream(
      index: 0, name: "hand", parser: parser,
      prefilter: Prefilter(literals: [], sample: UnsafeRawBufferPointer(start: nil, count: 0)),
      present: LiteralBits(count: 0))
    var parsed = ParsedLine()
    parsed.host = "ip-10-0-0-1"
    parsed.bootID = "b0"
    parsed.time = 1_750_863_481_000_000
    let segment = builder.segment(for: &parsed, message: UnsafeRawBufferPointer(start: nil, count: 0), stream: &stream)
    let seg = try #require(builder.segments[segment])
    #expect(seg.anchored)
    builder.fold(
      Classifier.Hit(rule: index, captures: [:]), segment: seg, time: parsed.time,
      evidence: Evidence(file: "hand", line: 1, text: "503"), dedupe: nil)
    let report = builder.finish(summary: Summary(), inputs: [])
    #expect(report.hosts.map(\.host) == ["ip-10-0-0-1"])
    let boot = try #require(report.hosts.first?.boots.first)
    #expect(boot.boot == "b0")
    #expect(boot.incidents.map(\.kind) == ["imds-503"])
    #expect(boot.incidents.first?.first == 1_750_863_481_000_000)
    #expect(report.summary.boots == 1 && report.summary.incidents == 1)
  }
}
