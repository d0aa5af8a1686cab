/// Something that fills a buffer with bytes: a file descriptor, an inflater, memory in tests.
public protocol ByteSource {
  /// Reads up to `buffer.count` bytes; returns 0 at end of input.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}

/// A failure reading an input, with a message a person can act on.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }

  static func errno(_ what: String, _ code: Int32) -> InputError {
    InputError("\(what): \(System.message(for: code).lowercased())")
  }
}

/// Reads a file descriptor (a file or stdin). Does not own the descriptor.
public struct FileByteSource: ByteSource {
  let fd: Int32
  public init(fd: Int32) { self.fd = fd }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      let n = System.read(fd, into: buffer)
      if n >= 0 { return n }
      if System.lastError == System.interrupted { continue }
      throw InputError.errno("read failed", System.lastError)
    }
  }
}

/// Bytes from memory, handed out at most `chunk` at a time (tests use this to cut reads anywhere).
public struct MemoryByteSource: ByteSource {
  let bytes: [UInt8]
  let chunk: Int
  var offset = 0
  public init(_ bytes: [UInt8], chunk: Int = Int.max) {
    self.bytes = bytes
    self.chunk = max(1, chunk)
  }
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(buffer.count, chunk, bytes.count - offset)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
    }
    offset += n
    return n
  }
}
