/// A tar archive built in memory: ustar headers with any member name (no tar tool would write
/// `../` or absolute names), optional GNU long names.
struct TarWriter {
  var bytes: [UInt8] = []

  mutating func add(name: String, data: [UInt8], type: UInt8 = 0x30, linkName: String = "", longName: Bool = false) {
    if longName {
      add(name: "././@LongLink", data: Array(name.utf8) + [0], type: 0x4C)
      header(name: String(name.prefix(99)), size: data.count, type: type, linkName: linkName)
    } else {
      header(name: name, size: data.count, type: type, linkName: linkName)
    }
    bytes += data
    bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
  }

  mutating func header(name: String, size: Int, type: UInt8, linkName: String) {
    var h = [UInt8](repeating: 0, count: 512)
    func put(_ s: [UInt8], _ at: Int, _ len: Int) { for (i, b) in s.prefix(len).enumerated() { h[at + i] = b } }
    func octal(_ v: Int, _ at: Int, _ len: Int) {
      let s = String(v, radix: 8)
      put(Array((String(repeating: "0", count: max(0, len - 1 - s.count)) + s).utf8), at, len - 1)
    }
    put(Array(name.utf8), 0, 100)
    octal(0o644, 100, 8)
    octal(0, 108, 8)
    octal(0, 116, 8)
    octal(size, 124, 12)
    octal(1_700_000_000, 136, 12)
    h[156] = type
    put(Array(linkName.utf8), 157, 100)
    put(Array("ustar\u{0}00".utf8), 257, 8)
    for i in 148..<156 { h[i] = 0x20 }
    let sum = h.reduce(0) { $0 + Int($1) }
    octal(sum, 148, 7)
    h[155] = 0x20
    bytes += h
  }

  var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}
