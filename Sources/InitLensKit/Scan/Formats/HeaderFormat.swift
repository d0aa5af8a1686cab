/// One outer line format: how a line of it starts and how its header is read. Each format is a file
/// of this folder; `HeaderFormats.all` lists them in the order detection asks them.
///
/// To add one, copy `UnixJournalFormat.swift` (a small, complete example): name the format
/// (`LineFormat`), say which first bytes are its own, parse the header into `ParsedLine` (time, host,
/// identifier, source, level, where the inner line starts), then add it to `HeaderFormats.all` before
/// the formats that would take its lines (`LogFileFormat` takes what no other format does).
protocol HeaderFormat: Sendable {
  /// Whether `--input-format forced` tries this format (`auto` tries them all).
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool
  /// Whether the line starts the way this format's lines start (a cheap look at its first bytes).
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool
  /// When an exclusive format claims a line but cannot read it, no later format is asked: the line
  /// has no header (a `[` line that is no console line, a `Jun 25` line that is no syslog line).
  static var exclusive: Bool { get }
  /// The first bytes of its headers: a passed-over line starting with one of them may be the record a
  /// later header-less line continues, so the fast path keeps it as context.
  static var headerStarts: [ClosedRange<UInt8>] { get }
  /// Reads the header of `p` into `out`; false when `p` is not a line of this format.
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool
}

extension HeaderFormat {
  static var exclusive: Bool { false }
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool { forced == .auto || forced == .journal }
}

/// The formats in the order detection asks them. The one registration of a format is its line here.
enum HeaderFormats {
  static let all: [any HeaderFormat.Type] = [
    JSONFormat.self,
    CloudWatchExportFormat.self,
    MonotonicJournalFormat.self,
    ConsoleFormat.self,
    SeparatorFormat.self,
    SyslogFormat.self,
    FullJournalFormat.self,
    ISOJournalFormat.self,
    UnixJournalFormat.self,
    AWSLogsTailFormat.self,
    IdentFormat.self,
    LogFileFormat.self,
  ]

  /// Asks each format in turn; false when none read a header (the line has none of its own).
  static func read(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    for format in all where format.isTried(parser.forced, parser) && format.claims(p, parser) {
      if format.parse(p, &out, &parser) { return true }
      if format.exclusive { return false }
    }
    return false
  }

  /// For each first byte, whether a line starting with it may carry a header (`FastPath`).
  static let headerStartTable: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for format in all {
      for range in format.headerStarts { for b in range { table[Int(b)] = true } }
    }
    return table
  }()
}

/// The name of a line's outer format, as detected (or forced with `--input-format`). Each format's
/// file declares its names.
public struct LineFormat: Hashable, Sendable, CustomStringConvertible {
  public let name: String
  /// Lines of one log file (cloud-init.log, ecs-agent.log, plain text): a header-less line after one
  /// continues its record and keeps its source.
  public let isLogFile: Bool

  public init(_ name: String, logFile: Bool = false) {
    self.name = name
    isLogFile = logFile
  }

  public var description: String { name }
  public static func == (a: LineFormat, b: LineFormat) -> Bool { a.name == b.name }
  public func hash(into h: inout Hasher) { h.combine(name) }

  /// No header: script output, a continuation line, cloud-init-output.log text.
  public static let plain = LineFormat("plain", logFile: true)
}
