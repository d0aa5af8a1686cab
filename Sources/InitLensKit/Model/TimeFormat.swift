/// Durations and offsets as people read them, shared by the engine (timeline summaries such as
/// `init-network finished SUCCESS in 1.234s`, which are report text) and the renderers.
public enum TimeFormat {
  /// `1.234s` (milliseconds), `-0.250s`; whole seconds from 100 s on (`512s`).
  public static func seconds(_ s: Double) -> String {
    if abs(s) >= 100 { return String(Int(s.rounded())) + "s" }
    let ms = Int((s * 1000).rounded())
    let a = abs(ms)
    return "\(ms < 0 ? "-" : "")\(a / 1000).\(Timestamp.pad(a % 1000, 3))s"
  }

  /// A delta with its sign always shown: `+0.473s`, `-0.473s`.
  public static func signedSeconds(_ s: Double) -> String {
    let text = seconds(s)
    return text.hasPrefix("-") ? text : "+" + text
  }

  /// `+6.340s` from `start` to `time` (µs), or blank when either is unknown.
  public static func offset(_ time: Int64?, from start: Int64?) -> String {
    guard let time, let start else { return "" }
    return signedSeconds(Double(time - start) / 1e6)
  }

  /// Seconds from `start` to `time`, rounded to the millisecond.
  public static func offsetSeconds(_ time: Int64?, from start: Int64?) -> Double? {
    guard let time, let start else { return nil }
    return Double((time - start) / 1000) / 1000
  }
}
