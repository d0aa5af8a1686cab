import Foundation
import Testing

@testable import InitLensKit

/// Families of kinds (rules/README.md, "Families"): every line rule names the contract kind its kind
/// refines, the checker holds the rule files to it, and every report format carries it.
@Suite(.serialized) struct FamilyTests {
  static let cloudInitLog = """
    2014-05-12 14:27:56,100 - util.py[DEBUG]: Cloud-init v. 0.7.5 running 'init' at Mon, 12 May 2014 14:27:56 +0000. Up 5.10 seconds.
    2014-05-12 14:29:56,689 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/2009-04-04/meta-data/instance-id' failed [99/120s]: request error [[Errno 113] No route to host]

    """
  static let ecsAgentLog = """
    2014-05-12T14:31:48Z [ERROR] Unable to register as a container instance with ECS: ClientException: Cluster not found.

    """

  static func dir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-family-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func inputs() throws -> [String] {
    let d = try dir()
    let a = d.appendingPathComponent("cloud-init.log")
    let b = d.appendingPathComponent("ecs-agent.log")
    try cloudInitLog.write(to: a, atomically: true, encoding: .utf8)
    try ecsAgentLog.write(to: b, atomically: true, encoding: .utf8)
    return [a.path, b.path]
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func incidents(_ report: [String: Any]) -> [[String: Any]] {
    ((report["hosts"] as? [[String: Any]]) ?? []).flatMap { ($0["boots"] as? [[String: Any]]) ?? [] }
      .flatMap { ($0["incidents"] as? [[String: Any]]) ?? [] }
  }

  // MARK: - The rule set

  @Test func everyBuiltinLineRuleHasAValidFamily() throws {
    let (set, diags) = RuleSet.load([.embedded])
    #expect(diags.filter { $0.level == .error }.isEmpty, "\(diags)")
    let contract = Set(Rule.contractKinds)
    #expect(contract.count == 8)
    var familyOf: [String: String] = [:]
    for rule in set.rules {
      if rule.isEvent {
        #expect(rule.family == nil, "\(rule.id)")
        continue
      }
      let family = try #require(rule.family, "\(rule.id) has no family")
      if contract.contains(rule.kind) { #expect(family == rule.kind, "\(rule.id)") }
      #expect(contract.contains(family) || family == rule.kind, "\(rule.id): \(family)")
      if let other = familyOf[rule.kind] { #expect(other == family, "\(rule.id)") }
      familyOf[rule.kind] = family
    }
    #expect(familyOf["network-unreachable"] == "imds-unreachable")
    #expect(familyOf["docker-unavailable"] == "ecs-agent-failed")
    #expect(familyOf["ecs-cluster-not-found"] == "ecs-registration-failed")
    #expect(familyOf["disk-full"] == "disk-full")
    // Every contract kind is raised by some rule, and is its own family.
    for kind in contract { #expect(familyOf[kind] == kind, "\(kind)") }
    // The text scan reports read old files with agrees with the loader.
    #expect(Families.builtin == familyOf)
  }

  static let clusterRule = try! String(
    contentsOfFile: Repo.rules + "/ecs-agent/ecs-cluster-not-found.yaml", encoding: .utf8)

  static func variant(_ id: String, family: String?, kind: String? = nil) -> String {
    var lines = clusterRule.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines = lines.compactMap { line in
      if line.hasPrefix("id: ") { return "id: \(id)" }
      if line.hasPrefix("kind: "), let kind { return "kind: \(kind)" }
      if line.hasPrefix("family: ") { return family.map { "family: \($0)" } }
      return line
    }
    return lines.joined(separator: "\n")
  }

  @Test func checkerRejectsMissingUnknownAndConflictingFamilies() throws {
    let d = try Self.dir()
    defer { try? FileManager.default.removeItem(at: d) }
    let files: [(String, String)] = [
      ("no-family", Self.variant("no-family", family: nil)),
      ("new-kind-no-family", Self.variant("new-kind-no-family", family: nil, kind: "brand-new-kind")),
      ("contract-no-family", Self.variant("contract-no-family", family: nil, kind: "imds-503")),
      ("bad-family", Self.variant("bad-family", family: "docker-unavailable")),
      ("contract-elsewhere", Self.variant("contract-elsewhere", family: "imds-unreachable", kind: "imds-503")),
      ("other-family", Self.variant("other-family", family: "ecs-agent-failed")),
      ("own-kind", Self.variant("own-kind", family: "my-own-kind", kind: "my-own-kind")),
    ]
    for (id, text) in files {
      try text.write(to: d.appendingPathComponent(id + ".yaml"), atomically: true, encoding: .utf8)
    }
    let r = try run(["rules", "check", "--rules", d.path])
    #expect(r.status == 2)
    let lines = r.err.split(separator: "\n").map(String.init)
    func line(_ id: String) -> String? { lines.first { $0.contains("/\(id).yaml:") && $0.contains("[\(id)]") } }
    #expect(
      line("no-family")?.hasSuffix(
        "/no-family.yaml:1:1: error: [no-family] missing required field 'family': add the line 'family: ecs-registration-failed' (the family of kind 'ecs-cluster-not-found' in the other rules)"
      ) == true, "\(r.err)")
    #expect(line("new-kind-no-family")?.contains("add the line 'family: <contract kind>'") == true)
    #expect(line("new-kind-no-family")?.contains("or 'family: brand-new-kind' when it refines none") == true)
    #expect(line("contract-no-family")?.contains("add the line 'family: imds-503'") == true)
    #expect(line("bad-family")?.contains(".yaml:3:9: error: [bad-family] unknown family 'docker-unavailable'") == true)
    #expect(
      line("contract-elsewhere")?.contains(
        "kind 'imds-503' is a contract kind, so its family must be itself: write 'family: imds-503'") == true)
    #expect(
      line("other-family")?.contains(
        ":3:9: error: [other-family] family 'ecs-agent-failed' differs from 'family: ecs-registration-failed' of rule ecs-cluster-not-found"
      ) == true, "\(r.err)")
    #expect(line("own-kind") == nil, "a kind that refines none is its own family: \(r.err)")
    // An event rule has no family.
    let event = """
      id: ev
      kind: ev
      family: ev
      title: an event
      event: true
      source: any
      pattern: 'started'
      examples:
        match: ['started']
        no-match: ['stopped']
      """
    let (rule, diags) = RuleLoader.load(RuleFile(path: "ev.yaml", text: event))
    #expect(rule == nil)
    #expect(
      diags.map(\.description) == [
        "ev.yaml:3:9: error: [ev] an event rule raises no incident, so it has no 'family': remove the line"
      ])
  }

  // MARK: - Reports

  @Test func everyFormatCarriesTheFamily() throws {
    let files = try Self.inputs()
    let json = try run(["--format", "json"] + files)
    #expect(json.status == 0, "\(json.err)")
    let incidents = Self.incidents(try Self.json(json.out))
    let byKind = Dictionary(
      incidents.map { ($0["kind"] as! String, $0["family"] as? String) }, uniquingKeysWith: { a, _ in a })
    #expect(byKind["network-unreachable"] == "imds-unreachable")
    #expect(byKind["ecs-cluster-not-found"] == "ecs-registration-failed")

    let ndjson = try run(["--format", "ndjson"] + files)
    let lines = try ndjson.out.split(separator: "\n").map { try Self.json(String($0)) }
    let ndIncidents = lines.filter { $0["type"] as? String == "incident" }.compactMap {
      $0["incident"] as? [String: Any]
    }
    #expect(ndIncidents.count == 2)
    #expect(ndIncidents.allSatisfy { ($0["family"] as? String) == byKind[$0["kind"] as! String]! })

    let sarif = try Self.json(try run(["--format", "sarif"] + files).out)
    let runObj = try #require((sarif["runs"] as? [[String: Any]])?.first)
    let results = (runObj["results"] as? [[String: Any]]) ?? []
    let families = results.compactMap { ($0["properties"] as? [String: Any])?["family"] as? String }.sorted()
    #expect(families == ["ecs-registration-failed", "imds-unreachable"])
    let driver = (runObj["tool"] as? [String: Any])?["driver"] as? [String: Any]
    let ruleProps = ((driver?["rules"] as? [[String: Any]]) ?? []).compactMap { $0["properties"] as? [String: Any] }
    #expect(
      ruleProps.contains {
        $0["kind"] as? String == "network-unreachable" && $0["family"] as? String == "imds-unreachable"
      })

    let junit = try run(["--format", "junit", "--fail-on", "warning"] + files)
    #expect(junit.out.contains("network-unreachable (imds-unreachable)"))
    #expect(junit.out.contains("ecs-cluster-not-found (ecs-registration-failed)"))

    let text = try run(files)
    #expect(text.out.contains("network-unreachable (imds-unreachable)"))
    // The incident row cuts its title to the width (100 when piped): the family follows the kind.
    #expect(text.out.contains("ecs-cluster-not-found (ecs-registration-failed)"))

    let html = try run(["--format", "html"] + files)
    #expect(
      html.out.contains(
        "<code>network-unreachable</code> <span class=\"family\">(<code>imds-unreachable</code>)</span>"))

    // A kind that is its own family is shown once.
    #expect(!text.out.contains("(network-unreachable)"))
  }

  @Test func fleetMergeAndDiffReadTheFamilyBackAndOldReportsStillLoad() throws {
    let files = try Self.inputs()
    let d = try Self.dir()
    defer { try? FileManager.default.removeItem(at: d) }
    let report = d.appendingPathComponent("new.json")
    #expect(try run(["--format", "json", "-o", report.path] + files).status == 0)

    // A report written before families existed: no "family" anywhere.
    var old = try Self.json(try String(contentsOf: report, encoding: .utf8))
    func strip(_ value: Any) -> Any {
      if var map = value as? [String: Any] {
        map.removeValue(forKey: "family")
        return map.mapValues(strip)
      }
      if let list = value as? [Any] { return list.map(strip) }
      return value
    }
    old = strip(old) as! [String: Any]
    let oldURL = d.appendingPathComponent("old.json")
    try JSONSerialization.data(withJSONObject: old, options: [.sortedKeys]).write(to: oldURL)
    #expect(!(try String(contentsOf: oldURL, encoding: .utf8)).contains("\"family\":"))

    for input in [report, oldURL] {
      let merged = try run(["merge", "--format", "json", input.path])
      #expect(merged.status == 0, "\(merged.err)")
      let m = try Self.json(merged.out)
      let families = Self.incidents(m).compactMap { $0["family"] as? String }.sorted()
      #expect(families == ["ecs-registration-failed", "imds-unreachable"], "\(input.lastPathComponent)")
      let groups = ((m["fleet"] as? [String: Any])?["incidents"] as? [[String: Any]]) ?? []
      #expect(
        groups.map { "\($0["id"]!)=\($0["family"] ?? "-")" }.sorted() == [
          "ecs-cluster-not-found=ecs-registration-failed", "network-unreachable=imds-unreachable",
        ])
      let nd = try run(["merge", "--format", "ndjson", input.path])
      #expect(nd.out.contains("\"family\":\"imds-unreachable\",\"firstSeen\""))
    }

    let empty = d.appendingPathComponent("empty.json")
    let emptyLog = d.appendingPathComponent("empty.log")
    try "".write(to: emptyLog, atomically: true, encoding: .utf8)
    #expect(try run(["--format", "json", "-o", empty.path, emptyLog.path]).status == 0)
    let grown = try run(["diff", "--format", "json", empty.path, oldURL.path])
    #expect(grown.status == 0, "\(grown.err)")
    let entries = (((try Self.json(grown.out))["incidents"] as? [String: Any])?["new"] as? [[String: Any]]) ?? []
    #expect(
      entries.map { "\($0["id"]!)=\($0["family"] ?? "-")" }.sorted() == [
        "ecs-cluster-not-found=ecs-registration-failed", "network-unreachable=imds-unreachable",
      ])
    let diffText = try run(["diff", empty.path, report.path])
    #expect(diffText.out.contains("network-unreachable (imds-unreachable)"))
  }

  @Test func rulesListShowsTheFamily() throws {
    let list = try run(["rules", "list", "--format", "json"])
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
    let noRoute = try #require(entries.first { $0["id"] as? String == "imds-no-route" })
    #expect(noRoute["family"] as? String == "imds-unreachable")
    let event = try #require(entries.first { $0["id"] as? String == "ecs-registered" })
    #expect(event["family"] is NSNull)
    let text = try run(["rules", "list"])
    #expect(text.out.split(separator: "\n").first?.contains("KIND") == true)
    let row = text.out.split(separator: "\n").first { $0.hasPrefix("imds-no-route ") }
    #expect(
      row.map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(3) } == [
        "imds-no-route", "network-unreachable", "imds-unreachable",
      ])
  }
}
