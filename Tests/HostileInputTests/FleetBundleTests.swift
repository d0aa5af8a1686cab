import Foundation
import InitLensKit
import Testing

/// Fleet bundles that try to escape: archive members with `..` or absolute names, symbolic link loops
/// and links out of the bundle.
extension HostileInputTests {
  @Test(.requires(Requirement.tools("gzip"), "gzip is not installed"))
  func fleetArchiveRefusesTraversalAndAbsoluteMemberNames() throws {
    let dir = try Hostile.tempDir("tar")
    defer { Hostile.cleanUp(dir) }
    let log = Array(imds503.utf8)
    var tar = TarWriter()
    tar.add(name: "../escaped/cloud-init.log", data: log)
    tar.add(name: "/tmp/initlens-hostile-absolute/cloud-init.log", data: log)
    tar.add(name: "var/log/../../../../cloud-init.log", data: log)
    tar.add(
      name: "var/log/" + String(repeating: "deep/", count: 30) + "../../cloud-init.log", data: log, longName: true)
    tar.add(name: "var/log/link-out", data: [], type: 0x32, linkName: "/etc/shadow")  // a symlink member
    tar.add(name: "var/log/cloud-init.log", data: log)
    tar.add(name: "var/log/cloud-init-output.log\n\u{1B}[31mforged: line", data: Array("plain text\n".utf8))
    let bundles = dir.appendingPathComponent("bundles")
    let work = dir.appendingPathComponent("work")
    for d in [bundles, work] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
    let archive = bundles.appendingPathComponent("i-0123.tar.gz")
    try Hostile.write(try gzip(tar.archive), to: archive)
    let plainTar = bundles.appendingPathComponent("i-0456.tar")
    try Hostile.write(tar.archive, to: plainTar)

    let r = try ProcessRun.run(
      ["/bin/sh", "-c", "cd '\(work.path)' && exec '\(Hostile.binary)' fleet --format json '\(bundles.path)'"])
    expectSaneRun(r, files: [archive.path, plainTar.path], status: 2)
    let refusals = r.errLines.filter { $0.contains("refused archive member") }
    #expect(refusals.count == 8, "4 unsafe names in each of 2 archives: \(r.stderr)")
    for line in r.errLines { #expect(!line.contains("\u{1B}"), "a control character reached stderr") }
    #expect(r.summary?["linesRead"] as? Int == 2 * (3 + 1), "the safe members are read")
    #expect(incidentKinds(r.json).contains("imds-503"))
    // Nothing was written anywhere: archives are read in memory.
    #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("escaped").path))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/initlens-hostile-absolute"))

    // The library: refused names are never returned as members.
    let (members, refused) = try Tar.members(tar.archive)
    #expect(Set(members.map(\.name)).count == 2)
    #expect(members.allSatisfy { !Tar.isUnsafe($0.name) && !$0.name.contains("\n") })
    #expect(refused.count == 4)

    // A member whose size field claims more than the archive holds (GNU base-256, near Int.max).
    var huge = tar.archive
    huge[124] = 0x80
    for i in 125..<136 { huge[i] = i < 128 ? 0 : 0xFF }
    huge[128] = 0x7F
    huge[135] = 0xF0
    #expect(throws: InputError.self) { _ = try Tar.members(huge) }
  }

  @Test func fleetDirectorySymlinkLoopIsNotFollowedAndLinksStayInTheBundle() throws {
    let dir = try Hostile.tempDir("loop")
    defer { Hostile.cleanUp(dir) }
    let bundle = dir.appendingPathComponent("fleet/i-loop")
    let logs = bundle.appendingPathComponent("var/log")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    try Hostile.write(Array(imds503.utf8), to: logs.appendingPathComponent("cloud-init.log"))
    let fm = FileManager.default
    try fm.createSymbolicLink(atPath: logs.appendingPathComponent("again").path, withDestinationPath: ".")
    try fm.createSymbolicLink(atPath: logs.appendingPathComponent("up").path, withDestinationPath: "../..")
    try fm.createSymbolicLink(atPath: bundle.appendingPathComponent("self").path, withDestinationPath: bundle.path)
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("fleet/i-alias").path, withDestinationPath: bundle.path)
    try fm.createSymbolicLink(atPath: logs.appendingPathComponent("a").path, withDestinationPath: "b")
    try fm.createSymbolicLink(atPath: logs.appendingPathComponent("b").path, withDestinationPath: "a")
    try fm.createSymbolicLink(atPath: logs.appendingPathComponent("messages").path, withDestinationPath: "messages")
    // A link out of the bundle to a file of the machine running initlens: never read or quoted.
    let outside = dir.appendingPathComponent("outside-secret.log")
    try Hostile.write(
      Array(imds503.replacingOccurrences(of: "169.254.169.254", with: "SECRET.OUTSIDE").utf8), to: outside)
    try fm.createSymbolicLink(
      atPath: logs.appendingPathComponent("cloud-init-output.log").path, withDestinationPath: outside.path)
    try fm.createSymbolicLink(atPath: logs.appendingPathComponent("syslog").path, withDestinationPath: "/etc/passwd")

    let r = try ProcessRun.initlens(
      ["fleet", "--format", "json", dir.appendingPathComponent("fleet").path], timeout: 60)
    expectSaneRun(r, files: [bundle.path], lines: 3)
    #expect(r.seconds < 30)
    #expect(incidentKinds(r.json).contains("imds-503"))
    let inputs = (r.json?["inputs"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(inputs == [logs.appendingPathComponent("cloud-init.log").path], "read once, through no link")
    #expect(!r.stdout.contains("SECRET.OUTSIDE"), "a file outside the bundle was quoted")

    let files = bounded(30) { BundleFinder.logFiles(in: bundle.path) }
    #expect(files == [logs.appendingPathComponent("cloud-init.log").path])
  }
}
