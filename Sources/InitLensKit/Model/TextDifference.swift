/// Where two texts first differ: the line number and both lines, cut to `width` characters (`none`
/// when they are equal). For the messages of the checks that compare two reports (the fuzz target,
/// the path-equivalence tests).
public func firstDifference(_ a: String, _ b: String, width: Int = 300) -> String {
  let la = a.split(separator: "\n", omittingEmptySubsequences: false)
  let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
  for i in 0..<max(la.count, lb.count) {
    let x = i < la.count ? String(la[i]) : "<end>"
    let y = i < lb.count ? String(lb[i]) : "<end>"
    if x != y { return "line \(i + 1): \(x.prefix(width)) | \(y.prefix(width))" }
  }
  return "none"
}
