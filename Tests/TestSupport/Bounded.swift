import Foundation
import Testing

/// SAFETY: written once by the worker thread before it signals, read after the wait.
public final class ResultBox<T>: @unchecked Sendable {
  public var value: T?
  public init() {}
}

/// Runs `work` on its own thread and waits at most `seconds`: a hang becomes a test failure, not a
/// stuck test run (the runaway thread is left behind and dies with the process).
public func bounded<T: Sendable>(
  _ seconds: Double, sourceLocation: SourceLocation = #_sourceLocation, _ work: @escaping @Sendable () -> T
) -> T? {
  let box = ResultBox<T>()
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    box.value = work()
    done.signal()
  }
  thread.stackSize = 8 << 20
  thread.start()
  if done.wait(timeout: .now() + seconds) == .timedOut {
    Issue.record("did not finish within \(seconds) s", sourceLocation: sourceLocation)
    return nil
  }
  return box.value
}
