import Foundation
import PCRE2Kit
import Testing

@Suite struct PatternTests {
  let scratch = MatchScratch()

  func captures(_ pattern: Pattern, _ line: String) throws -> [String: String]? {
    let bytes = Array(line.utf8)
    return try bytes.withUnsafeBytes { p in
      try pattern.firstMatch(in: p, scratch: scratch).map { pattern.namedCaptures($0, in: p) }
    }
  }

  @Test func namedCapturesAreReturnedByName() throws {
    let p = try Pattern(#"failed \[(?<elapsed>\d+)/(?<max>\d+)s\]: bad status code \[(?<status>\d{3})\]"#)
    let c = try captures(p, "Calling 'x' failed [0/120s]: bad status code [503]")
    #expect(c == ["elapsed": "0", "max": "120", "status": "503"])
    #expect(p.names.map(\.name) == ["elapsed", "max", "status"])
    #expect(try captures(p, "Read from x (200, 56b) after 1 attempts") == nil)
  }

  @Test func unsetOptionalGroupIsLeftOut() throws {
    let p = try Pattern(#"code (?<a>\d+)(?: retry (?<b>\d+))?"#)
    #expect(try captures(p, "code 5") == ["a": "5"])
  }

  @Test func compileErrorCarriesPCRE2MessageAndOffset() {
    do {
      _ = try Pattern("abc(def")
      Issue.record("expected a compile error")
    } catch {
      #expect(error.kind == .compile)
      #expect(error.offset == 7)
      #expect(error.message.contains("missing closing parenthesis"))
    }
    do {
      _ = try Pattern("a[b")
      Issue.record("expected a compile error")
    } catch {
      #expect(error.message.contains("missing terminating ]"))
      #expect(error.offset == 3)
    }
  }

  @Test func invalidUTF8SubjectIsSafeAndStillMatches() throws {
    let p = try Pattern(#"status (?<code>\d+)"#)
    var bytes: [UInt8] = [0xFF, 0xFE, 0xC3] + Array(" status 503 ".utf8) + [0xE2, 0x82]
    let c = try bytes.withUnsafeBytes { b in
      try p.firstMatch(in: b, scratch: scratch).map { p.namedCaptures($0, in: b) }
    }
    #expect(c == ["code": "503"])
    bytes = [0x80, 0x80, 0x80]
    #expect(try p.firstMatch(in: bytes, scratch: scratch) == nil)
  }

  @Test func jitAndInterpreterAgree() throws {
    let patterns = [
      #"IMDS's HTTP endpoint is (?<what>probably disabled)"#, #"StatusCode: (?<s>\d{3})"#, #"^\s*(?<w>\w+)$"#,
    ]
    let lines = [
      "DataSourceEc2.py[WARNING]: IMDS's HTTP endpoint is probably disabled", "http response error StatusCode: 404, x",
      "  word", "nothing here", "",
    ]
    for source in patterns {
      let jit = try Pattern(source, options: .init(jit: true))
      let interp = try Pattern(source, options: .init(jit: false))
      #expect(!interp.isJIT)
      if Pattern.jitAvailable { #expect(jit.isJIT) }
      for line in lines {
        let a = try jit.firstMatch(in: Array(line.utf8), scratch: scratch)
        let b = try interp.firstMatch(in: Array(line.utf8), scratch: scratch)
        #expect(a == b, "\(source) on \(line)")
      }
    }
  }

  @Test func runawayPatternHitsTheLimitInsteadOfHanging() throws {
    let p = try Pattern(#"^(a+)+$"#, options: .init(jit: false))
    let tight = MatchScratch(limits: .init(match: 10_000, depth: 1_000))
    let subject = Array(String(repeating: "a", count: 40).utf8) + [0x21]
    do {
      _ = try p.firstMatch(in: subject, scratch: tight)
      Issue.record("expected the match limit")
    } catch {
      #expect(error.kind == .limit)
    }
  }

  @Test func emptySubject() throws {
    let p = try Pattern("^$")
    #expect(try p.firstMatch(in: [], scratch: scratch) != nil)
  }

  /// Scratches hand their JIT stacks on to the next ones (`JITStacks`): stacks reused across threads,
  /// by scratches made and dropped by the hundred, must still match right.
  @Test func jitStacksAreReusedSafelyAcrossThreads() throws {
    let pattern = try Pattern(#"bad status code \[(?<status>\d+)\]"#)
    let subject = Array("Calling 'http://169.254.169.254/latest/api/token' failed [0/1s]: bad status code [503]".utf8)
    let failures = Counter()
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<200 {
        let scratch = MatchScratch(maxCaptures: 2)
        let got = subject.withUnsafeBytes { p in
          (try? pattern.firstMatch(in: p, scratch: scratch)).flatMap { $0 }.map { pattern.namedCaptures($0, in: p) }
        }
        if got?["status"] != "503" { failures.add() }
      }
    }
    #expect(failures.value == 0)
  }
}

/// A thread-safe count for the test above.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var n = 0
  func add() {
    lock.lock()
    n += 1
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return n
  }
}
