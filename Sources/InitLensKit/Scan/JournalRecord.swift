/// Gathers the lines of one journal entry that journalctl prints over several lines: `json-pretty`
/// (an object with `{` and `}` alone on their lines), `export` (`FIELD=value` lines up to an empty
/// line; a binary field as its name, a little-endian 64-bit length and the bytes) and `verbose` (a
/// dated cursor line, then `    FIELD=value` lines). The analyzer reads the finished entry like a
/// `-o json` line; every line of it is counted (the first as matched or unmatched, the others as
/// skipped `record`).
struct JournalRecord {
  let shape: InputShape
  /// A record longer than this is counted as skipped (`too-long`), not kept whole.
  let maxBytes: Int
  var open = false
  var firstLine = 0
  /// The record's lines, leading blanks removed, joined by spaces: the JSON text of a json-pretty
  /// object, the evidence text of the others.
  var text: [UInt8] = []
  var fields: [String: FlatJSONValue] = [:]
  var tooLong = false
  /// export: the binary field being read (its name) and its bytes so far, length first.
  var blobKey: String? = nil
  var blob: [UInt8] = []
  var blobLines = 0
  /// verbose: the field a more deeply indented line continues.
  var lastKey: String? = nil

  init(shape: InputShape, maxBytes: Int) {
    self.shape = shape
    self.maxBytes = maxBytes
  }

  /// A finished record. `fields` nil: a json-pretty object that is not valid JSON.
  struct Done {
    let firstLine: Int
    let text: [UInt8]
    let fields: [String: FlatJSONValue]?
    let tooLong: Bool
  }

  /// What a line was to the record.
  enum Step {
    /// The first line of a record (counted when the record is done).
    case opened
    /// A later line of the record.
    case part
    /// The empty line that ends an export record.
    case blank
    /// No part of a record: read as an ordinary line.
    case outside
  }

  /// Takes one line; returns the record it finished, if any, and what the line was.
  mutating func feed(_ p: UnsafeRawBufferPointer, number: Int) -> (Done?, Step) {
    switch shape {
    case .jsonPretty: return feedPretty(p, number)
    case .export: return feedExport(p, number)
    default: return feedVerbose(p, number)
    }
  }

  /// The record still open at the end of the input.
  mutating func finish() -> Done? { open ? close() : nil }

  /// Marks the open record as too long (a line of it was cut).
  mutating func cut() { tooLong = true }

  private mutating func begin(_ number: Int) {
    open = true
    firstLine = number
    text.removeAll(keepingCapacity: true)
    fields = [:]
    tooLong = false
    blobKey = nil
    blob.removeAll()
    lastKey = nil
  }

  private mutating func close() -> Done {
    open = false
    var parsed: [String: FlatJSONValue]? = fields
    if shape == .jsonPretty, !tooLong { parsed = text.withUnsafeBytes { FlatJSON.parse($0) } }
    let done = Done(firstLine: firstLine, text: tooLong ? [] : text, fields: parsed, tooLong: tooLong)
    text.removeAll(keepingCapacity: true)
    fields = [:]
    return done
  }

  private mutating func append(_ p: UnsafeRawBufferPointer) {
    guard !tooLong else { return }
    if text.count + p.count + 1 > maxBytes {
      tooLong = true
      text.removeAll()
      fields = [:]
      return
    }
    if !text.isEmpty { text.append(0x20) }
    text.append(contentsOf: p)
  }

  private mutating func set(_ key: String, _ value: FlatJSONValue) {
    // A field given twice keeps its first value, as journalctl -o json's first array element.
    if !tooLong, fields[key] == nil { fields[key] = value }
  }

  private mutating func feedPretty(_ p: UnsafeRawBufferPointer, _ number: Int) -> (Done?, Step) {
    let i = p.skipBlanks(0)
    let body = UnsafeRawBufferPointer(rebasing: p[i...])
    if !open {
      // Only `{` alone opens a record; an object on one line is read as a `-o json` line.
      guard body.first == 0x7B, body.skipBlanks(1) == body.count else { return (nil, .outside) }
      begin(number)
      append(body)
      return (nil, .opened)
    }
    if i == 0 {
      if body.first == 0x7D, p.skipBlanks(1) == p.count {
        append(body)
        return (close(), .part)
      }
      // journalctl indents every line inside an object: one that is not ends it, broken.
      let broken = Done(firstLine: firstLine, text: text, fields: nil, tooLong: tooLong)
      open = false
      let (_, step) = feedPretty(p, number)
      return (broken, step)
    }
    append(body)
    return (nil, .part)
  }

  private mutating func feedExport(_ p: UnsafeRawBufferPointer, _ number: Int) -> (Done?, Step) {
    if let key = blobKey {
      // The bytes after a binary field's name: 8 bytes of length, the value, a newline. The line
      // reader split them at newlines inside: put those back.
      if blobLines > 0 { blob.append(0x0A) }
      blobLines += 1
      blob.append(contentsOf: p)
      if blob.count >= 8 {
        var n = 0
        for k in 0..<8 { n |= Int(blob[k]) << (8 * k) }
        if n < 0 || n > maxBytes {
          blobKey = nil
          tooLong = true
        } else if blob.count >= 8 + n {
          let value = Array(blob[8..<(8 + n)])
          set(key, key == "MESSAGE" ? .bytes(value) : .string(String(decoding: value, as: UTF8.self)))
          value.withUnsafeBytes { append($0) }
          blobKey = nil
          blob.removeAll()
        }
      }
      return (nil, .part)
    }
    if p.isEmpty { return open ? (close(), .blank) : (nil, .outside) }
    let step: Step = open ? .part : .opened
    if !open { begin(number) }
    if let eq = p.firstIndex(of: 0x3D, from: 0) {
      set(p.string(0..<eq), .string(p.string((eq + 1)..<p.count)))
      append(p)
    } else {
      blobKey = p.string(0..<p.count)
      blob.removeAll()
      blobLines = 0
      append(p)
    }
    return (nil, step)
  }

  private mutating func feedVerbose(_ p: UnsafeRawBufferPointer, _ number: Int) -> (Done?, Step) {
    if open, p.count > 4, p[0] == 0x20 {
      let i = p.skipBlanks(0)
      let body = UnsafeRawBufferPointer(rebasing: p[i...])
      if i == 4, let eq = body.firstIndex(of: 0x3D, from: 0), eq > 0,
        body[0..<eq].allSatisfy({ $0 == 0x5F || $0 &- 0x41 < 26 || $0 &- 0x30 < 10 })
      {
        let key = body.string(0..<eq)
        set(key, .string(body.string((eq + 1)..<body.count)))
        lastKey = key
      } else if let key = lastKey, case .string(let s)? = fields[key] {
        // A value of several lines: journalctl indents the lines after the first.
        fields[key] = .string(s + "\n" + body.string(0..<body.count))
      }
      append(body)
      return (nil, .part)
    }
    let finished = open ? close() : nil
    guard let (t, end) = LineParser.fullStamp(p), p.hasPrefix(" [s=", at: end) else { return (finished, .outside) }
    begin(number)
    append(p)
    // The cursor: s=…;i=…;b=<boot id>;m=<monotonic µs, hex>;t=<realtime µs, hex>;x=…
    var realtime = t
    let cursorEnd = p.firstIndex(of: 0x5D, from: end + 2) ?? p.count
    var k = end + 2
    while k < cursorEnd {
      let semi = p.firstIndex(of: 0x3B, from: k, to: cursorEnd) ?? cursorEnd
      if semi - k > 2, p[k + 1] == 0x3D {
        let value = p.string((k + 2)..<semi)
        switch p[k] {
        case 0x62: set("_BOOT_ID", .string(value))
        case 0x6D: if let m = UInt64(value, radix: 16) { set("__MONOTONIC_TIMESTAMP", .string(String(m))) }
        case 0x74: if let r = Int64(value, radix: 16) { realtime = r }
        default: break
        }
      }
      k = semi + 1
    }
    set("__REALTIME_TIMESTAMP", .string(String(realtime)))
    return (finished, .opened)
  }
}
