import Yams

/// What `rules check` says about one rule file as written: the loader's problems, the placeholders
/// an unfinished draft (`rules suggest`) still holds, and the checker's verdict on every example.
public enum RuleLint {
  /// What a draft writes where only a person can fill in (`kind`, `family`, `fix`, the no-match line).
  public static let draftPlaceholder = "TODO"

  /// Problems that make `file` an unfinished draft: `kind` or `fix` still `TODO`, or the no-match
  /// placeholder still there. Each message says what to write. Empty for any other rule file.
  public static func unfinishedDraft(_ file: RuleFile) -> [RuleDiagnostic] {
    guard file.text.contains(draftPlaceholder), let root = try? YAML.compose(file.text), let map = root.mapping else {
      return []
    }
    let id = map[text: "id"]?.string
    var diags: [RuleDiagnostic] = []
    func fail(_ node: Node, _ message: String) {
      diags.append(
        RuleDiagnostic(
          file: file.path, position: node.mark.map { SourcePosition(line: $0.line, column: $0.column) }, ruleID: id,
          message: message))
    }
    if let kind = map[text: "kind"], kind.string?.hasPrefix(draftPlaceholder) == true {
      fail(
        kind,
        "draft rule: write 'kind', the incident kind this line means (lower-case kebab-case: one that "
          + "`initlens rules list` shows, so chains and reports treat it alike, or a new one)")
    }
    if let family = map[text: "family"], family.string?.hasPrefix(draftPlaceholder) == true {
      fail(
        family,
        "draft rule: write 'family', the contract kind your kind refines (one of "
          + Rule.contractKinds.joined(separator: ", ") + "), or the kind itself when it refines none")
    }
    if let fix = map[text: "fix"], fix.string?.hasPrefix(draftPlaceholder) == true {
      fail(fix, "draft rule: write 'fix', what a person should do about this line (it may use the {captures})")
    }
    if let noMatch = map[text: "examples"]?.mapping?[text: "no-match"]?.sequence {
      for item in noMatch where item.string?.hasPrefix(draftPlaceholder) == true {
        fail(
          item,
          "draft rule: replace the no-match placeholder with a line that looks like the examples but must not match")
      }
    }
    return diags
  }

  /// Everything `rules check` says about one rule file: the loader's problems, an unfinished draft's
  /// placeholders, and (when it loads) every example run through the checker.
  public static func check(_ file: RuleFile) -> [RuleDiagnostic] {
    let (rule, diags) = RuleLoader.load(file)
    var all = diags + unfinishedDraft(file)
    if let rule { all += RuleChecker.check([rule]).diagnostics }
    return all
  }
}
