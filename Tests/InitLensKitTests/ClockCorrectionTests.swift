import Foundation
import Testing

@testable import InitLensKit

@Suite("Clock-step correction")
struct ClockCorrectionTests {
  private func e(_ type: CloudInitEvent.EventType, _ name: String, _ t: Int64, _ line: Int) -> CloudInitEvent {
    CloudInitEvent(
      time: t, type: type, name: name, description: name, result: type == .finish ? "SUCCESS" : nil, origin: line)
  }

  @Test func forwardJumpBeyondTheAnchorsIsRemoved() {
    // The wall clock jumps 30 s forward inside a leaf; the anchors say only 1.4 s of uptime passed.
    let events = [
      e(.start, "modules-config", 100_000_000, 1), e(.start, "modules-config/config-a", 100_500_000, 2),
      e(.finish, "modules-config/config-a", 131_000_000, 3), e(.finish, "modules-config", 131_200_000, 4),
      e(.start, "modules-final", 131_400_000, 5), e(.start, "modules-final/config-b", 131_500_000, 6),
      e(.finish, "modules-final/config-b", 131_600_000, 7), e(.finish, "modules-final", 131_700_000, 8),
    ]
    let anchors = [
      MonotonicAnchor(wallTime: 100_000_000, uptime: 10_000_000, line: 1),
      MonotonicAnchor(wallTime: 131_400_000, uptime: 11_400_000, line: 5),
    ]
    let raw = StageTimeline(events: events)
    #expect(raw.clockSteps.isEmpty)
    #expect(raw.stages[0].children[0].durationSeconds == 30.5)
    let t = StageTimeline(events: events, anchors: anchors)
    #expect(t.clockSteps.count == 1 && t.clockSteps[0].line == 3 && t.clockSteps[0].anchored)
    #expect(t.stages[0].children[0].durationSeconds == 0.5)
    #expect(t.stages[0].children[0].clockStepped && t.stages[0].clockStepped && !t.stages[1].clockStepped)
    #expect(t.stages[0].durationSeconds == 1.2)
    #expect(t.stages[1].durationSeconds == 0.3)
    // Times land on the corrected (later) clock: the last event keeps its stamp.
    #expect(t.stages[1].end == 131_700_000)
  }

  /// Banners whose `Up` disagrees with the wall clock (no line shows a step): the inferred step goes
  /// between stages, and every stage keeps the duration its own lines give (as analyze says).
  @Test func anchorsThatDisagreeLeaveStagesWhole() {
    let events = [
      e(.start, "init-local", 5_000_000, 2), e(.start, "init-local/check-cache", 5_001_000, 3),
      e(.finish, "init-local/check-cache", 5_004_000, 4), e(.start, "init-local/search-Ec2Local", 5_010_000, 5),
      e(.finish, "init-local/search-Ec2Local", 5_300_000, 6), e(.finish, "init-local", 5_315_000, 7),
      e(.start, "init-network", 6_600_000, 9), e(.finish, "init-network", 6_700_000, 10),
    ]
    // The uptime says 3.5 s passed between the banners, the wall clock 1.6 s: Δ = −1.9 s.
    let anchors = [
      MonotonicAnchor(wallTime: 5_000_000, uptime: 100_000_000, line: 2),
      MonotonicAnchor(wallTime: 6_600_000, uptime: 103_500_000, line: 8),
    ]
    let t = StageTimeline(events: events, anchors: anchors)
    #expect(t.stages.map(\.durationSeconds) == [0.315, 0.1])
    #expect(t.stages[0].children.map(\.durationSeconds) == [0.003, 0.29])
    #expect(!t.stages[0].clockStepped && !t.stages[1].clockStepped)
    // The step sits in the gap before the second banner, so the second stage starts later as a whole.
    #expect(t.clockSteps.count == 1 && t.clockSteps[0].line == 8)
    #expect(t.stages[1].start - t.stages[0].end! == 3_185_000)
  }

  @Test func reportedDurationWinsWhenTheClockStepped() {
    var finish = e(.finish, "init-network/config-ssh", 96_000_000, 3)
    finish.reportedDuration = 330_000
    let events = [
      e(.start, "init-network", 99_000_000, 1), e(.start, "init-network/config-ssh", 99_500_000, 2), finish,
      e(.finish, "init-network", 96_100_000, 4),
    ]
    let t = StageTimeline(events: events)
    let ssh = t.stages[0].children[0]
    #expect(ssh.clockStepped && ssh.durationSeconds == 0.33)
    #expect(t.stages[0].durationSeconds == 0.6)
  }

  @Test func noStepNoChange() {
    let events = [
      e(.start, "init-local", 5_000_000, 1), e(.start, "init-local/a", 5_001_000, 2),
      e(.finish, "init-local/a", 5_004_000, 3), e(.finish, "init-local", 5_010_000, 4),
    ]
    let anchors = [MonotonicAnchor(wallTime: 4_990_000, uptime: 4_000_000, line: 1)]
    let t = StageTimeline(events: events, anchors: anchors)
    #expect(t.clockSteps.isEmpty && t.start == 5_000_000)
    #expect(t.stages[0].children[0].start == 5_001_000 && t.stages[0].children[0].end == 5_004_000)
    #expect(t.totalSeconds == 0.01)
  }
}
