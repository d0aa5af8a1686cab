import Foundation
import Testing

extension ExplainAndDocsTests {
  /// The README's `initlens explain "…"` example is a line a rule matches, so the first thing a reader
  /// tries shows a match, not "no rule matched".
  @Test func readmeExplainExampleMatchesARule() throws {
    let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
    let examples = readme.split(separator: "\n").filter { $0.hasPrefix("initlens explain ") }
    #expect(!examples.isEmpty, "README has no `initlens explain` example")
    for example in examples {
      // The one argument, in double or single quotes, as a shell reads it.
      let rest = example.dropFirst("initlens explain ".count)
      guard let quote = rest.first, quote == "\"" || quote == "'",
        let end = rest.dropFirst().firstIndex(of: quote)
      else {
        Issue.record("README: the explain example's line is not quoted: \(example)")
        continue
      }
      let line = String(rest[rest.index(after: rest.startIndex)..<end])
      #expect(!line.contains("..."), "the README's explain example is cut: \(line)")
      let r = try run(["explain", "--format", "json", line])
      #expect(r.status == 0, "\(r.err)")
      let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
      let matched = json?["matched"] as? [String] ?? []
      #expect(!matched.isEmpty, "no rule matches the README's explain example: \(line)")
      // The text report says it too.
      let text = try run(["explain", line])
      #expect(text.out.contains("MATCH "), "\(text.out)")
    }
  }
}
