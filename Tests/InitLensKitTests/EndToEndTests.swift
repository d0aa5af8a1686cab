import Foundation
import Testing

@testable import InitLensKit

/// Runs the built `initlens` binary as a user would.
func run(_ args: [String], stdin: Data? = nil, cwd: URL = Repo.root, env: [String: String] = [:]) throws -> (
  status: Int32, out: String, err: String
) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: Repo.binary)
  p.arguments = args
  p.currentDirectoryURL = cwd
  var environment = ProcessInfo.processInfo.environment
  environment["NO_COLOR"] = "1"
  // The text report is as wide as COLUMNS says: the goldens are at the piped width (100).
  environment["COLUMNS"] = nil
  for (k, v) in env { environment[k] = v }
  p.environment = environment
  let outPipe = Pipe()
  let errPipe = Pipe()
  let inPipe = Pipe()
  p.standardOutput = outPipe
  p.standardError = errPipe
  p.standardInput = inPipe
  try p.run()
  if let stdin { inPipe.fileHandleForWriting.write(stdin) }
  try inPipe.fileHandleForWriting.close()
  let out = outPipe.fileHandleForReading.readDataToEndOfFile()
  let err = errPipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

@Suite(.serialized) struct EndToEndTests {
  static let imds503 = """
    2025-06-25 14:58:00,100 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds.
    2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
    2025-06-25 14:58:01,471 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled

    """

  func temp(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func stdinIsAnalysedAndJSONFollowsTheContract() throws {
    let r = try run(["--format", "json"], stdin: Data(Self.imds503.utf8))
    #expect(r.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    #expect(json?["schemaVersion"] as? Int == 1)
    let summary = json?["summary"] as? [String: Any]
    for key in ["linesRead", "linesMatched", "linesUnmatched", "linesSkipped", "hosts", "boots", "incidents"] {
      #expect(summary?[key] is Int, "summary.\(key)")
    }
    #expect(summary?["linesRead"] as? Int == 3)
    let boot = ((json?["hosts"] as? [[String: Any]])?.first?["boots"] as? [[String: Any]])?.first
    #expect(boot?["versions"] as? [String: String] == ["cloud-init": "22.2.2"])
    let incident = (boot?["incidents"] as? [[String: Any]])?.first
    for key in ["kind", "rule", "severity", "source", "first", "last", "count", "captures", "evidence"] {
      #expect(incident?[key] != nil, "incident.\(key)")
    }
    #expect((incident?["evidence"] as? [[String: Any]])?.first?["file"] as? String == "<stdin>")
  }

  @Test func failOnSetsExitStatusOne() throws {
    let file = try temp("cloud-init.log", Self.imds503)
    #expect(try run([file]).status == 0)
    #expect(try run([file, "--fail-on", "warning"]).status == 1)
    #expect(try run([file, "--fail-on", "critical"]).status == 0)
  }

  @Test func unreadableInputIsExitTwoAndTheRestIsStillReported() throws {
    let file = try temp("cloud-init.log", Self.imds503)
    let r = try run(["/nonexistent/cloud-init.log", file, "--format", "json"])
    #expect(r.status == 2)
    #expect(r.err.contains("initlens: /nonexistent/cloud-init.log: cannot read: no such file or directory"))
    #expect(r.out.contains("\"imds-endpoint-disabled\""))
    let dir = try run([FileManager.default.temporaryDirectory.path])
    #expect(dir.status == 2)
    #expect(dir.err.contains("is a directory"))
  }

  @Test func usageErrorsExit64() throws {
    #expect(try run(["--format", "yaml"]).status == 64)
    #expect(try run(["--fail-on", "bad"]).status == 64)
  }

  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed")) func gzipInputsAreRead() throws {
    let file = try temp("cloud-init.log", Self.imds503)
    let gz = file + ".gz"
    try Data(try gzip(Array(Self.imds503.utf8))).write(to: URL(fileURLWithPath: gz))
    let plain = try run([file, "--format", "json"])
    let zipped = try run([gz, "--format", "json"])
    #expect(zipped.status == 0)
    #expect(zipped.out.replacingOccurrences(of: gz, with: file) == plain.out)
  }

  @Test func brokenPipeEndsQuietly() throws {
    let big = String(repeating: Self.imds503, count: 2000)
    let file = try temp("cloud-init.log", big)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = [
      "-c", "'\(Repo.binary)' --evidence 100000 --format json '\(file)' | head -c 10 >/dev/null; echo ${PIPESTATUS:-}",
    ]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = Pipe()
    try p.run()
    p.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(stderr.isEmpty, "\(stderr)")
  }

  @Test func badUserRuleIsReportedWithFileLineColumnAndExitTwo() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-badrule-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try """
    id: broken-rule
    kind: broken
    title: Broken
    severity: error
    source: any
    pattern: 'abc(def'
    fix: 'x'
    references: []
    examples:
      match: ['abcdef']
      no-match: ['abc']
    family: broken
    """.write(to: dir.appendingPathComponent("broken-rule.yaml"), atomically: true, encoding: .utf8)
    let r = try run(["rules", "check", "--rules", dir.path])
    #expect(r.status == 2)
    #expect(
      r.err.contains(
        "broken-rule.yaml:6:18: error: [broken-rule] pattern does not compile: missing closing parenthesis"))
    #expect(r.err.contains("abc(def\n"))
    // Analysis still runs with the valid rules, and says it hit a problem.
    let a = try run([try temp("cloud-init.log", Self.imds503), "--rules", dir.path])
    #expect(a.status == 2)
    #expect(a.out.contains("imds-endpoint-disabled"))
  }

  @Test func rulesCheckAndListOnTheBuiltinSet() throws {
    let check = try run(["rules", "check"])
    #expect(check.status == 0, "\(check.err)")
    #expect(check.out.contains("all good"))
    let list = try run(["rules", "list", "--format", "json"])
    let entries = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]]
    #expect((entries?.count ?? 0) >= 25)
    for key in ["id", "kind", "severity", "source", "title"] { #expect(entries?.first?[key] is String) }
    let text = try run(["rules", "list"])
    #expect(text.out.hasPrefix("ID "))
  }

  @Test func builtinRulesWorkFromAnyDirectoryAndWithoutTheCheckout() throws {
    let elsewhere = FileManager.default.temporaryDirectory
    let a = try run(["rules", "list", "--format", "json"], cwd: elsewhere)
    // A copy of the binary outside the checkout falls back to the embedded rules.
    let copy = elsewhere.appendingPathComponent("initlens-copy-\(UUID().uuidString)")
    // Copied by cp, not by this process: a file this process holds open for writing may be inherited by a
    // child another test forks meanwhile, and then exec'ing the copy fails with ETXTBSY ("Text file busy").
    _ = try shell("cp '\(Repo.binary)' '\(copy.path)'")
    defer { try? FileManager.default.removeItem(at: copy) }
    let p = Process()
    p.executableURL = copy
    p.arguments = ["rules", "list", "--format", "json"]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    p.waitUntilExit()
    let embedded = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let ids = { (s: String) in
      ((try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [[String: Any]] ?? []).compactMap {
        $0["id"] as? String
      }
    }
    #expect(!ids(a.out).isEmpty)
    #expect(ids(embedded) == ids(a.out))
  }

  @Test func noDefaultRulesWithoutRulesIsRefused() throws {
    // Not a report of 0 incidents: an empty rule set is refused (RuleLookupTests has the cases).
    let r = try run(["--no-default-rules", "--format", "json", try temp("cloud-init.log", Self.imds503)])
    #expect(r.status == 2)
    #expect(r.out.isEmpty)
    #expect(r.err.split(separator: "\n").count == 1)
  }
}

@Suite struct ExplainAndDocsTests {
  @Test func explainShowsFormatInnerLineAndMatches() throws {
    let line =
      "2024-07-24T08:13:06+0000 ip-10-0-0-1 cloud-init[1234]: 2024-07-24 08:13:06,801 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]"
    let r = try run(["explain", line])
    #expect(r.status == 0)
    #expect(r.out.contains("format:  journal-iso  (time 2024-07-24T08:13:06.801Z, host ip-10-0-0-1, ident cloud-init"))
    #expect(r.out.contains("inner:   2024-07-24 08:13:06,801 - url_helper.py[WARNING]: Calling"))
    #expect(r.out.contains("MATCH    imds-token-503 → imds-503"))
    #expect(r.out.contains("status=503"))
    // `-` reads the line from standard input, with its newline; more than one line is refused.
    let piped = try run(["explain", "-"], stdin: Data((line + "\r\n").utf8))
    #expect(piped.status == 0 && piped.out == r.out, "\(piped.err)")
    let two = try run(["explain", "-"], stdin: Data((line + "\n" + line + "\n").utf8))
    #expect(two.status == 2 && two.out.isEmpty && two.err.contains("holds 2 lines"))
    let none = try run(["explain", "-"], stdin: Data())
    #expect(none.status == 2 && none.err.contains("no line on standard input"))
    let json = try run(["explain", "--format", "json", "nothing to see"])
    let obj = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
    #expect((obj?["matched"] as? [String])?.isEmpty == true)
    #expect(((obj?["rules"] as? [[String: Any]])?.count ?? 0) >= 25)
  }

  /// The README's sample output is the imds-503 golden report (so it cannot rot).
  @Test func readmeSampleIsTheGoldenReport() throws {
    let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
    let golden = try String(
      contentsOf: Repo.root.appendingPathComponent("samples/imds-503/expected.txt"), encoding: .utf8)
    guard let start = readme.range(of: "$ initlens samples/imds-503/"),
      let blockStart = readme[start.upperBound...].firstIndex(of: "\n"),
      let end = readme[blockStart...].range(of: "```")
    else {
      Issue.record("README has no sample block")
      return
    }
    let shown = readme[readme.index(after: blockStart)..<end.lowerBound].split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .dropLast()
    let expected = golden.split(separator: "\n", omittingEmptySubsequences: false).prefix(shown.count).map {
      String($0.prefix(110))
    }
    #expect(shown.map(String.init) == expected)
    #expect(
      readme.contains(
        "$ initlens samples/imds-503/cloud-init-output.log samples/imds-503/cloud-init.log samples/imds-503/journal.json samples/imds-503/journal.txt"
      ))
  }
}

@Suite struct TerminalTests {
  /// On a terminal with no files there is nothing to read: usage on stderr, exit 64.
  @Test(
    .requires(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
      "/usr/bin/script (a terminal for initlens) is not installed (apt-get install bsdutils)"))
  func noInputOnATerminalPrintsUsage() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    p.arguments = ["-qec", "'\(Repo.binary)'; echo rc=$?", "/dev/null"]
    let out = Pipe()
    p.standardOutput = out
    p.standardInput = Pipe()
    try p.run()
    p.waitUntilExit()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(text.contains("USAGE: initlens"))
    #expect(text.contains("rc=64"))
  }
}

/// `initlens --version` (completion scripts and the man page: CompletionTests.swift).
@Suite struct VersionTests {
  @Test func versionNamesTheRuleSet() throws {
    let r = try run(["--version"])
    #expect(r.status == 0)
    let set = RuleSet.embeddedVersion
    #expect(r.out == "initlens 0.1.0 (rules \(set.hash): \(set.rules) line rules, \(set.chains) chains)\n")
    #expect(set.rules >= 25 && set.chains >= 2)
  }
}
