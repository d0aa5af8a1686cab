import Foundation
import Testing

@testable import InitLensKit

/// `fleet --shard K/N` reports say which shard of which run they are; `merge` refuses a set that is
/// not one whole run; `fleet` refuses a run with no bundle or no readable log. All through the binary.
@Suite(.serialized) struct ShardMergeTests {
  /// The `fleet.shard` object of a JSON report, or nil when it has none.
  func shardObject(_ json: String) throws -> [String: Any]? {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let fleet = try #require(object?["fleet"] as? [String: Any])
    return fleet["shard"] as? [String: Any]
  }

  /// Shards 1…3 of `paths`, written beside the fixture; returns their files.
  func shards(_ fx: FleetFixture, _ paths: [String], n: Int = 3, name: String = "shard", env: [String: String] = [:])
    throws -> [String]
  {
    try (1...n).map { k in
      let out = fx.root.appendingPathComponent("\(name)-\(k)of\(n).json").path
      let r = try run(["fleet"] + paths + ["--shard", "\(k)/\(n)", "--format", "json", "-o", out], env: env)
      #expect(r.status == 0 || r.status == 2, "\(r.err)")
      #expect(FileManager.default.fileExists(atPath: out))
      return out
    }
  }

  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools)) func shardReportsSayWhichShardOfWhichRun()
    throws
  {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let files = try shards(fx, [fx.root.path])
    let version = try run(["--version"]).out
    var runs: Set<String> = []
    for (i, file) in files.enumerated() {
      let shard = try #require(try shardObject(String(contentsOfFile: file, encoding: .utf8)))
      #expect(shard["k"] as? Int == i + 1)
      #expect(shard["n"] as? Int == 3)
      let rules = try #require(shard["rules"] as? String)
      #expect(rules.count == 16 && version.contains("(rules \(rules):"), "\(rules) in \(version)")
      runs.insert(try #require(shard["run"] as? String))
    }
    #expect(runs.count == 1)
    // `dir/` finds the same bundles as `dir`: the same run.
    let slash = try shards(fx, [fx.root.path + "/"], name: "slash")
    #expect(try shardObject(String(contentsOfFile: slash[0], encoding: .utf8))?["run"] as? String == runs.first)
    // Neither a plain run nor a merge has the key.
    let single = try run(["fleet", fx.root.path, "--format", "json"])
    #expect(try shardObject(single.out) == nil)
    #expect(!single.out.contains("\"shard\""))
    let merged = try run(["merge"] + files + ["--format", "json"])
    #expect(merged.out == single.out)
    #expect(!merged.out.contains("\"shard\""))
  }

  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools)) func mergeRefusesASetThatIsNotOneRun() throws {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let dir = fx.root.path
    let files = try shards(fx, [dir])
    func refused(_ reports: [String], _ message: String) throws {
      for format in ["json", "text"] {
        let r = try run(["merge"] + reports + ["--format", format])
        #expect(r.status == 2, "\(reports): \(r.err)")
        #expect(r.out.isEmpty, "no report")
        #expect(r.err == "initlens: merge: \(message)\n")
      }
    }
    try refused([files[0], files[2]], "shard 2/3 is missing")
    try refused([files[1]], "shards 1/3, 3/3 are missing")
    try refused(files + [files[1]], "shard 2/3 given twice (\(files[1]), \(files[1]))")
    // Other PATH arguments: another run, though shard 3/3 is there.
    let other = try shards(fx, [dir, dir + "/b-imds"], name: "other")
    try refused(
      [files[0], files[1], other[2]], "\(other[2]) is from another run (inputs or rules differ from \(files[0]))")
    // A bundle's log grew between the shards' runs over the same paths: another run.
    let log = fx.root.appendingPathComponent("b-imds/var/log/cloud-init.log")
    let before = try Data(contentsOf: log)
    try (before + Data("2025-06-25 14:58:30,000 - util.py[DEBUG]: appended\n".utf8)).write(to: log)
    let grown = try shards(fx, [dir], name: "grown")
    try before.write(to: log)
    try refused(
      [files[0], files[1], grown[2]], "\(grown[2]) is from another run (inputs or rules differ from \(files[0]))")
    // Other rules (a comment added to one rule file): another run, and another rules hash.
    let rulesCopy = fx.root.appendingPathComponent("rules-copy")
    try FileManager.default.copyItem(at: Repo.root.appendingPathComponent("rules"), to: rulesCopy)
    let ruleFile = try #require(RuleSet.yamlFiles(under: rulesCopy.path).first)
    try (String(contentsOfFile: ruleFile, encoding: .utf8) + "# edited\n").write(
      toFile: ruleFile, atomically: true, encoding: .utf8)
    let edited = try shards(fx, [dir], name: "edited", env: ["INITLENS_RULES_DIR": rulesCopy.path])
    let a = try shardObject(String(contentsOfFile: files[2], encoding: .utf8))
    let b = try shardObject(String(contentsOfFile: edited[2], encoding: .utf8))
    #expect(a?["rules"] as? String != b?["rules"] as? String)
    try refused(
      [files[0], files[1], edited[2]], "\(edited[2]) is from another run (inputs or rules differ from \(files[0]))")
    // Another N.
    let halves = try shards(fx, [dir], n: 2, name: "half")
    try refused([files[0], halves[1]], "\(halves[1]) is from another run (shard of 2, not 3)")
    // A whole run's report among shards.
    let whole = fx.root.appendingPathComponent("whole.json").path
    _ = try run(["fleet", dir, "--format", "json", "-o", whole])
    try refused(
      files + [whole], "\(whole) is not a shard report (no fleet.shard: written by fleet --shard K/N --format json)")
    // The complete set, in any order, still merges.
    let merged = try run(["merge", files[2], files[0], files[1], "--format", "json"])
    #expect(merged.status == 2, "b-evil's refused members: \(merged.err)")
    #expect(!merged.out.isEmpty)
    // A whole run's report alone is merged again as it is.
    let again = try run(["merge", whole, "--format", "json"])
    #expect(again.out == (try String(contentsOfFile: whole, encoding: .utf8)))
  }

  @Test func fleetWithNoBundleIsAnError() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    try "notes".write(to: empty.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
    for extra in [[], ["--shard", "2/3"], ["--format", "json"]] {
      let r = try run(["fleet", empty.path] + extra)
      #expect(r.status == 2, "\(extra)")
      #expect(r.out.isEmpty, "\(extra): no report")
      #expect(r.err == "initlens: fleet: no bundle found in \(empty.path)\n", "\(extra)")
    }
  }

  @Test func fleetWhoseBundlesHoldNoReadableLogIsAnError() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-unread-\(UUID().uuidString)")
    let fm = FileManager.default
    try fm.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: root) }
    for name in ["a.tgz", "b.tar.gz", "c.tar"] {
      try "not an archive".write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let r = try run(["fleet", root.path, "--format", "json"])
    #expect(r.status == 2)
    #expect(r.out.isEmpty, "no report")
    #expect(r.err.hasSuffix("initlens: fleet: none of the 3 bundles held a log initlens reads\n"), "\(r.err)")
    // One readable bundle among them: the report is written, the others are bundle errors.
    let good = root.appendingPathComponent("good/var/log")
    try fm.createDirectory(at: good, withIntermediateDirectories: true)
    try fm.copyItem(
      at: Repo.root.appendingPathComponent("samples/healthy/cloud-init.log"),
      to: good.appendingPathComponent("cloud-init.log"))
    let some = try run(["fleet", root.path, "--format", "json"])
    #expect(some.status == 2, "the unreadable archives")
    let object = try JSONSerialization.jsonObject(with: Data(some.out.utf8)) as? [String: Any]
    let fleet = try #require(object?["fleet"] as? [String: Any])
    #expect(fleet["bundles"] as? Int == 4)
    #expect((fleet["bundleErrors"] as? [Any])?.count == 3)
    #expect(fleet["hosts"] as? Int == 1)
  }
}
