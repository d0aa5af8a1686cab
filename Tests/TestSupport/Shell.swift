import Foundation

/// A shell command that failed (python3 or a generator missing, a script error): the test fails
/// with its status instead of going on with empty output.
public struct ShellFailed: Error, CustomStringConvertible {
  public var script: String
  public var status: Int32
  public var description: String { "exit \(status): bash -c \(script.prefix(300))" }
}

/// Runs `script` with bash; its standard output. Throws when it exits non-zero.
@discardableResult
public func shell(_ script: String) throws -> String {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/bin/bash")
  p.arguments = ["-c", script]
  let out = Pipe()
  p.standardOutput = out
  try p.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else { throw ShellFailed(script: script, status: p.terminationStatus) }
  return String(decoding: data, as: UTF8.self)
}

/// gzip-compresses `bytes` with the system's `gzip -9` (tests that call it need `Requirement.tools("gzip")`).
public func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-gz-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let file = dir.appendingPathComponent("x")
  try Data(bytes).write(to: file)
  let r = try ProcessRun.run(["/bin/sh", "-c", "gzip -c -9 '\(file.path)' > '\(file.path).gz'"], timeout: 120)
  guard r.status == 0 else { throw ShellFailed(script: "gzip -c -9: \(r.stderr)", status: r.status ?? -1) }
  return Array(try Data(contentsOf: URL(fileURLWithPath: file.path + ".gz")))
}
