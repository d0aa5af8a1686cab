import Foundation
import Testing

@testable import InitLensKit

/// The sample fleet (samples/fleet, made by scripts/gen-fleet.py) against its golden report and its
/// ground truth, and a few hundred generated bundles against theirs: every injected failure found
/// (recall 100 %), and no root cause on a host that had none.
@Suite(.serialized) struct FleetGoldenTests {
  struct Truth: Decodable {
    struct Bundle: Decodable {
      let host: String
      let instanceId: String?
      let rootCauses: [String]
      let healthy: Bool
    }
    let bundles: [String: Bundle]
  }

  static func check(_ report: Report, against truthURL: URL) throws -> (checked: Int, failing: Int) {
    let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: truthURL))
    var byHost: [String: Set<String>] = [:]
    for host in report.hosts {
      byHost[host.host, default: []].formUnion(host.boots.flatMap(\.rootCauses).map(\.id))
    }
    var failing = 0
    for (bundle, expected) in truth.bundles.sorted(by: { $0.key < $1.key }) {
      // The instance id is the host's key where the bundle or its logs give it; else the host name the
      // logs give, else the bundle's name. One host per instance: never also under its host name.
      let name = bundle.replacingOccurrences(of: ".tar.gz", with: "").replacingOccurrences(of: ".tgz", with: "")
      let found = expected.instanceId.flatMap { byHost[$0] } ?? byHost[expected.host] ?? byHost[name] ?? []
      if let id = expected.instanceId, byHost[id] != nil {
        #expect(byHost[expected.host] == nil, "\(bundle): reported both as \(id) and as \(expected.host)")
      }
      #expect(
        found == Set(expected.rootCauses),
        "\(bundle) (\(expected.host)): expected \(expected.rootCauses.sorted()), got \(found.sorted())")
      if !expected.healthy { failing += 1 }
    }
    return (truth.bundles.count, failing)
  }

  @Test func sampleFleetMatchesGoldenAndGroundTruth() throws {
    let (_, _, report) = try GoldenTests.fleetReport("samples/fleet")
    let (checked, failing) = try Self.check(
      report, against: Repo.root.appendingPathComponent("samples/fleet/ground-truth.json"))
    #expect(checked == 8 && failing >= 4)
    #expect(report.fleet?.bundles == 8)
  }

  @Test(.requires(Requirement.tools("bash", "python3"), "needs bash and python3 (scripts/gen-fleet.py)"))
  func generatedFleetRecallIsComplete() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-genfleet-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try shell(
      "python3 '\(Repo.root.path)/scripts/gen-fleet.py' 300 '\(dir.path)' --seed 19 --failure-rate 0.3 >/dev/null")
    let (bundles, errors) = BundleFinder.bundles(in: [dir.path])
    #expect(bundles.count == 300)
    #expect(errors.isEmpty)
    let (reports, bundleErrors) = FleetRunner(rules: repoRules, options: AnalyzerOptions()).run(bundles, jobs: 2)
    #expect(bundleErrors.isEmpty, "\(bundleErrors.prefix(3))")
    let report = Report.combine(reports, bundles: bundles.count, bundleErrors: bundleErrors)
    let (checked, failing) = try Self.check(report, against: dir.appendingPathComponent("ground-truth.json"))
    #expect(checked == 300)
    #expect(failing > 50)
  }
}
