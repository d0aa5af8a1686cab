import Foundation
import InitLensKit

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

/// The repository's rules, loaded once.
public let repoRules: RuleSet = {
  let (set, _) = RuleSet.load([.directory(Repo.rules)])
  return set
}()

/// Analyses in-memory inputs with the library: the report and its diagnostics.
public func analyzeInMemory(
  _ inputs: [(name: String, bytes: [UInt8])], options: AnalyzerOptions = AnalyzerOptions(), chunk: Int = 1 << 16,
  rules: RuleSet = repoRules
) -> (report: Report, diagnostics: [InputDiagnostic]) {
  let analyzer = Analyzer(rules: rules, options: options)
  for input in inputs {
    var source = MemoryByteSource(input.bytes, chunk: chunk)
    analyzer.analyze(name: input.name, source: &source)
  }
  return (analyzer.finish(), analyzer.diagnostics)
}

/// A deterministic generator (SplitMix64), so random inputs are the same on every run and a failure
/// can be replayed from its seed.
public struct SplitMix: RandomNumberGenerator {
  public var state: UInt64
  public init(state: UInt64) { self.state = state }
  public init(seed: UInt64) { self.state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// `n` random bytes.
  public mutating func bytes(_ n: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: n)
    var i = 0
    while i < n {
      var v = next()
      for _ in 0..<8 where i < n {
        out[i] = UInt8(truncatingIfNeeded: v)
        v >>= 8
        i += 1
      }
    }
    return out
  }
}
