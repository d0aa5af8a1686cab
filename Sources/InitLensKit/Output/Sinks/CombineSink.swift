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
  /// (added to those the shards counted). Returns the combined report.
  @discardableResult
  public func finish(bundles: Int = 0, bundleErrors: [BundleError] = []) throws -> Report {
    let report = lock.withLock {
      Report.combine(parts, bundles: self.bundles + bundles, bundleErrors: self.bundleErrors + bundleErrors)
    }
    combined = report
    try next.end(report)
    return report
  }

  /// Bundle errors the shards reported (merge: they make the status 2, like a single run's).
  public var shardBundleErrors: [BundleError] { lock.withLock { bundleErrors } }
}
