import Foundation

/// Many reports into one, handed to the next sink: a fleet's reports, one per bundle
/// (`initlens fleet`), or the shard reports of a sharded run (`initlens merge`). Parts come by `add`,
/// or as the report a `part()` sink is ended with (a bundle's run, on any thread); `finish` combines
/// them (`Report.combine`, whose result does not depend on their order) and ends the next sink.
///
/// It keeps the parts and the combined report as long as it lives: a command that ends right after
/// may keep it until exit, as freeing thousands of reports one object at a time only delays the exit.
///
/// SAFETY: `parts`, `bundles` and `bundleErrors` are only touched under `lock`.
public final class CombineSink: @unchecked Sendable {
  let next: ReportSink
  private let lock = NSLock()
  private var parts: [Report] = []
  private var bundles = 0
  private var bundleErrors: [BundleError] = []
  public private(set) var combined: Report?

  public init(into next: ReportSink) { self.next = next }

  /// A bundle's report.
  public func add(_ part: Report) { lock.withLock { parts.append(part) } }

  /// A shard's report: the bundles it counted and could not read count too.
  public func add(shard: Report) {
    lock.withLock {
      bundles += shard.fleet?.bundles ?? 0
      bundleErrors += shard.fleet?.bundleErrors ?? []
      parts.append(shard)
    }
  }

  /// A sink for one part: the report it is ended with is added here.
  public func part() -> ReportSink { Part(self) }

  final class Part: ReportSink {
    let combine: CombineSink
    init(_ combine: CombineSink) { self.combine = combine }
    func boot(host: String, _ boot: BootReport) {}
    func end(_ report: Report) throws { combine.add(report) }
  }

  /// The combined report, ended in the next sink. `bundles` and `bundleErrors` are those of this run
  /// (added to those the shards counted); `shard` marks a shard's report (`fleet --shard K/N`).
  /// Returns the combined report.
  @discardableResult
  public func finish(bundles: Int = 0, bundleErrors: [BundleError] = [], shard: FleetShard? = nil) throws -> Report {
    var report = lock.withLock {
      Report.combine(parts, bundles: self.bundles + bundles, bundleErrors: self.bundleErrors + bundleErrors)
    }
    report.fleet?.shard = shard
    combined = report
    try next.end(report)
    return report
  }

  /// Bundle errors the shards reported (merge: they make the status 2, like a single run's).
  public var shardBundleErrors: [BundleError] { lock.withLock { bundleErrors } }
}

extension CombineSink {
  /// Why the reports `merge` is given (name, report) are not one whole run, or nil when they are:
  /// every report a shard (`fleet.shard`) of the same N, run and rules, each K in 1...N once. A single
  /// report that is no shard is a whole run already (merge renders it again).
  public static func incompleteShardSet(_ reports: [(name: String, report: Report)]) -> String? {
    if reports.count == 1 && reports[0].report.fleet?.shard == nil { return nil }
    var first: (name: String, shard: FleetShard)?
    var byK: [Int: [String]] = [:]
    for (name, report) in reports {
      guard let shard = report.fleet?.shard else {
        return "\(name) is not a shard report (no fleet.shard: written by fleet --shard K/N --format json)"
      }
      guard shard.n >= 1, (1...shard.n).contains(shard.k) else {
        return "\(name) holds shard \(shard.k)/\(shard.n), which is no shard of \(shard.n)"
      }
      if let first {
        if shard.rules != first.shard.rules || shard.run != first.shard.run || shard.n != first.shard.n {
          let why =
            shard.n != first.shard.n
            ? "shard of \(shard.n), not \(first.shard.n)" : "inputs or rules differ from \(first.name)"
          return "\(name) is from another run (\(why))"
        }
      } else {
        first = (name, shard)
      }
      byK[shard.k, default: []].append(name)
    }
    guard let n = first?.shard.n else { return "no shard report given" }
    for k in 1...n {
      if let names = byK[k], names.count > 1 {
        return "shard \(k)/\(n) given twice (\(names.joined(separator: ", ")))"
      }
    }
    let missing = (1...n).filter { byK[$0] == nil }.map { "\($0)/\(n)" }
    if missing.count == 1 { return "shard \(missing[0]) is missing" }
    if !missing.isEmpty { return "shards \(missing.joined(separator: ", ")) are missing" }
    return nil
  }
}
