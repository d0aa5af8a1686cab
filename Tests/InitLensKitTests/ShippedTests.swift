import Foundation
import Testing

@testable import InitLensKit

/// Logs as shippers leave them in S3 (Fixtures/shipped, from real logs by `scripts/make-shipped-fixtures`):
/// a CloudWatch export (events out of order), Fluent Bit and Vector JSON lines, SSM Run Command stdout of
/// several logs printed one after the other. Each is diagnosed exactly like the plain files it wraps.
@Suite struct ShippedTests {
  static let root = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures").path
  static let ci = "\(root)/realci"
  static let ecs = Repo.root.appendingPathComponent("samples/ecs-warm-pool-404").path
  static let stream = "i-0123456789abcdef0"

  static func report(_ paths: [String]) throws -> Report {
    let inputs = try paths.map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) }
    let (report, diagnostics) = analyze(inputs, rules: repoRules)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    return report
  }

  /// What must not change between logs and their shipped form: per boot, the incidents by rule and
  /// count with what they captured, the root causes as they read, and the cloud-init stage times.
  static func diagnosis(_ r: Report) -> [String] {
    r.hosts.flatMap(\.boots).map { b in
      let kinds = b.incidents.map { "\($0.kind)×\($0.count) \($0.captures.sorted { $0.key < $1.key })" }.sorted()
      let causes = b.rootCauses.map { "\($0.id): \($0.summary)" }.sorted()
      let stages = b.stages.map { "\($0.name) \($0.durationSeconds.map { "\($0)" } ?? "-")" }
      return "\(b.boot) \(kinds) \(causes) \(stages)"
    }.sorted()
  }

  static func expectSame(_ shipped: String, as plain: [String], host: String? = nil) throws {
    let a = try report(["\(root)/shipped/\(shipped)"])
    let b = try report(plain)
    #expect(!diagnosis(b).isEmpty)
    #expect(diagnosis(a) == diagnosis(b), "\(shipped)")
    #expect(a.summary.linesMatched == b.summary.linesMatched, "\(shipped)")
    // Every line is counted: the wrapped logs' lines, and the headers between them as skipped (`tail`
    // puts a blank line before each header but the first).
    let text = try String(contentsOfFile: "\(root)/shipped/\(shipped)", encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let headers = lines.filter { Array($0.utf8).withUnsafeBytes(Concatenation.header) != nil }
    #expect(a.summary.linesRead == lines.count, "\(shipped)")
    #expect(
      lines.count - b.summary.linesRead == headers.count * (shipped.contains(".tail.") ? 2 : 1)
        - (shipped.contains(".tail.") ? 1 : 0), "\(shipped)")
    #expect(a.summary.skipped["file-header"] ?? 0 == headers.count, "\(shipped)")
    if let host { #expect(a.hosts.map(\.host) == [host], "\(shipped)") }
  }

  @Test(arguments: [
    ("export.imds-503.cloud-init.log", "\(ci)/imds-503/cloud-init.log"),
    ("export.userdata-exit3.cloud-init.log", "\(ci)/userdata-exit3/cloud-init.log"),
    ("export.userdata-exit3.cloud-init-output.log", "\(ci)/userdata-exit3/cloud-init-output.log"),
    ("export.ecs-warm-pool-404.ecs-agent.log", "\(ecs)/ecs-agent.log"),
  ])
  func cloudWatchExportIsDiagnosedLikeTheFile(_ shipped: String, _ plain: String) throws {
    try Self.expectSame(shipped, as: [plain])
  }

  @Test(arguments: [
    ("fluentbit.imds-503.cloud-init.jsonl", "\(ci)/imds-503/cloud-init.log", stream),
    ("fluentbit.userdata-exit3.cloud-init-output.jsonl", "\(ci)/userdata-exit3/cloud-init-output.log", nil),
    ("fluentbit.ecs-warm-pool-404.ecs-agent.jsonl", "\(ecs)/ecs-agent.log", stream),
    ("fluentbit-systemd.ecs-warm-pool-404.jsonl", "\(ecs)/journal.json", nil),
    ("fluentbit-systemd-strip.ecs-warm-pool-404.jsonl", "\(ecs)/journal.json", nil),
    ("fluentbit-systemd-lower.ecs-warm-pool-404.jsonl", "\(ecs)/journal.json", nil),
    ("vector.userdata-exit3.cloud-init.jsonl", "\(ci)/userdata-exit3/cloud-init.log", stream),
  ])
  func shippedJSONIsDiagnosedLikeTheFile(_ shipped: String, _ plain: String, _ host: String?) throws {
    try Self.expectSame(shipped, as: [plain], host: host)
  }

  @Test(arguments: [
    (
      "ssm.ecs-warm-pool-404.cat.stdout",
      ["cloud-init.log", "cloud-init-output.log", "ecs-agent.log", "journal.txt"].map { "\(ecs)/\($0)" }
    ),
    (
      "ssm.userdata-exit3.cat.stdout", ["cloud-init.log", "cloud-init-output.log"].map { "\(ci)/userdata-exit3/\($0)" }
    ),
    (
      "ssm.ecs-warm-pool-404.tail.stdout",
      ["cloud-init.log", "cloud-init-output.log", "ecs-init.log", "ecs-agent.log"].map { "\(ecs)/\($0)" }
    ),
    ("ssm.imds-503.echo.stdout", ["cloud-init.log", "cloud-init-output.log"].map { "\(ci)/imds-503/\($0)" }),
  ])
  func ssmOutputIsDiagnosedLikeTheFiles(_ shipped: String, _ plain: [String]) throws {
    try Self.expectSame(shipped, as: plain)
  }
}
