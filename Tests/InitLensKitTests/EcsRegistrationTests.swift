import Foundation
import Testing

@testable import InitLensKit

/// ECS agent logs of the registration failures AWS documents, in the agents' own shapes (lines from
/// the issue threads the rules cite): each gets its root cause, end to end through the analyzer.
@Suite struct EcsRegistrationTests {
  struct Case: CustomStringConvertible, Sendable {
    let name: String
    let log: String
    let rootCause: String
    let kinds: Set<String>
    var description: String { name }
  }

  static let cases: [Case] = [
    // aws/amazon-ecs-agent#108 (agent 1.4.0): the transport error is on the "caused by:" line.
    Case(
      name: "endpoint unreachable, legacy multi-line",
      log: """
        2015-09-21T20:21:47Z [INFO] Starting Agent: Amazon ECS Agent - v1.4.0 (4ab1051)
        2015-09-21T20:21:47Z [INFO] Registering Instance with ECS
        2015-09-21T20:22:07Z [ERROR] Could not register module="api client" err="RequestError: send request failed
        caused by: Post https://ecs.us-east-1.amazonaws.com/: net/http: request canceled while waiting for connection"
        2015-09-21T20:22:07Z [ERROR] Error registering: RequestError: send request failed
        caused by: Post https://ecs.us-east-1.amazonaws.com/: net/http: request canceled while waiting for connection

        """,
      rootCause: "ecs-endpoint-unreachable-no-registration",
      kinds: ["ecs-endpoint-unreachable", "ecs-registration-failed"]),
    Case(
      name: "endpoint unreachable, aws-sdk-go v2 logfmt",
      log: """
        level=info time=2025-06-19T23:45:12Z msg="Amazon ECS agent Version: 1.89.3, Commit: 0b2a5e1c" module=agent.go
        level=info time=2025-06-19T23:45:13Z msg="Registering Instance with ECS" module=client.go
        level=error time=2025-06-19T23:46:15Z msg="Unable to register as a container instance with ECS" error="operation error ECS: RegisterContainerInstance, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post \\"https://ecs.us-east-1.amazonaws.com/\\": dial tcp 52.46.132.12:443: i/o timeout"
        level=error time=2025-06-19T23:46:15Z msg="Error registering container instance" error="operation error ECS: RegisterContainerInstance, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post \\"https://ecs.us-east-1.amazonaws.com/\\": dial tcp 52.46.132.12:443: i/o timeout"

        """,
      rootCause: "ecs-endpoint-unreachable-no-registration",
      kinds: ["ecs-endpoint-unreachable", "ecs-registration-failed"]),
    // aws/amazon-ecs-agent#3812
    Case(
      name: "instance role denied",
      log: """
        level=info time=2023-07-18T20:51:37Z msg="Registering Instance with ECS" module=client.go
        level=error time=2023-07-18T20:51:38Z msg="Error re-registering container instance" error="AccessDeniedException: User: arn:aws:sts::059005316685:assumed-role/AmazonSSMRoleForInstancesQuickSetup/mi-02eeadc1ad782ba21 is not authorized to perform: ecs:RegisterContainerInstance on resource: arn:aws:ecs:eu-central-1:059005316685:cluster/eg01-cbkit because no identity-based policy allows the ecs:RegisterContainerInstance action"

        """,
      rootCause: "ecs-instance-role-denied", kinds: ["ecs-access-denied", "ecs-registration-failed"]),
    // aws/amazon-ecs-agent#1513
    Case(
      name: "clock skew",
      log: """
        2018-08-22T13:30:33Z [INFO] Error from tcs; backing off: InvalidSignatureException: Signature expired: 20180822T133033Z is now earlier than 20180822T133135Z (20180822T133635Z - 5 min.)
        \tstatus code: 400, request id: 6347d700-a610-11e8-a319-f3efbf3791e9
        2018-08-22T13:30:46Z [ERROR] Unable to discover poll endpoint, err: InvalidSignatureException: Signature expired: 20180822T133046Z is now earlier than 20180822T133148Z (20180822T133648Z - 5 min.)
        \tstatus code: 400, request id: 6b094ff2-a610-11e8-a319-f3efbf3791e9

        """,
      rootCause: "clock-skew-signature-rejected", kinds: ["clock-skew"]),
    Case(
      name: "terminal registration failure (1.89.3+)",
      log: """
        level=critical time=2025-03-01T10:00:01Z msg="Instance registration attempt with client performing invalid action" error="operation error ECS: RegisterContainerInstance, https response error StatusCode: 400, RequestID: 0c1f9d2e-7a44-4f0e-b3a1-5e2d9c8b7a61, ClientException: Cluster not found."
        level=critical time=2025-03-01T10:00:01Z msg="Agent will terminally exit, unable to register container instance:" error="operation error ECS: RegisterContainerInstance, https response error StatusCode: 400, RequestID: 0c1f9d2e-7a44-4f0e-b3a1-5e2d9c8b7a61, ClientException: Cluster not found."

        """,
      rootCause: "ecs-cluster-not-found-terminal", kinds: ["ecs-cluster-not-found"]),
  ]

  @Test(arguments: cases)
  func rootCause(_ c: Case) {
    let (report, diagnostics) = analyze([("ecs-agent.log", c.log)], rules: repoRules)
    #expect(diagnostics.isEmpty)
    let boots = report.hosts.flatMap(\.boots)
    #expect(boots.count == 1)
    #expect(boots.flatMap(\.rootCauses).map(\.id) == [c.rootCause])
    let kinds = Set(boots.flatMap(\.incidents).map(\.kind))
    #expect(c.kinds.isSubset(of: kinds), "kinds \(kinds.sorted())")
  }
}
