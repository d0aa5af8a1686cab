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
