import Foundation
import Testing

@testable import InitLensKit

/// `fleet.bootTime` against a computation of its own from the same JSON report's per-boot `stages` and
/// `timeline` (read as plain JSON here, not through the report's types), on the sample fleet and on a
/// generated one.
@Suite(.serialized) struct BootTimeProfileTests {
  /// µs since the epoch of `2025-06-05T20:59:41.123Z` (fraction of 0, 3 or 6 digits).
  static func micros(_ iso: String) throws -> Int64 {
    let parts = iso.dropLast().split(separator: "T")
    let date = parts[0].split(separator: "-").map { Int($0)! }
    let clock = parts[1].split(separator: ":")
    let secParts = clock[2].split(separator: ".")
    var c = DateComponents()
    c.timeZone = TimeZone(identifier: "UTC")
    (c.year, c.month, c.day) = (date[0], date[1], date[2])
    (c.hour, c.minute, c.second) = (Int(clock[0])!, Int(clock[1])!, Int(secParts[0])!)
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "UTC")!
    let whole = Int64(try #require(cal.date(from: c)).timeIntervalSince1970) * 1_000_000
    guard secParts.count > 1 else { return whole }
    let frac = String(secParts[1])
    return whole + Int64(frac + String(repeating: "0", count: 6 - frac.count))!
  }

  /// metric → [(host, boot, seconds)], computed from the report's hosts.
  static func expected(_ report: [String: Any]) throws -> [String: [(String, String, Double)]] {
    var out: [String: [(String, String, Double)]] = [:]
    for host in report["hosts"] as! [[String: Any]] {
      for boot in host["boots"] as! [[String: Any]] {
        var perBoot: [String: Double] = [:]
        func walk(_ stage: [String: Any]) {
          if let d = stage["durationSeconds"] as? Double { perBoot[stage["name"] as! String, default: 0] += d }
          for s in stage["steps"] as? [[String: Any]] ?? [] { walk(s) }
        }
        let stages = boot["stages"] as! [[String: Any]]
        stages.forEach(walk)
        if let start = boot["start"] as? String {
          let s = try micros(start)
          if let end = try stages.filter({ $0["name"] as? String == "modules-final" }).compactMap({
            $0["end"] as? String
          })
          .map(micros).max(), end >= s {
            perBoot["kernel-to-cloud-init-end"] = Double(end - s) / 1e6
          }
          let reg = try (boot["timeline"] as! [[String: Any]]).filter { $0["kind"] as? String == "ecs-registered" }
            .compactMap { $0["time"] as? String }.map(micros).min()
          if let reg, reg >= s { perBoot["kernel-to-ecs-registered"] = Double(reg - s) / 1e6 }
        }
        for (name, v) in perBoot {
          out[name, default: []].append((host["host"] as! String, boot["boot"] as! String, v))
        }
      }
    }
    return out
  }

  static func check(_ json: String) throws -> Int {
    let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let fleet = try #require(report["fleet"] as? [String: Any])
    let profile = try #require(fleet["bootTime"] as? [[String: Any]])
    let want = try expected(report)
    #expect(Set(profile.map { $0["name"] as! String }) == Set(want.keys))
    for m in profile {
      let name = m["name"] as! String
      let samples = try #require(want[name])
      let values = samples.map(\.2).sorted()
      func rank(_ p: Double) -> Double { values[Int((p / 100 * Double(values.count)).rounded(.up)) - 1] }
      #expect(m["boots"] as? Int == values.count, "\(name)")
      for (key, p) in [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("max", 100.0)] {
        let got = try #require(m[key] as? Double)
        #expect(abs(got - rank(p)) < 0.0005, "\(name) \(key): \(got) vs \(rank(p))")
      }
      let slowest = try #require(m["slowest"] as? [[String: Any]])
      let top = samples.sorted { a, b in a.2 != b.2 ? a.2 > b.2 : (a.0, a.1) < (b.0, b.1) }.prefix(5)
      #expect(slowest.count == top.count, "\(name)")
      for (got, w) in zip(slowest, top) {
        #expect(abs((got["seconds"] as! Double) - w.2) < 0.0005, "\(name)")
        if samples.filter({ $0.2 == w.2 }).count == 1 {
          #expect(got["host"] as? String == w.0 && got["boot"] as? String == w.1, "\(name)")
        }
      }
    }
    return profile.count
  }

  @Test func nearestRankPercentiles() {
    let ten = (1...10).map(Double.init)
    #expect(BootTimeProfile.percentile(ten, 50) == 5)
    #expect(BootTimeProfile.percentile(ten, 90) == 9)
    #expect(BootTimeProfile.percentile(ten, 99) == 10)
    #expect(BootTimeProfile.percentile([7], 50) == 7)
    #expect(BootTimeProfile.percentile([1, 2, 3], 50) == 2)
    #expect(BootTimeProfile.percentile((1...200).map(Double.init), 99) == 198)
  }

  @Test func sampleFleetProfileEqualsItsStages() throws {
    let r = try run(["fleet", "samples/fleet", "--format", "json"])
    #expect(r.status == 0, "\(r.err)")
    let metrics = try Self.check(r.out)
    #expect(metrics > 20)
    #expect(r.out.contains("\"kernel-to-ecs-registered\"") && r.out.contains("\"modules-final/config-scripts-user\""))
  }

  @Test(.requires(Requirement.tools("bash", "python3"), "needs bash and python3 (scripts/gen-fleet.py)"))
  func generatedFleetProfileEqualsItsStages() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-boottime-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try shell("python3 '\(Repo.root.path)/scripts/gen-fleet.py' 40 '\(dir.path)' --seed 23 >/dev/null")
    let r = try run(["fleet", dir.path, "--format", "json"])
    #expect(r.status == 0 || r.status == 1, "\(r.err)")
    #expect(try Self.check(r.out) > 20)
  }
}
