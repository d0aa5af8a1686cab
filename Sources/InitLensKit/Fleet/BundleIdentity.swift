import Foundation

extension Bundle {
  /// The EC2 instance the bundle is of, as its path or layout says (no log is read): the stream of a
  /// CloudWatch export, the instance directory of SSM output, an instance id in an archive's or a file's
  /// name (`collect-i-…-<time>.tgz`, `i-….json`) or at the head of a console output file, a directory's
  /// `instance-id.txt` or `run/cloud-init/instance-data.json`. nil when none says.
  public var instanceID: String? {
    switch kind {
    case .cloudWatchExport, .ssmOutput: return InstanceID.exact(name)
    case .archive: return InstanceID.first(in: name) ?? InstanceID.inArchive(path)
    case .file:
      return InstanceID.first(in: name)
        ?? InstanceID.head(of: path, bytes: 1024).flatMap { InstanceID.first(in: String(decoding: $0, as: UTF8.self)) }
    case .directory: return InstanceID.exact(name) ?? InstanceID.inDirectory(path)
    }
  }
}

/// EC2 instance ids (`i-` and 8 or 17 hexadecimal digits; `mi-` and 17 for hybrid nodes) in names and
/// in the small files collectors write.
enum InstanceID {
  /// `text` when it is an instance id.
  static func exact(_ text: String) -> String? {
    first(in: text).flatMap { $0.count == text.count ? $0 : nil }
  }

  /// The first instance id standing alone in `text` (not inside a longer word).
  static func first(in text: String) -> String? {
    let b = Array(text.utf8)
    func isWord(_ c: UInt8) -> Bool { c.isASCIIAlnum }
    var i = 0
    while i + 2 < b.count {
      defer { i += 1 }
      guard b[i] == 0x69, b[i + 1] == 0x2D else { continue }  // "i-"
      let start = i > 0 && b[i - 1] == 0x6D ? i - 1 : i  // "mi-"
      guard start == 0 || !isWord(b[start - 1]) else { continue }
      var j = i + 2
      while j < b.count, b[j].isHexDigit { j += 1 }
      let digits = j - i - 2
      guard digits == 17 || (digits == 8 && start == i), j == b.count || !isWord(b[j]) else { continue }
      return String(decoding: b[start..<j], as: UTF8.self)
    }
    return nil
  }

  /// The instance of an unpacked bundle: `instance-id.txt` (ECS logs collector), cloud-init's
  /// `run/cloud-init/instance-data.json` or `var/lib/cloud/data/instance-id`.
  static func inDirectory(_ dir: String) -> String? {
    for file in ["instance-id.txt", "var/lib/cloud/data/instance-id"] {
      if let text = head(of: dir + "/" + file, bytes: 256), let id = exact(trimmed(text)) { return id }
    }
    if let json = head(of: dir + "/run/cloud-init/instance-data.json", bytes: 1 << 20) {
      return instanceData(json)?.id
    }
    return nil
  }

  /// The instance an archive's first 256 KB name: a member path component (`collect/i-…/`), an
  /// `instance-id.txt` or a `run/cloud-init/instance-data.json` met there. The rest is never inflated.
  static func inArchive(_ path: String, limit: Int = 256 << 10) -> String? {
    let fd = System.openForReading(path)
    guard fd >= 0 else { return nil }
    defer { System.close(fd) }
    var file = PrefixSource(inner: FileByteSource(fd: fd))
    guard let magic = try? file.fill(2) else { return nil }
    var source: any ByteSource = file
    if magic == [0x1F, 0x8B] {
      guard let gz = try? GzipByteSource(file, maxOutputBytes: limit + (1 << 16)) else { return nil }
      source = gz
    }
    var bytes: [UInt8] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { chunk.deallocate() }
    while bytes.count < limit, let n = try? source.read(into: chunk), n > 0 { bytes += chunk[0..<n] }
    var offset = 0
    while offset + 512 <= bytes.count {
      let header = bytes[offset..<(offset + 512)]
      guard !header.allSatisfy({ $0 == 0 }), let size = Tar.octal(header, 124, 12), size >= 0 else { break }
      let name = Tar.cString(header[header.startIndex..<(header.startIndex + 100)])
      let data = bytes[(offset + 512)..<min(bytes.count, offset + 512 + size)]
      for component in name.split(separator: "/") {
        if let id = exact(String(component)) { return id }
      }
      if data.count == size {
        if name.hasSuffix("instance-id.txt"), let id = exact(trimmed(Array(data))) { return id }
        if name.hasSuffix(BundleFacts.instanceData), let id = instanceData(Array(data))?.id { return id }
      }
      offset += 512 + (size + 511) / 512 * 512
    }
    return nil
  }

  /// `v1.instance_id` and `v1.local_hostname` of cloud-init's instance data.
  static func instanceData(_ bytes: [UInt8]) -> (id: String, hostname: String?)? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
      let v1 = object["v1"] as? [String: Any],
      let id = (v1["instance_id"] ?? v1["instance-id"]) as? String, !id.isEmpty
    else { return nil }
    return (id, (v1["local_hostname"] ?? v1["local-hostname"]) as? String)
  }

  static func trimmed(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Up to `bytes` bytes from the start of a regular file (never through a link to elsewhere), or nil.
  static func head(of path: String, bytes: Int) -> [UInt8]? {
    guard BundleFinder.kind(path) == .file, !BundleFinder.isLink(path) else { return nil }
    let fd = System.openForReading(path)
    guard fd >= 0 else { return nil }
    defer { System.close(fd) }
    var source = FileByteSource(fd: fd)
    var out: [UInt8] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: min(bytes, 1 << 16), alignment: 1)
    defer { chunk.deallocate() }
    while out.count < bytes, let n = try? source.read(into: chunk), n > 0 {
      out += chunk[0..<min(n, bytes - out.count)]
    }
    return out
  }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) }
  fileprivate var isASCIIAlnum: Bool {
    (0x30...0x39).contains(self) || (0x61...0x7A).contains(self) || (0x41...0x5A).contains(self)
  }
}

extension BundleFinder {
  /// What the bundles hold, as a digest: each bundle's path and the paths and sizes of its files (not
  /// their times, which a copy to another machine changes). Shards of one run over the same bundles agree
  /// on it; a bundle added, removed or grown between two shards' runs changes it (`FleetShard.run`).
  public static func contentsDigest(_ bundles: [Bundle]) -> String {
    var text = ""
    func add(_ path: String) { text += "\(path) \(System.status(atPath: path)?.size ?? -1)\n" }
    for bundle in bundles.sorted(by: { $0.path < $1.path }) {
      text += "bundle \(bundle.path)\n"
      switch bundle.kind {
      case .directory: for file in logFiles(in: bundle.path) { add(file) }
      case .archive, .file: add(bundle.path)
      case .cloudWatchExport, .ssmOutput: for file in bundle.files { add(file.path) }
      }
    }
    return FNV1a.hex(text)
  }
}
