import Foundation
import Testing

@testable import InitLensKit

/// Secrets as a `set -x` user-data script prints them (Fixtures/secrets-setx: real cloud-init logs,
/// and the same output in a real journal) never reach any output of the binary: evidence lines,
/// captures and the fixes filled from them, unmatched-template examples, facts, `explain`; in every
/// format. With `--no-redact` they do, which is what makes the absence mean something.
@Suite(.serialized) struct SecretsTests {
  static let dir = Repo.root.appendingPathComponent("Tests/InitLensKitTests/Fixtures/secrets-setx")
  static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

  /// The made-up secrets of user-data.sh, one per shape.
  static let secrets = [
    "AKIAIOSFODNN7EXAMPLE",  // aws configure set aws_access_key_id (an id, redacted as an access key)
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  // aws configure set aws_secret_access_key
    "IQoJb3JpZ2luX2VjEJrCONFIGURESESSIONTOKEN0123456789abcdefABCDEF",  // aws configure set aws_session_token
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbDECLAREKEY",  // declare -x AWS_SECRET_ACCESS_KEY=…
    "FwoGZXIvYXdzEXPORTSESSIONTOKEN0123456789abcdefghijklmnopqrstuv",  // export AWS_SESSION_TOKEN=…
    "eyJwYXlsb2FkIjoiRE9DS0VSLVAtU0VDUkVUIn0",  // docker login -p
    "Sup3r-Secret-Pass",  // docker login --password VALUE
    "Another.Secret_Pw",  // docker login --password=VALUE
    "p@ss word,42",  // ECS_ENGINE_AUTH_DATA password
    "ZGVwbG95OkF1dGhTZWNyZXQ5OQ==",  // ECS_ENGINE_AUTH_DATA auth
  ]

  /// Each secret, and each run of 6 or more letters and digits in it, so that a secret written
  /// escaped (`\/` in JSON), cut, or partly masked is caught too.
  static let needles: [String] = secrets.flatMap { secret -> [String] in
    let runs = secret.split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { $0.count >= 6 }
    return [secret] + runs.filter { !["EXAMPLE", "Secret"].contains($0) }
  }

  static func leaks(_ text: String) -> [String] { needles.filter { text.contains($0) } }

  static var inputSets: [(name: String, files: [String])] {
    [
      // Not cloud-init.log: it holds no secret, and initlens reads two of its continuation lines (a
      // Python dict after "v2(ethernets) -> v1(physical):") as broken journal JSON (exit 2).
      ("cloud-init", [path("cloud-init-output.log"), path("ecs.config")]),
      ("journal json", [path("journal.json"), path("ecs.config")]),
      ("journal short-iso", [path("journal.txt")]),
    ]
  }

  static let formats = ["text", "json", "ndjson", "html", "sarif", "junit"]

  @Test func noSecretReachesAnyFormat() throws {
    let rules = ["--rules", Self.path("rules")]
    for (name, files) in Self.inputSets {
      // The report really carries the traced lines: the user rule's incident, with evidence, and the
      // failed commands mined as unmatched warnings.
      let json = try run(["--format", "json", "--evidence", "100"] + rules + files)
      #expect(json.status == 0, "\(name): \(json.err)")
      let report = try JSONDecoder().decode(Report.self, from: Data(json.out.utf8))
      let traced = report.hosts.flatMap(\.boots).flatMap(\.incidents).first { $0.kind == "xtrace-command" }
      #expect((traced?.evidence.count ?? 0) >= 10, "\(name)")
      #expect(traced?.evidence.contains { $0.text.contains("[REDACTED-SECRET-KEY]") } == true, "\(name)")
      // (In journal JSON the lines carry PRIORITY 6, info, so they are not warnings to mine.)
      if name != "journal json" {
        #expect(report.unmatched.contains { $0.template.hasPrefix("ERROR: failed: docker login") }, "\(name)")
      }

      for format in Self.formats {
        let r = try run(["--format", format, "--evidence", "100", "--fail-on", "info"] + rules + files)
        #expect(r.status == 1, "\(name) \(format): \(r.err)")
        #expect(Self.leaks(r.out + r.err).isEmpty, "\(name) \(format): \(Self.leaks(r.out + r.err))")
        #expect(r.out.contains("REDACTED"), "\(name) \(format)")
      }
      let plain = try run(["--format", "json", "--evidence", "100", "--no-redact"] + rules + files)
      // Without redaction every secret is there: the lines do reach the report.
      let shown = Self.secrets.filter {
        !plain.out.contains($0) && !plain.out.contains($0.replacingOccurrences(of: "\"", with: "\\\""))
      }
      #expect(shown.isEmpty, "\(name): --no-redact does not show \(shown)")
    }
  }

  @Test func fleetMergeAndWatchAreRedactedToo() throws {
    let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-secrets-\(UUID().uuidString)")
    let logs = bundle.appendingPathComponent("host-a/var/log")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: bundle) }
    for name in ["cloud-init-output.log"] {
      try FileManager.default.copyItem(atPath: Self.path(name), toPath: logs.appendingPathComponent(name).path)
    }
    let rules = ["--rules", Self.path("rules")]
    let shard = bundle.appendingPathComponent("shard.json").path
    let fleet = try run(["fleet", bundle.path, "--format", "json", "-o", shard] + rules)
    #expect(fleet.status == 0, "\(fleet.err)")
    let shardText = try String(contentsOfFile: shard, encoding: .utf8)
    #expect(shardText.contains("xtrace-command"))
    #expect(Self.leaks(shardText).isEmpty)
    for format in Self.formats {
      let r = try run(["merge", shard, "--format", format])
      #expect(r.status == 0, "\(format): \(r.err)")
      #expect(Self.leaks(r.out + r.err).isEmpty, "merge \(format)")
    }
    for format in ["text", "ndjson"] {
      let input = try Data(contentsOf: URL(fileURLWithPath: Self.path("journal.txt")))
      let r = try run(["watch", "--format", format] + rules, stdin: input)
      #expect(r.out.contains("xtrace-command"), "watch \(format)")
      #expect(Self.leaks(r.out + r.err).isEmpty, "watch \(format)")
    }
  }

  @Test func explainAndFactsAreRedacted() throws {
    let lines = try String(contentsOfFile: Self.path("cloud-init-output.log"), encoding: .utf8)
      .split(separator: "\n").map(String.init).filter { line in Self.secrets.contains { line.contains($0) } }
    #expect(lines.count >= 15)
    for line in lines {
      for format in ["text", "json"] {
        let r = try run(["explain", "--format", format, "--rules", Self.path("rules"), line])
        #expect(Self.leaks(r.out + r.err).isEmpty, "\(line)")
      }
    }
    let plain = try run(["explain", "--no-redact", lines[0]])
    #expect(plain.out.contains("AKIAIOSFODNN7EXAMPLE"))

    // ecs.config: the auth data is a fact of the boot, shown as "(redacted)" (with --no-redact too:
    // a whole value is never shown for a key that names a secret).
    for extra in [[], ["--no-redact"]] {
      let r = try run(["--format", "json", Self.path("cloud-init-output.log"), Self.path("ecs.config")] + extra)
      #expect(r.out.contains("\"ECS_ENGINE_AUTH_DATA\": \"(redacted)\""))
      #expect(!r.out.contains("p@ss word,42"))
    }
  }
}
