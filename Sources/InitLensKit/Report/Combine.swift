extension Report {
  /// One report from many (per-bundle reports, or shard reports): hosts merged by name, inputs and
  /// hosts sorted, counts summed, and the fleet section computed from the merged hosts. The result
  /// depends only on the set of reports, not their order.
  public static func combine(_ reports: [Report], bundles: Int, bundleErrors: [BundleError]) -> Report {
    var summary = Summary()
    var inputs: [InputSummary] = []
    var hostBoots: [String: [BootReport]] = [:]
    for r in reports {
      summary.addLines(of: r.summary)
      inputs += r.inputs
      for h in r.hosts { hostBoots[h.host, default: []] += h.boots }
    }
    var hosts: [HostReport] = []
    for name in hostBoots.keys.sorted() {
      let boots = hostBoots[name]!.sorted { a, b in (a.start ?? .max, a.boot) < (b.start ?? .max, b.boot) }
      hosts.append(HostReport(host: name, boots: boots))
    }
    // Boots far slower than the fleet in a stage or step: a slow-stage incident each (SlowStage.swift).
    let profile = BootTimeProfile.compute(hosts: hosts)
    hosts = SlowStage.mark(hosts, profile: profile)
    for host in hosts {
      for boot in host.boots { summary.count(boot: boot) }
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
