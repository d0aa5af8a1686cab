import PCRE2Kit

/// What initlens makes of one line: the format it was read as, its header, the inner line the rules
/// see, and for every rule whether the source filter, the prefilter and the pattern let it through.
public struct Explanation: Codable, Sendable {
  public struct RuleOutcome: Codable, Sendable {
    public enum Stage: String, Codable, Sendable {
      /// The rule is for another source family.
      case otherSource = "other-source"
      /// None of the rule's literals is in the line; the pattern was not run.
      case prefilter
      /// The pattern ran and did not match.
      case noMatch = "no-match"
      /// The pattern hit the PCRE2 match or depth limit.
      case limit
      case match
    }
    public var rule: String
    public var kind: String
    /// The contract kind `kind` refines (nil for event rules).
    public var family: String? = nil
    public var stage: Stage
    public var captures: [String: String]?
  }

  public var line: String
  public var format: String
  public var time: String?
  public var host: String?
  public var ident: String?
  public var source: String
  public var level: String?
  public var inner: String
  public var rules: [RuleOutcome]
  public var matched: [String]

  /// Explains `line` against `rules` (each rule is run regardless of the prefilter, so the
  /// prefilter's verdict is shown separately and can be checked).
  public static func explain(_ line: String, rules: [Rule], year: Int = 2025) -> Explanation {
    var parser = LineParser(year: year)
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      return parsed.withInner(p) { inner in
        let scratch = MatchScratch(maxCaptures: rules.map(\.pattern.captureCount).max() ?? 0)
        var outcomes: [RuleOutcome] = []
        for rule in rules {
          var outcome = RuleOutcome(
            rule: rule.id, kind: rule.kind, family: rule.family, stage: .noMatch, captures: nil)
          if !rule.source.applies(to: parsed.source) {
            outcome.stage = .otherSource
          } else if !rule.literals.isEmpty && !rule.literals.contains(where: { inner.contains($0) }) {
            outcome.stage = .prefilter
          } else {
            do {
              if let m = try rule.pattern.firstMatch(in: inner, scratch: scratch) {
                outcome.stage = .match
                outcome.captures = rule.pattern.namedCaptures(m, in: inner)
              }
            } catch {
              outcome.stage = .limit
            }
          }
          outcomes.append(outcome)
        }
        return Explanation(
          line: line, format: parsed.isSeparator ? "separator" : parsed.format.name,
          time: parsed.time.map(Timestamp.iso), host: parsed.host, ident: parsed.ident, source: parsed.source.rawValue,
          level: parsed.level?.rawValue, inner: String(decoding: inner, as: UTF8.self), rules: outcomes,
          matched: outcomes.filter { $0.stage == .match }.map(\.rule))
      }
    }
  }

  /// The explanation with secrets removed from the line, the inner line and the captures (as reports
  /// remove them from evidence).
  public func redacted(by redactor: Redactor) -> Explanation {
    guard redactor.isActive else { return self }
    var out = self
    out.line = redactor.redact(line)
    out.inner = redactor.redact(inner)
    for i in out.rules.indices { out.rules[i].captures = out.rules[i].captures?.mapValues(redactor.redact) }
    return out
  }

  /// The explanation for a person.
  /// The explanation for a person, fitted to `width` columns: each field's value wraps under itself
  /// (a log line longer than the width is broken where the line ends, never cut: it is the subject).
  public func text(width: Int = 100) -> String {
    var lines: [String] = []
    func field(_ label: String, _ items: [String]) {
      lines += TextLayout.fill(items, first: label.padding(9), rest: 9, width: width)
    }
    // A log line is the subject: broken at the width, every character kept (spaces included).
    func verbatim(_ label: String, _ text: String) {
      var rest = Substring(text)
      var first = label.padding(9)
      repeat {
        let n = max(1, width - 9)
        lines.append(first + rest.prefix(n))
        rest = rest.dropFirst(n)
        first = "".padding(9)
      } while !rest.isEmpty
    }
    verbatim("line:", line)
    let fields = [("time", time), ("host", host), ("ident", ident), ("source", source), ("level", level)]
      .compactMap { k, v in v.map { "\(k) \($0)" } }
    // The format, two spaces, then its header fields in parentheses, wrapped between words.
    field("format:", fields.isEmpty ? [format] : [format + " "] + ("(" + fields.joined(separator: ", ") + ")").words)
    verbatim("inner:", inner)
    let groups = Dictionary(grouping: rules, by: \.stage)
    for outcome in groups[.match] ?? [] {
      let caps = (outcome.captures ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      let family = outcome.family.map { $0 == outcome.kind ? "" : " (\($0))" } ?? ""
      field("MATCH", ["\(outcome.rule) → \(outcome.kind)\(family)"] + caps)
    }
    for outcome in groups[.limit] ?? [] { field("LIMIT", "\(outcome.rule): hit the PCRE2 match limit".words) }
    let tried = (groups[.noMatch] ?? []).map(\.rule)
    if !tried.isEmpty {
      field(
        "tried",
        "\(tried.count) rules passed the prefilter but their pattern did not match:".words
          + tried.enumerated().map { $0 < tried.count - 1 ? $1 + "," : $1 })
    }
    field(
      "skipped",
      ("\(groups[.prefilter]?.count ?? 0) rules by the prefilter (none of their literals in the line), "
        + "\(groups[.otherSource]?.count ?? 0) rules for another source").words)
    if matched.isEmpty {
      var verdict = "no rule matched"
      if source != "other" { verdict += " (read as a \(source) line; rules for other sources were not tried)" }
      field("verdict:", verdict.words)
    } else {
      field("verdict:", ["\(matched.count == 1 ? "1 rule" : "\(matched.count) rules") matched"])
    }
    return lines.map { $0 + "\n" }.joined()
  }
}

extension String {
  /// The words of the string (split at spaces), for `TextLayout.fill`.
  fileprivate var words: [String] { split(separator: " ").map(String.init) }
}
