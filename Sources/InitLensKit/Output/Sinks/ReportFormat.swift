/// The output formats, in the order help lists them. Adding a format: one file beside this one that
/// declares a sink and its `static let format`, and one line here.
extension ReportFormat {
  public static let all: [ReportFormat] = [
    TextSink.format,
    JSONSink.format,
    HTMLSink.format,
    NDJSONSink.format,
    SARIFSink.format,
    JUnitSink.format,
    MarkdownSink.format,
    ConsoleSink.format,
  ]
}

/// One output format: its name for `--format`, a line of help, and how to make its sink.
public struct ReportFormat: Sendable {
  public let name: String
  /// What it is for, in a few words (help lists it after the name).
  public let help: String
  /// What it is for in `watch`, when that differs.
  public let liveHelp: String?
  /// The sink for a whole report (`initlens`, `fleet`, `merge`).
  public let make: @Sendable (SinkOptions) -> ReportSink
  /// The sink for a live run (`watch`): each incident and root cause as it is found. Nil: the
  /// format cannot run live.
  public let makeLive: (@Sendable (SinkOptions) -> ReportSink)?

  public init(
    name: String, help: String, make: @escaping @Sendable (SinkOptions) -> ReportSink,
    live: (@Sendable (SinkOptions) -> ReportSink)? = nil, liveHelp: String? = nil
  ) {
    self.name = name
    self.help = help
    self.liveHelp = liveHelp
    self.make = make
    self.makeLive = live
  }

  public var canRunLive: Bool { makeLive != nil }

  /// The format of that name, if any.
  public static func named(_ name: String) -> ReportFormat? { all.first { $0.name == name } }

  /// The formats `watch` can use.
  public static var live: [ReportFormat] { all.filter(\.canRunLive) }
}

/// What a sink is made from: where it writes and the options of the command that makes it.
public struct SinkOptions {
  public var destination: any OutputDestination
  /// Colour codes in text (the CLI asks on a terminal without NO_COLOR).
  public var color = false
  /// The text report's width in terminal columns (the CLI: `TerminalWidth.current`; 100 when piped).
  public var width = TerminalWidth.piped
  /// `--fail-on`: the threshold of a failed JUnit test case (default `error`).
  public var failOn: Severity? = nil
  /// Threads that may render a big JSON report.
  public var threads = 1
  /// `--evidence`: evidence lines shown per incident (default 3).
  public var evidenceLines: Int? = nil
  /// The version SARIF names as the tool's.
  public var toolVersion = ""
  /// Live sinks: a line for the person watching, not part of the output (stderr).
  public var note: (String) -> Void = { _ in }
  /// Live sinks: how the run ended ("; boot complete", "; timed out" or ""), read at `end`.
  public var ending: () -> String = { "" }

  public init(destination: any OutputDestination) { self.destination = destination }

  /// Evidence lines shown per incident.
  var shownEvidence: Int { evidenceLines ?? 3 }
}

/// Where a sink's bytes go: standard output or a file (the CLI), or memory (tests).
public protocol OutputDestination {
  /// Calls `produce` with a function that writes bytes to the destination, opened for this call.
  /// Throws when it cannot be written.
  func stream(_ produce: (@escaping (UnsafeRawBufferPointer) -> Void) -> Void) throws
}

extension OutputDestination {
  public func write(_ text: String) throws {
    try stream { emit in
      var text = text
      text.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
    }
  }
}

/// Bytes kept in memory.
public final class MemoryDestination: OutputDestination {
  public private(set) var bytes: [UInt8] = []
  public init() {}
  public var text: String { String(decoding: bytes, as: UTF8.self) }
  public func stream(_ produce: (@escaping (UnsafeRawBufferPointer) -> Void) -> Void) throws {
    produce { self.bytes.append(contentsOf: $0) }
  }
}

/// A sink could not give its whole output (the report is incomplete); the CLI prints `message`
/// and exits 2.
public struct SinkError: Error, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
