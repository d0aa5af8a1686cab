/// Stage timings of one boot, as `cloud-init analyze show` computes them (docs: FORMATS §1.4), with
/// wall-clock steps corrected (see ``ClockCorrection``).
///
/// analyze's pairing (`cloudinit/analyze/show.py` `generate_records`), reproduced here:
/// - events are taken in **file order** (analyze sorts a copy by time and never uses it);
/// - a `start` whose next event is a `finish` of the same name is a **leaf** (`|`->…` line);
///   a `start` whose next event has another name is a **parent** (`Starting stage:`) and is pushed on a
///   stack; a `start` followed by a `start` of the same name is dropped;
/// - every `finish` (a leaf's too) is compared with the top of the stack: same name → the parent ends
///   (`Finished stage:`) and its duration is added to **Total Time**; another name → nothing happens;
/// - the record's first `start` sets its start time; `@` (elapsed) is a leaf's start minus that time;
/// - a `start` named `init-local` begins a new boot record once the current record has printed anything;
///   the stack is **not** reset between records.
///
/// Total Time is therefore the sum of the durations of every parent that was closed by its finish. In real
/// logs the only parents are the four stages (`init-local`, `init-network`, `modules-config`,
/// `modules-final`), so it is the sum of the top-level stage durations, and gaps between stages are not
/// counted. A nested parent (a sub-step whose next event is not its own finish) is counted as well, like
/// analyze does. Leaves are never counted.
public struct StageTimeline: Sendable, Equatable {
  /// A stage or sub-step. Leaves have no children.
  public struct Stage: Sendable, Equatable {
    public var name: String
    /// The finish's description when finished (what analyze prints for a leaf), else the start's.
    public var description: String
    /// µs UTC, after clock-step correction (equal to the log's stamps when the clock did not step).
    public var start: Int64
    public var end: Int64?
    /// end − start, never negative; nil for a parent that never finished (boot cut short).
    public var durationSeconds: Double?
    /// start − the record's start: analyze's `@` value.
    public var elapsedSeconds: Double
    public var result: String?
    /// analyze printed it as a `|`->` line (start immediately followed by its finish).
    public var isLeaf: Bool
    /// A wall-clock step happened between this stage's start and finish; its duration is corrected.
    public var clockStepped: Bool
    /// Line numbers of the start and finish events.
    public var startLine: Int
    public var endLine: Int?
    public var children: [Stage]
  }

  /// A gap between two consecutive timing points (events or anchors) that was corrected.
  public struct ClockStep: Sendable, Equatable {
    /// The line of the later point: the step happened between it and the point before.
    public var line: Int
    /// The gap as the wall clock shows it, µs (negative for a backward step).
    public var observed: Int64
    /// The gap used instead, µs (≥ 0).
    public var corrected: Int64
    /// Corrected from monotonic anchors; false when only clamped to zero.
    public var anchored: Bool
  }

  /// Top-level stages and steps, in file order.
  public var stages: [Stage]
  /// analyze's `Total Time`, from corrected durations.
  public var totalSeconds: Double
  /// The record's start (first `start` event), µs UTC, corrected; nil when the record has no start.
  public var start: Int64?
  public var clockSteps: [ClockStep]
  public var clockStepped: Bool { !clockSteps.isEmpty }

  /// A wall-clock step smaller than this is not looked for between anchors (it is still clamped when it
  /// makes time run backwards). 1.5 s: a banner's wall time is known to within 1 s (see
  /// ``MonotonicAnchor/wallTime``) and its uptime to 10 ms.
  public static let defaultStepTolerance: Int64 = 1_500_000

  /// The timeline of ONE boot record: `events` in file order, not split (use ``timelines(_:anchors:stepTolerance:)``
  /// or ``boots(_:)`` for a whole file). `anchors`: the banners' monotonic anchors within the boot, in any
  /// order; anchors outside the events' line range are ignored. With no anchors, backward steps are clamped.
  public init(
    events: [CloudInitEvent], anchors: [MonotonicAnchor] = [], stepTolerance: Int64 = defaultStepTolerance
  ) {
    var pairing = Pairing()
    pairing.run(events, split: false)
    let last = events.last?.origin ?? Int.max
    self = pairing.timeline(0, events, anchors: anchors, lastLine: last, tolerance: stepTolerance)
  }

  init(stages: [Stage], totalSeconds: Double, start: Int64?, clockSteps: [ClockStep]) {
    self.stages = stages
    self.totalSeconds = totalSeconds
    self.start = start
    self.clockSteps = clockSteps
  }

  /// All boot records of a file, exactly as `analyze show` splits and pairs them (including the stack
  /// carried from one record to the next). `anchors` are assigned to records by line number.
  public static func timelines(
    _ events: [CloudInitEvent], anchors: [MonotonicAnchor] = [], stepTolerance: Int64 = defaultStepTolerance
  ) -> [StageTimeline] {
    var pairing = Pairing()
    pairing.run(events, split: true)
    var out: [StageTimeline] = []
    out.reserveCapacity(pairing.recordStarts.count)
    for r in pairing.recordStarts.indices {
      let next = r + 1 < pairing.recordStarts.count ? events[pairing.recordStarts[r + 1]].origin - 1 : Int.max
      out.append(pairing.timeline(r, events, anchors: anchors, lastLine: next, tolerance: stepTolerance))
    }
    return out
  }

  /// Splits a whole file's events into boot records the way analyze does: a `start` named `init-local`
  /// begins a new record when the current one is not empty (has printed a line, which every real
  /// record's first banner does). An empty input gives one empty record, as analyze prints one.
  public static func boots(_ events: [CloudInitEvent]) -> [[CloudInitEvent]] {
    var pairing = Pairing()
    pairing.run(events, split: true)
    var out: [[CloudInitEvent]] = []
    for (r, lo) in pairing.recordStarts.enumerated() {
      let hi = r + 1 < pairing.recordStarts.count ? pairing.recordStarts[r + 1] : events.count
      out.append(Array(events[lo..<hi]))
    }
    return out
  }
}

/// analyze's pairing pass over event indices; times come later, per record, after clock correction.
struct Pairing {
  struct Node {
    var start: Int
    var finish: Int?
    var parent: Int?
    var record: Int
    var leaf: Bool
  }

  var nodes: [Node] = []
  /// Event index where each record begins.
  var recordStarts: [Int] = [0]
  /// Per record: the event index of its first start.
  var firstStart: [Int?] = [nil]
  /// Per record, in finish order: parents closed by a finish (node, finish event index).
  var closed: [[(node: Int, finish: Int)]] = [[]]

  mutating func run(_ events: [CloudInitEvent], split: Bool) {
    nodes.reserveCapacity(events.count / 2 + 1)
    var stack: [Int] = []
    var printed = false  // analyze's `records` list is non-empty
    var record = 0
    for i in events.indices {
      let e = events[i]
      if e.type == .start {
        if split, printed, e.name == "init-local" {
          record += 1
          recordStarts.append(i)
          firstStart.append(nil)
          closed.append([])
          printed = false
        }
        if firstStart[record] == nil { firstStart[record] = i }
        // A parent left open by an earlier record stays on analyze's stack but is not in this tree.
        let parent = stack.last.flatMap { nodes[$0].record == record ? $0 : nil }
        if i + 1 < events.count, events[i + 1].name == e.name {
          if events[i + 1].type == .finish {
            nodes.append(Node(start: i, finish: i + 1, parent: parent, record: record, leaf: true))
            printed = true
          }
        } else {
          nodes.append(Node(start: i, finish: nil, parent: parent, record: record, leaf: false))
          stack.append(nodes.count - 1)
          printed = true
        }
      } else if let top = stack.last, events[nodes[top].start].name == e.name {
        // analyze crashes (pop from an empty list) on a finish with an empty stack; it is ignored here.
        stack.removeLast()
        if nodes[top].record == record { nodes[top].finish = i }
        closed[record].append((top, i))
        printed = true
      }
    }
  }

  /// Builds record `r`'s timeline. `lastLine`: the last line that belongs to the record (for anchors).
  func timeline(
    _ r: Int, _ events: [CloudInitEvent], anchors: [MonotonicAnchor], lastLine: Int, tolerance: Int64
  ) -> StageTimeline {
    let lo = recordStarts[r]
    let hi = r + 1 < recordStarts.count ? recordStarts[r + 1] : events.count
    guard lo < hi else { return StageTimeline(stages: [], totalSeconds: 0, start: nil, clockSteps: []) }
    let firstLine = events[lo].origin
    let upper = min(lastLine, events[hi - 1].origin)
    let inRecord = anchors.filter { $0.line >= firstLine && $0.line <= upper }.sorted { $0.line < $1.line }
    let clock = ClockCorrection(events: events[lo..<hi], anchors: inRecord, tolerance: tolerance)
    @inline(__always) func time(_ i: Int) -> Int64 { clock.eventTimes[i - lo] }
    @inline(__always) func stepped(_ a: Int, _ b: Int) -> Bool { clock.stepped(between: a - lo, and: b - lo) }

    let recordStart = firstStart[r].map(time)
    var children: [Int: [Int]] = [:]
    var top: [Int] = []
    for k in nodes.indices where nodes[k].record == r {
      if let p = nodes[k].parent { children[p, default: []].append(k) } else { top.append(k) }
    }

    func duration(_ node: Node, _ f: Int) -> Double {
      if stepped(node.start, f), let reported = events[f].reportedDuration {
        return Double(reported) / 1e6  // 26.1+: cloud-init's own monotonic measurement
      }
      return Double(time(f) - time(node.start)) / 1e6
    }

    func stage(_ k: Int) -> StageTimeline.Stage {
      let node = nodes[k]
      let s = events[node.start]
      let start = time(node.start)
      var out = StageTimeline.Stage(
        name: s.name, description: s.description, start: start, end: nil, durationSeconds: nil,
        elapsedSeconds: Double(start - (recordStart ?? start)) / 1e6, result: nil, isLeaf: node.leaf,
        clockStepped: false, startLine: s.origin, endLine: nil, children: [])
      if let f = node.finish {
        let fe = events[f]
        out.end = time(f)
        out.durationSeconds = duration(node, f)
        out.result = fe.result
        out.description = fe.description
        out.endLine = fe.origin
        out.clockStepped = stepped(node.start, f)
      }
      out.children = (children[k] ?? []).map(stage)
      return out
    }

    var total = 0.0
    for (k, f) in closed[r] {
      let node = nodes[k]
      if node.record == r {
        total += duration(node, f)
      } else {
        // A parent opened in an earlier boot, closed here: analyze adds the raw difference.
        total += Double(events[f].time - events[node.start].time) / 1e6
      }
    }
    return StageTimeline(stages: top.map(stage), totalSeconds: total, start: recordStart, clockSteps: clock.steps)
  }
}
