/// The `{name}` placeholders of a rule's summary, title and fix, filled with a match's captures.
enum Placeholders {
  /// `{name}` placeholders replaced by captures; unknown names are left as they are.
  static func fill(_ template: String, _ captures: [String: String]) -> String {
    let t = Array(template.utf8)
    guard !captures.isEmpty, t.contains(0x7B) else { return template }
    var out: [UInt8] = []
    out.reserveCapacity(t.count + 64)
    var i = 0
    while i < t.count {
      if t[i] == 0x7B, let close = t[(i + 1)...].firstIndex(of: 0x7D), close - i < 80,
        let value = captures[String(decoding: t[(i + 1)..<close], as: UTF8.self)]
      {
        out.append(contentsOf: value.utf8)
        i = close + 1
        continue
      }
      out.append(t[i])
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }
}
