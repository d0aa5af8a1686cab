// initlens-fuzz: one input through the line reader, format detection, the rule engine and a whole
// analysis, checking the invariants the engine promises (docs/SECURITY.md).
//
// Built by `scripts/fuzz` with `-sanitize=fuzzer -D INITLENS_LIBFUZZER`, `main` hands control to
// libFuzzer's driver, which calls `LLVMFuzzerTestOneInput` with generated inputs. Built plainly
// (`swift build`), it replays files: `initlens-fuzz FILE|DIR…` runs each file once and exits 0 when
// none broke an invariant (a broken invariant traps, as it does under libFuzzer).

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  fuzzOne(bytes)
  return 0
}

#if INITLENS_LIBFUZZER
  @_silgen_name("LLVMFuzzerRunDriver")
  func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  // SwiftPM links this file's top-level code as `main`, so libFuzzer's own `main` is not used:
  // start its driver from here.
  var argc = CommandLine.argc
  var argv = CommandLine.unsafeArgv
  exit(llvmFuzzerRunDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) })
#else
  /// Replay: every file named, or every file in a directory named, sorted.
  var files: [String] = []
  for arg in CommandLine.arguments.dropFirst() {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir), isDir.boolValue {
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: arg)) ?? []
      files += entries.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { arg + "/" + $0 }
    } else {
      files.append(arg)
    }
  }
  if files.isEmpty {
    FileHandle.standardError.write(Data("usage: initlens-fuzz FILE|DIR… (replays inputs; see scripts/fuzz)\n".utf8))
    exit(64)
  }
  for file in files {
    guard let data = FileManager.default.contents(atPath: file) else {
      FileHandle.standardError.write(Data("initlens-fuzz: \(file): cannot read\n".utf8))
      exit(2)
    }
    FileHandle.standardError.write(Data("input \(file)\n".utf8))
    fuzzOne(Array(data))
    print("ok \(file) (\(data.count) bytes)")
  }
#endif
