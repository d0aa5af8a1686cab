import ArgumentParser
import Foundation
import InitLensKit

/// `--shard K/N`.
struct Shard: ExpressibleByArgument {
  let k: Int
  let n: Int
  init?(argument: String) {
    let parts = argument.split(separator: "/")
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
      return nil
    }
    self.k = k
    self.n = n
  }
}

/// Output options shared by fleet and merge.
struct ReportOutput: ParsableArguments {
  @Option(help: "Output format.")
  var format: FormatName = .text

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"), completion: .file())
  var output: String?

  /// The sink of `--format`, writing to `-o FILE` or stdout.
  func sink(failOn: Severity?, threads: Int = 1, evidenceLines: Int? = nil) -> ReportSink {
    var options = SinkOptions(to: output)
    options.failOn = failOn
    options.threads = threads
    options.evidenceLines = evidenceLines
    return format.format.make(options)
  }
}

struct FleetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fleet",
    abstract: "Analyse many instances' log bundles and give one report.",
    usage: "initlens fleet [<options>] <paths> ...",
    discussion: """
      Each PATH is a bundle or a directory of bundles. A bundle is one instance: a directory holding a \
      copy of /var/log or an EC2Rescue run, a `cloud-init collect-logs` tarball, an ECS logs collector \
      or `ec2rl` archive (.tar.gz, .tgz), one log stream of CloudWatch Logs exports or one instance's \
      SSM Run Command output synced from S3, or a file that is an input of its own (`aws ec2 \
      get-console-output`, CloudWatch Logs JSON, `aws logs tail`). Archives are read in memory, never \
      extracted.

      Exit status: 0 done; 1 an incident at or above --fail-on was found; 2 a bundle or rule file \
      could not be read (the rest was still analysed), or no bundle held a log initlens reads; 64 \
      usage error.
      """)

  @Argument(help: "Bundles, or directories of bundles.", completion: .file())
  var paths: [String]

  @Option(help: "Bundles analysed in parallel (default: the number of cores).")
  var jobs: Int?

  @Option(
    help: ArgumentHelp(
      "Analyse only the K-th of N stable shards of the bundles (by a hash of each bundle's path); merge the shard reports with `initlens merge`.",
      valueName: "K/N"))
  var shard: Shard?

  @Option(
    help: ArgumentHelp(
      "Exit 1 when an incident at or above this severity is found (also the threshold of a failed --format junit test case, default error).",
      valueName: "severity"))
  var failOn: Severity?

  @OptionGroup var output: ReportOutput
  @OptionGroup var rules: RuleOptions
  @OptionGroup var redaction: RedactionOptions

  @Option(help: "Evidence lines kept per incident (default 5) and shown in the text report (default 3).")
  var evidence: Int?

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let evidence, evidence < 0 { throw ValidationError("--evidence must be 0 or more") }
  }

  /// The run's reports, never released: the process ends right after writing them.
  nonisolated(unsafe) static var keptUntilExit: Any? = nil

  func run() throws {
    let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
    let (ruleSet, ruleErrors) = try rules.load()
    var (bundles, errors) = BundleFinder.bundles(in: paths)
    if bundles.isEmpty {
      for e in errors { Output.error("initlens: \(e.bundle): \(e.message)") }
      Output.error("initlens: fleet: no bundle found in \(paths.joined(separator: ", "))")
      throw ExitCode(2)
    }
    let found = bundles.count
    // Every shard sees every bundle found: a digest of them all tells shards of one run over one data set.
    let contents = shard == nil ? "" : BundleFinder.contentsDigest(bundles)
    if let shard { bundles = bundles.filter { $0.shard(of: shard.n) == shard.k } }
    var options = AnalyzerOptions()
    options.fallbackYear = Timestamp.components(Int64(Date().timeIntervalSince1970) * 1_000_000).0
    redaction.apply(&options)
    options.maxEvidence = evidence ?? 5
    var runner = FleetRunner(rules: ruleSet, options: options)
    runner.onNote = { Output.error("initlens: note: \($0.description)") }
    let progress = Progress(total: bundles.count)
    let (reports, bundleErrors) = runner.run(bundles, jobs: jobs, progress: progress.enabled ? progress.update : nil)
    progress.finish()
    errors += bundleErrors
    for e in errors { Output.error("initlens: \(e.bundle): \(e.message)") }
    // A shard may hold no readable bundle while the others do: only a whole run is refused.
    if shard == nil && !reports.contains(where: { $0.inputs.contains { $0.error == nil } }) {
      let bundlesText = found == 1 ? "the bundle" : "the \(found) bundles"
      Output.error("initlens: fleet: none of \(bundlesText) held a log initlens reads")
      throw ExitCode(2)
    }
    let combine = CombineSink(into: output.sink(failOn: failOn, threads: jobs, evidenceLines: evidence))
    for report in reports { combine.add(report) }
    // Freeing thousands of reports one object at a time only delays the exit: leave them to it.
    FleetCommand.keptUntilExit = combine
    let shardInfo = shard.map {
      FleetShard(k: $0.k, n: $0.n, paths: paths, rules: RuleSet.fingerprint(of: rules.sources()), contents: contents)
    }
    let report = try ending { try combine.finish(bundles: bundles.count, bundleErrors: errors, shard: shardInfo) }
    if ruleErrors || !errors.isEmpty { throw ExitCode(2) }
    if let failOn, let highest = report.summary.highestSeverity, highest >= failOn { throw ExitCode(1) }
  }
}

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine shard reports (initlens fleet --shard K/N --format json) into the report one run gives.",
    usage: "initlens merge [<options>] <reports> ...")

  @Argument(help: "Shard reports in JSON.", completion: .file(extensions: ["json"]))
  var reports: [String]

  @Option(
    help: ArgumentHelp(
      "Exit 1 when an incident at or above this severity is in the merged report (also the threshold of a failed --format junit test case, default error).",
      valueName: "severity"))
  var failOn: Severity?

  @OptionGroup var output: ReportOutput

  func run() throws {
    let merge = CombineSink(into: output.sink(failOn: failOn))
    var given: [(name: String, report: Report)] = []
    var failed = false
    for path in reports {
      do {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        given.append((path, try Report.decode(data)))
      } catch {
        Output.error("initlens: \(path): not a readable initlens JSON report (\(error.localizedDescription))")
        failed = true
      }
    }
    // A set that is not one whole run would give a report that looks whole: none is written.
    if failed { throw ExitCode(2) }
    if let why = CombineSink.incompleteShardSet(given) {
      Output.error("initlens: merge: \(why)")
      throw ExitCode(2)
    }
    for (_, report) in given { merge.add(shard: report) }
    let merged = try ending { try merge.finish() }
    // Like a single run: bundles that could not be read make the status 2.
    if !merge.shardBundleErrors.isEmpty { throw ExitCode(2) }
    if let failOn, let highest = merged.summary.highestSeverity, highest >= failOn { throw ExitCode(1) }
  }
}

/// A progress line on stderr, only when stderr is a terminal: bundles done, rate and ETA.
/// SAFETY: `update` is called from worker threads; every access goes through `lock`.
final class Progress: @unchecked Sendable {
  let total: Int
  let enabled: Bool
  private let start = Date()
  private let lock = NSLock()
  private var lastDraw = Date.distantPast

  init(total: Int) {
    self.total = total
    enabled = System.isTerminal(2) && total > 1
  }

  func update(_ done: Int, _ total: Int) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
    lastDraw = now
    let elapsed = max(0.001, now.timeIntervalSince(start))
    let rate = Double(done) / elapsed
    let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
    let width = 30
    let filled = total > 0 ? width * done / total : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    Output.error(
      "\r[\(bar)] \(done)/\(total) hosts  \(String(format: "%.1f", rate))/s  ETA \(eta)s\u{1B}[K", newline: false)
  }

  func finish() {
    if enabled { Output.error("") }
  }
}
