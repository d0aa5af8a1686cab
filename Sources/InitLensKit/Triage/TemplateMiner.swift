/// Warning lines no rule knows, generalised into a template: what `unmatched[]` of a report lists.
///
/// The id is `t-` and 8 hex digits of FNV-1a 32 of `template`, so the same template gets the same id
/// in every run, shard and bundle, and `rules suggest` can find it again.
public struct UnmatchedTemplate: Codable, Sendable, Equatable {
  public var id: String
  /// The message (the part after the log header) with variable parts as typed placeholders (`<NUM>`,
  /// `<HEX>`, `<IP>`, `<UUID>`, `<PATH>`, `<URL>`, `<ID>`, `<TIME>`) and `<*>` where its lines differ.
  public var template: String
  /// Distinct hosts and boots with at least one line of the template.
  public var hosts: Int
  public var boots: Int
  /// Lines of the template.
  public var count: Int
  /// Up to `maxExamples` lines of the template, by file and line, each cut to `maxExampleBytes`.
  public var examples: [Evidence]

  public init(id: String, template: String, hosts: Int, boots: Int, count: Int, examples: [Evidence]) {
    self.id = id
    self.template = template
    self.hosts = hosts
    self.boots = boots
    self.count = count
    self.examples = examples
  }

  public init(template: String, hosts: Int, boots: Int, count: Int, examples: [Evidence]) {
    self.init(
      id: UnmatchedTemplate.id(for: template), template: template, hosts: hosts, boots: boots, count: count,
      examples: examples)
  }

  public static let maxExamples = 3
  public static let maxExampleBytes = 300
  /// Templates a report lists at most (the miner's cluster cap; a fleet's are the top ones).
  public static let reportLimit = 1000

  /// `t-` + FNV-1a 32 of the template's UTF-8 bytes as 8 lower-case hex digits.
  public static func id(for template: String) -> String {
    var hash: UInt32 = 0x811c_9dc5
    for b in template.utf8 {
      hash ^= UInt32(b)
      hash = hash &* 0x0100_0193
    }
    let hex = String(hash, radix: 16)
    return "t-" + String(repeating: "0", count: 8 - hex.count) + hex
  }

  /// The report's order: most hosts first, then most boots, most lines, and id.
  public static func sorted(_ list: [UnmatchedTemplate]) -> [UnmatchedTemplate] {
    list.sorted { a, b in
      if a.hosts != b.hosts { return a.hosts > b.hosts }
      if a.boots != b.boots { return a.boots > b.boots }
      if a.count != b.count { return a.count > b.count }
      return a.id < b.id
    }
  }

  /// Templates of several reports (fleet bundles, shards) as one list: hosts, boots and lines summed
  /// by id (bundles are disjoint), the first examples by file and line, sorted, the top `limit` kept.
  /// The result depends only on the set of lists, not their order.
  public static func combine(_ lists: [[UnmatchedTemplate]], limit: Int = reportLimit) -> [UnmatchedTemplate] {
    var byID: [String: UnmatchedTemplate] = [:]
    for list in lists {
      for t in list {
        guard var acc = byID[t.id] else {
          byID[t.id] = t
          continue
        }
        acc.hosts += t.hosts
        acc.boots += t.boots
        acc.count += t.count
        acc.template = min(acc.template, t.template)
        acc.examples += t.examples
        byID[t.id] = acc
      }
    }
    let merged = byID.values.map { t -> UnmatchedTemplate in
      var t = t
      t.examples = firstExamples(t.examples)
      return t
    }
    return Array(sorted(merged).prefix(limit))
  }

  /// The first `maxExamples` distinct examples by file, line and text.
  static func firstExamples(_ list: [Evidence]) -> [Evidence] {
    var out: [Evidence] = []
    for e in list.sorted(by: { ($0.file, $0.line, $0.text) < ($1.file, $1.line, $1.text) }) {
      if out.count == maxExamples { break }
      if out.last != e { out.append(e) }
    }
    return out
  }

  /// `text` cut to at most `maxBytes` bytes of UTF-8 (never inside a character), with `…` when cut.
  public static func cut(_ text: String, maxBytes: Int = maxExampleBytes) -> String {
    guard text.utf8.count > maxBytes else { return text }
    var n = 0
    var end = text.startIndex
    for (i, ch) in zip(text.indices, text) {
      let w = ch.utf8.count
      if n + w > maxBytes { break }
      n += w
      end = text.index(after: i)
    }
    return String(text[..<end]) + "…"
  }
}

/// A Drain-style streaming template miner (He et al., "Drain: An Online Log Parsing Approach with
/// Fixed Depth Tree", ICWS 2017) over message bytes.
///
/// Each message is first pre-masked: numbers, hex, IPs, UUIDs, paths, URLs, AWS ids and times become
/// typed placeholders (`<NUM>` …), so lines that differ only there are one template from the start.
/// The masked message is split at blanks; a fixed-depth tree keyed by the token count and then the
/// first `depth` tokens (a token with a placeholder or a digit goes to the `<*>` branch, as does any
/// token past `maxChildren` branches) leads to a few candidate clusters. The most similar one (share
/// of positions with equal tokens, `<*>` not counting) takes the line when the share is at least
/// `similarity`, and its tokens that differ from the line's become `<*>`; otherwise the line starts a
/// new cluster.
///
/// Memory is bounded however long it runs: at most `maxClusters` clusters (a line that fits none
/// when they are all taken is only counted in `overflow`), `maxExamples` examples of at most
/// `maxExampleBytes` each per cluster, and at most `maxKeys` distinct host and boot hashes per
/// cluster (its counts are lower bounds past that). Messages are cut at `maxMessageBytes` (at a
/// blank), so a line costs a few µs whatever its length.
public final class TemplateMiner {
  public struct Limits: Sendable {
    public var maxClusters = 1000
    public var maxExamples = UnmatchedTemplate.maxExamples
    public var maxExampleBytes = UnmatchedTemplate.maxExampleBytes
    public var maxKeys = 4096
    public var maxMessageBytes = 1024
    public var similarity = 0.5
    /// Tokens after the token count that route a message down the tree.
    public var depth = 2
    public var maxChildren = 100
    public init() {}
  }

  public let limits: Limits
  /// Lines that fit no cluster when all `maxClusters` were taken.
  public private(set) var overflow = 0
  /// Lines given to `add`.
  public private(set) var lines = 0

  final class Cluster {
    /// Token hashes (FNV-1a 64; `wildcardHash` for `<*>`) and texts.
    var hashes: [UInt64]
    var tokens: [[UInt8]]
    var count = 0
    var hosts = Set<UInt64>()
    var boots = Set<UInt64>()
    var examples: [Evidence] = []
    init(hashes: [UInt64], tokens: [[UInt8]]) {
      self.hashes = hashes
      self.tokens = tokens
    }
  }

  final class Node {
    var children: [UInt64: Node] = [:]
    var wildcard: Node? = nil
    var clusters: [Int] = []
  }

  private(set) var clusters: [Cluster] = []
  private var roots: [Int: Node] = [:]
  // Per-line scratch, reused: the masked message, its tokens and their hashes.
  private var masked: [UInt8] = []
  private var marks: [Int] = []
  private var starts: [Int] = []
  private var ends: [Int] = []
  private var hashes: [UInt64] = []
  private var variable: [Bool] = []

  static let wildcard: [UInt8] = Array("<*>".utf8)
  static let wildcardHash = fnv64(wildcard[...])

  public init(limits: Limits = Limits()) {
    self.limits = limits
    masked.reserveCapacity(limits.maxMessageBytes + 64)
  }

  // MARK: - Adding lines

  /// Adds one message (the line's text after its header). `host` and `boot` are hashes of what the
  /// line belongs to; `example` is called only when the template still wants an example.
  /// Returns the index of the cluster that took the line (nil: blank message, or overflow).
  @discardableResult
  public func add(message: UnsafeRawBufferPointer, host: UInt64, boot: UInt64, example: () -> Evidence) -> Int? {
    lines += 1
    tokenize(message)
    let n = hashes.count
    guard n > 0 else { return nil }
    let index: Int
    if let found = search(n) {
      index = found
      update(clusters[found])
    } else {
      guard clusters.count < limits.maxClusters else {
        overflow += 1
        return nil
      }
      index = insert(n)
    }
    let c = clusters[index]
    c.count += 1
    if c.hosts.count < limits.maxKeys { c.hosts.insert(host) }
    if c.boots.count < limits.maxKeys { c.boots.insert(boot) }
    if c.examples.count < limits.maxExamples {
      var e = example()
      e.text = UnmatchedTemplate.cut(e.text, maxBytes: limits.maxExampleBytes)
      c.examples.append(e)
    }
    return index
  }

  /// `add` with host and boot named by strings (hashed here).
  @discardableResult
  public func add(message: String, host: String, boot: String, example: () -> Evidence) -> Int? {
    var m = message
    let hostHash = TemplateMiner.fnv64(Array(host.utf8)[...])
    let bootHash = TemplateMiner.fnv64(Array((host + "\u{1}" + boot).utf8)[...])
    return m.withUTF8 { add(message: UnsafeRawBufferPointer($0), host: hostHash, boot: bootHash, example: example) }
  }

  /// The templates so far, in the report's order (hosts, boots, lines, id).
  public func templates() -> [UnmatchedTemplate] {
    UnmatchedTemplate.sorted(
      clusters.map { c in
        UnmatchedTemplate(
          template: TemplateMiner.text(c.tokens), hosts: c.hosts.count, boots: c.boots.count, count: c.count,
          examples: UnmatchedTemplate.firstExamples(c.examples))
      })
  }

  /// Cluster `index`'s template text, its boot hashes and its line count (for callers that resolve
  /// boots themselves).
  func cluster(_ index: Int) -> (template: String, boots: Set<UInt64>, count: Int, examples: [Evidence]) {
    let c = clusters[index]
    return (TemplateMiner.text(c.tokens), c.boots, c.count, c.examples)
  }

  static func text(_ tokens: [[UInt8]]) -> String {
    var bytes: [UInt8] = []
    for (i, t) in tokens.enumerated() {
      if i > 0 { bytes.append(0x20) }
      bytes += t
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: - The tree

  private func search(_ n: Int) -> Int? {
    guard var node = roots[n] else { return nil }
    for d in 0..<min(limits.depth, n) {
      if let child = node.children[hashes[d]] {
        node = child
      } else if let w = node.wildcard {
        node = w
      } else {
        return nil
      }
    }
    var best: Int? = nil
    var bestSame = -1
    var bestWild = -1
    for index in node.clusters {
      let c = clusters[index]
      var same = 0
      var wild = 0
      for i in 0..<n {
        let h = c.hashes[i]
        if h == TemplateMiner.wildcardHash {
          wild += 1
        } else if h == hashes[i] {
          same += 1
        }
      }
      if same > bestSame || same == bestSame && wild > bestWild {
        best = index
        bestSame = same
        bestWild = wild
      }
    }
    guard let best, Double(bestSame) >= limits.similarity * Double(n) else { return nil }
    return best
  }

  private func insert(_ n: Int) -> Int {
    var node: Node
    if let root = roots[n] {
      node = root
    } else {
      node = Node()
      roots[n] = node
    }
    for d in 0..<min(limits.depth, n) {
      if variable[d] {
        node = wildcardChild(node)
      } else if let child = node.children[hashes[d]] {
        node = child
      } else if node.children.count < limits.maxChildren {
        let child = Node()
        node.children[hashes[d]] = child
        node = child
      } else {
        node = wildcardChild(node)
      }
    }
    let tokens = (0..<n).map { Array(masked[starts[$0]..<ends[$0]]) }
    clusters.append(Cluster(hashes: hashes, tokens: tokens))
    node.clusters.append(clusters.count - 1)
    return clusters.count - 1
  }

  private func wildcardChild(_ node: Node) -> Node {
    if let w = node.wildcard { return w }
    let w = Node()
    node.wildcard = w
    return w
  }

  private func update(_ c: Cluster) {
    for i in 0..<hashes.count where c.hashes[i] != hashes[i] && c.hashes[i] != TemplateMiner.wildcardHash {
      c.hashes[i] = TemplateMiner.wildcardHash
      c.tokens[i] = TemplateMiner.wildcard
    }
  }

  // MARK: - Tokens

  /// Masks `message` into `masked` and splits it at blanks into `starts`/`ends`/`hashes`/`variable`.
  private func tokenize(_ message: UnsafeRawBufferPointer) {
    var m = message
    if m.count > limits.maxMessageBytes {
      // Cut at the last blank before the limit, so a long message's last token is never half a word.
      var end = limits.maxMessageBytes
      while end > 0, m[end] != 0x20 && m[end] != 0x09 { end -= 1 }
      m = UnsafeRawBufferPointer(rebasing: m[0..<(end > 0 ? end : limits.maxMessageBytes)])
    }
    TemplateMiner.mask(m, into: &masked, marks: &marks)
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    hashes.removeAll(keepingCapacity: true)
    variable.removeAll(keepingCapacity: true)
    var i = 0
    var mark = 0
    let count = masked.count
    while i < count {
      while i < count, masked[i] == 0x20 || masked[i] == 0x09 { i += 1 }
      guard i < count else { break }
      let start = i
      var digit = false
      while i < count, masked[i] != 0x20 && masked[i] != 0x09 {
        if masked[i] &- 0x30 < 10 { digit = true }
        i += 1
      }
      while mark < marks.count, marks[mark] < start { mark += 1 }
      let hasPlaceholder = mark < marks.count && marks[mark] < i
      starts.append(start)
      ends.append(i)
      hashes.append(TemplateMiner.fnv64(masked[start..<i]))
      variable.append(hasPlaceholder || digit)
    }
  }

  static func fnv64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }
}

// MARK: - Pre-masking

/// The typed placeholders of pre-masking, and the PCRE2 each stands for in a draft rule.
public enum Placeholder: String, CaseIterable, Sendable {
  case num = "NUM"
  case hex = "HEX"
  case ip = "IP"
  case uuid = "UUID"
  case path = "PATH"
  case url = "URL"
  case id = "ID"
  case time = "TIME"

  public var token: String { "<\(rawValue)>" }

  /// What `mask` replaces by this placeholder, as PCRE2 (no capture groups).
  public var regex: String {
    switch self {
    case .num: return #"\d+(?:\.\d+)*"#
    case .hex: return #"(?:0[xX])?[0-9a-fA-F]+"#
    case .ip: return #"\d{1,3}(?:\.\d{1,3}){3}"#
    case .uuid: return #"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"#
    case .path: return #"/[A-Za-z0-9._~+@%/-]*"#
    case .url: return #"[A-Za-z][A-Za-z0-9+.-]*://[^\s'"<>`]*"#
    case .id:
      return #"(?:arn:[^\s'"<>`,]+|(?:"# + TemplateMiner.awsIDPrefixes.joined(separator: "|") + #")-[0-9a-f]{8,17})"#
    case .time:
      return
        #"(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)"#
    }
  }
}

extension TemplateMiner {
  /// Prefixes of AWS resource ids (`i-0abc…`, `ami-…`, …) that mask as `<ID>`.
  static let awsIDPrefixes = [
    "i", "ami", "vol", "eni", "sg", "subnet", "vpc", "snap", "igw", "rtb", "acl", "nat", "lt", "eipalloc", "r",
  ]
  private static let awsIDPrefixBytes = awsIDPrefixes.map { Array($0.utf8) }

  /// `message` with its variable parts replaced by typed placeholders (see `Placeholder`).
  public static func mask(_ message: String) -> String {
    var m = message
    var out: [UInt8] = []
    var marks: [Int] = []
    m.withUTF8 { mask(UnsafeRawBufferPointer($0), into: &out, marks: &marks) }
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes `p` masked into `out`, and the offsets in `out` where a placeholder starts into `marks`.
  /// One pass; at each position where a word may start, the longest-shaped variable is tried first
  /// (URL, ARN and AWS id, UUID, time, IP, hex, number, path).
  static func mask(_ p: UnsafeRawBufferPointer, into out: inout [UInt8], marks: inout [Int]) {
    out.removeAll(keepingCapacity: true)
    marks.removeAll(keepingCapacity: true)
    let n = p.count
    func put(_ ph: Placeholder) {
      marks.append(out.count)
      switch ph {
      case .num: out += [0x3C, 0x4E, 0x55, 0x4D, 0x3E]
      case .hex: out += [0x3C, 0x48, 0x45, 0x58, 0x3E]
      case .ip: out += [0x3C, 0x49, 0x50, 0x3E]
      case .uuid: out += [0x3C, 0x55, 0x55, 0x49, 0x44, 0x3E]
      case .path: out += [0x3C, 0x50, 0x41, 0x54, 0x48, 0x3E]
      case .url: out += [0x3C, 0x55, 0x52, 0x4C, 0x3E]
      case .id: out += [0x3C, 0x49, 0x44, 0x3E]
      case .time: out += [0x3C, 0x54, 0x49, 0x4D, 0x45, 0x3E]
      }
    }
    var i = 0
    while i < n {
      let c = p[i]
      let boundary = i == 0 || !isWord(p[i - 1])
      var found: (Placeholder, Int)? = nil
      if boundary, isLetter(c) {
        if let end = url(p, i) {
          found = (.url, end)
        } else if let end = arn(p, i) ?? awsID(p, i) {
          found = (.id, end)
        } else if let end = uuid(p, i) {
          found = (.uuid, end)
        } else if let end = hexWord(p, i, needDigit: true) {
          found = (.hex, end)
        } else {
          // A plain word (letters, digits, `_`): copied whole, so `ec2` or `IMDSv2` keep their digits.
          while i < n, isWord(p[i]) {
            out.append(p[i])
            i += 1
          }
          continue
        }
      } else if boundary, isDigit(c) {
        if let end = uuid(p, i) {
          found = (.uuid, end)
        } else if let end = time(p, i) {
          found = (.time, end)
        } else if let end = ip(p, i) {
          found = (.ip, end)
        } else if c == 0x30, i + 2 < n, p[i + 1] | 0x20 == 0x78, isHex(p[i + 2]) {
          var j = i + 2
          while j < n, isHex(p[j]) { j += 1 }
          found = (.hex, j)
        } else if let end = hexWord(p, i, needDigit: false) {
          found = (.hex, end)
        } else {
          var j = i
          while j < n, isDigit(p[j]) { j += 1 }
          while j + 1 < n, p[j] == 0x2E, isDigit(p[j + 1]) {
            j += 1
            while j < n, isDigit(p[j]) { j += 1 }
          }
          found = (.num, j)
        }
      } else if c == 0x2F, i + 1 < n, isPathByte(p[i + 1]), i == 0 || pathOpener(p[i - 1]) {
        var j = i + 1
        while j < n, isPathByte(p[j]) || p[j] == 0x2F { j += 1 }
        while j > i + 1, p[j - 1] == 0x2E { j -= 1 }
        found = (.path, j)
      }
      if let (ph, end) = found {
        put(ph)
        i = end
      } else {
        out.append(c)
        i += 1
      }
    }
  }

  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
  @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
  @inline(__always) static func isWord(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == 0x5F }
  @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
  @inline(__always) static func isPathByte(_ b: UInt8) -> Bool {
    isWord(b) || b == 0x2E || b == 0x2D || b == 0x7E || b == 0x2B || b == 0x40 || b == 0x25
  }
  /// Bytes after which a `/` starts a path: a blank, a quote, an opening bracket, `=`, `,` or `:`.
  @inline(__always) static func pathOpener(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x27 || b == 0x22 || b == 0x28 || b == 0x5B || b == 0x3D || b == 0x2C
      || b == 0x3A
  }

  /// The end of a scheme-like run of letters, digits, `+`, `.`, `-` at `i`.
  static func schemeEnd(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int {
    var j = i
    while j < p.count, isWord(p[j]) && p[j] != 0x5F || p[j] == 0x2B || p[j] == 0x2E || p[j] == 0x2D { j += 1 }
    return j
  }

  /// `scheme://…` up to a blank, quote or angle bracket, trailing punctuation left out.
  static func url(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    let s = schemeEnd(p, i)
    guard s > i, p.hasPrefix("://", at: s) else { return nil }
    var j = s + 3
    while j < p.count {
      let b = p[j]
      if b == 0x20 || b == 0x09 || b == 0x27 || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x60 { break }
      j += 1
    }
    while j > s + 3, p[j - 1] == 0x2E || p[j - 1] == 0x2C || p[j - 1] == 0x3B || p[j - 1] == 0x3A { j -= 1 }
    return j
  }

  /// `arn:…` up to a blank, quote, angle bracket or comma.
  static func arn(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    guard p.hasPrefix("arn:", at: i) else { return nil }
    var j = i + 4
    while j < p.count {
      let b = p[j]
      if b == 0x20 || b == 0x09 || b == 0x27 || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x60 || b == 0x2C { break }
      j += 1
    }
    while j > i + 4, p[j - 1] == 0x2E || p[j - 1] == 0x3B || p[j - 1] == 0x3A { j -= 1 }
    return j
  }

  /// An AWS resource id: a known prefix, `-`, 8 to 17 lower-case hex digits, then no word byte.
  static func awsID(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    for prefix in awsIDPrefixBytes {
      let k = i + prefix.count
      guard k < p.count, p[k] == 0x2D else { continue }
      var match = true
      for (o, b) in prefix.enumerated() where p[i + o] != b {
        match = false
        break
      }
      guard match else { continue }
      var j = k + 1
      while j < p.count, isDigit(p[j]) || p[j] &- 0x61 < 6 { j += 1 }
      let len = j - k - 1
      if len >= 8, len <= 17, j == p.count || !isWord(p[j]) { return j }
    }
    return nil
  }

  /// 8-4-4-4-12 hex digits.
  static func uuid(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    var j = i
    for (g, len) in [8, 4, 4, 4, 12].enumerated() {
      if g > 0 {
        guard j < p.count, p[j] == 0x2D else { return nil }
        j += 1
      }
      for _ in 0..<len {
        guard j < p.count, isHex(p[j]) else { return nil }
        j += 1
      }
    }
    return j == p.count || !isWord(p[j]) ? j : nil
  }

  /// A run of at least 8 hex digits ending at a non-word byte, with a digit (`needDigit`) or a
  /// letter (otherwise) among them: commit hashes, container and boot ids.
  static func hexWord(_ p: UnsafeRawBufferPointer, _ i: Int, needDigit: Bool) -> Int? {
    var j = i
    var digit = false
    var letter = false
    while j < p.count, isHex(p[j]) {
      if isDigit(p[j]) { digit = true } else { letter = true }
      j += 1
    }
    guard j - i >= 8, j == p.count || !isWord(p[j]) else { return nil }
    return (needDigit ? digit : letter) ? j : nil
  }

  /// `YYYY-MM-DD`, optionally with `[T ]HH:MM[:SS][.frac][Z|±hh[:]mm]`, or `HH:MM:SS[.frac]`.
  static func time(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    func digits(_ at: Int, _ k: Int) -> Bool {
      guard at + k <= p.count else { return false }
      for o in at..<(at + k) where !isDigit(p[o]) { return false }
      return true
    }
    func clock(_ at: Int) -> Int? {
      guard digits(at, 2), p.byte(at + 2, is: 0x3A), digits(at + 3, 2) else { return nil }
      var j = at + 5
      if p.byte(j, is: 0x3A), digits(j + 1, 2) { j += 3 }
      if j + 1 < p.count, p[j] == 0x2E || p[j] == 0x2C, isDigit(p[j + 1]) {
        j += 1
        while j < p.count, isDigit(p[j]) { j += 1 }
      }
      return j
    }
    if digits(i, 4), p.byte(i + 4, is: 0x2D), digits(i + 5, 2), p.byte(i + 7, is: 0x2D), digits(i + 8, 2) {
      var j = i + 10
      if j < p.count, p[j] == 0x54 || p[j] == 0x20, let end = clock(j + 1) {
        j = end
        if p.byte(j, is: 0x5A) {
          j += 1
        } else if j < p.count, p[j] == 0x2B || p[j] == 0x2D, digits(j + 1, 2) {
          var k = j + 3
          if p.byte(k, is: 0x3A) { k += 1 }
          if digits(k, 2) { j = k + 2 }
        }
      }
      return j == p.count || !isWord(p[j]) ? j : nil
    }
    guard digits(i, 2), p.byte(i + 2, is: 0x3A), digits(i + 3, 2), p.byte(i + 5, is: 0x3A), let end = clock(i),
      end == p.count || !isWord(p[end])
    else { return nil }
    return end
  }

  /// A dotted IPv4 address not followed by more digits or dots-and-digits.
  static func ip(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    var j = i
    for part in 0..<4 {
      if part > 0 {
        guard j + 1 < p.count, p[j] == 0x2E, isDigit(p[j + 1]) else { return nil }
        j += 1
      }
      let s = j
      while j < p.count, isDigit(p[j]), j - s < 4 { j += 1 }
      guard j - s >= 1, j - s <= 3 else { return nil }
    }
    if j < p.count, isWord(p[j]) { return nil }
    if j + 1 < p.count, p[j] == 0x2E, isDigit(p[j + 1]) { return nil }
    return j
  }
}

// MARK: - Which lines

extension TemplateMiner {
  /// Words that mark a line without a known level as a failure (systemd, kernel, script output).
  static let failingWords: [[UInt8]] = [
    "error", "Error", "ERROR", "failed", "Failed", "FAILED", "failure", "Failure", "fatal", "Fatal", "FATAL",
    "panic", "Traceback", "Exception", "WARNING", "[WARN]", "CRITICAL", "level=warn", "level=error",
    "level=fatal", "level=crit", "level=panic", "Unable to", "Could not", "cannot", "Cannot",
  ].map { Array($0.utf8) }

  /// Whether a line no rule matched belongs in the triage of the unknown: its level (cloud-init,
  /// ECS, journal priority) is warning or worse, or, when the parser found no level, its message
  /// carries a syslog priority 0-4 (`<3>`) or a failing word (`failed`, `error`, `Traceback`, …).
  /// A line at a known level below warning never is, whatever it says (`level=info msg="… failed"`).
  public static func isWarningOrWorse(level: Level?, message: UnsafeRawBufferPointer) -> Bool {
    if let level { return level >= .warning }
    if message.count >= 3, message[0] == 0x3C, message[2] == 0x3E, message[1] &- 0x30 < 5 { return true }
    for word in failingWords where message.contains(word) { return true }
    return false
  }

  public static func isWarningOrWorse(level: Level?, message: String) -> Bool {
    var m = message
    return m.withUTF8 { isWarningOrWorse(level: level, message: UnsafeRawBufferPointer($0)) }
  }
}
