import Foundation
import Testing

@testable import InitLensKit

/// CloudWatch Logs JSON (Fixtures/cloudwatch, from real logs by `scripts/make-cwl-fixtures`):
/// `filter-log-events` (one document or raw pages one after another), `get-log-events` and Logs Insights
/// `get-query-results` are unwrapped, each log stream read under its name as host, and diagnosed as
/// the files the CloudWatch agent shipped are.
@Suite struct CloudWatchTests {
  static let fixtures = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/cloudwatch").path
  static let realci = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci").path
  static let ecsSample = Repo.root.appendingPathComponent("samples/ecs-warm-pool-404").path
  static let streams = ["i-0fedcba9876543210": "imds-503", "i-0123456789abcdef0": "userdata-exit3"]

  static func read(_ paths: [String], chunk: Int = .max) throws -> (Report, [InputDiagnostic]) {
    let inputs = try paths.map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
    return analyzeInMemory(inputs, chunk: chunk)
  }

  /// What must not change between the shipped files and their CloudWatch JSON: per boot, the
  /// incidents by rule and count, the root causes and the stage times.
  static func diagnosis(_ boots: [BootReport]) -> [String] {
    boots.map { b in
      let kinds = b.incidents.map { "\($0.kind)×\($0.count)" }.sorted()
      let stages = b.stages.map { "\($0.name) \($0.durationSeconds.map { "\($0)" } ?? "-")" }
      return "\(b.boot) \(kinds) \(b.rootCauses.map(\.id)) \(stages)"
    }
  }

  /// Checks that `wrapped` holds one host, `host`, diagnosed as `plain` is.
  static func expectSame(_ wrapped: [HostReport], _ plain: Report, host: String) {
    #expect(!plain.hosts.flatMap(\.boots).flatMap(\.incidents).isEmpty)
    #expect(wrapped.map(\.host) == [host])
    #expect(diagnosis(wrapped.flatMap(\.boots)) == diagnosis(plain.hosts.flatMap(\.boots)), "\(host)")
  }

  @Test(arguments: ["two-streams.filter.json", "two-streams.filter-pages.json"])
  func filterLogEventsIsAHostPerStream(_ file: String) throws {
    let (report, notes) = try Self.read(["\(Self.fixtures)/\(file)"], chunk: 4099)
    #expect(notes.isEmpty, "\(notes)")
    #expect(report.hosts.map(\.host).sorted() == Self.streams.keys.sorted())
    for (id, scenario) in Self.streams {
      let (plain, _) = try Self.read(["\(Self.realci)/\(scenario)/cloud-init.log"])
      Self.expectSame(report.hosts.filter { $0.host == id }, plain, host: id)
    }
    #expect(report.inputs.map(\.name).sorted() == Self.streams.keys.sorted().map { "\(Self.fixtures)/\(file) (\($0))" })
  }

  /// Raw pages, with or without a newline between them, read as the one document the CLI merges them into.
  @Test func pagesOneAfterAnotherAreOneDocument() throws {
    let pages = "\(Self.fixtures)/two-streams.filter-pages.json"
    let text = try String(contentsOfFile: pages, encoding: .utf8)
    #expect(text.contains("}\n{"))
    let glued = Array(text.replacingOccurrences(of: "}\n{", with: "}{").utf8)
    let (merged, _) = try Self.read(["\(Self.fixtures)/two-streams.filter.json"])
    let (split, _) = try Self.read([pages])
    let (gluedReport, notes) = analyzeInMemory([(pages, glued)])
    #expect(notes.isEmpty)
    #expect(gluedReport.hosts == split.hosts)
    #expect(split.hosts.map(\.host) == merged.hosts.map(\.host))
    #expect(Self.diagnosis(split.hosts.flatMap(\.boots)) == Self.diagnosis(merged.hosts.flatMap(\.boots)))
    #expect(split.summary.linesRead == merged.summary.linesRead)
  }

  /// get-log-events names no stream: the host is the default one, as for the plain file.
  @Test func getLogEventsWithoutAnInstanceNameKeepsTheDefaultHost() throws {
    let (wrapped, notes) = try Self.read(["\(Self.fixtures)/cloud-init-output.json"])
    let (plain, _) = try Self.read(["\(Self.realci)/userdata-exit3/cloud-init-output.log"])
    #expect(notes.isEmpty, "\(notes)")
    Self.expectSame(wrapped.hosts, plain, host: try #require(plain.hosts.first?.host))
    #expect(wrapped.summary.linesMatched == plain.summary.linesMatched)
  }

  static let gh2146 = "logs/ecs-agent-gh2146-cluster-not-found-multiline-legacy.log"

  /// A file named after an instance names the host; events of several lines keep their continuations.
  @Test(.requires(Repo.sharedFile(gh2146) != nil, "needs ../shared/\(gh2146)"))
  func getLogEventsNamedAfterAnInstance() throws {
    let (wrapped, notes) = try Self.read(["\(Self.fixtures)/i-0a1b2c3d4e5f60718.ecs-agent.json"])
    let (plain, _) = try Self.read([Repo.shared.appendingPathComponent(Self.gh2146).path])
    #expect(notes.isEmpty, "\(notes)")
    Self.expectSame(wrapped.hosts, plain, host: "i-0a1b2c3d4e5f60718")
    #expect(wrapped.summary.linesRead == plain.summary.linesRead)
  }

  /// Insights rows, newest first, from two log groups: one host, each group read as the file it ships.
  @Test func insightsResultsAreReadInTimeOrder() throws {
    let file = "\(Self.fixtures)/ecs-warm-pool-404.insights.json"
    let (wrapped, notes) = try Self.read([file], chunk: 4099)
    let (plain, _) = try Self.read(["\(Self.ecsSample)/cloud-init.log", "\(Self.ecsSample)/ecs-agent.log"])
    #expect(notes.isEmpty, "\(notes)")
    Self.expectSame(wrapped.hosts, plain, host: "i-0e5a7c2d9b1f34a86")
    #expect(
      wrapped.inputs.map(\.name) == ["/ec2/cloud-init", "/ecs/agent"].map { "\(file) (i-0e5a7c2d9b1f34a86 \($0))" })
    #expect(wrapped.summary.linesRead == plain.summary.linesRead)
  }

  /// The in-memory path (fleet bundles) unwraps as the streaming one does.
  @Test func mappedBytesAreUnwrappedToo() throws {
    let path = "\(Self.fixtures)/ecs-warm-pool-404.insights.json"
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let analyzer = Analyzer(rules: repoRules)
    bytes.withUnsafeBytes { analyzer.analyze(name: path, bytes: $0) }
    let (streamed, _) = try Self.read([path])
    #expect(analyzer.finish().hosts == streamed.hosts)
    #expect(analyzer.diagnostics.isEmpty)
  }

  @Test func aDocumentThatDoesNotParseIsOneError() throws {
    let text = try String(contentsOfFile: "\(Self.fixtures)/cloud-init-output.json", encoding: .utf8)
    let cut = Array(text.utf8.prefix(text.utf8.count / 2))
    let (report, notes) = analyzeInMemory([("cwl.json", cut)])
    #expect(notes.count == 1)
    #expect(notes.allSatisfy { $0.lostInput && $0.file == "cwl.json" && $0.message.contains("CloudWatch Logs JSON") })
    #expect(report.summary.linesRead == 0)
  }

  @Test func theCommandExitsTwoOnABrokenDocument() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cwl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("cwl.json").path
    try Data("{\"events\": [{\"timestamp\": 1, \"message\": \"x\"}".utf8).write(to: URL(fileURLWithPath: file))
    let r = try run([file])
    #expect(r.status == 2)
    let errors = r.err.split(separator: "\n").filter { $0.contains("CloudWatch") }
    #expect(errors.count == 1 && errors.allSatisfy { $0.contains(file) }, "\(r.err)")
  }

  static func isHead(_ s: String) -> Bool { Array(s.utf8).withUnsafeBytes { CloudWatchLogs.isHead($0) } }

  @Test func onlyCloudWatchJSONIsUnwrapped() {
    #expect(Self.isHead("{\n    \"events\": [\n        {\n            \"logStreamName\": \"i-0abc\","))
    #expect(Self.isHead("{\"nextForwardToken\":\"f/3196\",\"events\":[{\"timestamp\":1,\"message\":\"m\"}]}"))
    #expect(Self.isHead("{\n    \"results\": [\n        [\n            {\n                \"field\": \"@timestamp\","))
    #expect(!Self.isHead("{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"events\",\"_HOSTNAME\":\"ip-10-0-1-5\"}"))
    #expect(!Self.isHead("{\"level\":\"info\",\"time\":\"2025-01-01T00:00:00Z\",\"msg\":\"results\"}"))
    #expect(!Self.isHead("{\"status\":\"ok\",\"msg\":\"no list here\"}"))
    #expect(!Self.isHead("{\n    \"InstanceId\": \"i-0abc\",\n    \"Output\": \"events\""))
    #expect(!Self.isHead("2025-06-25 14:58:01,470 - util.py[DEBUG]: {\"events\": []}"))
  }

  @Test func eventsBecomeTailLinesWithTheirContinuations() throws {
    let t = Timestamp.micros(year: 2024, month: 1, day: 15, hour: 10, minute: 23, second: 45, micro: 123_000)
    let named = CloudWatchLogs.Stream(
      name: "i-0abc", group: nil, events: [.init(time: t, message: "first\n\tsecond\n"), .init(time: t, message: "")])
    #expect(
      String(decoding: CloudWatchLogs.tailText(named), as: UTF8.self)
        == "2024-01-15T10:23:45.123000+00:00 i-0abc first\n\tsecond\n")
    let unnamed = CloudWatchLogs.Stream(name: nil, group: nil, events: [.init(time: t, message: "line")])
    #expect(String(decoding: CloudWatchLogs.tailText(unnamed), as: UTF8.self) == "2024-01-15T10:23:45 line\n")
    #expect(CloudWatchLogs.insightsTime("2024-01-15 10:23:45.123") == t)
    #expect(CloudWatchLogs.insightsTime("yesterday") == nil)
  }

  @Test func theGroupOrTheFileNameSaysTheSourceAndTheHost() {
    #expect(CloudWatchLogs.source(forGroup: "/ec2/cloud-init-output") == .cloudInit)
    #expect(CloudWatchLogs.source(forGroup: "/var/log/cloud-init.log") == .cloudInit)
    #expect(CloudWatchLogs.source(forGroup: "/ecs/agent") == .ecsAgent)
    #expect(CloudWatchLogs.source(forGroup: "/var/log/ecs/ecs-agent.log") == .ecsAgent)
    #expect(CloudWatchLogs.source(forGroup: "/var/log/ecs/ecs-init.log") == .ecsInit)
    #expect(CloudWatchLogs.source(forGroup: "/aws/lambda/f") == nil)
    #expect(CloudWatchLogs.instanceID(fileName: "out/i-0a1b2c3d4e5f60718.ecs-agent.json") == "i-0a1b2c3d4e5f60718")
    #expect(CloudWatchLogs.instanceID(fileName: "i-0abc1234.json") == "i-0abc1234")
    #expect(CloudWatchLogs.instanceID(fileName: "cwl.json") == nil)
    #expect(CloudWatchLogs.instanceID(fileName: "i-0abc.json") == nil)
  }

  /// Pages may come in any order and Insights rows newest first: each stream is put in time order.
  @Test func eachStreamIsSortedAndGroupedWhateverThePageOrder() throws {
    let json = """
      {"events":[{"logStreamName":"i-b","timestamp":2000,"message":"b2"},{"logStreamName":"i-a","timestamp":3000,"message":"a3"}]}
      {"events":[{"logStreamName":"i-a","timestamp":1000,"message":"a1"},{"logStreamName":"i-a","timestamp":3000,"message":"a3bis"}]}
      """
    let streams = try CloudWatchLogs.streams(json: Array(json.utf8))
    #expect(streams.map(\.name) == ["i-a", "i-b"])
    #expect(streams[0].events.map(\.message) == ["a1", "a3", "a3bis"])
    #expect(throws: CloudWatchLogs.Failure.self) { try CloudWatchLogs.streams(json: Array("{\"events\":[]} x".utf8)) }
    #expect(throws: CloudWatchLogs.Failure.self) { try CloudWatchLogs.streams(json: Array("{\"other\":1}".utf8)) }
  }
}
