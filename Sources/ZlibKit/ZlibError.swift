import CZlib

/// A zlib failure, keeping zlib's own return code and, when the stream gave one, its message.
public struct ZlibError: Error, Equatable, Sendable, CustomStringConvertible {
  /// zlib's return code (`Z_DATA_ERROR`, `Z_MEM_ERROR`, …).
  public let code: Int32
  /// The stream's message, else `zlib error CODE`.
  public let message: String

  public init(code: Int32, message: String? = nil) {
    self.code = code
    self.message = message ?? "zlib error \(code)"
  }

  public var description: String { message }
}
