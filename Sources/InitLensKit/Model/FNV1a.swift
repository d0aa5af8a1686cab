/// FNV-1a 64 (the hash bundle shards use), as 16 hex digits: the hash of rule sets and of shard runs.
public enum FNV1a {
  public static func hash(_ bytes: some Sequence<UInt8>, into hash: inout UInt64) {
    for b in bytes {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
  }

  public static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

  public static func hex(_ hash: UInt64) -> String {
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  public static func hex(_ text: String) -> String {
    var h = seed
    hash(text.utf8, into: &h)
    return hex(h)
  }
}
