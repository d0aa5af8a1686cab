import PCRE2Kit

/// A root-cause chain from `rules/correlations/`: a cause incident kind, the symptom kinds it leads to
/// in the same host × boot within a time window, conditions on versions and facts, and the
/// explanation and fixes to give when it holds.
public struct CorrelationRule: Sendable {
  public struct Conditions: Sendable {
    public var versions: [String: VersionCondition] = [:]
    /// Exact values (case-insensitive); `missing` and `present` test existence.
    public var facts: [String: String] = [:]
    public var isEmpty: Bool { versions.isEmpty && facts.isEmpty }
  }

  /// A variant of the explanation for particular versions or facts; the first case that holds wins.
  public struct Case: Sendable {
    public var when: Conditions
    public var id: String?
    public var summary: String?
    public var explanation: String?
    public var fixes: [String]?
  }

  public enum Requirement: Sendable, Equatable {
    /// At least one symptom.
    case any
    /// Every symptom kind.
    case all
    /// The cause alone is enough; symptoms are listed when present.
    case none
    /// At least one of these kinds.
    case oneOf([String])
  }

  public let id: String
  public let title: String
  /// What the chain means, in a line (the chains table of rules/README.md); nil when not written.
  public var description: String? = nil
  public let cause: String
  /// Patterns the cause's captures must match (capture name → pattern).
  public let causeCaptures: [(String, Pattern)]
  public let symptoms: [String]
  public let require: Requirement
  /// Symptoms must not come before the cause (1 s of slack for second-precision stamps).
  public let causeFirst: Bool
  /// Seconds from the cause's first occurrence to a symptom's first occurrence.
  public let window: Double
  public let when: Conditions
  public let summary: String
  public let explanation: String
  public let fixes: [String]
  public let references: [String]
  public let cases: [Case]
  public let examples: [CorrelationExample]
  public let file: String
}

/// A fixture inside a correlation rule file: incidents of one or more hosts, and the root cause
/// that must (or must not) come out.
public struct CorrelationExample: Sendable {
  public struct Item: Sendable {
    public var kind: String
    /// Seconds from the boot's start.
    public var at: Double
    public var host: String?
    public var captures: [String: String]
  }
  public var name: String
  /// The root-cause id expected on the default host, or nil for "none".
  public var expect: String?
  /// The symptom kinds the root cause must list, when given.
  public var symptoms: [String]?
  public var versions: [String: String]
  public var facts: [String: String]
  public var incidents: [Item]
  public var position: SourcePosition
}
