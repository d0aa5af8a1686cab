import Foundation
import InitLensKit
import Testing

/// Lines the built-in rules turn into incidents (imds-503, imds-endpoint-disabled).
let imds503 = """
  2025-06-25 14:58:00,100 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init-local' at Wed, 25 Jun 2025 14:58:00 +0000. Up 5.10 seconds.
  2025-06-25 14:58:01,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]
  2025-06-25 14:58:01,471 - DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled

  """

/// The incident kinds of a JSON report, over every host and boot.
func incidentKinds(_ json: [String: Any]?) -> Set<String> {
  var kinds: Set<String> = []
  for host in json?["hosts"] as? [[String: Any]] ?? [] {
    for boot in host["boots"] as? [[String: Any]] ?? [] {
      for incident in boot["incidents"] as? [[String: Any]] ?? [] {
        if let kind = incident["kind"] as? String { kinds.insert(kind) }
      }
    }
  }
  return kinds
}

func incidentKinds(_ report: Report) -> Set<String> {
  Set(report.hosts.flatMap(\.boots).flatMap(\.incidents).map(\.kind))
}

/// Every hostile input of the issue, through the built binary (time-bounded, as a user runs it) and
/// through the library. Each: no crash, no hang, one-line diagnostics naming the file (and line),
/// exit 2 exactly where input was lost, the rest still reported, and every line accounted for.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct HostileInputTests {}

/// A JSON string literal for `s`.
func jsonString(_ s: String) -> String {
  let data = try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed, .withoutEscapingSlashes])
  let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
  return String(array.dropFirst().dropLast())
}
