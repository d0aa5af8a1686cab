import Foundation
import Testing

@testable import InitLensKit

/// What a failure shows: the script and exit code from a record's continuation lines, the host from
/// cloud-init's own lines, evidence and templates without escapes or raw journal JSON, the fix for the
/// distribution the logs name.
@Suite struct FailureDetailTests {
  static let userdataFailure = """
    2026-12-01 23:13:06,685 - subp.py[DEBUG]: Running command ['/var/lib/cloud/instance/scripts/part-001'] with allowed return codes [0] (shell=False, capture=False)
    2026-12-01 23:13:06,688 - subp.py[DEBUG]: Unexpected error while running command.
    Command: ['/var/lib/cloud/instance/scripts/part-001']
    Exit code: 3
    Reason: -
    Stdout: -
    Stderr: -
    2026-12-01 23:13:06,692 - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)
    2026-12-01 23:13:06,700 - util.py[DEBUG]: Writing to /var/lib/cloud/instances/i-0123456789abcdef0/sem/config_scripts_user - wb: [644] 25 bytes

    """

  static func incident(_ report: Report, _ kind: String) -> Incident? {
    report.hosts.flatMap(\.boots).flatMap(\.incidents).first { $0.kind == kind }
  }

  @Test(arguments: [true, false])
  func continuationLinesNameTheScriptAndItsExitCode(_ prefilter: Bool) throws {
    var options = AnalyzerOptions()
    options.usePrefilter = prefilter
    let (report, diags) = analyze([("cloud-init.log", Self.userdataFailure)], rules: repoRules, options: options)
    #expect(diags.isEmpty)
    let failed = try #require(Self.incident(report, "userdata-failed"))
    #expect(failed.captures["script"] == "/var/lib/cloud/instance/scripts/part-001")
    #expect(failed.captures["exit_code"] == "3")
    let cause = try #require(report.hosts.first?.boots.first?.rootCauses.first)
    #expect(
      cause.summary.hasPrefix("The user-data script /var/lib/cloud/instance/scripts/part-001 exited with code 3,"))
    // The continuation lines are matched lines, and the host is the instance cloud-init names.
    #expect(report.summary.linesMatched == 5)  // with the userdata-run event of "Running command"
    #expect(report.hosts.map(\.host) == ["i-0123456789abcdef0"])
  }

  /// An `Exit code:` line of another record (a command cloud-init expects to fail) adds nothing.
  @Test(arguments: [true, false])
  func continuationLinesOfAnotherRecordAddNothing(_ prefilter: Bool) throws {
    var options = AnalyzerOptions()
    options.usePrefilter = prefilter
    let log = """
      2026-12-01 23:13:06,688 - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)
      2026-12-01 23:13:07,000 - util.py[DEBUG]: Reading from /proc/uptime (quiet=False)
      Command: ['/usr/bin/false']
      Exit code: 1

      """
    let (report, _) = analyze([("cloud-init.log", log)], rules: repoRules, options: options)
    let failed = try #require(Self.incident(report, "userdata-failed"))
    #expect(failed.captures["exit_code"] == nil && failed.captures["script"] == nil)
    #expect(report.summary.linesMatched == 1)
    let cause = try #require(report.hosts.first?.boots.first?.rootCauses.first)
    #expect(cause.summary.contains("(its name is not in the logs) exited non-zero (its exit code is not in the logs),"))
  }

  @Test func defaultsFillWhatTheLogsDidNotGive() {
    let values = ["cause.script": "/x/part-001"]
    #expect(
      Correlator.withDefaults("{cause.script|a script} {cause.exit_code|?} {cause.count}", values)
        == "/x/part-001 ? {cause.count}")
    #expect(Correlator.withDefaults("no placeholders | here", values) == "no placeholders | here")
    // `{name?…%…|…}`: a sentence that reads well with the value and without it.
    let form = "exited {cause.exit_code?with code %|non-zero} from {cause.script?script % (%)|a script}"
    #expect(
      Correlator.withDefaults(form, ["cause.exit_code": "3", "cause.script": "part-001"])
        == "exited with code 3 from script part-001 (part-001)")
    #expect(Correlator.withDefaults(form, [:]) == "exited non-zero from a script")
  }

  @Test func changelogCommandFitsTheDistribution() {
    #expect(Correlator.changelogCommand("cloud-init", os: "Amazon Linux 2023") == "`rpm -q --changelog cloud-init`")
    #expect(Correlator.changelogCommand("cloud-init", os: "Ubuntu 22.04") == "`apt changelog cloud-init`")
    #expect(Correlator.changelogCommand("cloud-init", os: "Debian") == "`apt changelog cloud-init`")
    let both = Correlator.changelogCommand("cloud-init", os: nil)
    #expect(both.contains("rpm -q --changelog cloud-init") && both.contains("apt changelog cloud-init"))
  }

  @Test func theDistributionComesFromCloudInitsDistroClassToo() throws {
    let log = """
      2025-01-22 09:14:02,400 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'init-local' at Wed, 22 Jan 2025 09:14:02 +0000. Up 5.23 seconds.
      2025-01-22 09:14:02,500 - stages.py[DEBUG]: Using distro class <class 'cloudinit.distros.debian.Distro'>

      """
    let (report, _) = analyze([("cloud-init.log", log)], rules: repoRules)
    #expect(report.hosts.first?.boots.first?.versions["os"] == "Debian")
  }

  @Test func hostNameFromTheHostnameModuleWhenNoInstanceIsNamed() {
    let log = """
      2025-01-22 09:14:02,400 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'init-local' at Wed, 22 Jan 2025 09:14:02 +0000. Up 5.23 seconds.
      2025-01-22 09:14:03,000 - cc_set_hostname.py[DEBUG]: Setting the hostname to ip-10-0-0-12.ec2.internal (ip-10-0-0-12)

      """
    let (report, _) = analyze([("cloud-init.log", log)], rules: repoRules)
    #expect(report.hosts.map(\.host) == ["ip-10-0-0-12.ec2.internal"])
    // A journal that names the host wins over what cloud-init.log says.
    let journal = "2025-01-22T09:14:02+0000 web-1 systemd[1]: Starting cloud-init-local.service...\n"
    let (both, _) = analyze([("cloud-init.log", log), ("journal.txt", journal)], rules: repoRules)
    #expect(both.hosts.map(\.host) == ["web-1"])
  }

  @Test func escapesNeverReachEvidenceOrTemplates() throws {
    let log = """
      [   16.587340] cloud-init[568]: \u{1B}[0;31m2025-01-22 09:14:08,740 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]\u{1B}[0m
      Jan 22 09:14:09 ip-10-0-0-1 app[99]: #033[0;1;31mERROR#033[0m something odd happened
      [   17.1] app[98]: \u{1B}[1;33mWARNING\u{1B}[0m: disk is \u{1B}(Bnearly full

      """
    let (report, _) = analyze([("console.txt", log)], rules: repoRules)
    let evidence = report.hosts.flatMap(\.boots).flatMap(\.incidents).flatMap(\.evidence).map(\.text)
    let templates = report.unmatched.flatMap { [$0.template] + $0.examples.map(\.text) }
    #expect(!evidence.isEmpty && !templates.isEmpty)
    for text in evidence + templates {
      #expect(!text.contains("\u{1B}") && !text.contains("#033["), "\(text)")
    }
    #expect(templates.contains { $0.contains("ERROR something odd happened") })
  }

  @Test func escapesAreStrippedByteForByte() {
    #expect(Escapes.stripped("a\u{1B}[0;1;39mb\u{1B}[0mc") == "abc")
    #expect(Escapes.stripped("#033[0;32m  OK  #033[0m] x") == "  OK  ] x")
    #expect(Escapes.stripped("plain # 033 [text]") == "plain # 033 [text]")
    #expect(Escapes.stripped("cut \u{1B}[0;3") == "cut ")
  }

  /// Journal JSON evidence shows the message, not the raw object.
  @Test func journalJSONEvidenceIsTheMessage() throws {
    let line = """
      {"__REALTIME_TIMESTAMP":"1737537248740000","_HOSTNAME":"ip-10-0-1-23","_BOOT_ID":"5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7","SYSLOG_IDENTIFIER":"cloud-init","_PID":"1234","MESSAGE":"2025-01-22 09:14:08,740 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]"}

      """
    let (report, _) = analyze([("journal.json", line)], rules: repoRules)
    let incident = try #require(Self.incident(report, "imds-503"))
    #expect(incident.evidence.first?.text.hasPrefix("cloud-init: 2025-01-22 09:14:08,740 - url_helper.py") == true)
  }

  /// A traceback continues the record before it: its lines are not filed as unknown warnings.
  @Test(arguments: [true, false])
  func tracebackLinesAreNoTemplates(_ prefilter: Bool) {
    var options = AnalyzerOptions()
    options.usePrefilter = prefilter
    let log = """
      2026-12-01 23:13:06,693 - util.py[DEBUG]: Running module scripts-user failed
      Traceback (most recent call last):
        File "/usr/lib/python3/dist-packages/cloudinit/config/modules.py", line 246, in _run_modules
          raise RuntimeError("failed")
      RuntimeError: Runparts: 1 failures (part-001) in 2 attempted commands
      2026-12-01 23:13:06,694 - util.py[DEBUG]: next record
      Some script output: FAILED to do a thing

      """
    let (report, _) = analyze([("cloud-init.log", log)], rules: repoRules, options: options)
    let templates = report.unmatched.map(\.template)
    #expect(!templates.contains { $0.contains("Traceback") || $0.contains("File") }, "\(templates)")
    #expect(templates.contains { $0.contains("FAILED to do a thing") }, "\(templates)")
  }

  /// `--evidence N` keeps N lines per incident and shows N in the text report (default: keeps 5, shows 3).
  @Test func evidenceOptionAppliesToText() throws {
    let inputs = ["samples/imds-503/cloud-init.log", "samples/imds-503/cloud-init-output.log"]
    func evidenceRows(_ out: String) -> Int {
      out.split(separator: "\n").filter { $0.hasPrefix("      samples/") || $0.hasPrefix("        samples/") }.count
    }
    let standard = try run(inputs)
    let one = try run(["--evidence", "1"] + inputs)
    let five = try run(["--evidence", "5"] + inputs)
    #expect(standard.status == 0 && one.status == 0 && five.status == 0)
    #expect(evidenceRows(one.out) < evidenceRows(standard.out))
    #expect(evidenceRows(five.out) > evidenceRows(standard.out))
    #expect(!five.out.contains("more evidence line"))
    // fleet takes it too.
    func cut(_ out: String) -> Int { out.components(separatedBy: "more evidence line").count - 1 }
    let fleet = try run(["fleet", "samples/fleet"])
    let fleetOne = try run(["fleet", "samples/fleet", "--evidence", "1"])
    let fleetMany = try run(["fleet", "samples/fleet", "--evidence", "8"])
    #expect(fleet.status == 0 && fleetOne.status == 0 && fleetMany.status == 0)
    #expect(cut(fleetOne.out) > cut(fleet.out) && cut(fleetMany.out) == 0)
  }
}
