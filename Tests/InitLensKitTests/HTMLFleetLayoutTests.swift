import Foundation
import Testing

@testable import InitLensKit

private typealias Fixture = HTMLFixture

/// The HTML report of a fleet: led by its summary, hosts grouped by root cause with the explanation
/// once, numbers that agree, references as links, and a boot charted long after its start.
@Suite struct HTMLFleetLayoutTests {
  private static let cause = Fixture.cause("imds-503-not-retried", cause: "imds-503", symptom: "datasource-not-found")
  private static let incident = Fixture.incident(
    "imds-503", .error, first: "2025-01-22T10:00:05.500Z", rootCause: "imds-503-not-retried")

  private static func host(_ name: String, boots: Int = 1, causes: [RootCause] = [cause]) -> HostReport {
    HostReport(
      host: name,
      boots: (0..<boots).map { Fixture.boot("\(name)-b\($0)", incidents: [incident], rootCauses: causes) })
  }

  @Test func headerAndGroupsCountRootCausesTheSameWay() throws {
    let report = Fixture.report([Self.host("a", boots: 2), Self.host("b")])
    #expect(report.summary.rootCauses == 3)  // one per boot
    let html = HTMLRenderer().render(report)
    #expect(html.contains("<b>1</b><span>root causes</span><em>found 3 times</em></div>"))
    #expect(html.contains("<h3>Root causes <small>1, found 3 times (one per boot it explains)"))
    #expect(occurrences("<details class=\"rcg ", in: html) == 1)
    // Found once per root cause: no note.
    let one = HTMLRenderer().render(Fixture.report([Self.host("b")], fleet: false))
    #expect(one.contains("<b>1</b><span>root causes</span></div>"))

    // samples/fleet: 5 root causes found 6 times (one boot has two), in the tile and the groups alike.
    let golden = try Data(contentsOf: Repo.root.appendingPathComponent("samples/fleet/expected.json"))
    let sample = HTMLRenderer().render(try Report.decode(golden))
    #expect(sample.contains("<b>5</b><span>root causes</span><em>found 6 times</em></div>"))
    #expect(sample.contains("<h3>Root causes <small>5, found 6 times"))
    #expect(occurrences("<div class=\"rcg-body\" id=\"rc-", in: sample) == 5)
  }

  @Test func aGroupExplainsOnceAndHoldsItsHostsReports() {
    var other = Self.cause
    other.explanation = "This boot ran something else."
    let report = Fixture.report([Self.host("a"), Self.host("b"), Self.host("c", causes: [other])])
    let html = HTMLRenderer().render(report)
    #expect(occurrences("Because <code>imds-503</code> is fatal.", in: html) == 1)
    #expect(occurrences("This boot ran something else.", in: html) == 1)  // c's own text, in its card
    #expect(html.contains("As reported for 2 boots of 3; the other boots' reports carry their own text."))
    #expect(
      occurrences("Why, fix and references: in the <a href=\"#rc-imds-503-not-retried\">", in: html) == 2)
    // Collapsed: the group and every host in it; the hosts' reports inside the group.
    #expect(!html.contains(" open>"))
    let group = html.components(separatedBy: "<div class=\"rcg-body\" id=\"rc-imds-503-not-retried\">")[1]
    #expect(occurrences("<details class=\"host sl-error\">", in: group) == 3)
    // The fleet summary leads: groups, then incident kinds, versions and the chart.
    let order = [
      "id=\"fleet\"", "class=\"rcg ", "<table class=\"groups rf\">", "<table class=\"versions\">",
      "<svg class=\"overtime\"",
    ]
    let positions = order.compactMap { html.range(of: $0)?.lowerBound }
    #expect(positions.count == order.count && positions == positions.sorted())
  }

  @Test func aHostWithTwoRootCausesIsReportedOnceAndLinkedFromItsOtherGroup() {
    let second = Fixture.cause("ecs-warm-pool-404", cause: "ecs-lifecycle-404", symptom: "ecs-agent-failed")
    let report = Fixture.report([Self.host("a"), Self.host("b"), Self.host("both", causes: [Self.cause, second])])
    let html = HTMLRenderer().render(report)
    #expect(occurrences("<div class=\"hostbody\" id=\"h2\">", in: html) == 1)
    let groups = html.components(separatedBy: "<div class=\"rcg-body\" id=\"rc-")
    #expect(groups.count == 3)
    // The group with most hosts first holds it; the other links to it.
    #expect(groups[1].hasPrefix("imds-503-not-retried") && groups[1].contains("id=\"h2\""))
    #expect(groups[2].hasPrefix("ecs-warm-pool-404") && !groups[2].contains("id=\"h2\""))
    #expect(groups[2].contains("<div class=\"hostlist\"><a href=\"#h2\">both</a></div>"))
  }

  @Test func theChartSaysHowManyIncidentsHadNoTime() {
    var untimed = Fixture.incident("ecs-agent-failed", .critical, first: "2025-01-22T10:00:09.000Z")
    untimed.first = nil
    untimed.last = nil
    var host = Self.host("a")
    host.boots[0].incidents.append(untimed)
    let html = HTMLRenderer().render(Fixture.report([host, Self.host("b")]))
    #expect(html.contains("2 incidents from 2025-01-22 10:00"))
    #expect(html.contains("1 more incident has no time and is not charted (3 in all)."))

    host.boots[0].incidents = [untimed, untimed]
    host.boots[0].rootCauses = []
    let none = HTMLRenderer().render(Fixture.report([host]))
    #expect(none.contains("None of the 2 incidents has a time to chart."))
  }

  @Test func onlyHTTPReferencesBecomeLinks() {
    #expect(
      HTMLFormat.reference("https://a.example/x?y=1&z=2")
        == "<a href=\"https://a.example/x?y=1&amp;z=2\" rel=\"noreferrer\">https://a.example/x?y=1&amp;z=2</a>")
    #expect(HTMLFormat.reference("HTTP://a.example").hasPrefix("<a href=\"HTTP://a.example\""))
    for text in ["javascript:alert(1)", "ftp://a.example", "see the docs", "https://", "https://a b", "//a.example"] {
      #expect(HTMLFormat.reference(text) == "<span>\(HTMLRenderer.escape(text))</span>", "\(text)")
    }
    #expect(HTMLFormat.reference("https://a\"onclick=\"x").contains("href=\"https://a&quot;onclick=&quot;x\""))
  }

  @Test func aBootChartedHoursAfterItsStartLabelsItsAxisFromThere() {
    // Cloud-init ran 3 h after the kernel started (a long uptime): the axis covers cloud-init only.
    var boot = Fixture.boot("b", incidents: [])
    let hours: Int64 = 3 * 3_600_000_000
    boot.stages = boot.stages.map { stage in
      var s = stage
      s.start = s.start.map { $0 + hours }
      s.end = s.end.map { $0 + hours }
      s.steps = []
      return s
    }
    boot.timeline = []
    let gantt = GanttChart(boot: boot)
    let svg = gantt.render()
    // 5 s to 8.5 s after the 3 h: ticks from 10805 s, labelled from 0 (step 0.5 s), the first stage at the left.
    #expect(svg.contains(">0.0s</text>") && svg.contains(">3.5s</text>") && !svg.contains(">10805"))
    #expect(svg.contains("<rect class=\"st\" x=\"210.0\""))
    #expect(!svg.contains("class=\"base\""))  // no kernel-start line: it is off the chart
    #expect(gantt.caption().contains("seconds since 3h 00m 05s after the kernel started"))
    #expect(HTMLFormat.span(184) == "184s" && HTMLFormat.span(90_061) == "1d 1h 01m")
    // A boot charted from its start says so.
    #expect(GanttChart(boot: Fixture.boot("c")).caption().contains("seconds since the kernel started"))
  }

  @Test func outsideAFleetFewAffectedHostsAreOpenAndManyCollapsed() {
    let few = HTMLRenderer().render(Fixture.report((0..<2).map { Self.host("a\($0)") }, fleet: false))
    #expect(occurrences("<details class=\"host sl-error\" open>", in: few) == 2)
    #expect(!few.contains("class=\"rcg "))
    let many = HTMLRenderer().render(Fixture.report((0..<11).map { Self.host("a\($0)") }, fleet: false))
    #expect(occurrences("<details class=\"host sl-error\">", in: many) == 11)
    #expect(!many.contains(" open>"))
  }

  @Test func aBigFleetPageIsShortAndSharesItsText() {
    // 300 hosts, 60 with the same root cause: one explanation, every report collapsed.
    let healthy = Fixture.fleet.hosts[2]
    var hosts = (0..<60).map { Self.host("sick-\($0)") }
    for i in 0..<240 {
      var h = healthy
      h.host = "ok-\(i)"
      hosts.append(h)
    }
    let html = HTMLRenderer().render(Fixture.report(hosts))
    #expect(occurrences("Because <code>imds-503</code> is fatal.", in: html) == 1)
    #expect(occurrences("<details class=\"host sl-", in: html) == 60)
    #expect(!html.contains(" open>"))
    #expect(occurrences("<tr id=\"h", in: html) == 240)  // healthy hosts: one line each
  }
}
