import Foundation

/// Analyses bundles in parallel, one analyzer per bundle, and combines their reports into one.
public struct FleetRunner: Sendable {
  public let rules: RuleSet
  public let options: AnalyzerOptions
  /// Cap on what one archive may inflate to in memory.
  public var maxArchiveBytes = 1 << 30

  public init(rules: RuleSet, options: AnalyzerOptions) {
    self.rules = rules
    self.options = options
  }

  /// One bundle's report: its host is the one its logs name, else the bundle's name. Problems with
  /// the bundle become `BundleError`s; what could be read is still reported.
  public func analyze(_ bundle: Bundle) -> (Report, [BundleError], [InputDiagnostic]) { analyze([bundle]) }

  /// The report of bundles that hold one instance, read by one analyzer (one timeline per host).
  public func analyze(_ group: [Bundle]) -> (Report, [BundleError], [InputDiagnostic]) {
    var opts = options
    opts.defaultHost = group.first?.name ?? options.defaultHost
    let analyzer = Analyzer(rules: rules, options: opts)
    var errors: [BundleError] = []
    for bundle in group { feed(bundle, to: analyzer, errors: &errors) }
    for d in analyzer.diagnostics where d.lostInput {
      let bundle = group.first { d.file.hasPrefix($0.path) } ?? group[0]
      errors.append(BundleError(bundle: bundle.path, message: d.description))
    }
    return (analyzer.finish(), errors, analyzer.diagnostics)
  }

  /// Hands every log of a bundle to `analyzer`.
  func feed(_ bundle: Bundle, to analyzer: Analyzer, errors: inout [BundleError]) {
    switch bundle.kind {
    case .directory:
      let files = BundleFinder.logFiles(in: bundle.path)
      if files.isEmpty { errors.append(BundleError(bundle: bundle.path, message: "no log files found")) }
      for file in files { analyzer.analyzeFile(path: file) }
    case .archive:
      do {
        let bytes = try readArchive(bundle.path)
        let (members, refused) = try Tar.members(bytes)
        for name in refused {
          errors.append(
            BundleError(bundle: bundle.path, message: "refused archive member \(name) (absolute or '..' path)"))
        }
        let logs = members.filter { BundleFinder.isLogFile($0.name) }.sorted { $0.name < $1.name }
        if logs.isEmpty { errors.append(BundleError(bundle: bundle.path, message: "no log files in the archive")) }
        for member in logs {
          let name = bundle.path + ":" + member.name
          let year = member.mtime > 0 ? Timestamp.components(Int64(member.mtime) * 1_000_000).0 : nil
          let data = Array(member.data)
          if data.count >= 2 && data[0] == 0x1F && data[1] == 0x8B {
            do {
              var source: any ByteSource = try GzipByteSource(
                MemoryByteSource(data), maxOutputBytes: options.maxInflatedBytes)
              analyzer.analyze(name: name, source: &source, modificationYear: year)
            } catch {
              analyzer.failed(name: name, message: error.message)
            }
          } else {
            data.withUnsafeBytes { analyzer.analyze(name: name, bytes: $0, modificationYear: year) }
          }
        }
      } catch {
        errors.append(BundleError(bundle: bundle.path, message: error.message))
      }
    }
  }

  /// The archive's bytes, gunzipped when compressed, read into memory (never extracted to disk).
  func readArchive(_ path: String) throws(InputError) -> [UInt8] {
    let fd = System.openForReading(path)
    guard fd >= 0 else { throw InputError.errno("cannot read", System.lastError) }
    defer { System.close(fd) }
    var file = PrefixSource(inner: FileByteSource(fd: fd))
    let magic = try file.fill(2)
    var source: any ByteSource = file
    if magic == [0x1F, 0x8B] { source = try GzipByteSource(file, maxOutputBytes: maxArchiveBytes) }
    var out: [UInt8] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { chunk.deallocate() }
    while true {
      let n = try source.read(into: chunk)
      if n == 0 { break }
      out += chunk[0..<n]
      if out.count > maxArchiveBytes { throw InputError("archive larger than \(maxArchiveBytes >> 20) MiB; skipped") }
    }
    return out
  }

  /// Analyses `bundles` on `jobs` threads; `progress(done, total)` is called after each bundle. Bundles
  /// found to hold the same instance are then read again together (`InstanceGroups`): one report each.
  public func run(
    _ bundles: [Bundle], jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> (reports: [Report], errors: [BundleError]) {
    let units = bundles.indices.map { [$0] }
    var results = analyze(units, of: bundles, jobs: jobs, progress: progress)
    let groups = InstanceGroups.merge(units, hosts: results.map { $0.report.hosts.map(\.host) })
    if groups.count < units.count {
      let merged = groups.filter { $0.count > 1 }
      let again = analyze(merged, of: bundles, jobs: jobs, progress: nil)
      let single = Set(groups.filter { $0.count == 1 }.map { $0[0] })
      results = units.indices.filter { single.contains(units[$0][0]) }.map { results[$0] } + again
    }
    return (results.map(\.report), results.flatMap(\.errors))
  }

  /// Each unit's report (the bundles of a unit read together), in the order of `units`.
  func analyze(
    _ units: [[Int]], of bundles: [Bundle], jobs: Int, progress: (@Sendable (Int, Int) -> Void)?
  ) -> [(report: Report, errors: [BundleError])] {
    let state = WorkState(count: units.count)
    let workers = max(1, min(jobs, units.count))
    let group = DispatchGroup()
    for _ in 0..<workers {
      group.enter()
      let thread = Thread { [self] in
        while let i = state.next() {
          let (report, errors, _) = analyze(units[i].map { bundles[$0] })
          let done = state.store(i, report, errors)
          progress?(done, units.count)
        }
        group.leave()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    group.wait()
    return state.results()
  }
}

/// Shared state of a fleet run: the next bundle to take and the results by bundle index.
/// SAFETY: every access goes through `lock`.
final class WorkState: @unchecked Sendable {
  private let lock = NSLock()
  private var nextIndex = 0
  private var done = 0
  private var reports: [Report?]
  private var errors: [[BundleError]]

  init(count: Int) {
    reports = Array(repeating: nil, count: count)
    errors = Array(repeating: [], count: count)
  }

  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard nextIndex < reports.count else { return nil }
    nextIndex += 1
    return nextIndex - 1
  }

  func store(_ i: Int, _ report: Report, _ errs: [BundleError]) -> Int {
    lock.lock()
    defer { lock.unlock() }
    reports[i] = report
    errors[i] = errs
    done += 1
    return done
  }

  func results() -> [(report: Report, errors: [BundleError])] {
    lock.lock()
    defer { lock.unlock() }
    return reports.indices.map { (reports[$0]!, errors[$0]) }
  }
}
