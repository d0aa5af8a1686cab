/// What cloud-init's own lines say of the machine they ran on, for inputs that name no host
/// (`cloud-init.log`, `cloud-init-output.log`): the instance id in `/var/lib/cloud/instances/i-…/`, the
/// host name it set, and the distribution class it used (`cloudinit.distros.amazon.Distro`).
struct Identity: Sendable, Equatable {
  var instanceID: String?
  var hostname: String?
  var distro: String?

  /// The structural prefilter literals one of which every such line holds.
  static let literals = ["/var/lib/cloud/instances/i-", "Setting the hostname to ", "cloudinit.distros."]
  static let literalIDs: [Int] = literals.map { Classifier.structural.firstIndex(of: Array($0.utf8))! }

  private static let instances = Array("/var/lib/cloud/instances/i-".utf8)
  private static let setHostname = Array("Setting the hostname to ".utf8)
  private static let distros = Array("cloudinit.distros.".utf8)

  var isEmpty: Bool { instanceID == nil && hostname == nil && distro == nil }

  /// Notes what `inner` names that is not known yet. `present`: the literals the prefilter found.
  mutating func note(_ inner: UnsafeRawBufferPointer, present: LiteralBits?) {
    if let present, !Identity.literalIDs.contains(where: present.contains) { return }
    if instanceID == nil, let at = inner.find(Identity.instances, from: 0) {
      // i- and 8 or 17 hex digits, then a slash or the end of the path.
      var j = at + Identity.instances.count
      let hex = j
      while j < inner.count, j - hex < 17, isHex(inner[j]) { j += 1 }
      if j - hex == 8 || j - hex == 17, j == inner.count || inner[j] == 0x2F || inner[j] == 0x27 || inner[j] == 0x20 {
        instanceID = "i-" + inner.string(hex..<j)
      }
    }
    if hostname == nil, let at = inner.find(Identity.setHostname, from: 0) {
      // cc_set_hostname / cc_update_hostname: "Setting the hostname to FQDN (HOSTNAME)".
      var j = at + Identity.setHostname.count
      let start = j
      while j < inner.count, isHostByte(inner[j]) { j += 1 }
      if j > start { hostname = inner.string(start..<j) }
    }
    if distro == nil, let at = inner.find(Identity.distros, from: 0) {
      var j = at + Identity.distros.count
      let start = j
      while j < inner.count, inner[j] &- 0x61 < 26 || inner[j] == 0x5F { j += 1 }
      if j > start, inner.byte(j, is: 0x2E) { distro = inner.string(start..<j) }
    }
  }

  mutating func merge(_ other: Identity) {
    if instanceID == nil { instanceID = other.instanceID }
    if hostname == nil { hostname = other.hostname }
    if distro == nil { distro = other.distro }
  }

  /// The distribution a cloud-init distro class stands for (`cloudinit/distros/__init__.py`'s OSFAMILIES).
  static func os(distro: String) -> String? {
    switch distro {
    case "amazon": return "Amazon Linux"
    case "ubuntu": return "Ubuntu"
    case "debian": return "Debian"
    case "rhel", "centos", "rocky", "almalinux", "cloudlinux", "eurolinux", "miraclelinux", "virtuozzo", "fedora":
      return "RHEL family"
    case "sles", "opensuse", "suse": return "SUSE"
    default: return nil
    }
  }
}

@inline(__always) private func isHex(_ c: UInt8) -> Bool { c &- 0x30 < 10 || c &- 0x61 < 6 }
@inline(__always) private func isHostByte(_ c: UInt8) -> Bool {
  c &- 0x30 < 10 || c &- 0x61 < 26 || c &- 0x41 < 26 || c == 0x2D || c == 0x2E
}
