import Foundation

/// CloudWatch Logs JSON as the AWS CLI prints it (docs/INPUTS.md; COLLECTED §3): events shipped by the
/// CloudWatch agent, one log line (or a line and its continuations) each, with the log stream (the
/// instance id by default) and the event time in ms.
///
/// - `aws logs filter-log-events`: `{"events":[{"logStreamName","timestamp","message",…}],…}`;
/// - `aws logs get-log-events`: `{"events":[{"timestamp","message",…}],"nextForwardToken",…}` (no stream);
/// - Logs Insights `aws logs get-query-results`: `{"results":[[{"field":"@timestamp","value":…},…]],…}`
///   (`@message`, `@logStream`, `@log` = `account:group`; rows may come newest first).
///
/// Several pages may follow one another in one file (`{…}{…}`, `{…}\n{…}`). Unwrapped once per input:
/// the events are grouped by log stream (and log group), each stream's sorted by time, and each
/// stream is then read as the `aws logs tail` lines it would print (the tail format of `Formats/`).
public enum CloudWatchLogs {
  public struct Event: Equatable, Sendable {
    /// The event time (µs since the epoch, UTC), when the document gives one.
    public let time: Int64?
    public let message: String
  }

  /// One log stream's events of one log group.
  public struct Stream: Equatable, Sendable {
    public let name: String?
    public let group: String?
    public var events: [Event]
  }

  /// Why a document that looks like CloudWatch Logs JSON is not read.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  static let firstKeys: Set<String> = [
    "events", "results", "nextForwardToken", "nextBackwardToken", "searchedLogStreams", "NextToken", "nextToken",
    "statistics", "status",
  ]
  static let eventsKey = Array("\"events\"".utf8)
  static let resultsKey = Array("\"results\"".utf8)

  /// Whether an input's head is CloudWatch Logs JSON: an object whose first key is one of a response's
  /// keys, and which holds `events` or `results` (a journal, ECS or console output record has neither).
  public static func isHead(_ p: UnsafeRawBufferPointer) -> Bool {
    var i = ConsoleOutput.skipSpace(p, 0)
    guard p.byte(i, is: 0x7B) else { return false }
    i = ConsoleOutput.skipSpace(p, i + 1)
    guard p.byte(i, is: 0x22), let end = p.firstIndex(of: 0x22, from: i + 1, to: i + 24),
      firstKeys.contains(p.string((i + 1)..<end))
    else { return false }
    return p.find(eventsKey, from: i) != nil || p.find(resultsKey, from: i) != nil
  }

  /// The streams of a document (or of pages one after another), sorted by stream and group, each
  /// stream's events in time order (stable: events of one time keep their order).
  public static func streams(json bytes: [UInt8]) throws -> [Stream] {
    let pages = try topLevelValues(bytes)
    var streams: [Stream] = []
    var index: [String: Int] = [:]
    for (n, page) in pages.enumerated() {
      let value: Any
      do {
        value = try JSONSerialization.jsonObject(with: Data(page))
      } catch {
        throw Failure(description: "page \(n + 1) does not parse as JSON")
      }
      let objects =
        (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? [value as? [String: Any]].compactMap { $0 }
      guard !objects.isEmpty else { throw Failure(description: "page \(n + 1) is no JSON object") }
      for object in objects {
        guard let events = events(object) else {
          throw Failure(description: "page \(n + 1) holds neither \"events\" nor \"results\"")
        }
        for (stream, group, event) in events {
          let key = "\(stream ?? "")\u{0}\(group ?? "")"
          if let i = index[key] {
            streams[i].events.append(event)
          } else {
            index[key] = streams.count
            streams.append(Stream(name: stream, group: group, events: [event]))
          }
        }
      }
    }
    for i in streams.indices where streams[i].events.allSatisfy({ $0.time != nil }) {
      streams[i].events = streams[i].events.enumerated().sorted { a, b in
        (a.element.time!, a.offset) < (b.element.time!, b.offset)
      }.map(\.element)
    }
    return streams.sorted { ($0.name ?? "", $0.group ?? "") < ($1.name ?? "", $1.group ?? "") }
  }

  /// The events of one page: (stream, group, event); nil when it is no CloudWatch Logs response.
  static func events(_ object: [String: Any]) -> [(String?, String?, Event)]? {
    if let events = object["events"] as? [Any] {
      return events.compactMap { $0 as? [String: Any] }.compactMap { e in
        guard let message = e["message"] as? String else { return nil }
        let time = (e["timestamp"] as? NSNumber).map { $0.int64Value * 1000 }
        return (e["logStreamName"] as? String, nil, Event(time: time, message: message))
      }
    }
    guard let rows = object["results"] as? [Any] else { return nil }
    return rows.compactMap { $0 as? [Any] }.compactMap { row in
      var fields: [String: String] = [:]
      for case let field as [String: Any] in row {
        if let name = field["field"] as? String, let value = field["value"] as? String { fields[name] = value }
      }
      guard let message = fields["@message"] else { return nil }
      // `@log` is `account-id:log-group`.
      let group = fields["@log"].map { log in
        log.firstIndex(of: ":").map { String(log[log.index(after: $0)...]) } ?? log
      }
      return (fields["@logStream"], group, Event(time: fields["@timestamp"].flatMap(insightsTime), message: message))
    }
  }

  /// `2024-01-15 10:23:45.123` (Logs Insights' `@timestamp`, UTC) in µs.
  static func insightsTime(_ s: String) -> Int64? {
    Array(s.utf8).withUnsafeBytes { p -> Int64? in
      guard p.count >= 19, p[10] == 0x20 || p[10] == 0x54, let (y, mo, d) = p.isoDate(0), let (h, mi, sec) = p.clock(11)
      else { return nil }
      var micro = 0
      if p.byte(19, is: 0x2E) {
        var i = 20
        var scale = 100_000
        while i < p.count, p[i] &- 0x30 < 10 {
          micro += Int(p[i] - 0x30) * scale
          scale /= 10
          i += 1
        }
      }
      return Timestamp.micros(year: y, month: mo, day: d, hour: h, minute: mi, second: sec, micro: micro)
    }
  }

  /// The top-level JSON values of `bytes`, one after another; throws when something else is between
  /// them or the last one is not closed.
  static func topLevelValues(_ bytes: [UInt8]) throws -> [ArraySlice<UInt8>] {
    func stray(_ i: Int) -> Failure { Failure(description: "byte \(i + 1) is outside any JSON document") }
    var values: [ArraySlice<UInt8>] = []
    var depth = 0
    var start = 0
    var inString = false
    var escaped = false
    for i in bytes.indices {
      let b = bytes[i]
      if inString {
        if escaped {
          escaped = false
        } else if b == 0x5C {
          escaped = true
        } else if b == 0x22 {
          inString = false
        }
        continue
      }
      switch b {
      case 0x22:
        guard depth > 0 else { throw stray(i) }
        inString = true
      case 0x7B, 0x5B:
        if depth == 0 { start = i }
        depth += 1
      case 0x7D, 0x5D:
        depth -= 1
        guard depth >= 0 else { throw stray(i) }
        if depth == 0 { values.append(bytes[start...i]) }
      case 0x20, 0x09, 0x0A, 0x0D:
        break
      default:
        guard depth > 0 else { throw stray(i) }
      }
    }
    guard depth == 0 else { throw Failure(description: "it ends inside a JSON document (cut short?)") }
    guard !values.isEmpty else { throw Failure(description: "it holds no JSON document") }
    return values
  }

  /// A stream's events as `aws logs tail` prints them: `--format detailed` (event time, stream, message)
  /// when the stream name is one word, else `--format short` (the host is then the input's); the other
  /// lines of a message follow it as they are. A message keeps its own time where it has one.
  public static func tailText(_ stream: Stream) -> [UInt8] {
    let detailed =
      stream.name.map { name in
        !name.isEmpty && name.utf8.count <= 512 && name.utf8.first != 0x5B && name.utf8.allSatisfy { $0 > 0x20 }
      } ?? false
    var out: [UInt8] = []
    for event in stream.events {
      var message = Substring(event.message)
      while let last = message.last, last == "\n" || last == "\r" { message = message.dropLast() }
      if message.isEmpty { continue }
      if let time = event.time {
        let (y, mo, d, h, mi, s, us) = Timestamp.components(time)
        var stamp =
          pad(y, 4) + "-" + pad(mo, 2) + "-" + pad(d, 2) + "T" + pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2)
        if detailed, let name = stream.name { stamp += "." + pad(us, 6) + "+00:00 " + name }
        out += Array(stamp.utf8)
        out.append(0x20)
      }
      out += Array(message.utf8)
      out.append(0x0A)
    }
    return out
  }

  static func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }

  /// The instance id a file is named after (`i-0abc….json`, `i-0abc….cloud-init.json`), if any: the
  /// host of a `get-log-events` document, which names no stream.
  public static func instanceID(fileName name: String) -> String? {
    let base = name.split(separator: "/").last ?? ""
    let stem = base.split(separator: ".").first ?? ""
    let hex = stem.dropFirst(2).utf8
    guard stem.hasPrefix("i-"), hex.count == 8 || hex.count == 17,
      hex.allSatisfy({ $0 &- 0x30 < 10 || $0 &- 0x61 < 6 })
    else { return nil }
    return String(stem)
  }

  /// The source a log group's name implies (the CloudWatch agent's groups are named after the file they
  /// ship: `/var/log/cloud-init-output.log`, `/ec2/cloud-init`, `/ecs/agent`, `/var/log/ecs/ecs-init.log`).
  public static func source(forGroup group: String) -> Source? {
    let g = group.lowercased()
    if g.contains("cloud-init") || g.contains("cloudinit") { return .cloudInit }
    if g.contains("ecs-init") || g.contains("ecs/init") || g.contains("ecs_init") { return .ecsInit }
    if g.contains("ecs-agent") || g.contains("ecs/agent") || g.contains("ecs_agent") { return .ecsAgent }
    return nil
  }
}
