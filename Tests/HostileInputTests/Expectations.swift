import InitLensKit
import Testing

/// The number of lines a correct reader finds: ends are `\n`, `\r\n` and a lone `\r`; a final line
/// without an end counts.
func lineCount(_ b: [UInt8]) -> Int {
  var n = 0
  var i = 0
  var inLine = false
  while i < b.count {
    switch b[i] {
    case 0x0A:
      n += 1
      inLine = false
    case 0x0D:
      n += 1
      inLine = false
      if i + 1 < b.count && b[i + 1] == 0x0A { i += 1 }
    default:
      inLine = true
    }
    i += 1
  }
  return n + (inLine ? 1 : 0)
}

/// Checks the line-accounting identity of a library report, and that every line was counted.
func expectAccounting(
  _ summary: Summary, lines: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    summary.linesRead == summary.linesMatched + summary.linesUnmatched + summary.linesSkipped,
    "linesRead \(summary.linesRead) != \(summary.linesMatched) + \(summary.linesUnmatched) + \(summary.linesSkipped)",
    sourceLocation: sourceLocation)
  #expect(summary.skipped.values.reduce(0, +) == summary.linesSkipped, sourceLocation: sourceLocation)
  if let lines { #expect(summary.linesRead == lines, "linesRead", sourceLocation: sourceLocation) }
}

/// What every CLI run on hostile input must show: it finished in time without a signal, its report
/// parses (JSON) and balances, and stderr holds only one-line `initlens: FILE[:LINE]: message`
/// diagnostics naming the given files. Returns the JSON summary.
@discardableResult
func expectSaneRun(
  _ r: ProcessResult, files: [String], lines: Int? = nil, status: Int32? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) -> [String: Any]? {
  #expect(!r.timedOut, "timed out after \(r.seconds) s", sourceLocation: sourceLocation)
  #expect(r.signal == nil, "killed by signal \(r.signal ?? 0): \(r.stderr)", sourceLocation: sourceLocation)
  if let status { #expect(r.status == status, "exit status; stderr: \(r.stderr)", sourceLocation: sourceLocation) }
  #expect(r.status == 0 || r.status == 2, "exit \(String(describing: r.status))", sourceLocation: sourceLocation)
  // Exit 2 exactly when something was reported on stderr, besides the note of a run that read no
  // log line (empty input), which names the inputs too.
  let problems = r.errLines.filter { !$0.hasPrefix("initlens: note: read no log line from ") }
  #expect((r.status == 2) == !problems.isEmpty, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
  for line in problems {
    let named = files.contains { line.hasPrefix("initlens: \($0): ") || line.hasPrefix("initlens: \($0):") }
    #expect(named, "diagnostic does not name an input: \(line.debugDescription)", sourceLocation: sourceLocation)
  }
  guard let summary = r.summary else {
    Issue.record("no JSON report on stdout: \(r.stdout.prefix(300))", sourceLocation: sourceLocation)
    return nil
  }
  let read = summary["linesRead"] as? Int ?? -1
  let matched = summary["linesMatched"] as? Int ?? -1
  let unmatched = summary["linesUnmatched"] as? Int ?? -1
  let skipped = summary["linesSkipped"] as? Int ?? -1
  #expect(read == matched + unmatched + skipped, "line accounting \(summary)", sourceLocation: sourceLocation)
  if let lines { #expect(read == lines, "linesRead", sourceLocation: sourceLocation) }
  return summary
}

extension Array where Element == UInt8 {
  init(_ text: String) { self = Array(text.utf8) }
}
