/// A boot still being read, as a live tick sees it (`watch`): the builder's segment turned into what the
/// correlator and the completion check need, so `LiveWatch` never reaches into the builder's state.
struct OpenBoot {
  let segment: Int
  let host: String
  /// The host as its lines name it ("" when they name none), before redaction.
  let hostKey: String
  let boot: String
  /// Its incidents so far, by kind.
  let incidents: [Incident]
  let facts: Correlator.BootFacts
  /// cloud-init's modules-final finished (cloud-init.log's finish event, or the journal's "finished at").
  let cloudInitFinished: Bool
  /// When it finished, where the line says.
  let cloudInitFinishedAt: Int64?
  let ecsRegistered: Bool
}

extension BootBuilder {
  /// The boots still open: those of `segments`, or every live one.
  func openBoots(_ segments: [Int]? = nil) -> [OpenBoot] {
    let ids = segments ?? self.segments.keys.sorted()
    return ids.compactMap { id in
      guard let seg = self.segments[id] else { return nil }
      let byKind = accumulators[id] ?? [:]
      let (host, boot) = liveNames[id] ?? currentNames(seg)
      let finishes: [Int64?] =
        seg.stageEvents.filter { $0.type == .finish && $0.name == "modules-final" }.map { $0.time }
        + seg.events.filter { $0.kind == "cloud-init-finished" }.map(\.time)
      return OpenBoot(
        segment: id, host: host, hostKey: seg.host ?? "", boot: boot,
        incidents: byKind.keys.sorted().map { assembler.incident(byKind[$0]!) },
        facts: Correlator.BootFacts(start: seg.start, versions: seg.versions, facts: [:]),
        cloudInitFinished: !finishes.isEmpty, cloudInitFinishedAt: finishes.compactMap { $0 }.min(),
        ecsRegistered: seg.events.contains { $0.kind == "ecs-registered" })
    }
  }

  /// Whether the segment has incidents yet (a live tick looks only at those).
  func hasIncidents(_ segment: Int) -> Bool { accumulators[segment] != nil }

  /// The host and boot a live line names a segment by: fixed the first time it is asked, so a boot
  /// keeps one name for the whole stream (its start moves earlier as lines with an uptime are read).
  func names(_ seg: Segment) -> (host: String, boot: String) {
    if let pinned = liveNames[seg.id] { return pinned }
    let names = currentNames(seg)
    liveNames[seg.id] = names
    return names
  }

  /// The names as the segment stands now (not fixed: a boot without a live line yet).
  func currentNames(_ seg: Segment) -> (host: String, boot: String) {
    let host = redactor.redact(seg.host ?? defaultHost)
    return (host, seg.bootID ?? seg.start.map(Timestamp.iso) ?? "unknown")
  }

  /// The log's clock: the latest stamp of a line examined.
  var logClock: Int64 { retired.clock }
}
