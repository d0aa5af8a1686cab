import CZlib

/// One zlib inflate stream (`z_stream`), gzip or zlib headers detected from the data.
///
/// The caller lends input with `setInput` and keeps it alive until `pendingInput` is 0; each
/// `inflate` writes what it can into the output buffer. After `streamEnded` a following gzip member
/// (`cat a.gz b.gz`) needs `reset()`.
public final class Inflater {
  var stream = z_stream()

  public init() throws(ZlibError) {
    // 15 + 32: accept gzip or zlib headers automatically.
    let rc = czlib_inflate_init2(&stream, 15 + 32)
    guard rc == Z_OK else { throw ZlibError(code: rc) }
  }

  deinit { inflateEnd(&stream) }

  /// Lent input bytes not yet consumed.
  public var pendingInput: Int { Int(stream.avail_in) }

  /// Compressed bytes consumed since the stream started or was last `reset()`.
  public var totalInput: Int { Int(stream.total_in) }

  /// Lends `input` (at most 4 GiB) to the stream; it must stay valid until consumed.
  public func setInput(_ input: UnsafeRawBufferPointer) {
    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = uInt(input.count)
  }

  /// Starts a new stream (the next gzip member), keeping the pending input.
  public func reset() { inflateReset(&stream) }

  /// Inflates pending input into `output`: the bytes written, and whether the stream (member) ended.
  /// Corrupt data throws with zlib's message.
  public func inflate(into output: UnsafeMutableRawBufferPointer) throws(ZlibError) -> (
    written: Int, streamEnded: Bool
  ) {
    stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
    let room = min(output.count, Int(uInt.max))
    stream.avail_out = uInt(room)
    let rc = CZlib.inflate(&stream, Z_NO_FLUSH)
    let written = room - Int(stream.avail_out)
    switch rc {
    case Z_STREAM_END: return (written, true)
    case Z_OK, Z_BUF_ERROR: return (written, false)
    default: throw ZlibError(code: rc, message: stream.msg.map { String(cString: $0) })
    }
  }
}
