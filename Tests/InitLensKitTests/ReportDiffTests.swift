import Foundation
import Testing

@testable import InitLensKit

/// `initlens diff`: root causes, incident kinds and unmatched templates that are new, gone or changed
/// between two reports, from reports built in code, generated fleets (against their ground truth) and
/// the CLI on files.
@Suite(.serialized) struct ReportDiffTests {
  /// A report whose hosts have one boot each with the given incident kinds (severity error) and root
  /// causes (caused by the host's first incident kind).
  static func report(_ hosts: [(String, [String], [String])]) -> Report {
    let hostReports = hosts.map { name, kinds, causes in
      let incidents = kinds.map { kind in
        Incident(
          kind: kind, rule: kind + "-rule", rules: [kind + "-rule"], title: kind + " title", severity: .error,
          source: .other, first: nil, last: nil, count: 2, captures: [:], fix: "", references: [], evidence: [])
      }
      let rootCauses = causes.map { id in
        RootCause(
          id: id, title: id + " title", cause: kinds.first ?? "", summary: "", explanation: "", symptoms: [],
          fixes: [], references: [])
      }
      return HostReport(
        host: name,
        boots: [
          BootReport(boot: name + "-boot", start: nil, versions: [:], incidents: incidents, rootCauses: rootCauses)
        ]
      )
    }
    return Report.combine(
      [Report(summary: Summary(), inputs: [], hosts: hostReports)], bundles: hosts.count, bundleErrors: [])
  }

  static func input(_ report: Report) throws -> ReportDiff.Input {
    try ReportDiff.load(Data(JSONRenderer.render(report).utf8))
  }

  static func diff(_ a: Report, _ b: Report) throws -> ReportDiff {
    ReportDiff(old: try input(a), new: try input(b), oldName: "a.json", newName: "b.json")
  }

  @Test func newGoneAndChanged() throws {
    let old = Self.report([
      ("h1", ["imds-503"], ["imds-chain"]), ("h2", ["imds-503", "ecs-404"], ["imds-chain"]),
      ("h3", ["ecs-404"], []), ("h4", [], []),
    ])
    let new = Self.report([
      ("h1", [], []), ("h2", ["ecs-404"], []), ("h3", ["ecs-404", "disk-full"], ["disk-chain"]),
      ("h4", ["ecs-404"], []), ("h5", [], []),
    ])
    let d = try Self.diff(old, new)
    #expect(d.rootCauses.new.map(\.id) == ["disk-chain"])
    #expect(d.rootCauses.gone.map(\.id) == ["imds-chain"])
    #expect(d.rootCauses.changed.isEmpty)
    #expect(d.incidents.new.map(\.id) == ["disk-full"])
    #expect(d.incidents.gone.map(\.id) == ["imds-503"])
    #expect(d.incidents.changed.map(\.id) == ["ecs-404"])
    let ecs = d.incidents.changed[0]
    #expect(ecs.old == .init(hosts: 2, boots: 2, count: 4, share: 0.5))
    #expect(ecs.new == .init(hosts: 3, boots: 3, count: 6, share: 0.6))
    #expect(ecs.delta == .init(hosts: 1, boots: 1, count: 2, share: 0.1))
    #expect(ecs.title == "ecs-404 title" && ecs.severity == .error)
    let gone = d.incidents.gone[0]
    #expect(gone.new == nil && gone.old?.hosts == 2 && gone.delta.hosts == -2)
    let added = d.rootCauses.new[0]
    #expect(added.old == nil && added.new == .init(hosts: 1, boots: 1, count: 1, share: 0.2))
    #expect(added.severity == .error)  // the severity of the incident that caused it
    #expect(d.old.hosts == 4 && d.new.hosts == 5 && d.delta.hosts == 1)
    #expect(d.old.incidents == 4 && d.new.incidents == 4 && d.delta.incidents == 0)
    #expect(d.old.rootCauses == 2 && d.delta.rootCauses == -1)
    #expect(d.old.affectedHosts == 3 && d.new.affectedHosts == 3 && d.delta.affectedHosts == 0)
    #expect(d.unmatched.isEmpty)
  }

  @Test func sameReportHasNoChange() throws {
    let r = try GoldenTests.report("syslog-al2")
    let d = try Self.diff(r, r)
    #expect(d.rootCauses.isEmpty && d.incidents.isEmpty && d.unmatched.isEmpty)
    #expect(
      d.delta
        == .init(file: nil, hosts: 0, boots: 0, incidents: 0, rootCauses: 0, affectedHosts: 0, unmatchedTemplates: 0))
    #expect(d.renderText().contains("no change"))
  }

  /// The same hosts in a fleet that grew is a change in share only past one percentage point.
  @Test func shareThreshold() throws {
    func fleet(_ healthy: Int) -> Report {
      Self.report([("bad", ["k"], [])] + (0..<healthy).map { ("ok\($0)", [String](), [String]()) })
    }
    // 1 of 50 (2 %) → 1 of 60 (1.67 %): under the threshold.
    #expect(try Self.diff(fleet(49), fleet(59)).incidents.isEmpty)
    // 1 of 10 (10 %) → 1 of 20 (5 %): changed, though the host count is the same.
    let d = try Self.diff(fleet(9), fleet(19))
    #expect(d.incidents.changed.map(\.id) == ["k"])
    #expect(d.incidents.changed[0].delta == .init(hosts: 0, boots: 0, count: 0, share: -0.05))
  }

  @Test func changedAreSortedByMagnitude() throws {
    let old = Self.report((0..<10).map { ("h\($0)", $0 < 2 ? ["a", "b", "c"] : ["c"], []) })
    let new = Self.report((0..<10).map { ("h\($0)", $0 < 6 ? ["a", "b"] : $0 < 7 ? ["c"] : [], []) })
    let d = try Self.diff(old, new)
    // a: 2 → 6 (+40 pp), b: 2 → 6 (+40 pp), c: 10 → 1 (−90 pp).
    #expect(d.incidents.changed.map(\.id) == ["c", "a", "b"])
  }

  /// Reports without `unmatched` (older versions) load; with it, templates are compared too.
  @Test func unmatchedTemplatesAndTolerantReading() throws {
    let old = """
      {"schemaVersion": 1, "summary": {"hosts": 2}, "hosts": [
        {"host": "h1", "boots": [{"boot": "b1", "incidents": [{"kind": "k", "severity": "notice"}]}]},
        {"host": "h2", "boots": [{"boot": "b2", "incidents": []}]}],
       "unmatched": [{"id": "t1", "template": "Failed to start <*>", "hosts": 2, "boots": 2, "count": 9, "examples": []},
                     {"id": "t2", "template": "gone <*>", "hosts": 1, "boots": 1, "count": 1, "examples": []}]}
      """
    let new = """
      {"schemaVersion": 1, "summary": {"hosts": 2}, "hosts": [
        {"host": "h1", "boots": [{"boot": "b1", "incidents": []}]},
        {"host": "h2", "boots": [{"boot": "b2", "incidents": []}]}],
       "unmatched": [{"id": "t1", "template": "Failed to start <*>", "hosts": 1, "boots": 1, "count": 3, "examples": []},
                     {"id": "t3", "template": "new \\u001b[31m <*>", "hosts": 2, "boots": 2, "count": 4, "examples": []}]}
      """
    let d = ReportDiff(old: try ReportDiff.load(Data(old.utf8)), new: try ReportDiff.load(Data(new.utf8)))
    #expect(d.unmatched.new.map(\.id) == ["t3"])
    #expect(d.unmatched.gone.map(\.id) == ["t2"])
    #expect(d.unmatched.changed.map(\.id) == ["t1"])
    #expect(d.unmatched.changed[0].title == "Failed to start <*>")
    #expect(d.unmatched.changed[0].delta == .init(hosts: -1, boots: -1, count: -6, share: -0.5))
    #expect(d.old.unmatchedTemplates == 2 && d.new.unmatchedTemplates == 2)
    // An unknown severity loads; the kind is still compared.
    #expect(d.incidents.gone.map(\.id) == ["k"])
    #expect(d.incidents.gone[0].severity == nil)
    // Log text never reaches the terminal raw.
    #expect(!d.renderText().contains("\u{1B}"))
    #expect(d.renderText().contains("new      t3"))

    // No `unmatched` at all: a report of an older version.
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(try GoldenTests.report("imds-503")).utf8))
        as? [String: Any])
    object["unmatched"] = nil
    let legacy = try ReportDiff.load(JSONSerialization.data(withJSONObject: object))
    #expect(legacy.unmatched == nil)
    #expect(legacy.hosts.count == 1)
    #expect(ReportDiff(old: legacy, new: legacy).unmatched.isEmpty)
  }

  @Test func badInputsHaveOneLineMessages() {
    func message(_ text: String) -> String? {
      do {
        _ = try ReportDiff.load(Data(text.utf8))
        return nil
      } catch {
        return error.message
      }
    }
    #expect(message("{not json") == "not valid JSON")
    #expect(message("{\"summary\": {}}") == "not an initlens JSON report: no \"hosts\"")
    #expect(message("[1, 2]")?.hasPrefix("not an initlens JSON report") == true)
    #expect(message("{\"summary\": {}, \"hosts\": [{\"host\": 1, \"boots\": []}]}")?.contains("hosts.0.host") == true)
  }

  /// Two generated fleets sharing some bundles (see scripts/gen-fleet.py): the root causes new, gone
  /// and changed, with their host counts, are the ones the ground truths say; end to end on files.
  @Test(.requires(Requirement.tools("bash", "python3"), "needs bash and python3 (scripts/gen-fleet.py)"))
  func generatedFleetsAgainstGroundTruth() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-diff-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let gen = "python3 '\(Repo.root.path)/scripts/gen-fleet.py'"
    let d = dir.path
    // shared: ECS and AL2 failures; only-old: imds-503 (collect-logs); only-new: ECS failures.
    try shell(
      """
      \(gen) 8 '\(d)/shared' --seed 41 --failure-rate 0.5 --layouts ecs-collector >/dev/null 2>&1 &&
      \(gen) 3 '\(d)/only-old' --seed 42 --failure-rate 1 --layouts collect-logs >/dev/null 2>&1 &&
      \(gen) 5 '\(d)/only-new' --seed 43 --failure-rate 1 --layouts ecs-collector >/dev/null 2>&1
      """)
    for (name, parts) in [("old", ["shared", "only-old"]), ("new", ["shared", "only-new"])] {
      let r = try run(["fleet"] + parts.map { "\(d)/\($0)" } + ["--format", "json", "-o", "\(d)/\(name).json"])
      #expect(r.status == 0, "\(r.err)")
    }

    struct Truth: Decodable {
      struct Bundle: Decodable {
        let host: String
        let rootCauses: [String]
      }
      let bundles: [String: Bundle]
    }
    func hostsByCause(_ parts: [String]) throws -> [String: Set<String>] {
      var out: [String: Set<String>] = [:]
      for part in parts {
        let truth = try JSONDecoder().decode(
          Truth.self,
          from: Data(contentsOf: dir.appendingPathComponent(part).appendingPathComponent("ground-truth.json")))
        for bundle in truth.bundles.values {
          for cause in bundle.rootCauses { out[cause, default: []].insert(bundle.host) }
        }
      }
      return out
    }
    let old = try hostsByCause(["shared", "only-old"])
    let new = try hostsByCause(["shared", "only-new"])

    let r = try run(["diff", "\(d)/old.json", "\(d)/new.json", "--format", "json"])
    #expect(r.status == 0, "\(r.err)")
    let diff = try JSONDecoder().decode(ReportDiff.self, from: Data(r.out.utf8))
    #expect(Set(diff.rootCauses.new.map(\.id)) == Set(new.keys).subtracting(old.keys))
    #expect(Set(diff.rootCauses.gone.map(\.id)) == Set(old.keys).subtracting(new.keys))
    let changedByTruth = Set(old.keys).intersection(new.keys).filter { old[$0]!.count != new[$0]!.count }
    #expect(Set(diff.rootCauses.changed.map(\.id)) == changedByTruth)
    // Each category occurs with these seeds, so the test checks all three.
    #expect(!diff.rootCauses.new.isEmpty && !diff.rootCauses.gone.isEmpty && !diff.rootCauses.changed.isEmpty)
    #expect(diff.rootCauses.gone.map(\.id).contains("imds-503-not-retried"))
    for e in diff.rootCauses.new + diff.rootCauses.gone + diff.rootCauses.changed {
      #expect(e.old?.hosts ?? 0 == old[e.id]?.count ?? 0, "\(e.id) old hosts")
      #expect(e.new?.hosts ?? 0 == new[e.id]?.count ?? 0, "\(e.id) new hosts")
    }
    #expect(diff.old.hosts == 11 && diff.new.hosts == 13 && diff.delta.hosts == 2)
    #expect(diff.old.file == "\(d)/old.json")
    // The generated imds-503 hosts all went, with the incidents of that chain.
    #expect(Set(diff.incidents.gone.map(\.id)).isSuperset(of: ["imds-503", "imds-endpoint-disabled"]))

    // The same figures as the fleet sections of the two reports.
    let oldReport = try JSONDecoder().decode(
      Report.self, from: Data(contentsOf: dir.appendingPathComponent("old.json")))
    for group in oldReport.fleet!.rootCauses {
      let entry = (diff.rootCauses.gone + diff.rootCauses.changed).first { $0.id == group.id }
      if let entry { #expect(entry.old?.hosts == group.hosts && entry.old?.boots == group.boots) }
    }

    // Text, and -o FILE.
    let text = try run(["diff", "\(d)/old.json", "\(d)/new.json"])
    #expect(text.status == 0)
    #expect(text.out.contains("gone     imds-503-not-retried"))
    #expect(
      text.out.contains("ROOT CAUSES") && text.out.contains("INCIDENTS") && text.out.contains("UNMATCHED TEMPLATES"))
    let file = try run(["diff", "\(d)/old.json", "\(d)/new.json", "--format", "json", "-o", "\(d)/diff.json"])
    #expect(file.status == 0 && file.out.isEmpty)
    #expect(try String(contentsOf: dir.appendingPathComponent("diff.json"), encoding: .utf8) == r.out)
    let ndjson = try run(["diff", "\(d)/old.json", "\(d)/new.json", "--format", "ndjson"])
    let lines = ndjson.out.split(separator: "\n")
    #expect(
      lines.count == diff.rootCauses.new.count + diff.rootCauses.gone.count + diff.rootCauses.changed.count
        + diff.incidents.new.count + diff.incidents.gone.count + diff.incidents.changed.count + diff.unmatched.new.count
        + diff.unmatched.gone.count + diff.unmatched.changed.count + 1)
    for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) }
    #expect(lines.first?.contains("\"status\":\"") == true && lines.last?.contains("\"type\":\"summary\"") == true)
  }

  /// Two single-instance reports (the goldens): the imds-503 chain is gone on the healthy instance.
  @Test func singleInstanceReportsOnTheCLI() throws {
    let r = try run(["diff", "samples/imds-503/expected.json", "samples/healthy/expected.json", "--format", "json"])
    #expect(r.status == 0, "\(r.err)")
    let diff = try JSONDecoder().decode(ReportDiff.self, from: Data(r.out.utf8))
    #expect(diff.rootCauses.gone.map(\.id) == ["imds-503-not-retried"])
    #expect(Set(diff.incidents.gone.map(\.id)) == ["imds-503", "imds-endpoint-disabled", "datasource-not-found"])
    #expect(diff.incidents.new.isEmpty && diff.old.hosts == 1 && diff.new.hosts == 1)
    #expect(diff.rootCauses.gone[0].old == .init(hosts: 1, boots: 1, count: 1, share: 1))
  }

  @Test func unreadableOrInvalidFilesExit2() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-diff-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "{\"hosts\": [".write(to: dir.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
    try "{\"hosts\": []}".write(to: dir.appendingPathComponent("nosummary.json"), atomically: true, encoding: .utf8)
    let good = "samples/healthy/expected.json"
    for (args, expected) in [
      ([good, "\(dir.path)/missing.json"], "initlens: \(dir.path)/missing.json: no such file\n"),
      (["\(dir.path)/broken.json", good], "initlens: \(dir.path)/broken.json: not valid JSON\n"),
      (
        [good, "\(dir.path)/nosummary.json"],
        "initlens: \(dir.path)/nosummary.json: not an initlens JSON report: no \"summary\"\n"
      ),
      ([dir.path, good], "initlens: \(dir.path): is a directory\n"),
    ] {
      let r = try run(["diff"] + args)
      #expect(r.status == 2, "\(args)")
      #expect(r.err == expected)
      #expect(r.out.isEmpty)
    }
  }
}
