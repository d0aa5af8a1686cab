import Foundation

/// The fleet's boot-time profile (`fleet.bootTime`) as a text table of at most 80 columns: the whole-boot
/// times and the stages, then the steps that took a second or more on some boot (the JSON has them
/// all), each with the slowest boot under it.
struct BootTimeText {
  /// Steps whose slowest boot took less than this are left out of the table (counted below it).
  static let stepFloor = 1.0
  static let nameWidth = 38

  var paint: (String, String) -> String = { s, _ in s }

  func render(_ metrics: [BootTimeMetric]) -> String {
    guard !metrics.isEmpty else { return "" }
    let shown = metrics.filter { !$0.name.contains("/") || $0.max >= Self.stepFloor }
    var out = "\n" + paint("BOOT TIME", "1") + " (seconds; nearest-rank percentiles over the boots that show it)\n"
    out += "".padding(Self.nameWidth) + ["boots", "p50", "p90", "p99", "max"].map(column).joined() + "\n"
    for m in shown {
      let numbers =
        String(m.boots).leftPad(6) + [m.p50, m.p90, m.p99, m.max].map { String(format: "%9.3f", $0) }.joined()
      if m.name.count < Self.nameWidth {
        out += m.name.padding(Self.nameWidth) + numbers + "\n"
      } else {
        out += m.name + "\n" + "".padding(Self.nameWidth) + numbers + "\n"
      }
      if let s = m.slowest.first {
        let line = "  slowest: \(s.host) \(String(format: "%.3f", s.seconds)) s (boot \(s.boot))"
        out +=
          line.count <= 80
          ? line + "\n" : "  slowest: \(s.host) \(String(format: "%.3f", s.seconds)) s\n    boot \(s.boot)\n"
      }
    }
    let hidden = metrics.count - shown.count
    if hidden > 0 {
      out +=
        "(\(hidden) more \(hidden == 1 ? "step" : "steps") under \(Int(Self.stepFloor)) s on every boot: fleet.bootTime in --format json)\n"
    }
    return out
  }

  func column(_ title: String) -> String { title.leftPad(title == "boots" ? 6 : 9) }
}
