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

  /// Real logs written by cloud-init 22.4.2 (`Fixtures/realci`), with `analyze show` of the same tool.
  static let realci: [String] = {
    let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { !$0.hasSuffix(".md") }.sorted()
  }()

  @Test func everyRealLogHasItsAnalyzeOutput() {
    #expect(Self.realci.count >= 5)
    for name in Self.realci {
      let show = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci/\(name)/analyze-show.txt")
      #expect(FileManager.default.fileExists(atPath: show.path), "\(name): analyze-show.txt")
    }
  }

  /// Whole real logs: every boot's stages within 1 ms of `analyze show`, boots paired by start time
  /// (analyze lists its records in the order it finds them, which need not be the log's).
  @Test(arguments: realci)
  func realLogStagesAgreeWithAnalyzeShow(_ name: String) throws {
    let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci/\(name)")
    let log = try Data(contentsOf: dir.appendingPathComponent("cloud-init.log"))
    let show = try String(contentsOf: dir.appendingPathComponent("analyze-show.txt"), encoding: .utf8)
    let (report, _) = analyze([("cloud-init.log", String(decoding: log, as: UTF8.self))], rules: repoRules)
    let boots = report.hosts.flatMap(\.boots).filter { !$0.stages.isEmpty }
    let expected = Self.finishedStages(show)
    #expect(boots.count == expected.count, "\(name): boot records")
    // Pair each analyze record with the boot whose stage durations it matches best, one to one.
    var unpaired = Array(boots.indices)
    for record in expected {
      let best = unpaired.min { a, b in
        Self.distance(boots[a], record) < Self.distance(boots[b], record)
      }
      guard let best else { break }
      unpaired.removeAll { $0 == best }
      let finished = boots[best].stages.filter { $0.durationSeconds != nil && $0.end != nil }
      #expect(finished.map(\.name) == record.map(\.0), "\(name)")
      for (stage, (stageName, seconds)) in zip(finished, record) {
        let d = try #require(stage.durationSeconds)
        #expect(abs(d - seconds) <= 0.001, "\(name) \(stageName): \(d) vs analyze \(seconds)")
      }
    }
  }

  static func distance(_ boot: BootReport, _ record: [(String, Double)]) -> Double {
    let finished = boot.stages.filter { $0.durationSeconds != nil && $0.end != nil }
    guard finished.map(\.name) == record.map(\.0) else { return .infinity }
    return zip(finished, record).reduce(0) { $0 + abs(($1.0.durationSeconds ?? 0) - $1.1.1) }
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
