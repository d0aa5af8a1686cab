/// The triage of the unknown in the HTML report: the top templates of warning lines no rule matched,
/// by hosts and boots, each with its first example. Every string is escaped.
extension HTMLRenderer {
  private typealias F = HTMLFormat

  func unmatchedSection(_ list: [UnmatchedTemplate], limit: Int = 10) -> String {
    guard !list.isEmpty else { return "" }
    var out = "<section id=\"unmatched\">\n<h2>Unmatched warnings <small>no rule knows these: "
    out += "\(F.plural(list.count, "template"))</small></h2>\n"
    out +=
      "<div class=\"tw\"><table class=\"unmatched rf\"><thead><tr><th>Template</th><th class=\"num\">Hosts</th>"
      + "<th class=\"num\">Boots</th><th class=\"num\">Lines</th><th>Example</th></tr></thead><tbody>\n"
    for t in list.prefix(limit) {
      out += "<tr><td><div class=\"gid\"><code>\(F.e(t.id))</code></div><code>\(F.e(t.template))</code></td>"
      out +=
        "<td class=\"num il\" data-l=\"hosts\">\(F.count(t.hosts))</td>"
        + "<td class=\"num il\" data-l=\"boots\">\(F.count(t.boots))</td>"
        + "<td class=\"num il\" data-l=\"lines\">\(F.count(t.count))</td><td>"
      out += t.examples.first.map { evidence([$0]) } ?? ""
      out += "</td></tr>\n"
    }
    out += "</tbody></table></div>\n"
    if list.count > limit {
      out += "<p class=\"muted\">\(F.count(list.count - limit)) more in the JSON report.</p>\n"
    }
    out +=
      "<p class=\"muted\">Draft a rule for one: <code>initlens rules suggest ID --from REPORT.json</code> "
      + "(a <code>--format json</code> report).</p>\n"
    out += "</section>\n"
    return out
  }
}
