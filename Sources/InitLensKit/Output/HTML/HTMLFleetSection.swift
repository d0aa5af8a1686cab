/// The fleet part of the HTML report, first on the page: the affected hosts grouped by root cause
/// (each host's report inside), incidents by hosts and boots, versions among affected and healthy
/// hosts, and the incidents-over-time chart.
extension HTMLRenderer {
  private typealias F = HTMLFormat

  func fleetSection(_ report: Report, _ fleet: FleetSection, affected: [HostEntry], anchors: [String: String])
    -> String
  {
    var out = "<section id=\"fleet\">\n<h2>Fleet <small>\(F.plural(fleet.hosts, "host")): "
    out += "\(F.count(fleet.affectedHosts)) affected, \(F.count(fleet.healthyHosts)) healthy</small></h2>\n"
    out += rootCauseGroups(fleet, affected: affected, shared: sharedCauses(report.hosts))
    out += "<h3>Incidents <small>\(F.plural(fleet.incidents.count, "kind"))</small></h3>\n"
    out += groupTable(fleet.incidents, heading: "Incident", fleetHosts: fleet.hosts, anchors: anchors)
    out += "<h3>Versions <small>hosts running each, and how many of them are affected</small></h3>\n"
    out += versionsTable(fleet.versions)
    out += "<h3>Incidents over time</h3>\n"
    let severities = Dictionary(fleet.incidents.map { ($0.id, $0.severity ?? .info) }, uniquingKeysWith: max)
    let incidents = report.hosts.flatMap { $0.boots.flatMap(\.incidents) }
    let untimed = incidents.filter { $0.first == nil }.count
    let chart = OverTimeChart(buckets: fleet.incidentsOverTime, severity: severities, untimed: untimed).render()
    if chart.isEmpty {
      out +=
        incidents.isEmpty
        ? "<p class=\"none\">No incidents.</p>\n"
        : "<p class=\"none\">None of the \(F.plural(incidents.count, "incident")) has a time to chart.</p>\n"
    } else {
      out += chart + "\n"
    }
    out += "</section>\n"
    return out
  }

  func groupTable(_ groups: [FleetGroup], heading: String, fleetHosts: Int, anchors: [String: String]) -> String {
    guard !groups.isEmpty else { return "<p class=\"none\">None.</p>\n" }
    var out =
      "<div class=\"tw\"><table class=\"groups rf\"><thead><tr><th>\(heading)</th><th>Severity</th><th class=\"num\">Hosts</th>"
      + "<th class=\"num\">Boots</th><th>First seen (UTC)</th><th>Last seen (UTC)</th>"
      + "<th>Versions among affected hosts</th></tr></thead><tbody>\n"
    for g in groups {
      out += "<tr class=\"s-\(F.sev(g.severity))\"><td class=\"kind\"><div class=\"gid\"><code>\(F.e(g.id))</code>"
      if let family = g.family, family != g.id {
        out += " <span class=\"family\">(<code>\(F.e(family))</code>)</span>"
      }
      out += "</div>"
      out += "<div class=\"gtitle\">\(F.e(g.title))</div>"
      if !g.hostNames.isEmpty {
        out += "<details class=\"hosts\"><summary>\(F.plural(g.hostNames.count, "host"))</summary><div>"
        out += g.hostNames.prefix(groupHostLimit).map { name in
          anchors[name].map { "<a href=\"#\($0)\">\(F.e(name))</a>" } ?? F.e(name)
        }.joined(separator: ", ")
        if g.hostNames.count > groupHostLimit {
          out += " <span class=\"muted\">and \(F.count(g.hostNames.count - groupHostLimit)) more</span>"
        }
        out += "</div></details>"
      }
      out += "</td><td class=\"il\">\(F.badge(g.severity))</td>"
      let share = fleetHosts > 0 ? Double(g.hosts) / Double(fleetHosts) : 0
      out +=
        "<td class=\"num il\" data-l=\"hosts\">\(F.count(g.hosts)) <span class=\"muted\">\(F.fixed(share * 100, 0))%</span></td>"
        + "<td class=\"num il\" data-l=\"boots\">\(F.count(g.boots))</td>"
        + "<td class=\"mono nw il\" data-l=\"first\" title=\"\(F.e(F.iso(g.firstSeen)))\">\(F.e(String(F.dateTime(g.firstSeen).prefix(19))))</td>"
        + "<td class=\"mono nw il\" data-l=\"last\" title=\"\(F.e(F.iso(g.lastSeen)))\">\(F.e(String(F.dateTime(g.lastSeen).prefix(19))))</td><td>"
      for component in g.versions.keys.sorted() {
        for (version, n) in g.versions[component]!.sorted(by: { F.versionLess($0.key, $1.key) }) {
          out += "<span class=\"chip\"><b>\(F.e(component))</b> \(F.e(version)) ×\(F.count(n))</span> "
        }
      }
      out += "</td></tr>\n"
    }
    out += "</tbody></table></div>\n"
    return out
  }

  func versionsTable(_ versions: [String: [String: VersionCount]]) -> String {
    guard !versions.isEmpty else { return "<p class=\"none\">No versions were seen.</p>\n" }
    var out =
      "<div class=\"tw\"><table class=\"versions\"><thead><tr><th>Component</th><th>Version</th><th class=\"num\">Hosts</th>"
      + "<th class=\"num\">Affected</th><th>Share affected</th></tr></thead><tbody>\n"
    for component in versions.keys.sorted() {
      for (version, count) in versions[component]!.sorted(by: { F.versionLess($0.key, $1.key) }) {
        let share = count.hosts > 0 ? Double(count.affected) / Double(count.hosts) : 0
        let cls = count.affected > 0 ? " class=\"s-error\"" : ""
        out +=
          "<tr\(cls)><td>\(F.e(component))</td><td><code>\(F.e(version))</code></td>"
          + "<td class=\"num\">\(F.count(count.hosts))</td><td class=\"num\">\(F.count(count.affected))</td>"
          + "<td class=\"nw\"><span class=\"bar\"><i style=\"width:\(F.fixed(share * 100, 1))%\"></i></span> "
          + "\(F.fixed(share * 100, 0))%</td></tr>\n"
      }
    }
    out += "</tbody></table></div>\n"
    return out
  }
}
