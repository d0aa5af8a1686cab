/// What the text report shows of an evidence line: the message a person reads, not the transport
/// around it. The line is read with the same `LineParser` as the input; the incident row above it
/// already gives the time, so the time goes:
///
/// - journal JSON and syslog or journal lines: `ident: message`
/// - cloud-init's own lines: `url_helper.py[WARNING]: Calling 'http://…' failed …`
/// - the ECS agent's: `[WARN] message`, or `level=warn msg="message"` (logfmt, without its `time=`)
/// - a line no format knows: the line as it is
///
/// Only the text report's display: the JSON and other formats keep the evidence as it was read.
enum EvidenceMessage {
  static func display(_ text: String) -> String {
    var parser = LineParser(year: 2000)
    let bytes = Array(text.utf8)
    let shown: String? = bytes.withUnsafeBytes { p in
      let parsed = parser.parse(p)
      guard !parsed.isSeparator, parsed.malformed == nil, !parsed.headerless || parsed.time != nil else { return nil }
      let inner = parsed.withInner(p) { String(decoding: $0, as: UTF8.self) }
      let message = withoutStamp(inner)
      guard !message.isEmpty else { return nil }
      return parsed.ident.map { $0 + ": " + message } ?? message
    }
    return shown ?? identified(text) ?? text
  }

  /// `ident: message` as the report already gives a journal record (JSON, export, verbose), with the
  /// message's own stamp taken off; nil when the line is not that or the message has no stamp.
  static func identified(_ text: String) -> String? {
    guard let colon = text.firstRange(of: ": "), text.distance(from: text.startIndex, to: colon.lowerBound) <= 64
    else { return nil }
    let ident = text[..<colon.lowerBound]
    guard !ident.isEmpty, !ident.contains(" ") else { return nil }
    let message = String(text[colon.upperBound...])
    let bare = withoutStamp(message)
    return bare == message || bare.isEmpty ? nil : ident + ": " + bare
  }

  /// `line` without the stamp a cloud-init line (`2025-01-22 09:14:08,740 - `, `[CLOUDINIT] `) or
  /// an ECS agent line (`2020-01-24T20:19:09Z `, before its `[LEVEL]`) starts with.
  static func withoutStamp(_ line: String) -> String {
    let u = Array(line.utf8)
    func digits(_ at: [Int]) -> Bool { at.allSatisfy { $0 < u.count && u[$0] >= 0x30 && u[$0] <= 0x39 } }
    func byte(_ i: Int, _ c: Character) -> Bool { i < u.count && u[i] == c.asciiValue! }
    let date = digits([0, 1, 2, 3, 5, 6, 8, 9]) && byte(4, "-") && byte(7, "-")
    if date && byte(10, " ") && digits([11, 12, 14, 15, 17, 18, 20, 21, 22]) && byte(19, ",")
      && line.utf8.dropFirst(23).starts(with: " - ".utf8)
    {
      return String(decoding: u[26...], as: UTF8.self)
    }
    if date && byte(10, "T"), let space = u.firstIndex(of: 0x20), space < 40, byte(space + 1, "[") {
      return String(decoding: u[(space + 1)...], as: UTF8.self)
    }
    if line.hasPrefix("[CLOUDINIT] ") { return String(line.dropFirst(12)) }
    return withoutTimeField(line)
  }

  /// A logfmt line (the ECS agent's `level=info time=… msg=…`, containerd's `time="…" level=…`)
  /// without its `time=` field, when that is its first or second field.
  static func withoutTimeField(_ line: String) -> String {
    let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
    guard let at = fields.prefix(2).firstIndex(where: { $0.hasPrefix("time=") }),
      at == 0 || fields[0].hasPrefix("level="), fields.count > at + 1
    else { return line }
    let field = fields[at]
    // A date and time, quoted or not, with no space in it (`time="2025-02-04T07:02:20.550928409Z"`).
    let value = field.dropFirst(5)
    let quoted = value.hasPrefix("\"")
    let date = Array((quoted ? value.dropFirst() : value).utf8.prefix(5))
    guard date.count == 5, date[0..<4].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), date[4] == 0x2D,
      !quoted || (value.count > 1 && value.hasSuffix("\""))
    else { return line }
    var kept = fields
    kept.remove(at: at)
    return kept.joined(separator: " ")
  }
}
