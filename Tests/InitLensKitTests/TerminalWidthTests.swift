import Foundation
import Testing

@testable import InitLensKit

/// The text report fits the terminal: `COLUMNS`, else the terminal's width, else 100 when piped. No
/// line of any sample's or real log's report is wider, and an incident is always one row.
@Suite struct TerminalWidthTests {
  static let widths = [80, 120]

  /// Every report the tests below read: each sample's log files (as scripts/demo passes them), the
  /// sample fleet, and each real cloud-init log.
  static let runs: [(name: String, args: [String])] =
    GoldenTests.scenarios.map { ($0, GoldenTests.inputs($0)) }
    + [("fleet", ["fleet", "samples/fleet"]), ("slow-boots", ["fleet", "samples/slow-boots"])]
    + RealLogGoldenTests.scenarios.map { ("realci/\($0)", RealLogGoldenTests.inputs($0)) }

  static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  /// Characters, as the terminal counts columns for our output (ASCII and × ← …).
  static func longest(_ text: String) -> Int { lines(text).map(\.count).max() ?? 0 }

  @Test func widthIsChosenFromColumnsThenTheTerminalThenPiped() {
    #expect(TerminalWidth.choose(columns: nil, terminal: nil) == 100)
    #expect(TerminalWidth.choose(columns: "80", terminal: nil) == 80)
    #expect(TerminalWidth.choose(columns: "132", terminal: 80) == 132)
    #expect(TerminalWidth.choose(columns: nil, terminal: 72) == 72)
    // Not a positive integer: as if unset.
    for bad in ["", "0", "-5", "wide", "80x"] {
      #expect(TerminalWidth.choose(columns: bad, terminal: nil) == 100, "\(bad)")
      #expect(TerminalWidth.choose(columns: bad, terminal: 90) == 90, "\(bad)")
    }
    // Never below 40.
    #expect(TerminalWidth.choose(columns: "12", terminal: nil) == 40)
    #expect(TerminalWidth.choose(columns: nil, terminal: 20) == 40)
  }

  @Test(arguments: widths)
  func noReportLineIsWiderThanColumns(_ width: Int) throws {
    #expect(Self.runs.count >= 16)
    for (name, args) in Self.runs {
      let r = try run(args, env: ["COLUMNS": String(width)])
      #expect(r.status == 0, "\(name): \(r.err)")
      #expect(Self.lines(r.out).count > 5, "\(name): \(r.out)")
      let over = Self.lines(r.out).filter { $0.count > width }
      #expect(over.isEmpty, "\(name) at \(width): \(over.joined(separator: "\n"))")
    }
  }

  /// The boot-time table narrower than its 80 columns: the names shrink, then the numbers follow each name.
  @Test(arguments: [40, 60, 72])
  func bootTimeTableFitsNarrowTerminals(_ width: Int) throws {
    let r = try run(["fleet", "samples/slow-boots"], env: ["COLUMNS": String(width)])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("kernel-to-cloud-init-end") && r.out.contains("99.460"))
    let over = Self.lines(r.out).filter { $0.count > width }
    #expect(over.isEmpty, "\(over.joined(separator: "\n"))")
  }

  /// A row per incident, in the report's order, each with its kind: never wrapped onto a second line.
  @Test(arguments: [40] + widths)
  func incidentRowsAreOneLine(_ width: Int) throws {
    let row = try NSRegularExpression(
      pattern: #"^ +(?:[+-]\S* +)?(?:\d\d:\d\d:\d\d\.\d{3}|--:--:--\.---)  (?:CRITICAL|ERROR|WARNING|INFO) +(\S+)"#)
    var checked = 0
    for scenario in GoldenTests.scenarios {
      let args = GoldenTests.inputs(scenario)
      let text = try run(args, env: ["COLUMNS": String(width)]).out
      let json = try #require(try run(["--format", "json"] + args).out.data(using: .utf8))
      let report = try JSONDecoder().decode(Report.self, from: json)
      let kinds = report.hosts.flatMap(\.boots).flatMap(\.incidents).map(\.kind)
      let rows = Self.lines(text).filter {
        row.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
      }
      #expect(rows.count == kinds.count, "\(scenario) at \(width): \(rows)")
      for (line, kind) in zip(rows, kinds) {
        // At 40 columns a long kind is cut with its root cause; wider, it is whole.
        #expect((line.contains(kind) || width < 80) && line.count <= width, "\(scenario) at \(width): \(line)")
      }
      checked += kinds.count
    }
    #expect(checked >= 10)
  }

  /// Piped without COLUMNS: 100 columns, the goldens' width.
  @Test func pipedWithoutColumnsIs100() throws {
    let r = try run(GoldenTests.inputs("imds-503"))
    let golden = try String(
      contentsOf: Repo.root.appendingPathComponent("samples/imds-503/expected.txt"), encoding: .utf8)
    #expect(r.out == golden)
    #expect(Self.longest(r.out) <= 100 && Self.longest(r.out) > 90)
    let fleet = try run(["fleet", "samples/fleet"])
    #expect(Self.longest(fleet.out) <= 100 && Self.longest(fleet.out) > 90)
  }

  /// `-o FILE` is as wide as COLUMNS says, else 100: never the terminal's.
  @Test func aReportWrittenToAFileIsAsWideAsColumns() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-width-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    let r = try run(GoldenTests.inputs("imds-503") + ["-o", file.path], env: ["COLUMNS": "70"])
    #expect(r.status == 0, "\(r.err)")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(Self.longest(text) <= 70 && Self.longest(text) > 60)
  }

  /// On a terminal without COLUMNS, the terminal's width (`script` gives initlens a terminal).
  @Test(
    .requires(
      Requirement.tools("script", "stty"), "script and stty (a terminal for initlens) are not installed (bsdutils)"))
  func onATerminalTheWidthIsTheTerminals() throws {
    for cols in [60, 80] {
      let files = GoldenTests.inputs("imds-503").map { "'\(Repo.root.path)/\($0)'" }.joined(separator: " ")
      let p = Process()
      p.executableURL = URL(fileURLWithPath: Requirement.tool("script")!)
      p.arguments = ["-qec", "stty cols \(cols); '\(Repo.binary)' \(files)", "/dev/null"]
      var env = ProcessInfo.processInfo.environment
      env["COLUMNS"] = nil
      env["NO_COLOR"] = "1"
      p.environment = env
      let out = Pipe()
      p.standardOutput = out
      p.standardInput = Pipe()
      try p.run()
      let data = out.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
      #expect(text.contains("ROOT CAUSE  imds-503-not-retried"), "\(text)")
      #expect(Self.longest(text) <= cols && Self.longest(text) > cols - 6, "at \(cols):\n\(text)")
    }
  }

  /// `initlens diff` text fits the width too.
  @Test(arguments: [40] + widths)
  func diffTextFitsTheWidth(_ width: Int) throws {
    // Two fleets with boot-time profiles give the BOOT TIME part as well.
    for (old, new) in [("imds-503", "fleet"), ("fleet", "slow-boots")] {
      let r = try run(
        ["diff", "samples/\(old)/expected.json", "samples/\(new)/expected.json"], env: ["COLUMNS": String(width)])
      #expect(r.status == 0, "\(r.err)")
      #expect(r.out.contains("INCIDENTS"))
      #expect(new != "slow-boots" || r.out.contains("BOOT TIME"))
      let over = Self.lines(r.out).filter { $0.count > width }
      #expect(over.isEmpty, "\(over.joined(separator: "\n"))")
    }
  }

  /// `rules list` keeps one rule per row (two when narrow) and `explain` wraps each field under itself:
  /// both fit the width, and every rule and the explained line are still there.
  @Test(arguments: [40] + widths)
  func rulesListAndExplainFitTheWidth(_ width: Int) throws {
    let env = ["COLUMNS": String(width)]
    let list = try run(["rules", "list"], env: env)
    #expect(list.status == 0, "\(list.err)")
    let ids = try #require(
      try JSONSerialization.jsonObject(with: Data(try run(["rules", "list", "--format", "json"]).out.utf8))
        as? [[String: Any]]
    ).compactMap { $0["id"] as? String }
    let firstWords = Set(Self.lines(list.out).compactMap { $0.split(separator: " ").first.map(String.init) })
    #expect(ids.count > 40 && ids.allSatisfy { firstWords.contains($0) || $0.count >= width })
    let line =
      "2024-07-24T08:13:06+0000 ip-10-0-0-1 cloud-init[1234]: 2024-07-24 08:13:06,801 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]"
    let explain = try run(["explain", line], env: env)
    #expect(explain.status == 0, "\(explain.err)")
    #expect(explain.out.contains("MATCH    imds-token-503"))
    // The line is broken, never cut: its pieces after the label put it back together.
    let pieces = Self.lines(explain.out).drop { !$0.hasPrefix("line:") }.prefix { !$0.hasPrefix("format:") }
    #expect(pieces.map { String($0.dropFirst(9)) }.joined() == line)
    for text in [list.out, explain.out] {
      let over = Self.lines(text).filter { $0.count > width }
      #expect(over.isEmpty, "\(over.joined(separator: "\n"))")
    }
  }

  @Test func wrapBreaksAWordLongerThanTheLine() {
    let url = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html"
    let lines = TextLayout.wrap("see: " + url, width: 50, indent: 6)
    #expect(lines.allSatisfy { $0.count <= 50 }, "\(lines)")
    // It starts on the line it is on and goes on at the next one's indent.
    #expect(lines.first?.hasPrefix("      see: https://") == true, "\(lines)")
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("        ") && !$0.hasPrefix("         ") }, "\(lines)")
    #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined() == "see: " + url)
    // A word that fits on a line of its own is moved there whole.
    #expect(
      TextLayout.wrap("see: https://example.com/a/b", width: 32, indent: 6) == [
        "      see:", "        https://example.com/a/b",
      ])
    #expect(
      TextLayout.list(["a 1", "b 2", "c 3"], first: "  v: ", rest: 5, width: 14) == ["  v: a 1, b 2,", "     c 3"])
    #expect(
      TextLayout.cut("abcdef", 4) == "abc…" && TextLayout.cut("abc", 4) == "abc" && TextLayout.cut("abc", 0) == "")
  }
}
