import PCRE2Kit

/// A line rule, loaded from one YAML file in `rules/` and validated: its pattern compiled, its fix
/// placeholders known captures, its examples present.
public struct Rule: Sendable {
  public let id: String
  public let kind: String
  /// The contract kind this rule's kind refines (`network-unreachable` → `imds-unreachable`), or the
  /// kind itself when it refines none of ``Rule/contractKinds``; nil for event rules.
  public var family: String? = nil
  /// Where `family:` is written in the rule file (the file's start when it is missing).
  public var familyPosition: SourcePosition? = nil
  public let title: String
  public let severity: Severity
  public let source: Source
  public let pattern: Pattern
  public let fix: String
  public let references: [String]
  /// Prefilter: the line must contain at least one of these (empty: no prefilter).
  public let literals: [[UInt8]]
  public let matchExamples: [RuleExample]
  public let noMatchExamples: [RuleExample]
  /// Where the rule came from (a path, or `builtin:rules/…` for the embedded set).
  public let file: String
  /// An event rule puts a boot step on the timeline instead of raising an incident.
  public var isEvent = false
  /// Timeline text with `{capture}` placeholders (default: the title).
  public var summary: String? = nil
  /// A continuation rule: it matches header-less lines of a record that the rule with this id matched
  /// (`Command:` / `Exit code:` after cloud-init's "Unexpected error while running command."), and only
  /// adds its captures to that incident: it raises none of its own.
  public var continues: String? = nil
  /// The incident kinds users and dashboards key on (rules/README.md, "Required kinds"). Every other
  /// kind names one of these as its family, or itself when it refines none.
  public static let contractKinds: [String] = [
    "imds-503", "imds-endpoint-disabled", "imds-unreachable", "datasource-not-found", "ecs-lifecycle-404",
    "ecs-agent-failed", "ecs-registration-failed", "userdata-failed",
  ]
  /// Capture names the pattern defines, sorted.
  public var captureNames: [String] { pattern.names.map(\.name).sorted() }
}

/// One example line of a rule, with the captures it must yield (match examples only).
public struct RuleExample: Sendable {
  public let line: String
  public let captures: [String: String]
  /// Position of the example in its rule file, for diagnostics.
  public let position: SourcePosition
}

/// A 1-based line and column in a file.
public struct SourcePosition: Sendable, Hashable {
  public let line: Int
  public let column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}

/// A problem found while loading or checking rules: `FILE:LINE:COL: error: [rule-id] message`.
public struct RuleDiagnostic: Sendable, CustomStringConvertible, Equatable {
  public enum Level: String, Sendable { case error, warning }
  public let level: Level
  public let file: String
  public let position: SourcePosition?
  public let ruleID: String?
  public let message: String
  /// Lines shown under the message (the pattern with a caret under PCRE2's error offset).
  public let snippet: [String]

  public init(
    _ level: Level = .error, file: String, position: SourcePosition?, ruleID: String?, message: String,
    snippet: [String] = []
  ) {
    self.level = level
    self.file = file
    self.position = position
    self.ruleID = ruleID
    self.message = message
    self.snippet = snippet
  }

  public var description: String {
    var head = file
    if let position { head += ":\(position.line):\(position.column)" }
    head += ": \(level.rawValue): "
    if let ruleID { head += "[\(ruleID)] " }
    head += message
    return ([head] + snippet.map { "    " + $0 }).joined(separator: "\n")
  }
}
