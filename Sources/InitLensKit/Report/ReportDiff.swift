import Foundation

/// What changed between two JSON reports (`initlens diff OLD.json NEW.json`), for example two fleet
/// reports before and after an AMI roll-out: root causes, incident kinds and unmatched-line templates
/// that are new, gone, or changed in frequency, and the change in the totals.
///
/// Both reports are read tolerantly (``ReportDiff/Input``, through the report's wire keys): only the
/// fields needed here, so reports of older versions (without `unmatched`, say) and single-instance
/// reports load too. Frequencies are
/// always counted from `hosts[]` (what the `fleet` section is computed from), so a fleet report and a
/// single-instance report compare alike.
///
/// An entry is **changed** when its number of hosts, boots or lines differs, or when its share of the
/// hosts moved by at least ``ReportDiff/shareThreshold`` (one percentage point: the same number of
/// hosts in a fleet that grew). New entries are sorted by hosts in the new report, gone ones by hosts in
/// the old one, changed ones by the size of the change (share, then hosts, boots, lines), ties by id.
/// docs/OUTPUT.md describes the JSON shape.
public struct ReportDiff: Codable, Sendable, Equatable {
  public var schemaVersion = 1
  public var old: Totals
  public var new: Totals
  /// new − old for each total.
  public var delta: Totals
  public var rootCauses: Changes
  public var incidents: Changes
  public var unmatched: Changes
  /// p50 and p90 of each stage and step compared, when both reports are fleet reports with a
  /// `fleet.bootTime` (``BootTimeDiff``); absent otherwise.
  public var bootTime: BootTimeDiff? = nil

  /// A change of the share of hosts smaller than this (and nothing else changed) is not a change.
  public static let shareThreshold = 0.01

  public struct Totals: Codable, Sendable, Equatable {
    /// The report's file name as given (absent in `delta`).
    public var file: String?
    public var hosts: Int
    public var boots: Int
    public var incidents: Int
    public var rootCauses: Int
    /// Hosts with a root cause or an incident at warning or above.
    public var affectedHosts: Int
    /// Templates in the report's `unmatched` list (0 when it has none).
    public var unmatchedTemplates: Int
  }

  public struct Changes: Codable, Sendable, Equatable {
    public var new: [Entry] = []
    public var gone: [Entry] = []
    public var changed: [Entry] = []
    public var isEmpty: Bool { new.isEmpty && gone.isEmpty && changed.isEmpty }
  }

  public struct Entry: Codable, Sendable, Equatable {
    /// Root-cause id, incident kind, or unmatched template id.
    public var id: String
    /// Title (root causes, incidents) or the template (unmatched lines).
    public var title: String
    public var severity: Severity?
    /// An incident kind's family (the contract kind it refines); nil for root causes and templates.
    public var family: String? = nil
    public var old: Frequency?
    public var new: Frequency?
    /// new − old (a missing side counts as zero).
    public var delta: Frequency

    enum CodingKeys: String, CodingKey { case id, title, severity, family, old, new, delta }
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encodeIfPresent(family, forKey: .family)
      try c.encode(title, forKey: .title)
      try c.encode(severity, forKey: .severity)
      try c.encode(old, forKey: .old)
      try c.encode(new, forKey: .new)
      try c.encode(delta, forKey: .delta)
    }
  }

  public struct Frequency: Codable, Sendable, Equatable {
    public var hosts: Int
    public var boots: Int
    /// Lines (incidents: their `count`s summed; unmatched: the template's `count`; root causes: occurrences).
    public var count: Int
    /// hosts ÷ the report's hosts, rounded to 4 decimals.
    public var share: Double
  }

  /// Compares two reports; `oldName` and `newName` are only recorded.
  public init(old: Input, new: Input, oldName: String? = nil, newName: String? = nil) {
    let a = Aggregate(old)
    let b = Aggregate(new)
    self.old = a.totals(file: oldName)
    self.new = b.totals(file: newName)
    delta = Totals(
      file: nil, hosts: b.hosts - a.hosts, boots: b.boots - a.boots, incidents: b.incidents - a.incidents,
      rootCauses: b.rootCauses - a.rootCauses, affectedHosts: b.affected - a.affected,
      unmatchedTemplates: b.unmatched.count - a.unmatched.count)
    rootCauses = Self.compare(a, b, \.causeGroups)
    incidents = Self.compare(a, b, \.kinds)
    unmatched = Self.compare(a, b, \.unmatched, unmatched: true)
    if let x = old.fleet?.bootTime, let y = new.fleet?.bootTime { bootTime = BootTimeDiff(old: x, new: y) }
  }

  /// Reads a JSON report from `data`; errors carry a one-line message.
  public static func load(_ data: Data) throws(LoadError) -> Input {
    do {
      return try JSONDecoder().decode(Input.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      let path = (context.codingPath + [key]).map(Self.pathComponent).joined(separator: ".")
      throw LoadError(message: "not an initlens JSON report: no \"\(path)\"")
    } catch let DecodingError.typeMismatch(_, context) {
      let path = context.codingPath.map(Self.pathComponent).joined(separator: ".")
      throw LoadError(message: "not an initlens JSON report: unexpected type at \"\(path)\"")
    } catch let DecodingError.valueNotFound(_, context) {
      let path = context.codingPath.map(Self.pathComponent).joined(separator: ".")
      throw LoadError(message: "not an initlens JSON report: null at \"\(path)\"")
    } catch {
      throw LoadError(message: "not valid JSON")
    }
  }

  /// `hosts.0.host`, not `hosts.Index 0.host`.
  static func pathComponent(_ key: CodingKey) -> String { key.intValue.map(String.init) ?? key.stringValue }

  public struct LoadError: Error, Sendable, Equatable {
    public var message: String
  }

  // MARK: - Counting

  struct Group {
    var title = ""
    var family: String?
    var severity: Severity?
    var hosts = Set<String>()
    var boots = 0
    var count = 0
  }

  struct Aggregate {
    var hosts = 0
    var boots = 0
    var incidents = 0
    var rootCauses = 0
    var affected = 0
    var kinds: [String: Group] = [:]
    var causeGroups: [String: Group] = [:]
    var unmatched: [String: Group] = [:]
    var unmatchedHosts: [String: Int] = [:]

    init(_ input: Input) {
      var names = Set<String>()
      for host in input.hosts {
        names.insert(host.host)
        var affectedHost = false
        for boot in host.boots {
          boots += 1
          var kindsInBoot = Set<String>()
          for i in boot.incidents {
            incidents += 1
            let severity = i.severity.flatMap(Severity.init(rawValue:))
            if let severity, severity >= .warning { affectedHost = true }
            var g = kinds[i.kind] ?? Group()
            let family = i.family ?? Families.fallback(kind: i.kind)
            g.family = min(g.family ?? family, family)
            if let t = i.title, g.title.isEmpty || t < g.title { g.title = t }
            if let severity { g.severity = max(g.severity ?? severity, severity) }
            g.hosts.insert(host.host)
            if kindsInBoot.insert(i.kind).inserted { g.boots += 1 }
            g.count += i.count ?? 1
            kinds[i.kind] = g
          }
          var causesInBoot = Set<String>()
          for c in boot.rootCauses ?? [] {
            rootCauses += 1
            affectedHost = true
            var g = causeGroups[c.id] ?? Group()
            if let t = c.title, g.title.isEmpty || t < g.title { g.title = t }
            let causeSeverity = boot.incidents.filter { $0.kind == c.cause }
              .compactMap { $0.severity.flatMap(Severity.init(rawValue:)) }.max()
            if let s = causeSeverity { g.severity = max(g.severity ?? s, s) }
            g.hosts.insert(host.host)
            if causesInBoot.insert(c.id).inserted { g.boots += 1 }
            g.count += 1
            causeGroups[c.id] = g
          }
        }
        if affectedHost { affected += 1 }
      }
      hosts = names.count
      for u in input.unmatched ?? [] {
        guard let id = u.id ?? u.template else { continue }
        var g = unmatched[id] ?? Group()
        g.title = u.template ?? id
        g.boots += u.boots ?? 0
        g.count += u.count ?? 0
        unmatched[id] = g
        unmatchedHosts[id, default: 0] += u.hosts ?? 0
      }
    }

    func totals(file: String?) -> Totals {
      Totals(
        file: file, hosts: hosts, boots: boots, incidents: incidents, rootCauses: rootCauses,
        affectedHosts: affected, unmatchedTemplates: unmatched.count)
    }

    func frequency(_ g: Group, id: String, unmatched isUnmatched: Bool) -> Frequency {
      let h = isUnmatched ? unmatchedHosts[id] ?? 0 : g.hosts.count
      return Frequency(hosts: h, boots: g.boots, count: g.count, share: ReportDiff.share(h, of: hosts))
    }
  }

  static func share(_ n: Int, of total: Int) -> Double {
    total == 0 ? 0 : (Double(n) / Double(total) * 10000).rounded() / 10000
  }

  static func compare(
    _ a: Aggregate, _ b: Aggregate, _ pick: KeyPath<Aggregate, [String: Group]>, unmatched isUnmatched: Bool = false
  ) -> Changes {
    let old = a[keyPath: pick]
    let new = b[keyPath: pick]
    var changes = Changes()
    for id in Set(old.keys).union(new.keys) {
      let o = old[id].map { a.frequency($0, id: id, unmatched: isUnmatched) }
      let n = new[id].map { b.frequency($0, id: id, unmatched: isUnmatched) }
      let zero = Frequency(hosts: 0, boots: 0, count: 0, share: 0)
      let oo = o ?? zero
      let nn = n ?? zero
      let d = Frequency(
        hosts: nn.hosts - oo.hosts, boots: nn.boots - oo.boots, count: nn.count - oo.count,
        share: ((nn.share - oo.share) * 10000).rounded() / 10000)
      let title = new[id]?.title ?? old[id]?.title ?? id
      let severity = new[id]?.severity ?? old[id]?.severity
      let family = new[id]?.family ?? old[id]?.family
      let entry = Entry(id: id, title: title, severity: severity, family: family, old: o, new: n, delta: d)
      if o == nil {
        changes.new.append(entry)
      } else if n == nil {
        changes.gone.append(entry)
      } else if d.hosts != 0 || d.boots != 0 || d.count != 0 || abs(d.share) >= shareThreshold - 1e-9 {
        changes.changed.append(entry)
      }
    }
    changes.new.sort { ($1.new!.hosts, $1.new!.boots, $0.id) < ($0.new!.hosts, $0.new!.boots, $1.id) }
    changes.gone.sort { ($1.old!.hosts, $1.old!.boots, $0.id) < ($0.old!.hosts, $0.old!.boots, $1.id) }
    changes.changed.sort { x, y in
      let kx = (abs(x.delta.share), abs(x.delta.hosts), abs(x.delta.boots), abs(x.delta.count))
      let ky = (abs(y.delta.share), abs(y.delta.hosts), abs(y.delta.boots), abs(y.delta.count))
      return kx != ky ? kx > ky : x.id < y.id
    }
    return changes
  }
}
