/// A log line's level, normalised across cloud-init, the ECS agent, syslog priorities and seelog.
public enum Level: String, Codable, Sendable, Comparable {
  case trace, debug, info, warning, error, critical

  public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
  var rank: Int {
    switch self {
    case .trace: return 0
    case .debug: return 1
    case .info: return 2
    case .warning: return 3
    case .error: return 4
    case .critical: return 5
    }
  }

  /// Parses a level word in any of the spellings the inputs use (`WARNING`, `warn`, `Error`, `crit`, …).
  init?(word p: UnsafeRawBufferPointer, _ r: Range<Int>) {
    var lower: [UInt8] = []
    lower.reserveCapacity(r.count)
    for i in r { lower.append(p[i] | 0x20) }
    switch String(decoding: lower, as: UTF8.self) {
    case "trace": self = .trace
    case "debug", "dbug": self = .debug
    case "info", "notice": self = .info
    case "warn", "warning", "deprecated": self = .warning
    case "error", "err": self = .error
    case "critical", "crit", "fatal", "panic", "alert", "emerg": self = .critical
    default: return nil
    }
  }

  /// syslog priority 0-7.
  init?(priority: Int) {
    switch priority {
    case 0...2: self = .critical
    case 3: self = .error
    case 4: self = .warning
    case 5, 6: self = .info
    case 7: self = .debug
    default: return nil
    }
  }
}
