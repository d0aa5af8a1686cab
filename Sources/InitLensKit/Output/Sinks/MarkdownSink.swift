/// `--format markdown`: GitHub-flavoured markdown to paste into a ticket. Per host and boot a
/// heading, its root causes with their fixes (and the first command among them), a table of its
/// incidents, a few evidence lines each in a fenced block; the summary line last. A fleet report
/// shows its affected hosts only.
final class MarkdownSink: ReportSink {
  static let format = ReportFormat(
    name: "markdown", help: "GitHub-flavoured markdown, to paste into a ticket", make: { MarkdownSink($0) })

  let options: SinkOptions
  init(_ options: SinkOptions) { self.options = options }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.write(MarkdownRenderer(evidenceLines: options.shownEvidence).render(report))
  }
}

struct MarkdownRenderer {
  var evidenceLines = 3

  /// Every time shown goes through here (µs since the epoch, shown as ISO 8601 UTC).
  static func time(_ t: Int64?) -> String { t.map(Timestamp.iso) ?? "-" }

  func render(_ report: Report) -> String {
    var out = "# initlens report\n"
    var hosts = report.hosts
    if let fleet = report.fleet {
      out +=
        "\nFleet: \(plural(fleet.bundles, "bundle")), \(plural(fleet.hosts, "host")): "
        + "\(fleet.affectedHosts) affected, \(fleet.healthyHosts) healthy (affected hosts below).\n"
      for e in fleet.bundleErrors {
        out += "\n- bundle \(Self.code(e.bundle)) could not be read: \(Self.inline(e.message))"
      }
      if !fleet.bundleErrors.isEmpty { out += "\n" }
      hosts = hosts.filter { host in
        host.boots.contains { !$0.rootCauses.isEmpty || $0.incidents.contains { $0.severity >= .warning } }
      }
    }
    for host in hosts {
      for boot in host.boots { out += render(boot, host: host.host) }
    }
    out += "\n---\n\n" + Self.summaryLine(report.summary) + "\n"
    return Self.safe(out)
  }

  func render(_ boot: BootReport, host: String) -> String {
    var out = "\n## \(Self.code(host)), boot \(Self.code(boot.boot))\n\n"
    var about = ["Started \(Self.time(boot.start))"]
    if let hostname = boot.hostname { about.append("host name \(hostname)") }
    about += boot.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    out += Self.inline(about.joined(separator: ", ")) + "\n"
    for cause in boot.rootCauses { out += render(cause) }
    guard !boot.incidents.isEmpty else { return out + "\nNo incidents.\n" }
    out += "\n### Incidents\n\n| Kind | Severity | Count | First seen | Title |\n| --- | --- | ---: | --- | --- |\n"
    for i in boot.incidents {
      out +=
        "| \(Self.code(i.kindAndFamily)) | \(i.severity.rawValue) | \(i.count) | \(Self.time(i.first)) | "
        + "\(Self.cell(i.title)) |\n"
    }
    for i in boot.incidents where evidenceLines > 0 && !i.evidence.isEmpty {
      let shown = i.evidence.prefix(evidenceLines)
      out += "\n\(Self.code(i.kind)) evidence:\n\n"
      out += Self.fenced(shown.map { "\($0.file):\($0.line): \($0.text)" }.joined(separator: "\n"), info: "text")
      if i.evidence.count > shown.count { out += "\n(\(i.evidence.count - shown.count) more in --format json)\n" }
    }
    return out
  }

  func render(_ cause: RootCause) -> String {
    var out = "\n### Root cause: \(Self.code(cause.id))\n\n\(Self.inline(cause.summary))\n"
    guard !cause.fixes.isEmpty else { return out }
    out += "\n**Fix:**\n\n"
    for (n, fix) in cause.fixes.enumerated() { out += "\(n + 1). \(Self.inline(fix))\n" }
    if let command = cause.fixes.lazy.compactMap(Self.firstCommand).first {
      out += "\nFirst command in the fixes:\n\n" + Self.fenced(command, info: "sh")
    }
    return out
  }

  /// `initlens: 2 hosts, 2 boots, 3 incidents (1 error, 2 warning), 1 root cause; lines: …`
  static func summaryLine(_ s: Summary) -> String {
    var head = "initlens: \(plural(s.hosts, "host")), \(plural(s.boots, "boot")), \(plural(s.incidents, "incident"))"
    let sev = Severity.allCases.reversed().compactMap { k in s.bySeverity[k.rawValue].map { "\($0) \(k.rawValue)" } }
    if !sev.isEmpty { head += " (" + sev.joined(separator: ", ") + ")" }
    if s.rootCauses > 0 { head += ", \(plural(s.rootCauses, "root cause"))" }
    return head
      + "; lines: \(s.linesRead) read = \(s.linesMatched) matched + \(s.linesUnmatched) unmatched + \(s.linesSkipped) skipped"
  }

  /// The first `command` quoted in a fix, if any.
  static func firstCommand(_ fix: String) -> String? {
    let parts = fix.split(separator: "`", omittingEmptySubsequences: false)
    guard parts.count >= 3, !parts[1].isEmpty else { return nil }
    return String(parts[1])
  }

  /// Text on one line: line ends become spaces.
  static func inline(_ s: String) -> String {
    String(s.map { $0 == "\n" || $0 == "\r\n" ? " " : $0 })
  }

  /// A table cell: on one line, its pipes escaped.
  static func cell(_ s: String) -> String {
    var out = ""
    for ch in inline(s) { out += ch == "|" ? "\\|" : String(ch) }
    return out
  }

  /// A code span that holds `s` whatever backticks it has.
  static func code(_ s: String) -> String {
    let s = inline(s)
    let ticks = String(repeating: "`", count: longestRun(of: "`", in: s) + 1)
    let pad = s.hasPrefix("`") || s.hasSuffix("`") ? " " : ""
    return ticks + pad + s + pad + ticks
  }

  /// A fenced code block that holds `s` whatever fences it has.
  static func fenced(_ s: String, info: String) -> String {
    let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: s) + 1))
    return "\(fence)\(info)\n\(s)\n\(fence)\n"
  }

  static func longestRun(of c: Character, in s: String) -> Int {
    var longest = 0
    var run = 0
    for ch in s {
      run = ch == c ? run + 1 : 0
      longest = max(longest, run)
    }
    return longest
  }

  /// Control characters from logs (ESC, CR, BEL, ...) become U+FFFD; line ends and tabs stay.
  static func safe(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      switch u.value {
      case 0x0A, 0x09: out.append(u)
      case 0..<0x20, 0x7F...0x9F: out.append("\u{FFFD}")
      default: out.append(u)
      }
    }
    return String(out)
  }
}
