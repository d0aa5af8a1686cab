import Foundation

/// What got slower between two fleets (`initlens diff` of two reports with `fleet.bootTime`): per
/// stage, step and whole-boot time, p50 and p90 on each side and their change, flagged when the change
/// is beyond the noise of the two fleets.
///
/// **Method** (``BootTimeDiff/method``, also written in the diff): a metric is flagged when both fleets
/// have at least ``minBoots`` boots in it and its p50 or its p90 moved by more than
/// max(``floorSeconds``, ``share`` × the old value): one second, and a fifth of the old time, so that
/// neither a jitter of milliseconds on a fast step nor a few seconds on a minutes-long stage count.
/// Percentiles are nearest-rank over each fleet's boots (as in `fleet.bootTime`).
public struct BootTimeDiff: Codable, Sendable, Equatable {
  public static let minBoots = 5
  public static let floorSeconds = 1.0
  public static let share = 0.2
  public static let method =
    "nearest-rank p50 and p90 over each fleet's boots; flagged when both fleets have >= 5 boots and p50 or p90 "
    + "moved by more than max(1 s, 20 % of the old value)"

  public var method: String
  /// Boots counted on each side: those with a profile (the largest `boots` of any metric).
  public var oldBoots: Int
  public var newBoots: Int
  /// Every metric of either side, in the profile's order; flagged ones are also in ``flagged``.
  public var metrics: [Change]
  /// Names of the flagged metrics, slower first (by Δp50, then Δp90), then faster.
  public var flagged: [String]

  public struct Change: Codable, Sendable, Equatable {
    public var name: String
    public var oldBoots: Int
    public var newBoots: Int
    public var oldP50: Double?
    public var newP50: Double?
    public var oldP90: Double?
    public var newP90: Double?
    /// new − old (nil when a side lacks the metric).
    public var deltaP50: Double?
    public var deltaP90: Double?
    /// `slower`, `faster`, or nil when within the noise or not comparable.
    public var flag: String?
  }

  public init(old: [BootTimeMetric], new: [BootTimeMetric]) {
    method = Self.method
    oldBoots = old.map(\.boots).max() ?? 0
    newBoots = new.map(\.boots).max() ?? 0
    let a = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
    let b = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
    metrics = Set(a.keys).union(b.keys).sorted(by: BootTimeProfile.order).map { name in
      Self.change(name, a[name], b[name])
    }
    flagged = metrics.filter { $0.flag != nil }.sorted { x, y in
      let kx = (x.flag == "slower" ? 0 : 1, -abs(x.deltaP50 ?? 0), -abs(x.deltaP90 ?? 0), x.name)
      let ky = (y.flag == "slower" ? 0 : 1, -abs(y.deltaP50 ?? 0), -abs(y.deltaP90 ?? 0), y.name)
      return kx < ky
    }.map(\.name)
  }

  static func change(_ name: String, _ o: BootTimeMetric?, _ n: BootTimeMetric?) -> Change {
    func delta(_ x: Double?, _ y: Double?) -> Double? {
      guard let x, let y else { return nil }
      return BootTimeProfile.round(y - x)
    }
    var c = Change(
      name: name, oldBoots: o?.boots ?? 0, newBoots: n?.boots ?? 0, oldP50: o?.p50, newP50: n?.p50, oldP90: o?.p90,
      newP90: n?.p90, deltaP50: delta(o?.p50, n?.p50), deltaP90: delta(o?.p90, n?.p90), flag: nil)
    guard let o, let n, o.boots >= minBoots, n.boots >= minBoots else { return c }
    func beyond(_ d: Double?, _ old: Double) -> Bool { abs(d ?? 0) > max(floorSeconds, share * old) + 1e-9 }
    let p50 = beyond(c.deltaP50, o.p50)
    let p90 = beyond(c.deltaP90, o.p90)
    guard p50 || p90 else { return c }
    let d = p50 ? c.deltaP50! : c.deltaP90!
    c.flag = d > 0 ? "slower" : "faster"
    return c
  }
}
