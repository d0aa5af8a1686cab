/// A fleet's affected hosts, grouped by root cause: one collapsed `<details>` per root cause with its
/// counts on one line, the explanation, fixes and references once, and its hosts, each host's full
/// report collapsed inside the group of its first root cause (the fleet's order: most hosts first) and
/// linked from its other groups. Affected hosts without a root cause get a group of their own.
///
/// A link to a host (`#hN`) or a group (`#rc-ID`) targets the inside of its `<details>`, so the browser
/// opens it and the group around it (no script needed).
extension HTMLRenderer {
  private typealias F = HTMLFormat

  /// What a group shows once: the root cause's text shared by most of its findings (ties: the first).
  struct SharedCause {
    let cause: RootCause
    /// Findings (boots) whose explanation, fixes and references are exactly these.
    let findings: Int
    let total: Int

    func covers(_ c: RootCause) -> Bool {
      c.explanation == cause.explanation && c.fixes == cause.fixes && c.references == cause.references
    }
  }

  /// Root-cause id → the text its group shows once.
  func sharedCauses(_ hosts: [HostReport]) -> [String: SharedCause] {
    var variants: [String: [(RootCause, Int)]] = [:]
    var totals: [String: Int] = [:]
    for cause in hosts.flatMap({ $0.boots.flatMap(\.rootCauses) }) {
      totals[cause.id, default: 0] += 1
      var list = variants[cause.id, default: []]
      if let i = list.firstIndex(where: { SharedCause(cause: $0.0, findings: 0, total: 0).covers(cause) }) {
        list[i].1 += 1
      } else {
        list.append((cause, 1))
      }
      variants[cause.id] = list
    }
    return variants.mapValues { list in
      var best = list[0]
      for v in list.dropFirst() where v.1 > best.1 { best = v }
      return SharedCause(cause: best.0, findings: best.1, total: list.reduce(0) { $0 + $1.1 })
    }
  }

  func rootCauseGroups(_ fleet: FleetSection, affected: [HostEntry], shared: [String: SharedCause]) -> String {
    var order: [String: Int] = [:]
    for (i, g) in fleet.rootCauses.enumerated() { order[g.id] = i }
    // Each affected host's report goes into the group of its first root cause.
    var home: [String: [HostEntry]] = [:]
    var anchors: [String: String] = [:]
    var loose: [HostEntry] = []
    for entry in affected {
      if anchors[entry.host.host] == nil { anchors[entry.host.host] = entry.anchor }
      let ids = Set(entry.host.boots.flatMap { $0.rootCauses.map(\.id) })
      if let first = ids.min(by: { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }) {
        home[first, default: []].append(entry)
      } else {
        loose.append(entry)
      }
    }
    var out = "<h3>Root causes <small>\(rootCauseCount(fleet.rootCauses.count, findings: fleet.rootCauses))"
    out += "; open one for its explanation and hosts</small></h3>\n"
    if fleet.rootCauses.isEmpty { out += "<p class=\"none\">None.</p>\n" }
    let compact = compactTimelines(affected)
    for g in fleet.rootCauses {
      out += group(
        g, fleetHosts: fleet.hosts, shared: shared, homed: home[g.id] ?? [], anchors: anchors, compact: compact)
    }
    if !loose.isEmpty {
      let highest = loose.flatMap { $0.host.boots.flatMap(\.incidents) }.map(\.severity).max() ?? .warning
      out += "<details class=\"rcg s-\(F.sev(highest))\"><summary>\(F.badge(highest)) "
      out += "<span class=\"rcg-title\">Affected hosts without a root cause</span> "
      out += "<span class=\"stat\">\(F.plural(loose.count, "host")): incidents at warning or above that no "
      out += "chain explains</span></summary>\n<div class=\"rcg-body\" id=\"rc-none\">\n"
      for entry in loose { out += hostDetails(entry, open: false, compact: compact, shared: shared) }
      out += "</div></details>\n"
    }
    return out
  }

  /// `5 root causes, found 6 times`: distinct root causes (the header's tile), and their findings
  /// (one root cause in one boot) when they differ.
  func rootCauseCount(_ distinct: Int, findings groups: [FleetGroup]) -> String {
    let findings = groups.reduce(0) { $0 + $1.boots }
    var s = F.count(distinct)
    if findings != distinct { s += ", found \(F.plural(findings, "time")) (one per boot it explains)" }
    return s
  }

  func compactTimelines(_ affected: [HostEntry]) -> Bool { affected.count > fullTimelineHostLimit }

  private func group(
    _ g: FleetGroup, fleetHosts: Int, shared texts: [String: SharedCause], homed: [HostEntry],
    anchors: [String: String], compact: Bool
  ) -> String {
    let share = fleetHosts > 0 ? Double(g.hosts) / Double(fleetHosts) : 0
    var out = "<details class=\"rcg s-\(F.sev(g.severity))\"><summary>\(F.badge(g.severity)) "
    out += "<code>\(F.e(g.id))</code> <span class=\"rcg-title\">\(F.e(g.title))</span> "
    out += "<span class=\"stat\">\(F.plural(g.hosts, "host")) (\(F.fixed(share * 100, 0))%) · "
    let (first, last) = (String(F.dateTime(g.firstSeen).prefix(16)), String(F.dateTime(g.lastSeen).prefix(16)))
    out += "\(F.plural(g.boots, "boot")) · <span class=\"nw\">\(F.e(first))</span>"
    if last != first { out += " to <span class=\"nw\">\(F.e(last))</span>" }
    out += " UTC</span></summary>\n<div class=\"rcg-body\" id=\"rc-\(F.e(g.id))\">\n"
    if let shared = texts[g.id] {
      let c = shared.cause
      if shared.findings < shared.total {
        out +=
          "<p class=\"muted\">As reported for \(F.plural(shared.findings, "boot")) of \(F.count(shared.total)); "
          + "the other boots' reports carry their own text.</p>\n"
      }
      out += "<p><b>Why.</b> \(F.prose(c.explanation))</p>\n"
      if !c.fixes.isEmpty {
        out += "<h5>Fix</h5>\n<ol class=\"fixes\">" + c.fixes.map { "<li>\(F.prose($0))</li>" }.joined() + "</ol>\n"
      }
      if !c.references.isEmpty { out += "<h5>References</h5>\n" + references(c.references) }
    }
    var chips = ""
    for component in g.versions.keys.sorted() {
      for (version, n) in g.versions[component]!.sorted(by: { F.versionLess($0.key, $1.key) }) {
        chips += "<span class=\"chip\"><b>\(F.e(component))</b> \(F.e(version)) ×\(F.count(n))</span> "
      }
    }
    if !chips.isEmpty { out += "<h5>Versions among these hosts</h5>\n<p>\(chips)</p>\n" }
    out += "<h5>Hosts <small class=\"muted\">\(F.count(g.hosts)); open one for its full report</small></h5>\n"
    let homedNames = Set(homed.map(\.host.host))
    for entry in homed {
      out += hostDetails(entry, open: false, compact: compact, shared: texts)
    }
    let elsewhere = g.hostNames.filter { !homedNames.contains($0) }
    if !elsewhere.isEmpty {
      out += "<p class=\"muted\">Also on these hosts, whose reports are under their first root cause:</p>\n"
      out += "<div class=\"hostlist\">"
      out += elsewhere.map { name in anchors[name].map { "<a href=\"#\($0)\">\(F.e(name))</a>" } ?? F.e(name) }
        .joined(separator: " ")
      out += "</div>\n"
    }
    out += "</div></details>\n"
    return out
  }
}
