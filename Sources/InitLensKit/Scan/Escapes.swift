/// Terminal escape sequences in log text: colour codes that systemd, ecs-init and scripts write to the
/// console (`ESC[0;32m`), and rsyslog's printable form of them (`#033[0;32m`, its escape of control
/// characters). They carry nothing a reader needs, so evidence lines and templates go without them.
enum Escapes {
  private static let rsyslogEscape = Array("#033[".utf8)

  /// `p` without escape sequences, or nil when it holds none (the common case: one `memchr`-like pass).
  static func stripped(_ p: UnsafeRawBufferPointer) -> [UInt8]? {
    guard p.firstIndex(of: 0x1B, from: 0) != nil || p.find(rsyslogEscape, from: 0) != nil else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(p.count)
    var i = 0
    while i < p.count {
      var body: Int? = nil
      if p[i] == 0x1B {
        if p.byte(i + 1, is: 0x5B) {
          body = i + 2
        } else {
          i += min(2, p.count - i)  // ESC and one more byte (ESC ( B, ESC =, …)
          continue
        }
      } else if p[i] == 0x23, p.hasPrefix("#033[", at: i) {
        body = i + 5
      }
      guard var j = body else {
        out.append(p[i])
        i += 1
        continue
      }
      // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
      while j < p.count, p[j] &- 0x30 < 0x10 { j += 1 }
      while j < p.count, p[j] &- 0x20 < 0x10 { j += 1 }
      if j < p.count, p[j] &- 0x40 < 0x3F { j += 1 }
      i = j
    }
    return out
  }

  /// `s` without escape sequences.
  static func stripped(_ s: String) -> String {
    var s = s
    return s.withUTF8 { u in
      stripped(UnsafeRawBufferPointer(u)).map { String(decoding: $0, as: UTF8.self) }
    } ?? s
  }
}
