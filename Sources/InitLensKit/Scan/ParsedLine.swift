/// One line with its header understood: what the rules see (`inner`) and what the timeline needs.
public struct ParsedLine {
  public var format: LineFormat = .plain
  /// Wall time, µs since the epoch, UTC.
  public var time: Int64? = nil
  /// Seconds since kernel start (console stamps).
  public var monotonic: Double? = nil
  public var host: String? = nil
  /// syslog identifier (`cloud-init`, `amazon-ecs-init`, `systemd`, `kernel`, …).
  public var ident: String? = nil
  /// journald `_BOOT_ID`, or the id of a `-- Boot … --` separator.
  public var bootID: String? = nil
  public var level: Level? = nil
  public var source: Source = .other
  /// Byte range of the inner line (transport prefix stripped) within the raw line.
  public var inner: Range<Int> = 0..<0
  /// Where the message starts within the inner line: past cloud-init's `… file.py[LEVEL]: ` or the
  /// ECS `… [LEVEL] ` prefix; 0 when the inner line has no such prefix.
  public var messageOffset = 0
  /// The inner line when it is not a slice of the raw line (journal JSON `MESSAGE`).
  public var ownedInner: [UInt8]? = nil
  /// A journalctl separator (`-- Boot … --`, `-- Reboot --`, `-- No entries --`): not a log record.
  public var isSeparator = false
  /// The line had no header of its own (continuation or free text).
  public var headerless = false
  /// Set when the line looked like a structured format but was broken (e.g. invalid JSON).
  public var malformed: String? = nil
  /// A console record cut at 80 columns and read whole at its last piece (`ConsolePaste.swift`): the
  /// whole record, and how many lines before this one it started. Evidence shows it from there.
  public var record: [UInt8]? = nil
  public var recordLinesBefore = 0

  public init() {}

  /// Calls `body` with the inner line's bytes.
  @inline(__always)
  public func withInner<R>(_ line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if let ownedInner { return try ownedInner.withUnsafeBytes(body) }
    return try body(UnsafeRawBufferPointer(rebasing: line[inner]))
  }
}
