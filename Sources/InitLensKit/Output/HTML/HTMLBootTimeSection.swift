/// The fleet's boot-time profile (`fleet.bootTime`) on the HTML page, after the fleet summary and
/// before the hosts: a chart of every metric's distribution (``BootTimeChart``) and a table of its
/// numbers, the slowest boots linked to their reports. As in the text table, steps under a second on
/// every boot are left out (counted under the table; the JSON has them all).
extension HTMLRenderer {
  private typealias F = HTMLFormat

  /// `#hN-bM` of every boot whose report is on the page, and `#hN` of every host (a healthy host of a
  /// big fleet has only its line), keyed by host then boot; the first host of a name wins, as elsewhere.
  func bootAnchors(_ report: Report) -> [String: (host: String, boots: [String: String])] {
    let fullHealthy = report.hosts.count <= healthyDetailLimit
    var out: [String: (host: String, boots: [String: String])] = [:]
    for (i, host) in report.hosts.enumerated() where out[host.host] == nil {
      var boots: [String: String] = [:]
      if fullHealthy || host.boots.contains(where: F.affected) {
        for (b, boot) in host.boots.enumerated() where boots[boot.boot] == nil { boots[boot.boot] = "h\(i)-b\(b)" }
      }
      out[host.host] = ("h\(i)", boots)
    }
    return out
  }

  /// The rows to show: whole-boot times, stages, and the steps that took `BootTimeText.stepFloor` or
  /// more on some boot; with the number of steps left out.
  static func bootTimeShown(_ metrics: [BootTimeMetric]) -> ([BootTimeMetric], Int) {
    let shown = metrics.filter { !$0.name.contains("/") || $0.max >= BootTimeText.stepFloor }
    return (shown, metrics.count - shown.count)
  }

  func bootTimeSection(_ report: Report, _ fleet: FleetSection) -> String {
    guard !fleet.bootTime.isEmpty else { return "" }
    let (shown, hidden) = Self.bootTimeShown(fleet.bootTime)
    let anchors = bootAnchors(report)
    func href(_ s: BootTimeSample) -> String? {
      guard let a = anchors[s.host] else { return nil }
      return "#" + (a.boots[s.boot] ?? a.host)
    }
    // Every boot's seconds per metric, for the outliers beyond the slowest kept.
    var outliers: [String: [BootTimeSample]] = [:]
    let limits = Dictionary(
      fleet.bootTime.compactMap { m in SlowStage.threshold(m).map { (m.name, $0) } }, uniquingKeysWith: { a, _ in a })
    if !limits.isEmpty {
      for host in report.hosts {
        for boot in host.boots {
          for (name, s) in BootTimeProfile.durations(of: boot) where s > limits[name] ?? .infinity {
            outliers[name, default: []].append(BootTimeSample(host: host.host, boot: boot.boot, seconds: s))
          }
        }
      }
    }
    let rows = shown.map { m -> BootTimeChart.Row in
      let limit = limits[m.name]
      var dots = m.slowest.map {
        BootTimeChart.Dot(sample: $0, href: href($0), outlier: $0.seconds > limit ?? .infinity)
      }
      for o in outliers[m.name] ?? [] where !m.slowest.contains(o) {
        dots.append(BootTimeChart.Dot(sample: o, href: href(o), outlier: true))
      }
      return BootTimeChart.Row(metric: m, threshold: limit, dots: dots)
    }
    let chart = BootTimeChart(rows: rows)
    let boots = report.hosts.reduce(0) { $0 + $1.boots.count }
    var out = "<section id=\"boottime\">\n<h2>Boot time <small>where the fleet's boot time goes: "
    out += "\(F.plural(shown.count, "metric")) over \(F.plural(boots, "boot"))</small></h2>\n"
    if let axis = chart.axis() {
      out += "<figure class=\"panel-fig\"><div class=\"chart\">" + chart.render() + "</div>"
      out += "<ul class=\"legend\"><li><span class=\"sw bt-box\"></span>p50 to p90</li>"
      out += "<li><span class=\"sw bt-p99\"></span>p99</li>"
      out +=
        "<li><span class=\"sw evt bt-dot\"></span>slowest boots (the rightmost is the max; a link to the boot)</li>"
      out += "<li><span class=\"sw evt out\"></span><code>slow-stage</code> outlier</li>"
      out += "<li><span class=\"sw bt-limit\"></span>slow-stage threshold</li></ul>"
      var caption =
        "Seconds per boot from the kernel's start to cloud-init's end and to the ECS registration, per stage "
        + "and per step; nearest-rank percentiles over the boots that show each. "
      caption +=
        axis.log
        ? "Log scale: the values spread over more than \(F.fixed(BootTimeChart.logSpread, 0))×."
        : "Linear scale from 0."
      caption +=
        " A boot is a slow-stage outlier above max(p90 × 2, p90 + 10 s), in metrics of at least "
        + "\(SlowStage.minBoots) boots."
      if hidden > 0 { caption += " " + hiddenSteps(hidden) }
      out += "<figcaption>\(F.e(caption))</figcaption></figure>\n"
    }
    out += bootTimeTable(rows)
    if hidden > 0 { out += "<p class=\"muted\">\(F.e(hiddenSteps(hidden)))</p>\n" }
    out += "</section>\n"
    return out
  }

  private func hiddenSteps(_ n: Int) -> String {
    "\(F.plural(n, "more step")) under \(F.fixed(BootTimeText.stepFloor, 0)) s on every boot "
      + "\(n == 1 ? "is" : "are") left out (fleet.bootTime in --format json has \(n == 1 ? "it" : "them"))."
  }

  func bootTimeTable(_ rows: [BootTimeChart.Row]) -> String {
    var out =
      "<div class=\"tw\"><table class=\"boottime rf\"><thead><tr><th>Metric</th><th class=\"num\">Boots</th>"
      + "<th class=\"num\">p50 (s)</th><th class=\"num\">p90 (s)</th><th class=\"num\">p99 (s)</th>"
      + "<th class=\"num\">Max (s)</th><th>Slowest boots (s)</th></tr></thead><tbody>\n"
    let n = { (v: Double) in F.fixed(v, 3) }
    for row in rows {
      let m = row.metric
      let slow = row.dots.contains(where: \.outlier)
      out += "<tr\(slow ? " class=\"s-warning\"" : "")><td class=\"kind\"><code>\(F.e(m.name))</code></td>"
      out += "<td class=\"num il\" data-l=\"boots\">\(F.count(m.boots))</td>"
      out += "<td class=\"num il\" data-l=\"p50\">\(n(m.p50))</td><td class=\"num il\" data-l=\"p90\">\(n(m.p90))</td>"
      out += "<td class=\"num il\" data-l=\"p99\">\(n(m.p99))</td><td class=\"num il\" data-l=\"max\">\(n(m.max))</td>"
      out += "<td class=\"slowest\" data-l=\"slowest\">"
      let dots = row.dots.sorted { a, b in
        a.sample.seconds != b.sample.seconds
          ? a.sample.seconds > b.sample.seconds : (a.sample.host, a.sample.boot) < (b.sample.host, b.sample.boot)
      }
      out += dots.map { d in
        let s = d.sample
        let name = F.e(s.host)
        let link = d.href.map { "<a href=\"\(F.e($0))\" title=\"boot \(F.e(s.boot))\">\(name)</a>" } ?? name
        let badge = d.outlier ? " <span class=\"sev sev-warning\">slow-stage</span>" : ""
        return "<span class=\"nw\">\(link) <span class=\"muted\">\(n(s.seconds))</span>\(badge)</span>"
      }.joined(separator: ", ")
      out += "</td></tr>\n"
    }
    out += "</tbody></table></div>\n"
    return out
  }
}
