/// A deterministic generator (SplitMix64), so random inputs are the same on every run and a failure
/// can be replayed from its seed.
public struct SplitMix: RandomNumberGenerator {
  public var state: UInt64
  public init(state: UInt64) { self.state = state }
  public init(seed: UInt64) { self.state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// `n` random bytes.
  public mutating func bytes(_ n: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: n)
    var i = 0
    while i < n {
      var v = next()
      for _ in 0..<8 where i < n {
        out[i] = UInt8(truncatingIfNeeded: v)
        v >>= 8
        i += 1
      }
    }
    return out
  }
}
