import Foundation
import Testing

@testable import InitLensKit

/// Builds a small fleet in a temporary directory: bundles as directories and as archives.
struct FleetFixture {
  /// The fixture is built with bash, tar and python3.
  static var toolsAvailable: Bool { Requirement.tools("bash", "tar", "python3") }
  static let noTools = "needs bash, tar and python3 to build the fleet fixture"

  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-fleet-\(UUID().uuidString)")
    let fm = FileManager.default
    try fm.createDirectory(at: root, withIntermediateDirectories: true)
    // b-imds: a copy of /var/log as a directory.
    let b1 = root.appendingPathComponent("b-imds/var/log")
    try fm.createDirectory(at: b1, withIntermediateDirectories: true)
    for f in ["cloud-init.log", "cloud-init-output.log", "journal.txt"] {
      try fm.copyItem(at: Repo.root.appendingPathComponent("samples/imds-503/\(f)"), to: b1.appendingPathComponent(f))
    }
    // b-ecs: ECS files at the top of the bundle.
    let b2 = root.appendingPathComponent("b-ecs")
    try fm.createDirectory(at: b2.appendingPathComponent("ecs"), withIntermediateDirectories: true)
    try fm.copyItem(
      at: Repo.root.appendingPathComponent("samples/ecs-warm-pool-404/ecs-agent.log"),
      to: b2.appendingPathComponent("ecs/ecs-agent.log.2025-02-04-07"))
    try fm.copyItem(
      at: Repo.root.appendingPathComponent("samples/ecs-warm-pool-404/ecs.config"),
      to: b2.appendingPathComponent("ecs.config"))
    // b-healthy.tar.gz: a collect-logs style tarball.
    let staging = root.appendingPathComponent(".staging/cloud-init-logs-2025-03-24")
    try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    for f in ["cloud-init.log", "cloud-init-output.log", "journal.txt"] {
      try fm.copyItem(
        at: Repo.root.appendingPathComponent("samples/healthy/\(f)"), to: staging.appendingPathComponent(f))
    }
    try shell("cd '\(root.path)/.staging' && tar czf '\(root.path)/b-healthy.tar.gz' cloud-init-logs-2025-03-24")
    // b-evil.tgz: members that try to leave the bundle, and one good log.
    try shell(
      """
      python3 - <<'PY'
      import io, tarfile
      with tarfile.open('\(root.path)/b-evil.tgz', 'w:gz') as t:
          for name, text in [('../../etc/cron.d/x', b'evil'), ('/etc/passwd', b'root'), ('var/log/cloud-init.log', b'2025-01-01 00:00:00,000 - util.py[DEBUG]: hello\\n')]:
              info = tarfile.TarInfo(name); info.size = len(text); t.addfile(info, io.BytesIO(text))
      PY
      """)
    // Not a bundle: ignored.
    try "notes".write(to: root.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite(.serialized) struct FleetTests {
  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools)) func bundlesAreFoundInEveryLayout() throws {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let (bundles, errors) = BundleFinder.bundles(in: [fx.root.path])
    #expect(bundles.map(\.name) == ["b-ecs", "b-evil", "b-healthy", "b-imds"])
    #expect(bundles.map(\.kind) == [.directory, .archive, .archive, .directory])
    #expect(errors.isEmpty)
    // A bundle given directly is one bundle.
    #expect(BundleFinder.bundles(in: [fx.root.appendingPathComponent("b-imds").path]).bundles.count == 1)
    #expect(BundleFinder.bundles(in: [fx.root.path + "/missing"]).errors.count == 1)
  }

  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools))
  func archivesAreReadInMemoryAndUnsafeNamesRefused() throws {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let runner = FleetRunner(rules: repoRules, options: AnalyzerOptions())
    let evil = Bundle(path: fx.root.appendingPathComponent("b-evil.tgz").path, kind: .archive)
    let (report, errors, _) = runner.analyze(evil)
    #expect(
      errors.map(\.message).sorted() == [
        "refused archive member ../../etc/cron.d/x (absolute or '..' path)",
        "refused archive member /etc/passwd (absolute or '..' path)",
      ])
    #expect(report.summary.linesRead == 1)
    #expect(report.inputs.map(\.name) == [evil.path + ":var/log/cloud-init.log"])
    #expect(!FileManager.default.fileExists(atPath: fx.root.appendingPathComponent("etc").path))
  }

  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools)) func tarLongNamesAndPaxPaths() throws {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let long = String(repeating: "d", count: 120) + "/cloud-init.log"
    try shell(
      """
      python3 - <<'PY'
      import io, tarfile
      for fmt, out in [(tarfile.GNU_FORMAT, 'gnu.tar'), (tarfile.PAX_FORMAT, 'pax.tar')]:
          with tarfile.open('\(fx.root.path)/' + out, 'w', format=fmt) as t:
              data = b'x\\n'; info = tarfile.TarInfo('\(long)'); info.size = len(data); t.addfile(info, io.BytesIO(data))
      PY
      """)
    for file in ["gnu.tar", "pax.tar"] {
      let bytes = Array(try Data(contentsOf: fx.root.appendingPathComponent(file)))
      let (members, refused) = try Tar.members(bytes)
      #expect(members.map(\.name) == [long], "\(file)")
      #expect(refused.isEmpty)
      #expect(Array(members[0].data) == Array("x\n".utf8))
    }
    #expect(throws: InputError.self) { try Tar.members(Array(repeating: 0x41, count: 600)) }
  }

  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools)) func hostsComeFromTheLogsElseTheBundleName()
    throws
  {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let (bundles, _) = BundleFinder.bundles(in: [fx.root.path])
    let runner = FleetRunner(rules: repoRules, options: AnalyzerOptions())
    let (reports, _) = runner.run(bundles, jobs: 2)
    let report = Report.combine(reports, bundles: bundles.count, bundleErrors: [])
    #expect(report.hosts.map(\.host) == ["b-ecs", "b-evil", "i-07b3e9d1c5a2f6048", "ip-10-0-1-23.ec2.internal"])
    #expect(report.hosts[2].boots.first?.hostname == "ip-10-0-2-77.ec2.internal")
    let fleet = try #require(report.fleet)
    #expect(fleet.bundles == 4 && fleet.hosts == 4)
    #expect(fleet.rootCauses.map(\.id).sorted() == ["ecs-warm-pool-404", "imds-503-not-retried"])
    #expect(fleet.rootCauses.first { $0.id == "ecs-warm-pool-404" }?.hostNames == ["b-ecs"])
    #expect(fleet.affectedHosts == 2 && fleet.healthyHosts == 2)
    #expect(fleet.versions["cloud-init"]?["22.2.2"] == VersionCount(hosts: 2, affected: 1))
    // The ECS bundle's ecs.config reached its boot's facts, and the version picked the chain's case.
    let ecs = report.hosts.first { $0.host == "b-ecs" }!.boots[0]
    #expect(ecs.facts["ECS_WARM_POOLS_CHECK"] == "true")
    #expect(ecs.rootCauses.first?.summary.contains("1.89.3") == true)
  }

  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools))
  func reportIsTheSameWhateverTheBundleOrderAndJobs() throws {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let (bundles, _) = BundleFinder.bundles(in: [fx.root.path])
    let runner = FleetRunner(rules: repoRules, options: AnalyzerOptions())
    let a = runner.run(bundles, jobs: 1)
    let b = runner.run(bundles.reversed(), jobs: 3)
    #expect(
      JSONRenderer.render(Report.combine(a.reports, bundles: 4, bundleErrors: a.errors))
        == JSONRenderer.render(Report.combine(b.reports, bundles: 4, bundleErrors: b.errors)))
  }

  @Test func everyBundleIsInExactlyOneShard() {
    let bundles = (0..<500).map { Bundle(path: "/fleet/bundle-\($0)", kind: .directory) }
    for n in [1, 2, 3, 7] {
      var counts = Array(repeating: 0, count: n + 1)
      for b in bundles {
        let k = b.shard(of: n)
        #expect((1...n).contains(k))
        counts[k] += 1
      }
      #expect(counts.reduce(0, +) == 500)
      if n > 1 { #expect(counts.dropFirst().allSatisfy { $0 > 500 / n / 2 }, "shards roughly balanced: \(counts)") }
    }
    #expect(
      Bundle(path: "/fleet/x", kind: .directory).shard(of: 5) == Bundle(path: "/fleet/x", kind: .archive).shard(of: 5))
  }

  /// `initlens fleet --shard K/N` then `initlens merge` gives exactly the single run's report.
  @Test(.requires(FleetFixture.toolsAvailable, FleetFixture.noTools)) func mergedShardsAreByteIdenticalToASingleRun()
    throws
  {
    let fx = try FleetFixture()
    defer { fx.remove() }
    let dir = fx.root.path
    let single = try run(["fleet", dir, "--format", "json"])
    #expect(single.status == 2)  // b-evil's refused members are reported
    var shardFiles: [String] = []
    for k in 1...3 {
      let out = fx.root.appendingPathComponent("shard-\(k).json").path
      _ = try run(["fleet", dir, "--shard", "\(k)/3", "--format", "json", "-o", out])
      shardFiles.append(out)
    }
    let merged = try run(["merge"] + shardFiles.reversed() + ["--format", "json"])
    // b-evil's refused members are bundle errors in the shards too: 2, like the single run.
    #expect(merged.status == 2, "\(merged.err)")
    #expect(merged.out == single.out)
    for format in ["text", "html"] {
      let a = try run(["fleet", dir, "--format", format])
      let b = try run(["merge"] + shardFiles + ["--format", format])
      #expect(a.out == b.out, "\(format)")
    }
  }

  @Test func badShardAndBadMergeInput() throws {
    #expect(try run(["fleet", "/tmp", "--shard", "4/3"]).status == 64)
    let bad = FileManager.default.temporaryDirectory.appendingPathComponent("not-json-\(UUID().uuidString).json")
    try "nope".write(to: bad, atomically: true, encoding: .utf8)
    let r = try run(["merge", bad.path])
    #expect(r.status == 2)
    #expect(r.err.contains("not a readable initlens JSON report"))
  }
}
