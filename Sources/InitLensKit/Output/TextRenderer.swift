/// Renders a report for a person at a terminal: a summary, then per host and boot a chart of the
/// boot, the root causes with their fixes, and the incidents in time order. Colour only when asked
/// (the CLI asks on a TTY without NO_COLOR).
public struct TextRenderer {
  public var color: Bool
  /// Columns of the terminal (`SinkOptions.width`): prose wraps, tables and the chart shrink, an
  /// incident stays one row.
  public var width = TerminalWidth.piped
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
      out += "\n" + block(host.title, indent: 0, code: "1")
      for boot in host.boots { out += render(boot) }
    }
    out += unmatched(report.unmatched)
    return TextRenderer.terminalSafe(out)
  }

  /// The triage of the unknown, after the incidents: the top `limit` templates of warning lines no
  /// rule matched, by hosts and boots, each with one example. Empty when there are none.
  func unmatched(_ list: [UnmatchedTemplate], limit: Int = 10) -> String {
    guard !list.isEmpty else { return "" }
    let title = "Unmatched warnings (no rule knows these)"
    let count = plural(list.count, "template")
    var out = "\n"
    if title.count + 2 + count.count <= width {
      out += paint(title, "1") + "  \(count)\n"
    } else {
      out += block(title, indent: 0, code: "1") + block(count, indent: 2)
    }
    let head = "  \("HOSTS".leftPad(5)) \("BOOTS".leftPad(5)) \("LINES".leftPad(6))  \("ID".padding(10))  TEMPLATE"
    out += cut(head, width) + "\n"
    // An example under its template's column; on a narrow terminal under the counts.
    let at = width >= 80 ? 34 : 4
    for t in list.prefix(limit) {
      out +=
        "  \(String(t.hosts).leftPad(5)) \(String(t.boots).leftPad(5)) \(String(t.count).leftPad(6))  "
        + "\(paint(t.id.padding(10), "1"))  \(cut(t.template, width - 34))\n"
      if let e = t.examples.first {
        // A path too long for the column starts further left, whole if it can.
        let path = "\(e.file):\(e.line)"
        out += block(path, indent: max(2, min(at, width - path.count)), code: "2")
        out += String(repeating: " ", count: at + 2) + cut(EvidenceMessage.display(e.text), width - at - 2) + "\n"
      }
    }
    if list.count > limit { out += block("… \(list.count - limit) more in --format json", indent: 2) }
    out += block(
      "draft a rule for one: initlens rules suggest ID --from REPORT.json (a --format json report)", indent: 2)
    return out
  }

  func header(_ report: Report) -> String {
    let s = report.summary
    var head = "initlens: \(plural(s.hosts, "host")), \(plural(s.boots, "boot")), \(plural(s.incidents, "incident"))"
    let sev = Severity.allCases.reversed().compactMap { k in s.bySeverity[k.rawValue].map { "\($0) \(k.rawValue)" } }
    if !sev.isEmpty { head += " (" + sev.joined(separator: ", ") + ")" }
    if s.rootCauses > 0 { head += ", \(plural(s.rootCauses, "root cause"))" }
    var out = block(head, indent: 0, code: "1")
    var lines =
      "lines: \(s.linesRead) read = \(s.linesMatched) matched + \(s.linesUnmatched) unmatched + \(s.linesSkipped) skipped"
    if !s.skipped.isEmpty {
      lines += " (" + s.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }
    out += block(lines, indent: 0)
    for (rule, n) in s.ruleLimitHits.sorted(by: { $0.key < $1.key }) {
      out += block(
        "rule \(rule) hit its match limit on \(plural(n, "line")); those lines were left undecided", indent: 0,
        code: "33")
    }
    for input in report.inputs where input.error != nil {
      out += block("input \(input.name): \(input.error!)", indent: 0, code: "31")
    }
    return out
  }

  func render(_ boot: BootReport) -> String {
    var line = "  boot \(boot.boot)"
    if let start = boot.start.map(Timestamp.iso), start != boot.boot { line += "  started \(start)" }
    let versions = boot.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    let shown = versions.isEmpty ? "" : "  [" + versions.joined(separator: ", ") + "]"
    // The versions after the boot when they fit, else on lines of their own, wrapped between versions.
    var out =
      line.count + shown.count <= width
      ? line + shown + "\n"
      : line.count <= width ? line + "\n" : block(String(line.dropFirst(2)), indent: 2)
    if !versions.isEmpty && line.count + shown.count > width {
      var list = versions
      list[0] = "[" + list[0]
      list[list.count - 1] += "]"
      out += TextLayout.list(list, first: "    ", rest: 5, width: width).map { $0 + "\n" }.joined()
    }
    if !boot.facts.isEmpty {
      out += wrap(
        "facts: " + boot.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
        indent: 4)
    }
    let chart = TimelineChart(boot: boot, color: color, width: width).render()
    if !chart.isEmpty { out += "\n" + chart }
    for cause in boot.rootCauses { out += "\n" + render(cause) }
    if boot.incidents.isEmpty {
      out += "    " + paint("no incidents", "32") + "\n"
      return out
    }
    out += "\n    " + paint("incidents", "1") + "\n"
    let start = boot.timeline.first { $0.kind == "boot-start" }?.time
    for i in boot.incidents {
      out += row(i, start: start) + "\n"
      guard i.rootCause == nil else { continue }
      out += evidence(i.evidence, indent: 8)
      out += wrap("fix: " + i.fix, indent: 8)
      for r in i.references.prefix(2) { out += wrap("see: \(r)", indent: 8) }
    }
    return out
  }

  /// An incident in one row whatever the width: its time (and, 100 columns or more, its offset from
  /// the boot's start), severity, kind, count, title and root cause; the title is cut to fit, or left
  /// out when there is no room for it, and then the kind and root cause are cut.
  func row(_ i: Incident, start: Int64?) -> String {
    let when = i.first.map(Timestamp.clock) ?? "--:--:--.---"
    let offset = width >= TerminalWidth.piped ? TimeFormat.offset(i.first, from: start).padding(9) + " " : ""
    let lead = "    \(offset)\(when)  "
    let name = i.kind + family(i) + (i.count > 1 ? " ×\(i.count)" : "")
    let cause = i.rootCause.map { "  ← \($0)" } ?? ""
    let head = lead + severityLabel(i.severity) + " " + paint(i.kind, "1") + String(name.dropFirst(i.kind.count))
    let fixed = lead.count + 9 + name.count
    let room = width - fixed - 2 - cause.count
    if room >= 12 {
      return head + "  " + cut(i.title, room) + paint(cause, "2")
    }
    if width - fixed - cause.count >= 0 {
      return head + paint(cause, "2")
    }
    return lead + severityLabel(i.severity) + " " + paint(cut(name + cause, width - lead.count - 9), "1")
  }

  /// ` (imds-unreachable)` after a kind that refines a contract kind; empty when the kind is its family.
  func family(_ i: Incident) -> String { i.familyName == i.kind ? "" : " (\(i.familyName))" }

  func render(_ cause: RootCause) -> String {
    var out = "    " + paint("ROOT CAUSE", "1;31") + "  " + paint(cut(cause.id, width - 16), "1") + "\n"
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
    for r in cause.references.prefix(3) { out += wrap("see: \(r)", indent: 6) }
    return out
  }

  func evidence(_ list: [Evidence], indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    var out = ""
    for e in list.prefix(evidenceLines) {
      out += block("\(e.file):\(e.line)", indent: indent, code: "2")
      out += pad + "  " + cut(EvidenceMessage.display(e.text), width - indent - 2) + "\n"
    }
    if list.count > evidenceLines {
      out += block("… \(plural(list.count - evidenceLines, "more evidence line")) in --format json", indent: indent + 2)
    }
    return out
  }

  /// `s` in at most `n` columns, cut at the end with "…".
  func cut(_ s: String, _ n: Int) -> String { TextLayout.cut(s, n) }

  /// `text` wrapped to the width: its first line at `indent`, the others two further in.
  func wrap(_ text: String, indent: Int) -> String {
    TextLayout.wrap(text, width: width, indent: indent).map { $0 + "\n" }.joined()
  }

  /// `text` wrapped as `wrap` does, each line painted with `code` (when colour is on).
  func block(_ text: String, indent: Int, code: String? = nil) -> String {
    TextLayout.wrap(text, width: width, indent: indent).map { line in
      guard let code else { return line + "\n" }
      let body = line.drop { $0 == " " }
      return String(line.prefix(line.count - body.count)) + paint(String(body), code) + "\n"
    }.joined()
  }
}

func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

extension String {
  func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
