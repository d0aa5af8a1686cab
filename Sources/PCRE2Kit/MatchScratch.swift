import CPCRE2

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
    jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
    if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
  }

  deinit {
    pcre2_match_data_free_8(matchData)
    pcre2_match_context_free_8(context)
    if let jitStack { pcre2_jit_stack_free_8(jitStack) }
  }
}
