import Foundation
import Testing

@testable import InitLensKit

@Suite("CloudInitEvent parsing")
struct CloudInitEventParseTests {
  private func event(_ message: String, time: Int64 = 1_000_000, line: Int = 7) -> CloudInitEvent? {
    Array(message.utf8).withUnsafeBytes { CloudInitEvent.parse(message: $0, time: time, line: line) }
  }

  private func anchor(_ message: String, time: Int64) -> MonotonicAnchor? {
    Array(message.utf8).withUnsafeBytes { MonotonicAnchor.parse(message: $0, time: time, line: 3) }
  }

  @Test func startAndFinish() throws {
    let s = try #require(event("start: init-network/search-Ec2: searching for network data from DataSourceEc2"))
    #expect(s.type == .start && s.name == "init-network/search-Ec2" && s.result == nil && s.origin == 7)
    #expect(s.description == "searching for network data from DataSourceEc2")
    let f = try #require(event("finish: modules-final/config-scripts-user: FAIL: running config-scripts-user x"))
    #expect(f.type == .finish && f.name == "modules-final/config-scripts-user" && f.result == "FAIL")
    #expect(f.description == "running config-scripts-user x" && f.reportedDuration == nil)
  }

  @Test func durationSuffix() throws {
    let f = try #require(event("finish: init-local: SUCCESS: searching for local datasources (duration: 1.234s)"))
    #expect(f.description == "searching for local datasources")
    #expect(f.reportedDuration == 1_234_000)
    let g = try #require(event("finish: a/b: WARN: done (duration: 0.000s)"))
    #expect(g.description == "done" && g.reportedDuration == 0 && g.result == "WARN")
  }

  @Test func banners() throws {
    let cases = [
      ("init-local", "init-local"), ("init", "init-network"), ("modules:config", "modules-config"),
      ("modules:final", "modules-final"), ("single", "single"),
    ]
    for (action, name) in cases {
      let m =
        "Cloud-init v. 24.4.1-0ubuntu0~22.04.1 running '\(action)' at Wed, 05 Feb 2025 12:32:13 +0000. Up 4.62 seconds."
      let e = try #require(event(m), "\(action)")
      #expect(e.type == .start && e.name == name && e.result == nil)
    }
    #expect(
      event("Cloud-init v. 24.4 running 'init-local' at Wed, 05 Feb 2025 12:32:13 +0000. Up 4.62 seconds.")?.description
        == "starting search for local datasources")
    let finished =
      "Cloud-init v. 24.4 finished at Wed, 05 Feb 2025 12:32:40 +0000. Datasource DataSourceEc2Local.  Up 31.27 seconds"
    #expect(event(finished) == nil)
    #expect(event("Cloud-init v. 24.4 running 'schema' at Wed, 05 Feb 2025 12:32:13 +0000. Up 4.62 seconds.") == nil)

    // Anchors: uptime, and the wall time bounded by the banner's own second + 1 s.
    let t = Timestamp.micros(year: 2025, month: 2, day: 5, hour: 12, minute: 32, second: 40, micro: 1_250_000)
    let a = try #require(anchor(finished, time: t))
    #expect(a.uptime == 31_270_000 && a.lineTime == t)
    #expect(a.wallTime == Timestamp.micros(year: 2025, month: 2, day: 5, hour: 12, minute: 32, second: 40) + 999_999)
    let early = Timestamp.micros(year: 2025, month: 2, day: 5, hour: 12, minute: 32, second: 40, micro: 300_000)
    #expect(anchor(finished, time: early)?.wallTime == early)
    #expect(anchor("Cloud-init v. 24.4 finished at Wed, 05 Feb 2025 12:32:40 +0000. Bye.", time: t) == nil)
  }

  @Test func notEvents() {
    #expect(event("Reading from /var/lib/cloud/instance/obj.pkl (quiet=False)") == nil)
    #expect(event("start:init-local") == nil)
    #expect(event("finish: init-local: : empty result") == nil)
    #expect(event("Running command ['systemctl', 'start: x'] with allowed return codes [0]") == nil)
  }
}
