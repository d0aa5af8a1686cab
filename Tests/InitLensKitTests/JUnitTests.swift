import Foundation
import Testing

@testable import InitLensKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `--format junit`: one test case per host, failed when it has an incident at or above `--fail-on`;
/// well-formed XML whatever the host names and log lines hold.
@Suite(.serialized) struct JUnitTests {
  static func parse(_ xml: String) throws -> XMLDocument { try XMLDocument(xmlString: xml, options: []) }

  static func cases(_ doc: XMLDocument) throws -> [XMLElement] {
    try doc.nodes(forXPath: "/testsuites/testsuite/testcase").compactMap { $0 as? XMLElement }
  }

  static func attribute(_ e: XMLElement?, _ name: String) -> String? { e?.attribute(forName: name)?.stringValue }

  static func sampleFleet() throws -> Report {
    try JSONDecoder().decode(
      Report.self, from: Data(contentsOf: Repo.root.appendingPathComponent("samples/fleet/expected.json")))
  }

  @Test(arguments: [Severity.info, .warning, .error, .critical])
  func oneCasePerHostFailedAtTheThreshold(_ threshold: Severity) throws {
    let report = try Self.sampleFleet()
    let doc = try Self.parse(JUnitRenderer(failOn: threshold).render(report))
    let cases = try Self.cases(doc)
    #expect(cases.map { Self.attribute($0, "name") } == report.hosts.map(\.host))
    #expect(cases.allSatisfy { Self.attribute($0, "classname") == "initlens.host" })
    var failing = 0
    for (element, host) in zip(cases, report.hosts) {
      let bad = host.boots.flatMap(\.incidents).filter { $0.severity >= threshold }
      let failure = element.elements(forName: "failure").first
      #expect((failure != nil) == !bad.isEmpty, "\(host.host) at \(threshold)")
      guard let failure else { continue }
      failing += 1
      #expect(Self.attribute(failure, "type") == bad.map(\.severity).max()!.rawValue)
      let message = try #require(Self.attribute(failure, "message"))
      #expect(message.hasPrefix("\(bad.count) incident"))
      for incident in bad {
        #expect(message.contains(incident.kind))
        let body = failure.stringValue ?? ""
        #expect(body.contains(incident.title) && body.contains(incident.fix))
        if let cause = incident.rootCause { #expect(body.contains("root cause: \(cause)")) }
      }
    }
    let suite = try #require(doc.rootElement()?.elements(forName: "testsuite").first)
    #expect(Self.attribute(suite, "name") == "initlens fleet")
    #expect(Self.attribute(suite, "tests") == String(report.hosts.count))
    #expect(Self.attribute(suite, "failures") == String(failing))
    #expect(Self.attribute(doc.rootElement(), "failures") == String(failing))
    if threshold == .error { #expect(failing == 5) }
    if threshold == .critical { #expect(failing == 2) }
  }

  @Test func hostileNamesAndTextAreEscaped() throws {
    let host = "a<b>&\"c'\u{1B}[31m\u{7}\r\n\tz"
    let text = "line ]]> <tag attr=\"x\"> & \u{0}\u{1F} \u{FFFE}"
    let incident = Incident(
      kind: "k<&>", rule: "r", rules: ["r"], title: "title \"q\" <b>", severity: .error, source: .other,
      first: nil, last: nil, count: 2, captures: [:], fix: "fix & \(text)", references: [],
      evidence: [Evidence(file: "f&<.log", line: 3, text: text)], rootCause: "cause\u{1B}")
    let boot = BootReport(boot: "b'1", start: nil, versions: [:], incidents: [incident])
    var report = Report(summary: Summary(), inputs: [], hosts: [HostReport(host: host, boots: [boot])])
    report.fleet = FleetSection(
      bundles: 2, bundleErrors: [BundleError(bundle: "bad<&>.tgz", message: "cannot \"read\"\u{1B}")], hosts: 1,
      affectedHosts: 1, healthyHosts: 0, rootCauses: [], incidents: [], versions: [:], incidentsOverTime: [])
    let xml = JUnitRenderer().render(report)
    #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    let doc = try Self.parse(xml)
    let cases = try Self.cases(doc)
    #expect(cases.count == 2)
    // The parser gives back the name, control characters written as \xNN.
    #expect(Self.attribute(cases[0], "name") == "a<b>&\"c'\\x1B[31m\\x07\r\n\tz")
    let failure = try #require(cases[0].elements(forName: "failure").first)
    #expect(Self.attribute(failure, "message") == "1 incident at or above error: k<&>")
    let body = try #require(failure.stringValue)
    #expect(body.contains("title \"q\" <b>"))
    #expect(body.contains("line ]]> <tag attr=\"x\"> & \\x00\\x1F \\uFFFE"))
    #expect(body.contains("root cause: cause\\x1B"))
    #expect(body.contains("f&<.log:3"))
    #expect(Self.attribute(cases[1], "classname") == "initlens.bundle")
    #expect(Self.attribute(cases[1], "name") == "bad<&>.tgz")
    let error = try #require(cases[1].elements(forName: "error").first)
    #expect(Self.attribute(error, "message") == "cannot \"read\"\\x1B")
    #expect(Self.attribute(doc.rootElement(), "errors") == "1")
    #expect(Self.attribute(doc.rootElement(), "tests") == "2")
  }

  @Test func singleInstanceReportHasOneCase() throws {
    let report = try GoldenTests.report("healthy")
    let doc = try Self.parse(JUnitRenderer().render(report))
    let cases = try Self.cases(doc)
    #expect(cases.count == report.hosts.count)
    #expect(cases.allSatisfy { $0.elements(forName: "failure").isEmpty })
    #expect(Self.attribute(doc.rootElement()?.elements(forName: "testsuite").first, "name") == "initlens")
  }

  /// The CLI passes `--fail-on` as the threshold; `fleet`, `merge` and `analyze` all write JUnit.
  @Test func cliUsesFailOn() throws {
    let critical = try run(["fleet", "samples/fleet", "--format", "junit", "--fail-on", "critical"])
    #expect(critical.status == 1, "\(critical.err)")
    #expect(try Self.cases(Self.parse(critical.out)).filter { !$0.elements(forName: "failure").isEmpty }.count == 2)
    let byDefault = try run(["fleet", "samples/fleet", "--format", "junit"])
    #expect(byDefault.status == 0, "\(byDefault.err)")
    #expect(try Self.cases(Self.parse(byDefault.out)).filter { !$0.elements(forName: "failure").isEmpty }.count == 5)
    let merged = try run(["merge", "samples/fleet/expected.json", "--format", "junit", "--fail-on", "critical"])
    #expect(merged.status == 1)
    #expect(merged.out == critical.out)
    let single = try run(["--format", "junit"] + GoldenTests.inputs("imds-503"))
    #expect(single.status == 0)
    let cases = try Self.cases(Self.parse(single.out))
    #expect(cases.count == 1 && cases[0].elements(forName: "failure").count == 1)
  }
}
