/// One host per instance across bundles: the same instance reaches a fleet through several sources
/// (its console output, a CloudWatch export, a collector archive), each a bundle of its own. Bundles
/// that hold one instance are read together by one analyzer, so its lines make one timeline and a
/// chain whose symptoms came through one source and whose cause came through another is linked.
enum InstanceGroups {
  /// Groups of bundle indices, each read by one analyzer: bundles whose reports name a common instance
  /// (as a host key: `HostIdentity`) are one group, transitively; the rest stay alone. `hosts[i]` are
  /// the host keys of bundle (or group) `i`'s report.
  static func merge(_ units: [[Int]], hosts: [[String]]) -> [[Int]] {
    var parent = Array(units.indices)
    func find(_ i: Int) -> Int {
      var i = i
      while parent[i] != i {
        parent[i] = parent[parent[i]]
        i = parent[i]
      }
      return i
    }
    var owner: [String: Int] = [:]
    for (u, keys) in hosts.enumerated() {
      for key in keys where HostIdentity.isInstanceID(key) {
        if let other = owner[key] {
          let (a, b) = (find(u), find(other))
          if a != b { parent[max(a, b)] = min(a, b) }
        } else {
          owner[key] = u
        }
      }
    }
    var groups: [Int: [Int]] = [:]
    for u in units.indices { groups[find(u), default: []].append(u) }
    return groups.keys.sorted().map { root in groups[root]!.flatMap { units[$0] }.sorted() }
  }
}
