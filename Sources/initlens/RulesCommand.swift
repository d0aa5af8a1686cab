import ArgumentParser
import Foundation
import InitLensKit

struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "Check or list the rule set.", subcommands: [Check.self, List.self, Suggest.self])

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Validate every rule file and run its examples (exit 2 on any problem).")
    @OptionGroup var rules: RuleOptions

    func run() throws {
      let (set, loadErrors) = try rules.load(refuseEmpty: false)
      let result = RuleChecker.check(set.rules)
      let chains = CorrelationChecker.check(set.correlations)
      // Drafts from `rules suggest` until a person has written their kind and fix.
      let drafts = rules.sources().flatMap { RuleSet.ruleFiles($0).0 }.flatMap(RuleLint.unfinishedDraft)
      for d in result.diagnostics + chains.diagnostics + drafts { Output.error(d.description) }
      if set.rules.isEmpty { Output.error("initlens: no rules loaded (check --rules and --no-default-rules)") }
      let failed =
        loadErrors || !result.diagnostics.isEmpty || !chains.diagnostics.isEmpty || !drafts.isEmpty
        || set.rules.isEmpty
      Output.write(
        "\(plural(set.rules.count, "rule")), \(plural(result.examplesChecked, "example")), "
          + "\(plural(set.correlations.count, "chain")), \(plural(chains.checked, "chain fixture")) checked: "
          + (failed ? "problems found\n" : "all good\n"))
      if failed { throw ExitCode(2) }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List rules (id, kind, family, severity, source, title), then chains (id, cause, window, title).",
      usage: "initlens rules list [<options>]",
      discussion: """
        With --format json or ndjson every entry has a type: rule, event (an event rule) or chain. A \
        chain has its cause, causeCaptures, symptoms, require (any, all, none or a list), order, \
        window (s) and description.
        """)
    @Option(help: "Output format.")
    var format: ListFormat = .text
    @OptionGroup var rules: RuleOptions

    struct Entry: Encodable {
      let id, kind, severity, source, title, file: String
      /// null for event rules.
      let family: String?
      let isEvent: Bool

      enum CodingKeys: String, CodingKey { case type, id, kind, family, severity, source, title, file }
      func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isEvent ? "event" : "rule", forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(family, forKey: .family)
        try c.encode(severity, forKey: .severity)
        try c.encode(source, forKey: .source)
        try c.encode(title, forKey: .title)
        try c.encode(file, forKey: .file)
      }
    }

    /// A root-cause chain of `correlations/`.
    struct Chain: Encodable {
      let rule: CorrelationRule

      enum CodingKeys: String, CodingKey {
        case type, id, title, description, cause, causeCaptures, symptoms, require, order, window, file
      }
      func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("chain", forKey: .type)
        try c.encode(rule.id, forKey: .id)
        try c.encode(rule.title, forKey: .title)
        try c.encode(rule.description, forKey: .description)
        try c.encode(rule.cause, forKey: .cause)
        try c.encode(
          Dictionary(rule.causeCaptures.map { ($0.0, $0.1.source) }, uniquingKeysWith: { a, _ in a }),
          forKey: .causeCaptures)
        try c.encode(rule.symptoms, forKey: .symptoms)
        switch rule.require {
        case .any: try c.encode("any", forKey: .require)
        case .all: try c.encode("all", forKey: .require)
        case .none: try c.encode("none", forKey: .require)
        case .oneOf(let kinds): try c.encode(kinds, forKey: .require)
        }
        try c.encode(rule.causeFirst ? "cause-first" : "any", forKey: .order)
        try c.encode(rule.window, forKey: .window)
        try c.encode(rule.file, forKey: .file)
      }
    }

    /// A rule or a chain, so that both are one list.
    enum Item: Encodable {
      case rule(Entry)
      case chain(Chain)
      func encode(to encoder: Encoder) throws {
        switch self {
        case .rule(let e): try e.encode(to: encoder)
        case .chain(let c): try c.encode(to: encoder)
        }
      }
    }

    func run() throws {
      let (set, errors) = try rules.load()
      let entries = set.rules.map {
        Entry(
          id: $0.id, kind: $0.kind, severity: $0.severity.rawValue, source: $0.source.rawValue, title: $0.title,
          file: $0.file, family: $0.family, isEvent: $0.isEvent)
      }
      let chains = set.correlations.map(Chain.init)
      let items = entries.map(Item.rule) + chains.map(Item.chain)
      switch format {
      case .json:
        Output.write(JSONRenderer.render(items))
      case .ndjson:
        Output.ndjson(items)
      case .text:
        let width = TerminalWidth.listing()
        let w0 = max(2, entries.map(\.id.count).max() ?? 0)
        let w1 = max(4, entries.map(\.kind.count).max() ?? 0)
        let w2 = max(6, entries.map { ($0.family ?? "-").count }.max() ?? 0)
        // One row per rule, its title cut to the width; when even a short title has no room, the rule
        // takes two lines: id, severity and source, then kind, family and title.
        let wide = w0 + w1 + w2 + 30 + 12 <= width
        var out =
          wide
          ? "\("ID".pad(w0))  \("KIND".pad(w1))  \("FAMILY".pad(w2))  SEVERITY  SOURCE      TITLE\n"
          : TextLayout.cut("\("ID".pad(w0))  SEVERITY  SOURCE", width) + "\n    KIND (FAMILY): TITLE\n"
        for e in entries {
          if wide {
            let row =
              "\(e.id.pad(w0))  \(e.kind.pad(w1))  \((e.family ?? "-").pad(w2))  \(e.severity.pad(8))  \(e.source.pad(10))  "
            out += row + TextLayout.cut(e.title, width - row.count) + "\n"
          } else {
            out += TextLayout.cut("\(e.id.pad(w0))  \(e.severity.pad(8))  \(e.source)", width) + "\n"
            let family = e.family.map { $0 == e.kind ? "" : " (\($0))" } ?? ""
            out += TextLayout.cut("    \(e.kind)\(family): \(e.title)", width) + "\n"
          }
        }
        if !chains.isEmpty {
          let c0 = max(5, chains.map(\.rule.id.count).max() ?? 0)
          let c1 = max(5, chains.map(\.rule.cause.count).max() ?? 0)
          let twoLines = c0 + c1 + 14 + 12 > width
          out +=
            twoLines
            ? "\nCHAIN  (CAUSE, WINDOW)\n    TITLE\n" : "\n\("CHAIN".pad(c0))  \("CAUSE".pad(c1))  WINDOW  TITLE\n"
          for c in chains {
            if twoLines {
              out += TextLayout.cut("\(c.rule.id)  (\(c.rule.cause), \(seconds(c.rule.window)))", width) + "\n"
              out += TextLayout.cut("    \(c.rule.title)", width) + "\n"
            } else {
              let row = "\(c.rule.id.pad(c0))  \(c.rule.cause.pad(c1))  \(seconds(c.rule.window).pad(6))  "
              out += row + TextLayout.cut(c.rule.title, width - row.count) + "\n"
            }
          }
        }
        Output.write(out)
      }
      if errors { throw ExitCode(2) }
    }

    /// A window as written in chain files: 2h, 10m, 90s.
    func seconds(_ s: Double) -> String {
      let n = Int(s)
      guard Double(n) == s else { return "\(s)s" }
      if n > 0 && n % 3600 == 0 { return "\(n / 3600)h" }
      if n > 0 && n % 60 == 0 { return "\(n / 60)m" }
      return "\(n)s"
    }
  }
}

extension RulesCommand {
  struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a draft rule for a template of unmatched warnings, or for one log line.",
      usage: """
        initlens rules suggest [<options>] <TEMPLATE-ID> [--from <REPORT.json>]
        initlens rules suggest [<options>] --from-line <LINE>
        """,
      discussion: """
        The template comes from the `unmatched` list of a JSON report (`initlens ... --format json`), \
        read from --from FILE or standard input. The draft has an escaped pattern with a named capture \
        per variable part and the template's lines as examples; `rules check` rejects it until its \
        kind and fix are written:
          initlens /var/log/cloud-init.log --format json > report.json
          initlens rules suggest t-1a2b3c4d --from report.json \\
            -o rules/cloud-init/my-rule.yaml
          initlens rules suggest \\
            --from-line '2025-06-25 14:58:01,470 - util.py[WARNING]: ...'
        """)

    @Argument(help: ArgumentHelp("Template id from the report's unmatched list (t-...).", valueName: "TEMPLATE-ID"))
    var templateID: String?

    @Option(
      name: .customLong("from"),
      help: ArgumentHelp(
        "The JSON report that lists the template (default: standard input).", valueName: "REPORT.json"),
      completion: .file(extensions: ["json"]))
    var report: String?

    @Option(
      name: .customLong("from-line"), help: ArgumentHelp("Draft a rule for this one log line.", valueName: "LINE"))
    var line: String?

    @Option(
      name: [.short, .customLong("output")],
      help: ArgumentHelp("Write the draft to FILE (its name, without .yaml, is the rule id).", valueName: "FILE"),
      completion: .file(extensions: ["yaml"]))
    var output: String?

    @Option(help: "Rule id (default: the output file's name, else draft-<template id>).")
    var id: String?

    func validate() throws {
      if (templateID == nil) == (line == nil) { throw ValidationError("give a TEMPLATE-ID or --from-line LINE") }
      if line != nil, report != nil {
        throw ValidationError("--from reads a template id's report; not with --from-line")
      }
    }

    /// One line on stderr, exit status 2.
    func fail(_ message: String) -> ExitCode {
      Output.error("initlens: " + message)
      return ExitCode(2)
    }

    func run() throws {
      let template: UnmatchedTemplate
      var origin: String? = nil
      if let line {
        template = RuleDraft.template(fromLine: line)
        origin = "the line given with --from-line"
      } else {
        template = try find(templateID!)
      }
      var ruleID = id ?? RuleDraft.defaultID(templateID: template.id)
      if let output {
        // The loader wants the id to be the file name.
        let base = RuleDraft.fileID(output)
        guard RuleDraft.isValidID(base) else {
          throw fail("\(output): the file name is the rule id, so it must be lower-case kebab-case ([a-z0-9-].yaml)")
        }
        if let id, id != base { throw fail("the rule id '\(id)' must be the file name: write it to \(id).yaml") }
        ruleID = base
      }
      let draft: RuleDraft.Draft
      do {
        draft = try RuleDraft.make(template, id: ruleID, origin: origin)
      } catch {
        throw fail(error.message)
      }
      guard let output else { return Output.write(draft.text) }
      do {
        try draft.text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        throw fail("\(output): cannot write (\(error.localizedDescription))")
      }
      Output.error(
        "initlens: wrote \(output); write its kind, family and fix, then run initlens rules check --rules DIR")
    }

    /// The template with `id` in the report's `unmatched` list.
    func find(_ id: String) throws -> UnmatchedTemplate {
      struct Partial: Decodable { let unmatched: [UnmatchedTemplate]? }
      let name = report ?? "standard input"
      let data: Data
      if let report {
        guard let d = FileManager.default.contents(atPath: report) else { throw fail("\(report): cannot read") }
        data = d
      } else {
        if Output.stdinIsTerminal {
          throw fail("no report to read the template from: give --from REPORT.json, or pipe a JSON report in")
        }
        data = FileHandle.standardInput.readDataToEndOfFile()
      }
      guard let partial = try? JSONDecoder().decode(Partial.self, from: data) else {
        throw fail("\(name): not an initlens JSON report (make one with --format json)")
      }
      guard let list = partial.unmatched else {
        throw fail("\(name): the report has no unmatched list (written by an older initlens: run it again)")
      }
      guard let t = list.first(where: { $0.id == id }) else {
        let known =
          list.isEmpty ? "it lists none" : "it lists \(list.count): \(list.prefix(5).map(\.id).joined(separator: ", "))"
        throw fail(
          "no template \(id) in \(name)'s unmatched list (\(known)); see them with "
            + "`jq '.unmatched[] | {id, template}' REPORT.json` or in the text report")
      }
      return t
    }
  }
}

func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

extension String {
  func pad(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
