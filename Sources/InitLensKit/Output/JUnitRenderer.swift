/// JUnit XML (`--format junit`), for CI systems that show test results: one test case per host, failed
/// when the host has an incident at or above `failOn` (the command's `--fail-on`, default `error`).
///
/// ```xml
/// <testsuites name="initlens" tests="3" failures="1" errors="0">
///   <testsuite name="initlens fleet" tests="3" failures="1" errors="0" skipped="0">
///     <testcase classname="initlens.host" name="ip-10-0-1-23.ec2.internal">
///       <failure message="2 incidents at or above error: imds-503, …" type="error">…</failure>
///     </testcase>
///     <testcase classname="initlens.bundle" name="bad.tgz"><error message="…" type="bundle"/></testcase>
///   </testsuite>
/// </testsuites>
/// ```
///
/// The failure's `type` is the highest severity among the failing incidents; its text lists each of them
/// per boot (severity, kind, count, title, fix, root cause, first evidence line). Bundles that could not
/// be read (fleet reports) are test cases of class `initlens.bundle` with an `<error>`. The suite is
/// `initlens fleet` for fleet reports, else `initlens`. Every text is XML-escaped; characters XML 1.0
/// cannot carry (control characters other than tab, newline and carriage return) are written as `\xNN`.
public struct JUnitRenderer {
  /// Incidents at or above this severity fail their host's test case.
  public var failOn: Severity

  public init(failOn: Severity = .error) { self.failOn = failOn }

  public func render(_ report: Report) -> String {
    var cases: [String] = []
    var failures = 0
    for host in report.hosts {
      var body = ""
      var failing: [Incident] = []
      for boot in host.boots {
        let bad = boot.incidents.filter { $0.severity >= failOn }
        guard !bad.isEmpty else { continue }
        failing += bad
        body +=
          "boot \(boot.boot)" + (boot.start.map(Timestamp.iso).map { $0 == boot.boot ? "" : " (started \($0))" } ?? "")
          + "\n"
        for i in bad {
          body += "  \(i.severity.rawValue.uppercased()) \(i.kindAndFamily) ×\(i.count): \(i.title)\n"
          if !i.fix.isEmpty { body += "    fix: \(i.fix)\n" }
          if let cause = i.rootCause { body += "    root cause: \(cause)\n" }
          if let e = i.evidence.first { body += "    \(e.file):\(e.line): \(e.text)\n" }
        }
      }
      var xml = "    <testcase classname=\"initlens.host\" name=\"\(Self.escape(host.host))\""
      if failing.isEmpty {
        xml += "/>"
      } else {
        failures += 1
        let kinds = Set(failing.map(\.kindAndFamily)).sorted().joined(separator: ", ")
        let n = failing.count
        let message = "\(n) incident\(n == 1 ? "" : "s") at or above \(failOn.rawValue): \(kinds)"
        let type = failing.map(\.severity).max()!.rawValue
        xml +=
          ">\n      <failure message=\"\(Self.escape(message))\" type=\"\(type)\">"
          + Self.escape(body, attribute: false) + "</failure>\n    </testcase>"
      }
      cases.append(xml)
    }
    let bundleErrors = report.fleet?.bundleErrors ?? []
    for e in bundleErrors {
      cases.append(
        "    <testcase classname=\"initlens.bundle\" name=\"\(Self.escape(e.bundle))\">"
          + "<error message=\"\(Self.escape(e.message))\" type=\"bundle\"/></testcase>")
    }
    let tests = cases.count
    let errors = bundleErrors.count
    let suite = report.fleet == nil ? "initlens" : "initlens fleet"
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"initlens\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
    out +=
      "  <testsuite name=\"\(suite)\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\">\n"
    for c in cases { out += c + "\n" }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  /// Text for XML 1.0: `& < > " '` as entities; carriage return (and in attributes also tab and newline)
  /// as character references, so parsers keep them; other characters XML cannot hold
  /// (C0 controls, U+FFFE, U+FFFF) as the text `\xNN` / `\uFFFE`.
  public static func escape(_ s: String, attribute: Bool = true) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += attribute ? "&quot;" : "\""
      case "'": out += attribute ? "&apos;" : "'"
      case "\r": out += "&#13;"
      case "\t", "\n":
        if attribute { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
      case "\u{FFFE}", "\u{FFFF}": out += "\\u" + String(scalar.value, radix: 16, uppercase: true)
      default:
        if scalar.value < 0x20 {
          out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
