import Foundation
import Testing

/// The EC2 Image Builder component and the Packer template of docs/ON-INSTANCE.md parse (PyYAML,
/// python-hcl2), install the binary where the unit runs it from, and enable the unit.
@Suite struct AMIBakingTests {
  static let component = "packaging/image-builder/initlens-boot.yml"
  static let packer = "packaging/packer/initlens-boot.pkr.hcl"

  /// The document as JSON, by python3's PyYAML.
  static func yaml(_ path: String) throws -> [String: Any] {
    let out = try shell(
      "python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))' "
        + "'\(Repo.root.appendingPathComponent(path).path)'")
    return try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
  }

  /// The template as JSON, by python-hcl2 (its quotes around strings and block labels taken off).
  static func hcl(_ path: String) throws -> [String: Any] {
    let script = """
      import hcl2, json, sys
      def plain(v):
          if isinstance(v, dict):
              return {plain(k): plain(x) for k, x in v.items() if k != "__is_block__"}
          if isinstance(v, list):
              return [plain(x) for x in v]
          if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] == chr(34):
              return v[1:-1]
          return v
      print(json.dumps(plain(hcl2.load(open(sys.argv[1])))))
      """
    let file = path.hasPrefix("/") ? path : Repo.root.appendingPathComponent(path).path
    let out = try shell("python3 -c '\(script)' '\(file)' 2>/dev/null")
    return try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
  }

  static let install = [
    "install -m 0755 /tmp/initlens-install/initlens /usr/bin/initlens",
    "install -m 0644 /tmp/initlens-install/initlens-boot.service /etc/systemd/system/initlens-boot.service",
    "systemctl enable initlens-boot.service",
  ]

  @Test(.requires(Requirement.pythonModule("yaml"), "needs python3 yaml (pip install pyyaml)"))
  func imageBuilderComponentParses() throws {
    let doc = try Self.yaml(Self.component)
    #expect(doc["name"] as? String == "initlens-boot")
    #expect(doc["schemaVersion"] as? Double == 1.0)
    let phases = try #require(doc["phases"] as? [[String: Any]])
    #expect(phases.map { $0["name"] as? String } == ["build", "validate"])
    let steps = phases.flatMap { ($0["steps"] as? [[String: Any]]) ?? [] }
    var commands: [String] = []
    var downloaded: [String] = []
    for step in steps {
      if let inputs = step["inputs"] as? [String: Any] { commands += (inputs["commands"] as? [String]) ?? [] }
      if step["action"] as? String == "S3Download", let inputs = step["inputs"] as? [[String: Any]] {
        downloaded += inputs.compactMap { $0["destination"] as? String }
      }
    }
    for command in Self.install { #expect(commands.contains(command), "\(command)") }
    #expect(downloaded == ["/tmp/initlens-install/initlens", "/tmp/initlens-install/initlens-boot.service"])
    #expect(commands.contains("systemctl is-enabled initlens-boot.service"))
    // The unit runs the binary from where the component puts it.
    #expect(try BootUnitTests.execStart().hasPrefix("exec /usr/bin/initlens watch "))
  }

  @Test(.requires(Requirement.pythonModule("hcl2"), "needs python-hcl2 (pip install python-hcl2)"))
  func packerTemplateParses() throws {
    let doc = try Self.hcl(Self.packer)
    let build = try #require((doc["build"] as? [[String: Any]])?.first)
    let provisioners = try #require(build["provisioner"] as? [[String: Any]])
    let file = try #require(provisioners.compactMap { $0["file"] as? [String: Any] }.first)
    let shellStep = try #require(provisioners.compactMap { $0["shell"] as? [String: Any] }.first)
    #expect(file["sources"] as? [String] == ["${var.initlens_binary}", "${var.initlens_unit}"])
    #expect(file["destination"] as? String == "/tmp/")
    let inline = try #require(shellStep["inline"] as? [String])
    for command in Self.install {
      let local = command.replacingOccurrences(of: "/tmp/initlens-install/", with: "/tmp/")
      #expect(inline.contains("sudo " + local), "\(local)")
    }
    // The unit the template uploads by default is the repository's.
    let variables = try #require(doc["variable"] as? [[String: Any]])
    let unit = try #require(variables.compactMap { $0["initlens_unit"] as? [String: Any] }.first)
    let path = Repo.root.appendingPathComponent("packaging/packer/").appendingPathComponent(
      try #require(unit["default"] as? String)
    ).standardized.path
    #expect(path == Repo.root.appendingPathComponent(BootUnitTests.unit).standardized.path)
    // A broken copy does not parse: the check can fail.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initlens-hcl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = try String(contentsOf: Repo.root.appendingPathComponent(Self.packer), encoding: .utf8)
    try text.replacingOccurrences(of: "build {", with: "build {{").write(
      to: dir.appendingPathComponent("bad.pkr.hcl"), atomically: true, encoding: .utf8)
    #expect(throws: ShellFailed.self) { try Self.hcl(dir.appendingPathComponent("bad.pkr.hcl").path) }
  }
}
