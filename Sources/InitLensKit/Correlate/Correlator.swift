import PCRE2Kit

/// Applies correlation rules to one boot's incidents: which incident caused which, and the fixes.
public struct Correlator: Sendable {
  public let rules: [CorrelationRule]
  public init(rules: [CorrelationRule]) { self.rules = rules.sorted { $0.id < $1.id } }

  /// What a chain sees of a boot.
  public struct BootFacts {
    public var start: Int64?
    public var versions: [String: String]
    public var facts: [String: String]
    public init(start: Int64?, versions: [String: String], facts: [String: String]) {
      self.start = start
      self.versions = versions
      self.facts = facts
    }
  }

  /// The root causes of one boot, sorted by the cause's first time, then id. `scratch`: match memory
  /// to reuse (one is made when needed otherwise: a 1 MiB JIT stack mapped and unmapped per boot).
  public func rootCauses(_ incidents: [Incident], boot: BootFacts, scratch: MatchScratch? = nil) -> [RootCause] {
    var out: [(Int64, RootCause)] = []
    guard !incidents.isEmpty else { return [] }
    var scratch = scratch
    let byKind = Dictionary(grouping: incidents, by: \.kind)
    for rule in rules {
      guard Correlator.holds(rule.when, boot, lenient: true) else { continue }
      guard
        let cause = byKind[rule.cause]?.first(where: { incident in
          if rule.causeCaptures.isEmpty { return true }
          if scratch == nil { scratch = MatchScratch(maxCaptures: 8) }
          return matchesCaptures(rule, incident, scratch!)
        })
      else { continue }
      let t0 = cause.first ?? Int64.min
      var found: [Incident] = []
      for kind in rule.symptoms {
        guard let s = byKind[kind]?.first, kind != rule.cause else { continue }
        if let t = s.first, cause.first != nil {
          let delta = Double(t - t0) / 1e6
          if rule.causeFirst && delta < -1 { continue }
          if abs(delta) > rule.window { continue }
        }
        found.append(s)
      }
      let kinds = Set(found.map(\.kind))
      switch rule.require {
      case .any: if found.isEmpty { continue }
      case .all: if kinds.count < Set(rule.symptoms).count { continue }
      case .none: break
      case .oneOf(let list): if !list.contains(where: kinds.contains) { continue }
      }
      out.append((t0, explain(rule, cause: cause, symptoms: found, boot: boot)))
    }
    return out.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
  }

  func matchesCaptures(_ rule: CorrelationRule, _ incident: Incident, _ scratch: MatchScratch) -> Bool {
    for (name, pattern) in rule.causeCaptures {
      guard let value = incident.captures[name] else { return false }
      let hit = (try? pattern.firstMatch(in: Array(value.utf8), scratch: scratch)) ?? nil
      if hit == nil { return false }
    }
    return true
  }

  /// `lenient`: a version the logs did not show does not fail the condition (a chain's gate: no
  /// evidence against it). Cases are strict, so "version not seen" can have its own text.
  static func holds(_ c: CorrelationRule.Conditions, _ boot: BootFacts, lenient: Bool) -> Bool {
    for (name, cond) in c.versions {
      let seen = boot.versions[name]
      if seen == nil && lenient && cond.op != .missing && cond.op != .present { continue }
      if !cond.holds(seen) { return false }
    }
    for (key, want) in c.facts {
      let have = boot.facts[key]
      switch want {
      case "missing": if have != nil { return false }
      case "present": if have == nil { return false }
      default: if have?.lowercased() != want.lowercased() { return false }
      }
    }
    return true
  }

  func explain(_ rule: CorrelationRule, cause: Incident, symptoms: [Incident], boot: BootFacts) -> RootCause {
    let chosen = rule.cases.first { Correlator.holds($0.when, boot, lenient: false) }
    let t0 = cause.first
    let sym = symptoms.sorted { ($0.first ?? .max, $0.kind) < ($1.first ?? .max, $1.kind) }.map { s in
      Symptom(
        kind: s.kind, offsetSeconds: TimeFormat.offsetSeconds(s.first, from: boot.start),
        afterCauseSeconds: TimeFormat.offsetSeconds(s.first, from: t0))
    }
    var values: [String: String] = [:]
    for (k, v) in cause.captures { values["cause.\(k)"] = v }
    for s in symptoms {
      for (k, v) in s.captures { values["\(s.kind).\(k)"] = v }
    }
    for (k, v) in boot.versions { values["versions.\(k)"] = v }
    for (k, v) in boot.facts { values["facts.\(k)"] = v }
    values["changelog.cloud-init"] = Correlator.changelogCommand("cloud-init", os: boot.versions["os"])
    values["cause.kind"] = cause.kind
    values["cause.count"] = String(cause.count)
    let deltas = sym.map { s in
      s.afterCauseSeconds.map {
        "\(s.kind) \(Correlator.seconds(abs($0))) \($0 < 0 ? "before" : "after") the first \(cause.kind)"
      } ?? s.kind
    }
    values["symptoms"] = deltas.isEmpty ? "no symptom seen" : deltas.joined(separator: "; ")
    func fill(_ text: String) -> String {
      var out = Placeholders.fill(Correlator.withDefaults(text, values), values)
      // Names the logs did not show: say so instead of leaving a placeholder.
      for prefix in ["versions.", "facts."] where out.utf8.contains(0x7B) {
        while let r = out.range(of: "{" + prefix), let close = out[r.upperBound...].firstIndex(of: "}") {
          let name = String(out[r.upperBound..<close])
          out.replaceSubrange(
            r.lowerBound...close,
            with: prefix == "versions." ? "(\(name) version not seen)" : "(\(name) not in the inputs)")
        }
      }
      return out
    }
    var evidence = cause.evidence.prefix(2).map { $0 }
    for s in symptoms { if let e = s.evidence.first { evidence.append(e) } }
    return RootCause(
      id: chosen?.id ?? rule.id, title: rule.title, cause: cause.kind, summary: fill(chosen?.summary ?? rule.summary),
      explanation: fill(chosen?.explanation ?? rule.explanation), symptoms: sym,
      fixes: (chosen?.fixes ?? rule.fixes).map(fill), references: rule.references, evidence: evidence)
  }

  /// `{name|default text}`: the value of `name` when the logs gave one, else the default text.
  /// `{name?text with %|default text}`: the text with `%` replaced by the value, else the default, so a
  /// sentence reads well both ways ("exited with code 1" / "exited non-zero (its code is not in the logs)").
  static func withDefaults(_ text: String, _ values: [String: String]) -> String {
    guard text.contains("|") else { return text }
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      let inner = rest[rest.index(after: open)..<close]
      out += rest[..<open]
      if let bar = inner.firstIndex(of: "|") {
        let head = inner[..<bar]
        let absent = String(inner[inner.index(after: bar)...])
        if let q = head.firstIndex(of: "?") {
          let present = head[head.index(after: q)...]
          out +=
            values[String(head[..<q])].map {
              present.split(separator: "%", omittingEmptySubsequences: false).joined(separator: $0)
            }
            ?? absent
        } else {
          out += values[String(head)] ?? absent
        }
      } else {
        out += rest[open...close]
      }
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }

  /// How to read a package's changelog on the distribution the logs name (`versions.os`); both ways
  /// when the logs do not tell.
  static func changelogCommand(_ package: String, os: String?) -> String {
    let rpm = "`rpm -q --changelog \(package)`"
    let apt = "`apt changelog \(package)`"
    switch os {
    case let os? where os.hasPrefix("Amazon Linux") || os.hasPrefix("RHEL") || os.hasPrefix("SUSE"): return rpm
    case let os? where os.hasPrefix("Ubuntu") || os.hasPrefix("Debian"): return apt
    default: return "\(rpm) on Amazon Linux and RHEL, \(apt) on Debian and Ubuntu"
    }
  }

  /// `0.5 s`, `1.2 s`, `3 min 5 s`.
  static func seconds(_ s: Double) -> String {
    if abs(s) < 60 {
      let ms = (s * 1000).rounded() / 1000
      return "\(ms == ms.rounded() ? String(Int(ms)) : String(ms)) s"
    }
    let total = Int(s.rounded())
    return "\(total / 60) min \(total % 60) s"
  }
}

/// Runs every correlation rule's fixtures and reports the ones that do not give what they expect.
public enum CorrelationChecker {
  public static func check(_ rules: [CorrelationRule]) -> (diagnostics: [RuleDiagnostic], checked: Int) {
    var diags: [RuleDiagnostic] = []
    var checked = 0
    let correlator = Correlator(rules: rules)
    let base: Int64 = 1_750_000_000_000_000
    for rule in rules {
      for example in rule.examples {
        checked += 1
        let mine = example.incidents.filter { $0.host == nil }
        let incidents = mine.map { item in
          Incident(
            kind: item.kind, rule: "fixture", rules: ["fixture"], title: item.kind, severity: .error, source: .any,
            first: base + Int64(item.at * 1e6), last: nil, count: 1, captures: item.captures, fix: "",
            references: [], evidence: [])
        }
        let boot = Correlator.BootFacts(start: base, versions: example.versions, facts: example.facts)
        let causes = correlator.rootCauses(incidents, boot: boot)
        let related = Set([rule.id] + rule.cases.compactMap(\.id))
        let cause = causes.first { related.contains($0.id) }
        let got = cause?.id
        if let want = example.symptoms, let cause, cause.symptoms.map(\.kind).sorted() != want.sorted() {
          diags.append(
            RuleDiagnostic(
              file: rule.file, position: example.position, ruleID: rule.id,
              message:
                "fixture '\(example.name)': expected symptoms \(want.sorted()), got \(cause.symptoms.map(\.kind).sorted())"
            ))
        }
        if got != example.expect {
          diags.append(
            RuleDiagnostic(
              file: rule.file, position: example.position, ruleID: rule.id,
              message:
                "fixture '\(example.name)': expected \(example.expect ?? "no root cause"), got \(got ?? "no root cause")"
            ))
        }
      }
    }
    return (diags, checked)
  }
}
