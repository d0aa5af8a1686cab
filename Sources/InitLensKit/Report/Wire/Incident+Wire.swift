// Incidents and root causes on the wire (see Report+Wire.swift).

extension Incident: Decodable {
  enum Key: String, CodingKey {
    case captures, count, evidence, family, first, fix, kind, last, references, rootCause, rule, rules, severity
    case source, title
  }

  /// `family` is always written (the kind when the incident refines none).
  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.captures)
    w.map(captures) { $0.string($1) }
    w.key(Key.count)
    w.int(count)
    w.key(Key.evidence)
    w.array(evidence) { w, e in e.write(to: &w) }
    w.key(Key.family)
    w.string(familyName)
    w.key(Key.first)
    w.time(first)
    w.key(Key.fix)
    w.string(fix)
    w.key(Key.kind)
    w.string(kind)
    w.key(Key.last)
    w.time(last)
    w.key(Key.references)
    w.strings(references)
    w.key(Key.rootCause)
    w.string(rootCause)
    w.key(Key.rule)
    w.string(rule)
    w.key(Key.rules)
    w.strings(rules)
    w.key(Key.severity)
    w.string(severity.rawValue)
    w.key(Key.source)
    w.string(source.rawValue)
    w.key(Key.title)
    w.string(title)
    w.endObject()
  }

  /// Reports written before families existed have no `family`: the built-in rules' family of the
  /// kind, else the kind itself.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    kind = try c.decode(String.self, forKey: .kind)
    family = try c.decodeIfPresent(String.self, forKey: .family) ?? Families.fallback(kind: kind)
    rule = try c.decode(String.self, forKey: .rule)
    rules = try c.decode([String].self, forKey: .rules)
    title = try c.decode(String.self, forKey: .title)
    severity = try c.decode(Severity.self, forKey: .severity)
    source = try c.decode(Source.self, forKey: .source)
    first = try c.time(.first)
    last = try c.time(.last)
    count = try c.decode(Int.self, forKey: .count)
    captures = try c.decode([String: String].self, forKey: .captures)
    fix = try c.decode(String.self, forKey: .fix)
    references = try c.decode([String].self, forKey: .references)
    evidence = try c.decode([Evidence].self, forKey: .evidence)
    rootCause = try c.decodeIfPresent(String.self, forKey: .rootCause)
  }
}

extension Evidence: Decodable {
  enum Key: String, CodingKey { case file, line, text }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.file)
    w.string(file)
    w.key(Key.line)
    w.int(line)
    w.key(Key.text)
    w.string(text)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    file = try c.decode(String.self, forKey: .file)
    line = try c.decode(Int.self, forKey: .line)
    text = try c.decode(String.self, forKey: .text)
  }
}

extension RootCause: Decodable {
  enum Key: String, CodingKey {
    case cause, evidence, explanation, fixes, id, references, summary, symptoms, title
  }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.cause)
    w.string(cause)
    w.key(Key.evidence)
    w.array(evidence) { w, e in e.write(to: &w) }
    w.key(Key.explanation)
    w.string(explanation)
    w.key(Key.fixes)
    w.strings(fixes)
    w.key(Key.id)
    w.string(id)
    w.key(Key.references)
    w.strings(references)
    w.key(Key.summary)
    w.string(summary)
    w.key(Key.symptoms)
    w.array(symptoms) { w, s in s.write(to: &w) }
    w.key(Key.title)
    w.string(title)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    id = try c.decode(String.self, forKey: .id)
    title = try c.decode(String.self, forKey: .title)
    cause = try c.decode(String.self, forKey: .cause)
    summary = try c.decode(String.self, forKey: .summary)
    explanation = try c.decode(String.self, forKey: .explanation)
    symptoms = try c.decode([Symptom].self, forKey: .symptoms)
    fixes = try c.decode([String].self, forKey: .fixes)
    references = try c.decode([String].self, forKey: .references)
    evidence = try c.decode([Evidence].self, forKey: .evidence)
  }
}

extension Symptom: Decodable {
  enum Key: String, CodingKey { case afterCauseSeconds, kind, offsetSeconds }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.afterCauseSeconds)
    w.double(afterCauseSeconds)
    w.key(Key.kind)
    w.string(kind)
    w.key(Key.offsetSeconds)
    w.double(offsetSeconds)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    kind = try c.decode(String.self, forKey: .kind)
    offsetSeconds = try c.decodeIfPresent(Double.self, forKey: .offsetSeconds)
    afterCauseSeconds = try c.decodeIfPresent(Double.self, forKey: .afterCauseSeconds)
  }
}
