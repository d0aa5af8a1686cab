import Foundation
import Testing

@testable import InitLensKit

/// What the text report shows of an evidence line (`EvidenceMessage`): the message a person reads,
/// without the transport and the time the incident row already gives; a line no format knows as it is.
@Suite struct EvidenceMessageTests {
  static let warning =
    "url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]"

  @Test func journalJSONShowsIdentAndMessage() {
    let line =
      #"{"__REALTIME_TIMESTAMP":"1737537248740000","_HOSTNAME":"ip-10-0-1-23","SYSLOG_IDENTIFIER":"cloud-init","_PID":"1870","MESSAGE":"2025-01-22 09:14:08,740 - \#(Self.warning)"}"#
    #expect(EvidenceMessage.display(line) == "cloud-init: " + Self.warning)
    let systemd =
      #"{"__REALTIME_TIMESTAMP":"1737537248740000","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"cloud-final.service: Failed with result 'exit-code'."}"#
    #expect(EvidenceMessage.display(systemd) == "systemd: cloud-final.service: Failed with result 'exit-code'.")
  }

  @Test func cloudInitLineShowsLoggerAndMessage() {
    #expect(EvidenceMessage.display("2025-01-22 09:14:08,740 - " + Self.warning) == Self.warning)
    // Through a journal or rsyslog, the identifier first.
    #expect(
      EvidenceMessage.display(
        "Jan 22 09:14:08 ip-10-0-1-23 cloud-init[1870]: 2025-01-22 09:14:08,740 - " + Self.warning)
        == "cloud-init: " + Self.warning)
    #expect(
      EvidenceMessage.display("2025-01-22T09:14:08.740000+00:00 ip-10-0-1-23 cloud-init[1870]: " + Self.warning)
        == "cloud-init: " + Self.warning)
    #expect(
      EvidenceMessage.display("Jan 22 09:14:08 ip-10-0-1-23 [CLOUDINIT] " + Self.warning) == "cloud-init: "
        + Self.warning)
    // On the serial console.
    #expect(
      EvidenceMessage.display("[    5.623498] cloud-init[1870]: 2025-01-22 09:14:08,740 - " + Self.warning)
        == "cloud-init: " + Self.warning)
  }

  @Test func syslogLineShowsIdentAndMessage() {
    #expect(
      EvidenceMessage.display("Nov 16 16:04:44 ip-172-31-22-57 systemd: cloud-final.service failed.")
        == "systemd: cloud-final.service failed.")
    #expect(
      EvidenceMessage.display(
        "Nov 16 16:04:46 ip-172-31-22-57 amazon-ecs-init: 2023-11-16T16:04:46Z [INFO] Agent exited with code 1")
        == "amazon-ecs-init: [INFO] Agent exited with code 1")
  }

  /// A journal record's evidence is already `IDENTIFIER: MESSAGE`: the message's own stamp goes.
  @Test func journalRecordEvidenceLosesTheMessagesStamp() {
    #expect(
      EvidenceMessage.display("cloud-init: 2025-01-22 09:14:08,740 - " + Self.warning) == "cloud-init: " + Self.warning)
    #expect(
      EvidenceMessage.display(#"amazon-ecs-init: level=info time=2025-02-04T07:02:20Z msg="Agent exited with code 5""#)
        == #"amazon-ecs-init: level=info msg="Agent exited with code 5""#)
    #expect(EvidenceMessage.display("systemd: Started cloud-init.service.") == "systemd: Started cloud-init.service.")
    #expect(EvidenceMessage.display("app: time=5s elapsed") == "app: time=5s elapsed")
  }

  @Test func ecsAgentLineShowsLevelAndMessage() {
    #expect(
      EvidenceMessage.display("2023-11-16T16:04:46Z [ERROR] Error registering: ClientException: Cluster not found.")
        == "[ERROR] Error registering: ClientException: Cluster not found.")
    // logfmt (the agent's, containerd's): without the time field.
    #expect(
      EvidenceMessage.display(#"level=critical time=2025-02-04T07:02:20Z msg="Could not determine" module=agent.go"#)
        == #"level=critical msg="Could not determine" module=agent.go"#)
    #expect(
      EvidenceMessage.display(
        #"Feb 04 07:02:20 ip-10-0-2-148 containerd[2546]: time="2025-02-04T07:02:20.550928409Z" level=warning msg="x""#)
        == #"containerd: level=warning msg="x""#)
  }

  @Test func aLineNoFormatKnowsIsShownAsItIs() {
    for line in [
      "something went wrong in a way nobody logs twice", "", "{not json at all",
      "-- Boot 5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7 --",
      "Traceback (most recent call last):",
    ] {
      #expect(EvidenceMessage.display(line) == line)
    }
  }

  /// In the text report, the message is cut at the end, never at the start; JSON keeps the line.
  @Test func textReportCutsTheMessageAtTheEnd() throws {
    let log = "2025-01-22 09:14:08,740 - " + Self.warning + "\n"
    let r = try run(["-"], stdin: Data(log.utf8), env: ["COLUMNS": "60"])
    let shown = r.out.split(separator: "\n").map(String.init).filter { $0.contains("url_helper.py[WARNING]") }
    #expect(!shown.isEmpty, "\(r.out)")
    for line in shown {
      #expect(line.count <= 60 && line.hasSuffix("…") && !line.contains("2025-01-22"), "\(line)")
    }
    let json = try run(["--format", "json", "-"], stdin: Data(log.utf8), env: ["COLUMNS": "60"])
    #expect(json.out.contains("\"text\": \"2025-01-22 09:14:08,740 - url_helper.py[WARNING]: Calling"))
  }
}
