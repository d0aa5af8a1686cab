import Foundation
import PCRE2Kit

/// Removes secrets from everything a report shows of a log (evidence lines, captures, and the texts
/// filled from captures): IMDS session tokens, AWS access keys, secret keys, session tokens and
/// passwords, also as `set -x` scripts print them (`aws configure set`, `declare -x`, `docker login
/// -p`, registry credentials in `ECS_ENGINE_AUTH_DATA`). With `ids`, also account ids, instance ids and IPv4 addresses, replaced by stable
/// pseudonyms: the same value always gets the same pseudonym (a hash, not a counter, so shards and
/// parallel runs agree), and correlation still reads.
///
/// Pseudonyms are not encryption: an IPv4 address can be recovered by trying all 2³² of them.
public final class Redactor: @unchecked Sendable {
  // SAFETY: the patterns are immutable after init; spare match scratch is only touched under
  // `scratchLock`, and each call uses its own.
  struct Replacement {
    let pattern: Pattern
    /// The capture group whose text is replaced (0: the whole match).
    let group: Int
    let with: (String) -> String
  }

  let replacements: [Replacement]
  /// Cheap test before any regex: a line without any of these bytes needs no work.
  let triggers: [[UInt8]]
  /// Indices into `triggers`, by their first byte.
  private let triggersByFirstByte: [[Int]]
  /// Match scratch (each with a 1 MiB JIT stack) kept between calls: making one per call mapped and
  /// unmapped a megabyte per redacted line.
  private let scratchLock = NSLock()
  private var spareScratch: [MatchScratch] = []

  public init(secrets: Bool = true, ids: Bool = false) {
    var list: [Replacement] = []
    var triggers: [String] = []
    func add(_ source: String, group: Int, caseless: Bool = false, _ with: @escaping (String) -> String) {
      // The patterns are fixed and tested; a failure to compile is a programming error.
      let p = try! Pattern(source, options: .init(caseless: caseless))
      list.append(Replacement(pattern: p, group: group, with: with))
    }
    if secrets {
      add(#"X-aws-ec2-metadata-token['"]?\s*[:=]\s*['"]?([A-Za-z0-9_+/=-]{16,})"#, group: 1) { _ in
        "[REDACTED-IMDS-TOKEN]"
      }
      // Access key ids (an id, not a secret, but they name the key): wherever they appear, also as
      // `aws configure set aws_access_key_id AKIA…` prints them under `set -x`.
      add(#"\b((?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16})\b"#, group: 1) { _ in "[REDACTED-ACCESS-KEY]" }
      // `aws configure set [--profile p] [profile.]aws_secret_access_key VALUE` (and the session
      // token): the value follows after a blank, in any length.
      add(
        #"\bconfigure\s+set\s+(?:--profile\s+\S+\s+)?(?:[\w.-]+\.)?aws_secret_access_key\s+['"]?([^\s'"\\]+)"#,
        group: 1
      ) { _ in "[REDACTED-SECRET-KEY]" }
      add(
        #"\bconfigure\s+set\s+(?:--profile\s+\S+\s+)?(?:[\w.-]+\.)?aws_session_token\s+['"]?([^\s'"\\]+)"#, group: 1
      ) { _ in "[REDACTED-SESSION-TOKEN]" }
      // KEY=VALUE, KEY: VALUE, "Key": "VALUE", also JSON-escaped (`\"`) as a journal's raw line has
      // it (`declare -x AWS_SECRET_ACCESS_KEY="…"`, `+ export AWS_SESSION_TOKEN=…`). A value cut
      // short by the end of the text (an evidence line cut at its byte limit) is removed too.
      add(
        #"(?:aws_secret_access_key|secret_?access_?key|SecretAccessKey)\\?['"]?\s*[:=]\s*\\?['"]?([A-Za-z0-9/+=]{30,}|[A-Za-z0-9/+=]+$)"#,
        group: 1,
        caseless: true
      ) { _ in "[REDACTED-SECRET-KEY]" }
      add(
        #"(?:aws_session_token|session_?token|SessionToken|"Token")\\?['"]?\s*[:=]\s*\\?['"]?([A-Za-z0-9/+=]{40,}|[A-Za-z0-9/+=]+$)"#,
        group: 1,
        caseless: true
      ) { _ in "[REDACTED-SESSION-TOKEN]" }
      // `docker login -u AWS -p VALUE …`, `--password VALUE`, `--password=VALUE` (not --password-stdin).
      add(#"\bdocker\s+login\b[^\n]*?\s(?:-p|--password)(?:\s+|=)['"]?([^\s'"\\]+)"#, group: 1) { _ in
        "[REDACTED-PASSWORD]"
      }
      // password=VALUE, "password":"VALUE" (a quoted value up to its closing quote, blanks and commas
      // included; JSON-escaped quotes too, as in ECS_ENGINE_AUTH_DATA inside a journal's raw line).
      add(
        #"(?:password|passwd|pwd|chpasswd)\\?['"]?\s*[:=]\s*(?|\\?"((?:[^"\\]|\\[^"])*)|'([^']*)'|([^\s'",}\\]+))"#,
        group: 1, caseless: true
      ) { _ in "[REDACTED-PASSWORD]" }
      // Registry credentials in ECS_ENGINE_AUTH_DATA and docker config.json: `"auth": "base64(user:pass)"`,
      // `"identitytoken"`, `"registrytoken"` (the structure and the other fields stay).
      add(#"\\?"(?:auth|identitytoken|registrytoken)\\?"\s*:\s*\\?"((?:[^"\\]|\\[^"])*)"#, group: 1) { _ in
        "[REDACTED-AUTH]"
      }
      add(#"(?:^|\s)echo\s+\S+:(\S+)\s*\|\s*chpasswd"#, group: 1) { _ in "[REDACTED-PASSWORD]" }
      triggers += [
        "token", "TOKEN", "Token", "AKIA", "ASIA", "AROA", "AIDA", "ecret", "ECRET", "ass", "ASS", "pwd", "PWD",
        "login", "auth\"", "auth\\\"",
      ]
    }
    if ids {
      add(#"\b(i-[0-9a-f]{8}(?:[0-9a-f]{9})?)\b"#, group: 1) { "i-" + Redactor.pseudonym($0, length: 17) }
      add(#"(?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.])"#, group: 1) { ip in
        // Link-local IMDS and loopback addresses say how things failed, and name no one.
        ip.hasPrefix("169.254.") || ip.hasPrefix("127.") ? ip : "ip-" + Redactor.pseudonym(ip, length: 8)
      }
      add(#"(?<![\d-])(\d{12})(?![\d-])"#, group: 1) { "acct-" + Redactor.pseudonym($0, length: 12) }
      // Host names like ip-10-0-1-23: the IP inside them.
      add(#"\b(ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})\b"#, group: 1) { "host-" + Redactor.pseudonym($0, length: 8) }
      triggers += ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    }
    replacements = list
    self.triggers = triggers.map { Array($0.utf8) }
    var byFirst = [[Int]](repeating: [], count: 256)
    for (i, t) in self.triggers.enumerated() { byFirst[Int(t[0])].append(i) }
    triggersByFirstByte = byFirst
  }

  /// Whether `b` holds a trigger: one pass, comparing only where a trigger's first byte is (a memmem
  /// per trigger was 1.5 % of a large run's time).
  func hasTrigger(_ b: UnsafeRawBufferPointer) -> Bool {
    for i in b.indices {
      for t in triggersByFirstByte[Int(b[i])] {
        let lit = triggers[t]
        if i + lit.count <= b.count, lit.indices.allSatisfy({ b[i + $0] == lit[$0] }) { return true }
      }
    }
    return false
  }

  /// A stable pseudonym: FNV-1a 64 of the value, as lower-case hex.
  static func pseudonym(_ value: String, length: Int) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in value.utf8 {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
    var hex = String(hash, radix: 16)
    while hex.count < 16 { hex = "0" + hex }
    while hex.count < length { hex += hex }
    return String(hex.prefix(length))
  }

  public var isActive: Bool { !replacements.isEmpty }

  /// One redactor per configuration for the whole process: compiling (and JIT-compiling) its patterns
  /// for every bundle of a fleet would serialise the worker threads on the JIT's allocator.
  public static func shared(secrets: Bool, ids: Bool) -> Redactor {
    cacheLock.lock()
    defer { cacheLock.unlock() }
    let key = (secrets ? 1 : 0) | (ids ? 2 : 0)
    if let r = cache[key] { return r }
    let r = Redactor(secrets: secrets, ids: ids)
    cache[key] = r
    return r
  }

  private static let cacheLock = NSLock()
  // SAFETY: only touched under `cacheLock`.
  nonisolated(unsafe) private static var cache: [Int: Redactor] = [:]

  /// `text` with every secret (and, with ids, every identifier) replaced.
  public func redact(_ text: String) -> String {
    guard isActive else { return text }
    let triggered =
      text.utf8.withContiguousStorageIfAvailable { hasTrigger(UnsafeRawBufferPointer($0)) }
      ?? Array(text.utf8).withUnsafeBytes(hasTrigger)
    guard triggered else { return text }
    var bytes = Array(text.utf8)
    scratchLock.lock()
    let scratch = spareScratch.popLast() ?? MatchScratch(maxCaptures: 4)
    scratchLock.unlock()
    defer {
      scratchLock.lock()
      spareScratch.append(scratch)
      scratchLock.unlock()
    }
    for r in replacements {
      var out: [UInt8] = []
      var start = 0
      var changed = false
      while start <= bytes.count {
        let rest = Array(bytes[start...])
        guard let m = try? r.pattern.firstMatch(in: rest, scratch: scratch),
          let range = m.ranges[r.group] ?? m.ranges[0],
          let whole = m.ranges[0]
        else { break }
        let value = String(decoding: rest[range], as: UTF8.self)
        out += rest[0..<range.lowerBound]
        out += Array(r.with(value).utf8)
        out += rest[range.upperBound..<whole.upperBound]
        start += max(whole.upperBound, range.upperBound, 1)
        changed = true
        if whole.upperBound == 0 { break }
      }
      if changed {
        out += bytes[min(start, bytes.count)...]
        bytes = out
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
