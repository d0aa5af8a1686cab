/// The inner line, past any transport prefix: cloud-init's asctime lines, `[CLOUDINIT]`, the ECS agent's
/// seelog and logfmt lines, cloud-init banners and `ci-info:`.

extension LineParser {
  /// Recognises the inner line at `i`: cloud-init asctime, `[CLOUDINIT]`, ECS legacy, ECS logfmt,
  /// seelog epoch errors, cloud-init banners and `ci-info:`. Sets source, level and (inner) time.
  /// `fileLevel`: the line is a whole file line, so its format is the line's format.
  @discardableResult
  mutating func parseInner(_ p: UnsafeRawBufferPointer, _ i: Int, _ out: inout ParsedLine, fileLevel: Bool) -> Bool {
    guard i < p.count else { return false }
    var j = LineParser.skipColour(p, i)
    if p.hasPrefix("FALLBACK: ", at: j) { j += 10 }
    guard j < p.count else { return false }
    let c = p[j]
    if c &- 0x30 < 10 {
      // cloud-init asctime: "2025-06-25 14:58:01,470 - file.py[LEVEL]: "
      if p.byte(j + 10, is: 0x20), p.byte(j + 19, is: 0x2C), let (y, mo, d) = p.isoDate(j),
        let (h, mi, s) = p.clock(j + 11),
        let ms = p.digits(j + 20, 3), p.hasPrefix(" - ", at: j + 23)
      {
        if forced != .auto && forced != .cloudInit && fileLevel { return false }
        out.time = Timestamp.micros(year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: ms * 1000)
        out.source = .cloudInit
        if fileLevel { out.format = .cloudInit }
        if let lb = p.firstIndex(of: 0x5B, from: j + 26, to: j + 90),
          let rb = p.firstIndex(of: 0x5D, from: lb, to: lb + 12)
        {
          out.level = Level(word: p, (lb + 1)..<rb)
          if p.byte(rb + 1, is: 0x3A) { out.messageOffset = min(rb + 3, p.count) - out.inner.lowerBound }
        }
        return true
      }
      // ECS legacy: "2020-01-24T20:19:09Z [WARN] "
      if p.byte(j + 10, is: 0x54), let (t, end) = p.rfc3339(j), p.byte(end, is: 0x20),
        case let lb = LineParser.skipColour(p, end + 1), p.byte(lb, is: 0x5B),
        let rb = p.firstIndex(of: 0x5D, from: lb + 1, to: lb + 13)
      {
        if forced != .auto && forced != .ecs && fileLevel { return false }
        out.time = t
        out.level = Level(word: p, (lb + 1)..<rb)
        out.messageOffset = min(rb + 2, p.count) - out.inner.lowerBound
        out.source = .ecsAgent
        if fileLevel { out.format = .ecsLegacy }
        if let fs = fileSource, fileLevel { out.source = fs }
        return true
      }
      // seelog's own error format: "1749224150222807666 [Error] format error: …" (epoch ns).
      if p.count > j + 21, let ns = p.digits(j, 19), p.hasPrefix(" [", at: j + 19) {
        out.time = Int64(ns / 1000)
        out.level = .error
        out.source = .ecsInit
        if fileLevel { out.format = .ecsLegacy }
        return true
      }
      return false
    }
    if c == 0x6C, p.hasPrefix("level=", at: j) {
      // ECS logfmt: "level=info time=2025-02-04T07:02:20Z msg=…"
      guard let sp = p.firstIndex(of: 0x20, from: j + 6, to: j + 20), p.hasPrefix("time=", at: sp + 1) else {
        return false
      }
      if forced != .auto && forced != .ecs && fileLevel { return false }
      out.level = Level(word: p, (j + 6)..<sp)
      if let (t, _) = p.rfc3339(sp + 6) { out.time = t }
      out.source = .ecsAgent
      if fileLevel {
        out.format = .ecsLogfmt
        if let fs = fileSource { out.source = fs }
      }
      return true
    }
    if c == 0x5B, p.hasPrefix("[CLOUDINIT] ", at: j) {
      out.source = .cloudInit
      if let lb = p.firstIndex(of: 0x5B, from: j + 12, to: j + 80),
        let rb = p.firstIndex(of: 0x5D, from: lb, to: lb + 12)
      {
        out.level = Level(word: p, (lb + 1)..<rb)
        if p.byte(rb + 1, is: 0x3A) { out.messageOffset = min(rb + 3, p.count) - out.inner.lowerBound }
      }
      return true
    }
    // cloud-init's syslog shape without a time (Amazon Linux 2): "handlers.py[DEBUG]: message".
    if !fileLevel, c >= 0x5F || c >= 0x41 && c <= 0x5A, let dot = p.find(LineParser.pyBracket, from: j), dot - j < 48,
      let rb = p.firstIndex(of: 0x5D, from: dot + 4, to: dot + 16), p.byte(rb + 1, is: 0x3A),
      p[j..<dot].allSatisfy({
        $0 == 0x5F || $0 == 0x2D || $0 == 0x2E || $0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A || $0 &- 0x30 < 10
      })
    {
      out.source = .cloudInit
      out.level = Level(word: p, (dot + 4)..<rb)
      out.messageOffset = min(rb + 3, p.count) - out.inner.lowerBound
      return true
    }
    if c == 0x43, p.hasPrefix("Cloud-init v. ", at: j) {
      out.source = .cloudInit
      if out.time == nil, let at = p.find(Array(" at ".utf8), from: j + 14) { out.time = p.rfc2822(at + 4) }
      return !fileLevel
    }
    if c == 0x63, p.hasPrefix("ci-info: ", at: j) {
      out.source = .cloudInit
      return !fileLevel
    }
    return false
  }

  static let pyBracket = Array(".py[".utf8)

  /// 1970-01-01T00:00:00Z up to 9999-12-31T23:59:59.999999Z, in µs.
  static let plausibleTimes: ClosedRange<Int64> = 0...253_402_300_799_999_999

  /// Skips colour codes at `i`: raw `ESC[…m`, and rsyslog's escaped `#033[…m` (old ecs-init wraps its
  /// console lines in them).
  static func skipColour(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int {
    var j = i
    while true {
      var k: Int
      if p.byte(j, is: 0x1B), p.byte(j + 1, is: 0x5B) {
        k = j + 2
      } else if p.hasPrefix("#033[", at: j) {
        k = j + 5
      } else {
        return j
      }
      while k < p.count, k - j < 16, p[k] == 0x3B || p.isDigit(k) { k += 1 }
      guard p.byte(k, is: 0x6D) else { return j }
      j = k + 1
    }
  }
}
