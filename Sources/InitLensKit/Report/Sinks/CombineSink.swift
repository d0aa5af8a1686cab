/// Many reports into one, handed to the next sink: a fleet's reports, one per bundle
/// (`initlens fleet`), or the shard reports of a sharded run (`initlens merge`). Parts come by `add`;
/// `finish` combines them (`Report.combine`) and ends the next sink with the result.
///
/// It keeps the parts and the combined report as long as it lives: a command that ends right after
/// may keep it until exit, as freeing thousands of reports one object at a time only delays the exit.
public final class CombineSink {
  let next: ReportSink
  private(set) var parts: [Report] = []
  private var bundles = 0
  private var bundleErrors: [BundleError] = []
  public private(set) var combined: Report?

  public init(into next: ReportSink) { self.next = next }

  /// A bundle's report.
  public func add(_ part: Report) { parts.append(part) }

  /// A shard's report: the bundles it counted and could not read count too.
  public func add(shard: Report) {
    bundles += shard.fleet?.bundles ?? 0
    bundleErrors += shard.fleet?.bundleErrors ?? []
    parts.append(shard)
  }

  /// The combined report, ended in the next sink. `bundles` and `bundleErrors` are those of this run
  /// (added to those the shards counted). Returns the combined report.
  @discardableResult
  public func finish(bundles: Int = 0, bundleErrors: [BundleError] = []) throws -> Report {
    let report = Report.combine(parts, bundles: self.bundles + bundles, bundleErrors: self.bundleErrors + bundleErrors)
    combined = report
    try next.end(report)
    return report
  }

  /// Bundle errors the shards reported (merge: they make the status 2, like a single run's).
  public var shardBundleErrors: [BundleError] { bundleErrors }
}
