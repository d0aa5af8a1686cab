import CPCRE2

/// A PCRE2 failure, keeping PCRE2's own code and message.
///
/// For a compile error `offset` is the byte offset in the pattern where PCRE2 gave up,
/// so a diagnostic can put a caret under it.
public struct PCRE2Error: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The pattern does not compile.
    case compile
    /// The match hit the match, depth or JIT stack limit: the line is undecided, not "no match".
    case limit
    /// Any other failure while matching.
    case match
  }

  public let kind: Kind
  /// PCRE2's negative (match) or positive (compile) error code.
  public let code: Int32
  /// Byte offset into the pattern for compile errors; 0 otherwise.
  public let offset: Int
  /// PCRE2's own message for `code`.
  public let message: String

  public init(kind: Kind, code: Int32, offset: Int = 0) {
    self.kind = kind
    self.code = code
    self.offset = offset
    self.message = PCRE2Error.message(for: code)
  }

  public var description: String {
    switch kind {
    case .compile: return "\(message) at offset \(offset)"
    case .limit, .match: return message
    }
  }

  static func message(for code: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let written = buffer.withUnsafeMutableBufferPointer { ptr in
      pcre2_get_error_message_8(code, ptr.baseAddress, ptr.count)
    }
    guard written > 0 else { return "PCRE2 error \(code)" }
    return String(decoding: buffer[0..<Int(written)], as: UTF8.self)
  }
}
