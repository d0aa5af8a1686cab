/// Reads one input's lines into records: decides the input's shape once (lines, JSON lines, records of
/// several lines), runs the fast path, joins multi-line journal records, parses each candidate's
/// header and hands it to the `Examiner`. Counts every line (`RunTally`).
final class RecordReader {
  let options: AnalyzerOptions
  let tally: RunTally
  let examiner: Examiner
  let builder: BootBuilder
  let classifier: Classifier
  /// The host of the lines of the inputs read now that name none (fleet: a bundle read with others,
  /// under the host its own reading gave); nil: decided when the report is built.
  var inputHost: String? = nil
  /// Whether lines without any literal may be passed over (not when a rule has no literal at all).
  let passesOver: Bool
  /// Whether lines with the last examined line's header may be passed over (`HeaderTemplate`: the
  /// parser's `auto` reading; a forced format examines every line that may carry a header).
  let templates: Bool

  init(options: AnalyzerOptions, tally: RunTally, examiner: Examiner, builder: BootBuilder, classifier: Classifier) {
    self.options = options
    self.tally = tally
    self.examiner = examiner
    self.builder = builder
    self.classifier = classifier
    passesOver = options.usePrefilter && !classifier.hasUnfilteredRules
    templates = passesOver && options.inputFormat == .auto
  }

  /// The common part of reading an input: set up its stream, let `feed` hand it every line (through
  /// `process`), record read errors. `prefilter`: one already built from the input's head.
  /// `shape`: the input's shape when the caller has decided it (else from `sample`, else from the
  /// first lines). `source`: the source of the lines that say none (else the one `name` implies).
  /// `host`: the host of the lines that name none (console output names its instance).
  func read(
    name: String, sample: UnsafeRawBufferPointer, year: Int, prefilter: Prefilter? = nil, shape: InputShape? = nil,
    source: Source? = nil, host: String? = nil, feed: (inout InputStream) throws -> Void
  ) {
    let fileSource = source ?? LineParser.source(forFileName: name)
    let prefilter =
      prefilter
      ?? (sample.count < Prefilter.smallInput
        ? Prefilter.shared(literals: classifier.literals, sample: sample)
        : Prefilter(literals: classifier.literals, sample: sample))
    var stream = InputStream(
      index: tally.inputs.count, name: name,
      parser: LineParser(forced: options.inputFormat, fileSource: fileSource, year: year), prefilter: prefilter,
      present: LiteralBits(count: classifier.literals.count))
    stream.retires = builder.retires
    stream.parser.defaultHost = host ?? inputHost
    switch options.inputFormat {
    case .plain, .console, .cloudInit:
      stream.decide(.lines, maxLineBytes: options.maxLineBytes)  // a forced text format: no JSON, no journal records
    default:
      if let shape = shape ?? InputShape.detect(sample: sample) {
        stream.decide(shape, maxLineBytes: options.maxLineBytes)
      }
    }
    tally.inputs.append(InputSummary(name: name, lines: 0, error: nil))
    defer { tally.inputs[stream.index].lines = stream.lines }
    do {
      try feed(&stream)
    } catch let error as InputError {
      tally.inputs[stream.index].error = error.message
      tally.diagnostics.append(
        InputDiagnostic(file: name, line: stream.lines + 1, message: error.message, lostInput: true))
    } catch {
      tally.inputs[stream.index].error = "\(error)"
      tally.diagnostics.append(
        InputDiagnostic(file: name, line: stream.lines + 1, message: "\(error)", lostInput: true))
    }
    if let done = stream.record?.finish() { examineRecord(done, &stream) }
  }

  /// Records an input that could not be opened at all.
  public func failed(name: String, message: String) {
    tally.inputs.append(InputSummary(name: name, lines: 0, error: message))
    tally.diagnostics.append(InputDiagnostic(file: name, line: nil, message: message, lostInput: true))
  }

  func process(_ line: Line, _ stream: inout InputStream) {
    tally.summary.linesRead += 1
    stream.lines += 1
    if builder.watching, let live = builder.live, LiveWatch.showsECSAgent(line.bytes) {
      // Live (`watch --until-boot-complete`): a host that has the ECS agent waits for it.
      var parser = stream.parser
      live.sawECSAgent(host: parser.parse(line.bytes).host ?? stream.last?.host)
    }
    if stream.special {
      if !stream.shapeDecided, let shape = InputShape.detect(line.bytes) {
        stream.decide(shape, maxLineBytes: options.maxLineBytes)
      }
      if stream.record != nil, processRecordLine(line, &stream) { return }
    }
    var (verdict, bytes) = FastPath.screen(
      line, stream.prefilter, &stream.present, usePrefilter: passesOver, shape: stream.shape)
    // A console paste cut at 80 columns: the parser joins the pieces, so it must read them all.
    if case .passed = verdict, stream.parser.wantsConsolePiece(bytes) { verdict = .candidate }
    switch verdict {
    case .skipped(let reason):
      stream.parser.endConsoleRecord()  // a blank line ends a console record cut at 80 columns
      return tally.skip(reason)
    case .passed(let context):
      // Examined all the same: the input's first line (it opens the input's first segment), and a line
      // that may carry a header other than the last examined line's (another host, a record header
      // the next header-less line continues, a month that may turn the year).
      let colon = context ? stream.template.match(bytes) : 0
      if stream.last == nil || colon < 0 { break }
      tally.summary.linesUnmatched += 1
      if context, stream.retires { notePassed(bytes, colon: colon, &stream) }
      if context {
        stream.context.removeAll(keepingCapacity: true)
        stream.context.append(contentsOf: bytes)
        stream.contextIsNewer = true
        stream.lastWasContinuation = false
      } else if bytes[0] == 0x20 || bytes[0] == 0x09 {
        stream.lastWasContinuation = true  // header-less for certain: an indented line continues
      }
      return
    case .candidate:
      break
    }
    let jsonLike = bytes[0] == 0x7B && FastPath.isJSONRecord(bytes, stream.shape)
    let present: LiteralBits? = passesOver && !jsonLike ? stream.present : nil
    var parsed = stream.parser.parse(bytes)
    examiner.examine(
      bytes, number: line.number - parsed.recordLinesBefore, &parsed, jsonLike: jsonLike, present: present, &stream)
  }

  /// Moves the log clock with a line passed over with the template's header, as examining it would.
  func notePassed(_ bytes: UnsafeRawBufferPointer, colon: Int, _ stream: inout InputStream) {
    var time =
      stream.template.kind == .syslog
      ? stream.template.time(bytes, year: stream.parser.year)
      : stream.template.clockTime(bytes, colon: colon, &stream.stampWords, &stream.stampTime)
    if time == nil {
      var parser = stream.parser
      time = parser.parse(bytes).time
    }
    // A time that moves neither the clock nor the template host's time changes nothing.
    guard let time, time > stream.templateSeen || time > builder.retired.clock else { return }
    builder.notePassedClock(time, &stream)
  }

  /// A line of an input whose records span lines; false when it is no part of one (then it is read
  /// as an ordinary line).
  func processRecordLine(_ line: Line, _ stream: inout InputStream) -> Bool {
    if line.truncated {
      guard stream.record!.open else { return false }
      stream.record!.cut()
      tally.skip("too-long")
      return true
    }
    let (done, step) = stream.record!.feed(line.bytes, number: line.number)
    if let done { examineRecord(done, &stream) }
    switch step {
    case .opened: return true  // counted once the record is done
    case .part: tally.skip("record")
    case .blank: tally.skip("blank")
    case .outside: return false
    }
    return true
  }

  /// Reads a finished multi-line record like one `-o json` line, counted on its first line.
  func examineRecord(_ done: JournalRecord.Done, _ stream: inout InputStream) {
    if done.tooLong { return tally.skip("too-long") }
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
      examiner.examine(bytes, number: done.firstLine, &parsed, jsonLike: true, present: nil, &stream)
    }
  }

  /// Reads a configuration input: every line is counted (skipped, reason `config`), settings kept.
  func readConfig<S: ByteSource>(name: String, source: inout S) {
    var facts: [String: String] = [:]
    var lines = 0
    tally.inputs.append(InputSummary(name: name, lines: 0, error: nil))
    let index = tally.inputs.count - 1
    do {
      try LineReader(maxLineBytes: 64 * 1024).forEachLine(&source) { line in
        lines += 1
        tally.summary.linesRead += 1
        tally.skip("config")
        if let (k, v) = ConfigFile.parse(String(decoding: line.bytes, as: UTF8.self)) { facts[k] = v }
      }
    } catch {
      tally.inputs[index].error = "\(error)"
      tally.diagnostics.append(InputDiagnostic(file: name, line: lines + 1, message: "\(error)", lostInput: true))
    }
    tally.inputs[index].lines = lines
    for (k, v) in facts { builder.configFacts[inputHost ?? "", default: [:]][k] = v }
  }
}
