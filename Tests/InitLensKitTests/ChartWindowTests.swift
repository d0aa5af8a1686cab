import Foundation
import Testing

@testable import InitLensKit

/// A boot whose cloud-init ran long after the kernel started (the real logs' uptime is the generating
/// machine's) still charts the cloud-init span readably, in text and HTML.
@Suite struct ChartWindowTests {
  @Test func originStaysAtTheBootStartUnlessCloudInitRanLongAfter() {
    #expect(ChartWindow.origin([]) == 0)
    #expect(ChartWindow.origin([5.2, 9.8]) == 0)
    #expect(ChartWindow.origin([50, 51]) == 0)  // a minute is drawn as it is
    #expect(ChartWindow.origin([184.2, 189.1]) == 184.2)
    #expect(ChartWindow.origin([100, 400]) == 0)  // the gap is shorter than what follows it
  }

  @Test func realLogWithALongUptimeSpreadsItsStages() throws {
    let dir = "Tests/InitLensKitTests/Fixtures/realci/userdata-exit3/"
    let log = try String(contentsOf: Repo.root.appendingPathComponent(dir + "cloud-init.log"), encoding: .utf8)
    let (report, _) = analyze([("cloud-init.log", log)], rules: repoRules)
    let boot = try #require(report.hosts.first?.boots.first)
    let start = try #require(boot.stages.first?.start)
    #expect(Double(start - boot.start!) / 1e6 > 60, "the fixture's uptime is long")
    let chart = TimelineChart(boot: boot, color: false).render()
    let rows = chart.split(separator: "\n").map(String.init)
    let initLocal = try #require(rows.first { $0.hasPrefix("    init-local") })
    // The first stage starts at the chart's left edge, and the stages spread over the width.
    #expect(initLocal.dropFirst(20).hasPrefix("="), "\(chart)")
    let finalRow = try #require(rows.first { $0.hasPrefix("    modules-final") })
    #expect(finalRow.dropFirst(20).prefix(50).allSatisfy { $0 == " " }, "\(chart)")
    #expect(!rows[0].contains(" 0s "), "the axis does not start at the kernel: \(rows[0])")
    let html = GanttChart(boot: boot).render()
    #expect(!html.isEmpty && !html.contains("class=\"base\""))
  }
}
