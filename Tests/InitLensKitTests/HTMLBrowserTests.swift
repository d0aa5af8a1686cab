import Foundation
import Testing

@testable import InitLensKit

/// The HTML report in a real browser (headless Chromium through chromedriver, measured by
/// scripts/html-check.py): every sample, the sample fleet, the slow-boots fleet (its Boot time
/// section) and a generated fleet of 300 hosts, at 390, 800 and 1400 px wide. The page body never
/// scrolls sideways, no table cell is cut, chart labels are drawn at 9 px or more, the 300-host page is
/// under 15,000 px tall at 1400 px, and a link to a host opens its collapsed report.
@Suite(.serialized) struct HTMLBrowserTests {
  static let available =
    Requirement.tools("python3", "chromium", "chromedriver") && Requirement.pythonModule("selenium")
  static let reason = "needs chromium, chromedriver and python3's selenium (apt chromium chromium-driver; pip selenium)"

  static func check(_ pages: [URL], _ extra: [String]) throws -> ProcessResult {
    let script = Repo.root.appendingPathComponent("scripts/html-check.py").path
    let r = try ProcessRun.run(
      ["/usr/bin/env", "python3", script, "--widths", "390,800,1400", "--min-font", "9"] + extra + pages.map(\.path),
      timeout: 300)
    return r
  }

  static func write(_ report: Report, _ name: String, in dir: URL) throws -> URL {
    let url = dir.appendingPathComponent(name + ".html")
    try HTMLRenderer().render(report).write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test(.requires(available, reason))
  func samplesReadAtEveryWidth() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-html-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var pages: [URL] = []
    for scenario in GoldenTests.scenarios {
      pages.append(try Self.write(try GoldenTests.report(scenario), scenario, in: dir))
    }
    // A real boot whose cloud-init ran minutes after the kernel (its chart starts at cloud-init).
    let uptime = "Tests/InitLensKitTests/Fixtures/realci/userdata-exit3/cloud-init.log"
    let log = try String(contentsOf: Repo.root.appendingPathComponent(uptime), encoding: .utf8)
    pages.append(try Self.write(analyze([("cloud-init.log", log)], rules: repoRules).0, "uptime", in: dir))
    #expect(pages.count >= 6)
    let single = try Self.check(pages, [])
    #expect(single.status == 0, "\(single.stdout)\(single.stderr)")
    #expect(single.stdout.contains("imds-503.html @390px: body 390/390 px wide"), "\(single.stdout)")

    // samples/fleet (its golden JSON is what `initlens fleet samples/fleet` gives).
    let golden = try Data(contentsOf: Repo.root.appendingPathComponent("samples/fleet/expected.json"))
    let fleet = try Self.write(try Report.decode(golden), "fleet", in: dir)
    let r = try Self.check([fleet], ["--fragment-check"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("fleet.html @390px: body 390/390 px wide"), "\(r.stdout)")
  }

  /// samples/slow-boots (its golden JSON): the Boot time section is shown and its chart legible at
  /// every width, and the chart's links (a slow-stage outlier's first) open the boot's report.
  @Test(.requires(available, reason))
  func slowBootsShowTheirBootTime() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-htmlslow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let golden = try Data(contentsOf: Repo.root.appendingPathComponent("samples/slow-boots/expected.json"))
    let page = try Self.write(try Report.decode(golden), "slow-boots", in: dir)
    let r = try Self.check([page], ["--fragment-check", "--section", "boottime", "--chart-links", "svg.boottime a"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    for width in [390, 800, 1400] {
      #expect(r.stdout.contains("slow-boots.html @\(width)px: body \(width)/\(width) px wide"), "\(r.stdout)")
    }
    #expect(r.stdout.contains("slow-boots.html: section #boottime shown, "), "\(r.stdout)")
    #expect(r.stdout.contains("\"missing\": [], \"outlier\": true"), "\(r.stdout)")
  }

  @Test(.requires(available, reason))
  func aFleetOf300HostsIsShortAndNarrow() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-html300-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try shell(
      "python3 '\(Repo.root.path)/scripts/gen-fleet.py' 300 '\(dir.path)/fleet' --seed 19 --failure-rate 0.3 >/dev/null"
    )
    let (bundles, errors) = BundleFinder.bundles(in: [dir.appendingPathComponent("fleet").path])
    #expect(bundles.count == 300 && errors.isEmpty)
    let (reports, bundleErrors) = FleetRunner(rules: repoRules, options: AnalyzerOptions()).run(bundles, jobs: 2)
    let report = Report.combine(reports, bundles: bundles.count, bundleErrors: bundleErrors)
    #expect((report.fleet?.affectedHosts ?? 0) > 60)
    let page = try Self.write(report, "fleet300", in: dir)
    let r = try Self.check([page], ["--max-height", "15000", "--fragment-check"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    // The height line of the widest width: measured, and under the bound.
    let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("fleet300.html @1400px:") } ?? ""
    let tall = line.components(separatedBy: "wide (").dropFirst().first?.components(separatedBy: ", ").dropFirst()
      .first?.split(separator: " ").first.flatMap { Int($0) }
    #expect(tall != nil && tall! < 15_000, "\(line)")
  }
}
