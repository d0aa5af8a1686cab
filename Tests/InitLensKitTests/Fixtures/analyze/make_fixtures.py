#!/usr/bin/env python3
"""Builds the cloud-init.log fixtures in this folder from a simulated boot.

Each boot is driven by a true monotonic clock (µs since kernel start). The wall clock written in
the log is kernel_start + monotonic + clock_offset; a clock step changes clock_offset. Lines use
cloud-init's own shapes (asctime with truncated milliseconds, `file.py[LEVEL]: msg`), its real
event names/descriptions (stages.py, sources/__init__.py, config/modules.py, cmd/main.py) and the
module lists of config/cloud.cfg(.tmpl) of the version being imitated. Deterministic: no RNG.
"""
import datetime
import sys

# ---------------------------------------------------------------- profiles

class Profile:
    def __init__(self, version, banner_file, underscores, took, duration_suffix, modules):
        self.version = version          # what version.version_string() prints
        self.banner_file = banner_file  # util.py before 24.4, log_util.py since
        self.underscores = underscores  # cloud.cfg module spelling (23.4+: write_files)
        self.took = took                # 24.4+: "ran successfully and took 0.123 seconds"
        self.duration_suffix = duration_suffix  # 26.1+: " (duration: 1.234s)"
        self.modules = modules          # {"init": [...], "config": [...], "final": [...]}


PY = "/usr/lib/python3/dist-packages/cloudinit"
PY_AL = "/usr/lib/python3.9/site-packages/cloudinit"

FREQ = {"once-per-instance", "always", "once"}


class Sim:
    def __init__(self, lines, profile, kernel_start, iid, pydir=PY):
        self.lines = lines
        self.p = profile
        self.k0 = kernel_start      # epoch µs of kernel start (true)
        self.mono = 0               # µs since kernel start (true)
        self.offset = 0             # wall clock error (µs); a step changes it
        self.iid = iid
        self.pydir = pydir
        self.stack = []             # (name, enter_mono)

    # ---- clocks
    def wall(self):
        return self.k0 + self.mono + self.offset

    def adv(self, ms):
        self.mono += int(round(ms * 1000))

    def step_clock(self, seconds):
        self.offset += int(round(seconds * 1_000_000))

    def asctime(self):
        w = self.wall()
        dt = datetime.datetime.fromtimestamp(w // 1_000_000, datetime.timezone.utc)
        return dt.strftime("%Y-%m-%d %H:%M:%S") + ",%03d" % ((w // 1000) % 1000)

    def rfc2822(self):
        w = self.wall()
        dt = datetime.datetime.fromtimestamp(w // 1_000_000, datetime.timezone.utc)
        return dt.strftime("%a, %d %b %Y %H:%M:%S +0000")

    def uptime(self):
        cs = self.mono // 10_000
        return "%d.%02d" % (cs // 100, cs % 100)

    # ---- lines
    def log(self, f, lvl, msg, ms=0.3):
        self.adv(ms)
        self.lines.append("%s - %s[%s]: %s" % (self.asctime(), f, lvl, msg))

    def raw(self, text):
        self.lines.append(text)

    def start(self, name, desc, ms=0.2):
        self.adv(ms)
        self.stack.append((name, self.mono))
        self.lines.append("%s - handlers.py[DEBUG]: start: %s: %s" % (self.asctime(), name, desc))

    def finish(self, name, result, desc, ms=0.2):
        self.adv(ms)
        top, entered = self.stack.pop()
        assert top == name, (top, name)
        text = "finish: %s: %s: %s" % (name, result, desc)
        if self.p.duration_suffix:
            text += " (duration: %.3fs)" % ((self.mono - entered) / 1e6)
        self.lines.append("%s - handlers.py[DEBUG]: %s" % (self.asctime(), text))

    # ---- stages
    def banner(self, action, delay_ms):
        """welcome_format() reads uptime and the RFC 2822 time; the line is logged after the
        config is read and logging is set up (delay_ms later)."""
        up, rfc = self.uptime(), self.rfc2822()
        self.adv(delay_ms)
        self.lines.append(
            "%s - %s[DEBUG]: Cloud-init v. %s running '%s' at %s. Up %s seconds."
            % (self.asctime(), self.p.banner_file, self.p.version, action, rfc, up))

    def stage_begin(self, name, action, at_uptime_s, delay_ms):
        # the stage's ReportEventStack is entered (unlogged) just before welcome_format()
        self.mono = max(self.mono, int(at_uptime_s * 1_000_000))
        self.stack.append((name, self.mono - 1500))
        self.banner(action, delay_ms)

    def final_banner(self, ds):
        up, rfc = self.uptime(), self.rfc2822()
        self.log(self.p.banner_file, "DEBUG",
                 "Cloud-init v. %s finished at %s. Datasource %s.  Up %s seconds" % (self.p.version, rfc, ds, up),
                 ms=0.4)

    def module(self, stage, name, freq, ms, body=None, ran=True, fail=None):
        canon = name.replace("-", "_")
        run_name = "config-%s" % name
        self.log("modules.py", "DEBUG",
                 "Running module %s (<module 'cloudinit.config.cc_%s' from '%s/config/cc_%s.py'>) with frequency %s"
                 % (name, canon, self.pydir, canon, freq), ms=0.3)
        self.start("%s/%s" % (stage, run_name), "running %s with frequency %s" % (run_name, freq), ms=0.1)
        if not ran:
            self.log("helpers.py", "DEBUG", "%s already ran (freq=%s)" % (run_name, freq), ms=0.2)
            self.finish("%s/%s" % (stage, run_name), "SUCCESS", "%s previously ran" % run_name, ms=0.1)
            return
        if freq == "always":
            self.log("helpers.py", "DEBUG",
                     "Running %s using lock (<cloudinit.helpers.DummyLock object at 0x7f3c2a8e%04x>)"
                     % (run_name, (len(self.lines) * 40) & 0xFFFF), ms=0.2)
        else:
            self.log("util.py", "DEBUG", "Writing to /var/lib/cloud/instances/%s/sem/config_%s - wb: [644] 24 bytes"
                     % (self.iid, canon), ms=0.3)
            self.log("helpers.py", "DEBUG", "Running %s using lock (<FileLock using file '/var/lib/cloud/instances/%s/sem/config_%s'>)"
                     % (run_name, self.iid, canon), ms=0.1)
        t0 = self.mono
        if body:
            body(self)
        rest = int(ms * 1000) - (self.mono - t0)
        if rest > 0:
            self.mono += rest
        if fail:
            fail(self)
            self.finish("%s/%s" % (stage, run_name), "FAIL", "running %s with frequency %s" % (run_name, freq), ms=0.1)
            return
        msg = "%s ran successfully" % run_name
        if self.p.took:
            msg += " and took %.3f seconds" % ((self.mono - t0) / 1e6)
        self.finish("%s/%s" % (stage, run_name), "SUCCESS", msg, ms=0.1)


def mname(p, n):
    return n  # run names use the cloud.cfg spelling verbatim (config/modules.py)

# ------------------------------------------------------------- boot bodies

def init_local_ec2(s, first, netcfg_ms=12, token_retry=False):
    s.log("main.py", "INFO", "PID [1] started cloud-init 'init-local'.", ms=0.6)
    s.log("main.py", "DEBUG", "No kernel command line url found.", ms=0.2)
    s.log("main.py", "DEBUG", "Closing stdin", ms=0.1)
    s.log("util.py", "DEBUG", "Writing to /var/log/cloud-init.log - ab: [640] 0 bytes", ms=6.5)
    s.log("util.py", "DEBUG", "Changing the ownership of /var/log/cloud-init.log to 102:4", ms=0.3)
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/data/python-version - wb: [644] 4 bytes", ms=0.6)
    s.log("util.py", "DEBUG", "Attempting to remove /var/lib/cloud/instance/boot-finished", ms=0.2)
    s.start("init-local/check-cache", "attempting to read from cache [check]", ms=0.4)
    s.log("util.py", "DEBUG", "Reading from /var/lib/cloud/instance/obj.pkl (quiet=False)", ms=0.2)
    if first:
        s.log("stages.py", "DEBUG", "no cache found", ms=0.4)
        s.finish("init-local/check-cache", "SUCCESS", "no cache found", ms=0.2)
        s.log("util.py", "DEBUG", "Attempting to remove /var/lib/cloud/instance", ms=0.3)
        s.log("__init__.py", "DEBUG", "Looking for data source in: ['Ec2', 'None'], via packages ['', 'cloudinit.sources'] that matches dependencies ['FILESYSTEM']", ms=8)
        s.log("__init__.py", "DEBUG", "Searching for local data source in: ['DataSourceEc2Local']", ms=1.2)
        s.start("init-local/search-Ec2Local", "searching for local data from DataSourceEc2Local", ms=0.2)
        s.log("__init__.py", "DEBUG", "Seeing if we can get any data from <class 'cloudinit.sources.DataSourceEc2.DataSourceEc2Local'>", ms=0.2)
        s.log("__init__.py", "DEBUG", "Update datasource metadata and network config due to events: boot-new-instance", ms=0.2)
        s.log("dmi.py", "DEBUG", "querying dmi data /sys/class/dmi/id/product_uuid", ms=0.3)
        s.log("dmi.py", "DEBUG", "querying dmi data /sys/class/dmi/id/product_serial", ms=0.2)
        s.log("dmi.py", "DEBUG", "querying dmi data /sys/class/dmi/id/chassis_asset_tag", ms=0.2)
        s.log("dmi.py", "DEBUG", "querying dmi data /sys/class/dmi/id/sys_vendor", ms=0.2)
        s.log("ephemeral.py", "DEBUG", "Bringing up ephemeral networking with ifname=ens5 ipv4=True ipv6=False", ms=1.1)
        s.log("dhcp.py", "DEBUG", "Performing a dhcp discovery on ens5", ms=0.6)
        s.log("subp.py", "DEBUG", "Running command ['/usr/sbin/dhcpcd', '--ipv4only', '--waitip', '--persistent', '--noarp', '--script=/bin/true', 'ens5'] with allowed return codes [0] (shell=False, capture=True)", ms=0.5)
        s.log("dhcp.py", "DEBUG", "Parsing dhcpcd lease for interface ens5: 'reason=BOUND\\ninterface=ens5\\nprotocol=dhcp\\nip_address=172.31.18.44\\n...'", ms=1840)
        s.log("DataSourceEc2.py", "DEBUG", "Fetching Ec2 IMDSv2 API Token", ms=9)
        s.log("url_helper.py", "DEBUG", "[0/1] open 'http://169.254.169.254/latest/api/token' with {'url': 'http://169.254.169.254/latest/api/token', 'stream': False, 'allow_redirects': True, 'method': 'PUT', 'timeout': 50.0, 'headers': {'X-aws-ec2-metadata-token-ttl-seconds': 'REDACTED', 'User-Agent': 'Cloud-Init/%s'}} configuration" % s.p.version, ms=0.4)
        if token_retry:
            s.log("url_helper.py", "WARNING", "Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]", ms=2)
            s.log("DataSourceEc2.py", "WARNING", "Fetching token failed, will retry: bad status code [503]", ms=0.2)
            s.log("url_helper.py", "DEBUG", "Please wait 1 seconds while we wait to try again", ms=0.2)
            s.adv(1000)
            s.log("url_helper.py", "DEBUG", "[1/120] open 'http://169.254.169.254/latest/api/token' with {'url': 'http://169.254.169.254/latest/api/token', 'stream': False, 'allow_redirects': True, 'method': 'PUT', 'timeout': 50.0, 'headers': {'X-aws-ec2-metadata-token-ttl-seconds': 'REDACTED', 'User-Agent': 'Cloud-Init/%s'}} configuration" % s.p.version, ms=0.3)
        s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/latest/api/token (200, 56b) after %d attempts" % (2 if token_retry else 1), ms=3.1)
        s.log("DataSourceEc2.py", "DEBUG", "Using metadata source: 'http://169.254.169.254'", ms=0.3)
        s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/meta-data/instance-id (200, 19b) after 1 attempts", ms=2.2)
        s.log("DataSourceEc2.py", "DEBUG", "Found preferred metadata version 2021-03-23", ms=0.2)
        s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/user-data (200, 1188b) after 1 attempts", ms=2.9)
        s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/meta-data/ (200, 306b) after 1 attempts", ms=2.4)
        s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/dynamic/instance-identity (200, 32b) after 1 attempts", ms=38)
        s.log("ephemeral.py", "DEBUG", "Tearing down ephemeral networking on ens5", ms=4)
        s.finish("init-local/search-Ec2Local", "SUCCESS", "found local data from DataSourceEc2Local", ms=1.5)
        s.log("stages.py", "INFO", "Loaded datasource DataSourceEc2Local - DataSourceEc2Local", ms=0.2)
        s.log("util.py", "DEBUG", "Reading from /etc/cloud/cloud.cfg (quiet=False)", ms=0.4)
        s.log("util.py", "DEBUG", "Creating symbolic link from '/var/lib/cloud/instance' => '/var/lib/cloud/instances/%s'" % s.iid, ms=18)
        s.log("main.py", "DEBUG", "[local] init will now be targeting instance id: %s. new=True" % s.iid, ms=4)
    else:
        s.log("util.py", "DEBUG", "Reading from /run/cloud-init/.instance-id (quiet=False)", ms=0.3)
        s.log("stages.py", "DEBUG", "restored from cache with run check: DataSourceEc2Local", ms=1.8)
        s.finish("init-local/check-cache", "SUCCESS", "restored from cache with run check: DataSourceEc2Local", ms=0.2)
        s.log("main.py", "DEBUG", "[local] init will now be targeting instance id: %s. new=False" % s.iid, ms=3.5)
    s.log("stages.py", "DEBUG", "Using distro class <class 'cloudinit.distros.ubuntu.Distro'>", ms=0.6)
    s.log("stages.py", "INFO", "Applying network configuration from ds bringup=False: {'ethernets': {'ens5': {'dhcp4': True, 'dhcp6': False, 'match': {'macaddress': '0a:d1:5e:2c:44:91'}, 'set-name': 'ens5'}}, 'version': 2}", ms=netcfg_ms)
    s.log("util.py", "DEBUG", "Writing to /etc/netplan/50-cloud-init.yaml - wb: [600] 264 bytes", ms=55)
    s.log("main.py", "DEBUG", "[local] Exiting. datasource DataSourceEc2Local not in local mode.", ms=3)
    s.log("util.py", "DEBUG", "Reading from /proc/uptime (quiet=False)", ms=0.3)


def init_network_ec2(s, first, modules, skipped=None):
    s.log("main.py", "INFO", "PID [1] started cloud-init 'init'.", ms=0.5)
    s.log("main.py", "DEBUG", "No kernel command line url found.", ms=0.2)
    s.log("main.py", "DEBUG", "Closing stdin", ms=0.1)
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/data/python-version - wb: [644] 4 bytes", ms=1.1)
    s.log("subp.py", "DEBUG", "Running command ['ip', '--json', 'addr'] with allowed return codes [0] (shell=False, capture=True)", ms=6)
    s.log("subp.py", "DEBUG", "Running command ['ip', '-o', 'route', 'list'] with allowed return codes [0] (shell=False, capture=True)", ms=7)
    s.log("subp.py", "DEBUG", "Running command ['ip', '--oneline', '-6', 'route', 'list', 'table', 'all'] with allowed return codes [0, 1] (shell=False, capture=True)", ms=5)
    s.start("init-network/check-cache", "attempting to read from cache [trust]", ms=11)
    s.log("util.py", "DEBUG", "Reading from /var/lib/cloud/instance/obj.pkl (quiet=False)", ms=0.2)
    s.log("stages.py", "DEBUG", "restored from cache: DataSourceEc2Local", ms=2.6)
    s.finish("init-network/check-cache", "SUCCESS", "restored from cache: DataSourceEc2Local", ms=0.1)
    s.log("main.py", "DEBUG", "[net] init will now be targeting instance id: %s. new=%s" % (s.iid, first), ms=3)
    s.log("stages.py", "DEBUG", "Applying network configuration from ds bringup=True: {'ethernets': {'ens5': {'dhcp4': True, 'dhcp6': False, 'match': {'macaddress': '0a:d1:5e:2c:44:91'}, 'set-name': 'ens5'}}, 'version': 2}", ms=14)
    s.log("subp.py", "DEBUG", "Running command ['netplan', 'apply'] with allowed return codes [0] (shell=False, capture=True)", ms=40)
    s.start("init-network/setup-datasource", "setting up datasource", ms=820)
    s.finish("init-network/setup-datasource", "SUCCESS", "setting up datasource", ms=0.1)
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/instances/%s/user-data.txt - wb: [600] 1188 bytes" % s.iid, ms=1.5)
    s.start("init-network/consume-user-data", "reading and applying user-data", ms=1.2)
    s.log("launch_index.py", "DEBUG", "Discarding 0 multipart messages which do not match launch index 0", ms=2)
    s.log("__init__.py", "DEBUG", "Calling handler CloudConfigPartHandler: [['text/cloud-config', 'text/cloud-config-jsonp']] (text/cloud-config, part-001, 3) with frequency once-per-instance", ms=1.4)
    s.log("cloud_config.py", "DEBUG", "Merging by applying [('dict', ['replace']), ('list', []), ('str', [])]", ms=5)
    s.finish("init-network/consume-user-data", "SUCCESS", "reading and applying user-data", ms=1.1)
    s.start("init-network/consume-vendor-data", "reading and applying vendor-data", ms=0.2)
    s.log("stages.py", "DEBUG", "no vendordata from datasource", ms=0.2)
    s.finish("init-network/consume-vendor-data", "SUCCESS", "reading and applying vendor-data", ms=0.1)
    s.start("init-network/consume-vendor-data2", "reading and applying vendor-data2", ms=0.1)
    s.log("stages.py", "DEBUG", "no vendordata2 from datasource", ms=0.2)
    s.finish("init-network/consume-vendor-data2", "SUCCESS", "reading and applying vendor-data2", ms=0.1)
    s.log("util.py", "DEBUG", "Reading from /var/lib/cloud/instances/%s/cloud-config.txt (quiet=False)" % s.iid, ms=0.3)
    s.log("schema.py", "DEBUG", "Validating cloud-config for deprecations and schema errors", ms=180)
    s.start("init-network/activate-datasource", "activating datasource", ms=12)
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/instances/%s/obj.pkl - wb: [400] 41536 bytes" % s.iid, ms=3)
    s.finish("init-network/activate-datasource", "SUCCESS", "activating datasource", ms=0.3)
    run_modules(s, "init-network", modules, first, skipped=skipped)
    s.log("main.py", "DEBUG", "Ran %d modules with 0 failures" % len(modules), ms=0.5)


def run_modules(s, stage, modules, first, fail_name=None, fail=None, skipped=None):
    if skipped:
        s.log("modules.py", "INFO", "Skipping modules '%s' because no applicable config is provided." % ",".join(skipped), ms=0.6)
    for m in modules:
        name, freq, ms = m[0], m[1], m[2]
        body = m[3] if len(m) > 3 else None
        ran = first or freq == "always"
        s.module(stage, mname(s.p, name), freq, ms, body=body if ran else None, ran=ran,
                 fail=fail if (fail_name and name == fail_name and ran) else None)


# module bodies with realistic lines
def b_growpart(s):
    s.log("cc_growpart.py", "DEBUG", "No 'growpart' entry in cfg.  Using default: {'mode': 'auto', 'devices': ['/'], 'ignore_growroot_disabled': False}", ms=0.3)
    s.log("subp.py", "DEBUG", "Running command ['growpart', '--help'] with allowed return codes [0] (shell=False, capture=True)", ms=0.4)
    s.log("subp.py", "DEBUG", "Running command ['growpart', '--dry-run', '/dev/nvme0n1', '1'] with allowed return codes [0] (shell=False, capture=True)", ms=9)
    s.log("util.py", "DEBUG", "resize_devices took 0.056 seconds", ms=48)
    s.log("cc_growpart.py", "DEBUG", "'/' NOCHANGE: no change necessary (/dev/nvme0n1, 1)", ms=0.3)

def b_resizefs(s):
    s.log("util.py", "DEBUG", "Reading from /proc/self/mountinfo (quiet=False)", ms=0.2)
    s.log("cc_resizefs.py", "DEBUG", "resize_info: dev=/dev/root mnt_point=/ path=/", ms=0.4)
    s.log("cc_resizefs.py", "DEBUG", "Resizing / (ext4) using resize2fs /dev/root", ms=0.3)
    s.log("subp.py", "DEBUG", "Running command ('resize2fs', '/dev/root') with allowed return codes [0] (shell=False, capture=True)", ms=0.3)
    s.log("util.py", "DEBUG", "Resizing took 0.012 seconds", ms=12)

def b_ssh(s):
    s.log("util.py", "DEBUG", "Attempting to remove /etc/ssh/ssh_host_rsa_key", ms=0.2)
    s.log("subp.py", "DEBUG", "Running command ['ssh-keygen', '-t', 'rsa', '-N', '', '-f', '/etc/ssh/ssh_host_rsa_key'] with allowed return codes [0] (shell=False, capture=True)", ms=0.4)
    s.log("subp.py", "DEBUG", "Running command ['ssh-keygen', '-t', 'ecdsa', '-N', '', '-f', '/etc/ssh/ssh_host_ecdsa_key'] with allowed return codes [0] (shell=False, capture=True)", ms=412)
    s.log("subp.py", "DEBUG", "Running command ['ssh-keygen', '-t', 'ed25519', '-N', '', '-f', '/etc/ssh/ssh_host_ed25519_key'] with allowed return codes [0] (shell=False, capture=True)", ms=9)
    s.log("util.py", "DEBUG", "Writing to /home/ubuntu/.ssh/authorized_keys - wb: [600] 391 bytes", ms=11)

def b_users(s):
    s.log("__init__.py", "DEBUG", "Adding user ubuntu", ms=0.4)
    s.log("subp.py", "DEBUG", "Running hidden command to protect sensitive input/output logstring: ['useradd', 'ubuntu', '--comment', 'Ubuntu', '--groups', 'adm,cdrom,dip,lxd,sudo', '--shell', '/bin/bash', '-m']", ms=0.3)
    s.log("util.py", "DEBUG", "Writing to /etc/sudoers.d/90-cloud-init-users - wb: [440] 140 bytes", ms=140)

def b_runcmd(s):
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/instances/%s/scripts/runcmd - wb: [700] 131 bytes" % s.iid, ms=1.5)

def b_write_files(s):
    s.log("util.py", "DEBUG", "Writing to /etc/ecs/ecs.config - wb: [644] 62 bytes", ms=0.8)
    s.log("util.py", "DEBUG", "Changing the ownership of /etc/ecs/ecs.config to 0:0", ms=0.2)

def b_apt(s):
    s.log("cc_apt_configure.py", "DEBUG", "debconf_selections was not set in config", ms=0.5)
    s.log("util.py", "DEBUG", "Writing to /etc/apt/sources.list.d/ubuntu.sources - wb: [644] 2619 bytes", ms=90)

def b_packages(s):
    s.log("subp.py", "DEBUG", "Running command ['eatmydata', 'apt-get', '--option=Dpkg::Options::=--force-confold', '--option=Dpkg::options::=--force-unsafe-io', '--assume-yes', '--quiet', 'update'] with allowed return codes [0] (shell=False, capture=False)", ms=1.0)
    s.log("util.py", "DEBUG", "apt-update [eatmydata apt-get --option=Dpkg::Options::=--force-confold --option=Dpkg::options::=--force-unsafe-io --assume-yes --quiet update] took 6.823 seconds", ms=6823)
    s.log("subp.py", "DEBUG", "Running command ['eatmydata', 'apt-get', '--option=Dpkg::Options::=--force-confold', '--option=Dpkg::options::=--force-unsafe-io', '--assume-yes', '--quiet', 'install', 'nginx', 'jq'] with allowed return codes [0] (shell=False, capture=False)", ms=0.5)
    s.log("util.py", "DEBUG", "apt-install [eatmydata apt-get --option=Dpkg::Options::=--force-confold --option=Dpkg::options::=--force-unsafe-io --assume-yes --quiet install nginx jq] took 11.407 seconds", ms=11407)

def b_scripts_user(s):
    s.log("subp.py", "DEBUG", "Running command ['/var/lib/cloud/instance/scripts/runcmd'] with allowed return codes [0] (shell=False, capture=False)", ms=0.4)

def b_keys_to_console(s):
    s.log("subp.py", "DEBUG", "Running command ['/usr/lib/cloud-init/write-ssh-key-fingerprints', '', 'ssh-dss'] with allowed return codes [0] (shell=False, capture=True)", ms=0.4)

def b_hotplug(s):
    s.log("cc_install_hotplug.py", "DEBUG", "Skipping hotplug install, not enabled", ms=0.4)

def b_final_message(s):
    s.log("util.py", "DEBUG", "Reading from /proc/uptime (quiet=False)", ms=0.3)
    s.final_banner("DataSourceEc2Local")
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/instance/boot-finished - wb: [644] 76 bytes", ms=0.6)


UBU_INIT = [("seed_random", "once-per-instance", 2), ("bootcmd", "always", 3),
            ("write_files", "once-per-instance", 2, b_write_files), ("growpart", "always", 60, b_growpart),
            ("resizefs", "always", 14, b_resizefs), ("mounts", "once-per-instance", 3),
            ("set_hostname", "once-per-instance", 5), ("update_hostname", "always", 3),
            ("users_groups", "once-per-instance", 150, b_users), ("ssh", "once-per-instance", 447, b_ssh),
            ("set_passwords", "once-per-instance", 4)]
UBU_CONFIG = [("ssh_import_id", "once-per-instance", 1), ("locale", "once-per-instance", 2),
              ("apt_configure", "once-per-instance", 96, b_apt), ("timezone", "once-per-instance", 40),
              ("runcmd", "once-per-instance", 2, b_runcmd), ("byobu", "once-per-instance", 1)]
UBU_INIT_SKIP = ["disk_setup", "update_etc_hosts", "ca_certs", "rsyslog"]
UBU_CONFIG_SKIP = ["wireguard", "snap", "ubuntu_autoinstall", "keyboard", "grub_dpkg", "apt_pipelining", "ubuntu_pro", "ntp",
                   "disable_ec2_metadata"]
UBU_FINAL_SKIP = ["fan", "landscape", "lxd", "ubuntu_drivers", "puppet", "chef", "ansible", "mcollective", "salt_minion",
                  "phone_home", "power_state_change"]
UBU_FINAL = [("package_update_upgrade_install", "once-per-instance", 18240, b_packages),
             ("write_files_deferred", "once-per-instance", 1), ("reset_rmc", "once-per-instance", 1),
             ("scripts_vendor", "once-per-instance", 1), ("scripts_per_once", "once", 1),
             ("scripts_per_boot", "always", 1), ("scripts_per_instance", "once-per-instance", 1),
             ("scripts_user", "once-per-instance", 2630, b_scripts_user),
             ("ssh_authkey_fingerprints", "once-per-instance", 9), ("keys_to_console", "once-per-instance", 95, b_keys_to_console),
             ("install_hotplug", "once-per-instance", 2, b_hotplug), ("final_message", "always", 2, b_final_message)]


def ubuntu_boot(lines, p, k0, iid, first, up, cut_final_at=None):
    """One Ubuntu 24.04 boot on EC2: up = uptimes of the four stage starts."""
    s = Sim(lines, p, k0, iid)
    s.stage_begin("init-local", "init-local", up[0], 28)
    init_local_ec2(s, first)
    s.finish("init-local", "SUCCESS", "searching for local datasources", ms=0.3)
    s.stage_begin("init-network", "init", up[1], 41)
    init_network_ec2(s, first, UBU_INIT, UBU_INIT_SKIP)
    s.log("util.py", "DEBUG", "cloud-init mode 'init' took %.3f seconds (%.2f)" % ((s.mono - up[1] * 1e6) / 1e6, (s.mono - up[1] * 1e6) / 1e6), ms=0.4)
    s.finish("init-network", "SUCCESS", "searching for network datasources", ms=0.2)
    s.stage_begin("modules-config", "modules:config", up[2], 35)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'modules:config'.", ms=0.4)
    run_modules(s, "modules-config", UBU_CONFIG, first, skipped=UBU_CONFIG_SKIP)
    s.log("main.py", "DEBUG", "Ran %d modules with 0 failures" % len(UBU_CONFIG), ms=0.4)
    s.finish("modules-config", "SUCCESS", "running modules for config", ms=0.2)
    s.stage_begin("modules-final", "modules:final", up[3], 33)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'modules:final'.", ms=0.4)
    mods = UBU_FINAL
    s.log("modules.py", "INFO", "Skipping modules '%s' because no applicable config is provided." % ",".join(UBU_FINAL_SKIP), ms=0.6)
    if cut_final_at is not None:
        # the instance is force-stopped while this module runs: no more lines
        for m in mods:
            if m[0] == cut_final_at:
                s.log("modules.py", "DEBUG", "Running module %s (<module 'cloudinit.config.cc_%s' from '%s/config/cc_%s.py'>) with frequency %s" % (m[0], m[0], s.pydir, m[0], m[1]), ms=0.3)
                s.start("modules-final/config-%s" % m[0], "running config-%s with frequency %s" % (m[0], m[1]), ms=0.1)
                s.log("helpers.py", "DEBUG", "Running config-%s using lock (<cloudinit.helpers.DummyLock object at 0x7f0e61c3a9d0>)" % m[0], ms=0.2)
                s.log("subp.py", "DEBUG", "Running command ['/var/lib/cloud/scripts/per-boot/10-wait-for-ebs.sh'] with allowed return codes [0] (shell=False, capture=False)", ms=0.3)
                return s
            run_modules(s, "modules-final", [m], first)
    run_modules(s, "modules-final", mods, first)
    s.log("main.py", "DEBUG", "Ran %d modules with 0 failures" % len(mods), ms=0.4)
    s.log("atomic_helper.py", "DEBUG", "Atomically writing to file /var/lib/cloud/data/status.json (via temporary file /var/lib/cloud/data/tmpv7h1k2ja) - w: [644] 539 bytes/chars", ms=0.8)
    s.log("util.py", "DEBUG", "cloud-init mode 'modules' took %.3f seconds (%.2f)" % ((s.mono - up[3] * 1e6) / 1e6, (s.mono - up[3] * 1e6) / 1e6), ms=0.3)
    s.finish("modules-final", "SUCCESS", "running modules for final", ms=0.2)
    return s


def epoch_us(text):
    dt = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp()) * 1_000_000 + dt.microsecond

# ---------------------------------------------------------------- fixtures

def fx_ec2_full():
    p = Profile("25.2-0ubuntu1~24.04.1", "log_util.py", True, True, False, None)
    lines = []
    ubuntu_boot(lines, p, epoch_us("2025-12-04 20:34:58.412345"), "i-0a4c7e21f5d3b9e86", True,
                (4.71, 9.86, 13.02, 14.11))
    return lines


def fx_three_boots():
    iid = "i-07d2b4c9e1a3f5068"
    lines = []
    p = Profile("25.2-0ubuntu1~24.04.1", "log_util.py", True, True, False, None)
    # boot 1: first boot
    ubuntu_boot(lines, p, epoch_us("2026-01-19 08:02:11.204118"), iid, True, (4.55, 9.41, 12.38, 13.47))
    # boot 2: reboot; a per-boot script hangs and the instance is force-stopped during modules-final
    ubuntu_boot(lines, p, epoch_us("2026-01-19 09:15:40.877310"), iid, False, (4.62, 8.97, 11.12, 11.86),
                cut_final_at="scripts_per_boot")
    # boot 3: after the package upgrade to 26.1 (finish events carry "(duration: …)")
    p3 = Profile("26.1-0ubuntu1~24.04.1", "log_util.py", True, True, True, None)
    ubuntu_boot(lines, p3, epoch_us("2026-01-19 09:31:02.550731"), iid, False, (4.48, 8.83, 10.95, 11.71))
    return lines


def fx_scripts_user_fail():
    """Debian 12 (cloud-init 22.4.2): no local datasource, the network search tries AliYun then
    Ec2 (the lines around search-AliYun/search-Ec2 are those of canonical/cloud-init#5285), then
    modules-final/config-scripts-user FAILs."""
    p = Profile("22.4.2", "util.py", False, False, False, None)
    lines = []
    iid = "i-0f1e2d3c4b5a69788"
    k0 = epoch_us("2024-05-11 17:33:47.102000")
    s = Sim(lines, p, k0, iid)
    s.stage_begin("init-local", "init-local", 3.91, 31)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'init-local'.", ms=0.5)
    s.log("util.py", "DEBUG", "Writing to /var/log/cloud-init.log - ab: [640] 0 bytes", ms=5)
    s.start("init-local/check-cache", "attempting to read from cache [check]", ms=0.5)
    s.log("stages.py", "DEBUG", "no cache found", ms=0.6)
    s.finish("init-local/check-cache", "SUCCESS", "no cache found", ms=0.2)
    s.log("__init__.py", "DEBUG", "Searching for local data source in: ['DataSourceNoCloud', 'DataSourceConfigDrive', 'DataSourceOpenNebula', 'DataSourceAzure']", ms=9)
    for ds, ms in (("NoCloud", 14), ("ConfigDrive", 21), ("OpenNebula", 6), ("Azure", 3)):
        s.start("init-local/search-%s" % ds, "searching for local data from DataSource%s" % ds, ms=0.2)
        s.log("__init__.py", "DEBUG", "Seeing if we can get any data from <class 'cloudinit.sources.DataSource%s.DataSource%s'>" % (ds, ds), ms=0.2)
        s.adv(ms)
        s.finish("init-local/search-%s" % ds, "SUCCESS", "no local data found from DataSource%s" % ds, ms=0.2)
    s.log("main.py", "DEBUG", "No local datasource found", ms=0.4)
    s.finish("init-local", "SUCCESS", "searching for local datasources", ms=0.2)
    s.stage_begin("init-network", "init", 8.55, 44)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'init'.", ms=0.5)
    s.start("init-network/check-cache", "attempting to read from cache [trust]", ms=12)
    s.log("stages.py", "DEBUG", "no cache found", ms=0.3)
    s.finish("init-network/check-cache", "SUCCESS", "no cache found", ms=0.1)
    s.log("__init__.py", "DEBUG", "Searching for network data source in: ['DataSourceGCE', 'DataSourceOpenStack', 'DataSourceAliYun', 'DataSourceEc2', 'DataSourceNone']", ms=9)
    s.start("init-network/search-GCE", "searching for network data from DataSourceGCE", ms=0.2)
    s.adv(2)
    s.finish("init-network/search-GCE", "SUCCESS", "no network data found from DataSourceGCE", ms=0.2)
    s.start("init-network/search-OpenStack", "searching for network data from DataSourceOpenStack", ms=0.2)
    s.adv(3)
    s.finish("init-network/search-OpenStack", "SUCCESS", "no network data found from DataSourceOpenStack", ms=0.2)
    s.start("init-network/search-AliYun", "searching for network data from DataSourceAliYun", ms=0.2)
    s.log("__init__.py", "DEBUG", "Seeing if we can get any data from <class 'cloudinit.sources.DataSourceAliYun.DataSourceAliYun'>", ms=0.2)
    # the following six lines are canonical/cloud-init#5285 verbatim (timestamps included)
    pin = [
        "2024-05-11 17:33:55,725 - dmi.py[DEBUG]: querying dmi data /sys/class/dmi/id/product_name",
        "2024-05-11 17:33:55,726 - DataSourceEc2.py[DEBUG]: strict_mode: warn, cloud_name=no-ec2-metadata cloud_platform=ec2",
        "2024-05-11 17:33:55,726 - __init__.py[DEBUG]: Datasource DataSourceAliYun not updated for events: boot-new-instance",
        "2024-05-11 17:33:55,726 - handlers.py[DEBUG]: finish: init-network/search-AliYun: SUCCESS: no network data found from DataSourceAliYun",
        "2024-05-11 17:33:55,726 - handlers.py[DEBUG]: start: init-network/search-Ec2: searching for network data from DataSourceEc2",
        "2024-05-11 17:33:55,727 - __init__.py[DEBUG]: Seeing if we can get any data from <class 'cloudinit.sources.DataSourceEc2.DataSourceEc2'>",
        "2024-05-11 17:33:55,727 - __init__.py[DEBUG]: Update datasource metadata and network config due to events: boot-new-instance",
        "2024-05-11 17:33:55,727 - util.py[DEBUG]: Reading from /sys/hypervisor/uuid (quiet=False)",
        "2024-05-11 17:33:55,727 - dmi.py[DEBUG]: querying dmi data /sys/class/dmi/id/product_uuid",
        "2024-05-11 17:33:55,728 - dmi.py[DEBUG]: querying dmi data /sys/class/dmi/id/product_serial",
        "2024-05-11 17:33:55,728 - dmi.py[DEBUG]: querying dmi data /sys/class/dmi/id/chassis_asset_tag",
        "2024-05-11 17:33:55,728 - dmi.py[DEBUG]: querying dmi data /sys/class/dmi/id/sys_vendor",
    ]
    pin_start = epoch_us("2024-05-11 17:33:55.725000")
    assert s.wall() < pin_start, (s.asctime())
    s.mono = pin_start - s.k0 - s.offset
    for l in pin:
        s.raw(l)
    s.stack.pop()  # search-AliYun finished in the pinned lines
    s.stack.append(("init-network/search-Ec2", s.mono + 1000))
    s.mono = epoch_us("2024-05-11 17:33:55.728000") - s.k0
    s.log("DataSourceEc2.py", "DEBUG", "Fetching Ec2 IMDSv2 API Token", ms=0.6)
    s.log("url_helper.py", "DEBUG", "[0/1] open 'http://169.254.169.254/latest/api/token' with {'url': 'http://169.254.169.254/latest/api/token', 'allow_redirects': True, 'method': 'PUT', 'timeout': 50.0, 'headers': {'X-aws-ec2-metadata-token-ttl-seconds': 'REDACTED', 'User-Agent': 'Cloud-Init/22.4.2'}} configuration", ms=0.3)
    s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/latest/api/token (200, 56b) after 1 attempts", ms=2.7)
    s.log("DataSourceEc2.py", "DEBUG", "Using metadata source: 'http://169.254.169.254'", ms=0.2)
    s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/meta-data/instance-id (200, 19b) after 1 attempts", ms=2.4)
    s.log("DataSourceEc2.py", "DEBUG", "Found preferred metadata version 2021-03-23", ms=0.2)
    s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/user-data (200, 311b) after 1 attempts", ms=3.1)
    s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254/2021-03-23/dynamic/instance-identity (200, 32b) after 1 attempts", ms=41)
    s.finish("init-network/search-Ec2", "SUCCESS", "found network data from DataSourceEc2", ms=0.4)
    s.log("stages.py", "INFO", "Loaded datasource DataSourceEc2 - DataSourceEc2", ms=0.3)
    s.start("init-network/setup-datasource", "setting up datasource", ms=30)
    s.finish("init-network/setup-datasource", "SUCCESS", "setting up datasource", ms=0.1)
    for n, d in (("consume-user-data", "reading and applying user-data"),
                 ("consume-vendor-data", "reading and applying vendor-data"),
                 ("consume-vendor-data2", "reading and applying vendor-data2")):
        s.start("init-network/" + n, d, ms=0.8)
        s.adv(4 if n == "consume-user-data" else 0.3)
        s.finish("init-network/" + n, "SUCCESS", d, ms=0.2)
    s.start("init-network/activate-datasource", "activating datasource", ms=160)
    s.finish("init-network/activate-datasource", "SUCCESS", "activating datasource", ms=3)
    deb_init = [("migrator", "always", 1), ("seed_random", "once-per-instance", 2),
                ("growpart", "always", 55, b_growpart), ("resizefs", "always", 13, b_resizefs),
                ("mounts", "once-per-instance", 4), ("set_hostname", "once-per-instance", 6),
                ("update_hostname", "always", 3), ("users-groups", "once-per-instance", 120, b_users),
                ("ssh", "once-per-instance", 390, b_ssh)]
    run_modules(s, "init-network", deb_init, True,
                skipped=["bootcmd", "write-files", "disk_setup", "update_etc_hosts", "ca-certs", "rsyslog"])
    s.log("main.py", "DEBUG", "Ran %d modules with 0 failures" % len(deb_init), ms=0.4)
    s.finish("init-network", "SUCCESS", "searching for network datasources", ms=0.2)
    s.stage_begin("modules-config", "modules:config", 10.88, 37)
    deb_cfg = [("ssh-import-id", "once-per-instance", 1), ("locale", "once-per-instance", 880),
               ("set-passwords", "once-per-instance", 30), ("grub-dpkg", "once-per-instance", 240),
               ("apt-configure", "once-per-instance", 70, b_apt), ("timezone", "once-per-instance", 31),
               ("runcmd", "once-per-instance", 2, b_runcmd), ("byobu", "once-per-instance", 1)]
    run_modules(s, "modules-config", deb_cfg, True,
                skipped=["snap", "keyboard", "apt-pipelining", "ntp", "disable-ec2-metadata"])
    s.log("main.py", "DEBUG", "Ran %d modules with 0 failures" % len(deb_cfg), ms=0.4)
    s.finish("modules-config", "SUCCESS", "running modules for config", ms=0.2)
    s.stage_begin("modules-final", "modules:final", 12.95, 36)

    def fail_scripts_user(s):
        s.log("subp.py", "DEBUG", "Running command ['/var/lib/cloud/instance/scripts/part-001'] with allowed return codes [0] (shell=False, capture=False)", ms=0.4)
        s.log("subp.py", "DEBUG", "Unexpected error while running command.", ms=4120)
        s.raw("Command: ['/var/lib/cloud/instance/scripts/part-001']")
        s.raw("Exit code: 1")
        s.raw("Reason: -")
        s.raw("Stdout: -")
        s.raw("Stderr: -")
        s.log("cc_scripts_user.py", "WARNING", "Failed to run module scripts-user (scripts in /var/lib/cloud/instances/%s/scripts)" % s.iid, ms=0.3)
        s.log("util.py", "WARNING", "Running module scripts-user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_user.py'>) failed", ms=0.2)
        s.log("util.py", "DEBUG", "Running module scripts-user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_user.py'>) failed", ms=0.1)
        for t in ("Traceback (most recent call last):",
                  '  File "/usr/lib/python3/dist-packages/cloudinit/config/modules.py", line 246, in _run_modules',
                  "    ran, _r = cc.run(",
                  "              ^^^^^^^",
                  '  File "/usr/lib/python3/dist-packages/cloudinit/cloud.py", line 67, in run',
                  "    return self._runners.run(name, functor, args, freq, clear_on_fail)",
                  "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                  '  File "/usr/lib/python3/dist-packages/cloudinit/helpers.py", line 185, in run',
                  "    results = functor(*args)",
                  "              ^^^^^^^^^^^^^^",
                  '  File "/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_user.py", line 50, in handle',
                  "    subp.runparts(runparts_path)",
                  '  File "/usr/lib/python3/dist-packages/cloudinit/subp.py", line 427, in runparts',
                  "    raise RuntimeError(",
                  "RuntimeError: Runparts: 1 failures (part-001) in 1 attempted commands"):
            s.raw(t)

    deb_final = [("reset_rmc", "once-per-instance", 1), ("refresh_rmc_and_interface", "always", 1),
                 ("rightscale_userdata", "once-per-instance", 1), ("scripts-vendor", "once-per-instance", 1),
                 ("scripts-per-once", "once", 1), ("scripts-per-boot", "always", 1),
                 ("scripts-per-instance", "once-per-instance", 1), ("scripts-user", "once-per-instance", 2),
                 ("ssh-authkey-fingerprints", "once-per-instance", 8),
                 ("keys-to-console", "once-per-instance", 92, b_keys_to_console),
                 ("install-hotplug", "once-per-instance", 2),
                 ("final-message", "always", 2, lambda s: s.final_banner("DataSourceEc2"))]
    run_modules(s, "modules-final", deb_final, True, fail_name="scripts-user", fail=fail_scripts_user,
                skipped=["package-update-upgrade-install", "fan", "landscape", "lxd", "write-files-deferred", "puppet",
                         "chef", "mcollective", "salt-minion", "phone-home", "power-state-change"])
    s.log("main.py", "DEBUG", "Ran %d modules with 1 failures" % (len(deb_final) - 1), ms=0.4)
    s.log("util.py", "DEBUG", "Writing to /var/lib/cloud/data/status.json - wb: [644] 617 bytes", ms=0.8)
    s.finish("modules-final", "FAIL", "running modules for final", ms=0.2)
    return lines


def fx_banners_only():
    """cloud-init 0.7.3 (2013) has no reporting events; analyze turns each 'running' banner into a
    start event and never sees a finish. Two boots; the first lines are canonical/cloud-init#2388."""
    lines = [
        "2013-08-15 14:13:22,488 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'init-local' at Thu, 15 Aug 2013 14:13:22 +0000. Up 24.37 seconds.",
        "2013-08-15 14:13:22,494 - util.py[DEBUG]: Writing to /var/log/cloud-init.log - ab: [420] 0 bytes",
        "2013-08-15 14:13:22,498 - util.py[DEBUG]: Changing the ownership of /var/log/cloud-init.log to 101:4",
        "2013-08-15 14:13:22,498 - util.py[DEBUG]: Attempting to remove /var/lib/cloud/instance/boot-finished",
        "2013-08-15 14:13:22,499 - util.py[DEBUG]: Attempting to remove /var/lib/cloud/instance",
        "2013-08-15 14:13:22,499 - util.py[DEBUG]: Attempting to remove /var/lib/cloud/data/no-net",
        "2013-08-15 14:13:22,503 - util.py[DEBUG]: Reading from /var/lib/cloud/instance/obj.pkl (quiet=False)",
        "2013-08-15 14:13:22,504 - importer.py[DEBUG]: Looking for modules ['ubuntu', 'cloudinit.distros.ubuntu'] that have attributes ['Distro']",
        "2013-08-15 14:13:22,510 - importer.py[DEBUG]: Found ubuntu with attributes ['Distro'] in ['cloudinit.distros.ubuntu']",
        "2013-08-15 14:13:22,510 - stages.py[DEBUG]: Using distro class <class 'cloudinit.distros.ubuntu.Distro'>",
        "2013-08-15 14:13:22,511 - __init__.py[DEBUG]: Looking for for data source in: ['Azure', 'None'], via packages ['', 'cloudinit.sources'] that matches dependencies ['FILESYSTEM']",
        "2013-08-15 14:13:22,512 - __init__.py[DEBUG]: Searching for data source in: []",
        "2013-08-15 14:13:22,513 - cloud-init[DEBUG]: [local] Exiting. datasource None not in local mode.",
        "2013-08-15 14:13:24,902 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'init' at Thu, 15 Aug 2013 14:13:24 +0000. Up 26.79 seconds.",
        "2013-08-15 14:13:24,915 - __init__.py[DEBUG]: Searching for data source in: ['DataSourceAzureNet', 'DataSourceNone']",
        "2013-08-15 14:13:24,916 - __init__.py[DEBUG]: Seeing if we can get any data from <class 'cloudinit.sources.DataSourceAzure.DataSourceAzureNet'>",
        "2013-08-15 14:13:31,677 - __init__.py[INFO]: Loaded datasource DataSourceAzureNet - DataSourceAzureNet [seed=/dev/sr0]",
        "2013-08-15 14:13:31,702 - stages.py[DEBUG]: Running module migrator (<module 'cloudinit.config.cc_migrator' from '/usr/lib/python2.7/dist-packages/cloudinit/config/cc_migrator.pyc'>) with frequency always",
        "2013-08-15 14:13:31,703 - helpers.py[DEBUG]: Running config-migrator using lock (<cloudinit.helpers.DummyLock object at 0x2f1ae10>)",
        "2013-08-15 14:13:32,481 - stages.py[DEBUG]: Running module ssh (<module 'cloudinit.config.cc_ssh' from '/usr/lib/python2.7/dist-packages/cloudinit/config/cc_ssh.pyc'>) with frequency once-per-instance",
        "2013-08-15 14:13:33,926 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'modules:config' at Thu, 15 Aug 2013 14:13:33 +0000. Up 35.83 seconds.",
        "2013-08-15 14:13:33,951 - stages.py[DEBUG]: Running module locale (<module 'cloudinit.config.cc_locale' from '/usr/lib/python2.7/dist-packages/cloudinit/config/cc_locale.pyc'>) with frequency once-per-instance",
        "2013-08-15 14:13:35,402 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'modules:final' at Thu, 15 Aug 2013 14:13:35 +0000. Up 37.31 seconds.",
        "2013-08-15 14:13:35,430 - stages.py[DEBUG]: Running module scripts-user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python2.7/dist-packages/cloudinit/config/cc_scripts_user.pyc'>) with frequency once-per-instance",
        "2013-08-15 14:13:35,512 - util.py[DEBUG]: Cloud-init v. 0.7.3 finished at Thu, 15 Aug 2013 14:13:35 +0000. Datasource DataSourceAzureNet [seed=/dev/sr0].  Up 37.42 seconds",
        "2013-08-16 09:02:07,113 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'init-local' at Fri, 16 Aug 2013 09:02:07 +0000. Up 22.94 seconds.",
        "2013-08-16 09:02:07,119 - util.py[DEBUG]: Writing to /var/log/cloud-init.log - ab: [420] 0 bytes",
        "2013-08-16 09:02:07,141 - cloud-init[DEBUG]: [local] Exiting. datasource None not in local mode.",
        "2013-08-16 09:02:09,387 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'init' at Fri, 16 Aug 2013 09:02:09 +0000. Up 25.21 seconds.",
        "2013-08-16 09:02:09,802 - __init__.py[INFO]: Loaded datasource DataSourceAzureNet - DataSourceAzureNet [seed=/dev/sr0]",
        "2013-08-16 09:02:10,564 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'modules:config' at Fri, 16 Aug 2013 09:02:10 +0000. Up 26.39 seconds.",
        "2013-08-16 09:02:11,020 - util.py[DEBUG]: Cloud-init v. 0.7.3 running 'modules:final' at Fri, 16 Aug 2013 09:02:11 +0000. Up 26.84 seconds.",
        "2013-08-16 09:02:11,093 - util.py[DEBUG]: Cloud-init v. 0.7.3 finished at Fri, 16 Aug 2013 09:02:11 +0000. Datasource DataSourceAzureNet [seed=/dev/sr0].  Up 26.92 seconds",
    ]
    return lines


def fx_interleaved():
    """Ubuntu 22.04, cloud-init 24.4.1 (log_util.py banners, canonical/cloud-init#6001): a boot whose
    event lines are interleaved with WARNING lines, a traceback, multi-line subp output and the
    'finished at' banner, plus the previous boot's tail (a 'finished at' banner with no events)."""
    p = Profile("24.4.1-0ubuntu0~22.04.1", "log_util.py", True, True, False, None)
    lines = []
    iid = "i-03b8e6d1c2a4f7059"
    # tail of the previous boot: no events, only its final banner
    lines += [
        "2025-02-05 12:20:41,902 - util.py[DEBUG]: Reading from /proc/uptime (quiet=False)",
        "2025-02-05 12:20:41,902 - log_util.py[DEBUG]: Cloud-init v. 24.4.1-0ubuntu0~22.04.1 finished at Wed, 05 Feb 2025 12:20:41 +0000. Datasource DataSourceEc2Local.  Up 31.27 seconds",
        "2025-02-05 12:20:41,903 - util.py[DEBUG]: Writing to /var/lib/cloud/instance/boot-finished - wb: [644] 82 bytes",
    ]
    k0 = epoch_us("2025-02-05 12:32:08.684000")
    s = Sim(lines, p, k0, iid)
    s.stage_begin("init-local", "init-local", 4.62, 4)
    init_local_ec2(s, True, token_retry=True)
    s.finish("init-local", "SUCCESS", "searching for local datasources", ms=0.3)
    s.stage_begin("init-network", "init", 8.31, 39)
    init_network_ec2(s, True, UBU_INIT, UBU_INIT_SKIP)
    s.log("util.py", "DEPRECATED", "Config key 'lists' is deprecated in 22.3 and scheduled to be removed in 27.3. Use 'groups' instead.", ms=0.4)
    s.finish("init-network", "SUCCESS", "searching for network datasources", ms=0.2)
    s.stage_begin("modules-config", "modules:config", 10.47, 35)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'modules:config'.", ms=0.4)
    run_modules(s, "modules-config", UBU_CONFIG, True, skipped=UBU_CONFIG_SKIP)
    s.finish("modules-config", "SUCCESS", "running modules for config", ms=0.2)
    s.stage_begin("modules-final", "modules:final", 11.18, 31)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'modules:final'.", ms=0.4)

    def b_per_boot(s):
        s.log("subp.py", "DEBUG", "Running command ['/var/lib/cloud/scripts/per-boot/20-mount-data.sh'] with allowed return codes [0] (shell=False, capture=False)", ms=0.4)
        s.log("subp.py", "DEBUG", "Unexpected error while running command.", ms=712)
        s.raw("Command: ['/var/lib/cloud/scripts/per-boot/20-mount-data.sh']")
        s.raw("Exit code: 32")
        s.raw("Reason: -")
        s.raw("Stdout: -")
        s.raw("Stderr: -")
        s.log("cc_scripts_per_boot.py", "WARNING", "Failed to run module scripts_per_boot (per-boot in /var/lib/cloud/scripts/per-boot)", ms=0.3)
    mods = [m for m in UBU_FINAL if m[0] != "scripts_per_boot"]
    i = [m[0] for m in mods].index("scripts_per_instance")
    s.log("modules.py", "INFO", "Skipping modules '%s' because no applicable config is provided." % ",".join(UBU_FINAL_SKIP), ms=0.6)
    run_modules(s, "modules-final", mods[:i], True)
    s.module("modules-final", "scripts_per_boot", "always", 720, body=None, fail=lambda s: (b_per_boot(s), fail_tb(s)))
    run_modules(s, "modules-final", mods[i:], True)
    s.log("main.py", "DEBUG", "Ran %d modules with 1 failures" % (len(mods) + 1), ms=0.4)
    s.finish("modules-final", "FAIL", "running modules for final", ms=0.2)
    return lines


def fail_tb(s):
    s.log("log_util.py", "WARNING", "Running module scripts_per_boot (<module 'cloudinit.config.cc_scripts_per_boot' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_per_boot.py'>) failed", ms=0.2)
    s.log("log_util.py", "DEBUG", "Running module scripts_per_boot (<module 'cloudinit.config.cc_scripts_per_boot' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_per_boot.py'>) failed", ms=0.1)
    for t in ("Traceback (most recent call last):",
              '  File "/usr/lib/python3/dist-packages/cloudinit/config/modules.py", line 286, in _run_modules',
              "    ran, _r = cc.run(",
              '  File "/usr/lib/python3/dist-packages/cloudinit/cloud.py", line 65, in run',
              "    return self._runners.run(name, functor, args, freq, clear_on_fail)",
              '  File "/usr/lib/python3/dist-packages/cloudinit/helpers.py", line 156, in run',
              "    results = functor(**args)",
              '  File "/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_per_boot.py", line 41, in handle',
              "    subp.runparts(runparts_path)",
              '  File "/usr/lib/python3/dist-packages/cloudinit/subp.py", line 390, in runparts',
              "    raise RuntimeError(",
              "RuntimeError: Runparts: 1 failures (20-mount-data.sh) in 1 attempted commands"):
        s.raw(t)


# Amazon Linux 2023 (cloud-init 22.2.2): chronyd steps the wall clock back by 4.2 s while
# init-network/config-ssh generates host keys. `--no-step` writes the same boot without the step.
AL_STEP = -4.2


def fx_clock_step():
    p = Profile("22.2.2", "util.py", False, False, False, None)
    lines = []
    iid = "i-0c5a7e3f9b1d24680"
    k0 = epoch_us("2024-07-22 18:04:43.519000")
    s = Sim(lines, p, k0, iid, pydir=PY_AL)
    s.step_clock(0 if NO_STEP else -AL_STEP)  # the clock starts 4.2 s ahead; chrony corrects it mid-boot
    s.stage_begin("init-local", "init-local", 3.02, 27)
    t0 = s.mono
    s.log("main.py", "INFO", "PID [1] started cloud-init 'init-local'.", ms=0.5)
    s.start("init-local/check-cache", "attempting to read from cache [check]", ms=4)
    s.log("stages.py", "DEBUG", "no cache found", ms=0.5)
    s.finish("init-local/check-cache", "SUCCESS", "no cache found", ms=0.2)
    s.start("init-local/search-Ec2Local", "searching for local data from DataSourceEc2Local", ms=9)
    s.log("url_helper.py", "DEBUG", "Read from http://169.254.169.254:80/2021-03-23/user-data (200, 12342b) after 1 attempts", ms=960)
    s.finish("init-local/search-Ec2Local", "SUCCESS", "found local data from DataSourceEc2Local", ms=2)
    s.log("util.py", "DEBUG", "Creating symbolic link from '/var/lib/cloud/instance' => '/var/lib/cloud/instances/%s'" % iid, ms=12)
    s.finish("init-local", "SUCCESS", "searching for local datasources", ms=40)
    s.stage_begin("init-network", "init", 5.74, 42)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'init'.", ms=0.5)
    s.start("init-network/check-cache", "attempting to read from cache [trust]", ms=10)
    s.log("stages.py", "DEBUG", "restored from cache: DataSourceEc2Local", ms=2)
    s.finish("init-network/check-cache", "SUCCESS", "restored from cache: DataSourceEc2Local", ms=0.1)
    for n, d in (("setup-datasource", "setting up datasource"), ("consume-user-data", "reading and applying user-data"),
                 ("consume-vendor-data", "reading and applying vendor-data"),
                 ("consume-vendor-data2", "reading and applying vendor-data2"), ("activate-datasource", "activating datasource")):
        s.start("init-network/" + n, d, ms=2)
        s.adv(35 if n == "consume-user-data" else 1)
        s.finish("init-network/" + n, "SUCCESS", d, ms=0.2)

    def b_ssh_step(s):
        s.log("subp.py", "DEBUG", "Running command ['ssh-keygen', '-t', 'ecdsa', '-N', '', '-f', '/etc/ssh/ssh_host_ecdsa_key'] with allowed return codes [0] (shell=False, capture=True)", ms=0.4)
        s.adv(281)
        s.step_clock(0 if NO_STEP else AL_STEP)  # chronyd: System clock wrong by -4.2 seconds, adjustment started / stepped
        s.log("subp.py", "DEBUG", "Running command ['ssh-keygen', '-t', 'ed25519', '-N', '', '-f', '/etc/ssh/ssh_host_ed25519_key'] with allowed return codes [0] (shell=False, capture=True)", ms=9)
        s.log("util.py", "DEBUG", "Writing to /home/ec2-user/.ssh/authorized_keys - wb: [600] 398 bytes", ms=12)
    al_init = [("migrator", "always", 1), ("seed_random", "once-per-instance", 2), ("bootcmd", "always", 1),
               ("write-files", "once-per-instance", 1), ("growpart", "always", 48, b_growpart),
               ("resizefs", "always", 16, b_resizefs), ("disk_setup", "once-per-instance", 1),
               ("mounts", "once-per-instance", 3), ("set_hostname", "once-per-instance", 4),
               ("update_hostname", "always", 2), ("update_etc_hosts", "always", 1), ("ca-certs", "once-per-instance", 1),
               ("rsyslog", "once-per-instance", 1), ("users-groups", "once-per-instance", 95, b_users)]
    run_modules(s, "init-network", al_init, True)
    s.module("init-network", "ssh", "once-per-instance", 330, body=b_ssh_step)
    s.log("main.py", "DEBUG", "Ran %d modules with 0 failures" % (len(al_init) + 1), ms=0.4)
    s.finish("init-network", "SUCCESS", "searching for network datasources", ms=0.2)
    s.stage_begin("modules-config", "modules:config", 7.21, 38)
    s.log("main.py", "INFO", "PID [1] started cloud-init 'modules:config'.", ms=0.4)
    al_cfg = [("ssh-import-id", "once-per-instance", 1), ("keyboard", "once-per-instance", 1),
              ("locale", "once-per-instance", 120), ("set-passwords", "once-per-instance", 25),
              ("ntp", "once-per-instance", 1), ("timezone", "once-per-instance", 1),
              ("disable-ec2-metadata", "always", 1), ("runcmd", "once-per-instance", 2, b_runcmd)]
    run_modules(s, "modules-config", al_cfg, True)
    s.finish("modules-config", "SUCCESS", "running modules for config", ms=0.2)
    s.stage_begin("modules-final", "modules:final", 7.74, 36)
    al_final = [("package-update-upgrade-install", "once-per-instance", 1), ("write-files-deferred", "once-per-instance", 1),
                ("puppet", "once-per-instance", 1), ("chef", "always", 1), ("mcollective", "once-per-instance", 1),
                ("salt-minion", "once-per-instance", 1), ("reset_rmc", "once-per-instance", 1),
                ("refresh_rmc_and_interface", "always", 1), ("rightscale_userdata", "once-per-instance", 1),
                ("scripts-vendor", "once-per-instance", 1), ("scripts-per-once", "once", 1), ("scripts-per-boot", "always", 1),
                ("scripts-per-instance", "once-per-instance", 1), ("scripts-user", "once-per-instance", 410, b_scripts_user),
                ("ssh-authkey-fingerprints", "once-per-instance", 7), ("keys-to-console", "once-per-instance", 80, b_keys_to_console),
                ("install-hotplug", "once-per-instance", 2), ("phone-home", "once-per-instance", 1),
                ("final-message", "always", 2, lambda s: s.final_banner("DataSourceEc2Local")),
                ("power-state-change", "once-per-instance", 1)]
    run_modules(s, "modules-final", al_final, True)
    s.finish("modules-final", "SUCCESS", "running modules for final", ms=0.2)
    return lines


def fx_quirks():
    """Synthetic (not a real boot): the corners of analyze's pairing, in 22.4.2 line shapes.
    Boot 1: a nested parent (init-local/search-Ec2Local has a child, so it is a parent and its duration
    is added to Total Time a second time), a duplicated stage start (banner + `start: init-network`, the
    first is dropped), a stray finish that matches nothing. Boot 2 is cut short with two parents open.
    Boot 3 replays a finish for boot 2's open sub-step: analyze closes it across records."""
    L = []
    def ev(ts, f, msg):
        L.append("%s - %s[DEBUG]: %s" % (ts, f, msg))
    ev("2024-03-02 10:00:04,100", "util.py", "Cloud-init v. 22.4.2 running 'init-local' at Sat, 02 Mar 2024 10:00:04 +0000. Up 4.05 seconds.")
    ev("2024-03-02 10:00:04,113", "handlers.py", "start: init-local/check-cache: attempting to read from cache [check]")
    ev("2024-03-02 10:00:04,115", "handlers.py", "finish: init-local/check-cache: SUCCESS: no cache found")
    ev("2024-03-02 10:00:04,131", "handlers.py", "start: init-local/search-Ec2Local: searching for local data from DataSourceEc2Local")
    ev("2024-03-02 10:00:04,140", "handlers.py", "start: init-local/search-Ec2Local/fetch-token: fetching the IMDSv2 token")
    ev("2024-03-02 10:00:05,390", "handlers.py", "finish: init-local/search-Ec2Local/fetch-token: SUCCESS: fetched the IMDSv2 token")
    ev("2024-03-02 10:00:05,512", "handlers.py", "finish: init-local/search-Ec2Local: SUCCESS: found local data from DataSourceEc2Local")
    ev("2024-03-02 10:00:05,640", "handlers.py", "finish: init-local: SUCCESS: searching for local datasources")
    ev("2024-03-02 10:00:08,920", "util.py", "Cloud-init v. 22.4.2 running 'init' at Sat, 02 Mar 2024 10:00:08 +0000. Up 8.86 seconds.")
    ev("2024-03-02 10:00:08,921", "handlers.py", "start: init-network: searching for network datasources")
    ev("2024-03-02 10:00:08,950", "handlers.py", "finish: init-network/check-cache: SUCCESS: restored from cache: DataSourceEc2Local")
    ev("2024-03-02 10:00:09,420", "handlers.py", "start: init-network/config-ssh: running config-ssh with frequency once-per-instance")
    ev("2024-03-02 10:00:09,866", "handlers.py", "finish: init-network/config-ssh: SUCCESS: config-ssh ran successfully")
    ev("2024-03-02 10:00:09,901", "handlers.py", "finish: init-network: SUCCESS: searching for network datasources")
    ev("2024-03-02 10:00:12,003", "util.py", "Cloud-init v. 22.4.2 running 'modules:config' at Sat, 02 Mar 2024 10:00:11 +0000. Up 11.95 seconds.")
    ev("2024-03-02 10:00:12,020", "handlers.py", "start: modules-config/config-runcmd: running config-runcmd with frequency once-per-instance")
    ev("2024-03-02 10:00:12,022", "handlers.py", "finish: modules-config/config-runcmd: SUCCESS: config-runcmd ran successfully")
    ev("2024-03-02 10:00:12,030", "handlers.py", "finish: modules-config: SUCCESS: running modules for config")
    ev("2024-03-02 11:20:31,500", "util.py", "Cloud-init v. 22.4.2 running 'init-local' at Sat, 02 Mar 2024 11:20:31 +0000. Up 3.98 seconds.")
    ev("2024-03-02 11:20:31,512", "handlers.py", "start: init-local/check-cache: attempting to read from cache [check]")
    ev("2024-03-02 11:20:31,514", "handlers.py", "finish: init-local/check-cache: SUCCESS: restored from cache with run check: DataSourceEc2Local")
    ev("2024-03-02 11:20:31,560", "handlers.py", "finish: init-local: SUCCESS: searching for local datasources")
    ev("2024-03-02 11:20:35,010", "util.py", "Cloud-init v. 22.4.2 running 'init' at Sat, 02 Mar 2024 11:20:34 +0000. Up 7.45 seconds.")
    ev("2024-03-02 11:20:35,040", "handlers.py", "start: init-network/search-Ec2: searching for network data from DataSourceEc2")
    ev("2024-03-02 11:20:35,041", "url_helper.py", "[0/1] open 'http://169.254.169.254/latest/api/token' with {'url': 'http://169.254.169.254/latest/api/token', 'method': 'PUT'} configuration")
    ev("2024-03-02 11:31:02,200", "util.py", "Cloud-init v. 22.4.2 running 'init-local' at Sat, 02 Mar 2024 11:31:02 +0000. Up 4.11 seconds.")
    ev("2024-03-02 11:31:02,213", "handlers.py", "start: init-local/check-cache: attempting to read from cache [check]")
    ev("2024-03-02 11:31:02,215", "handlers.py", "finish: init-local/check-cache: SUCCESS: restored from cache with run check: DataSourceEc2Local")
    ev("2024-03-02 11:31:02,260", "handlers.py", "finish: init-local: SUCCESS: searching for local datasources")
    ev("2024-03-02 11:31:02,261", "handlers.py", "finish: init-network/search-Ec2: FAIL: searching for network data from DataSourceEc2")
    ev("2024-03-02 11:31:05,700", "util.py", "Cloud-init v. 22.4.2 running 'init' at Sat, 02 Mar 2024 11:31:05 +0000. Up 7.61 seconds.")
    ev("2024-03-02 11:31:06,300", "handlers.py", "finish: init-network: SUCCESS: searching for network datasources")
    return L


FIXTURES = {
    "ec2-full-boot": fx_ec2_full,
    "three-boots": fx_three_boots,
    "scripts-user-fail": fx_scripts_user_fail,
    "banners-only-0.7.3": fx_banners_only,
    "interleaved-final-banners": fx_interleaved,
    "clock-step-back": fx_clock_step,
    "analyze-quirks": fx_quirks,
}

NO_STEP = False

if __name__ == "__main__":
    # make_fixtures.py OUTDIR            all fixtures
    # make_fixtures.py --no-step FILE    the clock-step boot with the clock right all along (the truth)
    if sys.argv[1:2] == ["--no-step"]:
        NO_STEP = True
        with open(sys.argv[2], "w") as f:
            f.write("\n".join(fx_clock_step()) + "\n")
        sys.exit(0)
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    for name, fn in FIXTURES.items():
        with open("%s/%s.log" % (out, name), "w") as f:
            f.write("\n".join(fn()) + "\n")
