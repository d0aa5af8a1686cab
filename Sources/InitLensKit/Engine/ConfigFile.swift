import Foundation

/// Configuration inputs given beside the logs: `/etc/ecs/ecs.config` (`KEY=VALUE` lines).
///
/// Their settings become facts of every boot of the host they belong to, for correlation rules to
/// use (`ECS_WARM_POOLS_CHECK=true` makes the lifecycle 404 possible).
enum ConfigFile {
  static func isConfig(_ name: String) -> Bool {
    let base = name.split(separator: "/").last.map(String.init) ?? name
    return base == "ecs.config" || base.hasPrefix("ecs.config.") || base == "os-release"
  }

  /// Keys whose values are secrets: recorded as present, never shown.
  static func isSecret(_ key: String) -> Bool {
    let k = key.uppercased()
    return ["AUTH", "SECRET", "TOKEN", "PASSWORD", "CREDENTIAL"].contains { k.contains($0) }
  }

  /// `KEY=VALUE` (optionally `export KEY=VALUE`, quoted values); nil for comments and other lines.
  static func parse(_ line: String) -> (String, String)? {
    var text = line.trimmingCharacters(in: .whitespaces)
    if text.hasPrefix("#") || text.isEmpty { return nil }
    if text.hasPrefix("export ") { text.removeFirst(7) }
    guard let eq = text.firstIndex(of: "=") else { return nil }
    let key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
    guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
    var value = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
    if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
      value = String(value.dropFirst().dropLast())
    }
    return (key, isSecret(key) ? "(redacted)" : value)
  }
}
