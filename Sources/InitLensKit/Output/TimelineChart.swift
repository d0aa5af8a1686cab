/// A compact chart of one boot: cloud-init stages as bars on a shared time axis, incidents as
/// marks, durations at the right. Drawn only when the boot has a start and something to place. The
/// bars take what `width` leaves beside the names and durations, 60 columns at most, 10 at least.
struct TimelineChart {
  let boot: BootReport
  let color: Bool
  var width = TerminalWidth.piped
  static let legend = "X error+, ! warning/info"

  func render() -> String {
    guard let start = boot.start else { return "" }
    func offset(_ t: Int64?) -> Double? { t.map { Double($0 - start) / 1e6 } }
    let stageRows = boot.stages.compactMap { s -> (String, Double, Double?, StageReport)? in
      guard let a = offset(s.start) else { return nil }
      return (s.name, a, offset(s.end), s)
    }
    let marks = boot.incidents.compactMap { i -> (Double, Severity)? in offset(i.first).map { ($0, i.severity) } }
    guard !stageRows.isEmpty || !marks.isEmpty else { return "" }
    let tails = stageRows.map { Self.tail($0.3) }
    let tailWidth = tails.map(\.count).max() ?? 0
    // The names' column gives way (to 8) before the bars go below 10 columns.
    let label = max(8, min(16, width - 4 - 2 - tailWidth - 10))
    var columns = max(10, min(60, width - 4 - label - 2 - tailWidth))
    // Bars of 40 columns or more leave room for the legend beside the incidents' marks.
    if !marks.isEmpty && width - 4 - label - 2 - Self.legend.count >= 40 {
      columns = min(columns, width - 4 - label - 2 - Self.legend.count)
    }
    let placed = stageRows.flatMap { [$0.1, $0.2 ?? $0.1] } + marks.map(\.0)
    let origin = ChartWindow.origin(placed)
    let end = max(origin + 1, ([origin] + placed).max()!)
    let scale = Double(columns - 1) / (end - origin)
    func col(_ t: Double) -> Int { min(columns - 1, max(0, Int(((t - origin) * scale).rounded(.down)))) }
    var out = ""
    // Axis: the boot's start (or, long before cloud-init ran, its first stage) at the left, the end at the right.
    let left = origin == 0 ? "0s" : TimeFormat.seconds(origin)
    let right = TimeFormat.seconds(end)
    out +=
      "    " + String(repeating: " ", count: label) + left
      + String(repeating: " ", count: max(1, columns - left.count - right.count)) + right + "\n"
    out += "    " + String(repeating: " ", count: label) + "|" + String(repeating: "-", count: columns - 2) + "|\n"
    for ((name, a, b, stage), tail) in zip(stageRows, tails) {
      var bar = Array(repeating: Character(" "), count: columns)
      let from = col(a)
      let to = b.map(col) ?? from
      for c in from...max(from, to) { bar[c] = "=" }
      let row = String(bar)
      out +=
        "    " + TextLayout.cut(name, label).padding(label)
        + (stage.result == "FAIL" && color ? "\u{1B}[31m\(row)\u{1B}[0m" : row) + "  "
        + tail + "\n"
    }
    if !marks.isEmpty {
      var row = Array(repeating: Character(" "), count: columns)
      for (t, sev) in marks {
        let c = col(t)
        let mark: Character = sev >= .error ? "X" : "!"
        if row[c] != "X" { row[c] = mark }
      }
      let marks = String(row)
      out += "    " + "incidents".padding(label)
      // The legend beside the marks when it fits, else below them (under the bars when it fits there).
      if 4 + label + columns + 2 + Self.legend.count <= width {
        out += marks + "  " + Self.legend + "\n"
      } else {
        out +=
          String(marks.reversed().drop { $0 == " " }.reversed()) + "\n"
          + String(repeating: " ", count: 4 + label + Self.legend.count <= width ? 4 + label : 4) + Self.legend + "\n"
      }
    }
    return out
  }

  /// What a stage's row says after its bar: its duration, and its result unless it succeeded.
  static func tail(_ stage: StageReport) -> String {
    var tail = stage.durationSeconds.map { TimeFormat.seconds($0) } ?? "unfinished"
    if let r = stage.result, r != "SUCCESS" { tail += " " + r }
    return tail
  }
}
