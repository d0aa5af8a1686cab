extension Report {
  /// One report from many (per-bundle reports, or shard reports): hosts merged by name, inputs and
  /// hosts sorted, counts summed, and the fleet section computed from the merged hosts. The result
  /// depends only on the set of reports, not their order.
  public static func combine(_ reports: [Report], bundles: Int, bundleErrors: [BundleError]) -> Report {
    var summary = Summary()
    var inputs: [InputSummary] = []
    var hostBoots: [String: [BootReport]] = [:]
    for r in reports {
      let s = r.summary
      summary.linesRead += s.linesRead
      summary.linesMatched += s.linesMatched
      summary.linesUnmatched += s.linesUnmatched
      summary.linesSkipped += s.linesSkipped
      summary.skipped.merge(s.skipped, uniquingKeysWith: +)
      summary.ruleLimitHits.merge(s.ruleLimitHits, uniquingKeysWith: +)
      inputs += r.inputs
      for h in r.hosts { hostBoots[h.host, default: []] += h.boots }
    }
    var hosts: [HostReport] = []
    for name in hostBoots.keys.sorted() {
      let boots = hostBoots[name]!.sorted { a, b in (a.start ?? "~", a.boot) < (b.start ?? "~", b.boot) }
      hosts.append(HostReport(host: name, boots: boots))
      for boot in boots {
        summary.boots += 1
        summary.rootCauses += boot.rootCauses.count
        for i in boot.incidents {
          summary.incidents += 1
          summary.bySeverity[i.severity.rawValue, default: 0] += 1
          if summary.highestSeverity == nil || i.severity > summary.highestSeverity! {
            summary.highestSeverity = i.severity
          }
        }
      }
    }
    summary.hosts = hosts.count
    inputs.sort { ($0.name, $0.lines) < ($1.name, $1.lines) }
    var report = Report(summary: summary, inputs: inputs, hosts: hosts)
    report.fleet = FleetSection.aggregate(hosts: hosts, bundles: bundles, bundleErrors: bundleErrors)
    // The fleet's top templates: hosts, boots and lines summed by template id across bundles.
    report.unmatched = UnmatchedTemplate.combine(reports.map(\.unmatched))
    return report
  }
}
