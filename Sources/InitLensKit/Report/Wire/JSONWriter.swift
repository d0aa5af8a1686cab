/// The fast JSON writer every report output goes through (about ten times faster than `JSONEncoder`:
/// reports of big journals have thousands of boots). Keys are written in sorted order by the callers
/// (each report type's `write(to:)` in Report/Wire/, beside its key list and its decoding); two-space
/// indentation, `"key": value`, empty containers as `{}` / `[]`. `compact` writes one line with no
/// spaces (NDJSON), the bytes `JSONEncoder` with sorted keys gives.
struct JSONWriter {
  var out: [UInt8] = []
  private var first: [Bool] = []
  /// One line, `"key":value`, no indentation.
  var compact = false
  /// When set, output is handed over in chunks (and `out` emptied) so a big report never sits in memory.
  var sink: ((UnsafeRawBufferPointer) -> Void)? = nil

  init(capacity: Int = 1 << 16) { out.reserveCapacity(capacity) }

  /// A writer for elements that another writer will take in at nesting `depth` (see `elements`).
  init(capacity: Int, depth: Int) {
    out.reserveCapacity(capacity)
    first = Array(repeating: true, count: depth)
  }

  /// A writer like `init(capacity:depth:)` that writes into `buffer`'s memory (emptied first).
  init(reusing buffer: [UInt8], depth: Int) {
    out = buffer
    out.removeAll(keepingCapacity: true)
    if out.capacity < 1 << 16 { out.reserveCapacity(1 << 16) }
    first = Array(repeating: true, count: depth)
  }

  /// How deep the writer is: what a writer for `elements` must be created with.
  var depth: Int { first.count }

  /// Takes in elements another writer wrote at this depth (into the array or object open here).
  mutating func elements(_ bytes: [UInt8]) { bytes.withUnsafeBytes { elements($0) } }

  mutating func elements(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    if first[first.count - 1] { first[first.count - 1] = false } else { out.append(0x2C) }
    out.append(contentsOf: bytes)
  }

  /// Hands the buffered bytes to the sink once enough have gathered (or always, when `force`).
  mutating func flush(force: Bool = false) {
    guard let sink, force || out.count >= 1 << 18 else { return }
    out.withUnsafeBytes { sink($0) }
    out.removeAll(keepingCapacity: true)
  }

  /// A line end and the indentation of 63 levels, to copy from in one go.
  private static let indentation: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 126)

  private mutating func newline() {
    if compact { return }
    let n = 1 + 2 * first.count
    if n <= JSONWriter.indentation.count {
      JSONWriter.indentation.withUnsafeBufferPointer {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<n]))
      }
    } else {
      out.append(0x0A)
      out.append(contentsOf: repeatElement(0x20, count: n - 1))
    }
  }

  private mutating func open(_ c: UInt8) {
    out.append(c)
    first.append(true)
  }

  private mutating func close(_ c: UInt8) {
    let empty = first.removeLast()
    if !empty { newline() }
    out.append(c)
  }

  mutating func beginObject() { open(0x7B) }
  mutating func endObject() { close(0x7D) }
  mutating func beginArray() { open(0x5B) }
  mutating func endArray() { close(0x5D) }

  /// Before a value in an array.
  mutating func element() {
    if first[first.count - 1] { first[first.count - 1] = false } else { out.append(0x2C) }
    newline()
  }

  /// Before a value in an object: a key of the type's key list (plain ASCII, written as it is). Keys
  /// must come in sorted order.
  mutating func key<K: CodingKey>(_ k: K) {
    element()
    out.append(0x22)
    var name = k.stringValue
    name.withUTF8 { out.append(contentsOf: $0) }
    out.append(0x22)
    colon()
  }

  /// A key from the data (a dictionary's), escaped.
  mutating func key(_ k: String) {
    element()
    string(k)
    colon()
  }

  private mutating func colon() {
    out.append(0x3A)
    if !compact { out.append(0x20) }
  }

  mutating func string(_ s: String) {
    out.append(0x22)
    // Most strings need no escaping: copy them whole (a loop over the contiguous bytes; the view's
    // iterator is several times slower).
    let plain = s.utf8.withContiguousStorageIfAvailable { b -> Bool in
      for c in b where c < 0x20 || c == 0x22 || c == 0x5C { return false }
      out.append(contentsOf: b)
      return true
    }
    if plain == true {
      out.append(0x22)
      return
    }
    for b in s.utf8 {
      switch b {
      case 0x22: out.append(contentsOf: [0x5C, 0x22])
      case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
      case 0x0D: out.append(contentsOf: [0x5C, 0x72])
      case 0x09: out.append(contentsOf: [0x5C, 0x74])
      case 0x08: out.append(contentsOf: [0x5C, 0x62])
      case 0x0C: out.append(contentsOf: [0x5C, 0x66])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
      default: out.append(b)
      }
    }
    out.append(0x22)
  }

  mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
  mutating func bool(_ v: Bool) { out.append(contentsOf: (v ? "true" : "false").utf8) }
  mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }
  mutating func null() { out.append(contentsOf: "null".utf8) }

  mutating func double(_ v: Double?) {
    guard let v else { return null() }
    if v == v.rounded(), abs(v) < 1e15 {
      int(Int(v))
    } else {
      out.append(contentsOf: v.description.utf8)
    }
  }

  mutating func strings(_ list: [String]) {
    beginArray()
    for s in list {
      element()
      string(s)
    }
    endArray()
  }

  /// A dictionary with its keys sorted.
  mutating func map<V>(_ d: [String: V], _ value: (inout JSONWriter, V) -> Void) {
    beginObject()
    for k in d.keys.sorted() {
      key(k)
      value(&self, d[k]!)
    }
    endObject()
  }

  mutating func array<T>(_ list: [T], _ value: (inout JSONWriter, T) -> Void) {
    beginArray()
    for item in list {
      element()
      value(&self, item)
    }
    endArray()
  }
}
