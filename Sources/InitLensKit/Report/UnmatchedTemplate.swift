/// Warning lines no rule knows, generalised into a template: what `unmatched[]` of a report lists.
///
/// The id is `t-` and 8 hex digits of FNV-1a 32 of `template`, so the same template gets the same id
/// in every run, shard and bundle, and `rules suggest` can find it again.
public struct UnmatchedTemplate: Sendable, Equatable {
  public var id: String
  /// The message (the part after the log header) with variable parts as typed placeholders (`<NUM>`,
  /// `<HEX>`, `<IP>`, `<UUID>`, `<PATH>`, `<URL>`, `<ID>`, `<TIME>`) and `<*>` where its lines differ.
  public var template: String
  /// Distinct hosts and boots with at least one line of the template.
  public var hosts: Int
  public var boots: Int
  /// Lines of the template.
  public var count: Int
  /// Up to `maxExamples` lines of the template, by file and line, each cut to `maxExampleBytes`.
  public var examples: [Evidence]

  public init(id: String, template: String, hosts: Int, boots: Int, count: Int, examples: [Evidence]) {
    self.id = id
    self.template = template
    self.hosts = hosts
    self.boots = boots
    self.count = count
    self.examples = examples
  }

  public init(template: String, hosts: Int, boots: Int, count: Int, examples: [Evidence]) {
    self.init(
      id: UnmatchedTemplate.id(for: template), template: template, hosts: hosts, boots: boots, count: count,
      examples: examples)
  }

  public static let maxExamples = 3
  public static let maxExampleBytes = 300
  /// Templates a report lists at most (the miner's cluster cap; a fleet's are the top ones).
  public static let reportLimit = 1000

  /// `t-` + FNV-1a 32 of the template's UTF-8 bytes as 8 lower-case hex digits.
  public static func id(for template: String) -> String {
    var hash: UInt32 = 0x811c_9dc5
    for b in template.utf8 {
      hash ^= UInt32(b)
      hash = hash &* 0x0100_0193
    }
    let hex = String(hash, radix: 16)
    return "t-" + String(repeating: "0", count: 8 - hex.count) + hex
  }

  /// The report's order: most hosts first, then most boots, most lines, and id.
  public static func sorted(_ list: [UnmatchedTemplate]) -> [UnmatchedTemplate] {
    list.sorted { a, b in
      if a.hosts != b.hosts { return a.hosts > b.hosts }
      if a.boots != b.boots { return a.boots > b.boots }
      if a.count != b.count { return a.count > b.count }
      return a.id < b.id
    }
  }

  /// Templates of several reports (fleet bundles, shards) as one list: hosts, boots and lines summed
  /// by id (bundles are disjoint), the first examples by file and line, sorted, the top `limit` kept.
  /// The result depends only on the set of lists, not their order.
  public static func combine(_ lists: [[UnmatchedTemplate]], limit: Int = reportLimit) -> [UnmatchedTemplate] {
    var byID: [String: UnmatchedTemplate] = [:]
    for list in lists {
      for t in list {
        guard var acc = byID[t.id] else {
          byID[t.id] = t
          continue
        }
        acc.hosts += t.hosts
        acc.boots += t.boots
        acc.count += t.count
        acc.template = min(acc.template, t.template)
        acc.examples += t.examples
        byID[t.id] = acc
      }
    }
    let merged = byID.values.map { t -> UnmatchedTemplate in
      var t = t
      t.examples = firstExamples(t.examples)
      return t
    }
    return Array(sorted(merged).prefix(limit))
  }

  /// The first `maxExamples` distinct examples by file, line and text.
  static func firstExamples(_ list: [Evidence]) -> [Evidence] {
    var out: [Evidence] = []
    for e in list.sorted(by: { ($0.file, $0.line, $0.text) < ($1.file, $1.line, $1.text) }) {
      if out.count == maxExamples { break }
      if out.last != e { out.append(e) }
    }
    return out
  }

  /// `text` cut to at most `maxBytes` bytes of UTF-8 (never inside a character), with `…` when cut.
  public static func cut(_ text: String, maxBytes: Int = maxExampleBytes) -> String {
    guard text.utf8.count > maxBytes else { return text }
    var n = 0
    var end = text.startIndex
    for (i, ch) in zip(text.indices, text) {
      let w = ch.utf8.count
      if n + w > maxBytes { break }
      n += w
      end = text.index(after: i)
    }
    return String(text[..<end]) + "…"
  }
}
