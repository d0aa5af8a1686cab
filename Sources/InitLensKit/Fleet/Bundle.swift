import Foundation

/// One instance's logs: a directory holding a copy of `/var/log`, a `cloud-init collect-logs` tarball,
/// or an ECS logs collector archive.
public struct Bundle: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case directory
    case archive
  }
  /// The path as found (used in evidence names and for sharding).
  public let path: String
  public let kind: Kind
  /// The bundle's name: its directory or archive name without extension (the host name fallback).
  public var name: String {
    var base = path.split(separator: "/").last.map(String.init) ?? path
    for ext in [".tar.gz", ".tgz", ".tar"] where base.hasSuffix(ext) { base.removeLast(ext.count) }
    return base
  }

  /// A stable shard number in 1...n from the bundle path (FNV-1a 64), the same on every machine.
  public func shard(of n: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in path.utf8 {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
    return Int(hash % UInt64(max(1, n))) + 1
  }
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
  /// A path is a bundle when it is an archive or a directory holding log files (at its top, or
  /// under `var/log`); otherwise each of its entries is looked at as a bundle.
  public static func bundles(in paths: [String]) -> (bundles: [Bundle], errors: [BundleError]) {
    var out: [Bundle] = []
    var errors: [BundleError] = []
    for path in paths {
      switch kind(path) {
      case .file where isArchive(path):
        out.append(Bundle(path: path, kind: .archive))
      case .directory:
        if looksLikeBundle(path) {
          out.append(Bundle(path: path, kind: .directory))
        } else {
          let entries = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
          for entry in entries where !entry.hasPrefix(".") {
            let child = path.hasSuffix("/") ? path + entry : path + "/" + entry
            switch kind(child) {
            case .directory where looksLikeBundle(child): out.append(Bundle(path: child, kind: .directory))
            case .file where isArchive(child): out.append(Bundle(path: child, kind: .archive))
            default: continue
            }
          }
        }
      case .missing:
        errors.append(BundleError(bundle: path, message: "cannot read: no such file or directory"))
      case .file, .other:
        errors.append(
          BundleError(bundle: path, message: "not a bundle (a directory of logs or a .tar.gz/.tgz archive)"))
      }
    }
    let unique = Array(Set(out)).sorted { $0.path < $1.path }
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
