import CPCRE2

/// A compiled PCRE2 pattern (8-bit library, UTF mode, invalid UTF tolerated).
///
/// SAFETY: the compiled code is never mutated after `init` (JIT compilation happens there), and
/// PCRE2 documents compiled code as shareable between threads; so `Pattern` is `Sendable`.
/// Matching needs a `MatchScratch`, which is per-thread.
public final class Pattern: @unchecked Sendable {
  /// Options for compiling a pattern.
  public struct Options: Sendable {
    public var caseless = false
    /// Try to JIT-compile; falls back to the interpreter when JIT is unavailable.
    public var jit = true
    public init(caseless: Bool = false, jit: Bool = true) {
      self.caseless = caseless
      self.jit = jit
    }
  }

  public let source: String
  /// Whether the pattern ignores case (a literal derived from it would not).
  public let caseless: Bool
  /// True when PCRE2 JIT-compiled the pattern.
  public let isJIT: Bool
  /// Number of capture groups (not counting group 0).
  public let captureCount: Int
  /// Group number → name for the named groups.
  public let names: [(number: Int, name: String)]

  let code: OpaquePointer

  public init(_ source: String, options: Options = Options()) throws(PCRE2Error) {
    self.source = source
    caseless = options.caseless
    var flags = UInt32(PCRE2_UTF) | UInt32(PCRE2_MATCH_INVALID_UTF)
    if options.caseless { flags |= UInt32(PCRE2_CASELESS) }
    var errorCode: Int32 = 0
    var errorOffset: Int = 0
    let bytes = Array(source.utf8)
    let compiled = bytes.withUnsafeBufferPointer { buf in
      pcre2_compile_8(buf.baseAddress ?? Pattern.emptyByte, buf.count, flags, &errorCode, &errorOffset, nil)
    }
    guard let compiled else {
      throw PCRE2Error(kind: .compile, code: errorCode, offset: errorOffset)
    }
    code = compiled
    var jitted = false
    if options.jit {
      jitted = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }
    isJIT = jitted
    var count: UInt32 = 0
    pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
    captureCount = Int(count)
    names = Pattern.readNameTable(compiled)
  }

  deinit { pcre2_code_free_8(code) }

  /// Whether PCRE2 on this machine supports JIT at all.
  public static var jitAvailable: Bool {
    var available: UInt32 = 0
    pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &available)
    return available == 1
  }

  /// The first match in `subject`, or nil. Throws `.limit` when the match or depth limit is hit.
  public func firstMatch(in subject: UnsafeRawBufferPointer, scratch: MatchScratch) throws(PCRE2Error) -> Match? {
    let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? Pattern.emptyByte
    let rc = pcre2_match_8(code, base, subject.count, 0, 0, scratch.matchData, scratch.context)
    if rc == PCRE2_ERROR_NOMATCH { return nil }
    if rc < 0 {
      switch rc {
      case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
        throw PCRE2Error(kind: .limit, code: rc)
      default:
        throw PCRE2Error(kind: .match, code: rc)
      }
    }
    let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
    let pairs = Int(pcre2_get_ovector_count_8(scratch.matchData))
    let unset = cpcre2_unset()
    var ranges: [Range<Int>?] = []
    ranges.reserveCapacity(captureCount + 1)
    for group in 0...captureCount {
      guard group < pairs else {
        ranges.append(nil)
        continue
      }
      let start = ovector[2 * group]
      let end = ovector[2 * group + 1]
      ranges.append(start == unset ? nil : Int(start)..<Int(end))
    }
    return Match(ranges: ranges)
  }

  /// Convenience for tests and one-off checks: match a whole byte array.
  public func firstMatch(in bytes: [UInt8], scratch: MatchScratch) throws(PCRE2Error) -> Match? {
    do {
      return try bytes.withUnsafeBytes { buf in try firstMatch(in: buf, scratch: scratch) }
    } catch let error as PCRE2Error {
      throw error
    } catch {
      fatalError("unreachable: \(error)")
    }
  }

  /// Named captures of `match` as strings (lossy UTF-8), skipping unset groups.
  public func namedCaptures(_ match: Match, in subject: UnsafeRawBufferPointer) -> [String: String] {
    var result: [String: String] = [:]
    for (number, name) in names {
      guard number < match.ranges.count, let range = match.ranges[number] else { continue }
      result[name] = String(decoding: UnsafeRawBufferPointer(rebasing: subject[range]), as: UTF8.self)
    }
    return result
  }

  // SAFETY: one immutable zero byte, never written after initialisation; PCRE2 needs a non-null
  // subject pointer even for an empty subject.
  nonisolated(unsafe) static let emptyByte: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
  }()

  private static func readNameTable(_ code: OpaquePointer) -> [(number: Int, name: String)] {
    var count: UInt32 = 0
    var entrySize: UInt32 = 0
    var table: UnsafePointer<UInt8>? = nil
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
    guard count > 0, let table else { return [] }
    var names: [(Int, String)] = []
    for i in 0..<Int(count) {
      let entry = table + i * Int(entrySize)
      // Each entry: group number as two big-endian bytes, then the NUL-terminated name.
      let number = Int(entry[0]) << 8 | Int(entry[1])
      let name = String(cString: entry + 2)
      names.append((number, name))
    }
    return names.sorted { $0.0 < $1.0 }
  }
}

/// Byte ranges of one match: index 0 is the whole match, then each group (nil when unset).
public struct Match: Sendable, Equatable {
  public let ranges: [Range<Int>?]
}
