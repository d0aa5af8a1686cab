import Foundation
import Testing

@testable import InitLensKit

private typealias Fixture = HTMLFixture

/// The HTML fleet report's Boot time section: after the fleet summary and before the hosts, every
/// shown metric's numbers in the chart and the table, steps under a second left out and counted, and
/// every slowest boot and slow-stage outlier linked to a report that is on the page.
@Suite struct HTMLBootTimeTests {
  static func section(_ html: String) throws -> String {
    let start = try #require(html.range(of: "<section id=\"boottime\">"))
    let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
    return String(html[start.lowerBound..<end.upperBound])
  }

  /// Every `href="#X"` of `part`, and whether `html` has `id="X"`.
  static func links(_ part: String, in html: String) -> [(String, Bool)] {
    part.components(separatedBy: "href=\"#").dropFirst().map { rest in
      let id = String(rest.prefix { $0 != "\"" })
      return (id, html.contains(" id=\"\(id)\""))
    }
  }

  static func slowBoots() throws -> Report {
    try Report.decode(Data(contentsOf: Repo.root.appendingPathComponent("samples/slow-boots/expected.json")))
  }

  @Test func theSlowBootsSampleShowsEveryMetricAndLinksItsSlowestBoots() throws {
    let report = try Self.slowBoots()
    let html = HTMLRenderer().render(report)
    let section = try Self.section(html)
    // After the fleet summary (and its incidents-over-time chart), before the hosts.
    let order = ["id=\"fleet\"", "<svg class=\"overtime\"", "<section id=\"boottime\">", "<section id=\"hosts\">"]
    let positions = order.compactMap { html.range(of: $0)?.lowerBound }
    #expect(positions.count == order.count && positions == positions.sorted())

    let profile = try #require(report.fleet?.bootTime)
    let shown = profile.filter { !$0.name.contains("/") || $0.max >= 1 }
    #expect(shown.count == 7 && profile.count - shown.count == 9)
    #expect(section.contains("9 more steps under 1 s on every boot are left out"))
    #expect(section.contains("Log scale: the values spread over more than 20×."))
    let f = { (v: Double) in HTMLFormat.fixed(v, 3) }
    for m in profile {
      let isShown = shown.contains(m)
      #expect(section.contains("<code>\(m.name)</code></td>") == isShown, "\(m.name)")
      #expect(section.contains(">\(m.name)</text>") == isShown, "\(m.name)")
      guard isShown else { continue }
      // The table row: boots, p50, p90, p99, max, in order; the chart row's numbers.
      let row = try #require(section.components(separatedBy: "<code>\(m.name)</code></td>").dropFirst().first)
      let cells = [
        "data-l=\"boots\">\(m.boots)<", "data-l=\"p50\">\(f(m.p50))<", "data-l=\"p90\">\(f(m.p90))<",
        "data-l=\"p99\">\(f(m.p99))<", "data-l=\"max\">\(f(m.max))<",
      ]
      let at = cells.compactMap { row.range(of: $0)?.lowerBound }
      #expect(at.count == 5 && at == at.sorted(), "\(m.name)")
      #expect(
        section.contains(
          "p50 \(f(m.p50)) · p90 \(f(m.p90)) · p99 \(f(m.p99)) · max \(f(m.max)) s · \(m.boots) boots</text>"))
      for s in m.slowest {
        #expect(section.contains("\(s.host), boot \(s.boot): \(f(s.seconds)) s"), "\(m.name) \(s.host)")
      }
    }
    // Every link resolves to an element of the page; the slowest boots link to their boot's report.
    let links = Self.links(section, in: html)
    #expect(links.count >= 2 * 5 * shown.count)
    #expect(links.allSatisfy { $0.1 }, "\(links.filter { !$0.1 })")
    for (n, host) in report.hosts.enumerated() {
      guard host.boots.contains(where: { b in b.incidents.contains { $0.kind == SlowStage.kind } }) else { continue }
      // The slow-stage incident's host: an outlier dot of the chart links to its boot.
      let chart = try #require(section.components(separatedBy: "</svg>").first)
      #expect(chart.contains("<a href=\"#h\(n)-b0\"><circle class=\"bt-dot out\""), "\(host.host)")
      #expect(html.contains("<div class=\"boot\" id=\"h\(n)-b0\">"))
    }
    #expect(occurrences("<circle class=\"bt-dot out\"", in: section) == 5)
    #expect(occurrences("<span class=\"sev sev-warning\">slow-stage</span>", in: section) == 5)
  }

  /// A big fleet's healthy hosts have one line each (`<tr id="hN">`): their slowest boots link there;
  /// the sixth outlier of a metric (the profile keeps five slowest) is still drawn and linked.
  @Test func outliersBeyondTheSlowestKeptAndHealthyLinesAreLinked() throws {
    var hosts: [HostReport] = []
    for i in 0..<60 {
      var boot = Fixture.boot("b\(i)", incidents: [])
      if i % 10 == 3 {
        boot.stages[0].durationSeconds = 30 + Double(i)
        boot.stages[0].steps[0].durationSeconds = 30 + Double(i)
      }
      hosts.append(HostReport(host: String(format: "host-%02d", i), boots: [boot]))
    }
    let report = Fixture.report(hosts)
    let html = HTMLRenderer().render(report)
    let section = try Self.section(html)
    let limits = try #require(report.fleet?.bootTime.first { $0.name == "init-local" }).slowest
    #expect(limits.count == 5 && !limits.map(\.host).contains("host-03"))
    // Six outliers in init-local and in its step: host-03 (the least slow) is drawn all the same.
    #expect(occurrences("<circle class=\"bt-dot out\"", in: section) == 12)
    #expect(section.contains("<a href=\"#h3\"><circle class=\"bt-dot out\""))
    #expect(section.contains("host-03, boot b3: 33.000 s (slow-stage outlier)"))
    let links = Self.links(section, in: html)
    #expect(!links.isEmpty && links.allSatisfy { $0.1 }, "\(links.filter { !$0.1 })")
    #expect(links.contains { $0.0 == "h3" } && html.contains("<tr id=\"h3\">"))
  }

  @Test func aNarrowSpreadIsDrawnOnALinearAxisFromZero() throws {
    let hosts = (0..<3).map { HostReport(host: "h\($0)", boots: [Fixture.boot("b\($0)")]) }
    let html = HTMLRenderer().render(Fixture.report(hosts))
    let section = try Self.section(html)
    #expect(section.contains("Linear scale from 0."))
    #expect(section.contains(">0s</text>") && section.contains(">1.6s</text>") && !section.contains(">0.01s</text>"))
    // Steps of a second or more are shown: init-network/search (1.5 s) and init-local/search (1 s).
    #expect(section.contains(">init-network/search</text>") && section.contains(">init-local/search</text>"))
    #expect(!section.contains("more step"))
    // A report of one instance has no profile, no section.
    let single = HTMLRenderer().render(Fixture.report([hosts[0]], fleet: false))
    #expect(!single.contains("id=\"boottime\""))
  }
}
