import Testing
import ZlibKit

@Suite struct InflaterTests {
  /// `printf 'hello\n' | gzip -n`
  static let helloGz: [UInt8] = [
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 231, 2, 0, 32, 48, 58, 54, 6, 0, 0, 0,
  ]
  /// `zlib.compress(b"zlib header\n")`
  static let zlibHeader: [UInt8] = [
    120, 156, 171, 202, 201, 76, 82, 200, 72, 77, 76, 73, 45, 226, 2, 0, 29, 188, 4, 69,
  ]

  /// Inflates `data` lent whole, one member: the text and whether the member ended.
  func inflate(_ data: [UInt8], room: Int = 64) throws -> (String, Bool) {
    let inflater = try Inflater()
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: room, alignment: 1)
    defer { out.deallocate() }
    var text: [UInt8] = []
    var ended = false
    try data.withUnsafeBytes { input in
      inflater.setInput(input)
      while !ended {
        let step = try inflater.inflate(into: out)
        text += out[0..<step.written]
        ended = step.streamEnded
        if step.written == 0 && !ended { break }
      }
    }
    return (String(decoding: text, as: UTF8.self), ended)
  }

  @Test func inflatesGzipAndZlibHeaders() throws {
    #expect(try inflate(Self.helloGz) == ("hello\n", true))
    #expect(try inflate(Self.zlibHeader) == ("zlib header\n", true))
  }

  @Test func smallOutputBuffersGetEveryByte() throws {
    #expect(try inflate(Self.helloGz, room: 1) == ("hello\n", true))
  }

  @Test func aCutStreamDoesNotEnd() throws {
    let (text, ended) = try inflate(Array(Self.helloGz.prefix(14)))
    #expect(!ended)
    #expect("hello\n".hasPrefix(text))
  }

  @Test func corruptDataThrowsZlibsMessage() {
    var bad = Self.helloGz
    bad[10] = 0xFF  // an invalid deflate block type
    let error = #expect(throws: ZlibError.self) { try inflate(bad) }
    #expect(error?.code == -3)  // Z_DATA_ERROR
    #expect(error.map { !$0.message.isEmpty && $0.message != "zlib error -3" } == true)
  }

  @Test func resetStartsTheNextMember() throws {
    let inflater = try Inflater()
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
    defer { out.deallocate() }
    let twice = Self.helloGz + Self.helloGz
    var text: [UInt8] = []
    try twice.withUnsafeBytes { input in
      inflater.setInput(input)
      let first = try inflater.inflate(into: out)
      #expect(first.streamEnded)
      #expect(inflater.pendingInput == Self.helloGz.count)
      text += out[0..<first.written]
      inflater.reset()
      #expect(inflater.totalInput == 0)
      let second = try inflater.inflate(into: out)
      #expect(second.streamEnded)
      #expect(inflater.pendingInput == 0)
      text += out[0..<second.written]
    }
    #expect(String(decoding: text, as: UTF8.self) == "hello\nhello\n")
  }
}
