import PCRE2Kit

/// Runs every applicable rule over one inner line. Owns per-worker match scratch: one per thread.
public final class Classifier {
  public struct Hit {
    public let rule: Int
    public let captures: [String: String]
    public init(rule: Int, captures: [String: String]) {
      self.rule = rule
      self.captures = captures
    }
  }

  public let rules: [Rule]
  let scratch: MatchScratch
  /// Skip a rule's regex when none of its literals is in the line (never changes results).
  public var usePrefilter: Bool
  /// Measure the time each rule's pattern takes (`--profile-rules`).
  public var profile = false
  /// Per rule: lines that reached the regex, lines it matched, lines where it hit a PCRE2 limit, and
  /// nanoseconds spent in the regex (when profiling).
  public private(set) var candidates: [Int]
  public private(set) var matches: [Int]
  public private(set) var limitHits: [Int]
  public private(set) var nanoseconds: [UInt64]
  /// Per rule: its literals (stated, or derived from the pattern) as byte strings, and their indices
  /// in `literals`, the list a `Prefilter` is built from. Empty: the rule always runs its pattern.
  public let ruleLiterals: [[[UInt8]]]
  let literalIDs: [[Int]]
  /// Per rule, what the hot loop needs, without copying `Rule` values (each copy retains a dozen fields).
  let patterns: [Pattern]
  let sources: [Source]
  /// Some rule has no literal (none stated, none derivable): every line must reach it, so the
  /// prefilter cannot pass lines over.
  public var hasUnfilteredRules: Bool { literalIDs.contains { $0.isEmpty } }
  /// Every literal the prefilter must look for: the rules' and the engine's structural ones.
  public let literals: [[UInt8]]

  /// Literals of lines the engine reads whatever the rules say: boot markers, versions, stage events,
  /// and warning or failure lines, which the report's unmatched templates (`Engine/Unmatched.swift`)
  /// keep when no rule matches them. Level words are bracketed or `level=` so that benign lines that
  /// merely mention an error (`level=info msg="… error …"`) stay off the slow path; journal JSON is
  /// parsed anyway.
  static let structural: [[UInt8]] =
    [
      "Cloud-init v. ", "Linux version", "Journal started", "Amazon ECS agent Version", "Starting Amazon ECS Agent",
      "Starting Agent: Amazon ECS Agent", "start: ", "finish: ",
    ].map { Array($0.utf8) } + Identity.literals.map { Array($0.utf8) } + worthKeepingWords

  /// Where the worth-keeping words are in every classifier's `literals` (the structural ones come first).
  static let worthKeepingWordIDs = (structural.count - worthKeepingWords.count)..<structural.count

  /// The warning and failure words that make a plain-text line no rule matched worth keeping among the
  /// unmatched templates (whether or not the prefilter runs, so the report is the same either way).
  static let worthKeepingWords: [[UInt8]] = [
    "[WARNING]", "ERROR", "CRITICAL", "[WARN]", "[CRIT]", "level=warn", "level=error", "level=fatal", "level=crit",
    "level=panic", "Traceback", "Failed", "failed", "FAILED",
  ].map { Array($0.utf8) }

  public init(rules: [Rule], usePrefilter: Bool = true, limits: MatchScratch.Limits = .init()) {
    self.rules = rules
    self.usePrefilter = usePrefilter
    let maxCaptures = rules.map(\.pattern.captureCount).max() ?? 0
    scratch = MatchScratch(maxCaptures: maxCaptures, limits: limits)
    candidates = Array(repeating: 0, count: rules.count)
    matches = candidates
    limitHits = candidates
    nanoseconds = Array(repeating: 0, count: rules.count)
    var all: [[UInt8]] = Classifier.structural
    var index: [[UInt8]: Int] = [:]
    for (i, l) in all.enumerated() { index[l] = i }
    var perRule: [[[UInt8]]] = []
    var ids: [[Int]] = []
    for rule in rules {
      var lits = rule.literals
      if lits.isEmpty,
        let derived = LiteralDerivation.requiredLiteral(rule.pattern.source, caseless: rule.pattern.caseless)
      {
        lits = [derived]
      }
      perRule.append(lits)
      ids.append(
        lits.map { l in
          if let i = index[l] { return i }
          all.append(l)
          index[l] = all.count - 1
          return all.count - 1
        })
    }
    ruleLiterals = perRule
    literalIDs = ids
    literals = all
    patterns = rules.map(\.pattern)
    sources = rules.map(\.source)
  }

  /// The rules that match `inner`, in rule order. `present` holds the literals a prefilter found in
  /// the line (a superset of those in `inner`); without it, literals are looked for in `inner`.
  /// `only` restricts to one rule (for examples).
  public func classify(
    _ inner: UnsafeRawBufferPointer, source: Source, present: LiteralBits? = nil, only: Int? = nil
  ) -> [Hit] {
    var hits: [Hit] = []
    for index in 0..<patterns.count {
      if let only, only != index { continue }
      guard sources[index].applies(to: source) else { continue }
      if usePrefilter, !literalIDs[index].isEmpty {
        if let present {
          if !literalIDs[index].contains(where: present.contains) { continue }
        } else if !ruleLiterals[index].contains(where: { inner.contains($0) }) {
          continue
        }
      }
      candidates[index] += 1
      let t0 = profile ? System.monotonicNanos() : 0
      do {
        let pattern = patterns[index]
        if let m = try pattern.firstMatch(in: inner, scratch: scratch) {
          matches[index] += 1
          hits.append(Hit(rule: index, captures: pattern.namedCaptures(m, in: inner)))
        }
      } catch {
        // A limit hit means "undecided": counted and reported, never a silent drop of the line.
        limitHits[index] += 1
      }
      if profile {
        nanoseconds[index] += System.monotonicNanos() - t0
      }
    }
    return hits
  }
}
