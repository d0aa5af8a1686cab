// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "initlens",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "initlens", targets: ["initlens"]),
    .library(name: "InitLensKit", targets: ["InitLensKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
  ],
  targets: [
    // C shims: the only places that include C headers.
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
    ),
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    // libc calls Swift cannot reach directly (memmem, malloc_trim); only Platform/System.swift imports it.
    .systemLibrary(name: "CSystem"),
    // The safe PCRE2 wrapper: pattern, match scratch, errors.
    .target(name: "PCRE2Kit", dependencies: ["CPCRE2"]),
    // The zlib owner: one inflate stream (`z_stream`) and its errors.
    .target(name: "ZlibKit", dependencies: ["CZlib"]),
    // The engine: read → classify → fold into incidents → report. Never prints.
    .target(
      name: "InitLensKit",
      dependencies: ["PCRE2Kit", "ZlibKit", "CSystem", .product(name: "Yams", package: "Yams")]
    ),
    // The thin executable: commands, options, diagnostics, exit codes.
    .executableTarget(
      name: "initlens",
      dependencies: ["InitLensKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(name: "PCRE2KitTests", dependencies: ["PCRE2Kit"]),
    .testTarget(name: "ZlibKitTests", dependencies: ["ZlibKit"]),
    // What both test targets need, once: repository paths, the built binaries, the shared folder,
    // `.requires(…)` (skipped with a reason, never in CI), in-memory analysis, child processes with a
    // deadline (ProcessRun, shell, gzip), `bounded`, SplitMix.
    .target(name: "TestSupport", dependencies: ["InitLensKit"], path: "Tests/TestSupport"),
    .testTarget(name: "InitLensKitTests", dependencies: ["InitLensKit", "TestSupport"], exclude: ["Fixtures"]),
    // Hostile inputs against the binary and the library; Corpus/ holds fuzz seeds and crash inputs.
    .testTarget(name: "HostileInputTests", dependencies: ["InitLensKit", "TestSupport"], exclude: ["Corpus"]),
    // libFuzzer entry (scripts/fuzz builds it with -sanitize=fuzzer); a plain build replays corpus files.
    .executableTarget(name: "initlens-fuzz", dependencies: ["InitLensKit"], path: "Sources/FuzzTarget"),
  ],
  swiftLanguageModes: [.v6]
)
