/// The fleet report for a person: root causes and incidents by number of hosts, versions among
/// affected and healthy hosts, then the full report of every affected host.
public struct FleetTextRenderer {
  public var color: Bool
  /// Evidence lines shown per incident and root cause (`--evidence`).
  public var evidenceLines = 3
  public init(color: Bool, evidenceLines: Int = 3) {
    self.color = color
    self.evidenceLines = evidenceLines
  }

  public func render(_ report: Report) -> String {
    var text = TextRenderer(color: color)
    text.evidenceLines = evidenceLines
    guard let fleet = report.fleet else { return text.render(report) }
    var out =
      text.paint(
        "initlens fleet: \(plural(fleet.bundles, "bundle")), \(plural(fleet.hosts, "host")): "
          + "\(fleet.affectedHosts) affected, \(fleet.healthyHosts) healthy", "1") + "\n"
    let s = report.summary
    out +=
      "lines: \(s.linesRead) read = \(s.linesMatched) matched + \(s.linesUnmatched) unmatched + \(s.linesSkipped) skipped\n"
    for e in fleet.bundleErrors { out += text.paint("bundle \(e.bundle): \(e.message)", "31") + "\n" }
    out += "\n" + table("ROOT CAUSE", fleet.rootCauses)
    out += "\n" + table("INCIDENT", fleet.incidents)
    out += text.unmatched(report.unmatched)
    if !fleet.versions.isEmpty {
      out += "\n" + text.paint("VERSIONS", "1") + "\n"
      for component in fleet.versions.keys.sorted() {
        for (version, count) in fleet.versions[component]!.sorted(by: { $0.key < $1.key }) {
          out +=
            "  \((component + " " + version).padding(44)) \(String(count.hosts).leftPad(6)) \(count.hosts == 1 ? "host " : "hosts")  "
            + "\(String(count.affected).leftPad(6)) affected\n"
        }
      }
    }
    out += BootTimeText(paint: text.paint).render(fleet.bootTime)
    var healthy: [String] = []
    for host in report.hosts {
      let affected = host.boots.contains { !$0.rootCauses.isEmpty || $0.incidents.contains { $0.severity >= .warning } }
      guard affected else {
        healthy.append(host.host)
        continue
      }
      out += "\n" + text.paint(host.title, "1") + "\n"
      for boot in host.boots { out += text.render(boot) }
    }
    if !healthy.isEmpty {
      out += "\n" + text.paint("healthy hosts (\(healthy.count))", "1") + "\n"
      out += text.wrap(healthy.joined(separator: " "), indent: 2)
    }
    return TextRenderer.terminalSafe(out)
  }

  func table(_ title: String, _ groups: [FleetGroup]) -> String {
    guard !groups.isEmpty else { return "\(title): none\n" }
    // An incident kind with its family (`network-unreachable (imds-unreachable)`) may be wider.
    func label(_ g: FleetGroup) -> String { g.family.map { $0 == g.id ? g.id : "\(g.id) (\($0))" } ?? g.id }
    let w = max(34, (groups.map { label($0).count }.max() ?? 0) + 1)
    var out =
      "\(title.padding(w)) \("HOSTS".leftPad(6)) \("BOOTS".leftPad(6))  \("FIRST SEEN".padding(24)) \("LAST SEEN".padding(24)) VERSIONS (affected hosts)\n"
    for g in groups {
      let versions = g.versions.sorted { $0.key < $1.key }.flatMap { component, byVersion in
        byVersion.sorted { $0.key < $1.key }.map { "\(component) \($0.key) ×\($0.value)" }
      }
      out +=
        "\(label(g).padding(w)) \(String(g.hosts).leftPad(6)) \(String(g.boots).leftPad(6))  "
        + "\((g.firstSeen.map(Timestamp.iso) ?? "-").padding(24)) \((g.lastSeen.map(Timestamp.iso) ?? "-").padding(24)) \(versions.joined(separator: ", "))\n"
    }
    return out
  }
}

extension String {
  func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
