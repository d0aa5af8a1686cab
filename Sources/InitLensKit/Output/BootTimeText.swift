import Foundation

/// The fleet's boot-time profile (`fleet.bootTime`) as a text table fitted to `width` (the names column
/// shrinks; narrower than a name column of 12, each metric's numbers follow its name as `p50 0.390 …`):
/// the whole-boot times and the stages, then the steps that took a second or more on some boot (the
/// JSON has them all), each with the slowest boot under it.
struct BootTimeText {
  /// Steps whose slowest boot took less than this are left out of the table (counted below it).
  static let stepFloor = 1.0
  /// The five number columns: boots, p50, p90, p99, max.
  static let numbersWidth = 42

  var paint: (String, String) -> String = { s, _ in s }
  var width = TerminalWidth.piped

  func render(_ metrics: [BootTimeMetric]) -> String {
    guard !metrics.isEmpty else { return "" }
    let shown = metrics.filter { !$0.name.contains("/") || $0.max >= Self.stepFloor }
    let nameWidth = min(38, width - Self.numbersWidth)
    let table = nameWidth >= 12
    var out = "\n"
    let heading = TextLayout.wrap(
      "BOOT TIME (seconds; nearest-rank percentiles over the boots that show it)", width: width, indent: 0)
    out += paint(heading[0], "1") + "\n" + heading.dropFirst().map { $0 + "\n" }.joined()
    if table { out += "".padding(nameWidth) + ["boots", "p50", "p90", "p99", "max"].map(column).joined() + "\n" }
    for m in shown {
      let values = [m.p50, m.p90, m.p99, m.max].map { String(format: "%.3f", $0) }
      if !table {
        out += TextLayout.cut(m.name, width) + "\n"
        let items = ["boots \(m.boots)"] + zip(["p50", "p90", "p99", "max"], values).map { "\($0) \($1)" }
        out += TextLayout.fill(items, first: "  ", rest: 2, width: width).map { $0 + "\n" }.joined()
      } else {
        let numbers = String(m.boots).leftPad(6) + values.map { $0.leftPad(9) }.joined()
        out +=
          m.name.count < nameWidth
          ? m.name.padding(nameWidth) + numbers + "\n"
          : TextLayout.cut(m.name, width) + "\n" + "".padding(nameWidth) + numbers + "\n"
      }
      if let s = m.slowest.first {
        let seconds = String(format: "%.3f", s.seconds)
        let line = "  slowest: \(s.host) \(seconds) s (boot \(s.boot))"
        out +=
          line.count <= width
          ? line + "\n"
          : TextLayout.cut("  slowest: \(s.host) \(seconds) s", width) + "\n"
            + TextLayout.cut("    boot \(s.boot)", width) + "\n"
      }
    }
    let hidden = metrics.count - shown.count
    if hidden > 0 {
      let note =
        "(\(hidden) more \(hidden == 1 ? "step" : "steps") under \(Int(Self.stepFloor)) s on every boot: "
        + "fleet.bootTime in --format json)"
      out += TextLayout.wrap(note, width: width, indent: 0).map { $0 + "\n" }.joined()
    }
    return out
  }

  func column(_ title: String) -> String { title.leftPad(title == "boots" ? 6 : 9) }
}
