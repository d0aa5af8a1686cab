import Foundation
import Testing

@testable import InitLensKit

/// The prefilter must report exactly the literals a line holds, wherever they stand: at the start, at
/// the end, in the last bytes the eight-wide loop leaves to the tail, overlapping one another.
@Suite struct PrefilterTests {
  /// The literals `line` holds, found the slow way, and where the first of any starts.
  static func naive(_ literals: [[UInt8]], _ line: [UInt8]) -> (Set<Int>, firstStart: Int) {
    var out: Set<Int> = []
    var first = line.count
    for (i, lit) in literals.enumerated() where lit.count <= line.count {
      for start in 0...(line.count - lit.count) where Array(line[start..<(start + lit.count)]) == lit {
        out.insert(i)
        first = min(first, start)
      }
    }
    return (out, first)
  }

  @Test(arguments: [1, 2, 3])
  func randomLinesGiveExactlyTheLiteralsTheyHold(seed: UInt64) {
    var rng = SplitMix(seed: seed)
    let alphabet = Array("abcdeERROR: []-=fail".utf8)
    for _ in 0..<200 {
      let literals = (0..<Int(rng.next() % 12 + 1)).map { _ in
        (0..<Int(rng.next() % 6 + 2)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      }
      let sample = (0..<Int(rng.next() % 300)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      let prefilter = sample.withUnsafeBytes { Prefilter(literals: literals, sample: $0) }
      var present = LiteralBits(count: literals.count)
      for _ in 0..<50 {
        var line = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        // Plant a literal at the start, the end or anywhere.
        let lit = literals[Int(rng.next() % UInt64(literals.count))]
        switch rng.next() % 3 {
        case 0: line = lit + line
        case 1: line += lit
        default:
          let at = Int(rng.next() % UInt64(line.count + 1))
          line.insert(contentsOf: lit, at: at)
        }
        // `from`: the caller's promise that no literal starts before it (an ISO stamp).
        let (want, firstStart) = Self.naive(literals, line)
        let from = rng.next() % 4 == 0 ? Int(rng.next() % UInt64(firstStart + 1)) : 0
        let any = line.withUnsafeBytes { prefilter.scan($0, from: from, &present) }
        let found = Set(literals.indices.filter { present.contains($0) })
        #expect(found == want, "line \(String(decoding: line, as: UTF8.self)) from \(from)")
        #expect(any == !want.isEmpty)
      }
    }
  }
}
