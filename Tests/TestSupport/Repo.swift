import Foundation

/// Paths of the repository, of the binaries built beside the test bundle, and of the sibling `shared/`
/// folder (read-only material that is not in the repository: the benchmark's generator, real logs).
public enum Repo {
  /// The repository: this file is Tests/TestSupport/Repo.swift.
  public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  public static var rules: String { root.appendingPathComponent("rules").path }
  public static var samples: String { root.appendingPathComponent("samples").path }

  /// A built executable next to the test bundle (swift build puts both in <scratch>/<config>/).
  public static func executable(_ name: String) -> String {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug/\(name)").path
  }

  /// The built `initlens`.
  public static var binary: String { executable("initlens") }

  /// The shared folder: `INITLENS_SHARED` when set (an empty value or a missing folder hides it, to
  /// run the suite as a checkout on its own), else `shared/` beside the repository.
  public static var shared: URL {
    if let dir = ProcessInfo.processInfo.environment["INITLENS_SHARED"] {
      return URL(fileURLWithPath: dir.isEmpty ? "/nonexistent/initlens-shared" : dir)
    }
    return root.deletingLastPathComponent().appendingPathComponent("shared")
  }

  /// A file of the shared folder, or nil when it is not there.
  public static func sharedFile(_ relative: String) -> URL? {
    let url = shared.appendingPathComponent(relative)
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }
}
