// What `initlens diff` reads of a report: the fields it compares, under the keys of the report's wire
// format (the `Key` lists beside each type's writing), each but the names optional, so a report of an
// older version, or one cut down by hand, still loads.

extension ReportDiff {
  /// The fields of a JSON report that a diff reads; everything else is ignored.
  public struct Input: Decodable, Sendable {
    public var summary: InputSummary
    public var hosts: [Host]
    /// Top-level `unmatched` templates; nil in reports written before it existed.
    public var unmatched: [Unmatched]?

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: Report.Key.self)
      summary = try c.decode(InputSummary.self, forKey: .summary)
      hosts = try c.decode([Host].self, forKey: .hosts)
      unmatched = try c.decodeIfPresent([Unmatched].self, forKey: .unmatched)
      fleet = try c.decodeIfPresent(Fleet.self, forKey: .fleet)
    }

    /// Of a fleet report's `fleet` section, only its boot-time profile (nil when absent: a report of
    /// one instance, or written before the profile existed).
    public var fleet: Fleet?

    public struct Fleet: Decodable, Sendable {
      public var bootTime: [BootTimeMetric]?
      public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FleetSection.Key.self)
        bootTime = try c.decodeIfPresent([BootTimeMetric].self, forKey: .bootTime)
      }
    }

    public struct InputSummary: Decodable, Sendable {
      public var hosts: Int?
      public init(from decoder: Decoder) throws {
        hosts = try decoder.container(keyedBy: Summary.Key.self).decodeIfPresent(Int.self, forKey: .hosts)
      }
    }

    public struct Host: Decodable, Sendable {
      public var host: String
      public var boots: [Boot]
      public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: HostReport.Key.self)
        host = try c.decode(String.self, forKey: .host)
        boots = try c.decode([Boot].self, forKey: .boots)
      }
    }

    public struct Boot: Decodable, Sendable {
      public var boot: String
      public var incidents: [Incident]
      public var rootCauses: [Cause]?
      public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: BootReport.Key.self)
        boot = try c.decode(String.self, forKey: .boot)
        incidents = try c.decode([Incident].self, forKey: .incidents)
        rootCauses = try c.decodeIfPresent([Cause].self, forKey: .rootCauses)
      }
    }

    public struct Incident: Decodable, Sendable {
      public var kind: String
      public var title: String?
      /// Kept as text: a severity this version does not know still loads.
      public var severity: String?
      public var count: Int?
      /// Absent in reports written before families existed.
      public var family: String?
      public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: InitLensKit.Incident.Key.self)
        kind = try c.decode(String.self, forKey: .kind)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        severity = try c.decodeIfPresent(String.self, forKey: .severity)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        family = try c.decodeIfPresent(String.self, forKey: .family)
      }
    }

    public struct Cause: Decodable, Sendable {
      public var id: String
      public var title: String?
      public var cause: String?
      public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: RootCause.Key.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        cause = try c.decodeIfPresent(String.self, forKey: .cause)
      }
    }

    public struct Unmatched: Decodable, Sendable {
      public var id: String?
      public var template: String?
      public var hosts: Int?
      public var boots: Int?
      public var count: Int?
      public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: UnmatchedTemplate.Key.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        template = try c.decodeIfPresent(String.self, forKey: .template)
        hosts = try c.decodeIfPresent(Int.self, forKey: .hosts)
        boots = try c.decodeIfPresent(Int.self, forKey: .boots)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
      }
    }
  }
}
