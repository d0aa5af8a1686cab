/// The result of a run: the JSON contract (`schemaVersion` 1, docs/OUTPUT.md) as value types.
///
/// Everything is sorted when built, so encoding the same report twice gives the same bytes.
public struct Report: Codable, Sendable, Equatable {
  public var schemaVersion = 1
  public var summary: Summary
  public var inputs: [InputSummary]
  public var hosts: [HostReport]
  /// Only in fleet reports (`initlens fleet`, `initlens merge`).
  public var fleet: FleetSection? = nil
  /// Warning lines no rule matched, as templates, most hosts first (empty when there are none).
  public var unmatched: [UnmatchedTemplate] = []
}

extension Report {
  enum CodingKeys: String, CodingKey { case schemaVersion, summary, inputs, hosts, fleet, unmatched }

  /// Reports written before `unmatched` existed decode with an empty list (`initlens merge` of old shards).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    summary = try c.decode(Summary.self, forKey: .summary)
    inputs = try c.decode([InputSummary].self, forKey: .inputs)
    hosts = try c.decode([HostReport].self, forKey: .hosts)
    fleet = try c.decodeIfPresent(FleetSection.self, forKey: .fleet)
    unmatched = try c.decodeIfPresent([UnmatchedTemplate].self, forKey: .unmatched) ?? []
  }
}

public struct Summary: Codable, Sendable, Equatable {
  public var linesRead = 0
  public var linesMatched = 0
  public var linesUnmatched = 0
  public var linesSkipped = 0
  /// Why lines were skipped: `blank`, `binary`, `too-long`, `separator`.
  public var skipped: [String: Int] = [:]
  public var hosts = 0
  public var boots = 0
  public var incidents = 0
  public var rootCauses = 0
  /// Incidents by severity.
  public var bySeverity: [String: Int] = [:]
  /// Rules that hit a PCRE2 match/depth limit, with the number of lines each left undecided.
  public var ruleLimitHits: [String: Int] = [:]
  public var highestSeverity: Severity? = nil
}

public struct InputSummary: Codable, Sendable, Equatable {
  public var name: String
  public var lines: Int
  /// Set when the input could not be read to its end.
  public var error: String?
}

public struct HostReport: Codable, Sendable, Equatable {
  public var host: String
  public var boots: [BootReport]
}

public struct BootReport: Codable, Sendable, Equatable {
  /// journald boot id when the logs carry one, else the boot's start time.
  public var boot: String
  /// Kernel start (from monotonic stamps or `Up N seconds`), else the first boot marker, ISO 8601 UTC.
  public var start: String?
  /// Versions seen in this boot's logs: `cloud-init`, `ecs-agent`.
  public var versions: [String: String]
  /// Settings that shape this boot, e.g. from `/etc/ecs/ecs.config` (`ECS_WARM_POOLS_CHECK`).
  public var facts: [String: String] = [:]
  public var incidents: [Incident]
  /// cloud-init stages as `cloud-init analyze show` times them.
  public var stages: [StageReport] = []
  /// What happened, in order: boot start, stages, IMDS calls, agent steps, incidents.
  public var timeline: [TimelineEntry] = []
  /// Incidents explained by a correlation rule, with the fix.
  public var rootCauses: [RootCause] = []
}

public struct StageReport: Codable, Sendable, Equatable {
  public var name: String
  public var start: String?
  public var end: String?
  public var durationSeconds: Double?
  /// SUCCESS, WARN, FAIL, or nil when the stage never finished.
  public var result: String?
  /// Sub-steps (modules, datasource searches) in file order.
  public var steps: [StageReport] = []
}

public struct TimelineEntry: Codable, Sendable, Equatable {
  /// Seconds since the boot's start (nil when either time is unknown).
  public var offsetSeconds: Double?
  public var time: String?
  public var kind: String
  public var summary: String
  public var origin: Origin?
}

public struct RootCause: Codable, Sendable, Equatable {
  public var id: String
  /// The chain's title (what kind of failure this is, without this boot's details).
  public var title: String
  /// The incident kind that started the chain.
  public var cause: String
  public var summary: String
  public var explanation: String
  public var symptoms: [Symptom]
  public var fixes: [String]
  public var references: [String]
  /// Evidence lines of the cause and its symptoms.
  public var evidence: [Evidence] = []
}

public struct Symptom: Codable, Sendable, Equatable {
  public var kind: String
  public var offsetSeconds: Double?
  /// Seconds after the cause's first occurrence.
  public var afterCauseSeconds: Double?
}

public struct Incident: Codable, Sendable, Equatable {
  public var kind: String
  /// The rule that matched first; `rules` lists all that contributed.
  public var rule: String
  public var rules: [String]
  public var title: String
  public var severity: Severity
  public var source: Source
  public var first: String?
  public var last: String?
  public var count: Int
  /// Captures of the first match (later matches add names it lacked).
  public var captures: [String: String]
  /// The rule's fix with `{capture}` placeholders filled in.
  public var fix: String
  public var references: [String]
  public var evidence: [Evidence]
  /// The root cause that explains this incident (as its cause or a symptom), if any.
  public var rootCause: String? = nil
  /// The contract kind `kind` refines (`network-unreachable` → `imds-unreachable`; the kind itself
  /// when it refines none). Set from the rules; nil only for incidents made without rules, which
  /// report their kind (see ``familyName``).
  public var family: String? = nil
  /// `first` as µs, for the correlator; not part of the JSON.
  var firstMicros: Int64? = nil
  /// Where the first match was seen; not part of the JSON (evidence has it).
  var firstOrigin: Origin? = nil

  enum CodingKeys: String, CodingKey {
    case kind, family, rule, rules, title, severity, source, first, last, count, captures, fix, references, evidence
    case rootCause
  }
}

extension Incident {
  /// The family as reports show it: ``family``, else the kind.
  public var familyName: String { family ?? kind }

  /// `network-unreachable (imds-unreachable)`: the kind, and its family when that differs.
  public var kindAndFamily: String { familyName == kind ? kind : "\(kind) (\(familyName))" }

  /// Reports written before families existed have no `family`: the built-in rules' family of the
  /// kind, else the kind itself.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decode(String.self, forKey: .kind)
    family = try c.decodeIfPresent(String.self, forKey: .family) ?? Families.fallback(kind: kind)
    rule = try c.decode(String.self, forKey: .rule)
    rules = try c.decode([String].self, forKey: .rules)
    title = try c.decode(String.self, forKey: .title)
    severity = try c.decode(Severity.self, forKey: .severity)
    source = try c.decode(Source.self, forKey: .source)
    first = try c.decodeIfPresent(String.self, forKey: .first)
    last = try c.decodeIfPresent(String.self, forKey: .last)
    count = try c.decode(Int.self, forKey: .count)
    captures = try c.decode([String: String].self, forKey: .captures)
    fix = try c.decode(String.self, forKey: .fix)
    references = try c.decode([String].self, forKey: .references)
    evidence = try c.decode([Evidence].self, forKey: .evidence)
    rootCause = try c.decodeIfPresent(String.self, forKey: .rootCause)
  }
}

public struct Evidence: Codable, Sendable, Equatable {
  public var file: String
  public var line: Int
  public var text: String
}

// MARK: - Explicit nulls
// The contract lists these fields on every object; an unknown value is `null`, never a missing key.

extension BootReport {
  enum CodingKeys: String, CodingKey {
    case boot, start, versions, facts, incidents, stages, timeline, rootCauses
  }
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(boot, forKey: .boot)
    try c.encode(start, forKey: .start)
    try c.encode(versions, forKey: .versions)
    try c.encode(facts, forKey: .facts)
    try c.encode(incidents, forKey: .incidents)
    try c.encode(stages, forKey: .stages)
    try c.encode(timeline, forKey: .timeline)
    try c.encode(rootCauses, forKey: .rootCauses)
  }
}

extension Incident {
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
    try c.encode(familyName, forKey: .family)
    try c.encode(rule, forKey: .rule)
    try c.encode(rules, forKey: .rules)
    try c.encode(title, forKey: .title)
    try c.encode(severity, forKey: .severity)
    try c.encode(source, forKey: .source)
    try c.encode(first, forKey: .first)
    try c.encode(last, forKey: .last)
    try c.encode(count, forKey: .count)
    try c.encode(captures, forKey: .captures)
    try c.encode(fix, forKey: .fix)
    try c.encode(references, forKey: .references)
    try c.encode(evidence, forKey: .evidence)
    try c.encode(rootCause, forKey: .rootCause)
  }
}

extension TimelineEntry {
  enum CodingKeys: String, CodingKey { case offsetSeconds, time, kind, summary, origin }
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(offsetSeconds, forKey: .offsetSeconds)
    try c.encode(time, forKey: .time)
    try c.encode(kind, forKey: .kind)
    try c.encode(summary, forKey: .summary)
    try c.encode(origin, forKey: .origin)
  }
}

extension StageReport {
  enum CodingKeys: String, CodingKey { case name, start, end, durationSeconds, result, steps }
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(steps, forKey: .steps)
    try c.encode(name, forKey: .name)
    try c.encode(start, forKey: .start)
    try c.encode(end, forKey: .end)
    try c.encode(durationSeconds, forKey: .durationSeconds)
    try c.encode(result, forKey: .result)
  }
}

extension Symptom {
  enum CodingKeys: String, CodingKey { case kind, offsetSeconds, afterCauseSeconds }
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
    try c.encode(offsetSeconds, forKey: .offsetSeconds)
    try c.encode(afterCauseSeconds, forKey: .afterCauseSeconds)
  }
}
