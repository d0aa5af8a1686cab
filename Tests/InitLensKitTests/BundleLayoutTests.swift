import Foundation
import Testing

@testable import InitLensKit

/// Every bundle layout fleets keep (Fixtures/bundles, built from real logs by `scripts/make-bundle-fixtures`):
/// each is found as one bundle per instance, named by its instance where its layout says, and diagnosed
/// as the plain logs it carries are.
@Suite struct BundleLayoutTests {
  static let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/bundles").path
  static let fx = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures").path
  static let samples = Repo.root.appendingPathComponent("samples").path

  static func bundle(_ suffix: String) throws -> InitLensKit.Bundle {
    try #require(BundleFinder.bundles(in: [dir]).bundles.first { $0.path.hasSuffix(suffix) }, "\(suffix)")
  }

  /// Per boot: its name (start or boot id), incident kinds with counts, root causes.
  static func diagnosis(_ report: Report) -> [String] {
    report.hosts.flatMap(\.boots).map { b in
      "\(b.boot) \(b.incidents.map { "\($0.kind)×\($0.count)" }.sorted()) \(b.rootCauses.map(\.id))"
    }
  }

  static func plain(_ files: [String]) -> Report {
    let analyzer = Analyzer(rules: repoRules)
    for file in files { analyzer.analyzeFile(path: file) }
    return analyzer.finish()
  }

  static func run(_ bundle: InitLensKit.Bundle) -> (Report, [BundleError], [InputDiagnostic]) {
    FleetRunner(rules: repoRules, options: AnalyzerOptions()).analyze(bundle)
  }

  @Test func everyLayoutIsFoundOnceWithItsInstance() throws {
    let (bundles, errors) = BundleFinder.bundles(in: [Self.dir])
    #expect(errors.isEmpty)
    let found = bundles.map { b in
      "\(b.path.dropFirst(Self.dir.count + 1)) \(b.kind) \(b.instanceID ?? "-") \(b.files.count)"
    }
    #expect(
      found == [
        "collect-i-0e1f2a3b4c5d60718-202502040730.tgz archive i-0e1f2a3b4c5d60718 0",
        "ec2rl-2025-01-22T09_30_00.000001.tgz archive - 0",
        "ec2rl/2025-01-22T09_20_11.123456 directory - 0",
        "ecs-host-cloud-init.tar.gz archive i-0d1e2f3a4b5c60718 0",
        "exports/cloud-init-output/9b2e61c0-7d3a-4c55-8f1e-2a6b0c9d4e71/i-0a1b2c3d4e5f60718 cloudWatchExport i-0a1b2c3d4e5f60718 3",
        "i-0fedcba9876543210.json file i-0fedcba9876543210 0",
        "ssm/2b7c1f4e-3a9d-4e62-b8f0-6d1c5a7e9b32/i-0b1c2d3e4f5a60719 ssmOutput i-0b1c2d3e4f5a60719 2",
        "ssm/c3a8e5f1-9d2b-4a76-8e41-0f6b2d4c8a15/mi-0c1d2e3f4a5b6071a ssmOutput mi-0c1d2e3f4a5b6071a 1",
        "tail-healthy.txt file i-0f1a2b3c4d5e60718 0",
      ])
    // The log group each export object came from is in its input name, where the line source is told.
    let export = try Self.bundle("i-0a1b2c3d4e5f60718")
    #expect(export.files.map(\.log) == ["cloud-init-output.log", "cloud-init.log", "cloud-init.log"])
    #expect(
      export.files.map { LineParser.source(forFileName: $0.inputName) } == [Source.cloudInit, .cloudInit, .cloudInit])
    #expect(export.files.map { $0.path.hasSuffix(".gz") } == [true, true, true])
    // A layout given directly is found the same way.
    let ssm = BundleFinder.bundles(in: [Self.dir + "/ssm"]).bundles
    #expect(ssm.map(\.name) == ["i-0b1c2d3e4f5a60719", "mi-0c1d2e3f4a5b6071a"])
    let stdout =
      "\(Self.dir)/ssm/c3a8e5f1-9d2b-4a76-8e41-0f6b2d4c8a15/mi-0c1d2e3f4a5b6071a/awsrunShellScript/0.awsrunShellScript/stdout"
    #expect(BundleFinder.bundles(in: [stdout]).bundles.map(\.kind) == [.ssmOutput])
  }

  /// An archive whose name names no instance (`collect-<time>.tgz`): its first members do.
  @Test func archiveMembersNameTheInstance() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-ids-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for (from, to) in [
      ("collect-i-0e1f2a3b4c5d60718-202502040730.tgz", "collect-202502040730.tgz"),
      ("ecs-host-cloud-init.tar.gz", "cloud-init.tar.gz"), ("ec2rl-2025-01-22T09_30_00.000001.tgz", "ec2rl.tgz"),
    ] {
      try FileManager.default.copyItem(atPath: "\(Self.dir)/\(from)", toPath: root.appendingPathComponent(to).path)
    }
    let ids = BundleFinder.bundles(in: [root.path]).bundles.map { "\($0.name) \($0.instanceID ?? "-")" }
    #expect(ids == ["cloud-init i-0d1e2f3a4b5c60718", "collect-202502040730 i-0e1f2a3b4c5d60718", "ec2rl -"])
  }

  /// (bundle, the plain logs it carries, the host it must be reported under).
  static let cases: [(String, [String], String?)] = [
    (
      "ssm/2b7c1f4e-3a9d-4e62-b8f0-6d1c5a7e9b32/i-0b1c2d3e4f5a60719",
      ["\(fx)/realci/imds-hang/cloud-init-output.log", "\(fx)/realci/imds-hang/cloud-init.log"], "i-0b1c2d3e4f5a60719"
    ),
    ("mi-0c1d2e3f4a5b6071a", ["\(fx)/realci/healthy/cloud-init-output.log"], "mi-0c1d2e3f4a5b6071a"),
    ("ec2rl/2025-01-22T09_20_11.123456", ["\(fx)/realci/userdata-exit3/cloud-init-output.log"], nil),
    (
      "ec2rl-2025-01-22T09_30_00.000001.tgz",
      ["cloud-init.log", "cloud-init-output.log", "journal.txt"].map { "\(samples)/imds-503/\($0)" },
      "ip-10-0-1-23.ec2.internal"
    ),
    (
      "ecs-host-cloud-init.tar.gz",
      ["cloud-init.log", "cloud-init-output.log", "journal.txt"].map { "\(samples)/ecs-warm-pool-404/\($0)" },
      "i-0d1e2f3a4b5c60718"
    ),
    (
      "collect-i-0e1f2a3b4c5d60718-202502040730.tgz",
      ["journal.txt", "ecs-agent.log", "ecs-init.log", "ecs.config"].map { "\(samples)/ecs-warm-pool-404/\($0)" },
      "i-0e1f2a3b4c5d60718"
    ),
    ("i-0fedcba9876543210.json", ["\(fx)/console-output/gh196.console.txt"], "i-0fedcba9876543210"),
  ]

  @Test(arguments: 0..<cases.count) func eachLayoutIsDiagnosedLikeItsPlainLogs(_ i: Int) throws {
    let (suffix, files, host) = Self.cases[i]
    let bundle = try Self.bundle(suffix)
    let (report, errors, _) = Self.run(bundle)
    let plain = Self.plain(files)
    #expect(errors.isEmpty, "\(errors)")
    #expect(!plain.hosts.flatMap(\.boots).isEmpty)
    #expect(report.hosts.map(\.host) == [host ?? bundle.name])
    #expect(Self.diagnosis(report) == Self.diagnosis(plain), "\(suffix)")
    #expect(report.summary.linesMatched == plain.summary.linesMatched, "\(suffix)")
  }

  /// An `aws logs tail` capture is one file bundle, its stream the host (its times are the events').
  @Test func tailCaptureIsReadUnderItsStream() throws {
    let (report, errors, _) = Self.run(try Self.bundle("tail-healthy.txt"))
    #expect(errors.isEmpty)
    #expect(report.hosts.map(\.host) == ["i-0f1a2b3c4d5e60718"])
    #expect(
      report.summary.linesRead == Self.plain(["\(Self.fx)/realci/healthy/cloud-init-output.log"]).summary.linesRead)
  }

  /// The export's lines (`<ISO>Z <message>`) are read under the stream, every object, each as the log its
  /// prefix names, and diagnosed like the plain logs.
  @Test func cloudWatchExportIsOneInstance() throws {
    let bundle = try Self.bundle("i-0a1b2c3d4e5f60718")
    let (report, errors, _) = Self.run(bundle)
    let plain = Self.plain(["cloud-init.log", "cloud-init-output.log"].map { "\(Self.fx)/realci/imds-503/\($0)" })
    #expect(errors.isEmpty)
    #expect(report.hosts.map(\.host) == ["i-0a1b2c3d4e5f60718"])
    #expect(report.inputs.count == 3)
    #expect(report.summary.linesRead == plain.summary.linesRead)
    #expect(Self.diagnosis(report) == Self.diagnosis(plain))
  }

  /// A collect-logs tarball of an ECS host says once that it holds no agent log (a note, not an error);
  /// the ECS collector's archive, which holds it, says nothing of the kind.
  @Test func collectLogsOfAnECSHostIsNotedOnce() throws {
    let (_, errors, diagnostics) = Self.run(try Self.bundle("ecs-host-cloud-init.tar.gz"))
    #expect(errors.isEmpty)
    let notes = diagnostics.filter { $0.message.contains("no ECS agent log") }
    #expect(notes.count == 1 && notes.allSatisfy { !$0.lostInput })
    let (_, _, collector) = Self.run(try Self.bundle("collect-i-0e1f2a3b4c5d60718-202502040730.tgz"))
    #expect(!collector.contains { $0.message.contains("no ECS agent log") })
    let seen = NoteLog()
    var runner = FleetRunner(rules: repoRules, options: AnalyzerOptions())
    runner.onNote = { seen.add($0.message) }
    _ = runner.run([try Self.bundle("ecs-host-cloud-init.tar.gz")], jobs: 1)
    #expect(seen.messages.filter { $0.contains("no ECS agent log") }.count == 1)
  }
}

extension BundleLayoutTests {
  /// In a fleet directory a link to a file is never read as a file input, an export object or SSM
  /// output (it could point at a file of the machine running initlens); the objects themselves are.
  @Test func linkedObjectsAreNotBundles() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-links-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let stream = root.appendingPathComponent("p/4f15b84a-1adb-492a-820c-c0cedcaf1933/i-0a1b2c3d4e5f60718")
    try FileManager.default.createDirectory(at: stream, withIntermediateDirectories: true)
    let fm = FileManager.default
    try fm.createSymbolicLink(
      atPath: root.appendingPathComponent("i-0fedcba9876543210.json").path,
      withDestinationPath: "\(Self.dir)/i-0fedcba9876543210.json")
    try fm.createSymbolicLink(
      atPath: stream.appendingPathComponent("000000.gz").path,
      withDestinationPath:
        "\(Self.dir)/exports/cloud-init/4f15b84a-1adb-492a-820c-c0cedcaf1933/i-0a1b2c3d4e5f60718/000000.gz")
    #expect(BundleFinder.bundles(in: [root.path]).bundles.isEmpty)
    try fm.removeItem(at: stream.appendingPathComponent("000000.gz"))
    try fm.copyItem(
      atPath: "\(Self.dir)/exports/cloud-init/4f15b84a-1adb-492a-820c-c0cedcaf1933/i-0a1b2c3d4e5f60718/000000.gz",
      toPath: stream.appendingPathComponent("000000.gz").path)
    #expect(BundleFinder.bundles(in: [root.path]).bundles.map(\.kind) == [.cloudWatchExport])
  }
}

extension BundleLayoutTests {
  /// SSM output of `journalctl`: the journal names its host by host name; the key's instance id is the host.
  @Test func ssmOutputOfAJournalIsTheKeysInstance() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-ssm-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let step = root.appendingPathComponent(
      "2b7c1f4e-3a9d-4e62-b8f0-6d1c5a7e9b32/i-0b1c2d3e4f5a60719/awsrunShellScript/0.awsrunShellScript")
    try FileManager.default.createDirectory(at: step, withIntermediateDirectories: true)
    let journal = "\(Self.samples)/imds-503/journal.txt"
    try FileManager.default.copyItem(atPath: journal, toPath: step.appendingPathComponent("stdout").path)
    let bundles = BundleFinder.bundles(in: [root.path]).bundles
    #expect(bundles.map(\.kind) == [.ssmOutput])
    let (report, errors, _) = Self.run(try #require(bundles.first))
    let plain = Self.plain([journal])
    #expect(errors.isEmpty)
    #expect(plain.hosts.map(\.host) == ["ip-10-0-1-23.ec2.internal"])
    #expect(report.hosts.map(\.host) == ["i-0b1c2d3e4f5a60719"])
    #expect(Self.diagnosis(report) == Self.diagnosis(plain))
  }
}

/// Notes a fleet run hands over, from its worker threads.
/// SAFETY: every access goes through `lock`.
final class NoteLog: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []
  func add(_ s: String) { lock.withLock { list.append(s) } }
  var messages: [String] { lock.withLock { list } }
}
