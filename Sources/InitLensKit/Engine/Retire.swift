/// Finalising quiet hosts while reading: a journal of thousands of instances keeps only the hosts it
/// is still hearing from in memory.
final class RetiredState {
  /// Up to two host keys retired (`hostKey`): enough to tell whether the inputs name exactly one host.
  var namedHosts: Set<String> = []
  /// Hosts retired, for the summary's host count (a host retired twice counts twice here; a spilled
  /// report recounts its hosts when it is written, see `BootSpill.stream`).
  var hostCount = 0
  /// What the retired boots add to the summary.
  var summary = Summary()
  /// Latest log time of an examined line, by raw host name.
  var lastSeen: [String: Int64] = [:]
  var clock = Int64.min
  /// Hosts retired since the heap was last trimmed.
  var sinceTrim = 0
  var nextCheck = Int64.min
}

extension Summary {
  /// Adds another part's boots, incidents and root causes (not lines or hosts).
  mutating func add(_ other: Summary) {
    boots += other.boots
    incidents += other.incidents
    rootCauses += other.rootCauses
    for (k, v) in other.bySeverity { bySeverity[k, default: 0] += v }
    if let h = other.highestSeverity, highestSeverity == nil || h > highestSeverity! { highestSeverity = h }
  }
}

extension BootBuilder {
  /// Advances the log clock with an examined line's time; now and then retires the quiet hosts.
  func noteClock(_ time: Int64, host: String?, _ stream: inout InputStream) {
    guard let after = options.retireAfterMicros else { return }
    if let host, time > retired.lastSeen[host] ?? Int64.min { retired.lastSeen[host] = time }
    if time > retired.clock { retired.clock = time }
    guard retired.clock >= retired.nextCheck else { return }
    retired.nextCheck = retired.clock + max(1_000_000, min(after / 4, 60_000_000))
    retireQuietHosts(before: retired.clock - after, &stream)
  }

  /// `noteClock` for a line the fast path passes over (it has the header template's host): the clock
  /// moves on as the full path moves it, the host's time waits in `templateSeen` until a check needs it.
  func notePassedClock(_ time: Int64, _ stream: inout InputStream) {
    guard let after = options.retireAfterMicros else { return }
    if stream.templateHost != nil, time > stream.templateSeen { stream.templateSeen = time }
    if time > retired.clock { retired.clock = time }
    guard retired.clock >= retired.nextCheck else { return }
    retired.nextCheck = retired.clock + max(1_000_000, min(after / 4, 60_000_000))
    retireQuietHosts(before: retired.clock - after, &stream)
  }

  /// Hands the passed-over lines' latest time to the template's host.
  func flushPassedClock(_ stream: inout InputStream) {
    guard let host = stream.templateHost, stream.templateSeen != Int64.min else { return }
    if stream.templateSeen > retired.lastSeen[host] ?? Int64.min { retired.lastSeen[host] = stream.templateSeen }
    stream.templateSeen = Int64.min
  }

  /// Finalises every named host whose latest examined line is older than `cutoff`.
  func retireQuietHosts(before cutoff: Int64, _ stream: inout InputStream) {
    guard let sink, sink.takesBootsEarly, configFacts.isEmpty else { return }
    flushPassedClock(&stream)
    let quiet = retired.lastSeen.filter { $0.value < cutoff }.map(\.key).sorted()
    for raw in quiet {
      retired.lastSeen[raw] = nil
      let ids = Set(segments.values.filter { $0.host == raw }.map(\.id))
      guard !ids.isEmpty else { continue }
      var inputs = HostInputs()
      inputs.segments = ids.sorted().map { segments[$0]! }
      inputs.pending = pending.filter { ids.contains($0.segment) }
      pending.removeAll { ids.contains($0.segment) }
      inputs.versions = pendingVersions.filter { ids.contains($0.segment) }
      pendingVersions.removeAll { ids.contains($0.segment) }
      inputs.events = pendingEvents.filter { ids.contains($0.segment) }
      pendingEvents.removeAll { ids.contains($0.segment) }
      let key = hostKey(raw, segments: Array(ids))
      let host = redactor.redact(key)
      var part = Summary()
      let boots = finishHost(host, inputs, summary: &part)
      retired.summary.add(part)
      if retired.namedHosts.count < 2 { retired.namedHosts.insert(key) }
      retired.hostCount += 1
      for id in ids {
        segments[id] = nil
        accumulators[id] = nil
        liveNames[id] = nil
      }
      stream.current[raw] = nil
      let prefix = raw + "\u{1}"
      for key in stream.jsonSegments.keys where key.hasPrefix(prefix) { stream.jsonSegments[key] = nil }
      if let last = stream.last, ids.contains(last.segment) { stream.last = nil }
      // Its lines open a new segment now: the next one is examined, and a passed-over line of it
      // kept as context went with it.
      if stream.templateHost == raw {
        stream.template = .none
        stream.templateHost = nil
        stream.contextIsNewer = false
      }
      for boot in boots { sink.boot(host: boot.host, boot.report) }
      retired.sinceTrim += 1
    }
    // Retired hosts leave holes all over the heap: hand whole free pages back now and then.
    if retired.sinceTrim >= 256 {
      retired.sinceTrim = 0
      System.trimHeap()
    }
  }
}
