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

// MARK: - Which lines

extension TemplateMiner {
  /// Words that mark a line without a known level as a failure (systemd, kernel, script output).
  static let failingWords: [[UInt8]] = [
    "error", "Error", "ERROR", "failed", "Failed", "FAILED", "failure", "Failure", "fatal", "Fatal", "FATAL",
    "panic", "Traceback", "Exception", "WARNING", "[WARN]", "CRITICAL", "level=warn", "level=error",
    "level=fatal", "level=crit", "level=panic", "Unable to", "Could not", "cannot", "Cannot",
  ].map { Array($0.utf8) }

  /// Whether a line no rule matched belongs among the unmatched templates: its level (cloud-init,
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
