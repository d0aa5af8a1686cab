import PCRE2Kit

/// A draft rule file for a template of unmatched warnings (`initlens rules suggest`): the template as
/// an escaped PCRE2 pattern with a named capture per variable part, its example lines as `match`
/// examples with the captures they yield, a generated near-miss, and the two fields only a person
/// can write, `kind` and `fix`, left as `TODO`. `rules check` rejects the file, saying what to fill
/// in, until they are written.
public enum RuleDraft {
  /// The value of a field a person must still write.
  public static let placeholder = RuleLint.draftPlaceholder

  public struct Draft: Sendable {
    public let id: String
    /// The YAML text of the rule file.
    public let text: String
    public let pattern: String
    public let source: Source
    public let severity: Severity
    /// Match examples and the captures each yields.
    public let examples: [(line: String, captures: [String: String])]
    /// The generated near-miss, nil when none could be made (a marked placeholder is written then).
    public let nearMiss: String?
  }

  public struct DraftError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }

  /// The rule id for a template: `draft-t-…`.
  public static func defaultID(templateID: String) -> String { "draft-" + templateID.lowercased() }

  /// The rule id a file name stands for (the loader wants them equal): the name without `.yaml`.
  public static func fileID(_ path: String) -> String { RuleLoader.baseName(path) }

  public static func isValidID(_ id: String) -> Bool { RuleLoader.isKebab(id) }

  /// A one-line template (with one example) for `--from-line`: the line's message, masked.
  public static func template(fromLine line: String, file: String = "(command line)") -> UnmatchedTemplate {
    let bytes = Array(line.utf8)
    var parser = LineParser(year: 2025)
    let message: String = bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      return parsed.withInner(p) { inner in
        String(decoding: inner[min(parsed.messageOffset, inner.count)...], as: UTF8.self)
      }
    }
    let masked = TemplateMiner.mask(message)
    let text = masked.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    return UnmatchedTemplate(
      template: text, hosts: 1, boots: 1, count: 1, examples: [Evidence(file: file, line: 1, text: line)])
  }

  // MARK: - Making a draft

  /// The draft for `template`, its examples as match examples. Fails when no example matches a
  /// pattern made from the template (examples cut short are left out; the pattern loses trailing
  /// tokens until every kept example matches).
  public static func make(_ template: UnmatchedTemplate, id: String? = nil, origin: String? = nil) throws(DraftError)
    -> Draft
  {
    let id = id ?? defaultID(templateID: template.id)
    guard isValidID(id) else { throw DraftError(message: "rule id '\(id)' must be lower-case kebab-case ([a-z0-9-])") }
    let tokens = template.template.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard !tokens.isEmpty else { throw DraftError(message: "template \(template.id) is empty") }
    var lines: [Parsed] = []
    for e in template.examples where !lines.contains(where: { $0.line == e.text }) { lines.append(Parsed(e.text)) }
    guard !lines.isEmpty else { throw DraftError(message: "template \(template.id) has no example line") }
    // Examples cut at the report's example size end in "…": use them only when no whole one is left.
    let whole = lines.filter { !$0.line.hasSuffix("…") }
    let used = whole.isEmpty ? lines : whole

    var built: (String, Pattern, [[String: String]])? = nil
    search: for keep in stride(from: tokens.count, through: 1, by: -1) {
      for joiner in [" ", #"\s+"#] {
        let source = pattern(Array(tokens.prefix(keep)), joiner: joiner)
        guard let compiled = try? Pattern(source) else { continue }
        var captures: [[String: String]] = []
        for l in used {
          guard let c = l.captures(compiled) else { continue search }
          captures.append(c)
        }
        built = (source, compiled, captures)
        break search
      }
    }
    guard let (source, compiled, captures) = built else {
      throw DraftError(message: "the examples of template \(template.id) do not match a pattern made from it")
    }
    let sources = Set(used.map(\.source))
    let ruleSource: Source = sources.count == 1 && sources.first! != .other ? sources.first! : .any
    let level = used.compactMap(\.level).max()
    let severity: Severity
    switch level {
    case .critical?: severity = .critical
    case .error?: severity = .error
    default: severity = .warning
    }
    let nearMiss = self.nearMiss(used[0], compiled, tokens: tokens)
    let examples = zip(used, captures).map { ($0.line, $1) }
    let text = yaml(
      id: id, template: template, origin: origin, pattern: source, compiled: compiled, source: ruleSource,
      severity: severity, levelKnown: level != nil, examples: examples, nearMiss: nearMiss,
      left: lines.count - used.count)
    return Draft(
      id: id, text: text, pattern: source, source: ruleSource, severity: severity, examples: examples,
      nearMiss: nearMiss?.line)
  }

  /// An example line parsed as the checker parses it: source, level, inner line.
  struct Parsed {
    let line: String
    let bytes: [UInt8]
    let parsed: ParsedLine

    init(_ line: String) {
      self.line = line
      bytes = Array(line.utf8)
      var parser = LineParser(year: 2025)
      parsed = bytes.withUnsafeBytes { parser.parse($0) }
    }

    var source: Source { parsed.source }
    var level: Level? { parsed.level }

    /// The named captures of `pattern` on the inner line, or nil when it does not match.
    func captures(_ pattern: Pattern) -> [String: String]? {
      RuleDraft.captures(pattern, line: line)
    }
  }

  static func captures(_ pattern: Pattern, line: String) -> [String: String]? {
    let bytes = Array(line.utf8)
    var parser = LineParser(year: 2025)
    return bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      return parsed.withInner(p) { inner in
        let scratch = MatchScratch(maxCaptures: pattern.captureCount)
        guard let m = try? pattern.firstMatch(in: inner, scratch: scratch) else { return nil }
        return pattern.namedCaptures(m, in: inner)
      }
    }
  }

  /// The PCRE2 for template tokens: literal text escaped, `<*>` as `(?<varN>\S+)`, a typed
  /// placeholder as `(?<typeN>…)` (numbered per type from 1, left to right).
  static func pattern(_ tokens: [String], joiner: String) -> String {
    var counters: [String: Int] = [:]
    func capture(_ name: String, _ regex: String) -> String {
      counters[name, default: 0] += 1
      return "(?<\(name)\(counters[name]!)>\(regex))"
    }
    var parts: [String] = []
    for token in tokens {
      if token == "<*>" {
        parts.append(capture("var", #"\S+"#))
        continue
      }
      var out = ""
      var rest = Substring(token)
      while let open = rest.firstIndex(of: "<") {
        out += escape(rest[..<open])
        let after = rest[open...]
        if let ph = Placeholder.allCases.first(where: { after.hasPrefix($0.token) }) {
          out += capture(ph.rawValue.lowercased(), ph.regex)
          rest = after.dropFirst(ph.token.count)
        } else if after.hasPrefix("<*>") {
          out += capture("var", #"\S+?"#)
          rest = after.dropFirst(3)
        } else {
          out += escape(after.prefix(1))
          rest = after.dropFirst()
        }
      }
      out += escape(rest)
      parts.append(out)
    }
    return parts.joined(separator: joiner)
  }

  /// PCRE2 metacharacters escaped; control characters as `\x{hh}`.
  static func escape(_ s: Substring) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}":
        out += "\\" + String(u)
      case "\u{0}"..."\u{1F}", "\u{7F}":
        out += "\\x{" + String(u.value, radix: 16) + "}"
      default:
        out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// A line like `example` that the pattern does not match: the example without one of the
  /// template's literal words (the longest first), so the checker proves the word matters.
  static func nearMiss(_ example: Parsed, _ pattern: Pattern, tokens: [String]) -> (line: String, word: String)? {
    var words: [String] = []
    for token in tokens {
      var word = ""
      for ch in token.unicodeScalars {
        if ch.properties.isAlphabetic {
          word.unicodeScalars.append(ch)
        } else {
          if word.count >= 3, !words.contains(word) { words.append(word) }
          word = ""
        }
      }
      if word.count >= 3, !words.contains(word) { words.append(word) }
    }
    // Placeholder names are not words of the line.
    words.removeAll { w in Placeholder.allCases.contains { $0.rawValue == w } }
    for word in words.sorted(by: { $0.count > $1.count }) {
      // The last occurrence: the header before the message holds no template words.
      guard let range = example.line.range(of: word, options: .backwards) else { continue }
      var line = example.line
      var upper = range.upperBound
      if upper < line.endIndex, line[upper] == " ", range.lowerBound > line.startIndex,
        line[line.index(before: range.lowerBound)] == " "
      {
        upper = line.index(after: upper)
      }
      line.removeSubrange(range.lowerBound..<upper)
      if captures(pattern, line: line) == nil { return (line, word) }
    }
    return nil
  }

  // MARK: - YAML

  static func yaml(
    id: String, template: UnmatchedTemplate, origin: String?, pattern: String, compiled: Pattern, source: Source,
    severity: Severity, levelKnown: Bool, examples: [(line: String, captures: [String: String])],
    nearMiss: (line: String, word: String)?, left: Int
  ) -> String {
    let names = compiled.names.sorted { $0.number < $1.number }.map(\.name)
    var y = "# Draft rule written by `initlens rules suggest` from "
    y += origin ?? "unmatched template \(template.id)"
    y += ":\n#   \(comment(template.template))\n"
    if origin == nil {
      y +=
        "#   (\(count(template.count, "line")) on \(count(template.hosts, "host")), \(count(template.boots, "boot")))\n"
    }
    y += "# To finish it: write kind, family and fix, read the pattern and the generated no-match line, then run\n"
    y += "#   initlens rules check --rules DIR\n"
    y += "# which rejects this file, saying what is missing, until kind, family and fix are written.\n"
    y += "id: \(id)\n"
    y +=
      "kind: \(placeholder)  # the incident kind, lower-case kebab-case: one from `initlens rules list`, or a new one\n"
    y +=
      "family: \(placeholder)  # the contract kind your kind refines (rules/README.md, Families), or the kind itself\n"
    y += "title: \(quote(title(template.template)))  # what happened, in a few words\n"
    y +=
      "severity: \(severity.rawValue)  # "
      + (levelKnown ? "from the examples' level" : "the examples have no level")
      + "; info, warning, error or critical\n"
    y += "source: \(source.rawValue)\n"
    if LiteralDerivation.requiredLiteral(pattern) == nil {
      y += "# No literal text of 3 bytes or more: the engine would run this pattern on every line. Add some.\n"
    }
    y += "pattern: \(quote(pattern))\n"
    let placeholders = names.map { "{\($0)}" }.joined(separator: ", ")
    let hint = names.isEmpty ? "" : " It may use the captures \(placeholders)."
    y += "fix: \(quote("\(placeholder): what to do about it, for a person reading the report.\(hint)"))\n"
    y += "references: []\n"
    y += "examples:\n  match:\n"
    if left > 0 { y += "    # \(count(left, "example")) cut short in the report left out\n" }
    for (line, captures) in examples {
      y += "    - line: \(quote(line))\n"
      if !captures.isEmpty {
        let list = names.compactMap { name in captures[name].map { "\(name): \(quote($0))" } }
        y += "      captures: {\(list.joined(separator: ", "))}\n"
      }
    }
    y += "  no-match:\n"
    if let nearMiss {
      y +=
        "    # generated: the first example without '\(comment(nearMiss.word))'; better, a real line that must not match\n"
      y += "    - \(quote(nearMiss.line))\n"
    } else {
      y += "    - \(quote("\(placeholder): a line that looks like the examples but must not match"))\n"
    }
    return y
  }

  static func count(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

  /// The template as a title: placeholders as `…`, cut to 100 characters.
  static func title(_ template: String) -> String {
    var t = template.replacingOccurrences(of: "<*>", with: "…")
    for ph in Placeholder.allCases { t = t.replacingOccurrences(of: ph.token, with: "…") }
    return t.count <= 100 ? t : String(t.prefix(99)) + "…"
  }

  /// Text safe inside a YAML comment: one line, no control characters.
  static func comment(_ s: String) -> String {
    String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
  }

  /// A YAML scalar: single-quoted (STYLE.md: no double escaping in patterns), or double-quoted with
  /// escapes when the text holds characters YAML does not allow in a single-quoted scalar.
  static func quote(_ s: String) -> String {
    let printable = s.unicodeScalars.allSatisfy { u in
      u == "\t" || (u.value >= 0x20 && u.value != 0x7F && !(0x80...0x9F).contains(u.value) && u.value != 0xFEFF)
    }
    if printable { return "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default:
        if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0xFEFF {
          let hex = String(u.value, radix: 16)
          out += u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u" + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

}
