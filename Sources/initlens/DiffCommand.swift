import ArgumentParser
import Foundation
import InitLensKit

/// `initlens diff OLD.json NEW.json`: what changed between two JSON reports.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two JSON reports: root causes, incidents and unmatched templates new, gone or changed.",
    discussion: """
      OLD and NEW are reports written with --format json (fleet, merge or single-instance reports), \
      for example before and after an AMI roll-out. An entry is changed when its number of hosts, \
      boots or lines differs, or its share of the hosts moved by at least one percentage point.

      Exit status: 0 done (whatever changed); 2 a report could not be read.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, ndjson
  }

  @Argument(
    help: ArgumentHelp("The earlier report (JSON).", valueName: "OLD.json"), completion: .file(extensions: ["json"]))
  var old: String

  @Argument(
    help: ArgumentHelp("The later report (JSON).", valueName: "NEW.json"), completion: .file(extensions: ["json"]))
  var new: String

  @Option(help: "Output format: text, json, ndjson.")
  var format: Format = .text

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Write the diff to FILE instead of standard output.", valueName: "FILE"), completion: .file())
  var output: String?

  func run() throws {
    let a = try Self.load(old)
    let b = try Self.load(new)
    let diff = ReportDiff(old: a, new: b, oldName: old, newName: new)
    let text: String
    switch format {
    case .text: text = diff.renderText(width: TerminalWidth.current(toTerminal: output == nil))
    case .json: text = diff.renderJSON()
    case .ndjson: text = diff.renderNDJSON()
    }
    try Output.write(text, to: output)
  }

  /// Reads one report; on failure prints `initlens: FILE: message` and exits 2.
  static func load(_ path: String) throws -> ReportDiff.Input {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    guard exists, !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
      let reason = !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot read"
      Output.error("initlens: \(path): \(reason)")
      throw ExitCode(2)
    }
    do {
      return try ReportDiff.load(data)
    } catch {
      Output.error("initlens: \(path): \(error.message)")
      throw ExitCode(2)
    }
  }
}
