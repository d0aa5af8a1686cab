import Foundation
import Testing

@testable import InitLensKit

/// The sinks of the registry: each gives its renderer's bytes, the JSON sink takes boots early (and
/// only it), live sinks write as events come, and the combining step ends the next sink once.
@Suite struct SinkTests {
  static func output(_ name: String, _ report: Report, _ configure: (inout SinkOptions) -> Void = { _ in }) throws
    -> String
  {
    let destination = MemoryDestination()
    var options = SinkOptions(destination: destination)
    configure(&options)
    try #require(ReportFormat.named(name)).make(options).end(report)
    return destination.text
  }

  @Test func registryNamesAreUniqueAndHelpIsOneLine() {
    let names = ReportFormat.all.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(names.starts(with: ["text", "json", "html", "ndjson", "sarif", "junit"]))
    for format in ReportFormat.all {
      #expect(!format.help.isEmpty && !format.help.contains("\n"))
      let ascii = format.help.unicodeScalars.allSatisfy { $0.isASCII }
      #expect(ascii, "generate-manual drops non-ASCII: \(format.name)")
    }
  }

  @Test(arguments: GoldenTests.scenarios)
  func eachSinkWritesItsRenderersBytes(_ scenario: String) throws {
    let report = try GoldenTests.report(scenario)
    #expect(try Self.output("json", report) == JSONRenderer.render(report))
    #expect(try Self.output("text", report) == TextRenderer(color: false).render(report))
    let oneLine = try Self.output("text", report) { $0.evidenceLines = 1 }
    #expect(oneLine == FleetTextRenderer(color: false, evidenceLines: 1).render(report))
    #expect(try Self.output("ndjson", report) == NDJSONRenderer.render(report))
    #expect(try Self.output("html", report) == HTMLRenderer().render(report))
    let sarif = try Self.output("sarif", report) { $0.toolVersion = "9.9" }
    #expect(sarif == SARIFRenderer(toolVersion: "9.9").render(report))
    #expect(try Self.output("junit", report) == JUnitRenderer(failOn: .error).render(report))
    let junit = try Self.output("junit", report) { $0.failOn = .warning }
    #expect(junit == JUnitRenderer(failOn: .warning).render(report))
  }

  static func twoHosts() -> [UInt8] {
    let boot = { (host: String, hour: Int) -> String in
      """
      2025-06-25T\(hour):00:01+0000 \(host) cloud-init[1]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 \(hour):00:01 +0000. Up 4.00 seconds.
      2025-06-25T\(hour):00:02+0000 \(host) cloud-init[1]: 2025-06-25 \(hour):00:02,000 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]

      """
    }
    return Array((boot("ip-10-0-0-1", 10) + boot("ip-10-0-0-2", 12) + boot("ip-10-0-0-1", 14)).utf8)
  }

  /// JSON takes the boots of quiet hosts early (into its spill) and still writes the report a run that
  /// keeps everything gives; text takes none, so nothing is retired for it.
  @Test func jsonTakesBootsEarlyAndWritesTheSameReport() throws {
    func drive(_ name: String, retire: Int64?) throws -> (String, AnalysisRun) {
      let destination = MemoryDestination()
      let sink = try #require(ReportFormat.named(name)).make(SinkOptions(destination: destination))
      let drive = AnalysisRun(rules: repoRules, options: AnalyzerOptions(), into: sink, retireAfterMicros: retire)
      var source = MemoryByteSource(Self.twoHosts())
      drive.analyzer.analyze(name: "journal.log", source: &source)
      try drive.end(drive.finish())
      return (destination.text, drive)
    }
    let (kept, _) = try drive("json", retire: nil)
    let (early, spilled) = try drive("json", retire: 3600 * 1_000_000)
    #expect(spilled.analyzer.builder.retired.hostCount > 0, "no host was retired: the spill was not used")
    #expect(early == kept)
    let report = try JSONDecoder().decode(Report.self, from: Data(early.utf8))
    #expect(report.hosts.map { $0.boots.count } == [2, 1])
    let (_, text) = try drive("text", retire: 3600 * 1_000_000)
    #expect(text.analyzer.options.retireAfterMicros == nil)
    #expect(text.analyzer.builder.retired.hostCount == 0)
  }

  /// `watch`: each incident and root cause is written as it comes, the summary at the end (text: to the
  /// note, with how the run ended; ndjson: a last line).
  @Test func liveSinksWriteEventsThenTheSummary() throws {
    let journal = try Data(contentsOf: Repo.root.appendingPathComponent("samples/imds-503/journal.txt"))
    func watch(_ name: String) throws -> (out: String, notes: [String], highest: Severity?) {
      let destination = MemoryDestination()
      var options = SinkOptions(destination: destination)
      var notes: [String] = []
      options.note = { notes.append($0) }
      options.ending = { "; timed out" }
      let make = try #require(ReportFormat.named(name)?.makeLive)
      var analyzerOptions = AnalyzerOptions()
      analyzerOptions.anchorEverySegment = true
      let drive = AnalysisRun(live: repoRules, options: analyzerOptions, into: make(options))
      var source = MemoryByteSource(Array(journal), chunk: 4096)
      drive.analyzer.analyzeLive(name: "j", source: &source)
      try drive.end(drive.finish())
      return (destination.text, notes, drive.highestLive)
    }
    let text = try watch("text")
    let lines = text.out.split(separator: "\n").map(String.init)
    #expect(
      lines.first?.hasPrefix("2025-01-22T09:14:08.") == true
        && lines.first?.contains(" ip-10-0-1-23.ec2.internal ERROR imds-503: ") == true,
      "\(lines.first ?? "")")
    #expect(
      lines.contains {
        $0.hasPrefix("ROOT CAUSE ip-10-0-1-23.ec2.internal imds-503-not-retried: ") && $0.contains(" Fix: ")
      })
    #expect(text.notes.count == 1)
    #expect(
      text.notes.first?.hasPrefix("initlens watch: ") == true
        && text.notes.first?.hasSuffix(", 1 root cause; timed out") == true)
    #expect(text.highest == .error)
    let ndjson = try watch("ndjson")
    let objects = ndjson.out.split(separator: "\n").map {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(objects.allSatisfy { $0 != nil })
    #expect(objects.last??["type"] as? String == "summary")
    #expect(objects.filter { $0?["type"] as? String == "rootCause" }.count == 1)
    #expect(ndjson.notes.isEmpty)
    #expect(ReportFormat.named("json")?.canRunLive == false)
  }

  /// Shards' bundle counts and errors add up; the next sink ends once, with `Report.combine`'s report.
  @Test func combiningEndsTheNextSinkWithTheCombinedReport() throws {
    final class Recorder: ReportSink {
      var ended: [Report] = []
      func boot(host: String, _ boot: BootReport) {}
      func end(_ report: Report) throws { ended.append(report) }
    }
    let a = try GoldenTests.report("imds-503")
    let b = try GoldenTests.report("healthy")
    let shard = Report.combine([b], bundles: 3, bundleErrors: [BundleError(bundle: "x", message: "unreadable")])
    let recorder = Recorder()
    let combine = CombineSink(into: recorder)
    try combine.part().end(a)
    combine.add(shard: shard)
    let report = try combine.finish(bundles: 1)
    #expect(recorder.ended == [report])
    #expect(report == Report.combine([a, shard], bundles: 4, bundleErrors: shard.fleet!.bundleErrors))
    #expect(report.fleet?.bundles == 4)
    #expect(combine.shardBundleErrors.map(\.bundle) == ["x"])
  }
}
