/// The fleet's "incidents over time" chart in SVG: one bar per hour (per day above a week of busy
/// hours), stacked by incident kind, from `fleet.incidentsOverTime` (incidents by their first time).
///
/// Hours without incidents are drawn as empty slots when the whole range is short; over a long
/// range only hours with incidents get a slot and dashed lines mark the gaps, so the chart stays
/// readable whatever the spread. Kinds are coloured by their severity (shades of the severity's colour).
struct OverTimeChart {
  let buckets: [TimeBucket]
  /// Incident kind → severity (from the fleet's incident groups).
  let severity: [String: Severity]
  /// Incidents without a time: not in the chart, and said so under it.
  var untimed = 0
  /// Busy hours above which the chart counts per day.
  var maxHourly = 168
  /// Slots up to which an empty hour (or day) still gets its own slot.
  var maxContinuous = 96

  private typealias F = HTMLFormat
  private static let hour: Int64 = 3_600_000_000
  private static let day: Int64 = 86_400_000_000

  private static let palette: [Severity: [String]] = [
    .critical: ["#7f1d1d", "#be185d", "#6b21a8", "#9f1239"],
    .error: ["#dc2626", "#fb7185", "#c2410c", "#f472b6", "#ef4444"],
    .warning: ["#d97706", "#facc15", "#a16207", "#fdba74"],
    .info: ["#0891b2", "#67e8f9", "#1d4ed8", "#93c5fd"],
  ]

  struct Slot {
    var start: Int64
    var counts: [String: Int]
    /// Time without incidents was left out before this slot.
    var gapBefore: Bool
    var total: Int { counts.values.reduce(0, +) }
  }

  /// The slots to draw and the length of one.
  func slots() -> ([Slot], Int64) {
    var points: [Int64: [String: Int]] = [:]
    for b in buckets {
      points[b.hour, default: [:]].merge(b.counts, uniquingKeysWith: +)
    }
    var unit = OverTimeChart.hour
    if points.count > maxHourly {
      unit = OverTimeChart.day
      var days: [Int64: [String: Int]] = [:]
      for (t, counts) in points {
        var d = t - t % unit
        if t % unit < 0 { d -= unit }
        days[d, default: [:]].merge(counts, uniquingKeysWith: +)
      }
      points = days
    }
    let keys = points.keys.sorted()
    guard let first = keys.first, let last = keys.last else { return ([], unit) }
    if (last - first) / unit + 1 <= Int64(maxContinuous) {
      return (
        stride(from: first, through: last, by: Int(unit)).map {
          Slot(start: $0, counts: points[$0] ?? [:], gapBefore: false)
        },
        unit
      )
    }
    var out: [Slot] = []
    var previous: Int64? = nil
    for t in keys {
      out.append(Slot(start: t, counts: points[t]!, gapBefore: previous.map { t - $0 > unit } ?? false))
      previous = t
    }
    return (out, unit)
  }

  /// Kinds bottom to top: most severe first, then the most frequent, then by name; with their colours.
  func kinds(_ slots: [Slot]) -> [(kind: String, total: Int, color: String)] {
    var totals: [String: Int] = [:]
    for s in slots { totals.merge(s.counts, uniquingKeysWith: +) }
    let ordered = totals.sorted {
      let a = severity[$0.key] ?? .info
      let b = severity[$1.key] ?? .info
      return (b.rank, $1.value, $0.key) < (a.rank, $0.value, $1.key)
    }
    var used: [Severity: Int] = [:]
    return ordered.map { kind, total in
      let s = severity[kind] ?? .info
      let shades = OverTimeChart.palette[s]!
      let n = used[s, default: 0]
      used[s] = n + 1
      return (kind, total, shades[n % shades.count])
    }
  }

  func render() -> String {
    let (slots, unit) = slots()
    guard !slots.isEmpty else { return "" }
    let kinds = kinds(slots)
    let width = 1000.0
    let height = 250.0
    let left = 48.0
    let right = width - 12
    let plotTop = 22.0
    let plotBottom = 196.0
    let plotH = plotBottom - plotTop
    let n = slots.count
    let maxTotal = max(1, slots.map(\.total).max() ?? 1)
    let yStep = F.niceStep(
      Double(maxTotal), ticks: 5,
      candidates: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000])
    let yMax = (Double(maxTotal) / yStep).rounded(.up) * yStep
    func y(_ v: Double) -> Double { plotBottom - v / yMax * plotH }
    let slotW = (right - left) / Double(n)
    let barW = max(1, min(44, slotW * 0.72))
    let perDay = unit == OverTimeChart.day
    let total = slots.reduce(0) { $0 + $1.total }

    var svg =
      "<svg class=\"overtime\" viewBox=\"0 0 \(F.c(width)) \(F.c(height))\" width=\"\(F.c(width))\" "
      + "height=\"\(F.c(height))\" role=\"img\" aria-label=\"Incidents per \(perDay ? "day" : "hour"): "
      + "\(F.plural(total, "incident")) in \(F.plural(n, perDay ? "day" : "hour"))\">\n<g class=\"axis\">"
    var v = 0.0
    while v <= yMax + yStep / 1000 {
      svg +=
        "<line class=\"grid\" x1=\"\(F.c(left))\" y1=\"\(F.c(y(v)))\" x2=\"\(F.c(right))\" y2=\"\(F.c(y(v)))\"/>"
        + "<text x=\"\(F.c(left - 6))\" y=\"\(F.c(y(v) + 4))\" text-anchor=\"end\">\(F.fixed(v, 0))</text>"
      v += yStep
    }
    svg +=
      "<text x=\"12\" y=\"\(F.c((plotTop + plotBottom) / 2))\" text-anchor=\"middle\" "
      + "transform=\"rotate(-90 12 \(F.c((plotTop + plotBottom) / 2)))\">incidents</text>"
    svg +=
      "<line class=\"base\" x1=\"\(F.c(left))\" y1=\"\(F.c(plotBottom))\" x2=\"\(F.c(right))\" y2=\"\(F.c(plotBottom))\"/>"

    // Labels under the bars: every few slots, always after a gap; the date when it changes.
    let every = max(1, (n + 11) / 12)
    var lastDate = ""
    var lastLabelled = -every
    for (i, slot) in slots.enumerated() {
      let cx = left + (Double(i) + 0.5) * slotW
      if slot.gapBefore {
        let gx = left + Double(i) * slotW
        svg +=
          "<line class=\"gap\" x1=\"\(F.c(gx))\" y1=\"\(F.c(plotTop))\" x2=\"\(F.c(gx))\" y2=\"\(F.c(plotBottom + 4))\">"
          + "<title>time without incidents left out</title></line>"
      }
      guard i - lastLabelled >= every || (slot.gapBefore && i - lastLabelled >= max(1, every / 2)) else { continue }
      lastLabelled = i
      let iso = Timestamp.iso(slot.start)
      let date = String(iso.prefix(10))
      let time = String(iso.dropFirst(11).prefix(5))
      if perDay {
        svg += "<text x=\"\(F.c(cx))\" y=\"\(F.c(plotBottom + 16))\" text-anchor=\"middle\">\(date.dropFirst(5))</text>"
        if date.prefix(4) != lastDate.prefix(4) {
          svg += "<text x=\"\(F.c(cx))\" y=\"\(F.c(plotBottom + 31))\" text-anchor=\"middle\">\(date.prefix(4))</text>"
        }
      } else {
        svg += "<text x=\"\(F.c(cx))\" y=\"\(F.c(plotBottom + 16))\" text-anchor=\"middle\">\(time)</text>"
        if date != lastDate {
          svg += "<text x=\"\(F.c(cx))\" y=\"\(F.c(plotBottom + 31))\" text-anchor=\"middle\">\(date)</text>"
        }
      }
      lastDate = date
    }
    svg += "</g>\n"

    // Bars.
    for (i, slot) in slots.enumerated() where slot.total > 0 {
      let bx = left + Double(i) * slotW + (slotW - barW) / 2
      let iso = Timestamp.iso(slot.start)
      let when =
        perDay
        ? String(iso.prefix(10)) + " (UTC day)"
        : String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC hour"
      svg += "<g>"
      var acc = 0.0
      for k in kinds {
        guard let c = slot.counts[k.kind], c > 0 else { continue }
        let yTop = y(acc + Double(c))
        let h = y(acc) - yTop
        svg +=
          "<rect x=\"\(F.c(bx))\" y=\"\(F.c(yTop))\" width=\"\(F.c(barW))\" height=\"\(F.c(h))\" fill=\"\(k.color)\" "
          + "stroke=\"#fff\" stroke-width=\"0.6\"><title>\(F.e("\(when)\n\(k.kind) (\(severity[k.kind]?.rawValue ?? "info")): \(c)\ntotal: \(slot.total)"))</title></rect>"
        acc += Double(c)
      }
      if n <= 48 {
        svg +=
          "<text class=\"tot\" x=\"\(F.c(bx + barW / 2))\" y=\"\(F.c(y(acc) - 4))\" text-anchor=\"middle\">\(slot.total)</text>"
      }
      svg += "</g>\n"
    }
    svg += "</svg>"

    var legend = "<ul class=\"legend\">"
    for k in kinds {
      legend +=
        "<li><span class=\"sw\" style=\"background:\(k.color)\"></span><code>\(F.e(k.kind))</code> "
        + "<span class=\"muted\">\(F.count(k.total))</span></li>"
    }
    legend += "</ul>"
    let first = slots.first!.start
    let last = slots.last!.start + unit
    var caption =
      "Incidents per \(perDay ? "day" : "hour") by first occurrence, stacked by kind (bottom: most severe); "
      + "\(F.plural(total, "incident")) from \(F.dateTime(first).prefix(16)) to \(F.dateTime(last).prefix(16)) UTC."
    if untimed > 0 {
      caption +=
        " \(F.plural(untimed, "more incident has", "more incidents have")) no time and "
        + "\(untimed == 1 ? "is" : "are") not charted (\(F.count(total + untimed)) in all)."
    }
    if slots.contains(where: \.gapBefore) {
      caption += " Only \(perDay ? "days" : "hours") with incidents are shown; dashed lines mark the time left out."
    }
    return "<figure class=\"panel-fig\"><div class=\"chart\">" + svg + "</div>" + legend
      + "<figcaption>\(F.e(caption))</figcaption></figure>"
  }
}
