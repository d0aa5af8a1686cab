/// Reads tar archives (ustar, GNU long names, pax `path=`) from memory; never writes to disk.
public enum Tar {
  public struct Member {
    public let name: String
    public let data: ArraySlice<UInt8>
    /// Modification time, seconds since the epoch (the year for year-less syslog stamps).
    public var mtime: Int = 0
  }

  /// Regular-file members in archive order. Names that are absolute or contain `..` are refused and
  /// reported in `refused`, never returned.
  public static func members(_ archive: [UInt8]) throws(InputError) -> (members: [Member], refused: [String]) {
    var out: [Member] = []
    var refused: [String] = []
    var offset = 0
    var longName: String? = nil
    var paxName: String? = nil
    while offset + 512 <= archive.count {
      let header = archive[offset..<(offset + 512)]
      if header.allSatisfy({ $0 == 0 }) { break }
      guard let size = octal(header, 124, 12) else {
        throw InputError("corrupt tar header at byte \(offset)")
      }
      let type = header[header.startIndex + 156]
      let dataStart = offset + 512
      guard size >= 0, size <= archive.count - dataStart else {
        throw InputError("truncated tar archive (a member runs past the end)")
      }
      let data = archive[dataStart..<(dataStart + size)]
      offset = dataStart + (size + 511) / 512 * 512
      switch type {
      case 0x4C:  // 'L': GNU long name for the next member
        longName = cString(data)
        continue
      case 0x78:  // 'x': pax extended header for the next member
        paxName = paxPath(data)
        continue
      case 0x30, 0:  // regular file
        var name = cString(header[header.startIndex..<(header.startIndex + 100)])
        let prefix = cString(header[(header.startIndex + 345)..<(header.startIndex + 500)])
        if !prefix.isEmpty,
          header[(header.startIndex + 257)..<(header.startIndex + 262)].elementsEqual(Array("ustar".utf8))
        {
          name = prefix + "/" + name
        }
        name = printable(paxName ?? longName ?? name)
        longName = nil
        paxName = nil
        if isUnsafe(name) {
          refused.append(name)
        } else {
          out.append(Member(name: name, data: data, mtime: octal(header, 136, 12) ?? 0))
        }
      default:  // directories, links, devices: skipped (links could point outside the bundle)
        longName = nil
        paxName = nil
      }
    }
    return (out, refused)
  }

  /// Absolute paths and `..` components could escape a bundle: refuse them.
  public static func isUnsafe(_ name: String) -> Bool {
    name.hasPrefix("/") || name.split(separator: "/").contains("..")
  }

  /// The name with control characters (a newline, an escape sequence) written as `\u{1B}`: names
  /// end up in one-line diagnostics and on terminals.
  static func printable(_ name: String) -> String {
    guard name.unicodeScalars.contains(where: isControl) else { return name }
    var out = ""
    for u in name.unicodeScalars {
      if isControl(u) {
        out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(u)
      }
    }
    return out
  }

  static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }

  static func cString(_ bytes: ArraySlice<UInt8>) -> String {
    let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
    return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
  }

  /// An octal field (NUL/space padded), or GNU base-256 for large sizes.
  static func octal(_ header: ArraySlice<UInt8>, _ at: Int, _ length: Int) -> Int? {
    let field = header[(header.startIndex + at)..<(header.startIndex + at + length)]
    if let first = field.first, first & 0x80 != 0 {
      var v = 0
      for b in field.dropFirst() { v = v << 8 | Int(b) }
      return v
    }
    var v = 0
    var seen = false
    for b in field {
      if b == 0 || b == 0x20 {
        if seen { break } else { continue }
      }
      guard b >= 0x30, b <= 0x37 else { return nil }
      v = v * 8 + Int(b - 0x30)
      seen = true
    }
    return v
  }

  /// The `path` record of a pax header (`"%d path=%s\n"` records).
  static func paxPath(_ data: ArraySlice<UInt8>) -> String? {
    let text = String(decoding: data, as: UTF8.self)
    for record in text.split(separator: "\n") {
      guard let space = record.firstIndex(of: " ") else { continue }
      let kv = record[record.index(after: space)...]
      if kv.hasPrefix("path=") { return String(kv.dropFirst(5)) }
    }
    return nil
  }
}
