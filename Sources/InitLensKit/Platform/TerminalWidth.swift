/// The width of the text report in terminal columns, decided once by the CLI as `rg` and `systemctl`
/// do: `COLUMNS` when it is a positive integer, else the size of the terminal the report goes to,
/// else 100 (piped or written to a file). Never below `minimum`.
public enum TerminalWidth {
  /// The width when the report goes to no terminal (and the width of the golden reports).
  public static let piped = 100
  /// Narrower than this, a report's tables and charts have no room left: `COLUMNS=10` gives 40.
  public static let minimum = 40

  /// The width for `columns` (the value of `COLUMNS`, if set) and `terminal` (the columns of the
  /// terminal the report goes to, nil when it goes to none).
  public static func choose(columns: String?, terminal: Int?) -> Int {
    if let columns, let n = Int(columns), n > 0 { return max(minimum, n) }
    if let terminal, terminal > 0 { return max(minimum, terminal) }
    return piped
  }

  /// The width of a report written to standard output (`toTerminal`: it is not written to a file, so
  /// the terminal on standard output, if any, is where it shows).
  public static func current(toTerminal: Bool = true) -> Int {
    choose(
      columns: System.environment("COLUMNS"),
      terminal: toTerminal && System.isTerminal(1) ? System.terminalColumns(1) : nil)
  }

  /// The width of a listing (`rules list`, `explain`) on standard output: as `current()` on a terminal
  /// or with `COLUMNS`, but unbounded when piped, as `systemctl` lists in full for scripts and `grep`.
  public static func listing() -> Int {
    let columns = System.environment("COLUMNS")
    let terminal = System.isTerminal(1) ? System.terminalColumns(1) : nil
    return columns == nil && terminal == nil ? Int.max / 2 : choose(columns: columns, terminal: terminal)
  }
}
