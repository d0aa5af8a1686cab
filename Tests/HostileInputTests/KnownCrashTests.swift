import Foundation
import InitLensKit
import Testing

/// Lines that crashed initlens (found by the fuzz target), run through the built binary.
extension HostileInputTests {
  /// Lines that crash initlens in code this suite does not own (found by the fuzz target, reported,
  /// kept in Corpus/known-crash-*): each is a known issue until fixed, then this test fails until
  /// the case is removed from the list (and the corpus file renamed regress-…).
  static let knownCrashes: [(name: String, file: String, line: String)] = [
    (
      "CloudInitEvent.decimalMicros overflows on an uptime past Int64 µs", "cloud-init.log",
      "2025-06-25 14:58:00,100 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 9999999999999 seconds."
    ),
    (
      "Version.init overflows on a version component past Int (with a correlation to check)", "cloud-init.log",
      "2025-06-25 14:58:00,100 - util.py[DEBUG]: Cloud-init v. 99999999999999999999 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds."
    ),
  ]

  @Test(arguments: HostileInputTests.knownCrashes.indices)
  func formerCrashLineIsNotACrash(_ index: Int) throws {
    let known = Self.knownCrashes[index]
    let dir = try Hostile.tempDir("known-crash")
    defer { Hostile.cleanUp(dir) }
    let file = dir.appendingPathComponent(known.file)
    // The crash line, then the imds-503 lines (an incident, so correlations are evaluated).
    let text = known.line + "\n" + imds503.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
    try Hostile.write(Array(text.utf8), to: file)
    let r = try ProcessRun.initlens(["--format", "json", file.path])
    // Regression (fixed): \(known.name).
    #expect(r.signal == nil, "killed by signal \(r.signal ?? 0): \(known.name)")
    expectSaneRun(r, files: [file.path], lines: 3, status: 0)
  }
}
