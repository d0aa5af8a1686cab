/// Per-input state: the parser, the current segment per host, and the previous record, which a
/// header-less line continues.
struct InputStream {
  let index: Int
  let name: String
  var parser: LineParser
  var current: [String: Int] = [:]
  var jsonSegments: [String: Int] = [:]
  var separatorBoot: String?? = nil
  var last: (time: Int64?, host: String?, source: Source, segment: Int, fileFormat: Bool)? = nil
  var lines = 0
  var malformedReported = 0
  let prefilter: Prefilter
  var present: LiteralBits
  /// A copy of the last line passed over with the header template's header: the record (time,
  /// source) a later header-less candidate line inherits; `last` is stale while it is set.
  var context: [UInt8] = []
  var contextIsNewer = false
  /// The header of the last examined line: a later line with the same header (host, kind of stamp)
  /// is passed over, any other line that may carry a header is examined (`HeaderTemplate`).
  /// (`.none` when there is none: an optional was copied at every line.)
  var template = HeaderTemplate.none
  /// The template line's host, and the latest time of the lines passed over with its header (for
  /// retiring quiet hosts: `notePassedClock`).
  var templateHost: String? = nil
  var templateSeen = Int64.min
  /// Whether hosts are retired while this input is read (`BootBuilder.retires`, asked once), and the
  /// last ISO stamp a passed-over line's time was read from, with that time (`HeaderTemplate.clockTime`).
  var retires = false
  var stampWords: (UInt64, UInt64, UInt64) = (0, 0, 0)
  var stampTime: Int64? = nil
  /// Whether the last examined line continued a record (a traceback, an indented journal line).
  var lastWasContinuation = false
  /// The rules (with continuation rules) that matched the record whose header-less lines may follow.
  var openRecord: (rules: [Int], segment: Int)? = nil
  /// How the input lays out its records; `.lines` until decided (`shapeDecided`).
  var shape: InputShape = .lines
  var shapeDecided = false
  /// Whether a line needs more than the per-line path: the shape is not decided yet, or records
  /// span lines (then `record` gathers them).
  var special = true
  var record: JournalRecord? = nil
  /// The input has no host or time of its own (journalctl -o cat): said once.
  var bareNoted = false

  /// Fixes the input's shape: what the parser and the fast path need to know of it.
  mutating func decide(_ shape: InputShape, maxLineBytes: Int) {
    self.shape = shape
    shapeDecided = true
    parser.jsonInput = shape.isJSON
    parser.monotonicJournal = shape == .monotonic
    special = shape.isMultiline
    if shape.isMultiline { record = JournalRecord(shape: shape, maxBytes: maxLineBytes) }
  }
}
