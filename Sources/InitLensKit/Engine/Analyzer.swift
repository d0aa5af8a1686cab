import PCRE2Kit

/// Options of one analysis run.
public struct AnalyzerOptions: Sendable {
  /// Year for year-less syslog stamps; when nil: a dated line near the input's start, else the file's
  /// modification year, else `fallbackYear`.
  public var year: Int? = nil
  public var fallbackYear = 2025
  public var inputFormat: InputFormat = .auto
  /// Evidence lines kept per incident.
  public var maxEvidence = 5
  /// Lines longer than this are counted as skipped (`too-long`), never buffered whole.
  public var maxLineBytes = 1 << 20
  public var readBufferBytes = 256 * 1024
  public var usePrefilter = true
  /// Remove secrets (IMDS tokens, AWS keys, passwords) from everything shown of a log (on by default).
  public var redact = true
  /// Also replace account ids, instance ids, IPs and ip-a-b-c-d host names by stable pseudonyms.
  public var redactIDs = false
  /// Time every rule's pattern (`--profile-rules`); costs two clock reads per candidate line and rule.
  public var profileRules = false
  /// What one gzip input may inflate to.
  public var maxInflatedBytes = 8 << 30
  /// Threads that scan one large regular file (0: as many as cores); 1 reads sequentially.
  public var scanThreads = 0
  /// Files smaller than this are read by one thread.
  public var parallelScanBytes = 32 << 20
  /// The size of the ranges those threads take; memory holds a few ranges' candidate lines at most.
  public var parallelChunkBytes = 4 << 20
  /// Evidence text is cut to this many bytes.
  public var maxEvidenceBytes = 2000
  /// The host of inputs that name none when no input names exactly one (fleet: the bundle's name).
  public var defaultHost = "unknown"
  /// When set (and the analyzer has an `onRetire` sink), a named host none of whose examined lines is
  /// newer than this (µs of log time) is finalised while reading: its boots go to the sink and its
  /// state is dropped, so memory does not grow with the number of hosts. For one stream (a journal,
  /// `watch`): a host that shows up again after that is reported with the boots it shows then.
  public var retireAfterMicros: Int64? = nil
  /// Every segment is a boot from its first line (`watch`: `journalctl -f` shows no boot marker), so
  /// hits are folded into incidents at once instead of waiting for the run's end to be placed.
  public var anchorEverySegment = false
  public init() {}
}

/// A problem with an input: `FILE:LINE: message` (line when there is one).
public struct InputDiagnostic: Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int?
  public let message: String
  /// True when part of the input could not be read (exit status 2).
  public let lostInput: Bool
  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}

/// Streams inputs through format detection and the rules, folding matches into incidents.
///
/// One way in (`analyze`), one way out (`finish`): the analyzer never prints.
public final class Analyzer {
  public let rules: [Rule]
  public let options: AnalyzerOptions
  let classifier: Classifier
  let correlator: Correlator
  /// Match memory for the chains' capture conditions, reused for every boot.
  lazy var correlationScratch = MatchScratch(maxCaptures: 8)
  /// Whether lines without any literal may be passed over (not when a rule has no literal at all).
  let passesOver: Bool
  let redactor: Redactor
  /// For each rule, the rule it continues (continuation rules only); the rules that have some.
  let parentRule: [Int?]
  let continued: Set<Int>
  let hasContinuationRules: Bool
  var summary = Summary()
  var inputs: [InputSummary] = []
  var segments: [Int: Segment] = [:]
  var nextSegmentID = 0
  /// Hosts finalised while reading (`retireAfterMicros`), and the clock that decides it.
  let retired = RetiredState()
  /// Warning lines no rule knows, mined into templates (the report's `unmatched`).
  let unmatched = UnmatchedState()
  /// Where boots of retired hosts go; without it no host is retired.
  public var onRetire: ((FinishedBoot) -> Void)? = nil
  /// Called after each hit is folded into an incident of an anchored segment; `true` for its first hit.
  var onFold: ((Segment, Accumulator, Bool) -> Void)? = nil
  var accumulators: [Int: [String: Accumulator]] = [:]  // segment → kind → folded hits
  var pending: [PendingHit] = []
  var pendingVersions: [(segment: Int, time: Int64?, key: String, value: String)] = []
  var pendingEvents: [(segment: Int, item: TimelineItem)] = []
  /// Settings read from configuration inputs (ecs.config), by host ("" when the input names none).
  var configFacts: [String: [String: String]] = [:]
  public internal(set) var diagnostics: [InputDiagnostic] = []

  public init(rules: RuleSet, options: AnalyzerOptions = AnalyzerOptions()) {
    self.rules = rules.rules
    self.options = options
    classifier = Classifier(rules: rules.rules, usePrefilter: options.usePrefilter)
    classifier.profile = options.profileRules
    correlator = Correlator(rules: rules.correlations)
    passesOver = options.usePrefilter && !classifier.hasUnfilteredRules
    redactor = Redactor.shared(secrets: options.redact, ids: options.redactIDs)
    let index = Dictionary(rules.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    parentRule = rules.rules.map { $0.continues.flatMap { index[$0] } }
    continued = Set(parentRule.compactMap { $0 })
    hasContinuationRules = !continued.isEmpty
  }

  /// Per-input state: the parser, the current segment per host, and the previous record, which a
  /// header-less line continues.
  struct Stream {
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
    /// A copy of the last line that was not examined but may carry the context (time, host) a later
    /// header-less candidate line inherits; `last` is stale while it is set.
    var context: [UInt8] = []
    var contextIsNewer = false
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
  }

  /// Reads one input to its end. `name` is what evidence and diagnostics call it.
  public func analyze<S: ByteSource>(name: String, source: inout S, modificationYear: Int? = nil) {
    if ConfigFile.isConfig(name) { return analyzeConfig(name: name, source: &source) }
    var peeking = PeekingSource(inner: source)
    let peeked = peeking.peekYear()
    let head = peeking.head
    let reader = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    head.withUnsafeBytes { sample in
      run(name: name, sample: sample, year: options.year ?? peeked ?? modificationYear ?? options.fallbackYear) {
        stream in
        try reader.forEachLine(&peeking) { line in process(line, &stream) }
      }
    }
  }

  /// Reads an input that is already in memory (a mapped file): the lines are never copied.
  public func analyze(name: String, bytes: UnsafeRawBufferPointer, modificationYear: Int? = nil) {
    if ConfigFile.isConfig(name) {
      var source = MemoryByteSource(Array(bytes))
      return analyzeConfig(name: name, source: &source)
    }
    let sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 64 * 1024)])
    let year =
      options.year ?? PeekingSource<MemoryByteSource>.year(in: sample) ?? modificationYear ?? options.fallbackYear
    let reader = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    run(name: name, sample: sample, year: year) { stream in
      reader.forEachLine(in: bytes) { line in process(line, &stream) }
    }
  }

  /// Reads a live input (a pipe from `journalctl -f`): nothing is read ahead, so every line is
  /// analysed as soon as the source hands it over.
  public func analyzeLive<S: ByteSource>(name: String, source: inout S) {
    let reader = LineReader(initialCapacity: 64 * 1024, maxLineBytes: options.maxLineBytes)
    run(name: name, sample: UnsafeRawBufferPointer(start: nil, count: 0), year: options.year ?? options.fallbackYear) {
      stream in
      try reader.forEachLine(&source) { line in process(line, &stream) }
    }
  }

  /// The common part of reading an input: set up its stream, let `feed` hand it every line (through
  /// `process`), record read errors. `prefilter`: one already built from the input's head.
  /// `shape`: the input's shape when the caller has decided it (else from `sample`, else from the
  /// first lines).
  func run(
    name: String, sample: UnsafeRawBufferPointer, year: Int, prefilter: Prefilter? = nil, shape: InputShape? = nil,
    feed: (inout Stream) throws -> Void
  ) {
    let fileSource = LineParser.source(forFileName: name)
    let prefilter =
      prefilter
      ?? (sample.count < Prefilter.smallInput
        ? Prefilter.shared(literals: classifier.literals, sample: sample)
        : Prefilter(literals: classifier.literals, sample: sample))
    var stream = Stream(
      index: inputs.count, name: name,
      parser: LineParser(forced: options.inputFormat, fileSource: fileSource, year: year), prefilter: prefilter,
      present: LiteralBits(count: classifier.literals.count))
    switch options.inputFormat {
    case .plain, .console, .cloudInit:
      decide(.lines, &stream)  // a forced text format: no JSON, no journal records
    default:
      if let shape = shape ?? InputShape.detect(sample: sample) { decide(shape, &stream) }
    }
    inputs.append(InputSummary(name: name, lines: 0, error: nil))
    defer { inputs[stream.index].lines = stream.lines }
    do {
      try feed(&stream)
    } catch let error as InputError {
      inputs[stream.index].error = error.message
      diagnostics.append(InputDiagnostic(file: name, line: stream.lines + 1, message: error.message, lostInput: true))
    } catch {
      inputs[stream.index].error = "\(error)"
      diagnostics.append(InputDiagnostic(file: name, line: stream.lines + 1, message: "\(error)", lostInput: true))
    }
    if let done = stream.record?.finish() { examineRecord(done, &stream) }
    // An input none of whose lines was examined still shows its host: a healthy instance.
    if stream.current.isEmpty && stream.jsonSegments.isEmpty && stream.last == nil && !stream.context.isEmpty {
      restoreContext(&stream)
    }
  }

  /// Records an input that could not be opened at all.
  public func failed(name: String, message: String) {
    inputs.append(InputSummary(name: name, lines: 0, error: message))
    diagnostics.append(InputDiagnostic(file: name, line: nil, message: message, lostInput: true))
  }

  // MARK: - One line

  func skip(_ reason: String) {
    summary.linesSkipped += 1
    summary.skipped[reason, default: 0] += 1
  }

  /// What the fast path makes of a line, before any header parsing.
  enum Triage {
    case skipped(String)
    /// Not examined; `context` when it may be the record a later header-less line continues.
    case passed(context: Bool)
    case candidate
  }

  /// The fast path, shared by the sequential reader and the parallel scanners: skip reasons, then the
  /// literal prefilter. `bytes` is the line with leading NUL padding removed.
  static func triage(
    _ line: Line, _ prefilter: Prefilter, _ present: inout LiteralBits, usePrefilter: Bool, shape: InputShape
  ) -> (Triage, UnsafeRawBufferPointer) {
    if line.truncated { return (.skipped("too-long"), line.bytes) }
    var bytes = line.bytes
    // A crash can leave NUL padding before the next real line: look past it.
    var lead = 0
    while !line.nulFree, lead < bytes.count, bytes[lead] == 0 { lead += 1 }
    if lead > 0 { bytes = UnsafeRawBufferPointer(rebasing: bytes[lead...]) }
    if !line.nulFree, bytes.count > 0, System.firstByte(0, in: bytes.baseAddress!, count: bytes.count) != nil {
      return (.skipped("binary"), bytes)
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return (.skipped(lead > 0 ? "binary" : "blank"), bytes) }
    var b0 = bytes[0]
    // json-seq puts an RS byte before each object, json-sse `data: ` before each.
    if b0 == 0x1E && shape == .jsonSeq || b0 == 0x64 && shape == .jsonSSE && bytes.hasPrefix("data: ") {
      bytes = UnsafeRawBufferPointer(rebasing: bytes[(b0 == 0x1E ? 1 : 6)...])
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return (.skipped("blank"), bytes) }
      b0 = bytes[0]
    }
    // Candidate lines only: a line with none of the rules' or the engine's literals is counted and
    // passed over without parsing its header (journal JSON is always parsed: its text is escaped).
    // A journal line's `2025-06-25T14:00:00` stamp holds no literal: start past it.
    let from =
      prefilter.skipsISOStamp && bytes.count > 19 && bytes[4] == 0x2D && bytes[10] == 0x54 && bytes[13] == 0x3A
      ? 19 : 0
    if !usePrefilter || b0 == 0x7B && isJSONRecord(bytes, shape) || b0 == 0x2D && bytes.hasPrefix("-- ")
      || prefilter.scan(bytes, from: from, &present)
    {
      return (.candidate, bytes)
    }
    return (.passed(context: mayCarryContext(b0, bytes)), bytes)
  }

  /// Whether a `{` line is read as a JSON record: always in a JSON input; in a text input only when it
  /// looks like one (`{"`), so cloud-init's `{'type': …}` continuation lines stay text.
  @inline(__always)
  static func isJSONRecord(_ bytes: UnsafeRawBufferPointer, _ shape: InputShape) -> Bool {
    shape.isJSON || bytes.byte(1, is: 0x22)
  }

  /// Fixes the input's shape: what the parser and the fast path need to know of it.
  func decide(_ shape: InputShape, _ stream: inout Stream) {
    stream.shape = shape
    stream.shapeDecided = true
    stream.parser.jsonInput = shape.isJSON
    stream.parser.monotonicJournal = shape == .monotonic
    stream.special = shape.isMultiline
    if shape.isMultiline { stream.record = JournalRecord(shape: shape, maxBytes: options.maxLineBytes) }
  }

  func process(_ line: Line, _ stream: inout Stream) {
    summary.linesRead += 1
    stream.lines += 1
    if stream.special {
      if !stream.shapeDecided, let shape = InputShape.detect(line.bytes) { decide(shape, &stream) }
      if stream.record != nil, processRecordLine(line, &stream) { return }
    }
    var (verdict, bytes) = Analyzer.triage(
      line, stream.prefilter, &stream.present, usePrefilter: passesOver, shape: stream.shape)
    // A console paste cut at 80 columns: the parser joins the pieces, so it must read them all.
    if case .passed = verdict, stream.parser.wantsConsolePiece(bytes) { verdict = .candidate }
    switch verdict {
    case .skipped(let reason):
      stream.parser.endConsoleRecord()  // a blank line ends a console record cut at 80 columns
      return skip(reason)
    case .passed(let context):
      summary.linesUnmatched += 1
      if context {
        stream.context.removeAll(keepingCapacity: true)
        stream.context.append(contentsOf: bytes)
        stream.contextIsNewer = true
      }
      return
    case .candidate:
      break
    }
    let jsonLike = bytes[0] == 0x7B && Analyzer.isJSONRecord(bytes, stream.shape)
    let present: LiteralBits? = passesOver && !jsonLike ? stream.present : nil
    var parsed = stream.parser.parse(bytes)
    examine(
      bytes, number: line.number - parsed.recordLinesBefore, &parsed, jsonLike: jsonLike, present: present, &stream)
  }

  /// A line of an input whose records span lines; false when it is no part of one (then it is read
  /// as an ordinary line).
  func processRecordLine(_ line: Line, _ stream: inout Stream) -> Bool {
    if line.truncated {
      guard stream.record!.open else { return false }
      stream.record!.cut()
      skip("too-long")
      return true
    }
    let (done, step) = stream.record!.feed(line.bytes, number: line.number)
    if let done { examineRecord(done, &stream) }
    switch step {
    case .opened: return true  // counted once the record is done
    case .part: skip("record")
    case .blank: skip("blank")
    case .outside: return false
    }
    return true
  }

  /// Reads a finished multi-line record like one `-o json` line, counted on its first line.
  func examineRecord(_ done: JournalRecord.Done, _ stream: inout Stream) {
    if done.tooLong { return skip("too-long") }
    var parsed = ParsedLine()
    done.text.withUnsafeBytes { bytes in
      if let fields = done.fields {
        stream.parser.parseJournalFields(fields, &parsed)
        switch stream.shape {
        case .export: parsed.format = .journalExport
        case .verbose: parsed.format = .journalVerbose
        default: break
        }
      } else {
        parsed.malformed = "not a valid JSON object"
        stream.parser.classifyHeaderless(bytes, &parsed)
      }
      examine(bytes, number: done.firstLine, &parsed, jsonLike: true, present: nil, &stream)
    }
  }

  /// The full path of one record: boots, versions, stage events, rules, folding; counts it as
  /// matched or unmatched. `jsonLike`: its text is JSON (or journal fields), so the literals are
  /// looked for in the decoded message and every line that carries a level goes to the miner.
  func examine(
    _ bytes: UnsafeRawBufferPointer, number: Int, _ parsed: inout ParsedLine, jsonLike: Bool, present: LiteralBits?,
    _ stream: inout Stream
  ) {
    if parsed.isSeparator {
      stream.current.removeAll()
      if let id = parsed.bootID { stream.separatorBoot = .some(id.isEmpty ? nil : id) }
      return skip("separator")
    }
    if let problem = parsed.malformed {
      stream.malformedReported += 1
      if stream.malformedReported <= 10 {
        diagnostics.append(
          InputDiagnostic(
            file: stream.name, line: number, message: "\(problem); read as plain text", lostInput: true))
      }
    }
    if parsed.headerless, parsed.source == .other, bytes.hasPrefix("Linux version ") {
      // A kernel line without a stamp, host or identifier (journalctl -o cat, dmesg -t): it starts a
      // boot all the same.
      parsed.headerless = false
      parsed.source = .kernel
      parsed.ident = "kernel"
      noteBare(&stream)
    }

    // Header-less lines continue the previous record (tracebacks, multi-line agent errors) or at
    // least inherit its time and host (console and journal free text).
    let b0 = bytes.first ?? 0
    var ownTime = parsed.time != nil
    var segmentID: Int
    // A continuation line (indented, a traceback and what follows it up to a line that may be a header)
    // belongs to its record: the triage of the unknown files the record, not each of its lines. The
    // same lines count with and without the prefilter: a line that may carry a header ends the run.
    let continuation =
      parsed.headerless
      && (b0 == 0x20 || b0 == 0x09 || bytes.hasPrefix("Traceback (most recent call last):")
        || stream.lastWasContinuation && !stream.contextIsNewer && !Analyzer.mayCarryContext(b0, bytes))
    stream.lastWasContinuation = continuation
    let contextCame = stream.contextIsNewer
    if parsed.headerless && stream.contextIsNewer { restoreContext(&stream) }
    if parsed.headerless, let last = stream.last {
      ownTime = false
      parsed.time = parsed.time ?? last.time
      parsed.host = parsed.host ?? last.host
      // Not in a journal printed without headers (-o cat): there every line is a record of its own.
      if last.fileFormat, !stream.bareNoted, parsed.source == .other || parsed.source == stream.parser.fileSource {
        parsed.source = last.source
      }
      segmentID = last.segment
      if parsed.time != nil, ownTime == false, parsed.time != last.time { ownTime = true }
    } else {
      segmentID = -1
    }

    let result: Int = parsed.withInner(bytes) { inner in
      let message = UnsafeRawBufferPointer(rebasing: inner[min(parsed.messageOffset, inner.count)...])
      let order = Marker.bootOrder(message, parsed: parsed)
      if segmentID < 0 || order != nil {
        segmentID = segment(for: &parsed, message: message, stream: &stream)
      }
      let seg = segments[segmentID]!
      if order == Marker.cloudInitOrder, seg.cloudInitStart == nil { seg.cloudInitStart = parsed.time }
      noteTimes(seg, parsed: parsed, message: message)
      if parsed.source == .cloudInit, let t = parsed.time, seg.anchored, seg.stageEvents.count < Segment.maxStageEvents,
        let c = message.first, c == 0x73 || c == 0x66 || c == 0x43
      {
        if let event = CloudInitEvent.parse(message: message, time: t, line: number) {
          seg.stageEvents.append(event)
        }
        if let anchor = MonotonicAnchor.parse(message: message, time: t, line: number) {
          seg.anchors.append(anchor)
        }
      }
      var present = present
      if options.usePrefilter && (jsonLike || parsed.ownedInner != nil) {
        // Journal JSON: the escaped raw line says nothing; look for literals in the decoded message
        // (or in the record a console paste cut into pieces).
        _ = stream.prefilter.scan(inner, &stream.present)
        present = stream.present
      }
      if parsed.source == .cloudInit || parsed.source == .other { seg.identity.note(message, present: present) }
      if let (key, value) = Marker.version(message, present: present) {
        if seg.anchored {
          if seg.versions[key] == nil { seg.versions[key] = value }
        } else {
          pendingVersions.append((seg.id, parsed.time, key, value))
        }
      }
      var hits = classifier.classify(inner, source: parsed.source, present: present)
      if redactor.isActive {
        hits = hits.map { Classifier.Hit(rule: $0.rule, captures: $0.captures.mapValues(redactor.redact)) }
      }
      // Continuation rules add to the incident of the record they continue, and to nothing else.
      var applied = 0
      if hasContinuationRules, hits.contains(where: { parentRule[$0.rule] != nil }) {
        let open = parsed.headerless && !contextCame ? stream.openRecord : nil
        hits = hits.filter { hit in
          guard let parent = parentRule[hit.rule] else { return true }
          if let open, open.segment == seg.id, open.rules.contains(parent) {
            addCaptures(hit.captures, rule: parent, segment: seg)
            applied += 1
          }
          return false
        }
      }
      if parsed.headerless {
        if applied == 0 && (contextCame || Analyzer.mayCarryContext(b0, bytes)) { stream.openRecord = nil }
      } else {
        let parents = hits.map(\.rule).filter { continued.contains($0) }
        stream.openRecord = parents.isEmpty ? nil : (parents, seg.id)
      }
      if hits.isEmpty {
        if applied > 0 { return applied }
        // The prefilter already knows which literals the line holds; without it, look (same answer).
        let warns =
          jsonLike
          || present.map { p in Classifier.worthKeepingWordIDs.contains(where: p.contains) }
            ?? Classifier.worthKeepingWords.contains(where: { bytes.contains($0) })
        guard warns, !continuation else { return 0 }
        noteUnmatched(message: message, level: parsed.level, host: parsed.host, bootKey: String(seg.id)) {
          evidenceOf(stream.name, number, jsonLike ? inner : bytes, record: jsonLike, parsed)
        }
        return 0
      }
      let evidence = evidenceOf(stream.name, number, jsonLike ? inner : bytes, record: jsonLike, parsed)
      let dedupe = ownTime ? hashEvent(parsed.time, inner) : nil
      for hit in hits {
        if rules[hit.rule].isEvent {
          note(event: hit, segment: seg, time: parsed.time, origin: Origin(file: stream.name, line: number))
        } else {
          fold(hit, segment: seg, time: parsed.time, evidence: evidence, dedupe: dedupe)
        }
      }
      return hits.count
    }
    if result > 0 { summary.linesMatched += 1 } else { summary.linesUnmatched += 1 }
    let fileFormat: Bool
    switch parsed.format {
    case .cloudInit, .ecsLegacy, .ecsLogfmt, .plain: fileFormat = true
    default: fileFormat = false
    }
    stream.last = (
      parsed.time, parsed.host, parsed.source, segmentID,
      fileFormat || (stream.last?.fileFormat ?? false) && parsed.headerless
    )
    stream.contextIsNewer = false
    if let t = parsed.time, options.retireAfterMicros != nil, onRetire != nil {
      noteClock(t, host: parsed.host, &stream)
    }
  }

  /// Says once per input that its lines carry no host or time of their own (journalctl -o cat): the
  /// report still stands, boots told by their markers and times by the messages' own stamps.
  func noteBare(_ stream: inout Stream) {
    guard !stream.bareNoted else { return }
    stream.bareNoted = true
    diagnostics.append(
      InputDiagnostic(
        file: stream.name, line: nil,
        message:
          "lines without host or time (journalctl -o cat?): boots are told by their markers and times by the messages' own stamps; for hosts and times use journalctl -o short-iso or -o json",
        lostInput: false))
  }

  /// Whether a line that was not examined may be the record a later header-less line continues: it
  /// starts like a header (a date, a month, a console stamp, logfmt, a banner, a colour code).
  static func mayCarryContext(_ b0: UInt8, _ bytes: UnsafeRawBufferPointer) -> Bool {
    switch b0 {
    case 0x30...0x39, 0x41...0x5A, 0x5B, 0x6C, 0x63, 0x23, 0x1B: return true
    default: return false
    }
  }

  /// Makes the remembered unexamined line the previous record: parse its header and find its segment
  /// (without opening one: it was no boot marker, or it would have been examined).
  func restoreContext(_ stream: inout Stream) {
    stream.contextIsNewer = false
    let copy = stream.context
    copy.withUnsafeBytes { bytes in
      var parser = stream.parser
      var parsed = parser.parse(bytes)
      guard !parsed.headerless || parsed.time != nil else { return }
      var segment = stream.current[parsed.host ?? ""] ?? stream.last?.segment
      if segment == nil {
        // The first record of the input: it opens the (unanchored) segment it belongs to.
        segment = self.segment(for: &parsed, message: UnsafeRawBufferPointer(start: nil, count: 0), stream: &stream)
      }
      guard let segment else { return }
      if let t = parsed.time, let seg = segments[segment], seg.firstTime == nil || t < seg.firstTime! {
        seg.firstTime = t
      }
      let fileFormat: Bool
      switch parsed.format {
      case .cloudInit, .ecsLegacy, .ecsLogfmt, .plain: fileFormat = true
      default: fileFormat = false
      }
      stream.last = (parsed.time ?? stream.last?.time, parsed.host, parsed.source, segment, fileFormat)
    }
  }

  /// The segment a line with a header belongs to, opening a new one at a boot boundary.
  func segment(for parsed: inout ParsedLine, message: UnsafeRawBufferPointer, stream: inout Stream) -> Int {
    let hostKey = parsed.host ?? ""
    if let boot = parsed.bootID {
      let key = hostKey + "\u{1}" + boot
      if let id = stream.jsonSegments[key] { return id }
      let id = newSegment(stream, host: parsed.host, bootID: boot, anchored: true, order: -1, time: parsed.time)
      stream.jsonSegments[key] = id
      return id
    }
    let order = Marker.bootOrder(message, parsed: parsed)
    if let id = stream.current[hostKey] {
      let seg = segments[id]!
      guard let order else { return id }
      if seg.bootID != nil || seg.anchored && seg.markerOrder < order
        || seg.anchored && order == Marker.journalOrder && seg.markerOrder == Marker.journalOrder
      {
        if seg.markerOrder < order {
          seg.markerOrder = order
          if seg.markerTime == nil { seg.markerTime = parsed.time }
        }
        return id
      }
    } else if case .some(let boot) = stream.separatorBoot {
      // After a journalctl "-- Boot … --" separator, every host's lines start a new boot.
      let id = newSegment(
        stream, host: parsed.host, bootID: boot, anchored: true, order: order ?? -1, time: parsed.time)
      stream.current[hostKey] = id
      return id
    }
    let id = newSegment(
      stream, host: parsed.host, bootID: nil, anchored: order != nil || options.anchorEverySegment, order: order ?? -1,
      time: order != nil ? parsed.time : nil)
    stream.current[hostKey] = id
    return id
  }

  func newSegment(_ stream: Stream, host: String?, bootID: String?, anchored: Bool, order: Int, time: Int64?) -> Int {
    let seg = Segment(
      id: nextSegmentID, stream: stream.index, host: host, bootID: bootID, anchored: anchored, markerOrder: order,
      markerTime: time)
    nextSegmentID += 1
    segments[seg.id] = seg
    return seg.id
  }

  func noteTimes(_ seg: Segment, parsed: ParsedLine, message: UnsafeRawBufferPointer) {
    guard let t = parsed.time else { return }
    if seg.firstTime == nil || t < seg.firstTime! { seg.firstTime = t }
    let mono = Marker.uptime(message) ?? parsed.monotonic
    if let mono, mono >= 0, mono < 10 * 365 * 86400 {
      let ks = t - Int64(mono * 1_000_000)
      if seg.kernelStart == nil || ks < seg.kernelStart! { seg.kernelStart = ks }
    }
  }

  func fold(_ hit: Classifier.Hit, segment seg: Segment, time: Int64?, evidence: Evidence, dedupe: Int?) {
    if seg.anchored {
      let kind = rules[hit.rule].kind
      let existing = accumulators[seg.id]?[kind]
      let acc = existing ?? Accumulator(kind: kind)
      accumulators[seg.id, default: [:]][kind] = acc
      acc.add(
        rule: hit.rule, time: time, captures: hit.captures, evidence: evidence, dedupe: dedupe,
        maxEvidence: options.maxEvidence)
      onFold?(seg, acc, existing == nil)
    } else {
      pending.append(
        PendingHit(
          segment: seg.id, rule: hit.rule, time: time, captures: hit.captures, evidence: evidence, dedupe: dedupe))
    }
  }

  /// Captures of a continuation line, added to what the incident of `rule` in `seg` does not have yet.
  func addCaptures(_ captures: [String: String], rule: Int, segment seg: Segment) {
    if seg.anchored {
      guard let acc = accumulators[seg.id]?[rules[rule].kind] else { return }
      for (k, v) in captures where acc.captures[k] == nil { acc.captures[k] = v }
    } else if let i = pending.lastIndex(where: { $0.segment == seg.id && $0.rule == rule }) {
      for (k, v) in captures where pending[i].captures[k] == nil { pending[i].captures[k] = v }
    }
  }

  func note(event hit: Classifier.Hit, segment seg: Segment, time: Int64?, origin: Origin) {
    let rule = rules[hit.rule]
    let item = TimelineItem(
      time: time, kind: rule.kind, summary: Analyzer.fill(rule.summary ?? rule.title, hit.captures), origin: origin)
    if seg.anchored {
      if seg.events.count < Segment.maxEvents { seg.events.append(item) }
    } else if pendingEvents.count < 100_000 {
      pendingEvents.append((seg.id, item))
    }
  }

  /// The evidence of a line: the line itself, or the whole console record a paste cut into pieces
  /// (from its first line).
  func evidenceOf(
    _ file: String, _ line: Int, _ bytes: UnsafeRawBufferPointer, record: Bool, _ parsed: ParsedLine
  ) -> Evidence {
    guard let pasted = parsed.record else {
      return Evidence(file: file, line: line, text: evidenceText(bytes, record: record, parsed))
    }
    return Evidence(file: file, line: line, text: pasted.withUnsafeBytes { evidenceText($0, record: false, parsed) })
  }

  /// What evidence shows of a line: the line as it is, without terminal escapes; of a journal record
  /// (JSON, export, verbose: `bytes` is then its decoded message), `IDENTIFIER: MESSAGE`, not the raw record.
  func evidenceText(_ bytes: UnsafeRawBufferPointer, record: Bool, _ parsed: ParsedLine) -> String {
    let n = min(bytes.count, options.maxEvidenceBytes)
    let cut = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
    var text = Escapes.stripped(cut).map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: cut, as: UTF8.self)
    if record, let ident = parsed.ident { text = ident + ": " + text }
    text = redactor.redact(text)
    if n < bytes.count { text += "…" }
    return text
  }

  func hashEvent(_ time: Int64?, _ inner: UnsafeRawBufferPointer) -> Int {
    var h = Hasher()
    h.combine(time ?? -1)
    h.combine(bytes: inner)
    return h.finalize()
  }

  /// One rule's work in this run, for `--profile-rules`.
  public struct RuleProfile: Sendable {
    public let rule: String
    /// Lines that reached the rule's pattern (passed the source filter and the prefilter).
    public let candidates: Int
    public let matches: Int
    public let limitHits: Int
    /// Nanoseconds in the rule's pattern (measured only with `profileRules`).
    public let nanoseconds: UInt64
  }

  /// Every rule's counters, sorted by time spent, then candidates.
  public var ruleProfile: [RuleProfile] {
    rules.indices.map { i in
      RuleProfile(
        rule: rules[i].id, candidates: classifier.candidates[i], matches: classifier.matches[i],
        limitHits: classifier.limitHits[i], nanoseconds: classifier.nanoseconds[i])
    }.sorted { ($1.nanoseconds, $1.candidates, $0.rule) < ($0.nanoseconds, $0.candidates, $1.rule) }
  }

  /// Per-rule counters for `--profile-rules` and the summary.
  public var ruleLimitHits: [String: Int] {
    var out: [String: Int] = [:]
    for (i, n) in classifier.limitHits.enumerated() where n > 0 { out[rules[i].id] = n }
    return out
  }
}

/// Serves the first block of a source twice: once to look for a year, then to the line reader.
struct PeekingSource<Inner: ByteSource>: ByteSource {
  var inner: Inner
  var head: [UInt8] = []
  var headOffset = 0
  var peeked = false
  /// A read error met while peeking, raised once the peeked bytes are served.
  var peekError: InputError? = nil

  init(inner: Inner) { self.inner = inner }

  /// The year of the first full date (`2025-06-25`, or RFC 2822 `25 Jun 2025`) in the first 64 KiB.
  mutating func peekYear() -> Int? {
    peeked = true
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var filled = 0
    while filled < buffer.count {
      let n: Int
      do {
        n = try buffer.withUnsafeMutableBytes { b throws(InputError) in
          try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: b[filled...]))
        }
      } catch let error as InputError {
        peekError = error
        break
      } catch {
        peekError = InputError("\(error)")
        break
      }
      if n == 0 { break }
      filled += n
    }
    head = Array(buffer[0..<filled])
    return head.withUnsafeBytes { PeekingSource.year(in: $0) }
  }

  /// The year of the first full date (`2025-06-25`, or RFC 2822 `25 Jun 2025`) in `p`.
  static func year(in p: UnsafeRawBufferPointer) -> Int? {
    var i = 0
    while i + 10 <= p.count {
      if p[i] == 0x32 || p[i] == 0x31, let (y, _, _) = p.isoDate(i), (1990...2100).contains(y) { return y }
      if p[i] == 0x20, Timestamp.month(p, i + 1) != nil, p.byte(i + 4, is: 0x20), let y = p.digits(i + 5, 4),
        (1990...2100).contains(y), p.byte(i + 9, is: 0x20)
      {
        return y
      }
      i += 1
    }
    return nil
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if headOffset < head.count {
      let n = min(buffer.count, head.count - headOffset)
      head.withUnsafeBytes { h in buffer.baseAddress!.copyMemory(from: h.baseAddress! + headOffset, byteCount: n) }
      headOffset += n
      return n
    }
    if let peekError {
      self.peekError = nil
      throw peekError
    }
    return try inner.read(into: buffer)
  }
}
