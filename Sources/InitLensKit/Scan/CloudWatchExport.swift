/// A CloudWatch Logs export to S3 (`aws logs create-export-task`; `<task>/<stream>/000000.gz`, gunzipped
/// by the reader): one event a line, `2020-09-08T04:00:24.000Z MESSAGE`, a message's other lines after it
/// without the prefix. "Time-based sorting on chunks of log data inside an exported file is not
/// guaranteed": `events(in:)` finds the events and `ordered` puts them back in time order (stable, so
/// events of one millisecond keep their order in the file).
enum CloudWatchExport {
  /// Inputs up to this size are sorted in memory; a larger one is read in file order (and says so).
  static let sortLimitBytes = 256 << 20

  /// Whether `p` starts with an export event's prefix: `YYYY-MM-DDTHH:MM:SS.mmmZ ` and a message that
  /// is no ECS seelog level (`….123Z [WARN] …` is an agent line, not an event).
  static func isEvent(_ p: UnsafeRawBufferPointer) -> Bool {
    guard p.count > 25, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54, p[13] == 0x3A, p[16] == 0x3A, p[19] == 0x2E,
      p[23] == 0x5A, p[24] == 0x20, p[25] != 0x5B
    else { return false }
    for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22] where p[i] &- 0x30 >= 10 { return false }
    return true
  }

  /// Whether an input's head is an export: its first line that is not blank is an event.
  static func starts(_ head: UnsafeRawBufferPointer) -> Bool {
    var start = 0
    while start < head.count {
      var end = start
      while end < head.count, head[end] != 0x0A { end += 1 }
      let line = UnsafeRawBufferPointer(rebasing: head[start..<end])
      if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return isEvent(line) }
      start = end + 1
    }
    return false
  }

  /// One event: its bytes (its first line through its last continuation, line ends included) and the
  /// number of its first line.
  struct Event {
    let range: Range<Int>
    let firstLine: Int
  }

  /// The events of `bytes` in file order (lines before the first event make an event of their own),
  /// and whether they already are in time order.
  static func events(in bytes: UnsafeRawBufferPointer) -> (events: [Event], sorted: Bool) {
    var events: [Event] = []
    var start = 0
    var eventStart = 0
    var eventLine = 1
    var line = 1
    var sorted = true
    var previous = -1
    while start < bytes.count {
      var end = start
      while end < bytes.count, bytes[end] != 0x0A { end += 1 }
      if start > eventStart, isEvent(UnsafeRawBufferPointer(rebasing: bytes[start..<min(end, start + 26)])) {
        events.append(Event(range: eventStart..<start, firstLine: eventLine))
        if previous >= 0, isEvent(bytes, previous), less(bytes, start, previous) { sorted = false }
        previous = eventStart
        eventStart = start
        eventLine = line
      }
      start = end + 1
      line += 1
    }
    if eventStart < bytes.count {
      events.append(Event(range: eventStart..<bytes.count, firstLine: eventLine))
      if previous >= 0, isEvent(bytes, previous), less(bytes, eventStart, previous) { sorted = false }
    }
    return (events, sorted)
  }

  static func isEvent(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Bool {
    isEvent(UnsafeRawBufferPointer(rebasing: bytes[at..<min(bytes.count, at + 26)]))
  }

  /// Whether the event at `a` is earlier than the one at `b` (the fixed-width stamps compare as bytes).
  static func less(_ bytes: UnsafeRawBufferPointer, _ a: Int, _ b: Int) -> Bool {
    for k in 0..<23 where bytes[a + k] != bytes[b + k] { return bytes[a + k] < bytes[b + k] }
    return false
  }

  /// The events in time order; lines before the first event stay first.
  static func ordered(_ bytes: UnsafeRawBufferPointer, _ events: [Event]) -> [Event] {
    let keyed = events.enumerated().map { ($0.offset, $0.element) }
    return keyed.sorted { x, y in
      let (xe, ye) = (isEvent(bytes, x.1.range.lowerBound), isEvent(bytes, y.1.range.lowerBound))
      if xe != ye { return !xe }
      if xe, less(bytes, x.1.range.lowerBound, y.1.range.lowerBound) { return true }
      if xe, less(bytes, y.1.range.lowerBound, x.1.range.lowerBound) { return false }
      return x.0 < y.0
    }.map(\.1)
  }
}
