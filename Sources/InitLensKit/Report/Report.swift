import Foundation

/// The result of a run: the JSON contract (`schemaVersion` 1, docs/OUTPUT.md) as value types.
///
/// Everything is sorted when built, so encoding the same report twice gives the same bytes. Times are µs
/// since the epoch (UTC); they become ISO 8601 text only where a report is written (Report/Wire/).
public struct Report: Sendable, Equatable {
  public var schemaVersion = 1
  public var summary: Summary
  public var inputs: [InputSummary]
  public var hosts: [HostReport]
  /// Only in fleet reports (`initlens fleet`, `initlens merge`).
  public var fleet: FleetSection? = nil
  /// Warning lines no rule matched, as templates, most hosts first (empty when there are none).
  public var unmatched: [UnmatchedTemplate] = []
}

public struct Summary: Sendable, Equatable {
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

extension Summary {
  /// Counts a boot into the tallies: boots, incidents, root causes, incidents by severity and the highest
  /// severity. The one place they are counted (a run's hosts, a fleet's, merged shards).
  public mutating func count(boot: BootReport) {
    boots += 1
    rootCauses += boot.rootCauses.count
    for i in boot.incidents {
      incidents += 1
      bySeverity[i.severity.rawValue, default: 0] += 1
      if highestSeverity.map({ i.severity > $0 }) ?? true { highestSeverity = i.severity }
    }
  }

  /// Adds another report's line counts: read, matched, unmatched, skipped (by reason), rule limit hits.
  public mutating func addLines(of other: Summary) {
    linesRead += other.linesRead
    linesMatched += other.linesMatched
    linesUnmatched += other.linesUnmatched
    linesSkipped += other.linesSkipped
    skipped.merge(other.skipped, uniquingKeysWith: +)
    ruleLimitHits.merge(other.ruleLimitHits, uniquingKeysWith: +)
  }
}

public struct InputSummary: Sendable, Equatable {
  public var name: String
  public var lines: Int
  /// Set when the input could not be read to its end.
  public var error: String?
}

public struct HostReport: Sendable, Equatable {
  public var host: String
  public var boots: [BootReport]
}

extension HostReport {
  /// The host with the names its logs gave it besides its instance id: `i-0abc… (ip-10-0-1-23)`.
  public var title: String {
    var names: [String] = []
    for boot in boots {
      for name in (boot.hostname ?? "").split(separator: ",") {
        let n = name.trimmingCharacters(in: .whitespaces)
        if !n.isEmpty, !names.contains(n) { names.append(n) }
      }
    }
    return names.isEmpty ? host : host + " (" + names.joined(separator: ", ") + ")"
  }
}

public struct BootReport: Sendable, Equatable {
  /// journald boot id when the logs carry one, else the boot's start time.
  public var boot: String
  /// Kernel start (from monotonic stamps or `Up N seconds`), else the first boot marker, µs UTC.
  public var start: Int64?
  /// Versions seen in this boot's logs: `cloud-init`, `ecs-agent`.
  public var versions: [String: String]
  /// Settings that shape this boot, e.g. from `/etc/ecs/ecs.config` (`ECS_WARM_POOLS_CHECK`).
  public var facts: [String: String] = [:]
  /// The host names the logs gave this instance in this boot, when the host is keyed by its instance
  /// id (a journal names its host name, cloud-init the instance): `ip-10-0-1-23.ec2.internal`.
  public var hostname: String? = nil
  public var incidents: [Incident]
  /// cloud-init stages as `cloud-init analyze show` times them.
  public var stages: [StageReport] = []
  /// What happened, in order: boot start, stages, IMDS calls, agent steps, incidents.
  public var timeline: [TimelineEntry] = []
  /// Incidents explained by a correlation rule, with the fix.
  public var rootCauses: [RootCause] = []
}

public struct StageReport: Sendable, Equatable {
  public var name: String
  public var start: Int64?
  public var end: Int64?
  public var durationSeconds: Double?
  /// SUCCESS, WARN, FAIL, or nil when the stage never finished.
  public var result: String?
  /// Sub-steps (modules, datasource searches) in file order.
  public var steps: [StageReport] = []
}

public struct TimelineEntry: Sendable, Equatable {
  /// Seconds since the boot's start (nil when either time is unknown).
  public var offsetSeconds: Double?
  public var time: Int64?
  public var kind: String
  public var summary: String
  public var origin: Origin?
}

public struct RootCause: Sendable, Equatable {
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

public struct Symptom: Sendable, Equatable {
  public var kind: String
  public var offsetSeconds: Double?
  /// Seconds after the cause's first occurrence.
  public var afterCauseSeconds: Double?
}

public struct Incident: Sendable, Equatable {
  public var kind: String
  /// The rule that matched first; `rules` lists all that contributed.
  public var rule: String
  public var rules: [String]
  public var title: String
  public var severity: Severity
  public var source: Source
  /// First and last match, µs UTC.
  public var first: Int64?
  public var last: Int64?
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
  /// Where the first match was seen; not part of the JSON (evidence has it).
  var firstOrigin: Origin? = nil
}

extension Incident {
  /// The family as reports show it: ``family``, else the kind.
  public var familyName: String { family ?? kind }

  /// `network-unreachable (imds-unreachable)`: the kind, and its family when that differs.
  public var kindAndFamily: String { familyName == kind ? kind : "\(kind) (\(familyName))" }
}

public struct Evidence: Sendable, Equatable {
  public var file: String
  public var line: Int
  public var text: String
}
