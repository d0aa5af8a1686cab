import Foundation
import InitLensKit
// Shared with InitLensKitTests (Tests/TestSupport): Repo, repoRules, analyzeInMemory, ProcessRun,
// bounded, gzip, shell, SplitMix, `.requires(…)`. Exported so that every file of this target sees
// them without importing it.
@_exported import TestSupport

/// Paths of the repository and of the binaries built beside this test bundle (Repo's, by the names
/// this target's tests use), and temporary folders.
enum Hostile {
  static var root: URL { Repo.root }
  static var rules: String { Repo.rules }
  static var corpus: String { root.appendingPathComponent("Tests/HostileInputTests/Corpus").path }
  static func executable(_ name: String) -> String { Repo.executable(name) }
  static var binary: String { executable("initlens") }
  static var fuzzBinary: String { executable("initlens-fuzz") }
  static var ruleSet: RuleSet { repoRules }

  /// A fresh temporary directory (removed by the caller with `cleanUp`).
  static func tempDir(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "initlens-hostile-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func cleanUp(_ dir: URL) {
    // Undo chmod 000 and friends so removal works.
    _ = try? ProcessRun.run(["/bin/chmod", "-R", "u+rwx", dir.path], timeout: 30)
    try? FileManager.default.removeItem(at: dir)
  }

  static func write(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
  }

  /// `argv` run as `nobody` through setpriv (root reads any file; a permission test needs a user).
  static func asNobody(_ argv: [String]) -> [String] {
    ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + argv
  }
}
