import Foundation
import Testing

@testable import InitLensKit

/// Stage timings against `cloud-init analyze show` output captured from the real tool
/// (Fixtures/analyze/README.md says how).
private enum AnalyzeFixture {
  static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures/analyze")
  /// Fixtures without a clock step: initlens must agree with analyze.
  static let agreeing = [
    "ec2-full-boot", "three-boots", "scripts-user-fail", "banners-only-0.7.3", "interleaved-final-banners",
    "analyze-quirks",
  ]
  static let all = agreeing + ["clock-step-back"]

  static func text(_ file: String) throws -> String {
    try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
  }

  /// Events and anchors of a cloud-init.log, through the engine's `LineParser`.
  static func load(_ name: String) throws -> (events: [CloudInitEvent], anchors: [MonotonicAnchor]) {
    let data = try Data(contentsOf: dir.appendingPathComponent("\(name).log"))
    var parser = LineParser(year: 2025)
    var events: [CloudInitEvent] = []
    var anchors: [MonotonicAnchor] = []
    var lineNumber = 0
    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      Array(line).withUnsafeBytes { raw in
        let parsed = parser.parse(raw)
        guard let time = parsed.time, !parsed.headerless else { return }
        parsed.withInner(raw) { inner in
          let message = UnsafeRawBufferPointer(rebasing: inner[parsed.messageOffset...])
          if let e = CloudInitEvent.parse(message: message, time: time, line: lineNumber) { events.append(e) }
          if let a = MonotonicAnchor.parse(message: message, time: time, line: lineNumber) { anchors.append(a) }
        }
      }
    }
    return (events, anchors)
  }
}

/// One line of a `show` record.
private enum ShowLine: Equatable {
  case starting(String)
  /// indent = spaces between `|` and `` `-> `` (one per `/` beyond the first).
  case leaf(indent: Int, description: String, elapsed: Double, delta: Double)
  case finished(String, Double)
}

private struct ShowRecord {
  var lines: [ShowLine] = []
  var total: Double?
}

/// Parses `analyze show` text: records, their lines and Total Time, and the trailing record count.
private func parseShow(_ text: String) -> (records: [ShowRecord], count: Int?) {
  var records: [ShowRecord] = []
  var count: Int?
  func seconds(_ s: Substring) -> Double? { Double(s.trimmingCharacters(in: .whitespaces)) }
  for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
    let line = raw.trimmingCharacters(in: .whitespaces)
    if line.hasPrefix("-- Boot Record ") {
      records.append(ShowRecord())
    } else if line.hasPrefix("Starting stage: ") {
      records[records.count - 1].lines.append(.starting(String(line.dropFirst(16))))
    } else if line.hasPrefix("Finished stage: ("), let close = line.firstIndex(of: ")") {
      let name = String(line[line.index(line.startIndex, offsetBy: 17)..<close])
      let number = line[line.index(after: close)...].dropLast(" seconds".count)
      records[records.count - 1].lines.append(.finished(name, seconds(number)!))
    } else if line.hasPrefix("|"), let arrow = line.range(of: "`->"),
      let at = line.range(of: " @", options: .backwards),
      let plus = line.range(of: "s +", options: .backwards)
    {
      let indent = line.distance(from: line.index(after: line.startIndex), to: arrow.lowerBound)
      let description = String(line[arrow.upperBound..<at.lowerBound])
      let elapsed = seconds(line[at.upperBound..<plus.lowerBound])!
      let delta = seconds(line[plus.upperBound...].dropLast())!
      records[records.count - 1].lines.append(
        .leaf(indent: indent, description: description, elapsed: elapsed, delta: delta))
    } else if line.hasPrefix("Total Time: ") {
      records[records.count - 1].total = seconds(line.dropFirst(12).dropLast(" seconds".count))
    } else if line.hasSuffix(" boot records analyzed") {
      count = Int(line.split(separator: " ")[0])
    }
  }
  return (records, count)
}

/// initlens's timeline in `show` order (depth first: start, children, finish).
private func flatten(_ stages: [StageTimeline.Stage], into out: inout [ShowLine]) {
  for s in stages {
    if s.isLeaf {
      let indent = max(0, s.name.filter { $0 == "/" }.count - 1)  // Python: " " * -1 == ""
      out.append(
        .leaf(indent: indent, description: s.description, elapsed: s.elapsedSeconds, delta: s.durationSeconds!))
    } else {
      out.append(.starting(s.name))
      flatten(s.children, into: &out)
      if let d = s.durationSeconds { out.append(.finished(s.name, d)) }
    }
  }
}

private func allStages(_ stages: [StageTimeline.Stage]) -> [StageTimeline.Stage] {
  stages.flatMap { [$0] + allStages($0.children) }
}

/// analyze keeps 26.1's " (duration: …)" in a description; initlens moves it to `reportedDuration`.
private func withoutDurationSuffix(_ s: String) -> String {
  guard s.hasSuffix("s)"), let r = s.range(of: " (duration: ", options: .backwards) else { return s }
  return String(s[..<r.lowerBound])
}

/// `@` and `+` are printed with 5 decimals: a value equal to analyze's is within 5 µs of the text.
private let printed = 0.000_005_1
private let oneMillisecond = 0.001

/// Compares a timeline with a `show` record line by line. `tolerance` applies to every number.
private func expectAgrees(
  _ timeline: StageTimeline, _ record: ShowRecord, tolerance: Double, _ context: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  var mine: [ShowLine] = []
  flatten(timeline.stages, into: &mine)
  // analyze also prints "Finished stage" for a parent left open by an earlier record (the stack is
  // not reset); initlens keeps that parent in its own record's tree, unfinished.
  var opened = Set<String>()
  let theirs = record.lines.filter {
    switch $0 {
    case .starting(let n):
      opened.insert(n)
      return true
    case .finished(let n, _): return opened.contains(n)
    case .leaf: return true
    }
  }
  #expect(mine.count == theirs.count, "\(context): line count", sourceLocation: sourceLocation)
  for (a, b) in zip(mine, theirs) {
    switch (a, b) {
    case (.starting(let x), .starting(let y)):
      #expect(x == y, "\(context)", sourceLocation: sourceLocation)
    case (.finished(let x, let dx), .finished(let y, let dy)):
      #expect(x == y, "\(context)", sourceLocation: sourceLocation)
      #expect(abs(dx - dy) <= tolerance, "\(context): \(x) \(dx) vs \(dy)", sourceLocation: sourceLocation)
    case (.leaf(let ix, let tx, let ex, let dx), .leaf(let iy, let ty, let ey, let dy)):
      #expect(ix == iy, "\(context): indent of \(tx)", sourceLocation: sourceLocation)
      #expect(tx == withoutDurationSuffix(ty), "\(context)", sourceLocation: sourceLocation)
      #expect(abs(ex - ey) <= tolerance, "\(context): @ of \(tx): \(ex) vs \(ey)", sourceLocation: sourceLocation)
      #expect(abs(dx - dy) <= tolerance, "\(context): + of \(tx): \(dx) vs \(dy)", sourceLocation: sourceLocation)
    default:
      Issue.record("\(context): \(a) vs \(b)", sourceLocation: sourceLocation)
    }
  }
}

@Suite("StageTimeline vs cloud-init analyze")
struct StageTimelineTests {
  @Test("events equal analyze dump", arguments: AnalyzeFixture.all)
  func eventsMatchDump(name: String) throws {
    let (events, _) = try AnalyzeFixture.load(name)
    let json = try JSONSerialization.jsonObject(with: Data(AnalyzeFixture.text("\(name).dump.json").utf8))
    let dump = try #require(json as? [[String: Any]])
    #expect(events.count == dump.count)
    for (e, d) in zip(events, dump) {
      #expect(e.name == d["name"] as? String)
      #expect(e.type.rawValue == d["event_type"] as? String)
      #expect(e.result == d["result"] as? String)
      let description = try #require(d["description"] as? String)
      #expect(e.description == withoutDurationSuffix(description), "line \(e.origin)")
      #expect((e.reportedDuration != nil) == (description != withoutDurationSuffix(description)))
      let timestamp = try #require(d["timestamp"] as? Double)
      #expect(abs(Double(e.time) / 1e6 - timestamp) < 2e-6, "line \(e.origin)")
    }
  }

  @Test("stages, @ and + agree with analyze show", arguments: AnalyzeFixture.agreeing)
  func agreesWithShow(name: String) throws {
    let (events, anchors) = try AnalyzeFixture.load(name)
    let (records, count) = parseShow(try AnalyzeFixture.text("\(name).show.txt"))
    let timelines = StageTimeline.timelines(events, anchors: anchors)
    #expect(records.count == count)
    #expect(timelines.count == records.count)
    #expect(StageTimeline.boots(events).count == records.count)
    for (k, (timeline, record)) in zip(timelines, records).enumerated() {
      #expect(!timeline.clockStepped, "record \(k + 1): no clock step in \(name)")
      expectAgrees(timeline, record, tolerance: oneMillisecond, "\(name) record \(k + 1)")
      expectAgrees(timeline, record, tolerance: printed, "\(name) record \(k + 1), to the printed digit")
      let total = try #require(record.total)
      #expect(abs(timeline.totalSeconds - total) <= oneMillisecond, "\(name) record \(k + 1) Total Time")
      #expect(abs(timeline.totalSeconds - total) <= printed)
    }
  }

  @Test("one boot's events give the same timeline as the whole file", arguments: AnalyzeFixture.agreeing)
  func perBootMatchesWholeFile(name: String) throws {
    let (events, anchors) = try AnalyzeFixture.load(name)
    let whole = StageTimeline.timelines(events, anchors: anchors)
    let boots = StageTimeline.boots(events)
    #expect(boots.flatMap { $0 } == events)
    for (k, boot) in boots.enumerated() where name != "analyze-quirks" {
      #expect(StageTimeline(events: boot, anchors: anchors) == whole[k], "\(name) boot \(k + 1)")
    }
  }

  @Test func expectedShapes() throws {
    let full = StageTimeline.timelines(try AnalyzeFixture.load("ec2-full-boot").events)
    #expect(full.count == 1)
    #expect(full[0].stages.map(\.name) == ["init-local", "init-network", "modules-config", "modules-final"])
    #expect(full[0].stages.allSatisfy { !$0.isLeaf && $0.result == "SUCCESS" })
    #expect(full[0].stages[3].children.count == 12)
    #expect(abs(full[0].totalSeconds - 24.990) < 1e-9)

    let fail = StageTimeline.timelines(try AnalyzeFixture.load("scripts-user-fail").events)[0]
    let final = try #require(fail.stages.last)
    #expect(final.name == "modules-final" && final.result == "FAIL")
    let user = try #require(final.children.first { $0.name == "modules-final/config-scripts-user" })
    #expect(user.result == "FAIL")
    #expect(user.description == "running config-scripts-user with frequency once-per-instance")
    #expect(abs(user.durationSeconds! - 4.124) < 1e-9)

    let old = StageTimeline.timelines(try AnalyzeFixture.load("banners-only-0.7.3").events)
    #expect(old.count == 2)
    for t in old {
      #expect(t.totalSeconds == 0)
      // Banners only: each stage is a parent that never finishes, nested in the previous one.
      #expect(t.stages.count == 1 && t.stages[0].durationSeconds == nil)
      #expect(allStages(t.stages).map(\.name) == ["init-local", "init-network", "modules-config", "modules-final"])
    }

    let three = StageTimeline.timelines(try AnalyzeFixture.load("three-boots").events)
    #expect(three.count == 3)
    #expect(three[1].stages.last?.durationSeconds == nil)  // boot 2 was cut during modules-final
    // Boot 3 runs cloud-init 26.1: every finish carries its monotonic "(duration: …)".
    let boot3 = StageTimeline.boots(try AnalyzeFixture.load("three-boots").events)[2]
    #expect(boot3.filter { $0.type == .finish }.allSatisfy { $0.reportedDuration != nil })
  }

  @Test("clock stepped back: analyze goes negative, initlens does not")
  func clockStep() throws {
    let (events, anchors) = try AnalyzeFixture.load("clock-step-back")
    let show = parseShow(try AnalyzeFixture.text("clock-step-back.show.txt")).records
    let truth = parseShow(try AnalyzeFixture.text("clock-step-back.no-step.show.txt")).records
    #expect(show.count == 1 && truth.count == 1)

    // The real tool: a negative sub-step, a negative stage, Total Time too small.
    let negatives = show[0].lines.filter {
      switch $0 {
      case .leaf(_, _, _, let d), .finished(_, let d): return d < 0
      case .starting: return false
      }
    }
    #expect(negatives.count == 2)

    // initlens with the banners' monotonic anchors: nothing negative, and the true timings (the same
    // boot without the step) within 20 ms, the precision of the anchors.
    let anchored = StageTimeline(events: events, anchors: anchors)
    #expect(anchored.clockSteps.count == 1)
    #expect(anchored.clockSteps.first?.anchored == true)
    for s in allStages(anchored.stages) {
      #expect((s.durationSeconds ?? 0) >= 0, "\(s.name)")
      #expect(s.elapsedSeconds >= 0, "\(s.name)")
    }
    let stepped = allStages(anchored.stages).filter(\.clockStepped).map(\.name)
    #expect(stepped == ["init-network", "init-network/config-ssh"])
    expectAgrees(anchored, truth[0], tolerance: 0.020, "clock-step-back vs the unstepped boot")
    #expect(abs(anchored.totalSeconds - truth[0].total!) <= 0.020)

    // Stages the step did not cross keep analyze's exact numbers.
    var theirs: [String: Double] = [:]
    for case .finished(let n, let d) in show[0].lines { theirs[n] = d }
    for s in anchored.stages where !s.clockStepped {
      #expect(abs(s.durationSeconds! - theirs[s.name]!) <= printed, "\(s.name)")
    }

    // Without anchors the backward gap is clamped: config-ssh lasts 0 s, and is marked.
    let clamped = StageTimeline(events: events)
    #expect(clamped.clockSteps.count == 1 && clamped.clockSteps.first?.anchored == false)
    for s in allStages(clamped.stages) { #expect((s.durationSeconds ?? 0) >= 0, "\(s.name)") }
    let ssh = try #require(allStages(clamped.stages).first { $0.name == "init-network/config-ssh" })
    #expect(ssh.clockStepped && ssh.durationSeconds == 0)
    #expect(clamped.totalSeconds > 0)
  }
}
