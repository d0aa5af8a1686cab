/// Which program wrote a log line.
public enum Source: String, Codable, Sendable, CaseIterable {
  case cloudInit = "cloud-init"
  case ecsAgent = "ecs-agent"
  case ecsInit = "ecs-init"
  case kernel, systemd, other
  /// Only valid on rules: applies to every record.
  case any

  /// Rules and records meet when their families agree; ECS agent and ecs-init share one family
  /// because their line formats are the same and a line's writer cannot always be told apart.
  var family: Int {
    switch self {
    case .cloudInit: return 1
    case .ecsAgent, .ecsInit: return 2
    case .kernel: return 3
    case .systemd: return 4
    case .other, .any: return 0
    }
  }

  /// Whether a rule of this source applies to a record of `record` source. A record of unknown
  /// (`other`) source meets every rule: format detection must never cause a false negative.
  func applies(to record: Source) -> Bool {
    self == .any || record == .other || record.family == family
  }
}
