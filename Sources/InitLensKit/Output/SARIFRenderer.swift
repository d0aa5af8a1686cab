import Foundation

/// SARIF 2.1.0 (`--format sarif`), for code-scanning dashboards and other SARIF viewers.
///
/// One run; `tool.driver.rules` holds one reporting descriptor per rule that produced an incident and one
/// per root-cause chain found (id, name = incident kind, title, fix as help, first reference as helpUri,
/// kind and severity in properties). `results` holds one result per incident, then one per root cause,
/// each located at its first evidence line (`artifactLocation.uri` + `region.startLine`, the log line as
/// the snippet), further evidence lines as related locations, and host, boot, kind, count, first, last
/// and rootCause in its properties. Everything is in report order, so the output is deterministic.
///
/// Evidence files become URI references: relative paths stay relative (percent-encoded, so a `:` is
/// never read as a scheme), absolute paths become `file://` URIs, `<stdin>` becomes `stdin`, and a
/// member of a bundle archive (`bundle.tar.gz:dir/file.log`) is a nested artifact: its location is the
/// member path, with `index` pointing into `run.artifacts`, where its `parentIndex` names the archive.
public struct SARIFRenderer {
  /// `tool.driver.version`.
  public var toolVersion: String
  /// `tool.driver.informationUri`, left out when nil.
  public var informationUri: String?

  public init(toolVersion: String, informationUri: String? = nil) {
    self.toolVersion = toolVersion
    self.informationUri = informationUri
  }

  public static let schemaURI =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

  /// The SARIF log as pretty-printed JSON with sorted keys, ending in a newline.
  public func render(_ report: Report) -> String { JSONRenderer.render(log(report)) }

  /// The SARIF log as values.
  func log(_ report: Report) -> Log {
    var artifacts = ArtifactTable()
    var rules: [ReportingDescriptor] = []
    var ruleIndex: [String: Int] = [:]
    var results: [Result] = []

    // Rule ids of incidents, so that a root-cause chain with the same id gets a distinct descriptor.
    let incidentRuleIDs = Set(report.hosts.flatMap { $0.boots.flatMap { $0.incidents.map(\.rule) } })

    for host in report.hosts {
      for boot in host.boots {
        for incident in boot.incidents {
          let index: Int
          if let known = ruleIndex[incident.rule] {
            index = known
          } else {
            index = rules.count
            ruleIndex[incident.rule] = index
            rules.append(Self.descriptor(for: incident))
          }
          let (location, related) = artifacts.locations(incident.evidence)
          results.append(
            Result(
              ruleId: incident.rule, ruleIndex: index, level: Self.level(incident.severity),
              message: Message(text: Self.message(incident)),
              locations: location.map { [$0] }, relatedLocations: related.isEmpty ? nil : related,
              properties: .init([
                "host": .string(host.host), "boot": .string(boot.boot), "kind": .string(incident.kind),
                "family": .string(incident.familyName), "severity": .string(incident.severity.rawValue),
                "count": .int(incident.count),
                "first": incident.first.map { .string(Timestamp.iso($0)) } ?? .null,
                "last": incident.last.map { .string(Timestamp.iso($0)) } ?? .null,
                "rootCause": incident.rootCause.map(JSONScalar.string) ?? .null,
                "rules": .strings(incident.rules),
              ])))
        }
        for cause in boot.rootCauses {
          let severity = boot.incidents.filter { $0.kind == cause.cause }.map(\.severity).max() ?? .error
          let id = incidentRuleIDs.contains(cause.id) ? "root-cause/" + cause.id : cause.id
          let index: Int
          if let known = ruleIndex[id] {
            index = known
          } else {
            index = rules.count
            ruleIndex[id] = index
            rules.append(Self.descriptor(for: cause, id: id, severity: severity))
          }
          let (location, related) = artifacts.locations(cause.evidence)
          var text = cause.summary
          if let fix = cause.fixes.first { text += " Fix: " + fix }
          results.append(
            Result(
              ruleId: id, ruleIndex: index, level: Self.level(severity), message: Message(text: text),
              locations: location.map { [$0] }, relatedLocations: related.isEmpty ? nil : related,
              properties: .init([
                "host": .string(host.host), "boot": .string(boot.boot), "kind": .string("root-cause"),
                "severity": .string(severity.rawValue), "cause": .string(cause.cause),
                "symptoms": .strings(cause.symptoms.map(\.kind)), "rootCause": .string(cause.id),
              ])))
        }
      }
    }
    let driver = ToolComponent(
      name: "initlens", version: toolVersion, informationUri: informationUri, rules: rules)
    let run = Run(
      tool: Tool(driver: driver), artifacts: artifacts.list.isEmpty ? nil : artifacts.list, results: results)
    return Log(schema: Self.schemaURI, version: "2.1.0", runs: [run])
  }

  /// critical, error → `error`; warning → `warning`; info → `note`.
  public static func level(_ severity: Severity) -> String {
    switch severity {
    case .critical, .error: return "error"
    case .warning: return "warning"
    case .info: return "note"
    }
  }

  static func message(_ incident: Incident) -> String {
    let times = incident.count == 1 ? "1 line" : "\(incident.count) lines"
    var text = "\(incident.title) (\(incident.kindAndFamily), \(times))."
    if !incident.fix.isEmpty { text += " Fix: " + incident.fix }
    return text
  }

  static func descriptor(for incident: Incident) -> ReportingDescriptor {
    ReportingDescriptor(
      id: incident.rule, name: incident.kind, shortDescription: Message(text: incident.title),
      fullDescription: Message(text: incident.title + (incident.fix.isEmpty ? "" : ". Fix: " + incident.fix)),
      help: Message(text: incident.fix.isEmpty ? incident.title : incident.fix),
      helpUri: incident.references.first(where: isURI),
      defaultConfiguration: Configuration(level: level(incident.severity)),
      properties: .init([
        "kind": .string(incident.kind), "family": .string(incident.familyName),
        "severity": .string(incident.severity.rawValue), "source": .string(incident.source.rawValue),
      ]))
  }

  static func descriptor(for cause: RootCause, id: String, severity: Severity) -> ReportingDescriptor {
    let fixes = cause.fixes.enumerated().map { cause.fixes.count == 1 ? $1 : "\($0 + 1). \($1)" }
    return ReportingDescriptor(
      id: id, name: cause.id, shortDescription: Message(text: cause.title),
      fullDescription: Message(text: cause.explanation.isEmpty ? cause.title : cause.explanation),
      help: Message(text: fixes.isEmpty ? cause.title : fixes.joined(separator: "\n")),
      helpUri: cause.references.first(where: isURI),
      defaultConfiguration: Configuration(level: level(severity)),
      properties: .init([
        "kind": .string("root-cause"), "cause": .string(cause.cause), "severity": .string(severity.rawValue),
      ]))
  }

  static func isURI(_ s: String) -> Bool {
    (s.hasPrefix("https://") || s.hasPrefix("http://")) && !s.contains(where: { $0 == " " || $0.isNewline })
  }

  /// A file name as the report has it, as a URI reference (RFC 3986).
  static func uri(_ file: String) -> String {
    if file == "<stdin>" { return "stdin" }
    if file.hasPrefix("/") { return "file://" + percentEncoded(file) }
    return percentEncoded(file)
  }

  /// Every byte but unreserved characters and `/` as `%XX`.
  static func percentEncoded(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        out += "%"
        out.unicodeScalars.append(hex[Int(b >> 4)])
        out.unicodeScalars.append(hex[Int(b & 0xF)])
      }
    }
    return out
  }

  /// Splits `bundle.tar.gz:member` (how fleet runs name archive members) into archive and member.
  static func archiveMember(_ file: String) -> (archive: String, member: String)? {
    let lower = file.lowercased()
    for ext in [".tar.gz:", ".tgz:", ".tar:"] {
      guard let range = lower.range(of: ext) else { continue }
      let cut = lower.distance(from: lower.startIndex, to: range.upperBound)
      let archive = String(file.prefix(cut - 1))
      let member = String(file.dropFirst(cut))
      if !member.isEmpty { return (archive, member) }
    }
    return nil
  }

  /// `run.artifacts`, filled as locations are made: one entry per file, archive or archive member.
  struct ArtifactTable {
    var list: [Artifact] = []
    var index: [String: Int] = [:]

    /// The entry of an archive (key `archive`) or of a member in it (key `archive:member`).
    mutating func entry(_ key: String, uri: String, parent: Int?) -> Int {
      if let known = index[key] { return known }
      list.append(Artifact(location: ArtifactLocation(uri: uri, index: nil), parentIndex: parent))
      index[key] = list.count - 1
      return list.count - 1
    }

    mutating func artifactLocation(_ file: String) -> ArtifactLocation {
      if let (archive, member) = SARIFRenderer.archiveMember(file) {
        let parent = entry(archive, uri: SARIFRenderer.uri(archive), parent: nil)
        let memberURI = SARIFRenderer.percentEncoded(member)
        let i = entry(file, uri: memberURI, parent: parent)
        return ArtifactLocation(uri: memberURI, index: i)
      }
      let uri = SARIFRenderer.uri(file)
      return ArtifactLocation(uri: uri, index: entry(file, uri: uri, parent: nil))
    }

    /// The first evidence line as the location, the others as related locations (ids from 1).
    mutating func locations(_ evidence: [Evidence]) -> (Location?, [Location]) {
      var all: [Location] = []
      for (n, e) in evidence.enumerated() {
        all.append(
          Location(
            id: n == 0 ? nil : n,
            physicalLocation: PhysicalLocation(
              artifactLocation: artifactLocation(e.file),
              region: Region(startLine: max(1, e.line), snippet: Message(text: e.text))),
            message: n == 0 ? nil : Message(text: "evidence \(n + 1) of \(evidence.count)")))
      }
      guard let first = all.first else { return (nil, []) }
      return (first, Array(all.dropFirst()))
    }
  }
}

// MARK: - SARIF values (only what initlens writes)

extension SARIFRenderer {
  struct Log: Encodable, Sendable {
    var schema: String
    var version: String
    var runs: [Run]
    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  struct Run: Encodable, Sendable {
    var tool: Tool
    var artifacts: [Artifact]?
    var results: [Result]
  }

  struct Tool: Encodable, Sendable {
    var driver: ToolComponent
  }

  struct ToolComponent: Encodable, Sendable {
    var name: String
    var version: String
    var informationUri: String?
    var rules: [ReportingDescriptor]
  }

  struct ReportingDescriptor: Encodable, Sendable {
    var id: String
    var name: String
    var shortDescription: Message
    var fullDescription: Message
    var help: Message
    var helpUri: String?
    var defaultConfiguration: Configuration
    var properties: PropertyBag
  }

  struct Configuration: Encodable, Sendable {
    var level: String
  }

  struct Message: Encodable, Sendable {
    var text: String
  }

  struct Result: Encodable, Sendable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: Message
    var locations: [Location]?
    var relatedLocations: [Location]?
    var properties: PropertyBag
  }

  struct Location: Encodable, Sendable {
    var id: Int?
    var physicalLocation: PhysicalLocation
    var message: Message?
  }

  struct PhysicalLocation: Encodable, Sendable {
    var artifactLocation: ArtifactLocation
    var region: Region
  }

  struct ArtifactLocation: Encodable, Sendable {
    var uri: String
    var index: Int?
  }

  struct Region: Encodable, Sendable {
    var startLine: Int
    var snippet: Message
  }

  struct Artifact: Encodable, Sendable {
    var location: ArtifactLocation
    var parentIndex: Int?
  }

  /// A SARIF property bag: string keys to JSON scalars (or string lists).
  struct PropertyBag: Encodable, Sendable {
    var values: [String: JSONScalar]
    init(_ values: [String: JSONScalar]) { self.values = values }
    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: Key.self)
      for (k, v) in values { try c.encode(v, forKey: Key(k)) }
    }
    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(_ s: String) { stringValue = s }
      init?(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }
  }

  enum JSONScalar: Encodable, Sendable {
    case string(String)
    case int(Int)
    case strings([String])
    case null

    func encode(to encoder: Encoder) throws {
      var c = encoder.singleValueContainer()
      switch self {
      case .string(let s): try c.encode(s)
      case .int(let i): try c.encode(i)
      case .strings(let list): try c.encode(list)
      case .null: try c.encodeNil()
      }
    }
  }
}
