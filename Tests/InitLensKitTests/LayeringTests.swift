import Foundation
import Testing

/// The house rules of docs/ARCHITECTURE.md, checked on the sources: which folder of InitLensKit may use
/// the types of which (the engine never reaches a renderer), the one file that talks to the platform,
/// and the size of a file.
@Suite struct LayeringTests {
  static let kit = Repo.root.appendingPathComponent("Sources/InitLensKit")

  /// What each folder may use besides itself (docs/ARCHITECTURE.md, "What each folder may use").
  static let allowed: [String: Set<String>] = [
    "Platform": [],
    "Model": ["Platform"],
    "Scan": ["Model", "Platform"],
    // The knowledge: rule files of both kinds load together.
    "Rules": ["Model", "Scan", "Platform", "Correlate"],
    "Correlate": ["Model", "Rules", "Report"],
    "Timeline": ["Model", "Scan", "Rules"],
    "Report": ["Model", "Rules", "Platform"],
    "Unmatched": ["Model", "Scan", "Rules", "Report"],
    "Engine": ["Model", "Scan", "Rules", "Correlate", "Timeline", "Report", "Unmatched", "Platform"],
    "Fleet": ["Engine", "Model", "Scan", "Rules", "Report", "Platform"],
    // The text report shows an evidence line's message: its header is read as the input's was.
    "Output": ["Model", "Scan", "Report", "Correlate", "Platform"],
  ]

  static func swiftFiles(under dir: URL) -> [URL] {
    let walk = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
    return (walk?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
  }

  static func folder(of file: URL) -> String {
    String(file.path.dropFirst(kit.path.count + 1).split(separator: "/").first ?? "")
  }

  /// Top-level type names, by the folder that declares them.
  static func declarations(_ files: [URL]) throws -> [String: String] {
    let decl = try NSRegularExpression(
      pattern:
        #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|private|fileprivate|final|indirect)\s+)*(?:struct|class|enum|protocol|typealias|actor)\s+(\w+)"#,
      options: .anchorsMatchLines)
    var owner: [String: String] = [:]
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      for m in decl.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        let name = String(text[Range(m.range(at: 1), in: text)!])
        if owner[name] == nil { owner[name] = folder(of: file) }
      }
    }
    return owner
  }

  @Test func foldersUseOnlyWhatTheyMay() throws {
    let files = Self.swiftFiles(under: Self.kit)
    #expect(files.count > 50)
    let owner = try Self.declarations(files)
    #expect(owner["Analyzer"] == "Engine" && owner["TextRenderer"] == "Output" && owner["ReportSink"] == "Report")
    let word = try NSRegularExpression(pattern: #"\b[A-Z]\w*"#)
    var violations: [String] = []
    for file in files {
      let folder = Self.folder(of: file)
      guard let may = Self.allowed[folder] else {
        violations.append("\(folder)/ is not in the table")
        continue
      }
      // Comments may name anything.
      let text = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { line in
        line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
      }.joined(separator: "\n")
      var used = Set<String>()
      for m in word.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        used.insert(String(text[Range(m.range, in: text)!]))
      }
      for name in used.sorted() {
        guard let from = owner[name], from != folder, !may.contains(from) else { continue }
        violations.append("\(folder)/\(file.lastPathComponent) uses \(from)'s \(name)")
      }
    }
    #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
  }

  /// Only Platform/System.swift talks to libc; only the owners import their C modules.
  @Test func cModulesHaveOneOwnerEach() throws {
    let owners = [
      "Glibc": "Sources/InitLensKit/Platform/System.swift", "Darwin": "Sources/InitLensKit/Platform/System.swift",
      "CSystem": "Sources/InitLensKit/Platform/System.swift", "CZlib": "Sources/ZlibKit/",
      "CPCRE2": "Sources/PCRE2Kit/",
    ]
    for file in Self.swiftFiles(under: Repo.root.appendingPathComponent("Sources")) {
      let path = String(file.path.dropFirst(Repo.root.path.count + 1))
      for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
        let words = line.split(separator: " ")
        guard words.count == 2, words[0] == "import", let owner = owners[String(words[1])] else { continue }
        #expect(path.hasPrefix(owner), "\(path) imports \(words[1])")
      }
    }
  }

  /// No hand-written source or test file is much over 400 lines (EmbeddedRules.swift is generated).
  @Test func filesStaySmall() throws {
    var long: [String] = []
    for dir in ["Sources", "Tests"] {
      for file in Self.swiftFiles(under: Repo.root.appendingPathComponent(dir))
      where file.lastPathComponent != "EmbeddedRules.swift" && !file.path.contains("/Fixtures/") {
        let lines = try String(contentsOf: file, encoding: .utf8).split(
          separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 420 { long.append("\(file.lastPathComponent): \(lines.count) lines") }
      }
    }
    #expect(long.isEmpty, "\(long)")
  }
}
