import Foundation
import Testing

@testable import InitLensKit

/// µs of an ISO 8601 time as reports write it (tests build model values from readable times).
func wireTime(_ iso: String) -> Int64 {
  guard let t = WireTime.parse(iso) else { fatalError("not an ISO time: \(iso)") }
  return t
}

/// The report's one wire format (Report/Wire/): what is written reads back to the same report, old
/// reports still read, times survive the trip to the microsecond.
@Suite struct WireTests {
  /// Every sample report, written and read back, writes the same bytes again.
  @Test(arguments: GoldenTests.scenarios)
  func samplesRoundTrip(_ scenario: String) throws {
    let report = try GoldenTests.report(scenario)
    let json = JSONRenderer.bytes(report)
    let back = try Report.decode(Data(json))
    #expect(JSONRenderer.bytes(back) == json)
    #expect(back.hosts.map(\.host) == report.hosts.map(\.host))
    #expect(back.hosts.flatMap(\.boots).map(\.start) == report.hosts.flatMap(\.boots).map(\.start))
  }

  @Test func fleetReportsRoundTrip() throws {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let (bundles, _) = BundleFinder.bundles(in: [fx.root.path])
    let (reports, errors) = FleetRunner(rules: repoRules, options: AnalyzerOptions()).run(bundles, jobs: 2)
    let report = Report.combine(reports, bundles: bundles.count, bundleErrors: errors)
    let json = JSONRenderer.bytes(report)
    let back = try Report.decode(Data(json))
    #expect(back.fleet == report.fleet)
    #expect(JSONRenderer.bytes(back) == json)
    // A merge of the decoded report is the report (what `initlens merge` of one shard does).
    let merged = Report.combine([back], bundles: report.fleet!.bundles, bundleErrors: report.fleet!.bundleErrors)
    #expect(JSONRenderer.bytes(merged) == json)
  }

  @Test func timesReadBackExactly() {
    let times: [Int64] = [
      0, 1, 999, 1_000, 1_737_537_248_740_000, 1_737_537_248_740_123, -1, -86_400_000_001,
      Timestamp.micros(year: 12025, month: 1, day: 2, hour: 3, minute: 4, second: 5),
      Timestamp.micros(year: -3, month: 12, day: 31, hour: 23, minute: 59, second: 59, micro: 5),
    ]
    for t in times {
      var w = JSONWriter()
      w.time(t)
      let text = String(decoding: w.out, as: UTF8.self)
      #expect(text == "\"" + Timestamp.iso(t) + "\"")
      #expect(WireTime.parse(Timestamp.iso(t)) == t, "\(Timestamp.iso(t))")
    }
    #expect(WireTime.parse("2025-01-22T09:14:08.740+01:00") == wireTime("2025-01-22T08:14:08.740Z"))
    #expect(WireTime.parse("yesterday") == nil)
    #expect(WireTime.parse("2025-01-22T09:14:08.74Z") == wireTime("2025-01-22T09:14:08.740Z"))
    var w = JSONWriter()
    w.time(nil)
    #expect(String(decoding: w.out, as: UTF8.self) == "null")
  }

  /// Reports written before `unmatched` and incident families existed still decode; a time that is
  /// not one is an error, not a silent nil.
  @Test func oldReportsDecode() throws {
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(JSONRenderer.bytes(try GoldenTests.report("imds-503"))))
        as? [String: Any])
    object["unmatched"] = nil
    var hosts = try #require(object["hosts"] as? [[String: Any]])
    var boots = try #require(hosts[0]["boots"] as? [[String: Any]])
    var incidents = try #require(boots[0]["incidents"] as? [[String: Any]])
    #expect(!incidents.isEmpty)
    for i in incidents.indices { incidents[i]["family"] = nil }
    boots[0]["incidents"] = incidents
    hosts[0]["boots"] = boots
    object["hosts"] = hosts
    let old = try Report.decode(JSONSerialization.data(withJSONObject: object))
    #expect(old.unmatched.isEmpty)
    let decoded = old.hosts[0].boots[0].incidents
    #expect(decoded.map(\.familyName) == decoded.map { Families.fallback(kind: $0.kind) })

    boots[0]["start"] = "not a time"
    hosts[0]["boots"] = boots
    object["hosts"] = hosts
    #expect(throws: DecodingError.self) { try Report.decode(JSONSerialization.data(withJSONObject: object)) }
  }

  /// NDJSON lines are the report's objects, compact.
  @Test func compactWriter() throws {
    let report = try GoldenTests.report("imds-503")
    let incident = try #require(report.hosts.first?.boots.first?.incidents.first)
    let line = NDJSONRenderer.line(incident: incident, host: "h", boot: "b")
    #expect(!line.contains("\n") && !line.contains("\": "))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    let inner = try #require(object["incident"] as? [String: Any])
    #expect(inner["first"] as? String == incident.first.map(Timestamp.iso))
    #expect(object["type"] as? String == "incident" && object["host"] as? String == "h")
  }

  @Test func escaping() {
    var w = JSONWriter()
    w.string("a\"b\\c\nd\u{1}é/")
    #expect(String(decoding: w.out, as: UTF8.self) == #""a\"b\\c\nd\u0001é/""#)
  }
}
