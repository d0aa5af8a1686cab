import Foundation

/// The analyzer's side of the triage of the unknown: warning lines no rule matched go to a
/// `TemplateMiner`; `finish()` turns its clusters into the report's `unmatched` list.
///
/// Hosts and boots are only known for certain when the run ends (segments of several inputs merge
/// into boots, hosts without a name join the one named host), so a line is filed under the host and
/// boot key the analyzer knows when it reads it, interned here; `templates(resolve:)` maps each key to
/// the reported host and boot and counts the distinct ones.
final class UnmatchedState {
  struct Key: Hashable {
    let host: String?
    let bootKey: String
  }

  let miner: TemplateMiner
  private var keys: [Key: Int] = [:]
  private(set) var keyList: [Key] = []
  /// Distinct host × boot keys interned; past it a key is filed by its hash and counts on its own.
  static let maxKeys = 65_536

  /// Where `finish()` put a boot key: the reported host and an identity of the reported boot (see
  /// `place`); keys it never placed count as boots of their own.
  private(set) var placed: [String: (host: String, boot: String)] = [:]
  /// The boot keys lines were filed under (only those need placing).
  private(set) var bootKeys: Set<String> = []

  init(limits: TemplateMiner.Limits = TemplateMiner.Limits()) {
    miner = TemplateMiner(limits: limits)
  }

  /// Files one line no rule matched, when it is at warning level or worse (see
  /// `TemplateMiner.isWarningOrWorse`). `evidence` is called only when the template wants an example.
  func note(
    message: UnsafeRawBufferPointer, level: Level?, host: String?, bootKey: String, evidence: () -> Evidence
  ) {
    guard TemplateMiner.isWarningOrWorse(level: level, message: message) else { return }
    if let plain = Escapes.stripped(message) {
      return plain.withUnsafeBytes { note(message: $0, level: level, host: host, bootKey: bootKey, evidence: evidence) }
    }
    let key = Key(host: host, bootKey: bootKey)
    if keyList.count < UnmatchedState.maxKeys { bootKeys.insert(bootKey) }
    let id: UInt64
    if let known = keys[key] {
      id = UInt64(known)
    } else if keyList.count < UnmatchedState.maxKeys {
      id = UInt64(keyList.count)
      keys[key] = keyList.count
      keyList.append(key)
    } else {
      var h = Hasher()
      h.combine(key)
      id = 1 << 63 | UInt64(UInt(bitPattern: h.finalize()))
    }
    miner.add(message: message, host: id, boot: id, example: evidence)
  }

  /// Records that the lines filed under `bootKey` belong to `boot` (any string that tells the
  /// reported boots of `host` apart) of the reported `host`.
  func place(bootKey: String, host: String, boot: String) {
    placed[bootKey] = (host, boot)
  }

  /// The templates with hosts and boots counted after `resolve` (reported host, reported boot),
  /// their text passed through `redact`, sorted for the report.
  func templates(
    redact: (String) -> String, resolve: (_ host: String?, _ bootKey: String) -> (host: String, boot: String)
  ) -> [UnmatchedTemplate] {
    struct Acc {
      var boots = Set<[String]>()
      var count = 0
      var examples: [Evidence] = []
    }
    var resolved: [UInt64: [String]] = [:]
    var byText: [String: Acc] = [:]
    for index in miner.clusters.indices {
      let c = miner.cluster(index)
      let text = redact(c.template)
      var acc = byText[text] ?? Acc()
      for id in c.boots {
        if let r = resolved[id] {
          acc.boots.insert(r)
          continue
        }
        let r: [String]
        if id < UInt64(keyList.count) {
          let key = keyList[Int(id)]
          let (host, boot) = resolve(key.host, key.bootKey)
          r = [host, boot]
        } else {
          r = ["\u{0}" + String(id), ""]
        }
        resolved[id] = r
        acc.boots.insert(r)
      }
      acc.count += c.count
      acc.examples += c.examples
      byText[text] = acc
    }
    let list = byText.map { text, acc in
      UnmatchedTemplate(
        template: text, hosts: Set(acc.boots.map { $0[0] }).count, boots: acc.boots.count, count: acc.count,
        examples: acc.examples)
    }
    return UnmatchedTemplate.combine([list])
  }
}

extension BootBuilder {
  /// The report's `unmatched` list; `resolve` maps a line's host and boot key to the reported host
  /// and boot (`finish()` knows how segments became boots).
  func unmatchedTemplates(
    resolve: (_ host: String?, _ bootKey: String) -> (host: String, boot: String)
  ) -> [UnmatchedTemplate] {
    unmatched.templates(redact: redactor.redact, resolve: resolve)
  }

  /// The report's `unmatched` list, boot keys counted as `unmatched.place` put them (`finishHost`
  /// knows which segments became which boot); a key never placed is a boot of its own, on its
  /// line's host or `defaultHost`.
  func unmatchedTemplates(defaultHost: String? = nil) -> [UnmatchedTemplate] {
    let placed = unmatched.placed
    return unmatchedTemplates { host, bootKey in
      placed[bootKey] ?? (host ?? defaultHost ?? options.defaultHost, bootKey)
    }
  }
}
