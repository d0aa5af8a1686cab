/// Where a line came from: input name and 1-based line number.
public struct Origin: Codable, Sendable, Hashable, Comparable {
  public var file: String
  public var line: Int
  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }
  public static func < (a: Origin, b: Origin) -> Bool { (a.file, a.line) < (b.file, b.line) }
}
