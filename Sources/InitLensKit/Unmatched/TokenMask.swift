/// The typed placeholders of pre-masking, and the PCRE2 each stands for in a draft rule.
public enum Placeholder: String, CaseIterable, Sendable {
  case num = "NUM"
  case hex = "HEX"
  case ip = "IP"
  case uuid = "UUID"
  case path = "PATH"
  case url = "URL"
  case id = "ID"
  case time = "TIME"

  public var token: String { "<\(rawValue)>" }

  /// What `mask` replaces by this placeholder, as PCRE2 (no capture groups).
  public var regex: String {
    switch self {
    case .num: return #"\d+(?:\.\d+)*"#
    case .hex: return #"(?:0[xX])?[0-9a-fA-F]+"#
    case .ip: return #"\d{1,3}(?:\.\d{1,3}){3}"#
    case .uuid: return #"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"#
    case .path: return #"/[A-Za-z0-9._~+@%/-]*"#
    case .url: return #"[A-Za-z][A-Za-z0-9+.-]*://[^\s'"<>`]*"#
    case .id:
      return #"(?:arn:[^\s'"<>`,]+|(?:"# + TemplateMiner.awsIDPrefixes.joined(separator: "|") + #")-[0-9a-f]{8,17})"#
    case .time:
      return
        #"(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)"#
    }
  }
}

extension TemplateMiner {
  /// Prefixes of AWS resource ids (`i-0abc…`, `ami-…`, …) that mask as `<ID>`.
  static let awsIDPrefixes = [
    "i", "ami", "vol", "eni", "sg", "subnet", "vpc", "snap", "igw", "rtb", "acl", "nat", "lt", "eipalloc", "r",
  ]
  private static let awsIDPrefixBytes = awsIDPrefixes.map { Array($0.utf8) }

  /// `message` with its variable parts replaced by typed placeholders (see `Placeholder`).
  public static func mask(_ message: String) -> String {
    var m = message
    var out: [UInt8] = []
    var marks: [Int] = []
    m.withUTF8 { mask(UnsafeRawBufferPointer($0), into: &out, marks: &marks) }
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes `p` masked into `out`, and the offsets in `out` where a placeholder starts into `marks`.
  /// One pass; at each position where a word may start, the longest-shaped variable is tried first
  /// (URL, ARN and AWS id, UUID, time, IP, hex, number, path).
  static func mask(_ p: UnsafeRawBufferPointer, into out: inout [UInt8], marks: inout [Int]) {
    out.removeAll(keepingCapacity: true)
    marks.removeAll(keepingCapacity: true)
    let n = p.count
    func put(_ ph: Placeholder) {
      marks.append(out.count)
      switch ph {
      case .num: out += [0x3C, 0x4E, 0x55, 0x4D, 0x3E]
      case .hex: out += [0x3C, 0x48, 0x45, 0x58, 0x3E]
      case .ip: out += [0x3C, 0x49, 0x50, 0x3E]
      case .uuid: out += [0x3C, 0x55, 0x55, 0x49, 0x44, 0x3E]
      case .path: out += [0x3C, 0x50, 0x41, 0x54, 0x48, 0x3E]
      case .url: out += [0x3C, 0x55, 0x52, 0x4C, 0x3E]
      case .id: out += [0x3C, 0x49, 0x44, 0x3E]
      case .time: out += [0x3C, 0x54, 0x49, 0x4D, 0x45, 0x3E]
      }
    }
    var i = 0
    while i < n {
      let c = p[i]
      let boundary = i == 0 || !isWord(p[i - 1])
      var found: (Placeholder, Int)? = nil
      if boundary, isLetter(c) {
        if let end = url(p, i) {
          found = (.url, end)
        } else if let end = arn(p, i) ?? awsID(p, i) {
          found = (.id, end)
        } else if let end = uuid(p, i) {
          found = (.uuid, end)
        } else if let end = hexWord(p, i, needDigit: true) {
          found = (.hex, end)
        } else {
          // A plain word (letters, digits, `_`): copied whole, so `ec2` or `IMDSv2` keep their digits.
          while i < n, isWord(p[i]) {
            out.append(p[i])
            i += 1
          }
          continue
        }
      } else if boundary, isDigit(c) {
        if let end = uuid(p, i) {
          found = (.uuid, end)
        } else if let end = time(p, i) {
          found = (.time, end)
        } else if let end = ip(p, i) {
          found = (.ip, end)
        } else if c == 0x30, i + 2 < n, p[i + 1] | 0x20 == 0x78, isHex(p[i + 2]) {
          var j = i + 2
          while j < n, isHex(p[j]) { j += 1 }
          found = (.hex, j)
        } else if let end = hexWord(p, i, needDigit: false) {
          found = (.hex, end)
        } else {
          var j = i
          while j < n, isDigit(p[j]) { j += 1 }
          while j + 1 < n, p[j] == 0x2E, isDigit(p[j + 1]) {
            j += 1
            while j < n, isDigit(p[j]) { j += 1 }
          }
          found = (.num, j)
        }
      } else if c == 0x2F, i + 1 < n, isPathByte(p[i + 1]), i == 0 || pathOpener(p[i - 1]) {
        var j = i + 1
        while j < n, isPathByte(p[j]) || p[j] == 0x2F { j += 1 }
        while j > i + 1, p[j - 1] == 0x2E { j -= 1 }
        found = (.path, j)
      }
      if let (ph, end) = found {
        put(ph)
        i = end
      } else {
        out.append(c)
        i += 1
      }
    }
  }

  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
  @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
  @inline(__always) static func isWord(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == 0x5F }
  @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
  @inline(__always) static func isPathByte(_ b: UInt8) -> Bool {
    isWord(b) || b == 0x2E || b == 0x2D || b == 0x7E || b == 0x2B || b == 0x40 || b == 0x25
  }
  /// Bytes after which a `/` starts a path: a blank, a quote, an opening bracket, `=`, `,` or `:`.
  @inline(__always) static func pathOpener(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x27 || b == 0x22 || b == 0x28 || b == 0x5B || b == 0x3D || b == 0x2C
      || b == 0x3A
  }

  /// The end of a scheme-like run of letters, digits, `+`, `.`, `-` at `i`.
  static func schemeEnd(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int {
    var j = i
    while j < p.count, isWord(p[j]) && p[j] != 0x5F || p[j] == 0x2B || p[j] == 0x2E || p[j] == 0x2D { j += 1 }
    return j
  }

  /// `scheme://…` up to a blank, quote or angle bracket, trailing punctuation left out.
  static func url(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    let s = schemeEnd(p, i)
    guard s > i, p.hasPrefix("://", at: s) else { return nil }
    var j = s + 3
    while j < p.count {
      let b = p[j]
      if b == 0x20 || b == 0x09 || b == 0x27 || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x60 { break }
      j += 1
    }
    while j > s + 3, p[j - 1] == 0x2E || p[j - 1] == 0x2C || p[j - 1] == 0x3B || p[j - 1] == 0x3A { j -= 1 }
    return j
  }

  /// `arn:…` up to a blank, quote, angle bracket or comma.
  static func arn(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    guard p.hasPrefix("arn:", at: i) else { return nil }
    var j = i + 4
    while j < p.count {
      let b = p[j]
      if b == 0x20 || b == 0x09 || b == 0x27 || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x60 || b == 0x2C { break }
      j += 1
    }
    while j > i + 4, p[j - 1] == 0x2E || p[j - 1] == 0x3B || p[j - 1] == 0x3A { j -= 1 }
    return j
  }

  /// An AWS resource id: a known prefix, `-`, 8 to 17 lower-case hex digits, then no word byte.
  static func awsID(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    for prefix in awsIDPrefixBytes {
      let k = i + prefix.count
      guard k < p.count, p[k] == 0x2D else { continue }
      var match = true
      for (o, b) in prefix.enumerated() where p[i + o] != b {
        match = false
        break
      }
      guard match else { continue }
      var j = k + 1
      while j < p.count, isDigit(p[j]) || p[j] &- 0x61 < 6 { j += 1 }
      let len = j - k - 1
      if len >= 8, len <= 17, j == p.count || !isWord(p[j]) { return j }
    }
    return nil
  }

  /// 8-4-4-4-12 hex digits.
  static func uuid(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    var j = i
    for (g, len) in [8, 4, 4, 4, 12].enumerated() {
      if g > 0 {
        guard j < p.count, p[j] == 0x2D else { return nil }
        j += 1
      }
      for _ in 0..<len {
        guard j < p.count, isHex(p[j]) else { return nil }
        j += 1
      }
    }
    return j == p.count || !isWord(p[j]) ? j : nil
  }

  /// A run of at least 8 hex digits ending at a non-word byte, with a digit (`needDigit`) or a
  /// letter (otherwise) among them: commit hashes, container and boot ids.
  static func hexWord(_ p: UnsafeRawBufferPointer, _ i: Int, needDigit: Bool) -> Int? {
    var j = i
    var digit = false
    var letter = false
    while j < p.count, isHex(p[j]) {
      if isDigit(p[j]) { digit = true } else { letter = true }
      j += 1
    }
    guard j - i >= 8, j == p.count || !isWord(p[j]) else { return nil }
    return (needDigit ? digit : letter) ? j : nil
  }

  /// `YYYY-MM-DD`, optionally with `[T ]HH:MM[:SS][.frac][Z|±hh[:]mm]`, or `HH:MM:SS[.frac]`.
  static func time(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    func digits(_ at: Int, _ k: Int) -> Bool {
      guard at + k <= p.count else { return false }
      for o in at..<(at + k) where !isDigit(p[o]) { return false }
      return true
    }
    func clock(_ at: Int) -> Int? {
      guard digits(at, 2), p.byte(at + 2, is: 0x3A), digits(at + 3, 2) else { return nil }
      var j = at + 5
      if p.byte(j, is: 0x3A), digits(j + 1, 2) { j += 3 }
      if j + 1 < p.count, p[j] == 0x2E || p[j] == 0x2C, isDigit(p[j + 1]) {
        j += 1
        while j < p.count, isDigit(p[j]) { j += 1 }
      }
      return j
    }
    if digits(i, 4), p.byte(i + 4, is: 0x2D), digits(i + 5, 2), p.byte(i + 7, is: 0x2D), digits(i + 8, 2) {
      var j = i + 10
      if j < p.count, p[j] == 0x54 || p[j] == 0x20, let end = clock(j + 1) {
        j = end
        if p.byte(j, is: 0x5A) {
          j += 1
        } else if j < p.count, p[j] == 0x2B || p[j] == 0x2D, digits(j + 1, 2) {
          var k = j + 3
          if p.byte(k, is: 0x3A) { k += 1 }
          if digits(k, 2) { j = k + 2 }
        }
      }
      return j == p.count || !isWord(p[j]) ? j : nil
    }
    guard digits(i, 2), p.byte(i + 2, is: 0x3A), digits(i + 3, 2), p.byte(i + 5, is: 0x3A), let end = clock(i),
      end == p.count || !isWord(p[end])
    else { return nil }
    return end
  }

  /// A dotted IPv4 address not followed by more digits or dots-and-digits.
  static func ip(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    var j = i
    for part in 0..<4 {
      if part > 0 {
        guard j + 1 < p.count, p[j] == 0x2E, isDigit(p[j + 1]) else { return nil }
        j += 1
      }
      let s = j
      while j < p.count, isDigit(p[j]), j - s < 4 { j += 1 }
      guard j - s >= 1, j - s <= 3 else { return nil }
    }
    if j < p.count, isWord(p[j]) { return nil }
    if j + 1 < p.count, p[j] == 0x2E, isDigit(p[j + 1]) { return nil }
    return j
  }
}
