/// A compact chart of one boot: cloud-init stages as bars on a shared time axis, incidents as
/// marks, durations at the right. Drawn only when the boot has a start and something to place.
struct TimelineChart {
  let boot: BootReport
  let color: Bool
  var columns = 60

  func render() -> String {
    guard let start = boot.start else { return "" }
    func offset(_ t: Int64?) -> Double? { t.map { Double($0 - start) / 1e6 } }
    let stageRows = boot.stages.compactMap { s -> (String, Double, Double?, StageReport)? in
      guard let a = offset(s.start) else { return nil }
      return (s.name, a, offset(s.end), s)
    }
    let marks = boot.incidents.compactMap { i -> (Double, Severity)? in offset(i.first).map { ($0, i.severity) } }
    guard !stageRows.isEmpty || !marks.isEmpty else { return "" }
    let placed = stageRows.flatMap { [$0.1, $0.2 ?? $0.1] } + marks.map(\.0)
    let origin = ChartWindow.origin(placed)
    let end = max(origin + 1, ([origin] + placed).max()!)
    let scale = Double(columns - 1) / (end - origin)
    func col(_ t: Double) -> Int { min(columns - 1, max(0, Int(((t - origin) * scale).rounded(.down)))) }
    let label = 16
    var out = ""
    // Axis: the boot's start (or, long before cloud-init ran, its first stage) at the left, the end at the right.
    let left = origin == 0 ? "0s" : TimeFormat.seconds(origin)
    let right = TimeFormat.seconds(end)
    out +=
      "    " + String(repeating: " ", count: label) + left
      + String(repeating: " ", count: max(1, columns - left.count - right.count)) + right + "\n"
    out += "    " + String(repeating: " ", count: label) + "|" + String(repeating: "-", count: columns - 2) + "|\n"
    for (name, a, b, stage) in stageRows {
      var bar = Array(repeating: Character(" "), count: columns)
      let from = col(a)
      let to = b.map(col) ?? from
      for c in from...max(from, to) { bar[c] = "=" }
      var tail = stage.durationSeconds.map { TimeFormat.seconds($0) } ?? "unfinished"
      if let r = stage.result, r != "SUCCESS" { tail += " " + r }
      let row = String(bar)
      out +=
        "    " + name.padding(label) + (stage.result == "FAIL" && color ? "\u{1B}[31m\(row)\u{1B}[0m" : row) + "  "
        + tail + "\n"
    }
    if !marks.isEmpty {
      var row = Array(repeating: Character(" "), count: columns)
      for (t, sev) in marks {
        let c = col(t)
        let mark: Character = sev >= .error ? "X" : "!"
        if row[c] != "X" { row[c] = mark }
      }
      out += "    " + "incidents".padding(label) + String(row) + "  X error+, ! warning/info\n"
    }
    return out
  }
}
