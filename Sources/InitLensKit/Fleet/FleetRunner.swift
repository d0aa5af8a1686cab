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

  /// Called with what a bundle's reading noted that is no error (a collect-logs tarball of an ECS host
  /// holds no agent log; a console output starts after its boot), once per note.
  public var onNote: (@Sendable (InputDiagnostic) -> Void)? = nil

  /// One bundle's report: its host is the one its logs name, else the bundle's name; the instance that
  /// cloud-init's instance data, an export's stream or SSM output's key names is the host of a bundle
  /// whose logs show one host. Problems with the bundle become `BundleError`s; what could be read is
  /// still reported.
  public func analyze(_ bundle: Bundle) -> (Report, [BundleError], [InputDiagnostic]) { analyze([bundle]) }

  /// The report of bundles that hold one instance, read by one analyzer (one timeline per host).
  public func analyze(_ group: [Bundle]) -> (Report, [BundleError], [InputDiagnostic]) {
    analyze(parts: [(group, nil)])
  }

  /// The report of several units read together by one analyzer, each unit's bundles under the identity
  /// its own reading gave (`UnitIdentity`: the host its lines that name none belong to, the host names
  /// that were that host), so units joined through a file of many instances keep their hosts.
  func analyze(parts: [(bundles: [Bundle], identity: UnitIdentity?)]) -> (Report, [BundleError], [InputDiagnostic]) {
    let group = parts.flatMap(\.bundles)
    var opts = options
    opts.defaultHost = group.first?.name ?? options.defaultHost
    // The instance the bundles' paths or layouts name: their one host name is that instance.
    let ids = Set(group.compactMap(\.instanceID))
    if ids.count == 1, parts.count == 1 { opts.instanceID = ids.first }
    for part in parts { opts.hostAliases.merge(part.identity?.aliases ?? [:]) { a, _ in a } }
    let analyzer = Analyzer(rules: rules, options: opts)
    var errors: [BundleError] = []
    var facts = BundleFacts()
    for part in parts {
      analyzer.inputHost = part.identity?.host
      for bundle in part.bundles {
        let own = feed(bundle, to: analyzer, errors: &errors)
        if facts.instance == nil, parts.count == 1 { facts.instance = own.instance }
        facts.versions.merge(own.versions) { a, _ in a }
      }
    }
    analyzer.inputHost = nil
    for d in analyzer.diagnostics where d.lostInput {
      let bundle = group.first { d.file.hasPrefix($0.path) } ?? group[0]
      errors.append(BundleError(bundle: bundle.path, message: d.description))
    }
    return (facts.apply(to: analyzer.finish()), errors, analyzer.diagnostics)
  }

  /// Hands every log of a bundle to `analyzer`; what its other members say of the instance.
  func feed(_ bundle: Bundle, to analyzer: Analyzer, errors: inout [BundleError]) -> BundleFacts {
    var facts = BundleFacts()
    switch bundle.kind {
    case .directory:
      let files = BundleFinder.logFiles(in: bundle.path)
      if files.isEmpty { errors.append(BundleError(bundle: bundle.path, message: "no log files found")) }
      for file in files { analyzer.analyzeFile(path: file) }
      facts.readDirectory(bundle.path)
    case .archive:
      analyzeArchive(bundle, analyzer, &errors, &facts)
    case .file:
      analyzer.analyzeFile(path: bundle.path)
    case .cloudWatchExport, .ssmOutput:
      for file in bundle.files { analyzeFile(file, analyzer) }
      // The stream / key names the instance: a journal's host name inside is the same host.
      if let id = bundle.instanceID { facts.instance = (id, nil) }
    }
    if let note = facts.note {
      analyzer.tally.diagnostics.append(InputDiagnostic(file: bundle.path, line: nil, message: note, lostInput: false))
    }
    return facts
  }

  /// One file of an export or SSM bundle, read (plain or gzip) under its input name.
  func analyzeFile(_ file: BundleFile, _ analyzer: Analyzer) {
    let fd = System.openForReading(file.path)
    guard fd >= 0 else {
      return analyzer.failed(name: file.inputName, message: "cannot read: \(analyzer.describe(System.lastError))")
    }
    defer { System.close(fd) }
    let year = System.status(of: fd).map { Timestamp.components($0.modificationSeconds * 1_000_000).0 }
    analyzer.analyzeDescriptor(fd, name: file.inputName, modificationYear: year)
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

  /// Analyses `bundles` on `jobs` threads; `progress(done, total)` is called as bundles are done.
  /// Bundles whose names give one instance are read together from the start; bundles found to hold a
  /// common instance only once read (a CloudWatch file of many streams, a journal naming it) are then
  /// read again together (`InstanceGroups`), each under the identity its first reading gave: one
  /// report each.
  public func run(
    _ bundles: [Bundle], jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> (reports: [Report], errors: [BundleError]) {
    let units = InstanceGroups.byName(bundles)
    var results = parallel(
      units.count, jobs: jobs, weight: { units[$0].count }, progress: progress, notes: true,
      body: { analyze(units[$0].map { bundles[$0] }) })
    let groups = InstanceGroups.merge(units.count, hosts: results.map { $0.report.hosts.map(\.host) })
    if groups.count < units.count {
      let merged = groups.filter { $0.count > 1 }
      let identities = results.map { UnitIdentity($0.report) }
      let again = parallel(
        merged.count, jobs: jobs, weight: { _ in 0 }, progress: nil, notes: false,
        body: { g in analyze(parts: merged[g].map { u in (units[u].map { bundles[$0] }, identities[u]) }) })
      results = groups.filter { $0.count == 1 }.map { results[$0[0]] } + again
    }
    return (results.map(\.report), results.flatMap(\.errors))
  }

  /// `body(i)` for each i < count on `jobs` threads, the results in order of i. `weight(i)`: the
  /// bundles item i reads (for `progress`). `notes`: hand what no error noted to `onNote` (once per
  /// bundle: not when a group is read again).
  func parallel(
    _ count: Int, jobs: Int, weight: @escaping @Sendable (Int) -> Int, progress: (@Sendable (Int, Int) -> Void)?,
    notes: Bool,
    body: @escaping @Sendable (Int) -> (Report, [BundleError], [InputDiagnostic])
  ) -> [(report: Report, errors: [BundleError])] {
    let state = WorkState(count: count)
    let total = (0..<count).reduce(0) { $0 + weight($1) }
    let workers = max(1, min(jobs, count))
    let group = DispatchGroup()
    for _ in 0..<workers {
      group.enter()
      let thread = Thread { [self] in
        while let i = state.next() {
          let (report, errors, diagnostics) = body(i)
          if notes, let onNote { for d in diagnostics where !d.lostInput { onNote(d) } }
          let done = state.store(i, report, errors, bundles: weight(i))
          progress?(done, total)
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

/// How a unit of bundles was reported when read alone: the host its lines that name none belong to
/// (its one host), and the host names its boots said were that host (`BootReport.hostname`).
struct UnitIdentity: Sendable {
  var host: String?
  var aliases: [String: String] = [:]

  init(_ report: Report) {
    host = report.hosts.count == 1 ? report.hosts[0].host : nil
    for h in report.hosts {
      for boot in h.boots {
        for name in (boot.hostname ?? "").split(separator: ",") {
          let n = name.trimmingCharacters(in: .whitespaces)
          if !n.isEmpty { aliases[n] = h.host }
        }
      }
    }
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

  /// Stores unit `i`'s result; the number of bundles done.
  func store(_ i: Int, _ report: Report, _ errs: [BundleError], bundles: Int) -> Int {
    lock.lock()
    defer { lock.unlock() }
    reports[i] = report
    errors[i] = errs
    done += bundles
    return done
  }

  func results() -> [(report: Report, errors: [BundleError])] {
    lock.lock()
    defer { lock.unlock() }
    return reports.indices.map { (reports[$0]!, errors[$0]) }
  }
}
