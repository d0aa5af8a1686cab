/// One run's pipeline, and its one way in and one way out:
///
///     ByteSource → LineReader → RecordReader → Examiner → BootBuilder → BootAssembler → ReportSink
///     (bytes)      (lines)      (shape, fast   (segment,   (hosts ×     (incidents,     (text, JSON,
///                               path, header)  rules)      boots)       root causes)    HTML, …)
///
/// `analyze…` feed inputs (`Inputs.swift` opens files, gzip and stdin; large files are scanned in
/// parallel, `ParallelScan.swift`); `finish` builds the report of what is left and hands it to the sink.
/// Nothing here prints.
public final class Analyzer {
  public let rules: [Rule]
  public let options: AnalyzerOptions
  let classifier: Classifier
  let tally = RunTally()
  let assembler: BootAssembler
  let builder: BootBuilder
  let examiner: Examiner
  let reader: RecordReader
  /// The host of the lines that name none in the inputs read from now on (`RecordReader.inputHost`).
  public var inputHost: String? {
    get { reader.inputHost }
    set { reader.inputHost = newValue }
  }

  public init(rules: RuleSet, options: AnalyzerOptions = AnalyzerOptions()) {
    self.rules = rules.rules
    self.options = options
    classifier = Classifier(rules: rules.rules, usePrefilter: options.usePrefilter)
    classifier.profile = options.profileRules
    let redactor = Redactor.shared(secrets: options.redact, ids: options.redactIDs)
    assembler = BootAssembler(
      rules: rules.rules, options: options, correlator: Correlator(rules: rules.correlations), tally: tally)
    builder = BootBuilder(rules: rules.rules, options: options, redactor: redactor, assembler: assembler)
    examiner = Examiner(
      rules: rules.rules, options: options, tally: tally, builder: builder, classifier: classifier, redactor: redactor)
    reader = RecordReader(options: options, tally: tally, examiner: examiner, builder: builder, classifier: classifier)
  }

  /// Where boots finished while reading go: set it before reading. With a sink that takes boots early
  /// and `retireAfterMicros`, quiet hosts are finalised while reading, so memory stays flat.
  public var sink: ReportSink? {
    get { builder.sink }
    set { builder.sink = newValue }
  }

  /// Problems with the inputs so far, in the order met.
  public var diagnostics: [InputDiagnostic] { tally.diagnostics }

  /// Reads one input to its end. `name` is what evidence and diagnostics call it.
  public func analyze<S: ByteSource>(name: String, source: inout S, modificationYear: Int? = nil) {
    if ConfigFile.isConfig(name) { return reader.readConfig(name: name, source: &source) }
    var peeking = PeekingSource(inner: source)
    let peeked = peeking.peekYear()
    let head = peeking.head
    let binary = head.withUnsafeBytes { BinarySniff.isBinary($0) ? BinarySniff.describe($0) : nil }
    let matchedBefore = tally.summary.linesMatched
    defer { if let binary { noteBinary(name: name, binary, matchedBefore: matchedBefore) } }
    if let kind = head.withUnsafeBytes(consoleOutputKind) {
      return analyzeConsoleOutput(name: name, kind: kind, source: &peeking, modificationYear: modificationYear)
    }
    if head.withUnsafeBytes(isCloudWatchLogs) {
      return analyzeCloudWatchLogs(name: name, source: &peeking, modificationYear: modificationYear)
    }
    if head.withUnsafeBytes(isCloudWatchExport) {
      return analyzeCloudWatchExport(name: name, source: &peeking, modificationYear: modificationYear)
    }
    if head.withUnsafeBytes({ isConcatenation(name: name, head: $0) }) {
      return analyzeConcatenation(name: name, source: &peeking, modificationYear: modificationYear)
    }
    let lines = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    head.withUnsafeBytes { sample in
      reader.read(name: name, sample: sample, year: options.year ?? peeked ?? modificationYear ?? options.fallbackYear)
      {
        stream in
        try lines.forEachLine(&peeking) { line in reader.process(line, &stream) }
      }
    }
  }

  /// Reads an input that is already in memory (a mapped file): the lines are never copied.
  public func analyze(name: String, bytes: UnsafeRawBufferPointer, modificationYear: Int? = nil) {
    if ConfigFile.isConfig(name) {
      var source = MemoryByteSource(Array(bytes))
      return reader.readConfig(name: name, source: &source)
    }
    let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 1024)])
    if let kind = consoleOutputKind(head) {
      return analyzeConsoleOutput(name: name, kind: kind, bytes: Array(bytes), modificationYear: modificationYear)
    }
    if isCloudWatchLogs(head) {
      return analyzeCloudWatchLogs(name: name, bytes: Array(bytes), modificationYear: modificationYear)
    }
    if isCloudWatchExport(head) {
      return analyzeCloudWatchExport(name: name, bytes: bytes, modificationYear: modificationYear)
    }
    if isConcatenation(name: name, head: head) {
      return analyzeConcatenation(name: name, bytes: bytes, modificationYear: modificationYear)
    }
    analyzeLines(name: name, bytes: bytes, modificationYear: modificationYear)
  }

  /// Reads an input in memory line by line.
  func analyzeLines(name: String, bytes: UnsafeRawBufferPointer, modificationYear: Int?) {
    let sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 64 * 1024)])
    let year =
      options.year ?? PeekingSource<MemoryByteSource>.year(in: sample) ?? modificationYear ?? options.fallbackYear
    let lines = LineReader(initialCapacity: options.readBufferBytes, maxLineBytes: options.maxLineBytes)
    reader.read(name: name, sample: sample, year: year) { stream in
      lines.forEachLine(in: bytes) { line in reader.process(line, &stream) }
    }
  }

  /// Reads a live input (a pipe from `journalctl -f`): nothing is read ahead, so every line is
  /// analysed as soon as the source hands it over.
  public func analyzeLive<S: ByteSource>(name: String, source: inout S) {
    let lines = LineReader(initialCapacity: 64 * 1024, maxLineBytes: options.maxLineBytes)
    reader.read(
      name: name, sample: UnsafeRawBufferPointer(start: nil, count: 0), year: options.year ?? options.fallbackYear
    ) {
      stream in
      try lines.forEachLine(&source) { line in reader.process(line, &stream) }
    }
  }

  /// The common part of reading an input: set up its stream, let `feed` hand it every line (through
  /// `process`), record read errors. `prefilter`: one already built from the input's head.
  /// `shape`: the input's shape when the caller has decided it (else from `sample`, else from the

  /// Records an input that could not be opened at all.
  public func failed(name: String, message: String) { reader.failed(name: name, message: message) }

  /// The report of everything not yet handed to the sink (every host, without a sink that takes boots early).
  public func finish() -> Report {
    var summary = tally.summary
    summary.ruleLimitHits = ruleLimitHits
    return builder.finish(summary: summary, inputs: tally.inputs)
  }

  /// Ends the run: the report goes to `sink` (by default the sink given before reading).
  public func finish(into sink: ReportSink) throws { try sink.end(finish()) }

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
