/// Required literals derived from a PCRE2 pattern, for rules that state none.
///
/// Conservative on purpose: only text at the top level of the pattern (outside every group,
/// class and alternation) counts, an atom followed by `?`, `*` or `{0,…}` is optional, and a pattern
/// with a top-level `|`, inline options or case-insensitivity yields nothing (the rule then always
/// runs its pattern). The longest required run of at least 3 bytes is returned.
public enum LiteralDerivation {
  public static func requiredLiteral(_ pattern: String, caseless: Bool = false) -> [UInt8]? {
    if caseless { return nil }
    let p = Array(pattern.utf8)
    var runs: [[UInt8]] = []
    var current: [UInt8] = []
    var depth = 0
    var i = 0
    func endRun() {
      if current.count >= 3 { runs.append(current) }
      current = []
    }
    /// Whether the atom just ended at `j` is made optional or repeated by a quantifier after it.
    func quantifier(_ j: Int) -> UInt8? {
      j < p.count && (p[j] == 0x3F || p[j] == 0x2A || p[j] == 0x2B || p[j] == 0x7B) ? p[j] : nil
    }
    while i < p.count {
      let c = p[i]
      if depth > 0 {
        // Inside a group: skip to its end, honouring escapes and classes.
        switch c {
        case 0x5C: i += 2
        case 0x28:
          depth += 1
          i += 1
        case 0x29:
          depth -= 1
          i += 1
          if depth == 0, let q = quantifier(i) { i += q == 0x7B ? skipBraces(p, i) : 1 }
        case 0x5B: i = skipClass(p, i)
        default: i += 1
        }
        continue
      }
      switch c {
      case 0x7C:  // top-level alternation: no single required literal
        return nil
      case 0x28:  // group
        if p.count > i + 2, p[i + 1] == 0x3F, p[i + 2] != 0x3A, p[i + 2] != 0x3C, p[i + 2] != 0x3D, p[i + 2] != 0x21 {
          return nil  // inline options such as (?i)
        }
        endRun()
        depth = 1
        i += 1
      case 0x5B:
        endRun()
        i = skipClass(p, i)
        if let q = quantifier(i) { i += q == 0x7B ? skipBraces(p, i) : 1 }
      case 0x5C:
        guard i + 1 < p.count else { return best(runs, current) }
        let e = p[i + 1]
        let literal: UInt8?
        switch e {
        case 0x2E, 0x5B, 0x5D, 0x28, 0x29, 0x7B, 0x7D, 0x2A, 0x2B, 0x3F, 0x7C, 0x5C, 0x2F, 0x2D, 0x5E, 0x24, 0x20, 0x22,
          0x27, 0x3A:
          literal = e
        default:
          literal = nil  // \d, \s, \b, \w …
        }
        i += 2
        if let literal, quantifier(i) == nil {
          current.append(literal)
        } else {
          if let literal, quantifier(i) == 0x2B { current.append(literal) }
          endRun()
          if let q = quantifier(i) { i += q == 0x7B ? skipBraces(p, i) : 1 }
        }
      case 0x2E, 0x5E, 0x24:
        endRun()
        i += 1
        if let q = quantifier(i) { i += q == 0x7B ? skipBraces(p, i) : 1 }
      default:
        i += 1
        if let q = quantifier(i) {
          if q == 0x2B { current.append(c) }
          endRun()
          i += q == 0x7B ? skipBraces(p, i) : 1
        } else {
          current.append(c)
        }
      }
    }
    return best(runs, current)
  }

  static func best(_ runs: [[UInt8]], _ current: [UInt8]) -> [UInt8]? {
    (runs + (current.count >= 3 ? [current] : [])).max { $0.count < $1.count }
  }

  static func skipClass(_ p: [UInt8], _ start: Int) -> Int {
    var i = start + 1
    if i < p.count, p[i] == 0x5E { i += 1 }
    if i < p.count, p[i] == 0x5D { i += 1 }
    while i < p.count, p[i] != 0x5D { i += p[i] == 0x5C ? 2 : 1 }
    return min(i + 1, p.count)
  }

  static func skipBraces(_ p: [UInt8], _ start: Int) -> Int {
    var i = start
    while i < p.count, p[i] != 0x7D { i += 1 }
    return i + 1 - start
  }
}
