import Foundation
import Testing

@testable import InitLensKit

/// `initlens blame` against `cloud-init analyze blame` of cloud-init 22.4.2 on the real logs
/// (Fixtures/realci/*/analyze-blame.txt, written by scripts/make-blame-fixtures): the same steps in
/// every boot record, each within 1 ms, slowest first; and a timeline where the input has no events.
@Suite struct BlameTests {
  static let realci = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/realci")

  /// Per boot record: its step lines as (name, seconds), in printed order.
  static func records(_ text: String) -> [[(String, Double)]] {
    var out: [[(String, Double)]] = []
    var inSteps = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("-- Boot Record ") {
        out.append([])
        inSteps = true
      } else if line.hasPrefix("     "), inSteps, line.hasSuffix(")"), let open = line.firstIndex(of: "(") {
        let seconds = line[..<open].trimmingCharacters(in: .whitespaces).dropLast()
        out[out.count - 1].append(
          (String(line[line.index(after: open)..<line.index(before: line.endIndex)]), Double(seconds)!))
      } else {
        inSteps = false
      }
    }
    return out
  }

  @Test func equalsCloudInitAnalyzeBlameOnRealLogs() throws {
    let dirs = try FileManager.default.contentsOfDirectory(atPath: Self.realci.path).sorted().filter {
      FileManager.default.fileExists(atPath: Self.realci.appendingPathComponent("\($0)/analyze-blame.txt").path)
    }
    #expect(dirs.count >= 10)
    for name in dirs {
      let dir = Self.realci.appendingPathComponent(name)
      let want = Self.records(try String(contentsOf: dir.appendingPathComponent("analyze-blame.txt"), encoding: .utf8))
      let r = try run(["blame", dir.appendingPathComponent("cloud-init.log").path])
      #expect(r.status == 0, "\(name): \(r.err)")
      let got = Self.records(r.out)
      #expect(got.count == want.count, "\(name): \(got.count) boot records, cloud-init has \(want.count)")
      #expect(r.out.hasSuffix("\n\(want.count) boot records analyzed\n"), "\(name)")
      for (g, w) in zip(got, want) {
        #expect(g.map(\.0).sorted() == w.map(\.0).sorted(), "\(name): steps differ")
        let byName = Dictionary(w, uniquingKeysWith: { a, _ in a })
        for (step, s) in g {
          let expected = try #require(byName[step], "\(name): \(step)")
          #expect(abs(s - expected) <= 0.001 + 1e-9, "\(name) \(step): \(s) s, cloud-init \(expected) s")
        }
        #expect(g.map(\.1) == g.map(\.1).sorted(by: >), "\(name): not slowest first")
      }
    }
  }

  @Test func stagesFollowTheSteps() throws {
    let r = try run(["blame", Self.realci.appendingPathComponent("two-boots/cloud-init.log").path])
    #expect(r.out.hasPrefix("-- Boot Record 01 -- i-0123456789abcdef0, boot 2026-12-01T23:09:5"))
    #expect(r.out.contains("   stages, slowest first:\n     00.25800s (init-local)\n     00.19700s (init-network)\n"))
  }

  @Test func standardInputIsReadLikeAFile() throws {
    let path = Self.realci.appendingPathComponent("healthy/cloud-init.log")
    let file = try run(["blame", path.path])
    let stdin = try run(["blame"], stdin: try Data(contentsOf: path))
    #expect(stdin.status == 0, "\(stdin.err)")
    #expect(Self.records(stdin.out).map { $0.map(\.0) } == Self.records(file.out).map { $0.map(\.0) })
    #expect(Self.records(stdin.out).first?.count == 11)
  }

  @Test func aJournalGetsItsTimelineAndSaysSo() throws {
    let r = try run(["blame", "samples/healthy/journal.txt"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("no cloud-init.log events in the input for this boot: its timeline as initlens read it"))
    #expect(r.out.contains("kernel started"))
    #expect(r.out.hasSuffix("1 boot records analyzed\n"))
  }
}
