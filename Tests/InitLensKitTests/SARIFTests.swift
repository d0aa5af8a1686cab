import Foundation
import Testing

@testable import InitLensKit

/// `--format sarif`: valid against the official SARIF 2.1.0 schema (OASIS, errata 01:
/// Fixtures/sarif-schema-2.1.0.json, checked with python3's `jsonschema`), one result per incident and
/// per root cause at the evidence's file and line, and one reporting descriptor per rule.
@Suite(.serialized) struct SARIFTests {
  static let schema = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/sarif-schema-2.1.0.json")

  /// The schema check runs python3's `jsonschema` through bash.
  static let validatorAvailable = Requirement.tools("bash") && Requirement.pythonModule("jsonschema")
  static let noValidator = "needs bash, python3 and its jsonschema module (pip install jsonschema)"

  /// Validates `sarif` against the schema with python3 + jsonschema; nil when valid, else the errors.
  static func schemaErrors(_ sarif: String) throws -> String? {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-\(UUID().uuidString).sarif")
    try sarif.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let script = """
      import json, sys
      try:
          import jsonschema
      except ImportError:
          print("MISSING: python3 module jsonschema (pip install jsonschema)"); sys.exit(0)
      schema = json.load(open(sys.argv[1]))
      cls = jsonschema.validators.validator_for(schema)
      cls.check_schema(schema)
      errors = list(cls(schema).iter_errors(json.load(open(sys.argv[2]))))
      for e in errors[:10]:
          print("/".join(map(str, e.absolute_path)) + ": " + e.message)
      print("OK" if not errors else "INVALID")
      """
    let out = try shell(
      "python3 -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))' '\(schema.path)' '\(file.path)' 2>&1")
    if out.hasSuffix("OK\n") { return nil }
    return out.isEmpty ? "python3 is missing (CI: apt-get install python3 && pip install jsonschema)" : out
  }

  static func parse(_ sarif: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
  }

  static func run0(_ log: [String: Any]) throws -> [String: Any] {
    let runs = try #require(log["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    return try #require(runs.first)
  }

  @Test func schemaFixtureIsTheOfficialOne() throws {
    let schema = try Self.parse(String(contentsOf: Self.schema, encoding: .utf8))
    #expect(schema["id"] as? String == SARIFRenderer.schemaURI)
    #expect(schema["title"] as? String == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema")
  }

  /// The check itself rejects what the schema forbids (so a pass means something).
  @Test(.requires(validatorAvailable, noValidator)) func validatorRejectsInvalidSARIF() throws {
    let report = try GoldenTests.report("imds-503")
    let good = SARIFRenderer(toolVersion: "1").render(report)
    #expect(try Self.schemaErrors(good) == nil)
    for (from, to) in [
      ("\"level\": \"error\"", "\"level\": \"fatal\""), ("\"startLine\": 2", "\"startLine\": 0"),
      ("\"version\": \"2.1.0\"", "\"version\": \"2.0.0\""),
    ] {
      #expect(good.contains(from))
      let errors = try Self.schemaErrors(good.replacingOccurrences(of: from, with: to))
      #expect(errors?.contains("INVALID") == true, "\(to) passed the schema: \(errors ?? "")")
    }
  }

  @Test(.requires(validatorAvailable, noValidator), arguments: GoldenTests.scenarios)
  func samplesAreValidSARIF(_ scenario: String) throws {
    let report = try GoldenTests.report(scenario)
    let sarif = SARIFRenderer(toolVersion: "9.9.9").render(report)
    #expect(sarif == SARIFRenderer(toolVersion: "9.9.9").render(report))
    let errors = try Self.schemaErrors(sarif)
    #expect(errors == nil, "\(scenario): not valid SARIF 2.1.0: \(errors ?? "")")
    try Self.checkStructure(Self.parse(sarif), report: report)
  }

  /// One result per incident (then per root cause) in report order, at the first evidence line, whose
  /// file exists and holds that line; one descriptor per rule, each used.
  static func checkStructure(_ log: [String: Any], report: Report) throws {
    #expect(log["version"] as? String == "2.1.0")
    #expect(log["$schema"] as? String == SARIFRenderer.schemaURI)
    let run = try run0(log)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "initlens")
    #expect(driver["version"] as? String == "9.9.9")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let ruleIDs = rules.map { $0["id"] as! String }
    #expect(Set(ruleIDs).count == ruleIDs.count, "a rule is listed twice: \(ruleIDs)")
    let results = try #require(run["results"] as? [[String: Any]])

    var expected: [(rule: String, host: String, boot: String, evidence: Evidence?, level: String)] = []
    for host in report.hosts {
      for boot in host.boots {
        for i in boot.incidents {
          expected.append((i.rule, host.host, boot.boot, i.evidence.first, SARIFRenderer.level(i.severity)))
        }
        for c in boot.rootCauses {
          let severity = boot.incidents.first { $0.kind == c.cause }?.severity ?? .error
          expected.append((c.id, host.host, boot.boot, c.evidence.first, SARIFRenderer.level(severity)))
        }
      }
    }
    #expect(results.count == report.summary.incidents + report.summary.rootCauses)
    #expect(results.count == expected.count)
    for (result, want) in zip(results, expected) {
      #expect(result["ruleId"] as? String == want.rule)
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(ruleIDs[index] == want.rule)
      #expect(result["level"] as? String == want.level)
      let properties = try #require(result["properties"] as? [String: Any])
      #expect(properties["host"] as? String == want.host)
      #expect(properties["boot"] as? String == want.boot)
      guard let evidence = want.evidence else { continue }
      let location = try #require((result["locations"] as? [[String: Any]])?.first)
      let physical = try #require(location["physicalLocation"] as? [String: Any])
      let region = try #require(physical["region"] as? [String: Any])
      #expect(region["startLine"] as? Int == evidence.line)
      let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
      #expect(uri.removingPercentEncoding == evidence.file)
      // The location is a real line of a real file, holding the evidence text.
      let lines = try String(
        contentsOf: Repo.root.appendingPathComponent(uri.removingPercentEncoding!), encoding: .utf8
      )
      .split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count >= evidence.line)
      // Evidence shows the line without terminal escapes; of journal JSON, `IDENTIFIER: MESSAGE`.
      let line = String(lines[evidence.line - 1])
      if line.hasPrefix("{"),
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let message = object["MESSAGE"] as? String, let ident = object["SYSLOG_IDENTIFIER"] as? String
      {
        #expect(evidence.text == ident + ": " + Escapes.stripped(message))
      } else {
        #expect(Escapes.stripped(line).contains(evidence.text))
      }
    }
    #expect(Set(results.map { $0["ruleId"] as! String }) == Set(ruleIDs), "every descriptor is used")

    // Incident descriptors carry the rule's metadata from the report.
    for host in report.hosts {
      for incident in host.boots.flatMap(\.incidents) {
        let d = try #require(rules.first { $0["id"] as? String == incident.rule })
        #expect((d["shortDescription"] as? [String: Any])?["text"] as? String == incident.title)
        #expect(d["name"] as? String == incident.kind)
        let props = try #require(d["properties"] as? [String: Any])
        #expect(props["kind"] as? String == incident.kind)
        #expect(props["severity"] as? String == incident.severity.rawValue)
        if let first = incident.references.first { #expect(d["helpUri"] as? String == first) }
        let help = (d["help"] as? [String: Any])?["text"] as? String
        #expect(help?.isEmpty == false)
      }
    }
  }

  @Test func incidentResultCarriesFixCountAndRootCause() throws {
    let report = try GoldenTests.report("imds-503")
    let log = try Self.parse(SARIFRenderer(toolVersion: "1").render(report))
    let results = try #require(try Self.run0(log)["results"] as? [[String: Any]])
    let incident = report.hosts[0].boots[0].incidents[0]
    let first = results[0]
    let text = try #require((first["message"] as? [String: Any])?["text"] as? String)
    #expect(text.contains(incident.title) && text.contains("\(incident.count) lines") && text.contains(incident.fix))
    let properties = try #require(first["properties"] as? [String: Any])
    #expect(properties["count"] as? Int == incident.count)
    #expect(properties["kind"] as? String == "imds-503")
    #expect(properties["rootCause"] as? String == "imds-503-not-retried")
    #expect(properties["first"] as? String == incident.first.map(Timestamp.iso))
    #expect((first["relatedLocations"] as? [[String: Any]])?.count == incident.evidence.count - 1)
    // The root cause is a result of its own, with its chain as the rule.
    let cause = try #require(results.last)
    #expect(cause["ruleId"] as? String == "imds-503-not-retried")
    #expect((cause["properties"] as? [String: Any])?["kind"] as? String == "root-cause")
  }

  @Test func levelsFollowSeverity() {
    #expect(SARIFRenderer.level(.critical) == "error")
    #expect(SARIFRenderer.level(.error) == "error")
    #expect(SARIFRenderer.level(.warning) == "warning")
    #expect(SARIFRenderer.level(.info) == "note")
  }

  @Test func fileNamesBecomeURIReferences() {
    #expect(SARIFRenderer.uri("<stdin>") == "stdin")
    #expect(SARIFRenderer.uri("/var/log/cloud-init.log") == "file:///var/log/cloud-init.log")
    #expect(SARIFRenderer.uri("my logs/a:b.log") == "my%20logs/a%3Ab.log")
    #expect(SARIFRenderer.uri("x:y") == "x%3Ay")  // never read as a scheme
    #expect(SARIFRenderer.uri("é.log") == "%C3%A9.log")
    #expect(SARIFRenderer.archiveMember("a/b.tar.gz:logs/x.log")! == ("a/b.tar.gz", "logs/x.log"))
    #expect(SARIFRenderer.archiveMember("A.TGZ:x")! == ("A.TGZ", "x"))
    #expect(SARIFRenderer.archiveMember("a/b.log") == nil)
  }

  /// Standard input and odd file names still give valid SARIF.
  @Test(.requires(validatorAvailable, noValidator)) func stdinAndOddNamesAreValid() throws {
    let r = try run(["--format", "sarif"], stdin: Data(EndToEndTests.imds503.utf8))
    #expect(r.status == 0, "\(r.err)")
    let errors = try Self.schemaErrors(r.out)
    #expect(errors == nil, "stdin: \(errors ?? "")")
    let sarifRun = try Self.run0(Self.parse(r.out))
    let uris = Set(
      (sarifRun["results"] as! [[String: Any]]).compactMap {
        (((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"])
          as? [String: Any])?["uri"] as? String
      })
    #expect(uris == ["stdin"])

    // --evidence 0: results without a location are still valid.
    let bare = try run(["--format", "sarif", "--evidence", "0"] + GoldenTests.inputs("imds-503"))
    #expect(bare.status == 0, "\(bare.err)")
    #expect(try Self.schemaErrors(bare.out) == nil)
    #expect(!bare.out.contains("\"locations\""))
    #expect(bare.out.contains("\"ruleId\": \"imds-token-503\""))

    let set = rules(rule(id: "r", kind: "k", severity: "info", pattern: "boom", match: "boom"))
    let (report, _) = analyze([("/abs dir/a:b <c>.log", "boom\n"), ("rel:x.log", "boom\n")], rules: set)
    let sarif = SARIFRenderer(toolVersion: "1").render(report)
    let errors2 = try Self.schemaErrors(sarif)
    #expect(errors2 == nil, "odd names: \(errors2 ?? "")")
    #expect(sarif.contains("\"uri\": \"file:///abs%20dir/a%3Ab%20%3Cc%3E.log\""))
    #expect(sarif.contains("\"uri\": \"rel%3Ax.log\""))
    #expect(sarif.contains("\"level\": \"note\""))
  }

  /// The sample fleet through the CLI: valid, and archive members are nested artifacts of their archive.
  @Test(.requires(validatorAvailable, noValidator)) func fleetIsValidWithNestedArtifacts() throws {
    let r = try run(["fleet", "samples/fleet", "--format", "sarif"])
    #expect(r.status == 0, "\(r.err)")
    let errors = try Self.schemaErrors(r.out)
    #expect(errors == nil, "fleet: \(errors ?? "")")
    let sarifRun = try Self.run0(Self.parse(r.out))
    let artifacts = try #require(sarifRun["artifacts"] as? [[String: Any]])
    let nested = artifacts.filter { $0["parentIndex"] != nil }
    #expect(!nested.isEmpty)
    for a in nested {
      let parent = artifacts[a["parentIndex"] as! Int]
      let parentURI = try #require((parent["location"] as? [String: Any])?["uri"] as? String)
      #expect(parentURI.hasSuffix(".tar.gz") || parentURI.hasSuffix(".tgz"))
      #expect(FileManager.default.fileExists(atPath: Repo.root.appendingPathComponent(parentURI).path))
    }
    let report = try JSONDecoder().decode(
      Report.self, from: Data(contentsOf: Repo.root.appendingPathComponent("samples/fleet/expected.json")))
    let results = try #require(sarifRun["results"] as? [[String: Any]])
    #expect(results.count == report.summary.incidents + report.summary.rootCauses)
    // Every location's index names an artifact with the same uri.
    for result in results {
      for location in (result["locations"] as? [[String: Any]] ?? []) {
        let artifact = (location["physicalLocation"] as! [String: Any])["artifactLocation"] as! [String: Any]
        let entry = artifacts[artifact["index"] as! Int]
        #expect((entry["location"] as? [String: Any])?["uri"] as? String == artifact["uri"] as? String)
      }
    }
    // merge gives the same SARIF as the run.
    let merged = try run(["merge", "samples/fleet/expected.json", "--format", "sarif"])
    #expect(merged.out == r.out)
  }
}
