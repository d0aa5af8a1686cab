/// Renders a report as one self-contained HTML page (`--format html`): inline CSS and inline SVG,
/// no script and nothing loaded from anywhere, readable in any browser with scripts off.
///
/// The page: a header with the counts and the line accounting. For a fleet, then the fleet summary:
/// its root causes, each a collapsed group with the explanation once and its affected hosts' reports
/// (collapsed) inside, incidents by hosts and boots, the versions among affected and healthy hosts and
/// a chart of incidents over time; then where the fleet's boot time goes (a chart and a table per stage
/// and step, the slowest boots linked). Outside a fleet, every affected host (open when few). A host's
/// report has, per boot, its root causes, a Gantt chart of the cloud-init stages with the incidents
/// marked, the incidents table and the timeline (collapsed). Healthy hosts last, collapsed, one line
/// each in a large report.
///
/// Narrow windows: tables become blocks of lines or scroll in their own box, charts keep a minimum
/// drawn width (legible labels) and scroll in theirs; the page itself never scrolls sideways.
///
/// Every string of the report is escaped (text and attributes alike), a Content-Security-Policy
/// forbids scripts and loads as a second line of defence, and the same report gives the same bytes.
public struct HTMLRenderer {
  /// Up to this many hosts in the report, healthy hosts keep their full section (collapsed); above
  /// it they get one line each, so a report of thousands of hosts stays small.
  var healthyDetailLimit = 25
  /// Outside a fleet, affected hosts are shown open up to this many; above it, collapsed.
  var openAffectedLimit = 10
  /// Host names listed per incident kind before the rest are only counted.
  var groupHostLimit = 100
  /// Above this many affected hosts, their timelines leave out cloud-init sub-steps and IMDS calls.
  var fullTimelineHostLimit = 100
  /// Evidence lines shown per incident (the JSON report has all of them).
  var incidentEvidence = 5

  public init() {}

  private typealias F = HTMLFormat

  public func render(_ report: Report) -> String {
    let entries = report.hosts.enumerated().map { i, host in
      HostEntry(host: host, anchor: "h\(i)", affected: host.boots.contains(where: F.affected))
    }
    var anchors: [String: String] = [:]
    for entry in entries where anchors[entry.host.host] == nil { anchors[entry.host.host] = entry.anchor }
    let affected = entries.filter(\.affected)
    let healthy = entries.filter { !$0.affected }

    var title = "initlens report"
    if report.fleet == nil, report.hosts.count == 1 {
      title += " — " + report.hosts[0].host
    } else {
      title += " — \(F.plural(report.hosts.count, "host")), \(affected.count) affected"
    }
    var out = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      + "img-src data:; form-action 'none'; base-uri 'none'\">\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    out += "<meta name=\"generator\" content=\"initlens\">\n"
    out += "<title>\(F.e(title))</title>\n<style>\n\(HTMLStyle.css)\n</style>\n</head>\n<body>\n<main>\n"
    out += header(report, affected: affected.count, healthy: healthy.count)
    if let fleet = report.fleet {
      out += fleetSection(report, fleet, affected: affected, anchors: anchors)
      out += bootTimeSection(report, fleet)
      out += unmatchedSection(report.unmatched)
      let hosts = healthyHosts(report, healthy: healthy)
      if !hosts.isEmpty { out += "<section id=\"hosts\">\n" + hosts + "</section>\n" }
    } else {
      out += hostsSection(report, affected: affected, healthy: healthy)
      out += unmatchedSection(report.unmatched)
    }
    out += "</main>\n</body>\n</html>\n"
    return out
  }

  struct HostEntry {
    let host: HostReport
    let anchor: String
    let affected: Bool
  }

  // MARK: - Header

  func header(_ report: Report, affected: Int, healthy: Int) -> String {
    let s = report.summary
    var out = "<header class=\"top\">\n<h1>initlens <small>"
    if let fleet = report.fleet {
      out += "fleet report · \(F.plural(fleet.bundles, "bundle"))"
    } else {
      out += "boot report · \(F.plural(report.inputs.count, "input"))"
    }
    out += "</small></h1>\n<div class=\"tiles\">"
    func tile(_ label: String, _ value: Int, _ cls: String = "", note: String = "") -> String {
      "<div class=\"tile\(cls.isEmpty ? "" : " " + cls)\"><b>\(F.count(value))</b><span>\(label)</span>"
        + (note.isEmpty ? "" : "<em>\(note)</em>") + "</div>"
    }
    if let fleet = report.fleet { out += tile("bundles", fleet.bundles) }
    out += tile("hosts", report.fleet?.hosts ?? s.hosts)
    out += tile("affected", report.fleet?.affectedHosts ?? affected, affected > 0 ? "bad" : "")
    out += tile("healthy", report.fleet?.healthyHosts ?? healthy, "good")
    out += tile("boots", s.boots)
    out += tile("incidents", s.incidents)
    // One definition with the fleet's table: distinct root causes; findings (one per boot) when more.
    let distinct = Set(report.hosts.flatMap { $0.boots.flatMap { $0.rootCauses.map(\.id) } }).count
    let found = s.rootCauses != distinct ? "found \(F.plural(s.rootCauses, "time"))" : ""
    out += tile("root causes", distinct, distinct > 0 ? "bad" : "", note: found)
    let bySeverity = Severity.allCases.reversed().compactMap { sev in
      s.bySeverity[sev.rawValue].map { "<span class=\"sev sev-\(sev.rawValue)\">\(F.count($0)) \(sev.rawValue)</span>" }
    }
    if !bySeverity.isEmpty { out += "<div class=\"tile sevs\">" + bySeverity.joined(separator: " ") + "</div>" }
    out += "</div>\n"
    var lines =
      "<b>\(F.count(s.linesRead))</b> lines read = \(F.count(s.linesMatched)) matched + "
      + "\(F.count(s.linesUnmatched)) unmatched + \(F.count(s.linesSkipped)) skipped"
    if !s.skipped.isEmpty {
      lines +=
        " ("
        + s.skipped.sorted { $0.key < $1.key }.map { "\(F.e($0.key)) \(F.count($0.value))" }
        .joined(separator: ", ") + ")"
    }
    out += "<p class=\"lines\">\(lines)</p>\n"
    for e in report.fleet?.bundleErrors ?? [] {
      out += "<p class=\"alert\">bundle <code>\(F.e(e.bundle))</code>: \(F.e(e.message))</p>\n"
    }
    for input in report.inputs {
      guard let error = input.error else { continue }
      out += "<p class=\"alert\">input <code>\(F.e(input.name))</code>: \(F.e(error))</p>\n"
    }
    for (rule, n) in s.ruleLimitHits.sorted(by: { $0.key < $1.key }) {
      out +=
        "<p class=\"alert warn\">rule <code>\(F.e(rule))</code> hit its match limit on "
        + "\(F.plural(n, "line")); those lines were left undecided</p>\n"
    }
    if !report.inputs.isEmpty {
      out += "<details class=\"more\"><summary>\(F.plural(report.inputs.count, "input"))</summary>\n"
      out +=
        "<div class=\"tw\"><table><thead><tr><th>Input</th><th class=\"num\">Lines</th><th>Error</th></tr></thead><tbody>\n"
      for input in report.inputs {
        out +=
          "<tr><td><code>\(F.e(input.name))</code></td><td class=\"num\">\(F.count(input.lines))</td>"
          + "<td>\(input.error.map(F.e) ?? "")</td></tr>\n"
      }
      out += "</tbody></table></div></details>\n"
    }
    out += "</header>\n"
    return out
  }
}

extension HTMLRenderer {
  /// Escapes every character that HTML gives meaning to (`& < > " '`), for text and attribute
  /// values alike, and replaces control characters (which HTML does not allow) with U+FFFD.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(ch)
      case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}": out += "\u{FFFD}"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}
