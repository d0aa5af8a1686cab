import Foundation

/// The boot-time part of `initlens diff`'s text: the boots counted on each side, the method, and each
/// stage or step whose p50 or p90 moved beyond the noise (the JSON has every metric).
extension BootTimeDiff {
  func renderText(width: Int = TerminalWidth.piped) -> String {
    var out = "\n"
    for line in TextLayout.wrap(
      "BOOT TIME (seconds; \(oldBoots) boots old, \(newBoots) boots new)", width: width, indent: 0)
    {
      out += line + "\n"
    }
    for line in TextLayout.wrap("method: \(method)", width: width, indent: 2) { out += line + "\n" }
    let byName = Dictionary(metrics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    if flagged.isEmpty { out += "  no change beyond the noise\n" }
    for name in flagged {
      guard let c = byName[name] else { continue }
      out += TextLayout.cut("  \(c.flag!.padding(7)) \(name)", width) + "\n"
      // The two moves and the boots counted, on one line when they fit, else one to a line.
      let parts = [
        "p50 \(Self.move(c.oldP50, c.newP50, c.deltaP50))", "p90 \(Self.move(c.oldP90, c.newP90, c.deltaP90))",
        "boots \(c.oldBoots) → \(c.newBoots)",
      ]
      let one = "          " + parts.joined(separator: "  ")
      out += one.count <= width ? one + "\n" : parts.map { TextLayout.cut("          " + $0, width) + "\n" }.joined()
    }
    let quiet = metrics.count - flagged.count
    if quiet > 0 {
      let line = "\(quiet) more within the noise or not in both (bootTime in --format json)"
      for l in TextLayout.wrap(line, width: width, indent: 2) { out += l + "\n" }
    }
    return out
  }

  static func move(_ a: Double?, _ b: Double?, _ d: Double?) -> String {
    func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
    let sign = (d ?? 0) > 0 ? "+" : ""
    return "\(f(a)) → \(f(b)) (\(d.map { sign + String(format: "%.3f", $0) } ?? "-"))"
  }
}
