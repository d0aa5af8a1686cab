import CSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    InputError("\(what): \(String(cString: strerror(code)).lowercased())")
  }
}

/// Reads a file descriptor (a file or stdin). Does not own the descriptor.
public struct FileByteSource: ByteSource {
  let fd: Int32
  public init(fd: Int32) { self.fd = fd }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      #if canImport(Glibc)
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      #else
        let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
      #endif
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw InputError.errno("read failed", errno)
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

/// Inflates gzip (and zlib) data from another source, member after member (`cat a.gz b.gz` is valid gzip).
///
/// `maxOutputBytes` caps what one input may inflate to, so a small bomb cannot fill memory or time.
/// `maxRatio` stops data that inflates to more than that many times its compressed size once
/// `ratioGraceBytes` have come out: a decompression bomb (DEFLATE reaches about 1030:1; real logs
/// about 10:1, a file of one line repeated a few hundred to one) is stopped after a few MiB, long
/// before a size cap large enough for real journals would stop it.
public final class GzipByteSource: ByteSource {
  var inner: any ByteSource
  var stream = z_stream()
  var input: UnsafeMutableRawBufferPointer
  var inputEnded = false
  var streamEnded = false
  var produced: Int = 0
  /// Compressed bytes taken from `inner` so far.
  var fed: Int = 0
  let maxOutputBytes: Int
  let maxRatio: Int
  let ratioGraceBytes: Int

  public init(
    _ inner: any ByteSource, maxOutputBytes: Int = 1 << 40, maxRatio: Int = 500, ratioGraceBytes: Int = 16 << 20
  ) throws(InputError) {
    self.inner = inner
    self.maxOutputBytes = maxOutputBytes
    self.maxRatio = max(1, maxRatio)
    self.ratioGraceBytes = ratioGraceBytes
    input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    // 15 + 32: accept gzip or zlib headers automatically.
    let rc = csystem_inflate_init2(&stream, 15 + 32)
    guard rc == Z_OK else {
      input.deallocate()
      throw InputError("cannot start gzip decoder (zlib error \(rc))")
    }
  }

  deinit {
    inflateEnd(&stream)
    input.deallocate()
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard buffer.count > 0 else { return 0 }
    while true {
      if stream.avail_in == 0 && !inputEnded {
        let n = try inner.read(into: input)
        if n == 0 {
          inputEnded = true
        } else {
          fed += n
          stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
          stream.avail_in = uInt(n)
          if streamEnded {
            // Another gzip member follows the previous one.
            inflateReset(&stream)
            streamEnded = false
          }
        }
      }
      if stream.avail_in == 0 && inputEnded {
        if streamEnded || produced == 0 && stream.total_in == 0 { return 0 }
        throw InputError("truncated gzip data (the file ends inside a compressed stream)")
      }
      if streamEnded {
        // Bytes after a finished member: start the next member.
        inflateReset(&stream)
        streamEnded = false
      }
      stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
      let room = min(buffer.count, Int(uInt.max))
      stream.avail_out = uInt(room)
      let rc = inflate(&stream, Z_NO_FLUSH)
      let n = room - Int(stream.avail_out)
      switch rc {
      case Z_STREAM_END:
        streamEnded = true
      case Z_OK, Z_BUF_ERROR:
        break
      default:
        let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
        throw InputError("corrupt gzip data: \(msg)")
      }
      produced += n
      if produced > maxOutputBytes {
        throw InputError("gzip data inflates past the \(GzipByteSource.size(maxOutputBytes)) limit; stopped reading it")
      }
      if produced > ratioGraceBytes, produced / max(1, fed - Int(stream.avail_in)) > maxRatio {
        throw InputError(
          "gzip data inflates more than \(maxRatio) times its size (a decompression bomb?); stopped reading it after \(GzipByteSource.size(produced))"
        )
      }
      if n > 0 { return n }
    }
  }

  /// `8 GiB`, `64 MiB`, `512 KiB`, `100 bytes`: a limit as people say it.
  static func size(_ n: Int) -> String {
    if n >= 1 << 30 && n % (1 << 30) == 0 { return "\(n >> 30) GiB" }
    if n >= 1 << 20 { return "\(n >> 20) MiB" }
    if n >= 1 << 10 { return "\(n >> 10) KiB" }
    return "\(n) bytes"
  }
}
