import Foundation
import Testing

@testable import InitLensKit

/// `initlens diff` of two fleets' boot-time profiles: a step that got slower is flagged, one that
/// only jittered is not, and the text says how many boots each side counted and by which method.
@Suite(.serialized) struct BootTimeDiffTests {
  /// A fleet of `n` boots whose scripts-user step takes `userData(i)` seconds and whose
  /// final-message step jitters by a few milliseconds.
  static func fleet(_ n: Int, userData: (Int) -> Double) -> Report {
    let parts = (1...n).map { i -> Report in
      var boot = SlowStageTests.boot(i, seconds: userData(i))
      let end = boot.stages[0].end!
      boot.stages[0].steps.append(
        StageReport(
          name: "modules-final/config-final-message", start: end - 3000, end: end,
          durationSeconds: 0.003 + Double(i % 3) / 1000, result: "SUCCESS"))
      return SlowStageTests.host(i, boot)
    }
    return Report.combine(parts, bundles: n, bundleErrors: [])
  }

  static func write(_ report: Report, _ name: String, in dir: URL) throws -> String {
    let path = dir.appendingPathComponent(name).path
    try JSONRenderer.render(report).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func aSlowerStepIsFlaggedAndJitterIsNot() throws {
    let before = Self.fleet(20) { 2 + Double($0 % 4) / 10 }
    let after = Self.fleet(24) { 5 + Double($0 % 4) / 10 }
    let diff = try ReportDiff(
      old: ReportDiff.load(Data(JSONRenderer.render(before).utf8)),
      new: ReportDiff.load(Data(JSONRenderer.render(after).utf8)))
    let bt = try #require(diff.bootTime)
    #expect(bt.oldBoots == 20 && bt.newBoots == 24)
    // The stage moved with its step (ties by name); 3 s of 22 s from the kernel's start is within the noise.
    #expect(bt.flagged == ["modules-final", "modules-final/config-scripts-user"])
    let step = try #require(bt.metrics.first { $0.name == "modules-final/config-scripts-user" })
    #expect(step.flag == "slower" && step.deltaP50 == 3 && step.oldP50 == 2.1 && step.newP50 == 5.1)
    let jitter = try #require(bt.metrics.first { $0.name == "modules-final/config-final-message" })
    #expect(jitter.flag == nil && jitter.oldBoots == 20)
    // The other way round it is faster; a report without the profile (one instance) has no bootTime.
    let back = try ReportDiff(
      old: ReportDiff.load(Data(JSONRenderer.render(after).utf8)),
      new: ReportDiff.load(Data(JSONRenderer.render(before).utf8)))
    #expect(back.bootTime?.metrics.first { $0.name == "modules-final/config-scripts-user" }?.flag == "faster")
    var single = before
    single.fleet = nil
    let plain = try ReportDiff(
      old: ReportDiff.load(Data(JSONRenderer.render(single).utf8)),
      new: ReportDiff.load(Data(JSONRenderer.render(after).utf8)))
    #expect(plain.bootTime == nil)
  }

  @Test func fewBootsAreNeverFlagged() throws {
    let diff = BootTimeDiff(
      old: BootTimeProfile.compute(hosts: Self.fleet(4) { _ in 1 }.hosts),
      new: BootTimeProfile.compute(hosts: Self.fleet(4) { _ in 100 }.hosts))
    #expect(diff.flagged.isEmpty)
    #expect(diff.metrics.first { $0.name == "modules-final/config-scripts-user" }?.deltaP50 == 99)
  }

  @Test func theCommandPrintsTheChangeAndTheMethod() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-btdiff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = try Self.write(Self.fleet(20) { 2 + Double($0 % 4) / 10 }, "before.json", in: dir)
    let b = try Self.write(Self.fleet(20) { 5 + Double($0 % 4) / 10 }, "after.json", in: dir)
    let r = try run(["diff", a, b])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("BOOT TIME (seconds; 20 boots old, 20 boots new)\n  method: nearest-rank p50 and p90"))
    #expect(r.out.contains("  slower  modules-final/config-scripts-user\n          p50 2.100 → 5.100 (+3.000)"))
    let json = try run(["diff", a, b, "--format", "json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
    let bt = try #require(object["bootTime"] as? [String: Any])
    #expect(bt["flagged"] as? [String] == ["modules-final", "modules-final/config-scripts-user"])
    let nd = try run(["diff", a, b, "--format", "ndjson"])
    #expect(nd.out.contains("\"flag\":\"slower\"") && nd.out.contains("\"type\":\"bootTime\""))
  }
}
