/// Small pieces the HTML report's parts share: escaping shorthands, fixed-decimal numbers for SVG
/// coordinates (never locale- or platform-dependent), times, severity classes and badges.
enum HTMLFormat {
  /// Escapes a string from the report for text or a double-quoted attribute.
  static func e(_ s: String) -> String { HTMLRenderer.escape(s) }

  /// `x` with exactly `decimals` decimals (0…4), e.g. `12.5` → `"12.50"`; non-finite values give `"0"`.
  static func fixed(_ x: Double, _ decimals: Int = 1) -> String {
    guard x.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((abs(x) * scale).rounded())
    let negative = x < 0 && scaled != 0
    var digits = String(scaled)
    if decimals > 0 {
      if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    }
    return (negative ? "-" : "") + digits
  }

  /// An SVG coordinate: one decimal.
  static func c(_ x: Double) -> String { fixed(x, 1) }

  /// `3127` → `3,127`.
  static func count(_ n: Int) -> String {
    let s = String(abs(n))
    var out = ""
    for (i, ch) in s.enumerated() {
      if i > 0 && (s.count - i) % 3 == 0 { out += "," }
      out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
  }

  /// `HH:MM:SS.mmm` of a time from the report, or an en dash.
  static func clock(_ t: Int64?) -> String { t.map(Timestamp.clock) ?? "–" }

  /// The ISO 8601 text of a time from the report, or empty.
  static func iso(_ t: Int64?) -> String { t.map(Timestamp.iso) ?? "" }

  /// `YYYY-MM-DD HH:MM:SS.mmm` of a time from the report, or an en dash.
  static func dateTime(_ t: Int64?) -> String {
    guard let t else { return "–" }
    return String(Timestamp.iso(t).prefix(10)) + " " + Timestamp.clock(t)
  }

  /// `+6.340s` from the boot's start, or empty.
  static func offset(_ t: Int64?, from start: Int64?) -> String { TimeFormat.offset(t, from: start) }

  /// A long span of seconds as people read it: `184s`, `3h 04m 12s`, `2d 1h 00m`.
  static func span(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 600 { return TimeFormat.seconds(Double(s)) }
    let (d, h, m, r) = (s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60)
    if d > 0 { return "\(d)d \(h)h \(Timestamp.pad(m, 2))m" }
    if h > 0 { return "\(h)h \(Timestamp.pad(m, 2))m \(Timestamp.pad(r, 2))s" }
    return "\(m)m \(Timestamp.pad(r, 2))s"
  }

  /// `+6.340s` / `-0.250s` for an offset in seconds.
  static func signed(_ s: Double) -> String { (s < 0 ? "-" : "+") + TimeFormat.seconds(abs(s)) }

  /// The CSS class suffix of a severity: `critical`, `error`, `warning`, `info`.
  static func sev(_ s: Severity?) -> String { s?.rawValue ?? "none" }

  static func badge(_ s: Severity?) -> String {
    guard let s else { return "<span class=\"sev sev-none\">–</span>" }
    return "<span class=\"sev sev-\(s.rawValue)\">\(s.rawValue)</span>"
  }

  /// Escaped text in which `code` spans (paired backticks) become `<code>`.
  static func prose(_ s: String) -> String {
    let parts = e(s).split(separator: "`", omittingEmptySubsequences: false)
    guard parts.count > 1, parts.count % 2 == 1 else { return e(s) }
    var out = ""
    for (i, part) in parts.enumerated() { out += i % 2 == 1 ? "<code>" + part + "</code>" : String(part) }
    return out
  }

  /// A reference as a link when it is an http(s) URL (nothing else becomes an `href`), else as text.
  static func reference(_ r: String) -> String {
    let lower = r.lowercased()
    let web = (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && r.count > 8
    guard web, !r.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
      return "<span>\(e(r))</span>"
    }
    return "<a href=\"\(e(r))\" rel=\"noreferrer\">\(e(r))</a>"
  }

  /// A string cut to `n` characters with an ellipsis.
  static func cut(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(max(1, n - 1))) + "…" }

  /// Whether a host needs attention: a root cause or an incident at warning or above (as the fleet counts it).
  static func affected(_ boot: BootReport) -> Bool {
    !boot.rootCauses.isEmpty || boot.incidents.contains { $0.severity >= .warning }
  }

  /// `1 boot`, `3 incidents`.
  static func plural(_ n: Int, _ word: String, _ words: String? = nil) -> String {
    n == 1 ? "1 \(word)" : "\(count(n)) \(words ?? word + "s")"
  }

  /// Versions in a natural order: numeric components compared as numbers, then the text.
  static func versionLess(_ a: String, _ b: String) -> Bool {
    switch (Version(a), Version(b)) {
    case (let x?, let y?) where x != y: return x < y
    case (.some, nil): return true
    case (nil, .some): return false
    default: return a < b
    }
  }

  /// A round step for an axis over `span` with at most `ticks` intervals.
  static func niceStep(_ span: Double, ticks: Int, candidates: [Double]) -> Double {
    for step in candidates where span / step <= Double(ticks) { return step }
    let last = candidates.last ?? 1
    return last * (span / last / Double(ticks)).rounded(.up)
  }
}
