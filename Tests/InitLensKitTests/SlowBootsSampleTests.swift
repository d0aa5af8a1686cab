import Foundation
import Testing

@testable import InitLensKit

/// samples/slow-boots (scripts/make-slow-boots-sample: twenty boots of the real cloud-init 22.4.2, two
/// of them slow) against its golden reports: both slow boots, and only they, get a slow-stage incident
/// naming the step and what it waited on, and the profile equals its own stages.
@Suite(.serialized) struct SlowBootsSampleTests {
  @Test func slowBootsAreFoundWithWhatTheyWaitedOn() throws {
    let (json, text, report) = try GoldenTests.fleetReport("samples/slow-boots")
    #expect(try BootTimeProfileTests.check(json) >= 10)
    var slow: [String: Incident] = [:]
    for h in report.hosts {
      for b in h.boots { for i in b.incidents where i.kind == "slow-stage" { slow[h.host] = i } }
    }
    #expect(slow.keys.sorted() == ["i-0b007000000000007", "i-0b007000000000013"])
    let userData = try #require(slow["i-0b007000000000007"])
    #expect(userData.captures["step"] == "modules-final/config-scripts-user")
    #expect(
      userData.captures["waitingOn"]?.hasPrefix("user-data scripts /var/lib/cloud/instance/scripts/part-001") == true)
    #expect(Double(userData.captures["seconds"] ?? "") ?? 0 > 70)
    let imds = try #require(slow["i-0b007000000000013"])
    #expect(imds.captures["step"] == "init-local/search-Ec2Local")
    #expect(imds.captures["waitingOn"]?.hasPrefix("IMDS retries (imds-unreachable ×") == true)
    #expect(imds.evidence.first?.text.contains("/latest/api/token") == true)
    #expect(report.fleet?.affectedHosts == 2 && report.fleet?.healthyHosts == 18)
    #expect(text.contains("\nBOOT TIME (seconds; nearest-rank percentiles over the boots that show it)\n"))
  }

  @Test func blameNamesTheSlowStepFirst() throws {
    let r = try run(["blame", "samples/slow-boots/i-0b007000000000007/cloud-init.log"])
    #expect(r.status == 0, "\(r.err)")
    let first = r.out.split(separator: "\n").dropFirst().first ?? ""
    #expect(first.hasSuffix("s (modules-final/config-scripts-user)") && first.hasPrefix("     75."))
  }
}

extension SlowBootsSampleTests {
  /// Each shard of ten boots decides slow-stage incidents on its own boots; the merge drops them and
  /// decides again from all twenty, as the single run does: the same bytes.
  @Test func shardsMergeToTheSingleRun() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-slowshards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let shards = try (1...2).map { k -> String in
      let out = dir.appendingPathComponent("shard-\(k).json").path
      let r = try run(["fleet", "samples/slow-boots", "--shard", "\(k)/2", "--format", "json", "-o", out])
      #expect(r.status == 0, "\(r.err)")
      return out
    }
    let merged = try run(["merge"] + shards + ["--format", "json"])
    #expect(merged.status == 0, "\(merged.err)")
    let single = try run(["fleet", "samples/slow-boots", "--format", "json"])
    #expect(merged.out == single.out)
    // Not vacuous: each shard judged its slow boot against its own ten.
    let shard = try String(contentsOfFile: shards[0], encoding: .utf8)
    #expect(shard.contains("over 10 boots)") && !merged.out.contains("over 10 boots)"))
    #expect(merged.out.contains("over 20 boots)"))
  }
}
