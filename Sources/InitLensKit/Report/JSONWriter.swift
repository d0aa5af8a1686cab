/// A fast JSON writer for reports: keys written in sorted order by hand, two-space indentation,
/// `"key": value`, empty containers as `{}` / `[]` — the same bytes as `JSONRenderer`'s generic path,
/// about ten times faster (reports of big journals have thousands of boots).
struct JSONWriter {
  var out: [UInt8] = []
  private var first: [Bool] = []
  /// When set, output is handed over in chunks (and `out` emptied) so a big report never sits in memory.
  var sink: ((UnsafeRawBufferPointer) -> Void)? = nil

  init(capacity: Int = 1 << 16) { out.reserveCapacity(capacity) }

  /// A writer for elements that another writer will take in at nesting `depth` (see `elements`).
  init(capacity: Int, depth: Int) {
    out.reserveCapacity(capacity)
    first = Array(repeating: true, count: depth)
  }

  /// A writer like `init(capacity:depth:)` that writes into `buffer`'s memory (emptied first).
  init(reusing buffer: [UInt8], depth: Int) {
    out = buffer
    out.removeAll(keepingCapacity: true)
    if out.capacity < 1 << 16 { out.reserveCapacity(1 << 16) }
    first = Array(repeating: true, count: depth)
  }

  /// How deep the writer is: what a writer for `elements` must be created with.
  var depth: Int { first.count }

  /// Takes in elements another writer wrote at this depth (into the array or object open here).
  mutating func elements(_ bytes: [UInt8]) { bytes.withUnsafeBytes { elements($0) } }

  mutating func elements(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    if first[first.count - 1] { first[first.count - 1] = false } else { out.append(0x2C) }
    out.append(contentsOf: bytes)
  }

  /// Hands the buffered bytes to the sink once enough have gathered (or always, when `force`).
  mutating func flush(force: Bool = false) {
    guard let sink, force || out.count >= 1 << 18 else { return }
    out.withUnsafeBytes { sink($0) }
    out.removeAll(keepingCapacity: true)
  }

  /// A line end and the indentation of 63 levels, to copy from in one go.
  private static let indentation: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 126)

  private mutating func newline() {
    let n = 1 + 2 * first.count
    if n <= JSONWriter.indentation.count {
      JSONWriter.indentation.withUnsafeBufferPointer {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<n]))
      }
    } else {
      out.append(0x0A)
      out.append(contentsOf: repeatElement(0x20, count: n - 1))
    }
  }

  private mutating func open(_ c: UInt8) {
    out.append(c)
    first.append(true)
  }

  private mutating func close(_ c: UInt8) {
    let empty = first.removeLast()
    if !empty { newline() }
    out.append(c)
  }

  mutating func beginObject() { open(0x7B) }
  mutating func endObject() { close(0x7D) }
  mutating func beginArray() { open(0x5B) }
  mutating func endArray() { close(0x5D) }

  /// Before a value in an array.
  mutating func element() {
    if first[first.count - 1] { first[first.count - 1] = false } else { out.append(0x2C) }
    newline()
  }

  /// Before a value in an object: keys must come in sorted order.
  mutating func key(_ k: StaticString) {
    element()
    out.append(0x22)
    out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
    out.append(0x22)
    out.append(0x3A)
    out.append(0x20)
  }

  mutating func key(_ k: String) {
    element()
    string(k)
    out.append(contentsOf: [0x3A, 0x20])
  }

  mutating func string(_ s: String) {
    out.append(0x22)
    // Most strings need no escaping: copy them whole (a loop over the contiguous bytes; the view's
    // iterator is several times slower).
    let plain = s.utf8.withContiguousStorageIfAvailable { b -> Bool in
      for c in b where c < 0x20 || c == 0x22 || c == 0x5C { return false }
      out.append(contentsOf: b)
      return true
    }
    if plain == true {
      out.append(0x22)
      return
    }
    for b in s.utf8 {
      switch b {
      case 0x22: out.append(contentsOf: [0x5C, 0x22])
      case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
      case 0x0D: out.append(contentsOf: [0x5C, 0x72])
      case 0x09: out.append(contentsOf: [0x5C, 0x74])
      case 0x08: out.append(contentsOf: [0x5C, 0x62])
      case 0x0C: out.append(contentsOf: [0x5C, 0x66])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
      default: out.append(b)
      }
    }
    out.append(0x22)
  }

  mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
  mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }
  mutating func null() { out.append(contentsOf: "null".utf8) }

  mutating func double(_ v: Double?) {
    guard let v else { return null() }
    if v == v.rounded(), abs(v) < 1e15 {
      int(Int(v))
    } else {
      out.append(contentsOf: v.description.utf8)
    }
  }

  mutating func strings(_ list: [String]) {
    beginArray()
    for s in list {
      element()
      string(s)
    }
    endArray()
  }

  /// A dictionary with its keys sorted.
  mutating func map<V>(_ d: [String: V], _ value: (inout JSONWriter, V) -> Void) {
    beginObject()
    for k in d.keys.sorted() {
      key(k)
      value(&self, d[k]!)
    }
    endObject()
  }

  mutating func array<T>(_ list: [T], _ value: (inout JSONWriter, T) -> Void) {
    beginArray()
    for item in list {
      element()
      value(&self, item)
    }
    endArray()
  }
}

// MARK: - Report types, keys in sorted order

extension Report {
  /// `hostsWriter`: writes the `hosts` array instead (a report some of whose boots are on disk).
  func write(_ w: inout JSONWriter, hostsWriter: ((inout JSONWriter) -> Void)? = nil) {
    w.beginObject()
    if let fleet {
      w.key("fleet")
      fleet.write(&w)
    }
    w.key("hosts")
    if let hostsWriter { hostsWriter(&w) } else { w.array(hosts) { w, h in h.write(&w) } }
    w.key("inputs")
    w.array(inputs) { w, i in
      w.beginObject()
      if let e = i.error {
        w.key("error")
        w.string(e)
      }
      w.key("lines")
      w.int(i.lines)
      w.key("name")
      w.string(i.name)
      w.endObject()
    }
    w.key("schemaVersion")
    w.int(schemaVersion)
    w.key("summary")
    summary.write(&w)
    w.key("unmatched")
    w.array(unmatched) { w, t in t.write(&w) }
    w.endObject()
  }
}

extension UnmatchedTemplate {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("boots")
    w.int(boots)
    w.key("count")
    w.int(count)
    w.key("examples")
    w.array(examples) { w, e in e.write(&w) }
    w.key("hosts")
    w.int(hosts)
    w.key("id")
    w.string(id)
    w.key("template")
    w.string(template)
    w.endObject()
  }
}

extension Summary {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("boots")
    w.int(boots)
    w.key("bySeverity")
    w.map(bySeverity) { $0.int($1) }
    if let highestSeverity {
      w.key("highestSeverity")
      w.string(highestSeverity.rawValue)
    }
    w.key("hosts")
    w.int(hosts)
    w.key("incidents")
    w.int(incidents)
    w.key("linesMatched")
    w.int(linesMatched)
    w.key("linesRead")
    w.int(linesRead)
    w.key("linesSkipped")
    w.int(linesSkipped)
    w.key("linesUnmatched")
    w.int(linesUnmatched)
    w.key("rootCauses")
    w.int(rootCauses)
    w.key("ruleLimitHits")
    w.map(ruleLimitHits) { $0.int($1) }
    w.key("skipped")
    w.map(skipped) { $0.int($1) }
    w.endObject()
  }
}

extension HostReport {
  /// `earlier`: writes boots that come before `boots` (elements of the same array).
  func write(_ w: inout JSONWriter, earlier: ((inout JSONWriter) -> Void)? = nil) {
    w.beginObject()
    w.key("boots")
    w.beginArray()
    earlier?(&w)
    for b in boots {
      w.element()
      b.write(&w)
      w.flush()
    }
    w.endArray()
    w.key("host")
    w.string(host)
    w.endObject()
  }
}

extension BootReport {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("boot")
    w.string(boot)
    w.key("facts")
    w.map(facts) { $0.string($1) }
    w.key("incidents")
    w.array(incidents) { w, i in i.write(&w) }
    w.key("rootCauses")
    w.array(rootCauses) { w, r in r.write(&w) }
    w.key("stages")
    w.array(stages) { w, s in s.write(&w) }
    w.key("start")
    w.string(start)
    w.key("timeline")
    w.array(timeline) { w, t in t.write(&w) }
    w.key("versions")
    w.map(versions) { $0.string($1) }
    w.endObject()
  }
}

extension StageReport {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("durationSeconds")
    w.double(durationSeconds)
    w.key("end")
    w.string(end)
    w.key("name")
    w.string(name)
    w.key("result")
    w.string(result)
    w.key("start")
    w.string(start)
    w.key("steps")
    w.array(steps) { w, s in s.write(&w) }
    w.endObject()
  }
}

extension TimelineEntry {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("kind")
    w.string(kind)
    w.key("offsetSeconds")
    w.double(offsetSeconds)
    w.key("origin")
    if let origin { origin.write(&w) } else { w.null() }
    w.key("summary")
    w.string(summary)
    w.key("time")
    w.string(time)
    w.endObject()
  }
}

extension Origin {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("file")
    w.string(file)
    w.key("line")
    w.int(line)
    w.endObject()
  }
}

extension Evidence {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("file")
    w.string(file)
    w.key("line")
    w.int(line)
    w.key("text")
    w.string(text)
    w.endObject()
  }
}

extension RootCause {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("cause")
    w.string(cause)
    w.key("evidence")
    w.array(evidence) { w, e in e.write(&w) }
    w.key("explanation")
    w.string(explanation)
    w.key("fixes")
    w.strings(fixes)
    w.key("id")
    w.string(id)
    w.key("references")
    w.strings(references)
    w.key("summary")
    w.string(summary)
    w.key("symptoms")
    w.array(symptoms) { w, s in
      w.beginObject()
      w.key("afterCauseSeconds")
      w.double(s.afterCauseSeconds)
      w.key("kind")
      w.string(s.kind)
      w.key("offsetSeconds")
      w.double(s.offsetSeconds)
      w.endObject()
    }
    w.key("title")
    w.string(title)
    w.endObject()
  }
}

extension Incident {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("captures")
    w.map(captures) { $0.string($1) }
    w.key("count")
    w.int(count)
    w.key("evidence")
    w.array(evidence) { w, e in e.write(&w) }
    w.key("family")
    w.string(familyName)
    w.key("first")
    w.string(first)
    w.key("fix")
    w.string(fix)
    w.key("kind")
    w.string(kind)
    w.key("last")
    w.string(last)
    w.key("references")
    w.strings(references)
    w.key("rootCause")
    w.string(rootCause)
    w.key("rule")
    w.string(rule)
    w.key("rules")
    w.strings(rules)
    w.key("severity")
    w.string(severity.rawValue)
    w.key("source")
    w.string(source.rawValue)
    w.key("title")
    w.string(title)
    w.endObject()
  }
}

extension FleetSection {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("affectedHosts")
    w.int(affectedHosts)
    w.key("bundleErrors")
    w.array(bundleErrors) { w, e in
      w.beginObject()
      w.key("bundle")
      w.string(e.bundle)
      w.key("message")
      w.string(e.message)
      w.endObject()
    }
    w.key("bundles")
    w.int(bundles)
    w.key("healthyHosts")
    w.int(healthyHosts)
    w.key("hosts")
    w.int(hosts)
    w.key("incidents")
    w.array(incidents) { w, g in g.write(&w) }
    w.key("incidentsOverTime")
    w.array(incidentsOverTime) { w, b in
      w.beginObject()
      w.key("counts")
      w.map(b.counts) { $0.int($1) }
      w.key("hour")
      w.string(b.hour)
      w.endObject()
    }
    w.key("rootCauses")
    w.array(rootCauses) { w, g in g.write(&w) }
    w.key("versions")
    w.map(versions) { w, byVersion in
      w.map(byVersion) { w, c in
        w.beginObject()
        w.key("affected")
        w.int(c.affected)
        w.key("hosts")
        w.int(c.hosts)
        w.endObject()
      }
    }
    w.endObject()
  }
}

extension FleetGroup {
  func write(_ w: inout JSONWriter) {
    w.beginObject()
    w.key("boots")
    w.int(boots)
    if let family {
      w.key("family")
      w.string(family)
    }
    w.key("firstSeen")
    w.string(firstSeen)
    w.key("hostNames")
    w.strings(hostNames)
    w.key("hosts")
    w.int(hosts)
    w.key("id")
    w.string(id)
    w.key("lastSeen")
    w.string(lastSeen)
    if let severity {
      w.key("severity")
      w.string(severity.rawValue)
    }
    w.key("title")
    w.string(title)
    w.key("versions")
    w.map(versions) { w, byVersion in w.map(byVersion) { $0.int($1) } }
    w.endObject()
  }
}
