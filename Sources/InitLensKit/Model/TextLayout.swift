/// Fitting the text report to its width (`SinkOptions.width`), counted in characters: the report is
/// ASCII but for a few symbols (× ← …) that each take one terminal column.
public enum TextLayout {
  /// `s` in at most `n` characters, its last one "…" when it was cut; control characters but tab
  /// become U+FFFD.
  public static func cut(_ s: String, _ n: Int) -> String {
    let clean = String(s.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" ? "\u{FFFD}" : Character($0) })
    guard clean.count > n else { return clean }
    return n < 1 ? "" : String(clean.prefix(n - 1)) + "…"
  }

  /// `items` joined by spaces in lines of at most `width` characters: the first line starts with
  /// `first`, the others with `rest` spaces. A line breaks only between items; an item longer than a
  /// line (a URL, a path) is broken where the line ends rather than overflow it.
  public static func fill(_ items: [String], first: String, rest: Int, width: Int) -> [String] {
    let restPad = String(repeating: " ", count: max(0, rest))
    var lines: [String] = []
    var line = first
    var empty = true
    for item in items where !item.isEmpty {
      // An item too long for any line is broken from where the line is (a URL after `see:`).
      if !empty && line.count + 1 + item.count > width && rest + item.count <= width {
        lines.append(trimmed(line))
        line = restPad
        empty = true
      }
      var piece = Substring(empty ? item : " " + item)
      while line.count + piece.count > width {
        // What fits of it ends this line (at least a character on a line of its own: never none).
        let room = max(empty ? 1 : 0, width - line.count)
        line += piece.prefix(room)
        piece = piece.dropFirst(room)
        lines.append(trimmed(line))
        line = restPad
        empty = true
        if piece.isEmpty { break }
      }
      line += piece
      if !piece.isEmpty { empty = false }
    }
    if !empty { lines.append(line) }
    return lines
  }

  /// `line` without trailing spaces.
  private static func trimmed(_ line: String) -> String { String(line.reversed().drop { $0 == " " }.reversed()) }

  /// `items` as a list (`a, b, c`) wrapped between items: each line but the last ends with a comma.
  public static func list(_ items: [String], first: String, rest: Int, width: Int) -> [String] {
    fill(items.enumerated().map { $0 < items.count - 1 ? $1 + "," : $1 }, first: first, rest: rest, width: width)
  }

  /// Words of `text` wrapped: the first line at `indent`, the others `hang` further in.
  public static func wrap(_ text: String, width: Int, indent: Int, hang: Int = 2) -> [String] {
    fill(
      text.split(separator: " ").map(String.init), first: String(repeating: " ", count: indent), rest: indent + hang,
      width: width)
  }
}
