/// What a bundle's members other than logs say of its instance, and how it changes the bundle's report:
/// cloud-init's instance data names the instance (the host), the ECS logs collector's `uname.txt` and
/// agent files give the running kernel and agent versions, and a `cloud-init collect-logs` tarball of
/// an ECS host is noted as holding no agent log.
struct BundleFacts {
  /// `v1.instance_id` and `v1.local_hostname` of `run/cloud-init/instance-data.json`.
  var instance: (id: String, hostname: String?)? = nil
  /// Versions of the running system (`kernel`, `ecs-agent`), for the latest boot where its logs gave none.
  var versions: [String: String] = [:]
  /// A note on the bundle (not an error).
  var note: String? = nil

  static let instanceData = "run/cloud-init/instance-data.json"

  /// Reads the facts of an archive's members.
  mutating func read(_ members: [Tar.Member]) {
    var collectLogs = false
    var ecsHost = false
    var agentLog = false
    for member in members {
      let base = member.name.split(separator: "/").last.map(String.init) ?? member.name
      if member.name.split(separator: "/").contains(where: { $0.hasPrefix("cloud-init-logs") }) { collectLogs = true }
      if member.name.hasSuffix(Self.instanceData) {
        collectLogs = true
        instance = InstanceID.instanceData(Array(member.data))
      }
      if base == "uname.txt", let kernel = Self.kernel(uname: member.data) { versions["kernel"] = kernel }
      if ["agent-running-info.txt", "ecs_agent_data.txt"].contains(base), let v = Self.agentVersion(member.data) {
        versions["ecs-agent"] = v
      }
      if base.hasPrefix("ecs-agent.log") { agentLog = true }
      if base == "ecs.config" || (base == "journal.txt" && Self.mentionsECS(member.data)) { ecsHost = true }
    }
    if collectLogs && ecsHost && !agentLog {
      note =
        "a `cloud-init collect-logs` tarball of an ECS host holds no ECS agent log (/var/log/ecs is not collected): the agent's side of its boots is not in this report"
    }
  }

  /// Reads the facts of a directory bundle (cloud-init's instance data).
  mutating func readDirectory(_ dir: String) {
    if let json = InstanceID.head(of: dir + "/" + Self.instanceData, bytes: 1 << 20) {
      instance = InstanceID.instanceData(json)
    }
  }

  /// The report with the instance as its host (when the bundle's logs name one host, or its local
  /// hostname) and the versions added to each host's latest boot.
  func apply(to report: Report) -> Report {
    var report = report
    if let (id, hostname) = instance, !report.hosts.contains(where: { $0.host == id }) {
      let short = hostname?.split(separator: ".").first.map(String.init)
      let index =
        report.hosts.count == 1
        ? 0
        : report.hosts.firstIndex { h in
          h.host == hostname || (short.map { h.host == $0 || h.host.hasPrefix($0 + ".") } ?? false)
        }
      if let index {
        report.hosts[index].host = id
        report.hosts.sort { $0.host < $1.host }
      }
    }
    guard !versions.isEmpty else { return report }
    for h in report.hosts.indices where !report.hosts[h].boots.isEmpty {
      let last = report.hosts[h].boots.count - 1
      var boot = report.hosts[h].boots[last]
      for (key, value) in versions where boot.versions[key] == nil { boot.versions[key] = value }
      if boot.versions["os"] == nil, let os = Marker.os(boot.versions) { boot.versions["os"] = os }
      report.hosts[h].boots[last] = boot
    }
    return report
  }

  /// The kernel release of `uname -a` output (`Linux <host> <release> #1 SMP …`).
  static func kernel(uname: ArraySlice<UInt8>) -> String? {
    let words = String(decoding: uname.prefix(1024), as: UTF8.self).split(whereSeparator: \.isWhitespace)
    guard words.count >= 3, words[0] == "Linux" else { return nil }
    return String(words[2])
  }

  /// The agent version the agent's introspection output gives (`"Version": "Amazon ECS Agent - v1.57.1 (…)"`).
  static func agentVersion(_ data: ArraySlice<UInt8>) -> String? {
    let text = String(decoding: data.prefix(1 << 20), as: UTF8.self)
    guard let at = text.range(of: "Amazon ECS Agent - v") else { return nil }
    let version = text[at.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "(" && $0 != "," }
    return version.isEmpty ? nil : String(version)
  }

  /// Whether a journal shows the ECS agent or its init (an ECS container instance).
  static func mentionsECS(_ data: ArraySlice<UInt8>) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    return ["amazon-ecs-init", "ecs-init", "Amazon Elastic Container Service", " ecs[", "ecs.service"].contains {
      text.contains($0)
    }
  }
}
