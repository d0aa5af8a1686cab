import Foundation
import Testing

@testable import InitLensKit

/// One host per instance across bundles: the same instance reached through two sources is one host
/// with one timeline, and a chain whose cause and symptom came through different sources is linked.
@Suite struct InstanceGroupTests {
  @Test func groupsJoinBundlesThatNameACommonInstance() {
    let hosts = [
      ["i-0123456789abcdef0"], ["ip-10-0-0-1"], ["i-0123456789abcdef0", "i-0fedcba9876543210"], ["i-0fedcba9876543210"],
    ]
    #expect(InstanceGroups.merge(4, hosts: hosts) == [[0, 2, 3], [1]])
    // Host names alone never join bundles: a reused private address names another machine.
    #expect(InstanceGroups.merge(2, hosts: [["ip-10-0-0-1"], ["ip-10-0-0-1"]]) == [[0], [1]])
  }

  /// Bundles whose names give one instance are read together from the start, not twice.
  @Test func bundlesNamedAfterOneInstanceAreOneUnit() {
    let bundles = [
      Bundle(path: "/f/console/i-0123456789abcdef0.json", kind: .file),
      Bundle(path: "/f/exports/cloud-init/t/i-0123456789abcdef0", kind: .cloudWatchExport),
      Bundle(path: "/f/collect-i-0fedcba9876543210-202506051057.tgz", kind: .archive),
      Bundle(path: "/f/web-1", kind: .directory),
      Bundle(path: "/f/ssm/c/i-0fedcba9876543210", kind: .ssmOutput),
    ]
    #expect(InstanceGroups.byName(bundles) == [[0, 1], [2, 4], [3]])
    #expect(bundles[0].shard(of: 7) == bundles[1].shard(of: 7))
  }

  @Test func instanceIDs() {
    for id in ["i-0123456789abcdef0", "i-01234567", "mi-0123456789abcdef0"] { #expect(HostIdentity.isInstanceID(id)) }
    for name in ["ip-10-0-0-1", "i-0123", "i-0123456789abcdefg", "unknown", "mi-01234567"] {
      #expect(!HostIdentity.isInstanceID(name), "\(name)")
    }
  }

  /// cloud-init's logs and ecs.config in one bundle, the ECS agent's logs in another named after the
  /// instance: the warm-pool chain is found only when the two are read as one host.
  @Test func anInstanceSplitOverTwoBundlesIsOneHost() throws {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("initlens-groups-\(UUID().uuidString)")
    defer { try? fm.removeItem(at: root) }
    let sample = Repo.root.appendingPathComponent("samples/ecs-warm-pool-404")
    let parts = [
      "from-cloudwatch": ["cloud-init.log", "cloud-init-output.log", "ecs.config"],
      "i-0e5a7c2d9b1f34a86": ["ecs-agent.log", "ecs-init.log"],
    ]
    for (dir, files) in parts {
      let d = root.appendingPathComponent(dir)
      try fm.createDirectory(at: d, withIntermediateDirectories: true)
      for f in files { try fm.copyItem(at: sample.appendingPathComponent(f), to: d.appendingPathComponent(f)) }
    }
    let (bundles, _) = BundleFinder.bundles(in: [root.path])
    #expect(bundles.count == 2)
    let (reports, errors) = FleetRunner(rules: repoRules, options: AnalyzerOptions()).run(bundles, jobs: 2)
    #expect(errors.isEmpty)
    let report = Report.combine(reports, bundles: bundles.count, bundleErrors: errors)
    #expect(report.hosts.map(\.host) == ["i-0e5a7c2d9b1f34a86"])
    #expect(report.hosts.flatMap(\.boots).flatMap(\.rootCauses).map(\.id) == ["ecs-warm-pool-404"])
    #expect(report.fleet?.bundles == 2 && report.fleet?.hosts == 1)
  }
}
