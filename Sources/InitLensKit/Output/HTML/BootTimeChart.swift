import Foundation

/// The fleet's boot-time profile in SVG: one row per metric on a shared seconds axis, the box from p50
/// to p90, a tick at p99, and the slowest boots as dots (the rightmost is the maximum), each a link
/// to its boot's report. A `slow-stage` outlier's dot is drawn in the warning colour, and the row marks
/// the threshold above which a boot is one.
///
/// The axis is logarithmic when the values spread over more than ``logSpread``× (a stage of 0.02 s
/// beside a boot of 100 s), else linear from 0; the caption says which. Deterministic: coordinates
/// have one fixed decimal. Empty when there is nothing to draw.
struct BootTimeChart {
  struct Dot {
    var sample: BootTimeSample
    /// `#hN-bM` (or `#hN`) of the boot's report on the page; nil when the page has none.
    var href: String?
    var outlier: Bool
  }

  struct Row {
    var metric: BootTimeMetric
    /// Seconds above which a boot of this metric is a `slow-stage` outlier (nil: too few boots).
    var threshold: Double?
    var dots: [Dot]
  }

  let rows: [Row]
  static let logSpread = 20.0

  private typealias F = HTMLFormat
  private let width = 1000.0
  private let left = 34.0
  private let right = 966.0
  private let top = 30.0
  private let rowH = 46.0

  /// The axis: its ends, whether logarithmic, and the ticks to label.
  struct Axis {
    var lo: Double
    var hi: Double
    var log: Bool
    var ticks: [Double]
    /// Unlabelled grid lines (2× and 5× each decade on a log axis).
    var minor: [Double]
  }

  func values() -> [Double] {
    rows.flatMap { r in [r.metric.p50, r.metric.p90, r.metric.p99, r.metric.max] + r.dots.map(\.sample.seconds) }
  }

  func axis() -> Axis? {
    let all = values()
    guard let hi = all.max(), hi > 0 else { return nil }
    let positive = all.filter { $0 > 0 }
    let lo = positive.min() ?? hi
    if hi / lo > Self.logSpread {
      var a = -3
      while a < 6, pow10(a + 1) <= lo { a += 1 }
      var b = a + 1
      while pow10(b) < hi { b += 1 }
      let ticks = (a...b).map(pow10)
      let minor = (a..<b).flatMap { [2 * pow10($0), 5 * pow10($0)] }
      return Axis(lo: pow10(a), hi: pow10(b), log: true, ticks: ticks, minor: minor)
    }
    let step = F.niceStep(
      hi, ticks: 8,
      candidates: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600])
    let top = (hi / step).rounded(.up) * step
    let n = Int((top / step).rounded())
    return Axis(lo: 0, hi: top, log: false, ticks: (0...n).map { Double($0) * step }, minor: [])
  }

  private func pow10(_ e: Int) -> Double { pow(10, Double(e)) }

  /// `0.01s`, `0.5s`, `10s`, `120s`.
  static func label(_ v: Double) -> String {
    var s = HTMLFormat.fixed(v, 3)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s + "s"
  }

  func x(_ v: Double, _ a: Axis) -> Double {
    let span = right - left
    if a.log {
      let lv = log10(Swift.max(v, a.lo))
      return left + (lv - log10(a.lo)) / (log10(a.hi) - log10(a.lo)) * span
    }
    return left + Swift.max(0, v) / a.hi * span
  }

  func render() -> String {
    guard !rows.isEmpty, let a = axis() else { return "" }
    let height = top + Double(rows.count) * rowH + 8
    let bottom = height - 8
    var svg =
      "<svg class=\"boottime\" viewBox=\"0 0 \(F.c(width)) \(F.c(height))\" width=\"\(F.c(width))\" "
      + "height=\"\(F.c(height))\" role=\"img\" aria-label=\"Boot time per stage and step: p50, p90, p99 "
      + "and the slowest boots, \(a.log ? "log" : "linear") scale in seconds\">\n<g class=\"axis\">"
    for v in a.minor {
      svg += "<line class=\"grid minor\" x1=\"\(F.c(x(v, a)))\" y1=\"\(F.c(top - 4))\" x2=\"\(F.c(x(v, a)))\" "
      svg += "y2=\"\(F.c(bottom))\"/>"
    }
    for v in a.ticks {
      let tx = x(v, a)
      svg +=
        "<line class=\"grid\" x1=\"\(F.c(tx))\" y1=\"\(F.c(top - 4))\" x2=\"\(F.c(tx))\" y2=\"\(F.c(bottom))\"/>"
        + "<text x=\"\(F.c(tx))\" y=\"\(F.c(top - 10))\" text-anchor=\"middle\">\(Self.label(v))</text>"
    }
    svg += "</g>\n"
    for (i, row) in rows.enumerated() {
      svg += self.row(row, top: top + Double(i) * rowH, axis: a)
    }
    return svg + "</svg>"
  }

  private func row(_ row: Row, top y0: Double, axis a: Axis) -> String {
    let m = row.metric
    let cy = y0 + 31
    let kind = m.name.contains("/") ? "step" : m.name.hasPrefix("kernel-") ? "whole" : "stage"
    let n = { (v: Double) in F.fixed(v, 3) }
    var out = "<g class=\"bt-row \(kind)\">"
    if y0 > top { out += "<line class=\"sep\" x1=\"0\" y1=\"\(F.c(y0))\" x2=\"\(F.c(width))\" y2=\"\(F.c(y0))\"/>" }
    out += "<text class=\"bt-name\" x=\"\(F.c(left))\" y=\"\(F.c(y0 + 15))\">\(F.e(m.name))</text>"
    out +=
      "<text class=\"tail\" x=\"\(F.c(right))\" y=\"\(F.c(y0 + 15))\" text-anchor=\"end\">"
      + "p50 \(n(m.p50)) · p90 \(n(m.p90)) · p99 \(n(m.p99)) · max \(n(m.max)) s · \(F.plural(m.boots, "boot"))</text>"
    let (x50, x90, x99, xMax) = (x(m.p50, a), x(m.p90, a), x(m.p99, a), x(m.max, a))
    out += "<line class=\"bt-whisker\" x1=\"\(F.c(x50))\" y1=\"\(F.c(cy))\" x2=\"\(F.c(xMax))\" y2=\"\(F.c(cy))\"/>"
    out +=
      "<rect class=\"bt-box\" x=\"\(F.c(x50))\" y=\"\(F.c(cy - 6))\" width=\"\(F.c(Swift.max(1, x90 - x50)))\" "
      + "height=\"12\"><title>\(F.e("\(m.name): p50 \(n(m.p50)) s to p90 \(n(m.p90)) s over \(F.plural(m.boots, "boot"))"))</title></rect>"
    out +=
      "<line class=\"bt-p50\" x1=\"\(F.c(x50))\" y1=\"\(F.c(cy - 8))\" x2=\"\(F.c(x50))\" y2=\"\(F.c(cy + 8))\">"
      + "<title>\(F.e("p50 \(n(m.p50)) s"))</title></line>"
    out +=
      "<line class=\"bt-p99\" x1=\"\(F.c(x99))\" y1=\"\(F.c(cy - 7))\" x2=\"\(F.c(x99))\" y2=\"\(F.c(cy + 7))\">"
      + "<title>\(F.e("p99 \(n(m.p99)) s"))</title></line>"
    if let limit = row.threshold, limit <= a.hi {
      let tx = x(limit, a)
      out +=
        "<line class=\"guide g-warning\" x1=\"\(F.c(tx))\" y1=\"\(F.c(cy - 11))\" x2=\"\(F.c(tx))\" y2=\"\(F.c(cy + 11))\">"
        + "<title>\(F.e("slow-stage above \(n(limit)) s (p90 × 2, and at least p90 + 10 s)"))</title></line>"
    }
    // Fastest first, so that the slowest (the maximum) is drawn on top.
    for dot in row.dots.sorted(by: { $0.sample.seconds < $1.sample.seconds }) {
      let s = dot.sample
      let tip = "\(s.host), boot \(s.boot): \(n(s.seconds)) s" + (dot.outlier ? " (slow-stage outlier)" : "")
      let circle =
        "<circle class=\"bt-dot\(dot.outlier ? " out" : "")\" cx=\"\(F.c(x(s.seconds, a)))\" cy=\"\(F.c(cy))\" "
        + "r=\"\(dot.outlier ? "6" : "4.5")\"><title>\(F.e(tip))</title></circle>"
      out += dot.href.map { "<a href=\"\(F.e($0))\">\(circle)</a>" } ?? circle
    }
    return out + "</g>\n"
  }
}
