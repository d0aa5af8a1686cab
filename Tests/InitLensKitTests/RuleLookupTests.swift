import Foundation
import Testing

@testable import InitLensKit

/// Which rule set a run uses (README, "Writing rules"): a folder beside the binary that differs from
/// the embedded set is named on stderr, one that holds no line rule is refused, and the development
/// checkout (the same files as the embedded copy) runs silently. Each case runs a copy of the binary.
@Suite(.serialized) struct RuleLookupTests {
  static let log = """
    2025-06-25 14:58:00,100 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds.
    2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
    2025-06-25 14:58:01,471 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled

    """

  /// A fresh directory with the binary linked (or copied) in at `bin` (relative), and the log.
  struct Install {
    let root: URL
    let binary: URL
    let log: URL

    init(bin: String = "initlens") throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-lookup-\(UUID().uuidString)")
      binary = root.appendingPathComponent(bin)
      try FileManager.default.createDirectory(
        at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
      // A hard link is a second path to the same file: the lookup starts from this path.
      do {
        try FileManager.default.linkItem(atPath: Repo.binary, toPath: binary.path)
      } catch {
        // By cp: a copy this process wrote could be held open by a child another test forks (ETXTBSY).
        _ = try shell("cp '\(Repo.binary)' '\(binary.path)'")
      }
      log = root.appendingPathComponent("cloud-init.log")
      try RuleLookupTests.log.write(to: log, atomically: true, encoding: .utf8)
    }

    func rulesDir(_ rel: String) throws -> URL {
      let dir = root.appendingPathComponent(rel)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      return dir
    }

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
      let p = Process()
      p.executableURL = binary
      p.arguments = args
      p.currentDirectoryURL = root
      var env = ProcessInfo.processInfo.environment
      env.removeValue(forKey: "INITLENS_RULES_DIR")
      p.environment = env
      let out = Pipe()
      let err = Pipe()
      p.standardOutput = out
      p.standardError = err
      p.standardInput = FileHandle.nullDevice
      try p.run()
      let o = out.fileHandleForReading.readDataToEndOfFile()
      let e = err.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
  }

  static func incidentCount(_ json: String) -> Int? {
    let obj = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
    return (obj?["summary"] as? [String: Any])?["incidents"] as? Int
  }

  @Test func emptyRulesFolderBesideTheBinaryIsRefused() throws {
    let install = try Install()
    defer { install.remove() }
    let empty = try install.rulesDir("rules")
    for args in [["--format", "json", install.log.path], ["rules", "list"], ["explain", "x"]] {
      let r = try install.run(args)
      #expect(r.status == 2, "\(args)")
      #expect(r.out.isEmpty, "\(args)")
      let lines = r.err.split(separator: "\n")
      #expect(
        lines.last == "initlens: \(empty.path): no line rules; refusing to run with an empty rule set",
        "\(args): \(r.err)")
      // The note that the folder is in use, then the refusal: nothing else.
      #expect(lines.count == 2, "\(r.err)")
    }
    // `rules check` lists its problems and fails too.
    let check = try install.run(["rules", "check"])
    #expect(check.status == 2)
    #expect(check.err.contains("no rules loaded"))
  }

  @Test func emptyShareFolderOfAnInstallationIsRefused() throws {
    let install = try Install(bin: "bin/initlens")
    defer { install.remove() }
    let share = try install.rulesDir("share/initlens/rules")
    try FileManager.default.createDirectory(
      at: share.appendingPathComponent("correlations"), withIntermediateDirectories: true)
    let r = try install.run([install.log.path])
    #expect(r.status == 2)
    #expect(r.err.hasSuffix("initlens: \(share.path): no line rules; refusing to run with an empty rule set\n"))
  }

  @Test func aFolderThatDiffersFromTheEmbeddedSetIsNamedOnce() throws {
    let install = try Install()
    defer { install.remove() }
    let dir = try install.rulesDir("rules/cloud-init")
    try FileManager.default.copyItem(
      atPath: Repo.rules + "/cloud-init/imds-token-503.yaml",
      toPath: dir.appendingPathComponent("imds-token-503.yaml").path)
    let r = try install.run(["--format", "json", install.log.path])
    #expect(r.status == 0, "\(r.err)")
    #expect(
      r.err
        == "initlens: rules from \(install.root.appendingPathComponent("rules").path) (not the rule set built into initlens)\n"
    )
    // Only that one rule ran: the 503, not the "probably disabled" line.
    #expect(Self.incidentCount(r.out) == 1)
  }

  @Test func aFolderWithTheEmbeddedFilesIsUsedSilently() throws {
    let install = try Install()
    defer { install.remove() }
    try FileManager.default.copyItem(atPath: Repo.rules, toPath: install.root.appendingPathComponent("rules").path)
    let r = try install.run(["--format", "json", install.log.path])
    #expect(r.status == 0)
    #expect(r.err.isEmpty, "\(r.err)")
    #expect(Self.incidentCount(r.out) == 2)
    // The binary alone: the embedded set, silently, with the same result.
    try FileManager.default.removeItem(at: install.root.appendingPathComponent("rules"))
    let alone = try install.run(["--format", "json", install.log.path])
    #expect(alone.err.isEmpty, "\(alone.err)")
    #expect(alone.out == r.out)
  }

  @Test func theDevelopmentCheckoutRunsSilently() throws {
    // The binary under test lives in this checkout's .build: its rules/ are the embedded ones.
    #expect(RuleSet.sameAsEmbedded(Repo.rules), "rules/ differs from EmbeddedRules.swift: run scripts/embed-rules")
    let r = try run([try Self.temp(), "--format", "json"])
    #expect(r.status == 0)
    #expect(r.err.isEmpty, "\(r.err)")
  }

  @Test func noDefaultRulesWithAnEmptyOrNoRulesFolderIsRefused() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let log = try Self.temp()
    let a = try run(["--no-default-rules", "--rules", empty.path, log])
    #expect(a.status == 2)
    #expect(a.out.isEmpty)
    #expect(a.err == "initlens: \(empty.path): no line rules; refusing to run with an empty rule set\n")
    let b = try run(["--no-default-rules", log])
    #expect(b.status == 2)
    #expect(b.err == "initlens: no rules: --no-default-rules without --rules DIR leaves none; refusing to run\n")
    // With the built-in set, an empty extra folder is fine: the set is not empty.
    let c = try run(["--rules", empty.path, "--format", "json", log])
    #expect(c.status == 0)
    #expect(c.err.isEmpty, "\(c.err)")
    #expect(Self.incidentCount(c.out) == 2)
  }

  static func temp() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-lookup-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent("cloud-init.log")
    try log.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }
}
