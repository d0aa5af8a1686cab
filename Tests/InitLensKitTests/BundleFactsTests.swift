import Foundation
import Testing

@testable import InitLensKit

/// Instance ids in bundle names, and what collector members say of the running system.
@Suite struct BundleFactsTests {
  @Test func instanceIDsStandAloneInNames() {
    #expect(InstanceID.first(in: "collect-i-0647f0495dbb25d51-202506051057") == "i-0647f0495dbb25d51")
    #expect(InstanceID.first(in: "i-044982a616fe4390e-cloud-init") == "i-044982a616fe4390e")
    #expect(InstanceID.first(in: "mi-0c1d2e3f4a5b6071a") == "mi-0c1d2e3f4a5b6071a")
    #expect(InstanceID.first(in: "old i-1234abcd here") == "i-1234abcd")
    #expect(InstanceID.first(in: "api-0647f0495dbb25d51") == nil)
    #expect(InstanceID.first(in: "i-0647f0495dbb25d5") == nil, "16 digits")
    #expect(InstanceID.first(in: "i-0647f0495dbb25d51x") == nil)
    #expect(InstanceID.exact("i-0647f0495dbb25d51") == "i-0647f0495dbb25d51")
    #expect(InstanceID.exact("ip-10-0-0-5") == nil)
  }

  @Test func instanceDataNamesTheInstance() {
    let json = #"{"v1": {"instance_id": "i-0d1e2f3a4b5c60718", "local_hostname": "ip-10-0-2-148"}}"#
    let data = InstanceID.instanceData(Array(json.utf8))
    #expect(data?.id == "i-0d1e2f3a4b5c60718" && data?.hostname == "ip-10-0-2-148")
    #expect(InstanceID.instanceData(Array(#"{"v1": {}}"#.utf8)) == nil)
  }

  static func member(_ name: String, _ text: String) -> Tar.Member {
    Tar.Member(name: name, data: ArraySlice(Array(text.utf8)))
  }

  @Test func collectorMembersGiveTheRunningVersions() {
    var facts = BundleFacts()
    facts.read([
      Self.member(
        "./collect/i-0e1f2a3b4c5d60718/uname.txt",
        "Linux ip-10-0-2-148 6.1.124-134.200.amzn2023.x86_64 #1 SMP x86_64 GNU/Linux\n"),
      Self.member(
        "./collect/i-0e1f2a3b4c5d60718/ecs-agent/agent-running-info.txt",
        #"{"Cluster": "c", "Version": "Amazon ECS Agent - v1.89.3 (2a0d5d5d)"}"#),
    ])
    #expect(facts.versions == ["kernel": "6.1.124-134.200.amzn2023.x86_64", "ecs-agent": "1.89.3"])
    #expect(facts.note == nil)
    // The running versions go to the latest boot, and never over what its logs said.
    func boot(_ name: String, _ versions: [String: String]) -> BootReport {
      BootReport(boot: name, start: nil, versions: versions, incidents: [])
    }
    let report = Report(
      summary: Summary(), inputs: [],
      hosts: [HostReport(host: "h", boots: [boot("1", [:]), boot("2", ["kernel": "6.1.0-1.amzn2023.x86_64"])])])
    let out = facts.apply(to: report)
    #expect(out.hosts[0].boots[0].versions.isEmpty)
    #expect(
      out.hosts[0].boots[1].versions == [
        "kernel": "6.1.0-1.amzn2023.x86_64", "ecs-agent": "1.89.3", "os": "Amazon Linux 2023",
      ])
  }

  @Test func tasksListingHasNoVersion() {
    #expect(BundleFacts.agentVersion(ArraySlice(Array(#"{"Tasks": []}"#.utf8))) == nil)
    #expect(BundleFacts.kernel(uname: ArraySlice(Array("Darwin x 23.0".utf8))) == nil)
  }

  /// The instance is the host of a bundle of one host, else of the host its local hostname names.
  @Test func instanceRenamesTheOneHost() {
    func report(_ hosts: [String]) -> Report {
      Report(summary: Summary(), inputs: [], hosts: hosts.map { HostReport(host: $0, boots: []) })
    }
    let id = "i-0d1e2f3a4b5c60718"
    var facts = BundleFacts()
    facts.instance = (id, "ip-10-0-2-148.ec2.internal")
    #expect(facts.apply(to: report(["anything"])).hosts.map(\.host) == [id])
    #expect(facts.apply(to: report(["ip-10-0-2-148", "unknown"])).hosts.map(\.host) == [id, "unknown"])
    #expect(facts.apply(to: report(["a", "b"])).hosts.map(\.host) == ["a", "b"])
    facts.instance = (id, nil)
    #expect(facts.apply(to: report(["ip-10-0-2-148", "unknown"])).hosts.map(\.host) == ["ip-10-0-2-148", "unknown"])
  }
}
