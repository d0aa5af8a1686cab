/// Renders a report for a person at a terminal: a summary, then per host and boot a chart of the
/// boot, the root causes with their fixes, and the incidents in time order. Colour only when asked
/// (the CLI asks on a TTY without NO_COLOR).
public struct TextRenderer {
  public var color: Bool
  public var width = 100
  public var evidenceLines = 3
  public init(color: Bool) { self.color = color }

  /// Our own colour codes use a private-use stand-in for ESC until `terminalSafe` swaps it back, so
  /// that an escape sequence that came from a log can never reach the terminal.
  func paint(_ s: String, _ code: String) -> String { color ? "\u{E000}[\(code)m\(s)\u{E000}[0m" : s }

  /// Control characters from logs (ESC, CR, BEL, …) become U+FFFD; line ends and our colours stay.
  public static func terminalSafe(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      switch u.value {
      case 0xE000: out.append("\u{1B}")
      case 0x0A, 0x09: out.append(u)
      case 0..<0x20, 0x7F...0x9F: out.append("\u{FFFD}")
      default: out.append(u)
      }
    }
    return String(out)
  }

  func severityLabel(_ s: Severity) -> String {
    let label = s.rawValue.uppercased().padding(8)
    switch s {
    case .critical: return paint(label, "1;31")
    case .error: return paint(label, "31")
    case .warning: return paint(label, "33")
    case .info: return paint(label, "36")
    }
  }

  public func render(_ report: Report) -> String {
    var out = header(report)
    for host in report.hosts {
      out += "\n" + paint(host.title, "1") + "\n"
      for boot in host.boots { out += render(boot) }
    }
    out += unmatched(report.unmatched)
    return TextRenderer.terminalSafe(out)
  }

  /// The triage of the unknown, after the incidents: the top `limit` templates of warning lines no
  /// rule matched, by hosts and boots, each with one example. Empty when there are none.
  func unmatched(_ list: [UnmatchedTemplate], limit: Int = 10) -> String {
    guard !list.isEmpty else { return "" }
    var out = "\n" + paint("Unmatched warnings (no rule knows these)", "1")
    out += "  \(plural(list.count, "template"))\n"
    out += "  \("HOSTS".leftPad(5)) \("BOOTS".leftPad(5)) \("LINES".leftPad(6))  \("ID".padding(10))  TEMPLATE\n"
    for t in list.prefix(limit) {
      out +=
        "  \(String(t.hosts).leftPad(5)) \(String(t.boots).leftPad(5)) \(String(t.count).leftPad(6))  "
        + "\(paint(t.id.padding(10), "1"))  \(cut(t.template, width - 34))\n"
      if let e = t.examples.first {
        out += String(repeating: " ", count: 34) + paint("\(e.file):\(e.line)", "2") + "\n"
        out += String(repeating: " ", count: 36) + cut(e.text, width - 36) + "\n"
      }
    }
    if list.count > limit { out += "  … \(list.count - limit) more in --format json\n" }
    out += "  draft a rule for one: initlens rules suggest ID --from REPORT.json (a --format json report)\n"
    return out
  }

  func header(_ report: Report) -> String {
    let s = report.summary
    var head = "initlens: \(plural(s.hosts, "host")), \(plural(s.boots, "boot")), \(plural(s.incidents, "incident"))"
    let sev = Severity.allCases.reversed().compactMap { k in s.bySeverity[k.rawValue].map { "\($0) \(k.rawValue)" } }
    if !sev.isEmpty { head += " (" + sev.joined(separator: ", ") + ")" }
    if s.rootCauses > 0 { head += ", \(plural(s.rootCauses, "root cause"))" }
    var out = paint(head, "1") + "\n"
    var lines =
      "lines: \(s.linesRead) read = \(s.linesMatched) matched + \(s.linesUnmatched) unmatched + \(s.linesSkipped) skipped"
    if !s.skipped.isEmpty {
      lines += " (" + s.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }
    out += lines + "\n"
    for (rule, n) in s.ruleLimitHits.sorted(by: { $0.key < $1.key }) {
      out +=
        paint("rule \(rule) hit its match limit on \(plural(n, "line")); those lines were left undecided", "33") + "\n"
    }
    for input in report.inputs where input.error != nil {
      out += paint("input \(input.name): \(input.error!)", "31") + "\n"
    }
    return out
  }

  func render(_ boot: BootReport) -> String {
    var line = "  boot \(boot.boot)"
    if let start = boot.start.map(Timestamp.iso), start != boot.boot { line += "  started \(start)" }
    let versions = boot.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    if !versions.isEmpty { line += "  [" + versions.joined(separator: ", ") + "]" }
    var out = line + "\n"
    if !boot.facts.isEmpty {
      out += wrap(
        "facts: " + boot.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
        indent: 4)
    }
    let chart = TimelineChart(boot: boot, color: color).render()
    if !chart.isEmpty { out += "\n" + chart }
    for cause in boot.rootCauses { out += "\n" + render(cause) }
    if boot.incidents.isEmpty {
      out += "    " + paint("no incidents", "32") + "\n"
      return out
    }
    out += "\n    " + paint("incidents", "1") + "\n"
    let start = boot.timeline.first { $0.kind == "boot-start" }?.time
    for i in boot.incidents {
      let when = i.first.map(Timestamp.clock) ?? "--:--:--.---"
      let offset = TimeFormat.offset(i.first, from: start)
      let count = i.count > 1 ? " ×\(i.count)" : ""
      var row =
        "    \(offset.padding(9)) \(when)  \(severityLabel(i.severity)) \(paint(i.kind, "1"))\(family(i))\(count)  \(i.title)"
      if let rc = i.rootCause { row += paint("  ← \(rc)", "2") }
      out += row + "\n"
      guard i.rootCause == nil else { continue }
      out += evidence(i.evidence, indent: 8)
      out += wrap("fix: " + i.fix, indent: 8)
      for r in i.references.prefix(2) { out += "        see: \(r)\n" }
    }
    return out
  }

  /// ` (imds-unreachable)` after a kind that refines a contract kind; empty when the kind is its family.
  func family(_ i: Incident) -> String { i.familyName == i.kind ? "" : " (\(i.familyName))" }

  func render(_ cause: RootCause) -> String {
    var out = "    " + paint("ROOT CAUSE", "1;31") + "  " + paint(cause.id, "1") + "\n"
    out += wrap(cause.summary, indent: 6)
    out += wrap("why: " + cause.explanation, indent: 6)
    if !cause.symptoms.isEmpty {
      let list = cause.symptoms.map { s in
        s.afterCauseSeconds.map { "\(s.kind) \(TimeFormat.signedSeconds($0))" } ?? s.kind
      }
      out += wrap("then: " + list.joined(separator: ", "), indent: 6)
    }
    for (n, fix) in cause.fixes.enumerated() { out += wrap("fix \(n + 1): " + fix, indent: 6) }
    out += evidence(cause.evidence, indent: 6)
    for r in cause.references.prefix(3) { out += "      see: \(r)\n" }
    return out
  }

  func evidence(_ list: [Evidence], indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    var out = ""
    for e in list.prefix(evidenceLines) {
      out += pad + paint("\(e.file):\(e.line)", "2") + "\n"
      out += pad + "  " + cut(e.text, width - indent - 2) + "\n"
    }
    if list.count > evidenceLines {
      out += pad + "  … \(plural(list.count - evidenceLines, "more evidence line")) in --format json\n"
    }
    return out
  }

  func cut(_ s: String, _ n: Int) -> String {
    let clean = String(s.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" ? "\u{FFFD}" : Character($0) })
    return clean.count <= n ? clean : String(clean.prefix(n - 1)) + "…"
  }

  func wrap(_ text: String, indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    var out = ""
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if !line.isEmpty && line.count + 1 + word.count > width - indent {
        out += pad + line + "\n"
        line = "  " + word
      } else {
        line += (line.isEmpty ? "" : " ") + word
      }
    }
    if !line.isEmpty { out += pad + line + "\n" }
    return out
  }
}

func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

extension String {
  func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
