import Foundation
import Testing

@testable import InitLensKit

private typealias Fixture = HTMLFixture

@Suite struct HTMLRendererTests {
  @Test func fleetReportHasHeaderTablesChartsAndHostSections() {
    let report = Fixture.fleet
    let html = HTMLRenderer().render(report)
    #expect(html.hasPrefix("<!doctype html>"))
    #expect(html.hasSuffix("</html>\n"))
    // Header: counts and line accounting.
    #expect(html.contains("<b>3</b><span>hosts</span>"))
    #expect(html.contains("<b>2</b><span>affected</span>"))
    #expect(html.contains("<b>1</b><span>healthy</span>"))
    #expect(html.contains("<b>100</b> lines read = 10 matched + 85 unmatched + 5 skipped (blank 5)"))
    // Fleet: 1 root cause (a collapsed group, and one for the affected host without one), a table of
    // 4 incident kinds, 2 cloud-init versions.
    let fleet = report.fleet!
    #expect(fleet.rootCauses.count == 1 && fleet.incidents.count == 4)
    #expect(occurrences("<details class=\"rcg ", in: html) == 2)
    #expect(html.contains("<details class=\"rcg s-error\"><summary><span class=\"sev sev-error\">error</span> "))
    let groups = html.components(separatedBy: "<table class=\"groups rf\">").dropFirst().map {
      occurrences("<tr class=\"s-", in: $0.components(separatedBy: "</table>")[0])
    }
    #expect(groups == [4])
    #expect(html.contains("<code>imds-503-not-retried</code>"))
    let versions = html.components(separatedBy: "<table class=\"versions\">")[1].components(separatedBy: "</table>")[0]
    #expect(occurrences("<tr", in: versions) == 3)  // header + 22.2.2 + 24.4.1
    #expect(versions.contains("<code>22.2.2</code></td><td class=\"num\">2</td><td class=\"num\">2</td>"))
    #expect(versions.contains("<code>24.4.1</code></td><td class=\"num\">1</td><td class=\"num\">0</td>"))
    // Group host lists link to the host sections.
    #expect(html.contains("<a href=\"#h0\">ip-10-0-1-1</a>"))
    #expect(html.contains("id=\"h0\""))
    // Incidents over time: one bar per busy hour (3 hours on 2025-01-22, 1 on 01-28), stacked by kind.
    #expect(occurrences("<svg class=\"overtime\"", in: html) == 1)
    let overtime = html.components(separatedBy: "<svg class=\"overtime\"")[1].components(separatedBy: "</svg>")[0]
    #expect(occurrences("<rect ", in: overtime) == 5)
    #expect(occurrences("class=\"gap\"", in: overtime) == 1)  // 01-22 to 01-28 is too long for an hourly axis
    #expect(overtime.contains(">10:00</text>") && overtime.contains(">2025-01-22</text>"))
    // A Gantt chart per boot (the small report keeps the healthy host's section), with its stages
    // and one mark per incident.
    #expect(occurrences("<svg class=\"gantt\"", in: html) == 4)
    #expect(occurrences("<rect class=\"st\"", in: html) == 8)
    #expect(occurrences("<path class=\"mk f-", in: html) == 5)
    #expect(occurrences("<path class=\"mk f-critical\"", in: html) == 1)
    #expect(occurrences("<path class=\"mk f-info\"", in: html) == 1)
    // Affected hosts collapsed inside their groups (the one with a root cause in its group, the other in
    // the group of hosts without one), their anchors on the report's body; the healthy host after them.
    let a = html.range(of: "<details class=\"host sl-critical\">")
    let b = html.range(of: "<details class=\"host sl-error\">")
    let c = html.range(of: "<details class=\"host sl-ok\">")
    #expect(a != nil && b != nil && c != nil)
    if let a, let b, let c { #expect(a.lowerBound < b.lowerBound && b.lowerBound < c.lowerBound) }
    #expect(!html.contains("<details class=\"host sl-critical\" open>"))
    #expect(html.contains("<div class=\"hostbody\" id=\"h0\">"))
    // The group's text once (numbered fixes, references as links); the host's card: evidence with file:line.
    #expect(html.contains("<article class=\"rc rc-error\" id=\"h0-b0-rc0\">"))
    #expect(
      occurrences("<ol class=\"fixes\"><li>Upgrade.</li><li>Reboot with <code>sudo reboot</code>.</li></ol>", in: html)
        == 1)
    #expect(html.contains("<div class=\"loc\">cloud-init.log:57</div>"))
    #expect(html.contains("<a href=\"https://example.com/imds-503-not-retried\" rel=\"noreferrer\">"))
    #expect(html.contains("datasource-not-found <span class=\"muted\">1.500s later</span>"))
    // Incidents tables: one row per incident (plus its detail row), linked to the root cause.
    #expect(occurrences("<table class=\"incidents rf\">", in: html) == 4)
    #expect(occurrences(" incd-row\">", in: html) == 5)
    #expect(html.contains("<a href=\"#h0-b0-rc0\">imds-503-not-retried</a>"))
    #expect(html.contains("<td class=\"mono nw il\">10:00:05.500</td><td class=\"mono nw il\">+5.500s</td>"))
    // Timelines collapsed.
    #expect(occurrences("<details class=\"timeline\"><summary>", in: html) == 4)
  }

  @Test func ganttPlacesStagesAndIncidentsOnTheBootsTimeAxis() {
    var boot = Fixture.boot(
      "b",
      incidents: [
        Fixture.incident("imds-503", .warning, first: "2025-01-22T10:00:05.500Z", last: "2025-01-22T10:00:07.000Z")
      ])
    boot.stages.append(Fixture.stage("modules-final", "2025-01-22T10:00:08.800Z", nil, nil))
    let svg = GanttChart(boot: boot).render()
    // Axis 0…10s (step 1s) from x=210 to x=890: 68 px per second.
    #expect(svg.contains(">0s</text>") && svg.contains(">10s</text>") && !svg.contains(">11s</text>"))
    #expect(svg.contains("<rect class=\"st\" x=\"550.0\" y=\"31.0\" width=\"68.0\" height=\"14\""))  // 5s…6s
    #expect(svg.contains("<rect class=\"st\" x=\"686.0\" y=\"55.0\" width=\"102.0\""))  // 7s…8.5s
    #expect(svg.contains("<rect class=\"st open\" x=\"808.4\""))  // unfinished: 8.8s to the end
    #expect(svg.contains(">unfinished</text>"))
    #expect(svg.contains("<path class=\"mk f-warning\" d=\"M584.0 "))  // 5.5s
    #expect(svg.contains("<line class=\"rng g-warning\" x1=\"584.0\" y1=\"142.0\" x2=\"686.0\" y2=\"142.0\"/>"))
    #expect(svg.contains("<title>WARNING imds-503: imds-503 happened\nfirst 10:00:05.500 (+5.500s)"))
    #expect(svg.contains("events (1)"))  // the ECS agent start
    #expect(svg.contains("<span class=\"sw mk warning\"></span>warning incident"))
    // Nothing to place: no chart.
    var empty = boot
    empty.stages = []
    empty.incidents = []
    #expect(GanttChart(boot: empty).render().isEmpty)
  }

  @Test func overTimeChartIsHourlyOverShortRangesAndSkipsLongGaps() {
    let severity: [String: Severity] = ["a": .error, "b": .warning]
    let short = OverTimeChart(
      buckets: [
        TimeBucket(hour: wireTime("2025-01-22T09:00:00.000Z"), counts: ["a": 2, "b": 1]),
        TimeBucket(hour: wireTime("2025-01-22T12:00:00.000Z"), counts: ["b": 4]),
      ], severity: severity)
    let (slots, _) = short.slots()
    #expect(slots.map(\.total) == [3, 0, 0, 4])
    #expect(!slots.contains { $0.gapBefore })
    let svg = short.render()
    #expect(svg.contains(">09:00</text>") && svg.contains(">12:00</text>"))
    #expect(occurrences("<rect ", in: svg) == 3)
    #expect(svg.contains("<title>2025-01-22 09:00 UTC hour\na (error): 2\ntotal: 3</title>"))
    #expect(svg.contains(">incidents</text>"))  // the y axis
    #expect(svg.contains("<code>a</code> <span class=\"muted\">2</span>"))  // the legend

    let long = OverTimeChart(
      buckets: [
        TimeBucket(hour: wireTime("2025-01-01T09:00:00.000Z"), counts: ["a": 1]),
        TimeBucket(hour: wireTime("2025-02-01T09:00:00.000Z"), counts: ["a": 1]),
      ], severity: severity)
    #expect(long.slots().0.map(\.gapBefore) == [false, true])
    #expect(long.render().contains("dashed lines mark the time left out"))

    // More busy hours than an hourly chart holds: per day.
    let many = (0..<200).map { i in
      TimeBucket(hour: Int64(1_735_689_600 + i * 3600 * 2) * 1_000_000, counts: ["a": 1])
    }
    let daily = OverTimeChart(buckets: many, severity: severity)
    #expect(daily.slots().0.count == 17)
    #expect(daily.render().contains("Incidents per day"))
    #expect(OverTimeChart(buckets: [], severity: [:]).render().isEmpty)
  }

  @Test func everyStringFromTheLogsIsEscaped() {
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'&"
    let ev = [Evidence(file: "cloud-init.log\"><img src=x onerror=alert(1)>", line: 7, text: evil)]
    var boot = Fixture.boot(
      evil,
      incidents: [
        Fixture.incident(
          "imds-503" + evil, .error, first: "2025-01-22T10:00:05.500Z", rootCause: "rc" + evil, evidence: ev,
          title: evil)
      ],
      rootCauses: [Fixture.cause("rc" + evil, cause: "imds-503" + evil, symptom: evil, evidence: ev)],
      versions: ["cloud-init" + evil: evil])
    boot.facts = [evil: evil]
    boot.incidents[0].captures = [evil: evil]
    boot.incidents[0].fix = evil + " `" + evil + "`"
    boot.incidents[0].references = [evil, "javascript:alert(1)"]
    boot.stages[0].name = evil
    boot.timeline.append(
      TimelineEntry(
        offsetSeconds: 1, time: wireTime("2025-01-22T10:00:01.000Z"), kind: evil, summary: evil,
        origin: Origin(file: evil, line: 1))
    )
    var host = HostReport(host: evil, boots: [boot])
    var report = Fixture.report([host])
    report.inputs = [InputSummary(name: evil, lines: 1, error: evil)]
    report.summary.ruleLimitHits = [evil: 1]
    report.summary.skipped = [evil: 1]
    report.fleet?.bundleErrors = [BundleError(bundle: evil, message: evil)]
    let html = HTMLRenderer().render(report)

    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("'&"))
    #expect(!html.contains("href=\"javascript"))
    #expect(
      html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;"))
    // Every `onerror` left is inside escaped text: preceded by `&lt;img src=x `.
    let pieces = html.components(separatedBy: "onerror")
    #expect(pieces.count > 1)
    #expect(pieces.dropLast().allSatisfy { $0.hasSuffix("&lt;img src=x ") })
    // In attributes too: the host name's anchor is an index, titles and aria labels are escaped.
    #expect(html.contains("<title>initlens report — 1 host, 1 affected</title>"))
    #expect(!html.contains("=\"<") && !html.contains("\"><img"))

    // The same host alone: the page title carries the host name, escaped.
    host.boots[0].rootCauses = []
    let single = HTMLRenderer().render(Fixture.report([host], fleet: false))
    #expect(single.contains("<title>initlens report — &lt;script&gt;"))
    #expect(!single.contains("<script") && !single.contains("<img"))
  }

  @Test func escapeCoversMarkupQuotesAndControlCharacters() {
    #expect(HTMLRenderer.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
    #expect(HTMLRenderer.escape("x\u{0}y\u{1B}[31mz\u{7F}") == "x\u{FFFD}y\u{FFFD}[31mz\u{FFFD}")
    #expect(HTMLRenderer.escape("tab\tand\nnewline ünïcode ✓") == "tab\tand\nnewline ünïcode ✓")
  }

  @Test func sameReportGivesTheSameBytes() throws {
    let report = Fixture.fleet
    let first = HTMLRenderer().render(report)
    #expect(HTMLRenderer().render(report) == first)
    // A decoded copy has freshly built dictionaries: their iteration order must not leak into the page.
    let copy = try Report.decode(Data(JSONRenderer.bytes(report)))
    #expect(HTMLRenderer().render(copy) == first)
    // SVG numbers have fixed decimals.
    #expect(HTMLFormat.fixed(12.5, 2) == "12.50")
    #expect(HTMLFormat.fixed(-0.04, 1) == "0.0")
    #expect(HTMLFormat.fixed(-1.25, 1) == "-1.3")
    #expect(HTMLFormat.fixed(0.05, 3) == "0.050")
    #expect(HTMLFormat.fixed(.nan) == "0")
  }

  @Test func pageLoadsNothingAndNeedsNoScript() {
    let html = HTMLRenderer().render(Fixture.fleet)
    let lower = html.lowercased()
    for banned in [
      "<script", "src=", "href='http", "href=\"//", "@import", "url(", "<link", "<iframe", "<object",
      "<embed", "<img", "javascript:", "xlink:href",
    ] {
      #expect(!lower.contains(banned), "\(banned)")
    }
    // No event-handler attributes (` onclick=` and the like) anywhere.
    let handlers = lower.components(separatedBy: " on").dropFirst().filter { rest in
      let name = rest.prefix { $0.isLetter }
      return !name.isEmpty && rest.dropFirst(name.count).hasPrefix("=")
    }
    #expect(handlers.isEmpty)
    // Every link is an anchor within the page or a reference's http(s) URL (a navigation, not a load).
    for piece in html.components(separatedBy: "href=\"").dropFirst() {
      #expect(piece.hasPrefix("#") || piece.hasPrefix("https://example.com/"), "\(piece.prefix(60))")
    }
    #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
  }

  @Test func reportWithoutFleetSectionRenders() {
    let host = Fixture.fleet.hosts[0]
    let html = HTMLRenderer().render(Fixture.report([host], fleet: false))
    #expect(html.contains("<title>initlens report — ip-10-0-1-1</title>"))
    #expect(html.contains("boot report · 1 input"))
    #expect(!html.contains("id=\"fleet\"") && !html.contains("<svg class=\"overtime\""))
    #expect(occurrences("<svg class=\"gantt\"", in: html) == 2)
    #expect(html.contains("<article class=\"rc rc-error\""))
    // A healthy single instance is shown in full (open: it is the whole report); an empty report still renders.
    let healthy = HTMLRenderer().render(Fixture.report([Fixture.fleet.hosts[2]], fleet: false))
    #expect(healthy.contains("<details class=\"host sl-ok\" open>"))
    #expect(healthy.contains("<div class=\"hostbody\" id=\"h0\">"))
    #expect(healthy.contains("<svg class=\"gantt\""))
    let empty = HTMLRenderer().render(Fixture.report([], fleet: false))
    #expect(empty.contains("No host was found in the inputs."))
  }

  @Test func healthyHostsOfABigFleetGetOneLineEach() {
    let sick = Fixture.fleet.hosts[0]
    var hosts = [sick]
    var template = Fixture.fleet.hosts[2]
    // A healthy host's boot with a long timeline: none of it may reach the page.
    template.boots[0].timeline += (0..<150).map { i in
      TimelineEntry(
        offsetSeconds: Double(i), time: nil, kind: "imds-call", summary: "IMDS answered 200 to /meta-data/\(i)",
        origin: Origin(file: "cloud-init.log", line: i))
    }
    for i in 0..<999 {
      template.host = "ip-10-1-\(i / 250)-\(i % 250).ec2.internal"
      hosts.append(template)
    }
    let report = Fixture.report(hosts)
    #expect(report.fleet?.healthyHosts == 999)
    let html = HTMLRenderer().render(report)
    #expect(occurrences("<svg class=\"gantt\"", in: html) == 2)  // the affected host's two boots only
    #expect(occurrences("<tr id=\"h", in: html) == 999)
    #expect(!html.contains("/meta-data/"))
    #expect(html.utf8.count < 400_000, "\(html.utf8.count) bytes")
  }

  @Test func manyAffectedHostsGetCompactTimelines() {
    var boot = Fixture.boot("b", incidents: [Fixture.incident("imds-503", .error, first: "2025-01-22T10:00:05.500Z")])
    boot.timeline.append(
      TimelineEntry(
        offsetSeconds: 5.2, time: wireTime("2025-01-22T10:00:05.200Z"), kind: "imds-call",
        summary: "IMDS answered 200 to /x",
        origin: Origin(file: "cloud-init.log", line: 9)))
    let report = Fixture.report([HostReport(host: "a", boots: [boot]), HostReport(host: "b", boots: [boot])])
    let full = HTMLRenderer().render(report)
    #expect(
      full.contains(
        "<tr class=\"d\"><td>+5.200s</td><td>10:00:05.200</td><td>imds-call</td>"
      ))
    var renderer = HTMLRenderer()
    renderer.fullTimelineHostLimit = 1
    let compact = renderer.render(report)
    #expect(!compact.contains("IMDS answered 200 to /x"))
    #expect(occurrences("1 cloud-init sub-steps and IMDS calls are left out", in: compact) == 2)
    #expect(compact.contains("<td>ecs-agent-start</td>"))
  }
}
