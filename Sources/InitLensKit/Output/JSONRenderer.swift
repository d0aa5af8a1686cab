import Foundation

/// Renders any report value as stable JSON: sorted keys, two-space indent, `"key": value`, a final
/// newline. Foundation's own pretty printer differs across platforms, so we indent ourselves.
public enum JSONRenderer {
  /// A report, through the hand-written writer (same bytes as the generic path, much faster).
  public static func render(_ report: Report) -> String { String(decoding: bytes(report), as: UTF8.self) }

  /// Writes the report's JSON to `sink` in chunks as it is produced (big reports never sit whole in memory).
  /// With `threads` > 1, hosts are rendered by that many threads (a fleet report holds thousands).
  public static func stream(
    _ report: Report, threads: Int = 1, to sink: @escaping (UnsafeRawBufferPointer) -> Void
  ) {
    var w = JSONWriter(capacity: 1 << 18)
    w.sink = sink
    if threads > 1 && report.hosts.count > 64 {
      report.write(to: &w) { w in writeHosts(report.hosts, threads: threads, &w) }
    } else {
      report.write(to: &w)
    }
    w.out.append(0x0A)
    w.flush(force: true)
  }

  /// The hosts array, rendered in batches by `threads` threads and written in order.
  static func writeHosts(_ hosts: [HostReport], threads: Int, _ w: inout JSONWriter) {
    w.beginArray()
    let batch = 16
    let depth = w.depth
    // A window of batches at a time, so memory holds a few batches' JSON, not the report's. The
    // batches' buffers are reused from window to window: fresh ones, allocated on one thread and freed
    // on another, were most of a fleet run's page faults.
    let window = threads * 4
    let parts = Parts(count: window)
    var lo = 0
    while lo < hosts.count {
      let starts = Array(stride(from: lo, to: min(hosts.count, lo + batch * window), by: batch))
      DispatchQueue.concurrentPerform(iterations: starts.count) { k in
        var bw = JSONWriter(reusing: parts.take(k), depth: depth)
        for h in hosts[starts[k]..<min(hosts.count, starts[k] + batch)] {
          bw.element()
          h.write(to: &bw)
        }
        parts.set(k, bw.out)
      }
      for k in starts.indices {
        parts.with(k) { w.elements($0) }
        w.flush()
      }
      lo = min(hosts.count, lo + batch * starts.count)
    }
    w.endArray()
  }

  /// The report's JSON as bytes, ready to write (no String round trip for big reports).
  public static func bytes(_ report: Report) -> [UInt8] {
    var w = JSONWriter(capacity: 1 << 20)
    report.write(to: &w)
    var out = w.out
    out.append(0x0A)
    return out
  }

  /// A value that is not a report (SARIF, a diff, rule listings), through `JSONEncoder`, in the same layout.
  public static func render<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return indent(Array(data)) + "\n"
  }

  /// Re-indents compact JSON. Strings are copied verbatim (escapes included).
  static func indent(_ json: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(json.count * 2)
    var depth = 0
    var i = 0
    func newline() {
      out.append(0x0A)
      out.append(contentsOf: repeatElement(0x20, count: depth * 2))
    }
    while i < json.count {
      let c = json[i]
      switch c {
      case 0x22:  // string
        out.append(c)
        i += 1
        while i < json.count {
          out.append(json[i])
          if json[i] == 0x5C, i + 1 < json.count {
            out.append(json[i + 1])
            i += 2
            continue
          }
          if json[i] == 0x22 { break }
          i += 1
        }
      case 0x7B, 0x5B:  // { [
        let close: UInt8 = c == 0x7B ? 0x7D : 0x5D
        if i + 1 < json.count, json[i + 1] == close {
          out.append(c)
          out.append(close)
          i += 1
        } else {
          out.append(c)
          depth += 1
          newline()
        }
      case 0x7D, 0x5D:
        depth -= 1
        newline()
        out.append(c)
      case 0x2C:
        out.append(c)
        newline()
      case 0x3A:
        out.append(c)
        out.append(0x20)
      default:
        out.append(c)
      }
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Rendered batches, each written by one thread. SAFETY: every access goes through `lock`.
final class Parts: @unchecked Sendable {
  private let lock = NSLock()
  private var parts: [[UInt8]]
  init(count: Int) { parts = Array(repeating: [], count: count) }
  /// Part `k`'s buffer, emptied, its memory kept (the slot is left empty until `set`).
  func take(_ k: Int) -> [UInt8] {
    lock.lock()
    var bytes: [UInt8] = []
    swap(&bytes, &parts[k])
    lock.unlock()
    bytes.removeAll(keepingCapacity: true)
    return bytes
  }
  func set(_ k: Int, _ bytes: [UInt8]) {
    lock.lock()
    parts[k] = bytes
    lock.unlock()
  }
  func with(_ k: Int, _ body: ([UInt8]) -> Void) {
    lock.lock()
    let bytes = parts[k]
    lock.unlock()
    body(bytes)
  }
}
