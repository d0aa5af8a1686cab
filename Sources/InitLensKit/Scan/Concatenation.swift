import Foundation

/// Several logs printed one after the other, as SSM Run Command keeps a script's stdout
/// (`…/<instance-id>/awsrunShellScript/0.awsrunShellScript/stdout`): `cat f1 f2 …; journalctl -b`,
/// `tail -n +1 f1 f2` / `head` (`==> f1 <==` before each file), or `echo "=== f1 ==="` markers.
/// `parts(of:)` cuts it back into its logs, each to be read as the file it was: a header names its file
/// (whose name says its source, as a file's does); without headers a log starts where the kind of its
/// lines changes (cloud-init.log's stamps, cloud-init-output.log's first banner, the ECS agent's, a
/// journal's).
enum Concatenation {
  /// Inputs up to this size are cut into their logs; a larger one is read as one log.
  static let limitBytes = 256 << 20

  /// The file a header line names: `==> /var/log/cloud-init.log <==` (tail, head), or a marker of three
  /// or more `=`, `#` or `-` on both sides of a name: `=== cloud-init.log ===`, `### /var/log/x ###`.
  static func header(_ p: UnsafeRawBufferPointer) -> String? {
    var end = p.count
    while end > 0, p[end - 1] == 0x20 || p[end - 1] == 0x0D { end -= 1 }
    guard end >= 9 else { return nil }
    if p.hasPrefix("==> "), p.hasPrefix(" <==", at: end - 4) { return name(p, 4, end - 4) }
    let c = p[0]
    guard c == 0x3D || c == 0x23 || c == 0x2D else { return nil }
    var i = 0
    while i < end, p[i] == c { i += 1 }
    var j = end
    while j > i, p[j - 1] == c { j -= 1 }
    guard i >= 3, end - j >= 3, p.byte(i, is: 0x20), p[j - 1] == 0x20 else { return nil }
    return name(p, i + 1, j - 1)
  }

  static func name(_ p: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> String? {
    guard to > from, to - from <= 256 else { return nil }
    let s = p.string(from..<to).trimmingCharacters(in: .whitespaces)
    return s.isEmpty ? nil : s
  }

  /// Whether an input is read as a concatenation: SSM's `stdout` (also `*.stdout`), or its first line
  /// that is not blank is a header.
  static func applies(name: String, head: UnsafeRawBufferPointer) -> Bool {
    let base = name.split(separator: "/").last.map(String.init) ?? name
    if base == "stdout" || base.hasSuffix(".stdout") { return true }
    var start = 0
    while start < head.count {
      var end = start
      while end < head.count, head[end] != 0x0A { end += 1 }
      let line = UnsafeRawBufferPointer(rebasing: head[start..<end])
      if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return header(line) != nil }
      start = end + 1
    }
    return false
  }

  /// What kind of log a line says it comes from, when it says.
  enum Kind: String {
    case cloudInitLog = "cloud-init.log"
    case cloudInitOutput = "cloud-init-output.log"
    case ecs = "ecs"
    case journal = "journal"
  }

  static func kind(_ p: UnsafeRawBufferPointer, _ parser: inout LineParser) -> Kind? {
    guard p.count > 8 else { return nil }
    if p.hasPrefix("Cloud-init v. "), p.find(Array(" running 'init-local' at ".utf8), from: 14) != nil {
      return .cloudInitOutput
    }
    let c = p[0]
    guard c &- 0x30 < 10 || c | 0x20 >= 0x61 && c | 0x20 <= 0x7A || c == 0x2D else { return nil }
    let parsed = parser.parse(p)
    if parsed.isSeparator { return .journal }  // `-- Logs begin at … --`, `-- Boot … --`
    switch parsed.format {
    case .cloudInit: return .cloudInitLog
    case .ecsLegacy, .ecsLogfmt: return .ecs
    case .plain, .console: return nil
    default: return parsed.format.isLogFile ? nil : .journal
    }
  }

  /// One log of the concatenation: its bytes (its header line excluded), the number of its first line,
  /// and its file's name (from its header, else the kind its lines showed).
  struct Part {
    var range: Range<Int>
    var firstLine: Int
    var file: String?
    var kind: Kind?
    /// The header line before it, if any (counted, not read).
    var headerLine: Int?
  }

  /// The logs of `bytes` in order.
  static func parts(of bytes: UnsafeRawBufferPointer, year: Int) -> [Part] {
    var parser = LineParser(year: year)
    var parts = [Part(range: 0..<0, firstLine: 1, file: nil, kind: nil, headerLine: nil)]
    var start = 0
    var line = 1
    while start < bytes.count {
      var end = start
      while end < bytes.count, bytes[end] != 0x0A { end += 1 }
      let p = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
      if let file = header(p) {
        parts[parts.count - 1].range = parts[parts.count - 1].range.lowerBound..<start
        parts.append(Part(range: (end + 1)..<(end + 1), firstLine: line + 1, file: file, kind: nil, headerLine: line))
      } else if let kind = kind(p, &parser) {
        let current = parts[parts.count - 1]
        // cloud-init-output.log holds cloud-init's warnings with their stamps: they do not end it.
        let ends =
          current.kind != nil && current.kind != kind && current.file == nil
          && !(current.kind == .cloudInitOutput && kind == .cloudInitLog)
        if ends {
          parts[parts.count - 1].range = current.range.lowerBound..<start
          parts.append(Part(range: start..<start, firstLine: line, file: nil, kind: kind, headerLine: nil))
        } else if current.kind == nil {
          parts[parts.count - 1].kind = kind
        }
      }
      parts[parts.count - 1].range = parts[parts.count - 1].range.lowerBound..<min(end + 1, bytes.count)
      start = end + 1
      line += 1
    }
    return parts.filter { !$0.range.isEmpty || $0.headerLine != nil }
  }
}
