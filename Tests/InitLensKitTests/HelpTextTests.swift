import Foundation
import Testing

/// `--help` fits the terminal: ArgumentParser wraps every text to `COLUMNS`, so no help text may be
/// wrapped in the source as well (a line break inside a paragraph makes a short line in the middle
/// of a sentence), example commands fit 80 columns, and usage lines are short.
@Suite struct HelpTextTests {
  /// Every command path, the root's included.
  static func paths() throws -> [[String]] {
    [[]] + CompletionTests.commandPaths(try CompletionTests.dumpHelp().command)
  }

  static func help(_ path: [String], columns: Int) throws -> String {
    let r = try run(path + ["--help"], env: ["COLUMNS": "\(columns)"])
    #expect(r.status == 0, "\(path) --help: \(r.err)")
    return r.out
  }

  @Test(arguments: [80, 120])
  func noHelpLineIsWiderThanTheTerminal(_ columns: Int) throws {
    let paths = try Self.paths()
    #expect(paths.count >= 10, "\(paths)")
    for path in paths {
      let text = try Self.help(path, columns: columns)
      #expect(text.contains("USAGE: initlens"), "\(path)")
      for line in text.split(separator: "\n") where line.count > columns {
        Issue.record("initlens \(path.joined(separator: " ")) --help at \(columns) columns: \(line.count): \(line)")
      }
    }
  }

  /// The splits the pre-wrapped texts made at 80 columns, and the default said twice.
  @Test func knownBadSplitsAreGone() throws {
    let root = try Self.help([], columns: 80)
    #expect(!root.contains("rule file\ncould not"), "\(root)")
    let fleet = try Self.help(["fleet"], columns: 80)
    #expect(fleet.contains("(default: the number of"), "\(fleet)")
    #expect(!fleet.contains("cores). (default"), "\(fleet)")
    #expect(!fleet.contains("holding a\ncopy"), "\(fleet)")
    // Each example command is on lines of its own, whole (split by its own ` \`).
    let suggest = try Self.help(["rules", "suggest"], columns: 80).split(separator: "\n").map(String.init)
    for line in [
      "  initlens /var/log/cloud-init.log --format json > report.json",
      "  initlens rules suggest t-1a2b3c4d --from report.json \\",
      "    -o rules/cloud-init/my-rule.yaml",
      "    --from-line '2025-06-25 14:58:01,470 - util.py[WARNING]: ...'",
    ] {
      #expect(suggest.contains(line), "rules suggest --help lacks the line \(line)")
    }
    let watch = try Self.help(["watch"], columns: 80).split(separator: "\n").map(String.init)
    #expect(watch.contains("  journalctl -f -o json | initlens watch --format ndjson \\"))
  }

  /// Texts as written in the source (the man page's JSON): an abstract or an option's help is one
  /// line; in a discussion, a line that is not indented (an example) starts a paragraph, after an
  /// empty line; an example fits 80 columns with its indent.
  @Test func helpTextsAreNotWrappedInTheSource() throws {
    var texts: [(where: String, text: String, isDiscussion: Bool)] = []
    func collect(_ command: [String: Any], _ path: String) {
      texts.append((path, command["abstract"] as? String ?? "", false))
      texts.append((path, command["discussion"] as? String ?? "", true))
      for arg in command["arguments"] as? [[String: Any]] ?? [] {
        let name = "\(path) \(arg["valueName"] as? String ?? "?")"
        texts.append((name, arg["abstract"] as? String ?? "", false))
        texts.append((name, arg["discussion"] as? String ?? "", true))
      }
      for sub in command["subcommands"] as? [[String: Any]] ?? [] {
        collect(sub, path + " " + (sub["commandName"] as? String ?? "?"))
      }
    }
    collect(try CompletionTests.dumpHelp().command, "initlens")
    #expect(texts.filter(\.isDiscussion).filter { !$0.text.isEmpty }.count >= 5)
    for (place, text, isDiscussion) in texts {
      guard isDiscussion else {
        #expect(!text.contains("\n"), "\(place): a line break in a one-line help text: \(text)")
        continue
      }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      for (i, line) in lines.enumerated() where !line.isEmpty {
        if line.hasPrefix(" ") {
          #expect(line.count <= 78, "\(place): an example wider than 78 columns: \(line)")
        } else {
          #expect(i == 0 || lines[i - 1].isEmpty, "\(place): a paragraph wrapped in the source before: \(line)")
        }
      }
    }
  }
}
