import Foundation
import Testing

@testable import InitLensKit

/// A generated mixed fleet (scripts/gen-mixed-fleet.py): instances whose logs sit where fleets keep
/// them (console output, CloudWatch Logs JSON, exports to S3, SSM output, collector archives, EC2Rescue,
/// /var/log copies, Fluent Bit objects), a quarter of them split over two sources. `initlens fleet`
/// reports each instance as one host, keyed by its instance id, with the root causes its sources show
/// together: every injected failure found, no root cause where there was none, no bundle error.
@Suite(.serialized) struct MixedFleetTests {
  struct Truth: Decodable {
    struct Source: Decodable {
      let shape: String
      let path: String
      let logs: [String]
    }
    struct Instance: Decodable {
      let host: String
      let rootCauses: [String]
      let healthy: Bool
      let scenario: String
      let sources: [Source]
    }
    let instances: [String: Instance]
  }

  static let shapes: Set<String> = [
    "console-json", "console-text", "cwl-filter", "cwl-get", "cwl-insights", "export", "ssm-tail", "ssm-cat",
    "ecs-collector", "collect-logs", "collect-logs-24.3", "ec2rl-dir", "ec2rl-tgz", "varlog", "varlog-host",
    "fluent-bit",
  ]

  @Test(.requires(Requirement.tools("bash", "python3"), "needs bash and python3 (scripts/gen-mixed-fleet.py)"))
  func mixedFleetIsOneHostPerInstanceWithEveryRootCause() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-mixedfleet-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try shell("python3 '\(Repo.root.path)/scripts/gen-mixed-fleet.py' 60 '\(dir.path)' --seed 4 2>/dev/null")
    let truth = try JSONDecoder().decode(
      Truth.self, from: Data(contentsOf: dir.appendingPathComponent("ground-truth.json")))
    let instances = truth.instances.sorted { $0.key < $1.key }

    // The fleet is what it should be: every shape, failures, and instances split over two sources,
    // among them failures whose root causes need both of their sources.
    #expect(instances.count == 60)
    #expect(Set(instances.flatMap { $0.value.sources.map(\.shape) }) == Self.shapes)
    #expect(instances.filter { !$0.value.healthy }.count >= 12)
    let split = instances.filter { $0.value.sources.count == 2 }
    #expect(split.count >= 10)
    #expect(
      split.contains { $0.value.scenario == "al2-userdata-failed" }
        && split.contains { $0.value.scenario.hasPrefix("ecs-") })

    let r = try run(["fleet", dir.path, "--format", "json"])
    #expect(r.status == 0, "\(r.err.prefix(2000))")
    let report = try JSONDecoder().decode(Report.self, from: Data(r.out.utf8))
    #expect(report.fleet?.bundleErrors.isEmpty == true, "\(report.fleet?.bundleErrors.prefix(5) ?? [])")

    var byHost: [String: Set<String>] = [:]
    for host in report.hosts {
      byHost[host.host, default: []].formUnion(host.boots.flatMap(\.rootCauses).map(\.id))
    }
    // One host per instance, named by its instance id: no host under a host name, a bundle's name or
    // anything else beside them.
    let strays = Set(byHost.keys).subtracting(truth.instances.keys).sorted()
    #expect(strays.isEmpty, "hosts that are no instance id: \(strays.prefix(20))")
    #expect(report.hosts.count == Set(report.hosts.map(\.host)).count, "a host reported twice")
    for (id, expected) in instances {
      let shapes = expected.sources.map { "\($0.shape) \($0.path) \($0.logs)" }
      guard let found = byHost[id] else {
        Issue.record("\(id) (\(expected.scenario), \(shapes)): not reported as a host")
        continue
      }
      #expect(
        found == Set(expected.rootCauses),
        "\(id) (\(expected.scenario), \(shapes)): expected \(expected.rootCauses), got \(found.sorted())")
    }
  }

  @Test(.requires(Requirement.tools("bash", "python3", "diff"), "needs bash, python3 and diff"))
  func generatorIsDeterministic() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-mixedgen-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    let script = "\(Repo.root.path)/scripts/gen-mixed-fleet.py"
    let a = base.appendingPathComponent("a").path
    let b = base.appendingPathComponent("b").path
    try shell(
      "python3 '\(script)' 20 '\(a)' --seed 9 2>/dev/null && python3 '\(script)' 20 '\(b)' --seed 9 2>/dev/null")
    // Same seed, same bytes, file for file (archives and gzip objects included).
    let diff = try shell("diff -r '\(a)' '\(b)' >/dev/null && echo same || echo differ")
    #expect(diff == "same\n")
  }
}
