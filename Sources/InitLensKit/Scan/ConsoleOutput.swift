import Foundation

/// `aws ec2 get-console-output` as the AWS CLI prints it (docs/INPUTS.md): a JSON document that wraps an
/// instance's console text, or the `--output text` line that glues the instance id before its first line
/// and the timestamp after its last. Unwrapped once per input: the console text inside is then read as a
/// console, every line of it under the instance id as host.
public enum ConsoleOutput {
  /// One instance's console: its id and the console text (bytes as the console wrote them).
  public struct Document: Equatable, Sendable {
    public let instanceID: String
    public let timestamp: String?
    public let text: [UInt8]
  }

  /// How an input's head says it is console output: `--output json` (one object, an array of them, or
  /// one object per line) or `--output text`.
  public enum Kind: Sendable { case json, text }

  static let banner = Array("Linux version ".utf8)

  /// The kind of console output an input's head is, or nil when it is none.
  public static func kind(_ p: UnsafeRawBufferPointer) -> Kind? {
    var i = skipSpace(p, 0)
    if p.byte(i, is: 0x5B) { i = skipSpace(p, i + 1) }  // an array of documents
    if p.byte(i, is: 0x7B) {
      i = skipSpace(p, i + 1)
      let key = p.hasPrefix("\"InstanceId\"", at: i) || p.hasPrefix("\"Output\"", at: i)
      return key || p.hasPrefix("\"Timestamp\"", at: i) ? .json : nil
    }
    return textID(p) != nil ? .text : nil
  }

  /// The documents of a `--output json` input, or nil when it is not one.
  public static func documents(json bytes: [UInt8]) -> [Document]? {
    let data = Data(bytes)
    if let whole = try? JSONSerialization.jsonObject(with: data) {
      let objects = (whole as? [Any]).map { $0.compactMap { $0 as? [String: Any] } } ?? [whole as? [String: Any]]
      let docs = objects.compactMap { $0.flatMap(document) }
      return docs.isEmpty ? nil : docs
    }
    // One object per line.
    var docs: [Document] = []
    for line in bytes.split(separator: 0x0A) where line.contains(where: { $0 > 0x20 }) {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let doc = document(object)
      else { return nil }
      docs.append(doc)
    }
    return docs.isEmpty ? nil : docs
  }

  static func document(_ object: [String: Any]) -> Document? {
    guard let id = object["InstanceId"] as? String else { return nil }
    let output = object["Output"] as? String ?? ""
    return Document(instanceID: id, timestamp: object["Timestamp"] as? String, text: decoded(output))
  }

  /// The console text of an `Output` value: decoded when it is base64 of text (the EC2 API's own form,
  /// which SDKs and other tools hand on), else as it is.
  static func decoded(_ output: String) -> [UInt8] {
    let plain = Array(output.utf8)
    let compact = plain.filter { $0 != 0x0A && $0 != 0x0D }
    guard compact.count >= 4, compact.count % 4 == 0,
      compact.allSatisfy({ isBase64($0) }),
      let data = Data(base64Encoded: Data(compact)), !data.isEmpty,
      String(data: data, encoding: .utf8) != nil, !data.contains(0)
    else { return plain }
    return Array(data)
  }

  static func isBase64(_ b: UInt8) -> Bool {
    b &- 0x41 < 26 || b &- 0x61 < 26 || b &- 0x30 < 10 || b == 0x2B || b == 0x2F || b == 0x3D
  }

  /// The document of a `--output text` input: `i-…<TAB>` before the first console line, `<TAB>stamp`
  /// after the last (the CLI sorts the scalars by key: InstanceId, Output, Timestamp).
  public static func document(text bytes: [UInt8]) -> Document? {
    bytes.withUnsafeBytes { p -> Document? in
      guard let idEnd = textID(p) else { return nil }
      let id = p.string(skipSpace(p, 0)..<idEnd)
      var end = p.count
      while end > idEnd + 1, p[end - 1] == 0x0A || p[end - 1] == 0x0D { end -= 1 }
      var stamp: String? = nil
      if let tab = p[(idEnd + 1)..<end].lastIndex(of: 0x09), end - tab - 1 >= 20, end - tab - 1 <= 40,
        p.isoDate(tab + 1) != nil, !p[(tab + 1)..<end].contains(0x0A)
      {
        stamp = p.string((tab + 1)..<end)
        end = tab
      }
      var text = Array(p[(idEnd + 1)..<end])
      if let lastByte = text.last, lastByte != 0x0A, lastByte != 0x0D { text.append(0x0A) }
      return Document(instanceID: id, timestamp: stamp, text: text)
    }
  }

  /// The end of the `i-<hex>` id a text-form input starts with, followed by a tab.
  static func textID(_ p: UnsafeRawBufferPointer) -> Int? {
    let i = skipSpace(p, 0)
    guard p.hasPrefix("i-", at: i) else { return nil }
    var j = i + 2
    while j < p.count, p[j] &- 0x30 < 10 || p[j] &- 0x61 < 6 { j += 1 }
    return j - i - 2 >= 8 && j - i - 2 <= 17 && p.byte(j, is: 0x09) ? j : nil
  }

  static func skipSpace(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int {
    var j = i
    while j < p.count, p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0A || p[j] == 0x0D { j += 1 }
    return j
  }

  /// Whether a console's text starts at the start of a boot: its first stamp is in the kernel's first
  /// second, or it holds the kernel banner. The API keeps only the last 64 KB, so a boot's start (and
  /// the first line's head) may be gone.
  public static func startsAtBoot(_ text: [UInt8]) -> Bool {
    text.withUnsafeBytes { p in
      var i = 0
      var stamped = false
      while i < p.count {
        var end = i
        while end < p.count, p[end] != 0x0A { end += 1 }
        let line = UnsafeRawBufferPointer(rebasing: p[i..<end])
        let k = line.skipBlanks(0)
        if !stamped, line.byte(k, is: 0x5B), let (seconds, _) = LineParser.stampSeconds(line, k + 1) {
          if seconds < 1 { return true }
          stamped = true
        }
        if line.contains(ConsoleOutput.banner) { return true }
        i = end + 1
      }
      return false
    }
  }
}
