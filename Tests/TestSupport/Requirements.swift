import Foundation
import Testing

/// What a test needs beyond the repository (a tool, the shared folder). A test that lacks it is
/// reported as skipped with the reason, never passed; in CI (`CI` set) it is never skipped: it runs,
/// and fails on what is missing.
public enum Requirement {
  /// CI sets `CI` (`.ci/run` exports `CI=1`).
  public static var inCI: Bool {
    let value = ProcessInfo.processInfo.environment["CI"] ?? ""
    return !value.isEmpty && value != "0" && value.lowercased() != "false"
  }

  /// The path of `tool` in PATH (or /bin, /usr/bin), nil when it is not installed.
  public static func tool(_ tool: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(tool)" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Every one of `tools` is installed.
  public static func tools(_ tools: String...) -> Bool { tools.allSatisfy { tool($0) != nil } }

  /// python3 is installed and can import `module`.
  public static func pythonModule(_ module: String) -> Bool {
    guard let python = tool("python3") else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-c", "import \(module)"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test when `available`; otherwise skipped with `reason`, except in CI, where it runs
  /// (and fails on what is missing) so that CI never passes a test it did not run.
  public static func requires(_ available: Bool, _ reason: String) -> Self {
    .enabled(if: available || Requirement.inCI, Comment(rawValue: reason))
  }
}
