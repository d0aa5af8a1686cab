/// The classify stage: a record (a parsed line, or a journal record of several lines) is placed in its
/// segment (host × boot as its input sees it), inherits the context of the record it continues, gives
/// its boot markers, versions and cloud-init stage events, and meets the rules; hits are folded by the
/// `BootBuilder`, warning lines no rule knows are mined (`unmatched`). Counts it as matched or unmatched.
final class Examiner {
  let rules: [Rule]
  let options: AnalyzerOptions
  let tally: RunTally
  let builder: BootBuilder
  let classifier: Classifier
  let redactor: Redactor
  /// For each rule, the rule it continues (continuation rules only); the rules that have some.
  let parentRule: [Int?]
  let continued: Set<Int>
  let hasContinuationRules: Bool
  /// Whether examined lines leave a `HeaderTemplate` for the fast path (`RecordReader.templates`).
  let templates: Bool

  init(
    rules: [Rule], options: AnalyzerOptions, tally: RunTally, builder: BootBuilder, classifier: Classifier,
    redactor: Redactor
  ) {
    self.rules = rules
    self.options = options
    self.tally = tally
    self.builder = builder
    self.classifier = classifier
    self.redactor = redactor
    let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    parentRule = rules.map { $0.continues.flatMap { index[$0] } }
    continued = Set(parentRule.compactMap { $0 })
    hasContinuationRules = !continued.isEmpty
    templates = options.usePrefilter && !classifier.hasUnfilteredRules && options.inputFormat == .auto
  }

  /// The full path of one record: boots, versions, stage events, rules, folding; counts it as
  /// matched or unmatched. `jsonLike`: its text is JSON (or journal fields), so the literals are
  /// looked for in the decoded message and every line that carries a level goes to the miner.
  func examine(
    _ bytes: UnsafeRawBufferPointer, number: Int, _ parsed: inout ParsedLine, jsonLike: Bool, present: LiteralBits?,
    _ stream: inout InputStream
  ) {
    if !stream.template.isNone {
      if stream.retires { builder.flushPassedClock(&stream) }
      stream.template = .none
      stream.templateHost = nil
    }
    if parsed.isSeparator {
      stream.current.removeAll()
      if let id = parsed.bootID { stream.separatorBoot = .some(id.isEmpty ? nil : id) }
      return tally.skip("separator")
    }
    if let problem = parsed.malformed {
      stream.malformedReported += 1
      if stream.malformedReported <= 10 {
        tally.diagnostics.append(
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
    // belongs to its record: the unmatched-line miner files the record, not each of its lines. A line
    // that may carry a header ends the run; the lines the fast path passes over move it on as here
    // (an indented one continues a record, one with the template's header ends the run).
    let continuation =
      parsed.headerless
      && (b0 == 0x20 || b0 == 0x09 || bytes.hasPrefix("Traceback (most recent call last):")
        || stream.lastWasContinuation && !FastPath.mayCarryContext(b0, bytes))
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
        segmentID = builder.segment(for: &parsed, message: message, stream: &stream)
      }
      let seg = builder.segments[segmentID]!
      if order == Marker.cloudInitOrder, seg.cloudInitStart == nil { seg.cloudInitStart = parsed.time }
      builder.noteTimes(seg, parsed: parsed, message: message)
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
          builder.pendingVersions.append((seg.id, parsed.time, key, value))
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
            builder.addCaptures(hit.captures, rule: parent, segment: seg)
            applied += 1
          }
          return false
        }
      }
      if parsed.headerless {
        if applied == 0 && (contextCame || FastPath.mayCarryContext(b0, bytes)) { stream.openRecord = nil }
      } else {
        let parents = hits.map(\.rule).filter { continued.contains($0) }
        stream.openRecord = parents.isEmpty ? nil : (parents, seg.id)
      }
      if hits.isEmpty {
        if applied > 0 { return applied }
        // The prefilter already knows which literals the line holds; without it, look (same answer:
        // in the whole record when a console paste was cut into pieces, as the prefilter looks).
        let record = parsed.ownedInner != nil ? inner : bytes
        let warns =
          jsonLike
          || present.map { p in Classifier.worthKeepingWordIDs.contains(where: p.contains) }
            ?? Classifier.worthKeepingWords.contains(where: { record.contains($0) })
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
          builder.note(event: hit, segment: seg, time: parsed.time, origin: Origin(file: stream.name, line: number))
        } else {
          builder.fold(hit, segment: seg, time: parsed.time, evidence: evidence, dedupe: dedupe)
        }
      }
      return hits.count
    }
    if result > 0 { tally.summary.linesMatched += 1 } else { tally.summary.linesUnmatched += 1 }
    let fileFormat = parsed.format.isLogFile
    stream.last = (
      parsed.time, parsed.host, parsed.source, segmentID,
      fileFormat || (stream.last?.fileFormat ?? false) && parsed.headerless
    )
    stream.contextIsNewer = false
    if templates, !jsonLike, !parsed.headerless, parsed.ownedInner == nil, parsed.time != nil {
      stream.template = HeaderTemplate.of(bytes) ?? .none
      stream.templateHost = parsed.host
      stream.stampTime = nil
    }
    if let t = parsed.time, stream.retires {
      builder.noteClock(t, host: parsed.host, &stream)
    }
  }

  /// Says once per input that its lines carry no host or time of their own (journalctl -o cat): the
  /// report still stands, boots told by their markers and times by the messages' own stamps.
  func noteBare(_ stream: inout InputStream) {
    guard !stream.bareNoted else { return }
    stream.bareNoted = true
    tally.diagnostics.append(
      InputDiagnostic(
        file: stream.name, line: nil,
        message:
          "lines without host or time (journalctl -o cat?): boots are told by their markers and times by the messages' own stamps; for hosts and times use journalctl -o short-iso or -o json",
        lostInput: false))
  }

  /// Makes the remembered unexamined line the previous record: parse its header and find its segment
  /// (without opening one: it was no boot marker, or it would have been examined).
  func restoreContext(_ stream: inout InputStream) {
    stream.contextIsNewer = false
    let copy = stream.context
    copy.withUnsafeBytes { bytes in
      var parser = stream.parser
      var parsed = parser.parse(bytes)
      guard !parsed.headerless || parsed.time != nil else { return }
      var segment = stream.current[parsed.host ?? ""] ?? stream.last?.segment
      if segment == nil {
        // The first record of the input: it opens the (unanchored) segment it belongs to.
        segment = builder.segment(for: &parsed, message: UnsafeRawBufferPointer(start: nil, count: 0), stream: &stream)
      }
      guard let segment else { return }
      if let t = parsed.time, let seg = builder.segments[segment], seg.firstTime == nil { seg.firstTime = t }
      let fileFormat = parsed.format.isLogFile
      stream.last = (parsed.time ?? stream.last?.time, parsed.host, parsed.source, segment, fileFormat)
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

  /// Called for a candidate line that no rule matched: mines it into the report's unmatched templates
  /// when it is at warning level or worse. `message` is the inner line past its
  /// `file.py[LEVEL]: ` / `[LEVEL] ` prefix; `bootKey` names the segment the line fell into.
  func noteUnmatched(
    message: UnsafeRawBufferPointer, level: Level?, host: String?, bootKey: String, evidence: () -> Evidence
  ) {
    // Secrets are removed before mining: masking first could turn part of a secret into a
    // placeholder (`/K7MDENG/…` reads as a path) and leave the rest in the template.
    guard redactor.isActive, TemplateMiner.isWarningOrWorse(level: level, message: message),
      redactor.hasTrigger(message)
    else {
      return builder.unmatched.note(message: message, level: level, host: host, bootKey: bootKey, evidence: evidence)
    }
    var text = redactor.redact(String(decoding: message, as: UTF8.self))
    text.withUTF8 {
      builder.unmatched.note(
        message: UnsafeRawBufferPointer($0), level: level, host: host, bootKey: bootKey, evidence: evidence)
    }
  }
}
