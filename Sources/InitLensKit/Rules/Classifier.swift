import PCRE2Kit

/// Runs every applicable rule over one inner line. Owns per-worker match scratch: one per thread.
public final class Classifier {
  public struct Hit {
    public let rule: Int
    public let captures: [String: String]
  }

  public let rules: [Rule]
  let scratch: MatchScratch
  /// Skip a rule's regex when none of its literals is in the line (never changes results).
  public var usePrefilter: Bool
  /// Per rule: lines that reached the regex, lines it matched, lines where it hit a PCRE2 limit.
  public private(set) var candidates: [Int]
  public private(set) var matches: [Int]
  public private(set) var limitHits: [Int]

  public init(rules: [Rule], usePrefilter: Bool = true, limits: MatchScratch.Limits = .init()) {
    self.rules = rules
    self.usePrefilter = usePrefilter
    let maxCaptures = rules.map(\.pattern.captureCount).max() ?? 0
    scratch = MatchScratch(maxCaptures: maxCaptures, limits: limits)
    candidates = Array(repeating: 0, count: rules.count)
    matches = candidates
    limitHits = candidates
  }

  /// The rules that match `inner`, in rule order. `only` restricts to one rule (for examples).
  public func classify(_ inner: UnsafeRawBufferPointer, source: Source, only: Int? = nil) -> [Hit] {
    var hits: [Hit] = []
    for index in rules.indices {
      if let only, only != index { continue }
      let rule = rules[index]
      guard rule.source.applies(to: source) else { continue }
      if usePrefilter, !rule.literals.isEmpty, !rule.literals.contains(where: { inner.contains($0) }) { continue }
      candidates[index] += 1
      do {
        if let m = try rule.pattern.firstMatch(in: inner, scratch: scratch) {
          matches[index] += 1
          hits.append(Hit(rule: index, captures: rule.pattern.namedCaptures(m, in: inner)))
        }
      } catch {
        // A limit hit means "undecided": counted and reported, never a silent drop of the line.
        limitHits[index] += 1
      }
    }
    return hits
  }
}
