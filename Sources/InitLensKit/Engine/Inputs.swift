import Foundation

/// Opening inputs: files (plain or gzip, told by magic bytes, not by name) and stdin.
extension Analyzer {
  /// The processors this process may use, read once: Foundation reads the cgroup files on every call
  /// (eight system calls), and a fleet opens thousands of files.
  static let processors = ProcessInfo.processInfo.activeProcessorCount

  /// Analyses the file at `path`; an unreadable file is reported and the run goes on.
  public func analyzeFile(path: String) {
    let fd = System.openForReading(path)
    guard fd >= 0 else {
      return failed(name: path, message: "cannot read: \(describe(System.lastError))")
    }
    defer { System.close(fd) }
    guard let st = System.status(of: fd) else {
      return failed(name: path, message: "cannot read: \(describe(System.lastError))")
    }
    if st.kind == .directory {
      return failed(name: path, message: "is a directory (give the log files in it, or use `initlens fleet`)")
    }
    let mtime = st.modificationSeconds
    let year = Timestamp.components(mtime * 1_000_000).0
    // Read, not mapped: a mapped file counts in the resident set (a 1 GiB log would be 1 GiB of RSS),
    // and a log truncated by rotation while mapped ends the process with SIGBUS.
    if st.kind == .regularFile, st.size >= options.parallelScanBytes {
      let threads = options.scanThreads > 0 ? options.scanThreads : Analyzer.processors
      let binary = sniff(fd)
      let matchedBefore = tally.summary.linesMatched
      if threads > 1,
        reader.analyzeParallel(fd: fd, size: st.size, name: path, modificationYear: year, threads: threads)
      {
        if let binary { noteBinary(name: path, binary, matchedBefore: matchedBefore) }
        return
      }
    }
    analyzeDescriptor(fd, name: path, modificationYear: year)
  }

  /// Inputs read as binary data (an executable, an image: `BinarySniff`) of which no line matched a
  /// rule, each with what to say of it. Their lines are counted as any input's; `initlens` names them
  /// on stderr, and exits 2 when no input gave a log line.
  public var binaryInputs: [InputDiagnostic] { tally.binaryInputs }

  /// What `BinarySniff` says of the head of the file open at `fd` (nil: text); the offset is kept.
  func sniff(_ fd: Int32) -> String? {
    var head = [UInt8](repeating: 0, count: BinarySniff.sampleBytes)
    let n = head.withUnsafeMutableBytes { System.read(fd, into: $0, at: 0) }
    guard n > 0 else { return nil }
    return head.withUnsafeBytes {
      let p = UnsafeRawBufferPointer(rebasing: $0[..<n])
      return BinarySniff.isBinary(p) ? BinarySniff.describe(p) : nil
    }
  }

  /// Records `name` as binary data when no line of it matched since `matchedBefore`, and no problem
  /// with it was recorded already (a gzip bomb of NULs is said once, as a bomb).
  func noteBinary(name: String, _ what: String, matchedBefore: Int) {
    guard tally.summary.linesMatched == matchedBefore, !tally.diagnostics.contains(where: { $0.file == name })
    else { return }
    tally.binaryInputs.append(InputDiagnostic(file: name, line: nil, message: what, lostInput: false))
  }

  /// Analyses standard input, named `<stdin>` in evidence and diagnostics.
  public func analyzeStdin() { analyzeDescriptor(0, name: "<stdin>", modificationYear: nil) }

  /// Reads the files given on a command line in order (`-` is standard input), or standard input
  /// when none is given.
  public func analyze(files: [String]) {
    if files.isEmpty { return analyzeStdin() }
    for file in files {
      if file == "-" { analyzeStdin() } else { analyzeFile(path: file) }
    }
  }

  func analyzeDescriptor(_ fd: Int32, name: String, modificationYear: Int?) {
    var head = PrefixSource(inner: FileByteSource(fd: fd))
    do {
      let magic = try head.fill(2)
      if magic == [0x1F, 0x8B] {
        var gz: any ByteSource = try GzipByteSource(head, maxOutputBytes: options.maxInflatedBytes)
        analyze(name: name, source: &gz, modificationYear: modificationYear)
      } else {
        analyze(name: name, source: &head, modificationYear: modificationYear)
      }
    } catch {
      failed(name: name, message: error.message)
    }
  }

  func describe(_ code: Int32) -> String { System.message(for: code).lowercased() }
}
