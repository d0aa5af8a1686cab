/// Which host a line is reported under. The instance id is a host's key wherever a source gives it:
/// the logs of one instance reach initlens under several names (a journal's host name, console output's
/// instance id, a CloudWatch log stream, a bundle's directory), and all of them are one host with one
/// timeline. A host known only by its host name keeps it.
extension BootBuilder {
  /// The key each host name the inputs give is reported under (before redaction):
  /// - an instance id is its own key;
  /// - a host name whose own lines (cloud-init's, in its journal) name exactly one instance is that
  ///   instance;
  /// - else, when the inputs are one instance's (`options.instanceID`, a fleet bundle's) or the inputs
  ///   that name no host (cloud-init.log) name one instance, the one host name left is that instance;
  /// - else the name itself.
  func hostKeys() -> [String: String] {
    var instances: [String: Set<String>] = [:]
    var unnamed = Set<String>()
    for seg in segments.values {
      guard let host = seg.host else {
        if let id = seg.identity.instanceID { unnamed.insert(id) }
        continue
      }
      if instances[host] == nil { instances[host] = [] }
      if let id = seg.identity.instanceID { instances[host]!.insert(id) }
    }
    var keys: [String: String] = [:]
    var left: [String] = []
    for (host, ids) in instances {
      if let key = options.hostAliases[host] {
        keys[host] = key
      } else if HostIdentity.isInstanceID(host) {
        keys[host] = host
      } else if ids.count == 1 {
        keys[host] = ids.first!
      } else {
        keys[host] = host
        left.append(host)
      }
    }
    // The inputs' one host name left, and the one instance the caller or the unnamed inputs (cloud-init's
    // own log, which goes with that host) name: the same machine.
    if left.count == 1, let instance = options.instanceID ?? (unnamed.count == 1 ? unnamed.first : nil) {
      let others = Set(keys.values).subtracting(left)
      if others.isEmpty || others == [instance] { keys[left[0]] = instance }
    }
    return keys
  }

  /// The key of one host name, from its own lines only (a host retired while reading).
  func hostKey(_ raw: String, segments ids: [Int]) -> String {
    if HostIdentity.isInstanceID(raw) { return raw }
    let named = Set(ids.compactMap { segments[$0]?.identity.instanceID })
    return named.count == 1 ? named.first! : raw
  }
}

public enum HostIdentity {
  /// Whether a name is an EC2 instance id (`i-` and 8 or 17 hex digits) or a managed node's (`mi-` and
  /// 17): the key other names of the same machine map to.
  public static func isInstanceID(_ name: String) -> Bool {
    let u = Array(name.utf8)
    let digits: ArraySlice<UInt8>
    if u.count >= 3, u[0] == 0x69, u[1] == 0x2D {
      digits = u[2...]
      guard digits.count == 8 || digits.count == 17 else { return false }
    } else if u.count == 20, u[0] == 0x6D, u[1] == 0x69, u[2] == 0x2D {
      digits = u[3...]
    } else {
      return false
    }
    return digits.allSatisfy { $0 &- 0x30 < 10 || $0 &- 0x61 < 6 }
  }
}
