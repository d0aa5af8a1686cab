import Foundation

/// How `initlens diff` shows a diff: JSON, text for a person, NDJSON.
extension ReportDiff {
  /// The diff as JSON: sorted keys, two-space indent, a final newline (docs/OUTPUT.md).
  public func renderJSON() -> String { JSONRenderer.render(self) }

  /// The diff for a person: totals old → new, then per section the new, gone and changed entries,
  /// in at most `width` columns (a title is cut, a change wraps). Control characters from the reports
  /// (templates are log text) never reach the terminal.
  public func renderText(width: Int = TerminalWidth.piped) -> String {
    var out =
      TextLayout.wrap("initlens diff: \(old.file ?? "old") → \(new.file ?? "new")", width: width, indent: 0)
      .map { $0 + "\n" }.joined() + "\n"
    // The totals: 49 columns, narrower on a narrow terminal (names cut, numbers never).
    let (name, number) = width >= 49 ? (19, 11) : (max(8, width - 26), 9)
    out += "  " + Self.pad("", name) + Self.leftPad("old", 6) + Self.leftPad("new", number)
    out += Self.leftPad("delta", number) + "\n"
    var rows: [(String, Int, Int)] = [
      ("hosts", old.hosts, new.hosts), ("boots", old.boots, new.boots),
      ("incidents", old.incidents, new.incidents), ("root causes", old.rootCauses, new.rootCauses),
      ("affected hosts", old.affectedHosts, new.affectedHosts),
    ]
    if old.unmatchedTemplates + new.unmatchedTemplates > 0 {
      rows.append(("unmatched templates", old.unmatchedTemplates, new.unmatchedTemplates))
    }
    for (label, a, b) in rows {
      out += "  " + Self.pad(TextLayout.cut(label, name), name) + Self.leftPad(String(a), 6)
      out += Self.leftPad(String(b), number) + Self.leftPad(Self.signed(b - a), number) + "\n"
    }
    for (heading, changes) in [
      ("ROOT CAUSES", rootCauses), ("INCIDENTS", incidents), ("UNMATCHED TEMPLATES", unmatched),
    ] {
      out += "\n" + heading + "\n"
      if changes.isEmpty { out += "  no change\n" }
      // The label column: as wide as the widest label, at most 40 (20 on a narrow terminal).
      let labels = min(
        40, max(20, width - 60), (changes.new + changes.gone + changes.changed).map(\.label.count).max() ?? 0)
      func row(_ status: String, _ e: Entry, _ f: Frequency) -> String {
        let head =
          "  " + Self.pad(status, 9) + Self.pad(TextLayout.cut(e.label, labels), labels) + "  " + Self.describe(f)
        let room = min(100, width - head.count - 2)
        return (room >= 8 ? head + "  " + Self.clip(e.title, room) : TextLayout.cut(head, width)) + "\n"
      }
      for e in changes.new { out += row("new", e, e.new!) }
      for e in changes.gone { out += row("gone", e, e.old!) }
      for e in changes.changed {
        let o = e.old!
        let n = e.new!
        var parts = ["hosts \(o.hosts) → \(n.hosts) (\(Self.signed(e.delta.hosts)))"]
        parts.append("\(Self.percent(o.share)) → \(Self.percent(n.share)) (\(Self.points(e.delta.share)))")
        if e.delta.boots != 0 { parts.append("boots \(o.boots) → \(n.boots) (\(Self.signed(e.delta.boots)))") }
        if e.delta.count != 0 { parts.append("lines \(o.count) → \(n.count) (\(Self.signed(e.delta.count)))") }
        out += TextLayout.list(
          parts, first: "  changed  " + Self.pad(TextLayout.cut(e.label, labels), labels) + "  ",
          rest: 13 + labels, width: width
        ).map { $0 + "\n" }.joined()
      }
    }
    if let bootTime { out += bootTime.renderText(width: width) }
    return TextRenderer.terminalSafe(out)
  }

  /// One JSON object per line: `{"type": "rootCause"|"incident"|"unmatched", "status": "new"|"gone"|
  /// "changed", …entry}` for every entry, `{"type": "bootTime", …change}` for each flagged boot-time
  /// change, then `{"type": "summary", "old", "new", "delta"}`.
  public func renderNDJSON() -> String {
    struct EntryLine: Encodable {
      let type: String
      let status: String
      let entry: Entry
      enum CodingKeys: String, CodingKey { case type, status }
      func encode(to encoder: Encoder) throws {
        try entry.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(status, forKey: .status)
      }
    }
    struct SummaryLine: Encodable {
      let type = "summary"
      let old: Totals
      let new: Totals
      let delta: Totals
    }
    var out = ""
    for (type, changes) in [("rootCause", rootCauses), ("incident", incidents), ("unmatched", unmatched)] {
      for (status, list) in [("new", changes.new), ("gone", changes.gone), ("changed", changes.changed)] {
        for e in list { out += NDJSONRenderer.encode(EntryLine(type: type, status: status, entry: e)) + "\n" }
      }
    }
    struct BootTimeLine: Encodable {
      let type = "bootTime"
      let change: BootTimeDiff.Change
      func encode(to encoder: Encoder) throws {
        try change.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
      }
      enum CodingKeys: String, CodingKey { case type }
    }
    for c in bootTime?.metrics ?? [] where c.flag != nil {
      out += NDJSONRenderer.encode(BootTimeLine(change: c)) + "\n"
    }
    out += NDJSONRenderer.encode(SummaryLine(old: old, new: new, delta: delta)) + "\n"
    return out
  }

  static func describe(_ f: Frequency) -> String {
    "\(f.hosts) host\(f.hosts == 1 ? "" : "s") (\(percent(f.share))), \(f.boots) boot\(f.boots == 1 ? "" : "s")"
  }

  static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }

  static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

  static func points(_ delta: Double) -> String {
    (delta > 0 ? "+" : delta < 0 ? "-" : "±") + String(format: "%.1f pp", abs(delta) * 100)
  }

  static func clip(_ s: String, _ n: Int = 100) -> String {
    let oneLine = s.replacingOccurrences(of: "\n", with: " ")
    return oneLine.count > n ? String(oneLine.prefix(n - 1)) + "…" : oneLine
  }

  static func pad(_ s: String, _ n: Int) -> String {
    s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
  }

  static func leftPad(_ s: String, _ n: Int) -> String {
    s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
  }
}

extension ReportDiff.Entry {
  /// The id, and an incident kind's family when it differs (`network-unreachable (imds-unreachable)`).
  var label: String { family.map { $0 == id ? id : "\(id) (\($0))" } ?? id }
}
