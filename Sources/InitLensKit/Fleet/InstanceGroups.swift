/// One host per instance across bundles: the same instance reaches a fleet through several sources
/// (its console output, a CloudWatch export, a collector archive), each a bundle of its own. Bundles
/// that hold one instance are read together by one analyzer, so its lines make one timeline and a
/// chain whose symptoms came through one source and whose cause came through another is linked.
enum InstanceGroups {
  /// The bundles (indices) read together from the start: those whose names give one instance
  /// (`i-….json`, its export stream, `collect-i-…-….tgz`, its SSM directory), in order of their first.
  static func byName(_ bundles: [Bundle]) -> [[Int]] {
    var units: [[Int]] = []
    var unitOf: [String: Int] = [:]
    for (i, bundle) in bundles.enumerated() {
      if let id = bundle.nameInstanceID, let u = unitOf[id] {
        units[u].append(i)
      } else {
        if let id = bundle.nameInstanceID { unitOf[id] = units.count }
        units.append([i])
      }
    }
    return units
  }

  /// Groups of the `count` units' indices, each read again by one analyzer: units whose reports name a
  /// common instance (as a host key: `HostIdentity`) are one group, transitively; the rest stay alone.
  /// `hosts[u]` are the host keys of unit `u`'s report.
  static func merge(_ count: Int, hosts: [[String]]) -> [[Int]] {
    var parent = Array(0..<count)
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
    for u in 0..<count { groups[find(u), default: []].append(u) }
    return groups.keys.sorted().map { groups[$0]! }
  }
}
