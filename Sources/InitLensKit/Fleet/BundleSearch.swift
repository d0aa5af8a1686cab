import Foundation

/// The search of a fleet directory for bundles: directories and archives where they are, and the
/// objects that S3 syncs spread over many directories gathered into one bundle per instance:
///
///     <prefix>/<task-id>/<log-stream>/000000.gz                                  CloudWatch Logs export
///     <prefix>/<command-id>/<instance-id>/awsrunShellScript/0.awsrunShellScript/stdout     SSM Run Command
///
/// (the `<prefix>/aws-logs-write-test` probe object of an export is passed over).
struct BundleSearch {
  /// How deep below a given directory bundles are looked for.
  static let maxDepth = 8
  var found: [Bundle] = []
  /// Export objects and SSM output by stream / instance: the directories they are in and the files.
  var exports: [String: (dirs: Set<String>, files: [BundleFile])] = [:]
  var ssm: [String: (dirs: Set<String>, files: [BundleFile])] = [:]

  mutating func walk(_ dir: String, depth: Int) {
    let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    for entry in entries where !entry.hasPrefix(".") {
      let child = dir.hasSuffix("/") ? dir + entry : dir + "/" + entry
      switch BundleFinder.kind(child) {
      case .directory:
        if BundleFinder.isBundleDirectory(child) {
          found.append(Bundle(path: child, kind: .directory))
        } else if depth < Self.maxDepth {
          walk(child, depth: depth + 1)
        }
      case .file where BundleFinder.isLink(child):
        // A link to a file outside the fleet is never read, except an archive (read as given, as before).
        if BundleFinder.isArchive(child) { found.append(Bundle(path: child, kind: .archive)) }
      case .file:
        _ = add(file: child)
      default: continue
      }
    }
  }

  /// Takes a file that is a bundle or an object of one; false when it is neither.
  mutating func add(file: String) -> Bool {
    if BundleFinder.isArchive(file) {
      found.append(Bundle(path: file, kind: .archive))
    } else if let (streamDir, stream, log) = Self.exportObject(file) {
      exports[stream, default: ([], [])].dirs.insert(streamDir)
      exports[stream, default: ([], [])].files.append(BundleFile(path: file, log: log))
    } else if let (instanceDir, instance) = Self.ssmOutput(file) {
      ssm[instance, default: ([], [])].dirs.insert(instanceDir)
      ssm[instance, default: ([], [])].files.append(BundleFile(path: file, log: nil))
    } else if BundleFinder.isStandaloneInput(file) {
      found.append(Bundle(path: file, kind: .file))
    } else {
      return false
    }
    return true
  }

  /// Everything found: one export bundle per log stream and one SSM bundle per instance, named by the
  /// first of their directories.
  func bundles() -> [Bundle] {
    var out = found
    for (_, group) in exports {
      out.append(
        Bundle(
          path: group.dirs.min()!, kind: .cloudWatchExport, files: group.files.sorted { $0.path < $1.path }))
    }
    for (_, group) in ssm {
      out.append(Bundle(path: group.dirs.min()!, kind: .ssmOutput, files: group.files.sorted { $0.path < $1.path }))
    }
    return out
  }

  /// An export object (`000000.gz`, `000001.gz`, … under `<task-id>/<stream>/`): its stream directory,
  /// the stream, and the log its prefix names.
  static func exportObject(_ path: String) -> (String, String, String?)? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 3 else { return nil }
    var object = parts[parts.count - 1]
    if object.hasSuffix(".gz") { object = object.dropLast(3) }
    guard object.count == 6, object.allSatisfy(\.isASCIIDigitChar), isUUID(parts[parts.count - 3]) else { return nil }
    let stream = String(parts[parts.count - 2])
    let log = parts.dropLast(3).reversed().lazy.compactMap(logName).first
    return (parts.dropLast().joined(separator: "/"), stream, log)
  }

  /// SSM output: `stdout` under `<instance-id>/aws…/<n>.aws…/`; its instance directory and instance.
  static func ssmOutput(_ path: String) -> (String, String)? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 4, parts[parts.count - 1] == "stdout" else { return nil }
    let step = parts[parts.count - 2]
    let plugin = parts[parts.count - 3]
    guard plugin.hasPrefix("aws"), let dot = step.firstIndex(of: "."),
      step[step.startIndex..<dot].allSatisfy(\.isASCIIDigitChar),
      step[step.index(after: dot)...] == plugin, !parts[parts.count - 4].isEmpty
    else { return nil }
    return (parts.dropLast(3).joined(separator: "/"), String(parts[parts.count - 4]))
  }

  /// The log a path component names (an export prefix, a log group): `cloud-init-output` →
  /// `cloud-init-output.log`; nil when it names none.
  static func logName(_ component: Substring) -> String? {
    let c = component.lowercased()
    if c.contains("cloud-init-output") || c.contains("cloudinit-output") { return "cloud-init-output.log" }
    if c.contains("cloud-init") || c.contains("cloudinit") { return "cloud-init.log" }
    if c.contains("ecs-init") { return "ecs-init.log" }
    if c.contains("ecs-agent") || c.contains("ecs_agent") { return "ecs-agent.log" }
    return nil
  }

  /// `8-4-4-4-12` hexadecimal digits: an export task id.
  static func isUUID(_ s: Substring) -> Bool {
    let groups = s.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
  }
}

extension BundleFinder {
  /// A directory that is one bundle: log files at its top or under `var/log`, or an EC2Rescue for
  /// Linux run folder (`mod_out/`, `gathered_out/`).
  static func isBundleDirectory(_ dir: String) -> Bool {
    if looksLikeBundle(dir) { return true }
    return ["mod_out", "gathered_out"].contains { kind(dir + "/" + $0) == .directory }
      && !logFiles(in: dir, maxDepth: 3).isEmpty
  }

  /// A file that is an input of its own: named after an instance (`i-….json`, `i-….txt`, as
  /// `aws ec2 get-console-output … > i-….json` leaves it), or whose head is console output, CloudWatch
  /// Logs JSON (`events[]`, Logs Insights `@message`) or `aws logs tail` output.
  static func isStandaloneInput(_ path: String) -> Bool {
    let base = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    guard [".json", ".txt", ".log"].contains(where: base.hasSuffix) else { return false }
    if let id = InstanceID.first(in: base), base.hasPrefix(id) { return true }
    guard let head = InstanceID.head(of: path, bytes: 4096), !head.isEmpty else { return false }
    if head.withUnsafeBytes({ ConsoleOutput.kind($0) }) != nil { return true }
    let text = String(decoding: head, as: UTF8.self)
    let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
    if trimmed.first == "{" || trimmed.first == "[" {
      if text.contains("\"@message\"") { return true }
      let eventKeys = ["\"timestamp\"", "\"ingestionTime\"", "\"logStreamName\"", "\"nextForwardToken\""]
      return text.contains("\"events\"") && eventKeys.contains(where: text.contains)
    }
    return isTailLine(trimmed.prefix { $0 != "\n" })
  }

  /// `aws logs tail` detailed output: `2024-01-15T10:23:45.123000+00:00 <stream> <message>`.
  static func isTailLine(_ line: Substring) -> Bool {
    let chars = Array(line.utf8.prefix(64))
    guard chars.count > 20, chars[4] == 0x2D, chars[7] == 0x2D, chars[10] == 0x54, chars[13] == 0x3A else {
      return false
    }
    guard let space = chars.firstIndex(of: 0x20), space > 19 else { return false }
    let stamp = String(decoding: chars[..<space], as: UTF8.self)
    guard stamp.hasSuffix("+00:00") || stamp.hasSuffix("Z") else { return false }
    let rest = line.utf8.dropFirst(space + 1)
    guard let next = rest.firstIndex(of: 0x20), next > rest.startIndex else { return false }
    // Not a log line of its own (`…Z [INFO] msg`, `…Z level=info`): a stream name.
    let stream = rest[rest.startIndex..<next]
    return stream.first != 0x5B && !stream.contains(0x3D)
  }
}

extension Character {
  fileprivate var isASCIIDigitChar: Bool { isASCII && isNumber }
}
