/// An SVG Gantt chart of one boot: cloud-init stages as bars (long sub-steps drawn inside them) on a
/// time axis from the boot's start, then the incidents as diamonds at their first time, coloured by
/// severity, with a line to their last time. Every shape has a `<title>` tooltip.
///
/// Deterministic: coordinates have one fixed decimal. Empty when the boot has nothing to place.
struct GanttChart {
  let boot: BootReport
  /// Above this many incidents they share one lane instead of a row each.
  var incidentRows = 14
  /// Milestones drawn on the events lane, at most.
  var maxEvents = 200

  private typealias F = HTMLFormat
  private let width = 1000.0
  private let x0 = 210.0
  private let x1 = 890.0
  private let top = 26.0
  private let rowH = 24.0

  /// The origin of the axis and whether it is the boot's start (else the first known time).
  func origin() -> (Int64, Bool)? {
    if let s = boot.start { return (s, true) }
    let known = boot.stages.compactMap(\.start) + boot.incidents.compactMap(\.first)
    return known.min().map { ($0, false) }
  }

  /// What the chart places and its time axis (seconds from `origin`), or nil when nothing has a time.
  struct Axis {
    var origin: Int64
    var fromStart: Bool
    var stages: [(StageReport, Double, Double?)]
    var incidents: [(Incident, Double, Double?)]
    var events: [(TimelineEntry, Double)]
    /// Where the drawn span starts: 0 (the origin), or the first thing placed when cloud-init ran long
    /// after the boot's start (``ChartWindow``).
    var window: Double
    var lo: Double
    var hi: Double
    var step: Double
    /// Ticks are labelled from `lo` (the time before it is left out) rather than from the origin.
    var shifted: Bool { window > 0 }
  }

  func axis() -> Axis? {
    guard let (origin, fromStart) = origin() else { return nil }
    func off(_ t: Int64?) -> Double? { t.map { Double($0 - origin) / 1e6 } }
    let stages = boot.stages.compactMap { s -> (StageReport, Double, Double?)? in
      off(s.start).map { (s, $0, off(s.end)) }
    }
    let incidents = boot.incidents.compactMap { i -> (Incident, Double, Double?)? in
      off(i.first).map { (i, $0, off(i.last)) }
    }
    guard !stages.isEmpty || !incidents.isEmpty else { return nil }
    let events = otherEvents(off)
    let placed =
      stages.flatMap { [$0.1, $0.2 ?? $0.1] } + incidents.flatMap { [$0.1, $0.2 ?? $0.1] } + events.map(\.1)
    // Long before cloud-init ran (an uptime of hours), the axis starts at the first thing placed.
    let window = ChartWindow.origin(placed)
    let times = [window] + placed
    let rawLo = times.min()!
    let rawHi = times.max()!
    let step = F.niceStep(
      max(rawHi - rawLo, 1), ticks: 10,
      candidates: [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600])
    let lo = (rawLo / step).rounded(.down) * step
    var hi = (rawHi / step).rounded(.up) * step
    if hi <= lo { hi = lo + step }
    return Axis(
      origin: origin, fromStart: fromStart, stages: stages, incidents: incidents, events: events, window: window,
      lo: lo, hi: hi, step: step)
  }

  /// The figure's caption: what the axis counts from.
  func caption() -> String {
    var caption = "cloud-init stages and incidents, seconds since "
    if let a = axis(), a.shifted {
      caption +=
        "\(F.span(a.lo)) after \(a.fromStart ? "the kernel started" : "the first known time") "
        + "(cloud-init ran long after the boot began: the time before is left out)"
    } else {
      caption += boot.start == nil ? "the first known time (the boot's start is unknown)" : "the kernel started"
    }
    return caption + "; hover a bar or a mark for its times."
  }

  /// The `<svg>` and its legend, or empty.
  func render() -> String {
    guard let axis = axis() else { return "" }
    let (origin, fromStart, stages, incidents, events) =
      (axis.origin, axis.fromStart, axis.stages, axis.incidents, axis.events)
    func off(_ t: Int64?) -> Double? { t.map { Double($0 - origin) / 1e6 } }
    let (window, lo, hi, step) = (axis.window, axis.lo, axis.hi, axis.step)
    func x(_ t: Double) -> Double { x0 + (t - lo) / (hi - lo) * (x1 - x0) }

    let oneLane = incidents.count > incidentRows
    let incidentLanes = incidents.isEmpty ? 0 : (oneLane ? 1 : incidents.count)
    let sepGap = !stages.isEmpty && incidentLanes > 0 ? 8.0 : 0
    let eventLanes = events.isEmpty ? 0 : 1
    let bottom = top + Double(stages.count + eventLanes + incidentLanes) * rowH + sepGap
    let height = bottom + 6

    var svg =
      "<div class=\"chart\"><svg class=\"gantt\" viewBox=\"0 0 \(F.c(width)) \(F.c(height))\" width=\"\(F.c(width))\" "
      + "height=\"\(F.c(height))\" role=\"img\" aria-label=\"Boot timeline: \(F.plural(stages.count, "cloud-init stage")), "
      + "\(F.plural(incidents.count, "incident"))\">\n"

    // Axis: tick labels at the top, grid lines through every row.
    svg += "<g class=\"axis\">"
    var k = 0
    while true {
      let t = lo + Double(k) * step
      if t > hi + step / 1000 { break }
      let xt = x(t)
      svg += "<line class=\"grid\" x1=\"\(F.c(xt))\" y1=\"\(F.c(top - 6))\" x2=\"\(F.c(xt))\" y2=\"\(F.c(bottom))\"/>"
      svg +=
        "<text x=\"\(F.c(xt))\" y=\"\(F.c(top - 10))\" text-anchor=\"middle\">\(axisLabel(axis.shifted ? t - lo : t, step: step))</text>"
      k += 1
    }
    let zeroTitle = fromStart ? "boot start (kernel): " + F.iso(boot.start) : "first known time (boot start unknown)"
    if window == 0 {
      svg +=
        "<line class=\"base\" x1=\"\(F.c(x(0)))\" y1=\"\(F.c(top - 6))\" x2=\"\(F.c(x(0)))\" y2=\"\(F.c(bottom))\">"
        + "<title>\(F.e(zeroTitle))</title></line>"
    }
    svg += "</g>\n"

    // Incident guides behind the bars.
    let incidentTop = top + Double(stages.count + eventLanes) * rowH + sepGap
    for (n, (incident, a, _)) in incidents.enumerated() {
      let rowY = incidentTop + Double(oneLane ? 0 : n) * rowH + rowH / 2
      svg +=
        "<line class=\"guide g-\(incident.severity.rawValue)\" x1=\"\(F.c(x(a)))\" y1=\"\(F.c(top - 2))\" "
        + "x2=\"\(F.c(x(a)))\" y2=\"\(F.c(rowY))\"/>"
    }
    svg += "\n"

    // Stages.
    for (n, (stage, a, b)) in stages.enumerated() {
      let y = top + Double(n) * rowH
      svg += "<g>"
      svg += label(stage.name, y: y, cls: nil)
      let end = b ?? hi
      let w = max(2, x(end) - x(a))
      var cls = "st"
      if b == nil {
        cls += " open"
      } else if let r = stage.result, r == "WARN" || r == "FAIL" {
        cls += " " + r
      }
      svg +=
        "<rect class=\"\(cls)\" x=\"\(F.c(x(a)))\" y=\"\(F.c(y + 5))\" width=\"\(F.c(w))\" height=\"14\" rx=\"2\">"
        + "<title>\(F.e(stageTitle(stage, a: a, b: b)))</title></rect>"
      for sub in stage.steps {
        guard let sa = off(sub.start), let sb = off(sub.end) else { continue }
        let sw = x(sb) - x(sa)
        let flagged = sub.result == "WARN" || sub.result == "FAIL"
        guard sw >= 1.5 || flagged else { continue }
        let scls = flagged ? "step " + (sub.result ?? "") : "step"
        svg +=
          "<rect class=\"\(scls)\" x=\"\(F.c(x(sa)))\" y=\"\(F.c(y + 13))\" width=\"\(F.c(max(sw, 1.5)))\" "
          + "height=\"6\"><title>\(F.e(stageTitle(sub, a: sa, b: sb)))</title></rect>"
      }
      var tail = b == nil ? "unfinished" : stage.durationSeconds.map { TimeFormat.seconds($0) } ?? ""
      if let r = stage.result, r != "SUCCESS" { tail += " " + r }
      svg += "<text class=\"tail\" x=\"\(F.c(x1 + 8))\" y=\"\(F.c(y + 16))\">\(F.e(tail))</text>"
      svg += "</g>\n"
    }

    // Other events (agent start, registration, datasource found, …) on one lane.
    if !events.isEmpty {
      let y = top + Double(stages.count) * rowH
      svg += "<g>" + label("events (\(events.count))", y: y, cls: nil)
      for (entry, t) in events {
        svg +=
          "<circle class=\"ev-mk\" cx=\"\(F.c(x(t)))\" cy=\"\(F.c(y + rowH / 2))\" r=\"4.5\"><title>"
          + F.e("\(entry.kind) at \(F.clock(entry.time)) (\(F.signed(t)))\n\(entry.summary)") + "</title></circle>"
      }
      svg += "</g>\n"
    }

    // Incidents.
    if sepGap > 0 {
      let ys = incidentTop - sepGap / 2
      svg += "<line class=\"sep\" x1=\"10\" y1=\"\(F.c(ys))\" x2=\"\(F.c(width - 10))\" y2=\"\(F.c(ys))\"/>\n"
    }
    if oneLane {
      svg += label("incidents (\(incidents.count))", y: incidentTop, cls: "lbl-inc")
    }
    for (n, (incident, a, b)) in incidents.enumerated() {
      let y = incidentTop + Double(oneLane ? 0 : n) * rowH
      let cy = y + rowH / 2
      let sev = incident.severity.rawValue
      svg += "<g>"
      if !oneLane {
        svg += label(incident.kind + (incident.count > 1 ? " ×\(incident.count)" : ""), y: y, cls: "lbl-inc")
      }
      if let b, x(b) - x(a) >= 2 {
        svg +=
          "<line class=\"rng g-\(sev)\" x1=\"\(F.c(x(a)))\" y1=\"\(F.c(cy))\" x2=\"\(F.c(x(b)))\" y2=\"\(F.c(cy))\"/>"
        svg +=
          "<line class=\"g-\(sev)\" x1=\"\(F.c(x(b)))\" y1=\"\(F.c(cy - 4))\" x2=\"\(F.c(x(b)))\" "
          + "y2=\"\(F.c(cy + 4))\" stroke-width=\"2\"/>"
      }
      let cx = x(a)
      svg +=
        "<path class=\"mk f-\(sev)\" d=\"M\(F.c(cx)) \(F.c(cy - 7))L\(F.c(cx + 7)) \(F.c(cy))L\(F.c(cx)) "
        + "\(F.c(cy + 7))L\(F.c(cx - 7)) \(F.c(cy))Z\"><title>\(F.e(incidentTitle(incident, a: a, b: b)))</title></path>"
      if !oneLane {
        svg += "<text class=\"tail\" x=\"\(F.c(x1 + 8))\" y=\"\(F.c(y + 16))\">\(F.signed(a))</text>"
      }
      svg += "</g>\n"
    }
    svg += "</svg></div>"
    return svg
      + legend(
        stages: !stages.isEmpty, unfinished: stages.contains { $0.2 == nil }, events: !events.isEmpty,
        severities: Set(incidents.map(\.0.severity)))
  }

  /// Timeline entries that are neither stages, steps, IMDS calls nor incidents: the milestones of
  /// the boot (datasource found, user data run, agent started, registered), once per kind and time.
  private func otherEvents(_ off: (Int64?) -> Double?) -> [(TimelineEntry, Double)] {
    let skip: Set<String> = Set(["boot-start", "cloud-init-stage", "cloud-init-step", "imds-call"])
      .union(boot.incidents.map(\.kind))
    var seen = Set<String>()
    var out: [(TimelineEntry, Double)] = []
    for entry in boot.timeline where !skip.contains(entry.kind) {
      guard let t = off(entry.time), seen.insert(entry.kind + "@" + F.fixed(t, 3)).inserted else { continue }
      out.append((entry, t))
      if out.count == maxEvents { break }
    }
    return out
  }

  /// A left-hand row label, cut to fit, with the full text as its tooltip.
  private func label(_ text: String, y: Double, cls: String?) -> String {
    let shown = F.cut(text, 30)
    let c = cls.map { " class=\"\($0)\"" } ?? ""
    let tip = shown == text ? "" : "<title>\(F.e(text))</title>"
    return "<text\(c) x=\"\(F.c(x0 - 10))\" y=\"\(F.c(y + 16))\" text-anchor=\"end\">\(tip)\(F.e(shown))</text>"
  }

  private func axisLabel(_ t: Double, step: Double) -> String {
    if step >= 60 { return F.fixed(t / 60, 0) + "m" }
    let decimals = step >= 1 ? 0 : (step >= 0.1 && (step * 10).rounded() == step * 10 ? 1 : 2)
    return F.fixed(t, decimals) + "s"
  }

  private func stageTitle(_ stage: StageReport, a: Double, b: Double?) -> String {
    var s = "\(stage.name): \(F.clock(stage.start)) (\(F.signed(a)))"
    if let b {
      s += " → \(F.clock(stage.end)) (\(F.signed(b)))"
    } else {
      s += ", never finished"
    }
    if let d = stage.durationSeconds { s += ", \(TimeFormat.seconds(d))" }
    if let r = stage.result { s += ", \(r)" }
    let longest = stage.steps.filter { ($0.durationSeconds ?? 0) > 0 }
      .sorted { (($1.durationSeconds ?? 0), $0.name) < (($0.durationSeconds ?? 0), $1.name) }.prefix(3)
    if !longest.isEmpty {
      s +=
        "; longest steps: "
        + longest.map { "\($0.name) \(TimeFormat.seconds($0.durationSeconds ?? 0))" }.joined(separator: ", ")
    }
    return s
  }

  private func incidentTitle(_ i: Incident, a: Double, b: Double?) -> String {
    var s =
      "\(i.severity.rawValue.uppercased()) \(i.kindAndFamily): \(i.title)\nfirst \(F.clock(i.first)) (\(F.signed(a)))"
    if let b, b > a { s += ", last \(F.clock(i.last)) (\(F.signed(b)))" }
    if i.count > 1 { s += ", \(i.count) lines" }
    if let rc = i.rootCause { s += "\nroot cause: \(rc)" }
    return s
  }

  /// The legend under the chart: only what it shows.
  private func legend(stages: Bool, unfinished: Bool, events: Bool, severities: Set<Severity>) -> String {
    var items: [String] = []
    if stages {
      items.append("<li><span class=\"sw st\"></span>cloud-init stage</li>")
      items.append("<li><span class=\"sw step\"></span>longer sub-step</li>")
    }
    if unfinished { items.append("<li><span class=\"sw open\"></span>unfinished</li>") }
    if events { items.append("<li><span class=\"sw evt\"></span>other event</li>") }
    for s in Severity.allCases.reversed() where severities.contains(s) {
      items.append("<li><span class=\"sw mk \(s.rawValue)\"></span>\(s.rawValue) incident</li>")
    }
    return "<ul class=\"legend\">" + items.joined() + "</ul>"
  }
}
