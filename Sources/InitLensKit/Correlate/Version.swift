import Foundation

/// Dotted version numbers as the logs print them (`22.2.2-1.amzn2023.0.3`, `24.4.1-0ubuntu0~22.04.1`,
/// `1.89.3`): the leading numeric components decide the order; a distro suffix does not.
public struct Version: Comparable, Sendable, CustomStringConvertible {
  public let parts: [Int]
  public let text: String

  public init?(_ text: String) {
    var parts: [Int] = []
    var current: Int? = nil
    for ch in text.drop(while: { $0 == "v" }) {
      if let d = ch.wholeNumberValue, ch.isASCII {
        // A component too large for an Int is no version the logs really show.
        let (times, o1) = (current ?? 0).multipliedReportingOverflow(by: 10)
        let (plus, o2) = times.addingReportingOverflow(d)
        if o1 || o2 { return nil }
        current = plus
      } else if ch == ".", let c = current {
        parts.append(c)
        current = nil
      } else {
        break
      }
    }
    if let current { parts.append(current) }
    guard !parts.isEmpty else { return nil }
    self.parts = parts
    self.text = text
  }

  public var description: String { text }

  public static func < (a: Version, b: Version) -> Bool {
    for i in 0..<max(a.parts.count, b.parts.count) {
      let x = i < a.parts.count ? a.parts[i] : 0
      let y = i < b.parts.count ? b.parts[i] : 0
      if x != y { return x < y }
    }
    return false
  }

  public static func == (a: Version, b: Version) -> Bool { !(a < b) && !(b < a) }
}

/// A condition on a version: `< 24.4.1`, `>= 1.91.1`, `1.89.3` (equal), `missing`, `present`, or a list
/// of exact versions (any of them).
public struct VersionCondition: Sendable, Equatable {
  enum Op: String, Sendable {
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
    case eq = "="
    case missing, present
  }
  let op: Op
  let versions: [Version]

  public static func == (a: VersionCondition, b: VersionCondition) -> Bool {
    a.op == b.op && a.versions.map(\.text) == b.versions.map(\.text)
  }

  /// Parses `"< 24.4.1"` or a list `["1.89.3", "1.90.0"]`; nil when malformed.
  public init?(_ text: String) {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t == "missing" || t == "present" {
      op = Op(rawValue: t)!
      versions = []
      return
    }
    for candidate in ["<=", ">=", "<", ">", "=="] where t.hasPrefix(candidate) {
      guard let v = Version(String(t.dropFirst(candidate.count)).trimmingCharacters(in: .whitespaces)) else {
        return nil
      }
      op = candidate == "==" ? .eq : Op(rawValue: candidate)!
      versions = [v]
      return
    }
    guard let v = Version(t) else { return nil }
    op = .eq
    versions = [v]
  }

  public init?(anyOf list: [String]) {
    let parsed = list.compactMap(Version.init)
    guard parsed.count == list.count, !parsed.isEmpty else { return nil }
    op = .eq
    versions = parsed
  }

  /// Whether `version` (the text seen in the logs, or nil when not seen) satisfies the condition.
  public func holds(_ version: String?) -> Bool {
    switch op {
    case .missing: return version == nil
    case .present: return version != nil
    default: break
    }
    guard let version, let v = Version(version) else { return false }
    switch op {
    case .lt: return v < versions[0]
    case .le: return v <= versions[0]
    case .gt: return v > versions[0]
    case .ge: return v >= versions[0]
    default: return versions.contains(v)
    }
  }
}
