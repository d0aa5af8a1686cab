/// A run of one input's lines that belong to one host and one boot as far as that input can tell.
///
/// A segment is *anchored* when it began at a boot marker or carries a journald boot id: it is a
/// boot. Lines before any marker (an ecs-agent.log, the tail of an earlier boot) form an unanchored
/// segment whose hits are placed into the host's boots by time when the run ends.
final class Segment {
  let id: Int
  let stream: Int
  let host: String?
  let bootID: String?
  let anchored: Bool
  var markerOrder: Int
  var markerTime: Int64?
  /// When cloud-init's first stage began in this segment (its `running 'init-local'` banner): two
  /// inputs' segments with different ones are different boots, however close their kernel starts.
  var cloudInitStart: Int64?
  /// Earliest `time - monotonic` seen: the kernel start, the best boot start there is.
  var kernelStart: Int64?
  var firstTime: Int64?
  var versions: [String: String] = [:]
  /// What cloud-init's lines say of the machine (instance id, host name, distribution).
  var identity = Identity()
  /// Boot steps seen in this segment (event rules, IMDS calls), capped.
  var events: [TimelineItem] = []
  /// cloud-init `start:`/`finish:` events and banners, in file order, and the banners' clock anchors.
  var stageEvents: [CloudInitEvent] = []
  var anchors: [MonotonicAnchor] = []
  static let maxStageEvents = 20_000
  static let maxEvents = 2000

  init(id: Int, stream: Int, host: String?, bootID: String?, anchored: Bool, markerOrder: Int, markerTime: Int64?) {
    self.id = id
    self.stream = stream
    self.host = host
    self.bootID = bootID
    self.anchored = anchored
    self.markerOrder = markerOrder
    self.markerTime = markerTime
  }

  var start: Int64? { kernelStart ?? markerTime ?? firstTime }
}

/// Matches of one kind folded together: counts, time span, first captures, capped evidence.
final class Accumulator {
  let kind: String
  var rules: [Int] = []
  var count = 0
  var first: Int64?
  var last: Int64?
  var captures: [String: String] = [:]
  var evidence: [(Evidence, Int?)] = []
  /// Where the earliest match was seen (the timeline points there).
  var firstOrigin: Origin?
  /// Hashes of (time, text) of hits that carry their own time, to drop the same event seen in two
  /// inputs (cloud-init.log and the journal both hold cloud-init's warnings).
  var seen: Set<Int> = []
  static let maxSeen = 8192

  init(kind: String) { self.kind = kind }

  func add(rule: Int, time: Int64?, captures: [String: String], evidence: Evidence, dedupe: Int?, maxEvidence: Int) {
    if let dedupe {
      if seen.contains(dedupe) { return }
      if seen.count < Accumulator.maxSeen { seen.insert(dedupe) }
    }
    count += 1
    if !rules.contains(rule) { rules.append(rule) }
    if let time {
      if first == nil || time < first! {
        first = time
        firstOrigin = Origin(file: evidence.file, line: evidence.line)
      }
      if last == nil || time > last! { last = time }
    } else if firstOrigin == nil {
      firstOrigin = Origin(file: evidence.file, line: evidence.line)
    }
    for (k, v) in captures where self.captures[k] == nil { self.captures[k] = v }
    if self.evidence.count < maxEvidence { self.evidence.append((evidence, dedupe)) }
  }

  func merge(_ other: Accumulator, maxEvidence: Int) {
    for (e, hash) in other.evidence where hash == nil || !seen.contains(hash!) {
      if evidence.count < maxEvidence { evidence.append((e, hash)) }
    }
    var duplicates = 0
    for h in other.seen {
      if seen.contains(h) { duplicates += 1 } else if seen.count < Accumulator.maxSeen { seen.insert(h) }
    }
    count += other.count - duplicates
    for r in other.rules where !rules.contains(r) { rules.append(r) }
    if let f = other.first, first == nil || f < first! {
      first = f
      firstOrigin = other.firstOrigin
    }
    if let l = other.last, last == nil || l > last! { last = l }
    for (k, v) in other.captures where captures[k] == nil { captures[k] = v }
  }
}

/// A hit in an unanchored segment, kept until the host's boots are known.
struct PendingHit {
  let segment: Int
  let rule: Int
  let time: Int64?
  var captures: [String: String]
  let evidence: Evidence
  let dedupe: Int?
}

/// One step for a boot's timeline before the boot's start is known.
struct TimelineItem: Hashable {
  let time: Int64?
  let kind: String
  let summary: String
  let origin: Origin
}
