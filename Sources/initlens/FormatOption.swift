import ArgumentParser
import InitLensKit

/// `--format` of `initlens`, `fleet` and `merge`: any format of the registry (`ReportFormat.all`);
/// the values help and completions list come from it.
struct FormatName: ExpressibleByArgument {
  let format: ReportFormat
  init(_ format: ReportFormat) { self.format = format }
  init?(argument: String) {
    guard let format = ReportFormat.named(argument) else { return nil }
    self.format = format
  }
  static let text = FormatName(ReportFormat.named("text")!)
  var defaultValueDescription: String { format.name }
  static var allValueStrings: [String] { ReportFormat.all.map(\.name) }
  static var allValueDescriptions: [String: String] {
    Dictionary(uniqueKeysWithValues: ReportFormat.all.map { ($0.name, $0.help) })
  }
  static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// `--format` of `watch`: the formats of the registry that can run live.
struct LiveFormatName: ExpressibleByArgument {
  let format: ReportFormat
  init(_ format: ReportFormat) { self.format = format }
  init?(argument: String) {
    guard let format = ReportFormat.named(argument), format.canRunLive else { return nil }
    self.format = format
  }
  static let text = LiveFormatName(ReportFormat.named("text")!)
  var defaultValueDescription: String { format.name }
  static var allValueStrings: [String] { ReportFormat.live.map(\.name) }
  static var allValueDescriptions: [String: String] {
    Dictionary(uniqueKeysWithValues: ReportFormat.live.map { ($0.name, $0.liveHelp ?? $0.help) })
  }
  static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// `--format` of `rules list` and `explain`, which print lists, not reports.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, ndjson
}

/// Standard output, or the file of `-o FILE` (created or truncated when the output is written).
struct StdoutOrFile: OutputDestination {
  let path: String?
  func stream(_ produce: (@escaping (UnsafeRawBufferPointer) -> Void) -> Void) throws {
    try Output.stream(to: path, produce)
  }
}

extension SinkOptions {
  /// A command's sink options: to `path` or stdout, in colour on a terminal without NO_COLOR, as wide
  /// as `COLUMNS`, else the terminal on stdout, else 100.
  init(to path: String?) {
    self.init(destination: StdoutOrFile(path: path))
    color = Output.colorWanted && path == nil
    width = TerminalWidth.current(toTerminal: path == nil)
    toolVersion = InitLensVersion.string
  }
}

/// Runs `end` (a sink's, or a combining step's that ends one); a sink that could not give its
/// whole output is one line on stderr and exit 2.
func ending<T>(_ end: () throws -> T) throws -> T {
  do { return try end() } catch let error as SinkError {
    Output.error("initlens: \(error.message)")
    throw ExitCode(2)
  }
}
