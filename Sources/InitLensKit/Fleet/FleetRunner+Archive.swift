/// Reading an archive bundle in memory: its log members, and what its other members say of the instance.
extension FleetRunner {
  func analyzeArchive(_ bundle: Bundle, _ analyzer: Analyzer, _ errors: inout [BundleError], _ facts: inout BundleFacts)
  {
    do {
      let bytes = try readArchive(bundle.path)
      let (members, refused) = try Tar.members(bytes)
      for name in refused {
        errors.append(
          BundleError(bundle: bundle.path, message: "refused archive member \(name) (absolute or '..' path)"))
      }
      let logs = members.filter { BundleFinder.isLogFile($0.name) }.sorted { $0.name < $1.name }
      if logs.isEmpty { errors.append(BundleError(bundle: bundle.path, message: "no log files in the archive")) }
      for member in logs {
        let name = bundle.path + ":" + member.name
        let year = member.mtime > 0 ? Timestamp.components(Int64(member.mtime) * 1_000_000).0 : nil
        let data = Array(member.data)
        if data.count >= 2 && data[0] == 0x1F && data[1] == 0x8B {
          do {
            var source: any ByteSource = try GzipByteSource(
              MemoryByteSource(data), maxOutputBytes: options.maxInflatedBytes)
            analyzer.analyze(name: name, source: &source, modificationYear: year)
          } catch {
            analyzer.failed(name: name, message: error.message)
          }
        } else {
          data.withUnsafeBytes { analyzer.analyze(name: name, bytes: $0, modificationYear: year) }
        }
      }
      facts.read(members)
    } catch {
      errors.append(BundleError(bundle: bundle.path, message: error.message))
    }
  }
}
