/// What a run counts as it reads: lines (matched, unmatched, skipped with a reason), the inputs, and
/// problems with them. Shared by the stages that read and examine lines.
final class RunTally {
  var summary = Summary()
  var inputs: [InputSummary] = []
  var diagnostics: [InputDiagnostic] = []
  /// Inputs whose head is binary data (`BinarySniff`) and no line of which matched a rule.
  var binaryInputs: [InputDiagnostic] = []

  func skip(_ reason: String) {
    summary.linesSkipped += 1
    summary.skipped[reason, default: 0] += 1
  }
}
