import Foundation
import InitLensKit
import Testing

/// Input that yields nothing to read is said so: binary data, missing files and directories, empty
/// input, an empty fleet directory. Each case runs the binary: what is on stdout, the one line on
/// stderr, the exit status.
@Suite struct HonestExitTests {
  static let log = EndToEndTests.imds503

  /// A directory holding `files` (name → bytes).
  static func dir(_ files: [String: [UInt8]]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-exit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
    return dir
  }

  /// An image's bytes: the PNG signature, then compressed-looking noise with its line ends.
  static var png: [UInt8] {
    var rng = SplitMix(state: 15)
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + Array("IHDR".utf8) + rng.bytes(20_000)
  }

  /// An executable's head: the ELF header, NULs, small integers, a string table.
  static var elf: [UInt8] {
    var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
    for i in 0..<600 { bytes += [UInt8(i % 7 + 1), 0, 0x40, 0, 0, 0, 0, 0, UInt8(i & 0xFF), 0x10, 0, 0] }
    bytes += Array("libc.so.6\0__libc_start_main\0GLIBC_2.34\0\n".utf8)
    return bytes
  }

  @Test func binaryFileAloneIsNamedAndExitsTwo() throws {
    let d = try Self.dir(["image.png": Self.png, "ls": Self.elf])
    for name in ["image.png", "ls"] {
      let path = d.appendingPathComponent(name).path
      let r = try run([path])
      #expect(r.status == 2, "\(name): \(r.err)")
      #expect(r.err == "initlens: \(path): not a log: binary data (give a text log, plain or .gz)\n")
      // Read all the same: the report counts its lines, and says it found nothing.
      #expect(r.out.hasPrefix("initlens: "), "\(name): \(r.out)")
      #expect(r.out.contains("0 incidents"))
    }
    // On standard input too.
    let piped = try run(["--format", "json"], stdin: Data(Self.png))
    #expect(piped.status == 2)
    #expect(piped.err == "initlens: <stdin>: not a log: binary data (give a text log, plain or .gz)\n")
  }

  @Test func binaryFileBesideALogIsNamedAndTheLogIsReported() throws {
    let d = try Self.dir(["image.png": Self.png, "cloud-init.log": Array(Self.log.utf8)])
    let png = d.appendingPathComponent("image.png").path
    let r = try run([png, d.appendingPathComponent("cloud-init.log").path])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.err == "initlens: \(png): not a log: binary data (give a text log, plain or .gz)\n")
    #expect(r.out.contains("imds-endpoint-disabled"))
  }

  @Test func unreadableInputsAloneGiveNoReport() throws {
    let d = try Self.dir([:])
    let missing = d.appendingPathComponent("cloud-init.log").path
    for (args, errors) in [
      ([missing], ["initlens: \(missing): cannot read: no such file or directory"]),
      ([d.path], ["initlens: \(d.path): is a directory (give the log files in it, or use `initlens fleet`)"]),
      (
        [missing, d.path, "--format", "json"],
        [
          "initlens: \(missing): cannot read: no such file or directory",
          "initlens: \(d.path): is a directory (give the log files in it, or use `initlens fleet`)",
        ]
      ),
    ] {
      let r = try run(args)
      #expect(r.status == 2, "\(args)")
      #expect(r.out.isEmpty, "\(args): a report of nothing: \(r.out)")
      #expect(r.err.split(separator: "\n").map(String.init) == errors)
    }
    // Nor a report file: -o FILE is not created.
    let out = d.appendingPathComponent("report.json").path
    let r = try run([missing, "--format", "json", "-o", out])
    #expect(r.status == 2)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func anUnreadableInputBesideALogKeepsTheReport() throws {
    let d = try Self.dir(["cloud-init.log": Array(Self.log.utf8)])
    let missing = d.appendingPathComponent("missing.log").path
    let r = try run([missing, d.appendingPathComponent("cloud-init.log").path])
    #expect(r.status == 2)
    #expect(r.err == "initlens: \(missing): cannot read: no such file or directory\n")
    #expect(r.out.contains("imds-endpoint-disabled"))
  }

  @Test func emptyInputIsANoteNotAnError() throws {
    let empty = try run([], stdin: Data())
    #expect(empty.status == 0)
    #expect(empty.err == "initlens: note: read no log line from <stdin> (empty)\n")
    #expect(empty.out.hasPrefix("initlens: 0 hosts, 0 boots, 0 incidents"), "\(empty.out)")

    let d = try Self.dir(["blank.log": Array("\n  \n\n".utf8)])
    let blank = d.appendingPathComponent("blank.log").path
    let r = try run([blank, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.err == "initlens: note: read no log line from \(blank) (3 lines skipped: blank 3)\n")
    #expect(r.out.contains("\"linesRead\""))

    // A run that read a line has nothing to note.
    let read = try run([], stdin: Data(Self.log.utf8))
    #expect(read.status == 0)
    #expect(read.err.isEmpty)
  }

  /// `blame` reads its inputs as `analyze` does, and says the same of them.
  @Test func blameSaysWhatAnalyzeSaysOfItsInputs() throws {
    let d = try Self.dir(["image.png": Self.png, "cloud-init.log": Array(Self.log.utf8)])
    let missing = d.appendingPathComponent("missing.log").path
    let png = d.appendingPathComponent("image.png").path
    let gone = try run(["blame", missing])
    #expect(gone.status == 2 && gone.out.isEmpty)
    #expect(gone.err == "initlens: \(missing): cannot read: no such file or directory\n")
    let binary = try run(["blame", png])
    #expect(binary.status == 2)
    #expect(binary.err == "initlens: \(png): not a log: binary data (give a text log, plain or .gz)\n")
    let empty = try run(["blame"], stdin: Data())
    #expect(empty.status == 0)
    #expect(empty.err == "initlens: note: read no log line from <stdin> (empty)\n")
    let beside = try run(["blame", missing, d.appendingPathComponent("cloud-init.log").path])
    #expect(beside.status == 2 && beside.out.contains("Boot Record 01"), "\(beside.out)")
  }

  @Test func emptyFleetDirectoryIsExitTwoWithTheReason() throws {
    let d = try Self.dir([:])
    let r = try run(["fleet", d.path])
    #expect(r.status == 2)
    #expect(r.out.isEmpty)
    #expect(r.err == "initlens: fleet: no bundle found in \(d.path)\n")
  }

  @Test func sniffTellsBinaryFromText() {
    func binary(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes(BinarySniff.isBinary) }
    #expect(binary(Self.png))
    #expect(binary(Self.elf))
    #expect(binary([UInt8](repeating: 0, count: 100)))
    #expect(binary(Array("LPKSHHRH".utf8) + [UInt8](repeating: 1, count: 200)))
    #expect(!binary([]))
    #expect(!binary(Array(Self.log.utf8)))
    // A log with a crash's NUL padding, UTF-16 text, Latin-1 accents, colour codes: text.
    #expect(!binary(Array(Self.log.utf8) + [UInt8](repeating: 0, count: 4096) + Array(Self.log.utf8)))
    #expect(!binary(Array(Self.log.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
    #expect(!binary(Array("Jun 25 14:58:01 h\u{E9}te: caf\u{E9} pr\u{EA}t\n".unicodeScalars.map { UInt8($0.value) })))
    #expect(!binary(Array("\u{1B}[0;1;31mFAILED\u{1B}[0m Failed to start ecs.service\n".utf8)))
    // A UTF-8 sequence cut by the end of the sample is text.
    let cut = Array(String(repeating: "\u{E9}t\u{E9} ", count: 3000).utf8.prefix(BinarySniff.sampleBytes + 1))
    #expect(!binary(cut))
    let journal = Array("LPKSHHRH".utf8) + [UInt8](repeating: 0, count: 64)
    #expect(journal.withUnsafeBytes(BinarySniff.describe).contains("journalctl --file FILE"))
  }
}
