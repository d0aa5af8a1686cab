import Foundation

@testable import InitLensKit

/// A boot as the unit sees it live: real cloud-init output (`Fixtures/realci/<scenario>`) as the
/// journal's `cloud-init` lines (`journalctl -o json`), then the ECS lines of
/// samples/ecs-warm-pool-404 (ecs-init and ecs.service in the journal, and, with `agentLog`, the
/// agent's own log), moved in time to just after cloud-init's final stage.
struct RecordedBoot {
  enum Channel { case journal, agentLog }
  struct Line {
    var time: Int64
    var channel: Channel
    var text: String
  }

  static let host = "ip-10-0-2-148.ec2.internal"
  static let bootID = "c27e90b4d5a84f1e9b06d3a1f58e2c47"

  let lines: [Line]

  init(realci scenario: String, agentLog: Bool) throws {
    var lines: [Line] = []
    var t: Int64 = 0
    var pid = 1880
    for text in try Self.read("Tests/InitLensKitTests/Fixtures/realci/\(scenario)/cloud-init-output.log") {
      if let stamp = Self.time(in: text) { t = max(t, stamp) }
      if text.hasPrefix("Cloud-init v.") && text.contains(" running ") { pid += 100 }
      lines.append(Line(time: t, channel: .journal, text: Self.entry(t, "cloud-init", pid, text)))
    }
    // The ECS lines keep their spacing, starting a second after cloud-init's last line.
    let ecsStart: Int64 = 1_738_652_529_000_000  // 2025-02-04T07:02:09Z, ecs.service starting
    let shift = t + 1_000_000 - ecsStart
    for text in try Self.read("samples/ecs-warm-pool-404/journal.txt")
    where text.contains(" amazon-ecs-init[") || text.contains("ecs.service") {
      // `2025-02-04T07:02:09+0000 HOST IDENT[PID]: MESSAGE`
      let parts = text.split(separator: " ", maxSplits: 3).map(String.init)
      let ident = parts[2].prefix { $0 != "[" }
      let pid = Int(parts[2].dropFirst(ident.count + 1).prefix { $0 != "]" }) ?? 1
      let at = Self.iso(parts[0].replacingOccurrences(of: "+0000", with: "Z"))! + shift
      let message = Self.moveTimes(String(parts[3].dropFirst(0)), by: shift)
      lines.append(Line(time: at, channel: .journal, text: Self.entry(at, String(ident), pid, message)))
    }
    if agentLog {
      for text in try Self.read("samples/ecs-warm-pool-404/ecs-agent.log") {
        let moved = Self.moveTimes(text, by: shift)
        let at = Self.iso(String(moved.split(separator: " ")[1].dropFirst("time=".count)))!
        lines.append(Line(time: at, channel: .agentLog, text: moved))
      }
    }
    // In time order; at one time the journal first (ecs-init starts the agent before it logs).
    self.lines = lines.enumerated().sorted {
      ($0.element.time, $0.element.channel == .journal ? 0 : 1, $0.offset)
        < ($1.element.time, $1.element.channel == .journal ? 0 : 1, $1.offset)
    }.map(\.element)
  }

  static func read(_ path: String) throws -> [String] {
    try String(contentsOf: Repo.root.appendingPathComponent(path), encoding: .utf8)
      .split(separator: "\n").map(String.init)
  }

  /// One `journalctl -o json` line.
  static func entry(_ time: Int64, _ ident: String, _ pid: Int, _ message: String) -> String {
    let fields: [String: String] = [
      "__REALTIME_TIMESTAMP": String(time), "_HOSTNAME": host, "_BOOT_ID": bootID, "SYSLOG_IDENTIFIER": ident,
      "_PID": String(pid), "PRIORITY": "6", "_TRANSPORT": "stdout", "MESSAGE": message,
    ]
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }

  /// The time a cloud-init output line names: `2026-12-01 23:12:49,073 - …` or `… at Tue, 01 Dec 2026 23:12:50 +0000.`
  static func time(in line: String) -> Int64? {
    if let r = line.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#, options: .regularExpression) {
      return iso(line[r].replacingOccurrences(of: " ", with: "T") + "Z")
    }
    if let r = line.range(of: #"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d"#, options: .regularExpression) {
      let f = DateFormatter()
      f.locale = Locale(identifier: "en_US_POSIX")
      f.timeZone = TimeZone(identifier: "UTC")
      f.dateFormat = "dd MMM yyyy HH:mm:ss"
      return f.date(from: String(line[r])).map { Int64($0.timeIntervalSince1970) * 1_000_000 }
    }
    return nil
  }

  /// µs since the epoch of `2025-02-04T07:02:09Z`.
  static func iso(_ s: String) -> Int64? {
    ISO8601DateFormatter().date(from: s).map { Int64($0.timeIntervalSince1970) * 1_000_000 }
  }

  /// The agent's and ecs-init's own `time=…Z` moved by `shift` µs.
  static func moveTimes(_ line: String, by shift: Int64) -> String {
    guard let r = line.range(of: #"time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, options: .regularExpression),
      let t = iso(String(line[r].dropFirst("time=".count)))
    else { return line }
    let moved = Date(timeIntervalSince1970: Double((t + shift) / 1_000_000))
    return line.replacingCharacters(in: r, with: "time=" + ISO8601DateFormatter().string(from: moved))
  }
}
