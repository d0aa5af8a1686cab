import ZlibKit

/// Inflates gzip (and zlib) data from another source, member after member (`cat a.gz b.gz` is valid gzip).
///
/// `maxOutputBytes` caps what one input may inflate to, so a small bomb cannot fill memory or time.
/// `maxRatio` stops data that inflates to more than that many times its compressed size once
/// `ratioGraceBytes` have come out: a decompression bomb (DEFLATE reaches about 1030:1; real logs
/// about 10:1, a file of one line repeated a few hundred to one) is stopped after a few MiB, long
/// before a size cap large enough for real journals would stop it.
public final class GzipByteSource: ByteSource {
  var inner: any ByteSource
  let inflater: Inflater
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
    do {
      inflater = try Inflater()
    } catch {
      input.deallocate()
      throw InputError("cannot start gzip decoder (zlib error \(error.code))")
    }
  }

  deinit { input.deallocate() }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard buffer.count > 0 else { return 0 }
    while true {
      if inflater.pendingInput == 0 && !inputEnded {
        let n = try inner.read(into: input)
        if n == 0 {
          inputEnded = true
        } else {
          fed += n
          inflater.setInput(UnsafeRawBufferPointer(rebasing: input[0..<n]))
          if streamEnded {
            // Another gzip member follows the previous one.
            inflater.reset()
            streamEnded = false
          }
        }
      }
      if inflater.pendingInput == 0 && inputEnded {
        if streamEnded || produced == 0 && inflater.totalInput == 0 { return 0 }
        throw InputError("truncated gzip data (the file ends inside a compressed stream)")
      }
      if streamEnded {
        // Bytes after a finished member: start the next member.
        inflater.reset()
        streamEnded = false
      }
      let step: (written: Int, streamEnded: Bool)
      do {
        step = try inflater.inflate(into: buffer)
      } catch {
        throw InputError("corrupt gzip data: \(error.message)")
      }
      let n = step.written
      streamEnded = step.streamEnded
      produced += n
      if produced > maxOutputBytes {
        throw InputError("gzip data inflates past the \(GzipByteSource.size(maxOutputBytes)) limit; stopped reading it")
      }
      if produced > ratioGraceBytes, produced / max(1, fed - inflater.pendingInput) > maxRatio {
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
