/// A fleet report's ROOT CAUSE or INCIDENT table for a person, at most `width` columns: the group,
/// its hosts and boots, when it was first and last seen, and under each row the versions of its
/// affected hosts, wrapped between versions. Narrower, the times lose their year and milliseconds
/// (`06-03 20:04:37`, UTC), then LAST SEEN goes, then FIRST SEEN; a label too long is cut.
struct FleetTable {
  let title: String
  let groups: [FleetGroup]
  let width: Int

  /// How the FIRST SEEN and LAST SEEN columns are shown.
  enum Seen {
    case full, short, firstOnly, none
    var columns: Int {
      switch self {
      case .full: return 2 + 24 + 1 + 24
      case .short: return 2 + 14 + 1 + 14
      case .firstOnly: return 2 + 14
      case .none: return 0
      }
    }
  }

  /// `network-unreachable (imds-unreachable)`: an incident kind with the family it refines.
  static func label(_ g: FleetGroup) -> String { g.family.map { $0 == g.id ? g.id : "\(g.id) (\($0))" } ?? g.id }

  func render() -> String {
    guard !groups.isEmpty else { return TextLayout.cut("\(title): none", width) + "\n" }
    let counts = 14
    let w = min(max(34, (groups.map { Self.label($0).count }.max() ?? 0) + 1), width - counts)
    let seen = [Seen.full, .short, .firstOnly].first { w + counts + $0.columns <= width } ?? .none
    var out = title.padding(w) + " \("HOSTS".leftPad(6)) \("BOOTS".leftPad(6))"
    switch seen {
    case .full: out += "  \("FIRST SEEN".padding(24)) LAST SEEN"
    case .short: out += "  \("FIRST SEEN".padding(14)) LAST SEEN"
    case .firstOnly: out += "  FIRST SEEN"
    case .none: break
    }
    out += "\n"
    for g in groups {
      out +=
        TextLayout.cut(Self.label(g), w - 1).padding(w) + " \(String(g.hosts).leftPad(6)) \(String(g.boots).leftPad(6))"
      switch seen {
      case .full:
        out += "  \(Self.time(g.firstSeen).padding(24)) \(Self.time(g.lastSeen))"
      case .short:
        out += "  \(Self.short(g.firstSeen).padding(14)) \(Self.short(g.lastSeen))"
      case .firstOnly:
        out += "  \(Self.short(g.firstSeen))"
      case .none: break
      }
      out += "\n"
      let versions = g.versions.sorted { $0.key < $1.key }.flatMap { component, byVersion in
        byVersion.sorted { $0.key < $1.key }.map { "\(component) \($0.key) ×\($0.value)" }
      }
      if !versions.isEmpty {
        out += TextLayout.list(versions, first: "  versions: ", rest: 12, width: width)
          .map { $0 + "\n" }.joined()
      }
    }
    return out
  }

  static func time(_ t: Int64?) -> String { t.map(Timestamp.iso) ?? "-" }

  /// `06-03 20:04:37`: month, day and time of day (UTC) of `2025-06-03T20:04:37.740Z`.
  static func short(_ t: Int64?) -> String {
    guard let t else { return "-" }
    let iso = Array(Timestamp.iso(t))
    guard iso.count >= 19 else { return String(iso) }
    return String(iso[5..<10]) + " " + String(iso[11..<19])
  }
}
