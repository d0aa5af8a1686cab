/// A value of a flat JSON object as journalctl `-o json` and the ECS agent's JSON format write them.
enum FlatJSONValue: Equatable {
  case string(String)
  /// journald writes fields with non-printable or non-UTF-8 bytes as arrays of byte numbers.
  case bytes([UInt8])
  /// A field that appears more than once becomes an array; we keep its values in order.
  case strings([String])
  case number(String)
  case null
  /// Booleans and nested objects: present but not used.
  case other
}

/// Parses one JSON object per line, keeping only top-level keys. Returns nil for anything that is not
/// a complete, well-formed object (the caller reports the line and keeps it as plain text).
struct FlatJSON {
  let p: UnsafeRawBufferPointer
  var i: Int

  static func parse(_ p: UnsafeRawBufferPointer) -> [String: FlatJSONValue]? {
    var parser = FlatJSON(p: p, i: 0)
    return parser.object()
  }

  mutating func ws() { while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 } }

  mutating func object() -> [String: FlatJSONValue]? {
    ws()
    guard i < p.count, p[i] == 0x7B else { return nil }
    i += 1
    var result: [String: FlatJSONValue] = [:]
    ws()
    if i < p.count, p[i] == 0x7D {
      i += 1
      return result
    }
    while true {
      ws()
      guard let key = string() else { return nil }
      ws()
      guard i < p.count, p[i] == 0x3A else { return nil }
      i += 1
      ws()
      guard let v = value(depth: 0) else { return nil }
      result[key] = v
      ws()
      guard i < p.count else { return nil }
      if p[i] == 0x2C {
        i += 1
        continue
      }
      if p[i] == 0x7D {
        i += 1
        ws()
        return i == p.count ? result : nil
      }
      return nil
    }
  }

  mutating func value(depth: Int) -> FlatJSONValue? {
    guard i < p.count, depth < 64 else { return nil }
    switch p[i] {
    case 0x22:
      return string().map { .string($0) }
    case 0x5B:
      return array(depth: depth)
    case 0x7B:
      return skipObject(depth: depth) ? .other : nil
    case 0x6E:
      return literal("null") ? .null : nil
    case 0x74:
      return literal("true") ? .other : nil
    case 0x66:
      return literal("false") ? .other : nil
    default:
      let start = i
      while i < p.count, p[i] == 0x2D || p[i] == 0x2B || p[i] == 0x2E || p[i] == 0x65 || p[i] == 0x45 || p.isDigit(i) {
        i += 1
      }
      return i > start ? .number(p.string(start..<i)) : nil
    }
  }

  mutating func literal(_ word: StaticString) -> Bool {
    guard p.hasPrefix(word, at: i) else { return false }
    i += word.utf8CodeUnitCount
    return true
  }

  mutating func array(depth: Int) -> FlatJSONValue? {
    i += 1
    var numbers: [UInt8] = []
    var strings: [String] = []
    var allBytes = true
    ws()
    if i < p.count, p[i] == 0x5D {
      i += 1
      return .bytes([])
    }
    while true {
      ws()
      guard let v = value(depth: depth + 1) else { return nil }
      switch v {
      case .number(let n):
        if let b = UInt8(n) { numbers.append(b) } else { allBytes = false }
      case .string(let s):
        strings.append(s)
        allBytes = false
      default:
        allBytes = false
      }
      ws()
      guard i < p.count else { return nil }
      if p[i] == 0x2C {
        i += 1
        continue
      }
      if p[i] == 0x5D {
        i += 1
        break
      }
      return nil
    }
    if allBytes { return .bytes(numbers) }
    return strings.isEmpty ? .other : .strings(strings)
  }

  mutating func skipObject(depth: Int) -> Bool {
    var copy = FlatJSON(p: p, i: i)
    copy.i = i + 1
    copy.ws()
    if copy.i < p.count, p[copy.i] == 0x7D {
      i = copy.i + 1
      return true
    }
    while true {
      copy.ws()
      guard copy.string() != nil else { return false }
      copy.ws()
      guard copy.i < p.count, p[copy.i] == 0x3A else { return false }
      copy.i += 1
      copy.ws()
      guard copy.value(depth: depth + 1) != nil else { return false }
      copy.ws()
      guard copy.i < p.count else { return false }
      if p[copy.i] == 0x2C {
        copy.i += 1
        continue
      }
      if p[copy.i] == 0x7D {
        i = copy.i + 1
        return true
      }
      return false
    }
  }

  mutating func string() -> String? {
    guard i < p.count, p[i] == 0x22 else { return nil }
    i += 1
    let start = i
    // Fast path: no escapes.
    while i < p.count, p[i] != 0x22, p[i] != 0x5C { i += 1 }
    guard i < p.count else { return nil }
    if p[i] == 0x22 {
      defer { i += 1 }
      return p.string(start..<i)
    }
    var out = Array(UnsafeRawBufferPointer(rebasing: p[start..<i]))
    while i < p.count {
      let c = p[i]
      if c == 0x22 {
        i += 1
        return String(decoding: out, as: UTF8.self)
      }
      if c != 0x5C {
        out.append(c)
        i += 1
        continue
      }
      guard i + 1 < p.count else { return nil }
      let e = p[i + 1]
      i += 2
      switch e {
      case 0x22: out.append(0x22)
      case 0x5C: out.append(0x5C)
      case 0x2F: out.append(0x2F)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        guard var scalar = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(scalar), p.hasPrefix("\\u", at: i) {
          i += 2
          guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(u)).utf8))
      default:
        return nil
      }
    }
    return nil
  }

  mutating func hex4() -> UInt32? {
    guard i + 4 <= p.count else { return nil }
    var v: UInt32 = 0
    for k in 0..<4 {
      let c = p[i + k]
      let d: UInt8
      switch c {
      case 0x30...0x39: d = c - 0x30
      case 0x41...0x46: d = c - 0x41 + 10
      case 0x61...0x66: d = c - 0x61 + 10
      default: return nil
      }
      v = v << 4 | UInt32(d)
    }
    i += 4
    return v
  }
}
