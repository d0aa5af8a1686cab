/// The per-host part of the HTML report: every boot in full (root causes, Gantt chart, incidents,
/// timeline). Outside a fleet, affected hosts come first, open when there are few; healthy hosts after
/// them, collapsed (a fleet's affected hosts are in its root-cause groups).
extension HTMLRenderer {
  private typealias F = HTMLFormat

  func hostsSection(_ report: Report, affected: [HostEntry], healthy: [HostEntry]) -> String {
    var out = "<section id=\"hosts\">\n"
    if !affected.isEmpty {
      out += "<h2>Affected hosts <small>\(F.count(affected.count)) of \(F.count(report.hosts.count))</small></h2>\n"
      let compact = compactTimelines(affected)
      let open = affected.count <= openAffectedLimit
      for entry in affected { out += hostDetails(entry, open: open, compact: compact) }
    }
    out += healthyHosts(report, healthy: healthy)
    if report.hosts.isEmpty { out += "<h2>Hosts</h2>\n<p class=\"none\">No host was found in the inputs.</p>\n" }
    out += "</section>\n"
    return out
  }

  /// Healthy hosts: collapsed sections in a small report, one line each in a large one.
  func healthyHosts(_ report: Report, healthy: [HostEntry]) -> String {
    var out = ""
    if !healthy.isEmpty {
      out += "<h2>Healthy hosts <small>\(F.count(healthy.count)) of \(F.count(report.hosts.count))</small></h2>\n"
      if report.hosts.count <= healthyDetailLimit {
        // A lone healthy instance is the whole report: shown open.
        let open = report.hosts.count == 1
        for entry in healthy { out += hostDetails(entry, open: open, compact: false) }
      } else {
        out += healthyTable(healthy)
      }
    }
    return out
  }

  /// One line per healthy host: a big fleet's page grows by a table row per host, no more.
  func healthyTable(_ healthy: [HostEntry]) -> String {
    var out =
      "<details class=\"more\"><summary>\(F.plural(healthy.count, "healthy host"))</summary>\n"
      + "<div class=\"tw\"><table class=\"healthy rf\"><thead><tr><th>Host</th><th class=\"num\">Boots</th>"
      + "<th>Versions</th><th class=\"num\">Info incidents</th></tr></thead><tbody>\n"
    for entry in healthy {
      let host = entry.host
      let info = host.boots.reduce(0) { $0 + $1.incidents.count }
      out +=
        "<tr id=\"\(entry.anchor)\"><td class=\"il\"><b>\(F.e(host.host))</b></td>"
        + "<td class=\"num il\" data-l=\"boots\">\(host.boots.count)</td><td>\(versionChips(host))</td>"
        + "<td class=\"num il\" data-l=\"info incidents\">\(F.count(info))</td></tr>\n"
    }
    out += "</tbody></table></div></details>\n"
    return out
  }

  func versionChips(_ host: HostReport) -> String {
    var seen: [String: Set<String>] = [:]
    for boot in host.boots {
      for (component, version) in boot.versions { seen[component, default: []].insert(version) }
    }
    return seen.keys.sorted().flatMap { component in
      seen[component]!.sorted(by: F.versionLess).map {
        "<span class=\"chip\"><b>\(F.e(component))</b> \(F.e($0))</span>"
      }
    }.joined(separator: " ")
  }

  /// A host's report in a `<details>`; its anchor is on the report's body, so that a link to it opens it.
  /// `shared`: root causes whose text a fleet's group shows once.
  func hostDetails(_ entry: HostEntry, open: Bool, compact: Bool, shared: [String: SharedCause] = [:]) -> String {
    let host = entry.host
    let incidents = host.boots.flatMap(\.incidents)
    let causes = host.boots.reduce(0) { $0 + $1.rootCauses.count }
    let highest = incidents.map(\.severity).max()
    let stripe = entry.affected ? F.sev(highest ?? .error) : "ok"
    var out = "<details class=\"host sl-\(stripe)\"\(open ? " open" : "")>\n<summary>"
    out += "<span class=\"hname\">\(F.e(host.title))</span> "
    out += entry.affected ? F.badge(highest ?? .error) : "<span class=\"sev sev-ok\">healthy</span>"
    var meta = [F.plural(host.boots.count, "boot"), F.plural(incidents.count, "incident")]
    if causes > 0 { meta.append(F.plural(causes, "root cause")) }
    out += " <span class=\"hmeta\">\(meta.joined(separator: " · "))</span> \(versionChips(host))</summary>\n"
    out += "<div class=\"hostbody\" id=\"\(entry.anchor)\">\n"
    for (b, boot) in host.boots.enumerated() {
      out += bootSection(boot, anchor: "\(entry.anchor)-b\(b)", compact: compact, shared: shared)
    }
    if host.boots.isEmpty { out += "<p class=\"none\">No boot was found.</p>\n" }
    out += "</div>\n</details>\n"
    return out
  }

  func bootSection(_ boot: BootReport, anchor: String, compact: Bool, shared: [String: SharedCause]) -> String {
    var out =
      "<div class=\"boot\" id=\"\(anchor)\">\n<div class=\"boothead\"><h3>Boot <code>\(F.e(boot.boot))</code></h3>"
    if let start = boot.start {
      out += "<span class=\"muted\">kernel started \(F.e(F.dateTime(start))) UTC</span>"
    } else {
      out += "<span class=\"muted\">start unknown</span>"
    }
    for (component, version) in boot.versions.sorted(by: { $0.key < $1.key }) {
      out += "<span class=\"chip\"><b>\(F.e(component))</b> \(F.e(version))</span>"
    }
    out += "</div>\n"
    if !boot.facts.isEmpty {
      out += "<div class=\"facts\"><span class=\"muted\">settings:</span> "
      out += boot.facts.sorted { $0.key < $1.key }.map {
        "<span class=\"chip mono\">\(F.e($0.key))=\(F.e($0.value))</span>"
      }.joined(separator: " ")
      out += "</div>\n"
    }
    let start = boot.start ?? boot.timeline.first { $0.kind == "boot-start" }?.time
    var causeAnchors: [String: String] = [:]
    for (n, cause) in boot.rootCauses.enumerated() {
      let id = "\(anchor)-rc\(n)"
      if causeAnchors[cause.id] == nil { causeAnchors[cause.id] = id }
      out += rootCause(cause, id: id, boot: boot, shared: shared[cause.id])
    }

    let gantt = GanttChart(boot: boot)
    let chart = gantt.render()
    if chart.isEmpty {
      out += "<p class=\"none\">No stage or incident has a time to chart.</p>\n"
    } else {
      out +=
        "<h4>Boot chart</h4>\n<figure class=\"gantt\">\(chart)<figcaption>\(F.e(gantt.caption()))</figcaption></figure>\n"
    }

    out += "<h4>Incidents <small class=\"muted\">\(F.count(boot.incidents.count))</small></h4>\n"
    if boot.incidents.isEmpty {
      out += "<p class=\"none\">No incidents.</p>\n"
    } else {
      out += incidentsTable(boot.incidents, start: start, causeAnchors: causeAnchors)
    }
    out += timeline(boot, compact: compact)
    out += "</div>\n"
    return out
  }

  func rootCause(_ cause: RootCause, id: String, boot: BootReport, shared: SharedCause? = nil) -> String {
    let severity = boot.incidents.first { $0.kind == cause.cause }?.severity ?? .error
    var out = "<article class=\"rc rc-\(severity.rawValue)\" id=\"\(id)\">\n<div class=\"rc-head\">"
    out += "<span class=\"rc-tag\">Root cause</span> \(F.badge(severity)) <code>\(F.e(cause.id))</code></div>\n"
    out += "<h4>\(F.e(cause.title))</h4>\n<p class=\"summary\">\(F.prose(cause.summary))</p>\n"
    let inGroup = shared?.covers(cause) ?? false
    if !inGroup { out += "<p><b>Why.</b> \(F.prose(cause.explanation))</p>\n" }
    out += "<div class=\"chain\"><span class=\"muted\">chain:</span> "
    let causeIncident = boot.incidents.first { $0.kind == cause.cause }
    var chain = "<span class=\"chip\"><b>\(F.e(cause.cause))</b>"
    if let at = causeIncident.map({ F.offset($0.first, from: boot.start) }), !at.isEmpty {
      chain += " at \(at)"
    }
    chain += "</span>"
    for s in cause.symptoms {
      chain += " <span class=\"arrow\">→</span> <span class=\"chip\">\(F.e(s.kind))"
      if let d = s.afterCauseSeconds {
        chain += " <span class=\"muted\">\(TimeFormat.seconds(abs(d))) \(d < 0 ? "earlier" : "later")</span>"
      }
      chain += "</span>"
    }
    out += chain + "</div>\n"
    if inGroup {
      out +=
        "<p class=\"muted\">Why, fix and references: in the <a href=\"#rc-\(F.e(cause.id))\">"
        + "\(F.e(cause.id))</a> group: the same for this boot.</p>\n"
    }
    if !cause.fixes.isEmpty && !inGroup {
      out += "<h5>Fix</h5>\n<ol class=\"fixes\">"
      for fix in cause.fixes { out += "<li>\(F.prose(fix))</li>" }
      out += "</ol>\n"
    }
    if !cause.evidence.isEmpty {
      out += "<h5>Evidence</h5>\n" + evidence(cause.evidence)
    }
    if !cause.references.isEmpty && !inGroup {
      out += "<h5>References</h5>\n" + references(cause.references)
    }
    out += "</article>\n"
    return out
  }

  func evidence(_ list: [Evidence]) -> String {
    var out = "<div class=\"ev\">"
    for e in list {
      out += "<div class=\"loc\">\(F.e(e.file)):\(e.line)</div><div class=\"txt\">\(F.e(e.text))</div>"
    }
    return out + "</div>\n"
  }

  /// References: http(s) URLs as links (a click leaves the page; the page itself loads nothing), the rest as text.
  func references(_ list: [String]) -> String {
    "<p class=\"refs\">" + list.map(F.reference).joined(separator: "<br>") + "</p>\n"
  }

  /// One row per incident, and under it a full-width row with its fix, captures, evidence and
  /// references: open when no root cause explains the incident and it is a warning or worse.
  /// The family under a kind that refines a contract kind (`imds-unreachable` under `network-unreachable`).
  func family(_ i: Incident) -> String {
    i.familyName == i.kind ? "" : " <span class=\"family\">(<code>\(F.e(i.familyName))</code>)</span>"
  }

  func incidentsTable(_ incidents: [Incident], start: Int64?, causeAnchors: [String: String]) -> String {
    var out =
      "<div class=\"tw\"><table class=\"incidents rf\"><thead><tr><th>Time (UTC)</th><th>Offset</th><th>Severity</th><th>Kind</th>"
      + "<th class=\"num\">Count</th><th>Title</th><th>Root cause</th></tr></thead><tbody>\n"
    for i in incidents {
      let sev = i.severity.rawValue
      out += "<tr class=\"s-\(sev)\"><td class=\"mono nw il\">\(F.e(F.clock(i.first)))</td>"
      out +=
        "<td class=\"mono nw il\">\(F.e(F.offset(i.first, from: start)))</td><td class=\"il\">\(F.badge(i.severity))</td>"
      out += "<td class=\"kind\"><code>\(F.e(i.kind))</code>\(family(i))</td>"
      out += "<td class=\"num il\" data-l=\"count\">\(F.count(i.count))</td>"
      out += "<td>\(F.e(i.title))</td><td data-l=\"root cause\">"
      if let rc = i.rootCause {
        out += causeAnchors[rc].map { "<a href=\"#\($0)\">\(F.e(rc))</a>" } ?? F.e(rc)
      } else {
        out += "<span class=\"muted\">none</span>"
      }
      out += "</td></tr>\n"

      let open = i.rootCause == nil && i.severity >= .warning
      var what = ["fix"]
      if !i.captures.isEmpty { what.append("captures") }
      if !i.evidence.isEmpty { what.append(F.plural(i.evidence.count, "evidence line")) }
      if !i.references.isEmpty { what.append("references") }
      out += "<tr class=\"s-\(sev) incd-row\"><td colspan=\"7\"><details\(open ? " open" : "")>"
      out += "<summary>\(what.joined(separator: " · "))</summary><div class=\"incd\">"
      out += "<p><b>Fix.</b> \(F.prose(i.fix))</p>"
      if !i.captures.isEmpty {
        out +=
          "<p><span class=\"muted\">captures:</span> "
          + i.captures.sorted { $0.key < $1.key }.map { "<code>\(F.e($0.key))=\(F.e($0.value))</code>" }
          .joined(separator: " ") + "</p>"
      }
      var facts = "rule <code>\(F.e(i.rule))</code>"
      if i.rules.count > 1 { facts = "rules " + i.rules.map { "<code>\(F.e($0))</code>" }.joined(separator: ", ") }
      facts += " · source \(F.e(i.source.rawValue))"
      if let last = i.last, last != i.first { facts += " · last seen \(F.e(F.clock(last)))" }
      out += "<p class=\"muted\">\(facts)</p>"
      if !i.evidence.isEmpty {
        out += evidence(Array(i.evidence.prefix(incidentEvidence)))
        if i.evidence.count > incidentEvidence {
          out += "<p class=\"muted\">\(F.count(i.evidence.count - incidentEvidence)) more in --format json</p>"
        }
      }
      if !i.references.isEmpty { out += references(i.references) }
      out += "</div></details></td></tr>\n"
    }
    out += "</tbody></table></div>\n"
    return out
  }

  /// The boot's timeline, collapsed. `compact` (a report with many affected hosts) leaves out the
  /// cloud-init sub-steps and IMDS calls, which the Gantt chart and the JSON report still show.
  func timeline(_ boot: BootReport, compact: Bool) -> String {
    guard !boot.timeline.isEmpty else { return "" }
    let incidentSeverity = Dictionary(boot.incidents.map { ($0.kind, $0.severity) }, uniquingKeysWith: max)
    let lowLevel: Set<String> = ["cloud-init-step", "imds-call"]
    let entries = compact ? boot.timeline.filter { !lowLevel.contains($0.kind) } : boot.timeline
    var out =
      "<details class=\"timeline\"><summary>Timeline <small class=\"muted\">"
      + "\(F.plural(boot.timeline.count, "entry", "entries"))</small></summary>\n"
    if entries.count < boot.timeline.count {
      out +=
        "<p class=\"muted\">\(F.count(boot.timeline.count - entries.count)) cloud-init sub-steps and IMDS calls are "
        + "left out of this page (it has many affected hosts); <code>--format json</code> has them.</p>\n"
    }
    out +=
      "<div class=\"tw\"><table class=\"timeline rf\"><thead><tr><th>Offset</th><th>Time (UTC)</th><th>Kind</th>"
      + "<th>What happened</th><th>Where</th></tr></thead><tbody>\n"
    for t in entries {
      var cls = ""
      if let s = incidentSeverity[t.kind] {
        cls = " class=\"s-\(s.rawValue)\""
      } else if lowLevel.contains(t.kind) {
        cls = " class=\"d\""
      } else if t.kind == "cloud-init-stage" || t.kind == "boot-start" {
        cls = " class=\"b\""
      }
      out +=
        "<tr\(cls)><td>\(t.offsetSeconds.map(F.signed) ?? "")</td><td>\(F.e(F.clock(t.time)))</td>"
        + "<td>\(F.e(t.kind))</td><td>\(F.e(t.summary))</td><td>"
        + (t.origin.map { "\(F.e($0.file)):\($0.line)" } ?? "") + "</td></tr>\n"
    }
    out += "</tbody></table></div></details>\n"
    return out
  }
}
