/// The outer shape of a line, as detected (or forced with `--input-format`).
public enum LineFormat: String, Codable, Sendable, CaseIterable {
  /// journalctl `short`/`short-precise` and syslog files: `Mmm dd HH:MM:SS[.us] host ident[pid]: msg`.
  case journalShort = "journal-short"
  /// journalctl `short-iso`/`short-iso-precise` and RFC 3339 syslog: `2025-06-25T14:58:01+0000 host ident[pid]: msg`.
  case journalISO = "journal-iso"
  /// journalctl short-full and with-unit: `Wed 2025-06-25 14:58:01 UTC host ident[pid]: msg`.
  case journalFull = "journal-full"
  /// journalctl short-unix: `1750863481.470000 host ident[pid]: msg`.
  case journalUnix = "journal-unix"
  /// journalctl short-monotonic and short-delta: `[    5.123456] host ident[pid]: msg`.
  case journalMonotonic = "journal-monotonic"
  /// journalctl `-o json` (one object per line, also json-seq and json-sse) and json-pretty.
  case journalJSON = "journal-json"
  /// journalctl `-o export`: `FIELD=value` lines, an empty line after each entry.
  case journalExport = "journal-export"
  /// journalctl `-o verbose`: a dated cursor line, then indented `FIELD=value` lines.
  case journalVerbose = "journal-verbose"
  /// Serial console: `[   14.226188] cloud-init[872]: msg` or a kernel line.
  case console
  /// cloud-init.log: `2025-06-25 14:58:01,470 - url_helper.py[WARNING]: msg`.
  case cloudInit = "cloud-init"
  /// ECS agent / ecs-init seelog: `2020-01-01T00:00:00Z [ERROR] msg`.
  case ecsLegacy = "ecs-legacy"
  /// ECS agent / ecs-init logfmt: `level=error time=2025-… msg="…"`.
  case ecsLogfmt = "ecs-logfmt"
  /// ECS agent with `ECS_LOG_OUTPUT_FORMAT=json`.
  case ecsJSON = "ecs-json"
  /// No header: script output, a continuation line, cloud-init-output.log text.
  case plain
}

/// What `--input-format` accepts: `auto` or one outer format family.
public enum InputFormat: String, Sendable, CaseIterable {
  case auto
  /// journalctl short modes and syslog files (with or without year).
  case journal
  case json
  case console
  case cloudInit = "cloud-init"
  case ecs
  case plain
}
