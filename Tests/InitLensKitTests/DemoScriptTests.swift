import Foundation
import Testing

/// scripts/demo shows its build: scripts/build-progress condenses SwiftPM's output, and lets through
/// the line that says the build is complete (SwiftPM 6 says "Build of product 'initlens' complete!").
@Suite struct DemoScriptTests {
  static let swiftPM = """
    Fetching https://github.com/apple/swift-argument-parser
    Fetched https://github.com/apple/swift-argument-parser from cache (0.52s)
    Building for production...
    [0/16] Write swift-version-6A52383ED409C6A7.txt
    [4/17] Compiling api.c
    [8/18] Compiling writer.c
    [9/18] Compiling scanner.c
    [15/19] Compiling PCRE2Kit MatchScratch.swift
    [19/22] Compiling ArgumentParser BashCompletionsGenerator.swift
    [20/22] Compiling InitLensKit Analyzer.swift
    [20/22] Compiling InitLensKit Inputs.swift
    /src/Sources/initlens/Analyze.swift:3:1: error: cannot find 'x' in scope
    [21/22] Linking initlens
    Build of product 'initlens' complete! (412.37s)

    """

  @Test(.requires(Requirement.tools("bash", "awk"), "bash or awk is not installed"))
  func buildProgressCondensesSwiftPMAndShowsTheEnd() throws {
    let script = Repo.root.appendingPathComponent("scripts/build-progress").path
    let r = try ProcessRun.run(["/bin/bash", script], stdin: Array(Self.swiftPM.utf8), timeout: 30)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.split(separator: "\n").map(String.init) == [
        "Fetching https://github.com/apple/swift-argument-parser",
        "Building for production...",
        "  [4/17] Compiling C sources",
        "  [15/19] Compiling PCRE2Kit",
        "  [19/22] Compiling ArgumentParser",
        "  [20/22] Compiling InitLensKit",
        "/src/Sources/initlens/Analyze.swift:3:1: error: cannot find 'x' in scope",
        "  [21/22] Linking initlens",
        "Build of product 'initlens' complete! (412.37s)",
      ])
  }

  /// A step is shown when SwiftPM prints it, not when the build ends (awk would hold lines back).
  @Test(.requires(Requirement.tools("bash"), "bash is not installed"))
  func buildProgressShowsEachStepAsItComes() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [Repo.root.appendingPathComponent("scripts/build-progress").path]
    let input = Pipe()
    let output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    defer {
      try? input.fileHandleForWriting.close()
      p.waitUntilExit()
    }
    input.fileHandleForWriting.write(Data("[20/22] Compiling InitLensKit Analyzer.swift\n".utf8))
    let shown = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var first = Data()
    Thread.detachNewThread {
      first = output.fileHandleForReading.availableData
      shown.signal()
    }
    // The input is still open: the line must come out now.
    #expect(shown.wait(timeout: .now() + 20) == .success, "the step was held back")
    #expect(String(decoding: first, as: UTF8.self) == "  [20/22] Compiling InitLensKit\n")
  }

  /// The demo uses it, and says how long a first build takes (a number, not a placeholder).
  @Test func demoShowsItsBuild() throws {
    let demo = try String(contentsOf: Repo.root.appendingPathComponent("scripts/demo"), encoding: .utf8)
    #expect(demo.contains("| scripts/build-progress"))
    #expect(demo.range(of: #"a first build takes about [0-9]+ minutes on 2 cores"#, options: .regularExpression) != nil)
  }
}
