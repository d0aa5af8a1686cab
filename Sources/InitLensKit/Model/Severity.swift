/// How bad an incident is. Ordered: `info < warning < error < critical`.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
  case info, warning, error, critical

  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

  var rank: Int {
    switch self {
    case .info: return 0
    case .warning: return 1
    case .error: return 2
    case .critical: return 3
    }
  }
}
