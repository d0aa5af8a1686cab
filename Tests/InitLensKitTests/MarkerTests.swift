import Testing

@testable import InitLensKit

@Suite struct MarkerTests {
  @Test(arguments: [
    (["kernel": "6.1.124-134.200.amzn2023.x86_64"], "Amazon Linux 2023"),
    (["kernel": "4.14.336-257.562.amzn2.x86_64"], "Amazon Linux 2"),
    (["cloud-init": "19.3-46.amzn2.0.2"], "Amazon Linux 2"),
    (["cloud-init": "24.4.1-0ubuntu0~22.04.1"], "Ubuntu 22.04"),
    (["kernel": "6.8.0-1021-aws", "cloud-init": "24.1.3-0ubuntu3"], "Ubuntu"),
    (["kernel": "5.14.0-427.13.1.el9_4.x86_64"], "RHEL 9 family"),
    (["cloud-init": "22.4.2-1+deb12u1"], "Debian"),
  ])
  func osFromVersions(_ versions: [String: String], _ os: String) {
    #expect(Marker.os(versions) == os)
  }

  @Test func noHintNoOS() {
    #expect(Marker.os(["cloud-init": "22.2.2"]) == nil)
    #expect(Marker.os([:]) == nil)
  }
}
