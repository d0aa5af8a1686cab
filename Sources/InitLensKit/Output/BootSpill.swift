import Foundation

/// Boots finalised while reading (handed to the JSON sink's `boot`), kept as JSON on disk until the
/// report is written: memory holds only an index entry per boot, whatever the number of hosts in the input.
///
/// The file is unlinked as soon as it is created, so nothing is left behind, even on a crash. Boots are
/// rendered and written by a thread of their own, so the reading thread only hands them over.
///
/// SAFETY: `queue` is only touched under `lock`; `entries`, `names`, `buffer`, `fileBytes` and
/// `error` only by the writer thread until `stream` has waited for it to drain (`idle`).
public final class BootSpill: @unchecked Sendable {
  /// 16 bytes a boot, and its host's name in `names`.
  struct Entry {
    let offset: Int
    let name: UInt32
    let nameCount: UInt16
    let count: UInt32
  }
  /// Host names of the entries, back to back (a name is not worth a String and a hash table entry).
  private var names: [UInt8] = []
  private let fd: Int32
  private var buffer: [UInt8] = []
  private var fileBytes = 0
  private var entries: [Entry] = []
  /// Set when a write failed: the report cannot be complete.
  public private(set) var error: String?
  private let lock = NSLock()
  /// Batches of boots for the writer; `waiting` counts them and `space` bounds them (memory stays flat
  /// if the disk is slow). Boots go over in batches: a wake-up per boot was 2 % of a run's CPU.
  private var queue: [[FinishedBoot]] = []
  private var closed = false
  private let waiting = DispatchSemaphore(value: 0)
  private let space = DispatchSemaphore(value: 8)
  /// Boots not yet handed over (reading thread only).
  private var batch: [FinishedBoot] = []
  static let batchSize = 32
  private let idle = DispatchSemaphore(value: 0)
  private var added = 0

  /// A spill file in `$TMPDIR` (else /tmp); nil when none can be created.
  public init?() {
    let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    guard let fd = System.anonymousTemporaryFile(in: dir, prefix: "initlens-spill-") else { return nil }
    self.fd = fd
    buffer.reserveCapacity(BootSpill.bufferBytes)
  }

  deinit { System.close(fd) }

  /// Whether no boot was added (the reading thread's view).
  public var isEmpty: Bool { added == 0 }

  /// A sink's boot (`ReportSink.boot`): see `add(_:)`.
  public func add(host: String, _ boot: BootReport) { add(FinishedBoot(host: host, report: boot)) }

  /// Hands a boot over to the writer thread, started with the first boot. The thread holds the spill
  /// until `stream` has drained it, so it never outlives what it writes to.
  public func add(_ boot: FinishedBoot) {
    if added == 0 {
      let writer = Thread { self.drain() }
      writer.stackSize = 4 << 20
      writer.start()
    }
    added += 1
    batch.append(boot)
    if batch.count >= BootSpill.batchSize { handOver() }
  }

  private func handOver() {
    guard !batch.isEmpty else { return }
    space.wait()
    lock.lock()
    queue.append(batch)
    lock.unlock()
    batch = []
    waiting.signal()
  }

  /// The writer thread: renders and writes boots until `stream` closes the queue.
  private func drain() {
    while true {
      waiting.wait()
      lock.lock()
      if queue.isEmpty && closed {
        lock.unlock()
        idle.signal()
        return
      }
      let boots = queue.removeFirst()
      lock.unlock()
      space.signal()
      for boot in boots { render(boot) }
    }
  }

  /// Keeps a boot's JSON, rendered where it will stand in the report (an element of a host's boots).
  private func render(_ boot: FinishedBoot) {
    var w = JSONWriter(capacity: 4096, depth: 4)
    w.element()
    boot.report.write(to: &w)
    let name = Array(boot.host.utf8.prefix(Int(UInt16.max)))
    // Written out before it would outgrow its first capacity: a buffer that doubled past it was the
    // one part of memory that grew with the input.
    if buffer.count + w.out.count > BootSpill.bufferBytes { flush() }
    entries.append(
      Entry(
        offset: fileBytes + buffer.count, name: UInt32(clamping: names.count), nameCount: UInt16(name.count),
        count: UInt32(clamping: w.out.count)))
    names.append(contentsOf: name)
    buffer.append(contentsOf: w.out)
  }

  static let bufferBytes = 256 * 1024

  private func flush() {
    var done = 0
    buffer.withUnsafeBytes { b in
      while done < b.count {
        let n = System.write(fd, b.baseAddress! + done, count: b.count - done)
        if n < 0 && System.lastError == System.interrupted { continue }
        if n <= 0 {
          error = "cannot write the spill file: \(System.message(for: System.lastError))"
          return
        }
        done += n
      }
    }
    fileBytes += done
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes `report` as JSON to `sink`, each host's spilled boots first, then the boots it still had.
  public func stream(_ report: Report, to sink: @escaping (UnsafeRawBufferPointer) -> Void) {
    if added > 0 { handOver() }
    lock.lock()
    let wasClosed = closed
    closed = true
    lock.unlock()
    if added > 0 && !wasClosed {
      waiting.signal()
      idle.wait()
    }
    flush()
    // Spilled boots by host, in the order they came; both lists sorted by host name, then merged.
    let entries = self.entries
    let hosts = entries.map { e in
      String(decoding: names[Int(e.name)..<(Int(e.name) + Int(e.nameCount))], as: UTF8.self)
    }
    let order = entries.indices.sorted { (hosts[$0], $0) < (hosts[$1], $1) }
    let live = report.hosts
    // A host can have boots both spilled and in memory (it was heard from again): count it once.
    var report = report
    var distinct = 0
    var i = 0
    var j = 0
    while i < order.count || j < live.count {
      let name =
        j < live.count && (i == order.count || live[j].host <= hosts[order[i]]) ? live[j].host : hosts[order[i]]
      while i < order.count && hosts[order[i]] == name { i += 1 }
      while j < live.count && live[j].host == name { j += 1 }
      distinct += 1
    }
    report.summary.hosts = distinct
    var scratch: [UInt8] = []
    var w = JSONWriter(capacity: 1 << 18)
    w.sink = sink
    report.write(to: &w) { w in
      w.beginArray()
      var i = 0
      var j = 0
      while i < order.count || j < live.count {
        let name =
          j < live.count && (i == order.count || live[j].host <= hosts[order[i]])
          ? live[j].host : hosts[order[i]]
        let host = j < live.count && live[j].host == name ? live[j] : HostReport(host: name, boots: [])
        if j < live.count && live[j].host == name { j += 1 }
        w.element()
        host.write(to: &w) { w in
          while i < order.count && hosts[order[i]] == name {
            let e = entries[order[i]]
            let count = Int(e.count)
            i += 1
            if scratch.count < count { scratch = [UInt8](repeating: 0, count: count) }
            let n = scratch.withUnsafeMutableBytes {
              System.read(self.fd, into: $0.baseAddress, count: count, at: e.offset)
            }
            if n != count { self.error = self.error ?? "cannot read the spill file back" }
            scratch.withUnsafeBytes { w.elements(UnsafeRawBufferPointer(rebasing: $0[0..<max(0, n)])) }
            w.flush()
          }
        }
      }
      w.endArray()
    }
    w.out.append(0x0A)
    w.flush(force: true)
  }
}
