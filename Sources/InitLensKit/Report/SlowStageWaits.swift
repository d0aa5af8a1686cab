extension SlowStage {
  /// What a slow step waited on, from the boot's own incidents and timeline inside the step's span.
  /// The mapping is small on purpose: the rules already say what each line is (its kind and family);
  /// this only groups them into the four waits the fix can name.
  struct Waits {
    var imds: [Incident] = []
    var network: [Incident] = []
    var docker: [Incident] = []
    var warmPool = false
    var scripts: [String] = []
    /// `dnf install`, `apt-get update`: cloud-init's package module (rules/events/ci-package-command.yaml).
    var packages: [String] = []
    /// Package-manager transactions in the stages' output (`Complete!`, apt-get's summary:
    /// rules/events/ci-output-*.yaml), from user-data scripts when cloud-init's module ran none.
    var packageOutput = 0

    init(_ boot: BootReport, from: Int64?, to: Int64?) {
      guard let from, let to else { return }
      for i in boot.incidents where i.kind != SlowStage.kind {
        guard let a = i.first ?? i.last, let b = i.last ?? i.first, a <= to, b >= from else { continue }
        if i.kind == "network-unreachable" {
          network.append(i)
        } else if i.kind.hasPrefix("imds-") || i.kind == "ecs-imds-unreachable" || i.familyName.hasPrefix("imds-") {
          imds.append(i)
        } else if i.kind == "docker-unavailable" {
          docker.append(i)
        }
      }
      for e in boot.timeline {
        guard let t = e.time else { continue }
        // A line of cloud-init-output.log has no time of its own: it takes the time of the line before
        // it, at best the stage's header, to the second and before the step began.
        if e.kind == "package-output", t >= from - Self.outputSlack, t <= to { packageOutput += 1 }
        guard t >= from, t <= to else { continue }
        if e.kind == "ecs-warm-pool-wait" { warmPool = true }
        let manager = "cloud-init runs the package manager: "  // rules/events/ci-package-command.yaml
        if e.kind == "package-command", e.summary.hasPrefix(manager) {
          let command = String(e.summary.dropFirst(manager.count))
          if !packages.contains(command) { packages.append(command) }
        }
        let runs = "cloud-init runs the user-data script "  // rules/events/ci-userdata-script-run.yaml
        if e.kind == "userdata-run", e.summary.hasPrefix(runs) {
          let script = String(e.summary.dropFirst(runs.count))
          if !scripts.contains(script) { scripts.append(script) }
        }
      }
    }

    /// How long before a step an output line's borrowed time may be (the header's second, then the
    /// modules before the step).
    static let outputSlack: Int64 = 5_000_000

    static func lines(_ list: [Incident]) -> Int { list.reduce(0) { $0 + $1.count } }

    /// Package installs seen only in the output: a user-data script's, when cloud-init's module ran none.
    var scriptPackages: Bool { packages.isEmpty && packageOutput > 0 }

    /// `IMDS retries (imds-unreachable ×12), user-data script /var/lib/cloud/instance/scripts/part-001`.
    var summary: String? {
      var parts: [String] = []
      if !imds.isEmpty {
        let kinds = Set(imds.map(\.kind)).sorted().joined(separator: ", ")
        parts.append("IMDS retries (\(kinds) ×\(Self.lines(imds)))")
      }
      if !network.isEmpty { parts.append("the network (no route to IMDS ×\(Self.lines(network)))") }
      if warmPool { parts.append("the Auto Scaling lifecycle state InService (ECS_WARM_POOLS_CHECK=true)") }
      if !docker.isEmpty { parts.append("Docker (docker-unavailable ×\(Self.lines(docker)))") }
      if !packages.isEmpty { parts.append("package installs (\(packages.joined(separator: ", ")))") }
      if !scripts.isEmpty {
        parts.append("user-data \(scripts.count == 1 ? "script" : "scripts") \(scripts.joined(separator: ", "))")
      }
      if scriptPackages {
        let n = packageOutput == 1 ? "a package-manager transaction" : "\(packageOutput) package-manager transactions"
        parts.append("package installs in user data (\(n) in cloud-init-output.log)")
      }
      return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Evidence lines of the incidents it waited on (at most three).
    var evidence: [Evidence] { Array((imds + network + docker).flatMap(\.evidence).prefix(3)) }
    var references: [String] { [] }

    /// The fix for the first wait found, in the order of the summary.
    func fix(step: String) -> String {
      if !imds.isEmpty {
        return
          "\(step) spent its time retrying IMDS (\(Self.lines(imds)) failed requests in the step): see the "
          + "\(Set(imds.map(\.kind)).sorted().joined(separator: ", ")) incidents of this boot for why IMDS did not "
          + "answer (throttling, hop limit, IMDS endpoint or network), and check "
          + "`aws ec2 describe-instances --query 'Reservations[].Instances[].MetadataOptions'`."
      }
      if !network.isEmpty {
        return
          "\(step) waited for the network (no route to 169.254.169.254): DHCP or the ENI came up late. "
          + "Check `journalctl -u systemd-networkd -u NetworkManager` and the DHCP lease of this boot, "
          + "and the subnet's route table."
      }
      if warmPool {
        return
          "The ECS agent waited for the instance to go InService (ECS_WARM_POOLS_CHECK=true): the time is "
          + "the Auto Scaling group's (warm pool, lifecycle hook heartbeat), not the boot's. Check "
          + "`aws autoscaling describe-scaling-activities` and the lifecycle hook's timeout."
      }
      if !docker.isEmpty {
        return
          "\(step) waited for Docker: check `systemctl status docker` and `journalctl -u docker` of this boot."
      }
      if !packages.isEmpty {
        return
          "\(step) ran the package manager (\(packages.joined(separator: ", ")); cloud-config `packages`, "
          + "`package_update`, `package_upgrade`): installing and upgrading at every launch took the time. "
          + "Install the packages in the AMI (EC2 Image Builder, Packer) and drop them from the user data, "
          + "or use a repository mirror in the VPC."
      }
      if scriptPackages {
        let ran = scripts.isEmpty ? "" : " (\(scripts.joined(separator: ", ")))"
        return
          "\(step) installed packages from user data\(ran): yum, dnf or apt-get output is in "
          + "cloud-init-output.log, and installing at every launch took the time. Install the packages in the AMI "
          + "(EC2 Image Builder, Packer) and drop them from the user data, or use a repository mirror in the VPC."
      }
      if !scripts.isEmpty {
        return
          "\(step) ran the user-data \(scripts.count == 1 ? "script" : "scripts") "
          + "\(scripts.joined(separator: ", ")): what it does (package installs, downloads) "
          + "took the time. cloud-init-output.log shows its output; install packages in the AMI "
          + "(EC2 Image Builder, Packer) instead of at every boot, or use a repository mirror in the VPC."
      }
      return
        "Nothing in this boot's logs says what \(step) waited on: compare `initlens blame` of this boot with "
        + "one of the fleet's typical boots, and read cloud-init.log and the journal inside the step."
    }
  }
}
