/// Renders a report for a person at a terminal: a summary, then per host and boot the incidents
/// in time order with their evidence and fix. Colour only when asked (the CLI asks on a TTY).
public struct TextRenderer {
  public var color: Bool
  public var width = 100
  public var evidenceLines = 3
  public init(color: Bool) { self.color = color }

  func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

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
    var out = ""
    let s = report.summary
    var head = "initlens: \(plural(s.hosts, "host")), \(plural(s.boots, "boot")), \(plural(s.incidents, "incident"))"
    let sev = Severity.allCases.reversed().compactMap { k in s.bySeverity[k.rawValue].map { "\($0) \(k.rawValue)" } }
    if !sev.isEmpty { head += " (" + sev.joined(separator: ", ") + ")" }
    out += paint(head, "1") + "\n"
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
    for host in report.hosts {
      out += "\n" + paint(host.host, "1") + "\n"
      for boot in host.boots {
        var line = "  boot \(boot.boot)"
        if let start = boot.start, start != boot.boot { line += "  started \(start)" }
        let versions = boot.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if !versions.isEmpty { line += "  [" + versions.joined(separator: ", ") + "]" }
        out += line + "\n"
        if boot.incidents.isEmpty {
          out += "    " + paint("no incidents", "32") + "\n"
          continue
        }
        for i in boot.incidents {
          let when = i.first.map { String($0.dropFirst(11).prefix(12)) } ?? "--:--:--.---"
          let count = i.count > 1 ? "  ×\(i.count)" : ""
          out += "    \(when)  \(severityLabel(i.severity)) \(paint(i.kind, "1"))  \(i.title)\(count)\n"
          for e in i.evidence.prefix(evidenceLines) {
            out += "        " + paint("\(e.file):\(e.line)", "2") + "\n"
            out += "          " + cut(e.text, width - 10) + "\n"
          }
          if i.evidence.count > evidenceLines {
            out += "          … \(i.evidence.count - evidenceLines) more evidence lines in --format json\n"
          }
          out += wrap("fix: " + i.fix, indent: 8)
          for r in i.references.prefix(2) { out += "        see: \(r)\n" }
        }
      }
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
