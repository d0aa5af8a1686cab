import CPCRE2
import Foundation

/// Per-thread scratch for matching: match data, a match context with limits, and a JIT stack.
///
/// SAFETY: not thread-safe. Create one per worker and reuse it for every line that worker matches;
/// it is never shared. It is sized for the largest pattern it will be used with.
public final class MatchScratch {
  /// Limits that keep a runaway pattern from hanging a run.
  public struct Limits: Sendable {
    /// PCRE2 match limit (backtracking steps).
    public var match: UInt32
    /// PCRE2 depth limit (interpreter only; the JIT uses its stack size).
    public var depth: UInt32
    public init(match: UInt32 = 1_000_000, depth: UInt32 = 10_000) {
      self.match = match
      self.depth = depth
    }
  }

  let matchData: OpaquePointer
  let context: OpaquePointer
  let jitStack: OpaquePointer?

  /// - Parameter maxCaptures: the largest capture count among the patterns this scratch serves.
  public init(maxCaptures: Int = 32, limits: Limits = Limits()) {
    matchData = pcre2_match_data_create_8(UInt32(maxCaptures + 1), nil)!
    context = pcre2_match_context_create_8(nil)!
    pcre2_set_match_limit_8(context, limits.match)
    pcre2_set_depth_limit_8(context, limits.depth)
    jitStack = JITStacks.take()
    if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
  }

  deinit {
    pcre2_match_data_free_8(matchData)
    pcre2_match_context_free_8(context)
    if let jitStack { JITStacks.give(jitStack) }
  }
}

/// JIT stacks of scratches that went away, for the next ones. A stack is 1 MiB mapped on creation and
/// unmapped when freed, and each unmap flushes the TLB of every core; a fleet makes scratches for every
/// bundle, so stacks are kept (a few) and reused. A stack serves one match at a time, whoever runs it.
enum JITStacks {
  private static let lock = NSLock()
  // SAFETY: only touched under `lock`; the stacks are handed out to one scratch at a time.
  nonisolated(unsafe) private static var spare: [OpaquePointer] = []
  static let maxSpare = 16

  static func take() -> OpaquePointer? {
    lock.lock()
    let reused = spare.popLast()
    lock.unlock()
    return reused ?? pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
  }

  static func give(_ stack: OpaquePointer) {
    lock.lock()
    let kept = spare.count < maxSpare
    if kept { spare.append(stack) }
    lock.unlock()
    if !kept { pcre2_jit_stack_free_8(stack) }
  }
}
