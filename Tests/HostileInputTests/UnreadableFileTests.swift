import Foundation
import InitLensKit
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Inputs that cannot be read (not a directory, an I/O error, no permission, a directory): exit 2,
/// one line naming the file, the rest still reported.
extension HostileInputTests {
  @Test func unreadableFileIsExitTwoEvenAsRoot() throws {
    let dir = try Hostile.tempDir("unreadable")
    defer { Hostile.cleanUp(dir) }
    let good = dir.appendingPathComponent("journal.txt")
    try Hostile.write(Array(imds503.utf8), to: good)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: good.path)

    // 1. A path through a regular file: open(2) fails with ENOTDIR, for root too.
    let notDir = good.path + "/cloud-init.log"
    // 2. A file that opens but whose read fails: /proc/self/mem at offset 0 is unmapped (EIO), for root too.
    let ioError = "/proc/self/mem"
    let r = try ProcessRun.initlens(["--format", "json", notDir, ioError, good.path])
    expectSaneRun(r, files: [notDir, ioError, good.path], lines: 3, status: 2)
    #expect(r.errLines.count == 2, "\(r.stderr)")
    #expect(r.errLines.contains("initlens: \(notDir): cannot read: not a directory"))
    #expect(
      r.errLines.contains { $0.hasPrefix("initlens: \(ioError):") && $0.contains("read failed: input/output error") },
      "\(r.stderr)")
    #expect(incidentKinds(r.json).contains("imds-503"))

    // The library says the same.
    let analyzer = Analyzer(rules: Hostile.ruleSet)
    analyzer.analyzeFile(path: notDir)
    analyzer.analyzeFile(path: good.path)
    let report = analyzer.finish()
    expectAccounting(report.summary, lines: 3)
    #expect(analyzer.diagnostics.map(\.description) == ["\(notDir): cannot read: not a directory"])
  }

  /// Whether this process can be denied a chmod 000 file: not root, or root with a setpriv that can
  /// drop to `nobody` (some containers refuse it).
  static let canBeDeniedAFile: Bool = {
    guard getuid() == 0 else { return true }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
    let probe = try? ProcessRun.run(Hostile.asNobody(["/bin/true"]), timeout: 30)
    return probe?.status == 0
  }()

  /// chmod 000. Root reads it anyway, so as root initlens runs as `nobody` (setpriv).
  @Test(
    .requires(
      canBeDeniedAFile, "runs as root without a setpriv that can drop privileges (apt-get install util-linux)"))
  func fileWithoutReadPermissionIsExitTwoEvenAsRoot() throws {
    let dir = try Hostile.tempDir("locked")
    defer { Hostile.cleanUp(dir) }
    let good = dir.appendingPathComponent("journal.txt")
    try Hostile.write(Array(imds503.utf8), to: good)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: good.path)
    let locked = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(Array(imds503.utf8), to: locked)
    try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
    let argv = [Hostile.binary, "--format", "json", locked.path, good.path]
    let locked000 = try ProcessRun.run(getuid() == 0 ? Hostile.asNobody(argv) : argv)
    #expect(locked000.status != 127 && !locked000.stderr.contains("setpriv:"), "setpriv: \(locked000.stderr)")
    expectSaneRun(locked000, files: [locked.path], lines: 3, status: 2)
    #expect(locked000.errLines == ["initlens: \(locked.path): cannot read: permission denied"])
  }

  @Test func directoryGivenAsFileIsExitTwo() throws {
    let dir = try Hostile.tempDir("dir")
    defer { Hostile.cleanUp(dir) }
    let good = dir.appendingPathComponent("cloud-init.log")
    try Hostile.write(Array(imds503.utf8), to: good)
    let r = try ProcessRun.initlens(["--format", "json", dir.path, good.path])
    expectSaneRun(r, files: [dir.path], lines: 3, status: 2)
    #expect(r.errLines.count == 1)
    #expect(r.errLines.first?.hasPrefix("initlens: \(dir.path): is a directory") == true, "\(r.stderr)")
    #expect(incidentKinds(r.json).contains("imds-503"))
    // `fleet` given a log file instead of a bundle: no bundle at all, so no report.
    let fleet = try ProcessRun.initlens(["fleet", "--format", "json", good.path])
    #expect(fleet.status == 2)
    #expect(fleet.stdout.isEmpty, "no report")
    #expect(fleet.errLines.first?.hasPrefix("initlens: \(good.path): not a bundle") == true, "\(fleet.stderr)")
    #expect(fleet.errLines.last == "initlens: fleet: no bundle found in \(good.path)")
  }
}
