/// `--format console`: a short verdict for a serial console (`aws ec2 get-console-output`), at most
/// 20 lines of at most 80 plain ASCII columns, no colour. Root causes first, each with its first fix;
/// then, with none, the incidents at error and above; the summary line last. A healthy boot is one
/// line saying so and the summary. `watch --format console` prints it once, at the end.
final class ConsoleSink: ReportSink {
  static let format = ReportFormat(
    name: "console", help: "a short verdict for the serial console (20 x 80 ASCII)", make: { ConsoleSink($0) },
    live: { ConsoleSink($0, live: true) }, liveHelp: "the short verdict for the serial console, at the end")

  let options: SinkOptions
  let live: Bool
  init(_ options: SinkOptions, live: Bool = false) {
    self.options = options
    self.live = live
  }

  func boot(host: String, _ boot: BootReport) {}

  func end(_ report: Report) throws {
    try options.destination.write(ConsoleRenderer.render(report, ending: options.ending()))
    if live {
      let s = report.summary
      options.note(
        "initlens watch: \(plural(s.linesRead, "line")), \(plural(s.incidents, "incident")), "
          + "\(plural(s.rootCauses, "root cause"))" + options.ending())
    }
  }
}

enum ConsoleRenderer {
  static let width = 80
  static let height = 20

  /// The verdict; `ending` ("; boot complete", "; timed out") goes on the summary line.
  static func render(_ report: Report, ending: String = "") -> String {
    let boots = report.hosts.flatMap { host in host.boots.map { (host.host, $0) } }
    let causes = boots.flatMap { host, boot in boot.rootCauses.map { (host, $0) } }
    let errors = boots.flatMap { host, boot in boot.incidents.filter { $0.severity >= .error }.map { (host, $0) } }
    let manyHosts = Set(boots.map(\.0)).count > 1
    let tail = wrap(summaryLine(report.summary) + ending, indent: "  ")
    var body: [String] = []
    if !causes.isEmpty {
      body.append("initlens: BOOT FAILED: \(plural(causes.count, "root cause"))")
    } else if !errors.isEmpty {
      body.append("initlens: BOOT HAS ERRORS (no root cause found)")
    } else {
      body.append("initlens: boot OK: no root cause, no error")
    }
    let room = height - tail.count - 1
    var shown = 0
    for (host, cause) in causes {
      var block = wrap("ROOT CAUSE \(cause.id)" + (manyHosts ? " on \(host)" : ""), indent: "  ")
      block += clip(wrap(cause.summary, first: "  ", indent: "  "), 3)
      if let fix = cause.fixes.first { block += clip(wrap(fix, first: "  FIX: ", indent: "       "), 4) }
      guard body.count + block.count <= room else { break }
      body += block
      shown += 1
    }
    if causes.isEmpty {
      for (host, i) in errors {
        let line = wrap(
          "\(i.severity.rawValue.uppercased()) \(i.kind)\(manyHosts ? " on \(host)" : ""): \(i.title)", indent: "  "
        )[0]
        guard body.count < room else { break }
        body.append(line)
        shown += 1
      }
    }
    let hidden = (causes.isEmpty ? errors.count : causes.count) - shown
    if hidden > 0 { body.append("+ \(hidden) more; the whole report: initlens --format json") }
    return (body + tail).map { String($0.prefix(width)) }.joined(separator: "\n") + "\n"
  }

  /// `initlens: 1 host, 1 boot, 2 incidents (2 critical), 1 root cause`
  static func summaryLine(_ s: Summary) -> String {
    var head = "initlens: \(plural(s.hosts, "host")), \(plural(s.boots, "boot")), \(plural(s.incidents, "incident"))"
    let sev = Severity.allCases.reversed().compactMap { k in s.bySeverity[k.rawValue].map { "\($0) \(k.rawValue)" } }
    if !sev.isEmpty { head += " (" + sev.joined(separator: ", ") + ")" }
    return head + ", \(plural(s.rootCauses, "root cause"))"
  }

  /// The first `count` lines; when some are left out, the last kept line ends in "...".
  static func clip(_ lines: [String], _ count: Int) -> [String] {
    guard lines.count > count else { return lines }
    var kept = Array(lines.prefix(count))
    kept[count - 1] = String(kept[count - 1].prefix(width - 4)) + " ..."
    return kept
  }

  /// `text` in plain ASCII, wrapped at word boundaries to `width` columns: the first line starts
  /// with `first`, the others with `indent`; a word longer than a line is cut.
  static func wrap(_ text: String, first: String = "", indent: String) -> [String] {
    var lines: [String] = []
    var line = first
    var fresh = true
    for word in ascii(text).split(separator: " ") {
      var word = Substring(word)
      if !fresh && line.count + 1 + word.count > width {
        lines.append(line)
        line = indent
        fresh = true
      }
      if !fresh { line += " " }
      while line.count + word.count > width {
        let cut = width - line.count
        line += word.prefix(cut)
        word = word.dropFirst(cut)
        lines.append(line)
        line = indent
      }
      line += word
      fresh = false
    }
    lines.append(line)
    return lines
  }

  /// Printable ASCII only: common typography becomes its ASCII spelling, line ends and tabs become
  /// spaces, anything else `?`.
  static func ascii(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u.value {
      case 0x20..<0x7F: out.unicodeScalars.append(u)
      case 0x09, 0x0A, 0x0D: out += " "
      case 0x2026: out += "..."
      case 0x2010...0x2015, 0x2212: out += "-"
      case 0x2018, 0x2019, 0x201B: out += "'"
      case 0x201C, 0x201D: out += "\""
      case 0x00D7: out += "x"
      case 0x2192: out += "->"
      case 0x2190: out += "<-"
      case 0x2265: out += ">="
      case 0x2264: out += "<="
      case 0x00B5, 0x03BC: out += "u"
      case 0x00A0: out += " "
      default: out += "?"
      }
    }
    return out
  }
}
