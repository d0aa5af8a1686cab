import Foundation

/// The "candidate lines" test in front of PCRE2 (ripgrep's idea): a line can only match a rule if it
/// contains one of the rule's literals, so most lines never meet a regex.
///
/// All literals of all rules (and the structural ones the engine needs: boot markers, version lines,
/// cloud-init events) are indexed by one *rare bigram* each — the pair of adjacent bytes in the literal
/// that is least frequent in a sample of the input. Scanning a line is then one pass with a 64 KiB
/// byte table (text's bigrams touch only a few KiB of it); only where a bigram hits is the whole literal compared. It may say
/// "candidate" wrongly (a literal in the transport prefix) but never "not a candidate" wrongly: a line
/// that contains a literal always contains that literal's bigram.
///
/// SAFETY: immutable after `init` (`scan` only reads the tables), so one prefilter is
/// shared by the threads that scan parts of one file.
public final class Prefilter: @unchecked Sendable {
  public let literals: [[UInt8]]
  /// One byte per bigram (`key`): 1 where some literal is anchored. A byte table, not a bit set: no
  /// shift per position, and the bigrams of text touch only a few KiB of it.
  private let marks: UnsafeMutablePointer<UInt8>
  /// The anchor bigrams, sorted: a hit's group is found by binary search (a 64 Ki-entry table made
  /// for every input cost more than the searches in a fleet of small files; hashing, more still).
  private let groupKeys: UnsafeMutablePointer<UInt16>
  private let groupCount: Int
  /// Group `g`'s anchors are `anchored[groupStart[g]..<groupStart[g + 1]]`.
  private let groupStart: UnsafeMutablePointer<Int32>
  /// The anchors by group, and the literals' bytes back to back: flat, so that checking a hit costs
  /// no reference counting.
  private let anchored: UnsafeMutablePointer<Anchor>
  private let literalBytes: UnsafeMutablePointer<UInt8>
  struct Anchor {
    /// The literal's index, its bytes in `literalBytes`, and where the bigram is in it.
    var literal: Int32
    var start: Int32
    var count: Int32
    var offset: Int32
  }
  /// Literals shorter than 2 bytes cannot be anchored: lines are always candidates then.
  public let alwaysCandidate: Bool
  /// Whether a line's leading ISO 8601 stamp (`2025-06-25T14:00:00`, 19 bytes) may be passed over: no
  /// literal can start inside one (true for the built-in rules; tested).
  public let skipsISOStamp: Bool

  /// What each of the 19 bytes of an ISO stamp can be: `nil` a digit, else that byte.
  static let stampShape: [UInt8?] = Array("dddd-dd-ddTdd:dd:dd".utf8).map { $0 == 0x64 ? nil : $0 }

  /// Masks of the stamp's shape over bytes 0..<8, 8..<16 and 11..<19 (little-endian loads): the
  /// separators' places and bytes, and the digits' places.
  static func stampMasks(_ offset: Int) -> (sepMask: UInt64, sepValue: UInt64, digitMask: UInt64) {
    var masks: (sepMask: UInt64, sepValue: UInt64, digitMask: UInt64) = (0, 0, 0)
    for k in 0..<8 {
      if let fixed = stampShape[offset + k] {
        masks.sepMask |= 0xFF << UInt64(8 * k)
        masks.sepValue |= UInt64(fixed) << UInt64(8 * k)
      } else {
        masks.digitMask |= 0xFF << UInt64(8 * k)
      }
    }
    return masks
  }
  // `stampMasks(0)`, `(8)` and `(11)` as constants (a `static let` costs a `swift_once` check at every
  // use in the scanners' loop; HeaderTemplateTests checks they agree).
  static var stampMasks0: (sepMask: UInt64, sepValue: UInt64, digitMask: UInt64) {
    (0xff00_00ff_0000_0000, 0x2d00_002d_0000_0000, 0x00ff_ff00_ffff_ffff)
  }
  static var stampMasks8: (sepMask: UInt64, sepValue: UInt64, digitMask: UInt64) {
    (0x0000_ff00_00ff_0000, 0x0000_3a00_0054_0000, 0xffff_00ff_ff00_ffff)
  }
  static var stampMasks11: (sepMask: UInt64, sepValue: UInt64, digitMask: UInt64) {
    (0x0000_ff00_00ff_0000, 0x0000_3a00_003a_0000, 0xffff_00ff_ff00_ffff)
  }

  @inline(__always)
  static func fits(_ x: UInt64, _ m: (sepMask: UInt64, sepValue: UInt64, digitMask: UInt64)) -> Bool {
    // A digit's high nibble is 3 and its low nibble at most 9 (adding 6 does not reach 16).
    let digits = x & m.digitMask
    return x & m.sepMask == m.sepValue && digits & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 & m.digitMask
      && ((digits & 0x0F0F_0F0F_0F0F_0F0F) &+ (0x0606_0606_0606_0606 & m.digitMask)) & 0x1010_1010_1010_1010 == 0
  }

  /// Whether `p` starts with an ISO stamp's 19 bytes, `dddd-dd-ddTdd:dd:dd`, every one of them checked
  /// (three 8-byte loads): only then can no literal start before byte 19 (`skipsISOStamp`).
  @inline(__always)
  public static func startsWithStamp(_ p: UnsafeRawBufferPointer) -> Bool {
    guard p.count > 19, let base = p.baseAddress else { return false }
    return fits(base.loadUnaligned(as: UInt64.self), stampMasks0)
      && fits(base.loadUnaligned(fromByteOffset: 8, as: UInt64.self), stampMasks8)
      && fits(base.loadUnaligned(fromByteOffset: 11, as: UInt64.self), stampMasks11)
  }

  /// Whether `literal` could begin at `p` < 19 inside a stamp (its bytes fit the stamp's shape there).
  static func fitsStamp(_ literal: [UInt8], at p: Int) -> Bool {
    for (k, b) in literal.enumerated() where p + k < stampShape.count {
      if let fixed = stampShape[p + k] {
        if b != fixed { return false }
      } else if !(0x30...0x39).contains(b) {
        return false
      }
    }
    return true
  }

  /// - Parameter sample: bytes whose bigram frequencies choose the anchors (e.g. the head of the input).
  public init(literals: [[UInt8]], sample: UnsafeRawBufferPointer) {
    self.literals = literals
    marks = .allocate(capacity: 65536)
    marks.initialize(repeating: 0, count: 65536)
    alwaysCandidate = literals.contains { $0.count < 2 }
    skipsISOStamp = !literals.contains { lit in (0..<19).contains { Prefilter.fitsStamp(lit, at: $0) } }
    var anchors: [UInt16: [(Int, Int)]] = [:]
    // The mark table first holds the sample's bigram counts (saturating at 255: only rarity matters),
    // so that no second 64 Ki-entry table is made for every input (a fleet has thousands).
    let freq = marks
    if sample.count >= 2 {
      for i in 0..<(sample.count - 1) {
        let k = Int(Prefilter.key(sample[i], sample[i + 1]))
        if freq[k] < 255 { freq[k] += 1 }
      }
    }
    var chosen: [UInt16] = []
    for (index, lit) in literals.enumerated() where lit.count >= 2 {
      // The rarest bigram in the sample; ties go to the one furthest into the literal (more specific).
      var best = 0
      var bestFreq = Int.max
      for o in 0..<(lit.count - 1) {
        let f = Int(freq[Int(Prefilter.key(lit[o], lit[o + 1]))])
        if f <= bestFreq {
          bestFreq = f
          best = o
        }
      }
      let key = Prefilter.key(lit[best], lit[best + 1])
      chosen.append(key)
      anchors[key, default: []].append((index, best))
    }
    marks.update(repeating: 0, count: 65536)
    for key in chosen { marks[Int(key)] = 1 }
    var starts: [Int32] = [0]
    var keys: [UInt16] = []
    var flat: [Anchor] = []
    var bytes: [UInt8] = []
    var at: [Int: Int32] = [:]
    for (index, lit) in literals.enumerated() where lit.count >= 2 {
      at[index] = Int32(bytes.count)
      bytes += lit
    }
    for key in anchors.keys.sorted() {
      for (index, offset) in anchors[key]! {
        flat.append(
          Anchor(
            literal: Int32(index), start: at[index]!, count: Int32(literals[index].count), offset: Int32(offset)))
      }
      starts.append(Int32(flat.count))
      keys.append(key)
    }
    groupCount = keys.count
    groupKeys = .allocate(capacity: max(1, keys.count))
    groupKeys.initialize(from: keys, count: keys.count)
    groupStart = .allocate(capacity: starts.count)
    groupStart.initialize(from: starts, count: starts.count)
    anchored = .allocate(capacity: max(1, flat.count))
    anchored.initialize(from: flat, count: flat.count)
    literalBytes = .allocate(capacity: max(1, bytes.count))
    literalBytes.initialize(from: bytes, count: bytes.count)
  }

  /// One prefilter per literal set for small inputs, built from the first one's sample: building one
  /// (counting the sample's bigrams, clearing the tables) cost more than scanning a small file, and a
  /// fleet reads thousands. Which sample chose the anchors changes only speed, never results.
  public static func shared(literals: [[UInt8]], sample: UnsafeRawBufferPointer) -> Prefilter {
    sharedLock.lock()
    defer { sharedLock.unlock() }
    if let p = sharedByLiterals[literals] { return p }
    let p = Prefilter(literals: literals, sample: sample)
    sharedByLiterals[literals] = p
    return p
  }

  /// Inputs whose head (the sample) is shorter than this are small: they use `shared`.
  public static let smallInput = 64 * 1024

  private static let sharedLock = NSLock()
  // SAFETY: only touched under `sharedLock`.
  nonisolated(unsafe) private static var sharedByLiterals: [[[UInt8]]: Prefilter] = [:]

  deinit {
    marks.deallocate()
    groupStart.deallocate()
    groupKeys.deallocate()
    anchored.deallocate()
    literalBytes.deallocate()
  }

  /// The table key of two adjacent bytes: what a little-endian 16-bit load at the first one gives.
  @inline(__always) static func key(_ a: UInt8, _ b: UInt8) -> UInt16 { UInt16(a) | UInt16(b) << 8 }

  @inline(__always) private func mark(_ p: UnsafeRawPointer) -> UInt8 { marks[Int(p.loadUnaligned(as: UInt16.self))] }

  /// Marks in `present` (one bit per literal) the literals `line` contains; returns whether any is.
  @inline(__always)
  public func scan(_ line: UnsafeRawBufferPointer, _ present: inout LiteralBits) -> Bool {
    scan(line, from: 0, &present)
  }

  /// `scan` over a line whose first `from` bytes hold no literal's start (only bigrams at `from` and
  /// after are looked at; literals are still compared against the whole line).
  @inline(__always)
  public func scan(_ line: UnsafeRawBufferPointer, from: Int, _ present: inout LiteralBits) -> Bool {
    present.clear()
    if alwaysCandidate { present.setAll(literals.count) }
    let n = line.count
    guard n >= 2, let raw = line.baseAddress else { return alwaysCandidate }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    var found = alwaysCandidate
    // Bigrams start at 0..<n-1. Eight at a time with one branch; positions are re-checked on a hit.
    let end = n - 1
    var i = from
    while i &+ 8 <= end {
      let p = raw + i
      let m =
        (mark(p) | mark(p + 1)) | (mark(p + 2) | mark(p + 3))
        | ((mark(p + 4) | mark(p + 5)) | (mark(p + 6) | mark(p + 7)))
      if m != 0 { found = verify(range: i..<(i &+ 8), base, n, &present) || found }
      i &+= 8
    }
    if i < end { found = verify(range: i..<end, base, n, &present) || found }
    return found
  }

  /// `verify` at every marked position of `range`; out of line, to keep the scan loop's registers.
  @inline(never)
  private func verify(
    range: Range<Int>, _ base: UnsafePointer<UInt8>, _ n: Int, _ present: inout LiteralBits
  ) -> Bool {
    // The marked positions as bits, gathered without a branch, then visited lowest first (a branch per
    // position mispredicts on every hit).
    var hits: UInt32 = 0
    for j in range { hits |= UInt32(mark(base + j)) &<< UInt32(j &- range.lowerBound) }
    var any = false
    while hits != 0 {
      let j = range.lowerBound &+ hits.trailingZeroBitCount
      hits &= hits &- 1
      any = verify(Prefilter.key(base[j], base[j + 1]), at: j, base, n, &present) || any
    }
    return any
  }

  private func verify(
    _ key: UInt16, at pos: Int, _ base: UnsafePointer<UInt8>, _ n: Int, _ present: inout LiteralBits
  ) -> Bool {
    var any = false
    var lo = 0
    var hi = groupCount
    while lo < hi {
      let mid = (lo + hi) / 2
      if groupKeys[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    guard lo < groupCount, groupKeys[lo] == key else { return false }
    for k in Int(groupStart[lo])..<Int(groupStart[lo + 1]) {
      let a = anchored[k]
      let start = pos - Int(a.offset)
      let count = Int(a.count)
      guard start >= 0, start + count <= n else { continue }
      let lit = literalBytes + Int(a.start)
      if base[start] == lit[0] && System.sameBytes(base + start, lit, count: count) {
        present.set(Int(a.literal))
        any = true
      }
    }
    return any
  }
}

/// A small bit set of literal indices, reused for every line.
public struct LiteralBits {
  var words: [UInt64]
  var dirty = false
  public init(count: Int) { words = Array(repeating: 0, count: max(1, (count + 63) / 64)) }
  @inline(__always) mutating func clear() {
    if dirty {
      for i in words.indices { words[i] = 0 }
      dirty = false
    }
  }
  @inline(__always) mutating func set(_ i: Int) {
    words[i >> 6] |= 1 << UInt64(i & 63)
    dirty = true
  }
  mutating func setAll(_ count: Int) { for i in 0..<count { set(i) } }
  @inline(__always) public func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
}
