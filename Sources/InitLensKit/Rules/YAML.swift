import Yams

/// Rule and chain files read as YAML without Yams' tag resolution: its default resolver matches every
/// scalar against regular expressions (NSRegularExpression) whenever a mapping key is compared, which
/// was a third of the start-up of every run. Rule files only hold text; numbers and booleans are read
/// from their text (`Node.bool`, `Node.int`), so nothing needs a resolved tag.
enum YAML {
  static func compose(_ text: String) throws -> Node? { try Yams.compose(yaml: text, .basic) }
}

extension Node.Mapping {
  /// The value of the key whose text is `key` (the last one, as Yams' own subscript gives).
  subscript(text key: String) -> Node? {
    var found: Node? = nil
    for (k, v) in self where k.scalar?.string == key { found = v }
    return found
  }
}
