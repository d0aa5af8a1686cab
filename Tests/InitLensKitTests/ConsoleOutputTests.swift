import Foundation
import Testing

@testable import InitLensKit

/// `aws ec2 get-console-output` output (Fixtures/console-output, from real console text by
/// `scripts/make-console-output-fixtures`): every JSON and text shape is unwrapped and read as the
/// console it carries, under the instance id as host, and diagnosed as the plain console text is.
@Suite struct ConsoleOutputTests {
  static let fixtures = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/console-output").path
  static let plain = [
    "imds-503": Repo.root.appendingPathComponent("samples/console-imds-503/console-output.txt").path,
    "gh196": "\(fixtures)/gh196.console.txt",
  ]
  static let instance = ["imds-503": "i-0123456789abcdef0", "gh196": "i-0fedcba9876543210"]

  static func read(_ path: String, chunk: Int = .max) throws -> (Report, [InputDiagnostic]) {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    return analyzeInMemory([(path, bytes)], chunk: chunk)
  }

  /// What must not change between a console and its console output: per boot, the start, the incidents,
  /// the root causes and the stage times.
  static func diagnosis(_ boots: [BootReport]) -> [String] {
    boots.map { b in
      let kinds = b.incidents.map { "\($0.kind)×\($0.count)" }.sorted()
      let stages = b.stages.map { "\($0.name) \($0.durationSeconds.map { "\($0)" } ?? "-")" }
      return "\(b.boot) \(kinds) \(b.rootCauses.map(\.id)) \(stages)"
    }
  }

  @Test(arguments: ["imds-503", "gh196"], ["json", "base64.json", "text.txt"])
  func eachShapeIsDiagnosedLikeTheConsoleText(_ scenario: String, _ shape: String) throws {
    let (plain, plainNotes) = try Self.read(Self.plain[scenario]!)
    let (wrapped, notes) = try Self.read("\(Self.fixtures)/\(scenario).\(shape)", chunk: 4099)
    #expect(!plain.hosts.isEmpty)
    #expect(!plain.hosts.flatMap(\.boots).flatMap(\.incidents).isEmpty)
    #expect(wrapped.hosts.map(\.host) == [Self.instance[scenario]!])
    #expect(Self.diagnosis(wrapped.hosts.flatMap(\.boots)) == Self.diagnosis(plain.hosts.flatMap(\.boots)))
    #expect(wrapped.summary.linesRead == plain.summary.linesRead)
    #expect(wrapped.summary.linesMatched == plain.summary.linesMatched)
    #expect(wrapped.summary.linesSkipped == plain.summary.linesSkipped)
    #expect(plainNotes.isEmpty, "\(plainNotes)")
    // The excerpt starts mid-boot: said once, as a note that loses no input.
    if scenario == "gh196" {
      #expect(notes.count == 1)
      #expect(notes.allSatisfy { !$0.lostInput && $0.message.contains("i-0fedcba9876543210 starts after its boot") })
    } else {
      #expect(notes.isEmpty, "\(notes)")
    }
  }

  /// Several documents (a JSON array, one object a line): each instance is a host of its own, each
  /// diagnosed as its console is alone.
  @Test(arguments: ["both.array.json", "both.ndjson"])
  func severalInstancesAreHostsOfTheirOwn(_ file: String) throws {
    let (report, notes) = try Self.read("\(Self.fixtures)/\(file)")
    #expect(report.hosts.map(\.host).sorted() == ["i-0123456789abcdef0", "i-0fedcba9876543210"])
    for (scenario, id) in Self.instance {
      let (plain, _) = try Self.read(Self.plain[scenario]!)
      let host = try #require(report.hosts.first { $0.host == id })
      #expect(Self.diagnosis(host.boots) == Self.diagnosis(plain.hosts.flatMap(\.boots)), "\(scenario)")
    }
    #expect(report.inputs.map(\.name).allSatisfy { $0.hasSuffix(")") && $0.contains("\(file) (i-") })
    #expect(notes.count == 1 && notes.allSatisfy { !$0.lostInput })
  }

  /// The in-memory path (fleet bundles) unwraps as the streaming one does.
  @Test func mappedBytesAreUnwrappedToo() throws {
    let path = "\(Self.fixtures)/imds-503.json"
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let analyzer = Analyzer(rules: repoRules)
    bytes.withUnsafeBytes { analyzer.analyze(name: path, bytes: $0) }
    let (streamed, _) = try Self.read(path)
    #expect(analyzer.finish().hosts == streamed.hosts)
    #expect(analyzer.diagnostics.isEmpty)
  }

  static func kind(_ s: String) -> ConsoleOutput.Kind? { Array(s.utf8).withUnsafeBytes { ConsoleOutput.kind($0) } }

  @Test func onlyConsoleOutputIsUnwrapped() {
    #expect(Self.kind("{\n    \"InstanceId\": \"i-0abc\",") == .json)
    #expect(Self.kind("[\n    {\n        \"InstanceId\": \"i-0abc\",") == .json)
    #expect(Self.kind("{\"Output\": \"…\", \"InstanceId\": \"i-0abc\"}") == .json)
    #expect(Self.kind("i-0123456789abcdef0\t[    0.000000] Linux version") == .text)
    #expect(Self.kind("{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"hi\"}") == nil)
    #expect(Self.kind("{\"level\":\"info\",\"msg\":\"hi\"}") == nil)
    #expect(Self.kind("i-0123456789abcdef0 [    0.000000] Linux version") == nil)
    #expect(Self.kind("i-0abc\tshort id") == nil)
  }

  @Test func outputIsDecodedOnlyWhenItIsBase64OfText() {
    #expect(ConsoleOutput.decoded("WyAgICAwLjAwMDAwMF0gTGludXg=") == Array("[    0.000000] Linux".utf8))
    #expect(ConsoleOutput.decoded("[    0.000000] Linux") == Array("[    0.000000] Linux".utf8))
    #expect(ConsoleOutput.decoded("abcd") == Array("abcd".utf8))  // decodes to bytes that are no text
    #expect(ConsoleOutput.decoded("") == [])
  }

  @Test func textFormKeepsTheConsoleBetweenIdAndStamp() throws {
    let text = "i-0123456789abcdef0\tfirst line\r\nlast line\t2013-07-25T21:23:53.000Z\n"
    let doc = try #require(ConsoleOutput.document(text: Array(text.utf8)))
    #expect(doc.instanceID == "i-0123456789abcdef0")
    #expect(doc.timestamp == "2013-07-25T21:23:53.000Z")
    #expect(String(decoding: doc.text, as: UTF8.self) == "first line\r\nlast line\n")
  }
}
