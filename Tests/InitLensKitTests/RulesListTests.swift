import Foundation
import Testing

@testable import InitLensKit

/// `rules list` lists the chains after the rules, each entry with its type; the chains table of
/// rules/README.md (scripts/rules-table) is written from this list.
@Suite struct RulesListTests {
  static func list(_ format: String) throws -> [[String: Any]] {
    let r = try run(["rules", "list", "--format", format, "--no-default-rules", "--rules", Repo.rules])
    #expect(r.status == 0, "\(r.err)")
    if format == "ndjson" {
      return try r.out.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
    }
    return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
  }

  @Test func chainsAreListedWithTheirType() throws {
    let entries = try Self.list("json")
    let types = entries.map { $0["type"] as? String }
    #expect(Set(types) == ["rule", "event", "chain"])
    // Rules first, then chains.
    #expect(types.firstIndex(of: "chain").map { types[$0...].allSatisfy { $0 == "chain" } } == true)
    let chains = entries.filter { $0["type"] as? String == "chain" }
    #expect(chains.compactMap { $0["id"] as? String } == repoRules.correlations.map(\.id))
    #expect(entries.filter { $0["type"] as? String == "event" }.count == repoRules.rules.filter(\.isEvent).count)

    let chain = try #require(chains.first { $0["id"] as? String == "imds-503-not-retried" })
    #expect(chain["cause"] as? String == "imds-503")
    #expect((chain["causeCaptures"] as? [String: String])?["url"] == "/latest/api/token$")
    #expect((chain["symptoms"] as? [String])?.prefix(2) == ["imds-endpoint-disabled", "datasource-not-found"])
    #expect(chain["require"] as? [String] == ["imds-endpoint-disabled", "datasource-not-found"])
    #expect(chain["order"] as? String == "cause-first")
    #expect(chain["window"] as? Double == 600)
    #expect((chain["description"] as? String)?.hasPrefix("IMDS throttled the token PUT once") == true)
    let skew = try #require(chains.first { $0["id"] as? String == "clock-skew-signature-rejected" })
    #expect(
      skew["require"] as? String == "none" && skew["order"] as? String == "any" && skew["window"] as? Double == 1800)

    #expect(try Self.list("ndjson").map { $0["id"] as? String } == entries.map { $0["id"] as? String })
  }

  /// Every chain says what it means in a line: the "what it means" column of the chains table.
  @Test func everyChainHasADescription() {
    #expect(!repoRules.correlations.isEmpty)
    for chain in repoRules.correlations {
      let description = chain.description ?? ""
      #expect(!description.isEmpty && !description.contains("\n"), "\(chain.id)")
    }
  }

  /// The loader keeps `description:`, and a chain without one still loads.
  @Test func descriptionIsOptional() throws {
    let file = try #require(
      RuleSet.correlationFiles(.directory(Repo.rules)).first { $0.path.hasSuffix("/userdata-script-failed.yaml") })
    let (with, _) = CorrelationLoader.load(file)
    #expect(with?.description?.hasPrefix("a user-data script exited non-zero") == true)
    let text = file.text.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.hasPrefix("description:") }.joined(separator: "\n")
    let (without, diags) = CorrelationLoader.load(RuleFile(path: file.path, text: text))
    #expect(without != nil && without?.description == nil, "\(diags)")
  }
}
