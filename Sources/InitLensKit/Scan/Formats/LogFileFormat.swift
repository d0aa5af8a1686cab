/// A line of a program's own log file, the format of last resort: cloud-init.log
/// (`2025-06-25 14:58:01,470 - url_helper.py[WARNING]: msg`), the ECS agent's and ecs-init's seelog
/// (`2020-01-01T00:00:00Z [ERROR] msg`) and logfmt (`level=error time=2025-… msg="…"`) lines. Tried
/// under every `--input-format` (each of its shapes checks the forced format itself).
enum LogFileFormat: HeaderFormat {
  static let headerStarts: [ClosedRange<UInt8>] = [0x30...0x39, 0x6C...0x6C]
  static func isTried(_ forced: InputFormat, _ parser: LineParser) -> Bool { true }
  static func claims(_ p: UnsafeRawBufferPointer, _ parser: LineParser) -> Bool { true }
  static func parse(_ p: UnsafeRawBufferPointer, _ out: inout ParsedLine, _ parser: inout LineParser) -> Bool {
    parser.parseInner(p, 0, &out, fileLevel: true)
  }
}

extension LineFormat {
  /// cloud-init.log: `2025-06-25 14:58:01,470 - url_helper.py[WARNING]: msg`.
  public static let cloudInit = LineFormat("cloud-init", logFile: true)
  /// ECS agent / ecs-init seelog: `2020-01-01T00:00:00Z [ERROR] msg`.
  public static let ecsLegacy = LineFormat("ecs-legacy", logFile: true)
  /// ECS agent / ecs-init logfmt: `level=error time=2025-… msg="…"`.
  public static let ecsLogfmt = LineFormat("ecs-logfmt", logFile: true)
}
