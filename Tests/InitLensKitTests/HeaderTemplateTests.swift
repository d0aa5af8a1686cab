import Foundation
import TestSupport
import Testing

@testable import InitLensKit

/// The word-at-a-time check of a short-iso template (`matchesISO`) must say what the parser's checks
/// (`matchesAny`) say: the fast path passes over a line only when the full path would read the
/// template's header in it (a line with another zone is examined, though the parser ignores it).
@Suite struct HeaderTemplateTests {
  static let templates = [
    "2025-06-25T14:58:01+0000 ip-10-0-165-243 amazon-ssm-agent[1385]: INFO [amazon-ssm-agent] worker health",
    "2025-06-25T14:58:01+0000 ip-10-0-165-243 kernel: [36.388163] ena 0000:00:05.0: ENA device version: 0.10",
    "2025-06-25T23:59:59Z h systemd[1]: Started Session 4 of User ec2-user.",
    "2025-06-25T00:00:00+00:00 ip-172-31-1-1.ec2.internal.example.com.very-long-name x: a message long enough",
  ]

  /// Bytes a header is made of, and the ones its checks look for.
  static let alphabet = Array("0123456789:[]- .+Zab".utf8)

  func lines(from template: String, _ rng: inout SplitMix) -> [[UInt8]] {
    let base = Array(template.utf8)
    var out: [[UInt8]] = [base]
    for _ in 0..<4000 {
      var line = base
      // One to three bytes changed anywhere in the first 80, sometimes one inserted or removed.
      for _ in 0...(rng.next() % 3) {
        let at = Int(rng.next() % UInt64(min(80, line.count)))
        switch rng.next() % 6 {
        case 0: line.insert(Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))], at: at)
        case 1: line.remove(at: at)
        default: line[at] = Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
        }
      }
      out.append(line)
    }
    return out
  }

  @Test(arguments: templates.indices)
  func wordChecksAgreeWithTheParsersChecks(_ index: Int) throws {
    let text = Array(Self.templates[index].utf8)
    let template = try #require(text.withUnsafeBytes { HeaderTemplate.of($0) })
    // The last template's host is too long for the word checks: `matches` uses the parser's checks.
    #expect(template.fastISO == (index < Self.templates.count - 1))
    var rng = SplitMix(seed: UInt64(index) + 1)
    var agreed = (matching: 0, differing: 0)
    for line in lines(from: Self.templates[index], &rng) {
      line.withUnsafeBytes { p in
        guard p.count >= template.identStart + 16 else { return }
        let fast = template.matches(p)
        let parser = template.matchesAny(p)
        // Where the message starts, as the parser finds it.
        #expect(template.match(p) == (fast ? template.colonEnd(p) : -1))
        // The word checks compare the zone too (the parser reads any zone): another zone is examined.
        let sameZone = line[19..<template.stampEnd] == text[19..<template.stampEnd]
        #expect(fast == parser || !fast && !sameZone, "\(String(decoding: line, as: UTF8.self))")
        if parser { agreed.matching += 1 } else { agreed.differing += 1 }
      }
    }
    // Both outcomes are exercised.
    #expect(agreed.matching > 100 && agreed.differing > 100, "\(agreed)")
  }

  @Test func identifiersFoundWordByWordAsTheParserFindsThem() {
    var rng = SplitMix(seed: 99)
    let pieces = ["sshd", "[", "]", ":", " ", "12", "x", "systemd-networkd", "a:b"]
    for _ in 0..<20000 {
      var text = ""
      for _ in 0..<(1 + rng.next() % 8) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
      if rng.next() % 4 == 0 { text += String(repeating: "y", count: Int(rng.next() % 90)) }
      let bytes = Array(text.utf8)
      bytes.withUnsafeBytes { p in
        #expect(
          HeaderTemplate.identifierEnd(p, 0) == LineParser.identifierEnd(p, 0, requirePID: false)?.colon ?? -1,
          "\(text)")
      }
    }
  }

  @Test func stampMaskConstantsAreTheStampsShape() {
    for (offset, constant) in [(0, Prefilter.stampMasks0), (8, Prefilter.stampMasks8), (11, Prefilter.stampMasks11)] {
      let computed = Prefilter.stampMasks(offset)
      #expect(constant.sepMask == computed.sepMask && constant.sepValue == computed.sepValue)
      #expect(constant.digitMask == computed.digitMask, "offset \(offset)")
    }
  }

  /// A passed-over line's time is its stamp's unless `messageMayCarryTime` says its message may
  /// carry one: then the scanners hand the line itself to the replay.
  @Test func messagesWithTheirOwnTimeAreToldApart() throws {
    let head = "2025-06-25T14:58:01+0000 ip-10-0-0-9 cloud-init[1502]: "
    let template = try #require(Array((head + "x").utf8).withUnsafeBytes { HeaderTemplate.of($0) })
    let messages = [
      "2025-06-25 14:58:01,470 - util.py[WARNING]: x", "2020-01-24T20:19:09Z [WARN] x",
      "1749224150222807666 [Error] format error", "level=info time=2025-02-04T07:02:20Z msg=x",
      "Cloud-init v. 22.2.2 running 'init' at Wed, 25 Jun 2025 15:58:00 +0000. Up 5.10 seconds.",
      "\u{1B}[0;32m2025-06-25 15:00:01,470 - util.py[DEBUG]: x", "FALLBACK: level=info time=2025-02-04T07:02:20Z",
      "#033[0m2025-06-25 15:00:01,470 - util.py[DEBUG]: x", "Created slice user-1000.slice.", "Finished x.",
      "169.254.169.254 is reachable", "level: none", "Cloud-init said hello", "[36.388163] ena 0000:00:05.0",
      "level=info time=2025-06-25T16:00:00Z msg=x", "level=info time=bad msg=x",
      "level=warn msg=x time=2025-06-25T16:00:00Z",
      "FALLBACK: x", "Found x", "#033[0m plain", "\u{1B}[1m2025-06-25T16:00:00Z [WARN] x",
    ]
    var parser = LineParser(year: 2025)
    for message in messages {
      let line = Array((head + message).utf8)
      line.withUnsafeBytes { p in
        let colon = template.match(p)
        #expect(colon >= 0)
        let stamp = p.rfc3339(0)?.0
        if !template.messageMayCarryTime(p, colon) {
          #expect(parser.parse(p).time == stamp, "\(message)")
          #expect(template.time(p, year: 0) == stamp)
        }
        // What a scanner hands the replay: the parser's time, or nothing (then it hands the line).
        var cache: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var cached: Int64? = nil
        if let t = template.clockTime(p, colon: colon, &cache, &cached) {
          #expect(t == parser.parse(p).time, "\(message)")
        }
      }
    }
  }
}
