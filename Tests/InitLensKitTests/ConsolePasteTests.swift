import Foundation
import Testing

@testable import InitLensKit

/// The serial console as people paste it: hard-wrapped at 80 columns, a getty prompt in front of a
/// record, and cloud-init events twice (journal copy and `[CLOUDINIT]` syslog copy).
@Suite struct ConsolePasteTests {
  static let fixtures = "Tests/InitLensKitTests/Fixtures/console-paste"

  static func report(_ paths: [String]) throws -> Report { try analyzeRepoFiles(paths) }

  /// What a diagnosis is: per boot its start, versions, root causes and incidents (kind, first, count).
  static func diagnosis(_ r: Report) -> [String] {
    r.hosts.flatMap(\.boots).map { b in
      let incidents = b.incidents.map { "\($0.kind)@\($0.first.map(Timestamp.iso) ?? "-")×\($0.count)" }
      return "\(b.boot) \(b.versions.sorted { $0.key < $1.key }) \(b.rootCauses.map(\.id)) \(incidents)"
    }
  }

  static func lineCount(_ path: String) throws -> Int {
    let data = try Data(contentsOf: Repo.root.appendingPathComponent(path))
    return data.split(separator: 0x0A, omittingEmptySubsequences: false).count - (data.last == 0x0A ? 1 : 0)
  }

  @Test func wrappedPasteGivesTheSameDiagnosis() throws {
    let wrappedPath = "\(Self.fixtures)/console-output-wrapped.txt"
    let wrappedText = try String(contentsOf: Repo.root.appendingPathComponent(wrappedPath), encoding: .utf8)
    let lines = wrappedText.split(separator: "\n", omittingEmptySubsequences: false)
    // The fixture is what it claims: no line over 80 bytes, records cut, a record behind the prompt.
    #expect(lines.allSatisfy { $0.utf8.count <= 80 })
    #expect(lines.filter { $0.utf8.count == 80 }.count > 40)
    #expect(lines.contains { $0.hasPrefix("ip-10-0-1-23 login: [    8.603700] cloud-init[2301]: ") })

    let original = try Self.report(["samples/console-imds-503/console-output.txt"])
    let unwrapped = try Self.report(["\(Self.fixtures)/console-output-unwrapped.txt"])
    let wrapped = try Self.report([wrappedPath])
    let expected = Self.diagnosis(original)
    #expect(expected.count == 1)
    #expect(expected.first?.contains("imds-503-not-retried") == true)
    #expect(Self.diagnosis(unwrapped) == expected)
    #expect(Self.diagnosis(wrapped) == expected)
    // The same timeline, step by step (the lines it was read from differ).
    func steps(_ r: Report) -> [String] {
      r.hosts.flatMap(\.boots).flatMap(\.timeline).map {
        "\($0.time.map(Timestamp.iso) ?? "-") \($0.kind) \($0.summary)"
      }
    }
    #expect(steps(wrapped) == steps(original))
    #expect(steps(original).count > 5)
    // Evidence is the whole record, from the line it starts on.
    func evidence(_ r: Report) -> [String] {
      r.hosts.flatMap(\.boots).flatMap(\.incidents).flatMap(\.evidence).map(\.text)
    }
    #expect(evidence(wrapped) == evidence(original))
    let first = wrapped.hosts.flatMap(\.boots).flatMap(\.incidents).first { $0.kind == "imds-503" }?.evidence.first
    #expect(first?.line == 47)
    #expect(lines[46].hasPrefix("[    5.623498] cloud-init[1870]: "))

    // Every line is counted once, the pieces too.
    let s = wrapped.summary
    #expect(s.linesRead == (try Self.lineCount(wrappedPath)))
    #expect(s.linesRead == s.linesMatched + s.linesUnmatched + s.linesSkipped)
  }

  @Test func loginPromptInFrontOfARecord() {
    var parser = LineParser(year: 2025)
    let line =
      "ip-10-0-1-23 login: [   15.100000] cloud-init[872]: 2025-01-22 09:14:08,740 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]"
    Array(line.utf8).withUnsafeBytes { p in
      let parsed = parser.parse(p)
      #expect(parsed.format == .console)
      #expect(parsed.monotonic == 15.1)
      #expect(parsed.ident == "cloud-init")
      #expect(parsed.source == .cloudInit)
      #expect(parsed.level == .warning)
      #expect(parsed.time.map(Timestamp.iso) == "2025-01-22T09:14:08.740Z")
      #expect(parsed.withInner(p) { String(decoding: $0, as: UTF8.self) }.hasPrefix("2025-01-22 09:14:08,740 - "))
    }
    // A prompt alone, or words before something else, is no console record.
    for other in ["ip-10-0-1-23 login: ", "user login: [not a stamp] text"] {
      Array(other.utf8).withUnsafeBytes { p in #expect(parser.parse(p).format != .console) }
    }
  }

  /// A cut record is read whole when its last piece comes; the pieces before it are read as nothing.
  @Test func cutRecordIsJoined() {
    let record =
      "[    5.623498] cloud-init[1870]: 2025-01-22 09:14:08,740 - url_helper.py[WARNING]: Calling 'http://169.254.169.254:80/latest/api/token' failed [0/120s]: bad status code [503]"
    var pieces: [String] = []
    var rest = Substring(record)
    while !rest.isEmpty {
      pieces.append(String(rest.prefix(80)))
      rest = rest.dropFirst(80)
    }
    #expect(pieces.count == 3)
    var parser = LineParser(year: 2025)
    var inners: [String] = []
    for piece in pieces {
      Array(piece.utf8).withUnsafeBytes { p in
        let wanted = parser.wantsConsolePiece(p)
        #expect(wanted)
        let parsed = parser.parse(p)
        inners.append(parsed.withInner(p) { String(decoding: $0, as: UTF8.self) })
        if piece == pieces.last {
          #expect(parsed.record == Array(record.utf8))
          #expect(parsed.recordLinesBefore == 2)
          #expect(parsed.format == .console)
          #expect(parsed.level == .warning)
          #expect(parsed.time.map(Timestamp.iso) == "2025-01-22T09:14:08.740Z")
        }
      }
    }
    #expect(inners == ["", "", String(record.dropFirst("[    5.623498] cloud-init[1870]: ".count))])
  }

  /// A blank line ends a cut record: the line after it is no piece of the record before it.
  @Test func blankLineEndsACutRecord() {
    let eighty = "[    5.300000] cloud-init[1870]: 2025-01-22 09:14:08,700 - util.py[WARNING]: abc"
    #expect(eighty.utf8.count == 80)
    let set = rules(
      rule(id: "joined", kind: "joined", pattern: "WARNING\\]: abcAmazon", match: "x - util.py[WARNING]: abcAmazon"),
      rule(id: "banner", kind: "banner", pattern: "^Amazon Linux 2023", match: "Amazon Linux 2023.6.20250115"))
    let (report, _) = analyze([("console-output.txt", eighty + "\n\nAmazon Linux 2023.6.20250115\n")], rules: set)
    let kinds = report.hosts.flatMap(\.boots).flatMap(\.incidents).map(\.kind)
    #expect(kinds == ["banner"])
    #expect(report.summary.linesRead == 3)
  }

  /// A record that never ends is read once it reaches the cap; memory stays bounded.
  @Test func endlessRecordIsCapped() {
    var parser = LineParser(year: 2025)
    let first = "[    5.300000] cloud-init[1870]: 2025-01-22 09:14:08,700 - util.py[WARNING]: abc"
    let piece = String(repeating: "x", count: 80)
    var whole: [Int] = []
    for (i, line) in ([first] + Array(repeating: piece, count: 1000)).enumerated() {
      Array(line.utf8).withUnsafeBytes { p in
        _ = parser.wantsConsolePiece(p)
        let parsed = parser.parse(p)
        if let record = parsed.record {
          whole.append(i)
          #expect(record.count <= ConsolePaste.maxRecord + 80)
        }
      }
      #expect(parser.paste.pieces.count <= ConsolePaste.maxRecord + 80)
    }
    #expect(whole.first == ConsolePaste.maxRecord / 80)
  }

  /// A console with lines longer than 80 columns is not wrapped: an 80-byte record is read on its own.
  @Test func unwrappedConsoleIsNotJoined() {
    let long =
      "[    5.233700] cloud-init[1870]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 22 Jan 2025 09:14:08 +0000. Up 5.23 seconds."
    let eighty = "[    5.300000] cloud-init[1870]: 2025-01-22 09:14:08,700 - util.py[WARNING]: abc"
    #expect(eighty.utf8.count == 80)
    let next = "text that is not a record"
    var parser = LineParser(year: 2025)
    var inners: [String] = []
    for line in [long, eighty, next] {
      Array(line.utf8).withUnsafeBytes { p in
        _ = parser.wantsConsolePiece(p)
        let parsed = parser.parse(p)
        inners.append(parsed.withInner(p) { String(decoding: $0, as: UTF8.self) })
      }
    }
    #expect(inners[1] == "2025-01-22 09:14:08,700 - util.py[WARNING]: abc")
    #expect(inners[2] == next)
  }

  /// One event in the journal's copy and the syslog handler's `[CLOUDINIT]` copy counts once; the same
  /// message in another stage is another event.
  @Test func journalAndSyslogCopiesCountOnce() throws {
    let console = """
      [    5.233700] cloud-init[1870]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 22 Jan 2025 09:14:08 +0000. Up 5.23 seconds.
      [    5.623498] cloud-init[1870]: 2025-01-22 09:14:08,740 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]
      [CLOUDINIT] url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]
      [    5.624498] cloud-init[1870]: 2025-01-22 09:14:08,741 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled
      [CLOUDINIT] DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled
      [    7.463700] cloud-init[2093]: Cloud-init v. 22.2.2 running 'init' at Wed, 22 Jan 2025 09:14:10 +0000. Up 7.46 seconds.
      [CLOUDINIT] DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled
      [    7.523498] cloud-init[2093]: 2025-01-22 09:14:10,640 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled

      """
    let (report, diagnostics) = analyze([("console-output.txt", console)], rules: repoRules)
    #expect(diagnostics.isEmpty)
    let incidents = report.hosts.flatMap(\.boots).flatMap(\.incidents)
    #expect(incidents.first { $0.kind == "imds-503" }?.count == 1)
    #expect(incidents.first { $0.kind == "imds-endpoint-disabled" }?.count == 2)
    #expect(report.summary.linesRead == 8)
    #expect(report.summary.linesRead == report.summary.linesMatched + report.summary.linesUnmatched)
  }
}
