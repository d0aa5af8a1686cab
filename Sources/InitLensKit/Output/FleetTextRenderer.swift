/// The fleet report for a person: root causes and incidents by number of hosts, versions among
/// affected and healthy hosts, then the full report of every affected host.
public struct FleetTextRenderer {
  public var color: Bool
  /// Evidence lines shown per incident and root cause (`--evidence`).
  public var evidenceLines = 3
  /// Columns of the terminal (`SinkOptions.width`).
  public var width = TerminalWidth.piped
  public init(color: Bool, evidenceLines: Int = 3, width: Int = TerminalWidth.piped) {
    self.color = color
    self.evidenceLines = evidenceLines
    self.width = width
  }

  public func render(_ report: Report) -> String {
    var text = TextRenderer(color: color)
    text.evidenceLines = evidenceLines
    text.width = width
    guard let fleet = report.fleet else { return text.render(report) }
    var out = text.block(
      "initlens fleet: \(plural(fleet.bundles, "bundle")), \(plural(fleet.hosts, "host")): "
        + "\(fleet.affectedHosts) affected, \(fleet.healthyHosts) healthy", indent: 0, code: "1")
    let s = report.summary
    out += text.block(
      "lines: \(s.linesRead) read = \(s.linesMatched) matched + \(s.linesUnmatched) unmatched + \(s.linesSkipped) skipped",
      indent: 0)
    for e in fleet.bundleErrors { out += text.block("bundle \(e.bundle): \(e.message)", indent: 0, code: "31") }
    out += "\n" + FleetTable(title: "ROOT CAUSE", groups: fleet.rootCauses, width: width).render()
    out += "\n" + FleetTable(title: "INCIDENT", groups: fleet.incidents, width: width).render()
    out += text.unmatched(report.unmatched)
    if !fleet.versions.isEmpty {
      out += "\n" + text.paint("VERSIONS", "1") + "\n"
      // A version too long for its column has a line of its own, the counts under it.
      let w = min(44, width - 32)
      for component in fleet.versions.keys.sorted() {
        for (version, count) in fleet.versions[component]!.sorted(by: { $0.key < $1.key }) {
          let name = component + " " + version
          let counts =
            " \(String(count.hosts).leftPad(6)) \(count.hosts == 1 ? "host " : "hosts")  "
            + "\(String(count.affected).leftPad(6)) affected\n"
          out +=
            name.count <= w
            ? "  " + name.padding(w) + counts : text.wrap(name, indent: 2) + "  " + "".padding(w) + counts
        }
      }
    }
    out += BootTimeText(paint: text.paint, width: width).render(fleet.bootTime)
    var healthy: [String] = []
    for host in report.hosts {
      let affected = host.boots.contains { !$0.rootCauses.isEmpty || $0.incidents.contains { $0.severity >= .warning } }
      guard affected else {
        healthy.append(host.host)
        continue
      }
      out += "\n" + text.block(host.title, indent: 0, code: "1")
      for boot in host.boots { out += text.render(boot) }
    }
    if !healthy.isEmpty {
      out += "\n" + text.paint("healthy hosts (\(healthy.count))", "1") + "\n"
      out += text.wrap(healthy.joined(separator: " "), indent: 2)
    }
    return TextRenderer.terminalSafe(out)
  }
}

extension String {
  func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
