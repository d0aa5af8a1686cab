/// Removes wall-clock steps from one boot record's event times, so that no duration is negative.
///
/// cloud-init stamps its lines with the wall clock. When chrony or NTP steps that clock during boot
/// (`makestep`), `cloud-init analyze` subtracts stamps from both sides of the step and shows negative or
/// inflated durations. The rule used here:
///
/// 1. **Points.** The record's events and its monotonic anchors (banners with `Up N seconds`, see
///    ``MonotonicAnchor``) are merged in line order. File order is the order things happened, so the gap
///    between two consecutive points' line stamps is elapsed time plus any clock step in between.
/// 2. **Anchored intervals.** Between two consecutive anchors A and B (B's uptime ≥ A's), the monotonic
///    clock says `mono = up(B) − up(A)` passed; the wall clock says `wall(B) − wall(A)`. The difference
///    `Δ = wall − mono` is the net clock step inside the interval. Inside it:
///    - every negative gap is a step (time cannot run backwards); each is set to 0, except the main one;
///    - if `Δ < −tolerance`, the main step is at the most negative gap; it is assumed to be
///      `Δ − (sum of the other negative gaps)` and the gap becomes `max(0, gap − step)`;
///    - if `Δ > +tolerance`, the main step is a forward jump at the largest gap, assumed to be
///      `Δ − (sum of the negative gaps)`, and that gap becomes `max(0, gap − step)`;
///    - a step that no gap shows (no negative gap, none longer than the interval: only the anchors'
///      disagreement does) is placed at a gap
///      *between* stages (before a banner: each stage is a new process), never inside one: it moves whole
///      spans, so a stage's duration never mixes a corrected start with a raw end. Anchors whose clocks
///      disagree for another reason (a banner logged long after it read the uptime, an uptime that runs
///      at another rate) then leave every stage's own lines as they are;
///    - no gap may exceed `mono + tolerance` (a gap inside the interval cannot be longer than the interval).
/// 3. **Unanchored gaps** (no anchors, before the first or after the last anchor, or anchors whose uptime
///    goes backwards): a negative gap is clamped to 0, a lower bound; positive gaps are kept.
/// 4. **Times.** Corrected times are the running sum of corrected gaps, shifted so that the record's last
///    point keeps its logged time: times end up on the clock as corrected by chrony/NTP, the clock that
///    later logs (ECS agent) use.
///
/// Without any step every gap is kept, so times equal the logged ones to the microsecond and results
/// equal analyze's. Stages whose start–finish span contains a corrected gap are marked `clockStepped`.
struct ClockCorrection {
  /// Corrected time of each event of the record, in the record's order.
  var eventTimes: [Int64]
  var steps: [StageTimeline.ClockStep] = []
  /// Point index of each event, and for each point the number of corrected gaps up to it.
  private var eventPoint: [Int]
  private var steppedUpTo: [Int]

  init(events: ArraySlice<CloudInitEvent>, anchors: [MonotonicAnchor], tolerance: Int64) {
    // 1. Merge events and anchors by line; an anchor on an event's line is that event's point.
    var wall: [Int64] = []  // for Δ: the anchors' best wall time
    var stamp: [Int64] = []  // for gaps: the lines' own stamps
    var uptime: [Int64?] = []
    var lines: [Int] = []
    var eventPoint: [Int] = []
    // Banners: each opens a stage in a new process, so the gap before one lies between stages.
    var opens: [Bool] = []
    let capacity = events.count + anchors.count
    wall.reserveCapacity(capacity)
    stamp.reserveCapacity(capacity)
    uptime.reserveCapacity(capacity)
    lines.reserveCapacity(capacity)
    eventPoint.reserveCapacity(events.count)
    opens.reserveCapacity(capacity)
    var a = 0
    for e in events {
      while a < anchors.count, anchors[a].line < e.origin {
        wall.append(anchors[a].wallTime)
        stamp.append(anchors[a].lineTime)
        uptime.append(anchors[a].uptime)
        lines.append(anchors[a].line)
        opens.append(true)
        a += 1
      }
      var up: Int64? = nil
      var t = e.time
      while a < anchors.count, anchors[a].line == e.origin {
        up = anchors[a].uptime
        t = anchors[a].wallTime
        a += 1
      }
      eventPoint.append(wall.count)
      wall.append(t)
      stamp.append(e.time)
      uptime.append(up)
      lines.append(e.origin)
      opens.append(up != nil)
    }
    while a < anchors.count {
      wall.append(anchors[a].wallTime)
      stamp.append(anchors[a].lineTime)
      uptime.append(anchors[a].uptime)
      lines.append(anchors[a].line)
      opens.append(true)
      a += 1
    }

    let n = wall.count
    var corrected = [Int64](repeating: 0, count: n)
    var anchored = [Bool](repeating: false, count: n)
    var handled = [Bool](repeating: false, count: n)
    var gap = [Int64](repeating: 0, count: n)
    for p in 1..<max(n, 1) { gap[p] = stamp[p] &- stamp[p - 1] }
    corrected = gap

    // 2. Anchored intervals.
    var previous: Int? = nil
    for p in 0..<n where uptime[p] != nil {
      defer { previous = p }
      guard let a = previous, let ua = uptime[a], let ub = uptime[p], ub >= ua, p > a else { continue }
      let mono = ub - ua
      let delta = (wall[p] - wall[a]) - mono
      var negative: Int64 = 0
      var lowest = a + 1
      var highest = a + 1
      var lowestBetween: Int? = nil
      var highestBetween: Int? = nil
      for g in (a + 1)...p {
        handled[g] = true
        anchored[g] = true
        if gap[g] < 0 {
          corrected[g] = 0
          negative += gap[g]
        }
        if gap[g] < gap[lowest] { lowest = g }
        if gap[g] > gap[highest] { highest = g }
        if opens[g] {
          if lowestBetween.map({ gap[g] < gap[$0] }) ?? true { lowestBetween = g }
          if highestBetween.map({ gap[g] > gap[$0] }) ?? true { highestBetween = g }
        }
      }
      if delta < -tolerance {
        // A negative gap shows where the clock went back; without one, the step goes between stages.
        if let at = gap[lowest] < 0 ? lowest : lowestBetween {
          let step = delta - (negative - min(gap[at], 0))
          corrected[at] = max(0, gap[at] - step)
        }
      } else if delta > tolerance,
        // A gap longer than the whole interval shows where the clock jumped; else, between stages.
        let at = gap[highest] > mono + tolerance ? highest : highestBetween
      {
        let step = delta - negative
        corrected[at] = max(0, gap[at] - step)
      }
      for g in (a + 1)...p where corrected[g] > mono + tolerance { corrected[g] = mono + tolerance }
    }
    // 3. Unanchored gaps: clamp.
    for g in 1..<max(n, 1) where !handled[g] && gap[g] < 0 { corrected[g] = 0 }

    // 4. Running sum, aligned on the last point.
    var times = [Int64](repeating: 0, count: n)
    var steppedUpTo = [Int](repeating: 0, count: n)
    if n > 0 { times[0] = stamp[0] }
    for p in 1..<max(n, 1) {
      times[p] = times[p - 1] + corrected[p]
      steppedUpTo[p] = steppedUpTo[p - 1]
      if corrected[p] != gap[p] {
        steppedUpTo[p] += 1
        steps.append(
          StageTimeline.ClockStep(line: lines[p], observed: gap[p], corrected: corrected[p], anchored: anchored[p]))
      }
    }
    if n > 0 {
      let shift = stamp[n - 1] - times[n - 1]
      if shift != 0 { for p in 0..<n { times[p] += shift } }
    }
    self.eventTimes = eventPoint.map { times[$0] }
    self.eventPoint = eventPoint
    self.steppedUpTo = steppedUpTo
  }

  /// Whether a gap between the points of record events `a` and `b` (a before b) was corrected.
  func stepped(between a: Int, and b: Int) -> Bool {
    steppedUpTo[eventPoint[b]] != steppedUpTo[eventPoint[a]]
  }
}
