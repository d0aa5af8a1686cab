import Foundation

/// One instance's logs: a directory holding a copy of `/var/log` (or an EC2Rescue run folder), an
/// archive (`cloud-init collect-logs`, the ECS logs collector, an `ec2rl` upload), one instance's objects
/// of a CloudWatch Logs export or of SSM Run Command output synced from S3, or a file that is an input
/// of its own (`aws ec2 get-console-output`, CloudWatch Logs JSON, an `aws logs tail` capture).
public struct Bundle: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case directory
    case archive
    /// One file read through the normal input path.
    case file
    /// `<prefix>/<task-id>/<log-stream>/000000.gz`: the stream's objects under every export prefix.
    case cloudWatchExport
    /// `<prefix>/<command-id>/<instance-id>/awsrunShellScript/0.awsrunShellScript/stdout`, every command.
    case ssmOutput
  }
  /// The path as found (used in evidence names and for sharding); for exports and SSM output, the first
  /// of the instance's directories.
  public let path: String
  public let kind: Kind
  /// Exports and SSM output: the instance's files, each with the log name it is read as (the log
  /// group an export prefix names, as `cloud-init-output.log`), sorted by path.
  public var files: [BundleFile] = []

  public init(path: String, kind: Kind, files: [BundleFile] = []) {
    self.path = path
    self.kind = kind
    self.files = files
  }

  /// The bundle's name: its directory or archive name without extension (the host name fallback).
  public var name: String {
    var base = path.split(separator: "/").last.map(String.init) ?? path
    var extensions = [".tar.gz", ".tgz", ".tar"]
    if kind == .file { extensions = [".gz", ".json", ".txt", ".log"] }
    for ext in extensions where base.lowercased().hasSuffix(ext) { base.removeLast(ext.count) }
    return base
  }

  /// The instance id the bundle's name gives (no file read): `i-….json`, an export stream's or SSM
  /// directory's name, `collect-i-…-<time>.tgz`.
  public var nameInstanceID: String? { InstanceID.first(in: name) }

  /// A stable shard number in 1...n (FNV-1a 64), the same on every machine: from the instance id the
  /// bundle's name gives (so the bundles of one instance, one per source, go to one shard and are read
  /// as one host there), else from its path.
  public func shard(of n: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in (nameInstanceID ?? path).utf8 {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
    return Int(hash % UInt64(max(1, n))) + 1
  }
}

/// One file of an export or SSM bundle.
public struct BundleFile: Sendable, Hashable {
  public let path: String
  /// The log the file holds (`cloud-init.log`, `ecs-agent.log`), when its path says.
  public let log: String?
  /// What the analyzer calls the input: the path, and the log in parentheses, which the source of its
  /// lines is told from (`LineParser.source(forFileName:)`).
  public var inputName: String { log.map { "\(path) (\($0))" } ?? path }
}

/// Finding bundles under the paths a user gives, and the log files inside a bundle.
public enum BundleFinder {
  /// Whether a file name is a log (or config) that initlens reads in a bundle.
  public static func isLogFile(_ path: String) -> Bool {
    var base = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    if base.hasSuffix(".gz") { base.removeLast(3) }
    if base == "ecs.config" || base == "os-release" { return true }
    // The ECS logs collector's journal dump.
    if base == "system.log" { return true }
    let prefixes = [
      "cloud-init.log", "cloud-init-output.log", "ecs-agent.log", "ecs-init.log", "messages", "syslog", "journal",
      "console", "dmesg",
    ]
    guard prefixes.contains(where: { base.hasPrefix($0) }) else { return false }
    // journal*.txt / .json / .log, console*.txt / .log; the others with any rotation suffix.
    if base.hasPrefix("journal") || base.hasPrefix("console") || base.hasPrefix("dmesg") {
      return base.hasSuffix(".txt") || base.hasSuffix(".json") || base.hasSuffix(".log") || base == "dmesg"
    }
    return true
  }

  static func isArchive(_ path: String) -> Bool {
    let lower = path.lowercased()
    return lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") || lower.hasSuffix(".tar")
  }

  /// The bundles under `paths`, sorted by path, and warnings for what was passed over.
  /// A path is a bundle when it is an archive, a file that is an input of its own, or a directory
  /// holding log files (at its top, or under `var/log`) or an EC2Rescue run; otherwise the directories
  /// under it are searched (`BundleSearch`), and the objects of CloudWatch Logs exports and of SSM Run
  /// Command output found there are grouped by instance.
  public static func bundles(in paths: [String]) -> (bundles: [Bundle], errors: [BundleError]) {
    var search = BundleSearch()
    var errors: [BundleError] = []
    for path in paths {
      switch kind(path) {
      case .file where search.add(file: path):
        continue
      case .directory:
        if isBundleDirectory(path) {
          search.found.append(Bundle(path: path, kind: .directory))
        } else {
          search.walk(path, depth: 0)
        }
      case .missing:
        errors.append(BundleError(bundle: path, message: "cannot read: no such file or directory"))
      case .file, .other:
        errors.append(
          BundleError(bundle: path, message: "not a bundle (a directory of logs or a .tar.gz/.tgz archive)"))
      }
    }
    let unique = Array(Set(search.bundles())).sorted { $0.path < $1.path }
    return (unique, errors)
  }

  enum PathKind { case file, directory, missing, other }

  /// lstat-based: a symbolic link is never followed into a directory (no loops).
  static func kind(_ path: String) -> PathKind {
    guard let st = System.linkStatus(atPath: path) else { return .missing }
    switch st.kind {
    case .directory: return .directory
    case .regularFile: return .file
    case .symbolicLink:
      // A link to a regular file is read; a link to a directory is not walked.
      return System.status(atPath: path)?.kind == .regularFile ? .file : .other
    case .other: return .other
    }
  }

  /// A bundle has log files at its top, in `ecs/`, or under `var/log/` (a copy of /var/log, or a
  /// copy of the whole file system). A directory of bundles has them only one level further down.
  static func looksLikeBundle(_ dir: String) -> Bool {
    let top = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
    if top.contains(where: { isLogFile($0) && kind(dir + "/" + $0) == .file }) { return true }
    for sub in ["ecs", "var/log"] where kind(dir + "/" + sub) == .directory {
      if !logFiles(in: dir + "/" + sub, maxDepth: 3).isEmpty { return true }
    }
    return false
  }

  /// Log files under a bundle directory, sorted, without following directory links. A link to a
  /// file is read only when the file is inside the bundle: a bundle cannot make initlens read (and
  /// quote in a report) a file of the machine it runs on, such as `var/log/messages -> /etc/shadow`.
  public static func logFiles(in dir: String, maxDepth: Int = 6) -> [String] {
    var out: [String] = []
    let root = realPath(dir).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    func walk(_ d: String, _ depth: Int) {
      guard depth <= maxDepth else { return }
      let entries = ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).sorted()
      for entry in entries where !entry.hasPrefix(".") {
        let p = d.hasSuffix("/") ? d + entry : d + "/" + entry
        switch kind(p) {
        case .directory: walk(p, depth + 1)
        case .file where isLogFile(p):
          if isLink(p) {
            guard let root, let target = realPath(p), target.hasPrefix(root) else { continue }
          }
          out.append(p)
        default: continue
        }
      }
    }
    walk(dir, 0)
    return out.sorted()
  }

  static func isLink(_ path: String) -> Bool {
    System.linkStatus(atPath: path)?.kind == .symbolicLink
  }

  /// The path with every link resolved (realpath(3)), or nil.
  static func realPath(_ path: String) -> String? {
    System.realPath(path)
  }
}
