import Foundation
import Testing

@testable import InitLensKit

/// `--format ndjson`: one valid JSON object per line, each with a type, the same objects as the JSON
/// report, and the single-line encoders a live consumer uses give the same bytes.
@Suite struct NDJSONTests {
  static func parse(_ ndjson: String) throws -> [[String: Any]] {
    #expect(ndjson.hasSuffix("\n"))
    return try ndjson.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      return try #require(object as? [String: Any], "not an object: \(line)")
    }
  }

  static func json(_ report: Report) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(JSONRenderer.render(report).utf8)) as? [String: Any])
  }

  @Test(arguments: GoldenTests.scenarios)
  func everyLineIsAnObjectOfTheReport(_ scenario: String) throws {
    let report = try GoldenTests.report(scenario)
    let text = NDJSONRenderer.render(report)
    #expect(text == NDJSONRenderer.render(report))
    let lines = try Self.parse(text)
    let types = lines.map { $0["type"] as? String ?? "?" }
    #expect(types.filter { $0 == "incident" }.count == report.summary.incidents)
    #expect(types.filter { $0 == "rootCause" }.count == report.summary.rootCauses)
    #expect(types.filter { $0 == "host" }.count == report.hosts.count)
    #expect(types.last == "summary")
    #expect(Set(types).isSubset(of: ["incident", "rootCause", "host", "summary"]))

    // The incident and root-cause objects are exactly the JSON report's, in report order.
    let full = try Self.json(report)
    var expectedIncidents: [NSDictionary] = []
    var expectedCauses: [NSDictionary] = []
    for host in full["hosts"] as! [[String: Any]] {
      for boot in host["boots"] as! [[String: Any]] {
        for i in boot["incidents"] as! [[String: Any]] { expectedIncidents.append(i as NSDictionary) }
        for c in boot["rootCauses"] as! [[String: Any]] { expectedCauses.append(c as NSDictionary) }
      }
    }
    let incidentLines = lines.filter { $0["type"] as? String == "incident" }
    #expect(incidentLines.map { $0["incident"] as! NSDictionary } == expectedIncidents)
    #expect(
      lines.filter { $0["type"] as? String == "rootCause" }.map { $0["rootCause"] as! NSDictionary } == expectedCauses)
    #expect((lines.last?["summary"] as? NSDictionary) == (full["summary"] as! NSDictionary))

    // Host lines: totals of each host, after its incidents.
    for (n, host) in report.hosts.enumerated() {
      let line = try #require(lines.filter { $0["type"] as? String == "host" }[n] as [String: Any]?)
      #expect(line["host"] as? String == host.host)
      #expect(line["boots"] as? Int == host.boots.count)
      #expect(line["incidents"] as? Int == host.boots.flatMap(\.incidents).count)
      let highest = host.boots.flatMap(\.incidents).map(\.severity).max()
      #expect((line["highestSeverity"] as? String) == highest?.rawValue)
      #expect(line.keys.contains("highestSeverity"))  // explicit null when healthy
    }
  }

  @Test func singleLineEncodersGiveTheRenderedLines() throws {
    let report = try GoldenTests.report("imds-503")
    let lines = NDJSONRenderer.render(report).split(separator: "\n").map(String.init)
    let host = report.hosts[0]
    let boot = host.boots[0]
    #expect(boot.incidents.count == 3 && boot.rootCauses.count == 1)
    for (n, incident) in boot.incidents.enumerated() {
      let line = NDJSONRenderer.line(incident: incident, host: host.host, boot: boot.boot)
      #expect(line == lines[n])
      #expect(!line.contains("\n"))
      #expect(line.hasPrefix("{\"boot\":\"\(boot.boot)\",\"host\":\"\(host.host)\",\"incident\":{"))
    }
    #expect(NDJSONRenderer.line(rootCause: boot.rootCauses[0], host: host.host, boot: boot.boot) == lines[3])
    #expect(NDJSONRenderer.line(host: host) == lines[4])
    #expect(NDJSONRenderer.line(summary: report.summary) == lines[5])
  }

  @Test func hostileTextStaysOneLine() throws {
    let set = rules(rule(id: "r", kind: "k", pattern: "boom", match: "boom"))
    let (report, _) = analyze([("a\nb\"c.log", "boom \u{1B}[31m\t\"quoted\" \\ \u{2028} end\n")], rules: set)
    let text = NDJSONRenderer.render(report)
    let lines = try Self.parse(text)
    #expect(lines.count == 3)
    let incident = try #require(lines[0]["incident"] as? [String: Any])
    let evidence = try #require((incident["evidence"] as? [[String: Any]])?.first)
    #expect(evidence["file"] as? String == "a\nb\"c.log")
    #expect((evidence["text"] as? String)?.contains("\"quoted\" \\") == true)
  }

  /// `fleet` and `merge` write the same lines, with the fleet section's groups before the summary.
  @Test func fleetAndMergeWriteTheSameLines() throws {
    let fleet = try run(["fleet", "samples/fleet", "--format", "ndjson"])
    #expect(fleet.status == 0, "\(fleet.err)")
    let lines = try Self.parse(fleet.out)
    let report = try JSONDecoder().decode(
      Report.self, from: Data(contentsOf: Repo.root.appendingPathComponent("samples/fleet/expected.json")))
    let section = try #require(report.fleet)
    let groups = lines.filter { $0["type"] as? String == "fleetRootCause" }.map { $0["group"] as! [String: Any] }
    #expect(groups.map { $0["id"] as! String } == section.rootCauses.map(\.id))
    #expect(groups.map { $0["hosts"] as! Int } == section.rootCauses.map(\.hosts))
    let kinds = lines.filter { $0["type"] as? String == "fleetIncident" }.map { $0["group"] as! [String: Any] }
    #expect(kinds.map { $0["id"] as! String } == section.incidents.map(\.id))
    let summary = try #require(lines.last)
    #expect(summary["type"] as? String == "summary")
    let totals = try #require(summary["fleet"] as? [String: Any])
    #expect(totals["bundles"] as? Int == 8)
    #expect(totals["affectedHosts"] as? Int == section.affectedHosts)
    #expect(lines.filter { $0["type"] as? String == "host" }.count == report.hosts.count)

    let merged = try run(["merge", "samples/fleet/expected.json", "--format", "ndjson"])
    #expect(merged.status == 0, "\(merged.err)")
    #expect(merged.out == fleet.out)
  }

  /// A fleet's boot-time profile: one `bootTime` line per metric, its fields exactly those of
  /// `fleet.bootTime[]`, in that order, after the fleet's groups and before the summary.
  @Test func fleetWritesABootTimeLinePerMetric() throws {
    let nd = try run(["fleet", "samples/slow-boots", "--format", "ndjson"])
    #expect(nd.status == 0, "\(nd.err)")
    let lines = try Self.parse(nd.out)
    let json = try run(["fleet", "samples/slow-boots", "--format", "json"])
    let full = try #require(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
    let profile = try #require((full["fleet"] as? [String: Any])?["bootTime"] as? [[String: Any]])
    #expect(profile.count >= 10)
    let types = lines.map { $0["type"] as? String ?? "?" }
    let metrics = lines.filter { $0["type"] as? String == "bootTime" }
    #expect(metrics.count == profile.count)
    for (line, metric) in zip(metrics, profile) {
      var fields = line
      fields["type"] = nil
      #expect(fields as NSDictionary == metric as NSDictionary)
    }
    // Sorted keys, `type` last, as every line.
    let first = try #require(nd.out.split(separator: "\n").first { $0.contains("\"type\":\"bootTime\"") })
    #expect(first.hasPrefix("{\"boots\":20,\"max\":") && first.hasSuffix(",\"type\":\"bootTime\"}"))
    let decoded = try Report.decode(Data(json.out.utf8))
    #expect(String(first) == NDJSONRenderer.line(bootTime: try #require(decoded.fleet?.bootTime.first)))
    let firstBootTime = try #require(types.firstIndex(of: "bootTime"))
    #expect(types.lastIndex(of: "fleetIncident").map { $0 < firstBootTime } == true)
    #expect(types.lastIndex(of: "bootTime") == types.count - 2 && types.last == "summary")
  }

  @Test func analyzeWritesNDJSONToAFile() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-\(UUID().uuidString).ndjson")
    defer { try? FileManager.default.removeItem(at: out) }
    let r = try run(["--format", "ndjson", "-o", out.path] + GoldenTests.inputs("imds-503"))
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.isEmpty)
    let written = try String(contentsOf: out, encoding: .utf8)
    #expect(written == NDJSONRenderer.render(try GoldenTests.report("imds-503")))
  }
}

/// `rules list` and `explain` write ndjson too: one object per rule, one per explained line.
@Suite struct CommandNDJSONTests {
  func objects(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  @Test func rulesListIsOneRulePerLine() throws {
    let nd = try run(["rules", "list", "--format", "ndjson"])
    let json = try run(["rules", "list", "--format", "json"])
    #expect(nd.status == 0)
    let array = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
    let lines = nd.out.split(separator: "\n")
    #expect(lines.count == array?.count)
    #expect(objects(nd.out).count == lines.count, "every line is one JSON object")
    #expect(objects(nd.out).map { $0["id"] as? String } == array?.map { $0["id"] as? String })
  }

  @Test func explainIsOneLine() throws {
    let r = try run([
      "explain", "--format", "ndjson",
      "2025-06-25 14:58:01,471 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled",
    ])
    #expect(r.status == 0)
    let objs = objects(r.out)
    #expect(r.out.split(separator: "\n").count == 1 && objs.count == 1)
    #expect(objs.first?["format"] as? String == "cloud-init")
  }
}
