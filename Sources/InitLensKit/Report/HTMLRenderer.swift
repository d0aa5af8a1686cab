/// Placeholder until the HTML report lands: renders the text report, escaped, in a page.
public struct HTMLRenderer {
  public init() {}
  public func render(_ report: Report) -> String {
    let text = FleetTextRenderer(color: false).render(report)
    return "<!doctype html><meta charset=utf-8><title>initlens report</title><pre>" + HTMLRenderer.escape(text) + "</pre>\n"
  }

  /// Escapes every character that HTML gives meaning to.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}
