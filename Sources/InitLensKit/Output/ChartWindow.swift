/// Where a boot's chart starts. Normally at the kernel's start (0 s). When cloud-init ran long after it
/// (a container or LXD host whose uptime is the host's, an instance stopped in a warm pool, a machine up
/// for hours before cloud-init was run again), a chart from 0 would squeeze every stage into its last
/// column: it then starts at the first thing it places instead.
enum ChartWindow {
  /// Gaps shorter than this are drawn as they are.
  static let minimumGap = 60.0

  /// The chart's first second, from the offsets (s after the boot's start) of everything it places.
  static func origin(_ offsets: [Double]) -> Double {
    guard let first = offsets.min(), let last = offsets.max(), first > minimumGap, first > last - first else {
      return 0
    }
    return first
  }
}
