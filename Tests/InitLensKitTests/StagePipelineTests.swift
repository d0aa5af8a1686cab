import Foundation
import Testing

@testable import InitLensKit

/// The whole pipeline (reader → parser → boots → stage timeline → report) against `cloud-init analyze
/// show` output captured from the real tool: every boot record's top-level stage durations within 1 ms.
@Suite struct StagePipelineTests {
  static let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/analyze")
  static let fixtures = ["ec2-full-boot", "three-boots", "scripts-user-fail", "interleaved-final-banners"]

  /// Per boot record: (stage name, seconds) of every `Finished stage:` line.
  static func finishedStages(_ show: String) -> [[(String, Double)]] {
    var records: [[(String, Double)]] = []
    for line in show.split(separator: "\n") {
      if line.hasPrefix("-- Boot Record") { records.append([]) }
      guard line.hasPrefix("Finished stage: ("), let close = line.firstIndex(of: ")") else { continue }
      let name = String(line[line.index(line.startIndex, offsetBy: 17)..<close])
      let rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
      let number = rest.split(separator: " ").first.map(String.init) ?? ""
      if let seconds = Double(number) { records[records.count - 1].append((name, seconds)) }
    }
    return records
  }

  @Test(arguments: fixtures)
  func stagesAgreeWithAnalyzeShow(_ name: String) throws {
    let log = try Data(contentsOf: Self.dir.appendingPathComponent("\(name).log"))
    let show = try String(contentsOf: Self.dir.appendingPathComponent("\(name).show.txt"), encoding: .utf8)
    let (report, _) = analyze([("cloud-init.log", String(decoding: log, as: UTF8.self))], rules: repoRules)
    let boots = report.hosts.flatMap(\.boots).filter { !$0.stages.isEmpty }
    let expected = Self.finishedStages(show)
    #expect(boots.count == expected.count, "boot records")
    for (boot, record) in zip(boots, expected) {
      let finished = boot.stages.filter { $0.durationSeconds != nil && $0.end != nil }
      #expect(finished.map(\.name) == record.map(\.0))
      for (stage, (stageName, seconds)) in zip(finished, record) {
        let d = try #require(stage.durationSeconds)
        #expect(abs(d - seconds) <= 0.001, "\(name) \(stageName): \(d) vs analyze \(seconds)")
      }
    }
  }

  @Test func clockStepNeverGivesANegativeDuration() throws {
    let log = try Data(contentsOf: Self.dir.appendingPathComponent("clock-step-back.log"))
    let (report, _) = analyze([("cloud-init.log", String(decoding: log, as: UTF8.self))], rules: repoRules)
    let stages = report.hosts.flatMap(\.boots).flatMap(\.stages)
    #expect(!stages.isEmpty)
    func all(_ s: [StageReport]) -> [StageReport] { s + s.flatMap { all($0.steps) } }
    for s in all(stages) { #expect((s.durationSeconds ?? 0) >= 0, "\(s.name)") }
    let offsets = report.hosts.flatMap(\.boots).flatMap(\.timeline).compactMap(\.offsetSeconds)
    #expect(!offsets.isEmpty)
  }
}
