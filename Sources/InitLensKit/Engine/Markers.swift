/// Boot boundaries and version facts found in inner lines (structure, not diagnosis: rules do that).
enum Marker {
  /// Order of a boot's markers: a marker whose order is not above the boot's highest seen so far
  /// starts a new boot (kernel → journald → cloud-init init-local happen once each per boot).
  static let kernelOrder = 0
  static let journalOrder = 1
  static let cloudInitOrder = 2

  /// The boot-marker order of a line, if it is one.
  static func bootOrder(_ inner: UnsafeRawBufferPointer, parsed: ParsedLine) -> Int? {
    if inner.hasPrefix("Cloud-init v. "), inner.find(bannerInitLocal, from: 14) != nil { return cloudInitOrder }
    if parsed.source == .kernel, inner.hasPrefix("Linux version ") { return kernelOrder }
    if inner.hasPrefix("Journal started"), parsed.ident?.hasPrefix("systemd-journal") ?? false { return journalOrder }
    return nil
  }

  static let bannerInitLocal = Array(" running 'init-local' at ".utf8)
  static let ecsAgentVersion = Array("Amazon ECS agent Version: ".utf8)
  static let ecsAgentStarting = Array("Starting Amazon ECS Agent\"".utf8)
  static let versionField = Array(" version=\"".utf8)
  static let ecsAgentLegacy = Array("Starting Agent: Amazon ECS Agent - v".utf8)
  static let upSeconds = Array(". Up ".utf8)
  static let upSecondsFinal = Array(".  Up ".utf8)

  static let cloudInitBanner = Array("Cloud-init v. ".utf8)
  /// The structural prefilter literals one of which every version line holds.
  static let versionLiteralIDs: [Int] = [
    "Cloud-init v. ", "Linux version", "Amazon ECS agent Version", "Starting Amazon ECS Agent",
    "Starting Agent: Amazon ECS Agent",
  ].map { Classifier.structural.firstIndex(of: Array($0.utf8))! }

  /// (`cloud-init` | `ecs-agent`, version) when the line announces a version. `present`: the literals
  /// the prefilter found in the line, when it ran (no version line lacks all of `versionLiteralIDs`).
  static func version(_ inner: UnsafeRawBufferPointer, present: LiteralBits? = nil) -> (String, String)? {
    if let present, !versionLiteralIDs.contains(where: present.contains) { return nil }
    if let at = inner.find(cloudInitBanner, from: 0) {
      return ("cloud-init", token(inner, at + 14))
    }
    if let at = inner.find(ecsAgentVersion, from: 0) { return ("ecs-agent", token(inner, at + ecsAgentVersion.count)) }
    // Structured: msg="Starting Amazon ECS Agent" with version="X" among its fields, in any order.
    if let at = inner.find(ecsAgentStarting, from: 0), let v = inner.find(versionField, from: at) {
      return ("ecs-agent", token(inner, v + versionField.count))
    }
    if let at = inner.find(ecsAgentLegacy, from: 0) { return ("ecs-agent", token(inner, at + ecsAgentLegacy.count)) }
    if inner.hasPrefix("Linux version ") { return ("kernel", token(inner, 14)) }
    return nil
  }

  /// Seconds since kernel start from a cloud-init banner (`… Up 5.23 seconds`).
  static func uptime(_ inner: UnsafeRawBufferPointer) -> Double? {
    guard inner.hasPrefix("Cloud-init v. ") else { return nil }
    guard let at = inner.find(upSeconds, from: 14) ?? inner.find(upSecondsFinal, from: 14) else { return nil }
    var i = inner.skipSpaces(at + 4)
    let start = i
    while i < inner.count, inner.isDigit(i) || inner[i] == 0x2E { i += 1 }
    return i > start ? Double(inner.string(start..<i)) : nil
  }

  /// The version token at `i`: up to a space, comma, quote or parenthesis.
  static func token(_ p: UnsafeRawBufferPointer, _ i: Int) -> String {
    var j = i
    while j < p.count, p[j] != 0x20, p[j] != 0x2C, p[j] != 0x22, p[j] != 0x28, p[j] != 0x29 { j += 1 }
    var s = p.string(i..<j)
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }
}

extension Marker {
  /// The distribution, told by the kernel release or the cloud-init package version
  /// (`6.1.129-138.220.amzn2023.x86_64`, `19.3-46.amzn2.0.1`, `24.4.1-0ubuntu0~22.04.1`).
  static func os(_ versions: [String: String]) -> String? {
    let hints = [versions["kernel"], versions["cloud-init"]].compactMap { $0?.lowercased() }
    // Byte searches: Foundation's `range(of:)` costs more than the rest of a boot's report.
    // (`Array.contains(Array)` is the generic searcher of _StringProcessing: 10 % of a 256 MiB run.)
    func has(_ h: String, _ needle: StaticString) -> Bool {
      var h = h
      return h.withUTF8 { hb in
        UnsafeRawBufferPointer(hb).contains(
          Array(UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)))
      }
    }
    for h in hints {
      if has(h, "amzn2023") { return "Amazon Linux 2023" }
      if has(h, "amzn2") { return "Amazon Linux 2" }
      if has(h, "amzn1") || has(h, ".amzn") { return "Amazon Linux" }
      if has(h, "ubuntu") {
        let tail =
          h.components(separatedBy: "ubuntu0~").dropFirst().first
          ?? h.split(separator: "~").dropFirst().first.map(String.init)
        let rest = (tail ?? "").prefix { $0.isNumber || $0 == "." }
        return rest.isEmpty ? "Ubuntu" : "Ubuntu " + rest.split(separator: ".").prefix(2).joined(separator: ".")
      }
      if has(h, ".el9") { return "RHEL 9 family" }
      if has(h, ".el8") { return "RHEL 8 family" }
      if has(h, ".el7") { return "RHEL 7 family" }
      if has(h, "deb") { return "Debian" }
    }
    return nil
  }
}
