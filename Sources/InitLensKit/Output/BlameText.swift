import Foundation

/// `initlens blame`: the stage and step times of each boot, slowest first, in the form of
/// `cloud-init analyze blame` (`     00.12300s (modules-final/config-scripts-user)`).
///
/// A boot's steps are the events `cloud-init.log` records (start and finish of each module, datasource
/// search, …), timed as `cloud-init analyze` times them, so the step list equals that tool's
/// `-- Boot Record NN --` block (which lists steps only); the stages follow in a list of their own. A
/// boot whose inputs hold no such events (a journal, console output: only cloud-init's banners) has no
/// steps: its timeline is printed instead, and the block says so.
public enum BlameText {
  public static func render(_ report: Report) -> String {
    var out = ""
    var n = 0
    for host in report.hosts {
      for boot in host.boots {
        n += 1
        out += "-- Boot Record \(n < 10 ? "0" : "")\(n) -- \(host.host), boot \(boot.boot)\n"
        out += block(boot) + "\n"
      }
    }
    out += "\(n) boot records analyzed\n"
    return TextRenderer.terminalSafe(out)
  }

  /// Steps slowest first (ties: name descending, as `analyze blame` sorts its lines), then the stages.
  static func block(_ boot: BootReport) -> String {
    var steps: [(String, Double)] = []
    func collect(_ s: StageReport) {
      for step in s.steps {
        if let d = step.durationSeconds { steps.append((step.name, d)) }
        collect(step)
      }
    }
    boot.stages.forEach(collect)
    guard !steps.isEmpty else { return timeline(boot) }
    var out = lines(steps)
    let stages = boot.stages.compactMap { s in s.durationSeconds.map { (s.name, $0) } }
    if !stages.isEmpty { out += "   stages, slowest first:\n" + lines(stages) }
    return out
  }

  static func lines(_ items: [(String, Double)]) -> String {
    items.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : a.0 > b.0 }
      .map { "     \(String(format: "%08.5f", $0.1))s (\($0.0))\n" }.joined()
  }

  /// The boot's timeline, offsets from the kernel's start.
  static func timeline(_ boot: BootReport) -> String {
    var out = "   no cloud-init.log events in the input for this boot: its timeline as initlens read it\n"
    let stages = boot.stages.compactMap { s in s.durationSeconds.map { (s.name, $0) } }
    if !stages.isEmpty { out += "   stages, slowest first:\n" + lines(stages) }
    for e in boot.timeline {
      let at = e.offsetSeconds.map { String(format: "%+10.3fs", $0) } ?? e.time.map(Timestamp.iso) ?? "?"
      out += "     \(at)  \(e.summary)\n"
    }
    if boot.timeline.isEmpty { out += "     (nothing timed)\n" }
    return out
  }
}
