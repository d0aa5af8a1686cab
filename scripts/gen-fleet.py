#!/usr/bin/env python3
"""Generate a fleet of EC2 instance log bundles with known, injected boot failures.

    scripts/gen-fleet.py N OUTDIR [--seed S] [--layouts dir,collect-logs,ecs-collector]
                         [--failure-rate 0.2] [--start 2025-06-02] [--days 4]

Writes N bundles into OUTDIR (created; bundles of an earlier run there are replaced) and
OUTDIR/ground-truth.json. Standard library only; the output depends only on the arguments
(same seed, same bytes: file contents, archive members, gzip headers and file times).

Each bundle is one instance, made from one of the sample scenarios in samples/ (the template):
host name, IP address, MAC, instance id, boot id, machine id, journal cursors, invocation and
container ids, request ids, SSH host key fingerprints (and their randomart), PIDs and every
timestamp are rewritten consistently across the bundle's files, so boots spread over a few days.

Scenarios (root-cause ids as initlens reports them) and the layouts they come in:

  healthy                   samples/healthy, ECS agent 1.91.1-1.94.0      -> none          all layouts
  imds-503                  samples/imds-503 (AL2023, cloud-init 22.2.2)  -> imds-503-not-retried
                                                                                            dir, collect-logs
  ecs-warm-pool-404         samples/ecs-warm-pool-404, agent 1.89.3, 1.90.0 or 1.91.0
                                                                          -> ecs-warm-pool-404
                                                                                            dir, ecs-collector
  ecs-lifecycle-state-lost  samples/ecs-warm-pool-404 with agent 1.93.1   -> ecs-lifecycle-state-lost
                                                                                            dir, ecs-collector
  al2-userdata-failed       samples/syslog-al2 (AL2, cloud-init 19.3-46.amzn2.0.1, agent 1.29.1)
                                                                          -> userdata-script-failed,
                                                                             ecs-cluster-not-found-retrying
                                                                                            dir, ecs-collector

Layouts:

  dir            a directory holding a copy of /var/log, at its top (ecs.config beside it) or
                 under var/log/ (etc/ecs/ecs.config beside it), plus a journal export at its top
                 (journal.txt in short-iso and/or journal.json, sometimes journal.json.gz);
                 hourly-rotated ECS logs (ecs-agent.log.YYYY-MM-DD-HH), half of them gzipped.
  collect-logs   <instance-id>-cloud-init.tar.gz, a `cloud-init collect-logs` tarball of
                 cloud-init 22.2.2 (canonical/cloud-init cloudinit/cmd/devel/logs.py at 22.2.2):
                 cloud-init-logs-YYYY-MM-DD/{version, dpkg-version, dmesg.txt, journal.txt
                 (journalctl -o short-precise), cloud-init.log, cloud-init-output.log,
                 run/cloud-init/...}. It holds no /var/log/ecs, so no ECS failure comes in it;
                 AL2023 instances only (the AL2 template has no journal or cloud-init.log).
  ecs-collector  collect-<instance-id>-<YYYYmmddHHMM>.tgz as aws/amazon-ecs-logs-collector's
                 ecs-logs-collector.sh writes it: ./collect/<instance-id>/{ecs_agent_logs/ (a copy
                 of /var/log/ecs), ecs-agent/ecs.config (allowlist-redacted), system.log
                 (journalctl, short), var_log/messages (AL2), instance-id.txt, os-release,
                 uname.txt}. The collector copies no cloud-init log, so no imds-503 comes in it.

ground-truth.json: {"generator": {...arguments...}, "bundles": {"<entry name in OUTDIR>":
{"host", "rootCauses" (sorted), "healthy", "scenario", "layout", "instanceId", "bootStart",
"versions"}}}: host as the instance's logs name it; rootCauses sorted; bootStart the time of the
first journal or syslog line (to the second); versions what the instance ran, whether or not its
bundle shows it.
"""

import argparse
import base64
import datetime as dt
import gzip
import io
import json
import os
import random
import re
import shutil
import sys
import tarfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# ECS agent versions (agent/version/version.go at each tag of aws/amazon-ecs-agent).
AGENT_COMMITS = {
    "1.89.3": "5dc635ce",
    "1.90.0": "be041380",
    "1.91.0": "c1d73599",
    "1.91.1": "d63d279b",
    "1.91.2": "84d22c61",
    "1.92.0": "ef05ac67",
    "1.93.0": "9d62df88",
    "1.93.1": "dabc5442",
    "1.94.0": "46b06b13",
}
# Healthy instances: agents with the warm-pool fix, weighted towards the newer AMIs of late May 2025.
HEALTHY_AGENTS = [("1.91.1", 2), ("1.91.2", 2), ("1.92.0", 2), ("1.93.0", 3), ("1.93.1", 4), ("1.94.0", 5)]
BUGGY_AGENTS = [("1.89.3", 3), ("1.90.0", 2), ("1.91.0", 2)]
CLUSTERS = ["prod-web", "prod-api", "prod-worker"]
# The two AL2023 kernels of the samples (release, build date in `Linux version`): the AMIs up to
# 20250314 (agents 1.89.3-1.91.0) boot the first, those from 20250318 (agents >= 1.91.1) the second;
# 30 % of the healthy ECS instances run the old AMI with an updated agent; non-ECS ones either.
KERNELS = {
    "6.1.124-134.200.amzn2023.x86_64": "Tue Jan 14 21:58:58 UTC 2025",
    "6.1.129-138.220.amzn2023.x86_64": "Wed Mar  5 18:22:31 UTC 2025",
}
OLD_AGENTS = {"1.89.3", "1.90.0", "1.91.0"}

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTH_NO = {m: i + 1 for i, m in enumerate(MONTHS)}

# Templates: what identifies the instance in each sample scenario.
TEMPLATES = {
    "imds-503": {
        "dir": "imds-503",
        "files": ["cloud-init.log", "cloud-init-output.log", "journal.txt", "journal.json"],
        "host": "ip-10-0-1-23",
        "ip": "10.0.1.23",
        "net": "10.0.0.0",  # /20 in VPC 10.0.0.0/16 (DNS 10.0.0.2 stays)
        "mac": "0a:1b:2c:3d:4e:5f",
        "instance": None,
        "os": "Amazon Linux 2023",
        "family": "al2023",
        "ecs": False,
        "cloud-init": "22.2.2",
        "kernel": "6.1.124-134.200.amzn2023.x86_64",
        "datasource": "DataSourceNone",
    },
    "ecs-warm-pool-404": {
        "dir": "ecs-warm-pool-404",
        "files": ["cloud-init.log", "cloud-init-output.log", "journal.txt", "journal.json",
                  "ecs-agent.log", "ecs-init.log", "ecs.config"],
        "host": "ip-10-0-2-148",
        "ip": "10.0.2.148",
        "net": "10.0.0.0",
        "mac": "0e:4a:91:c7:d2:35",
        "instance": "i-0e5a7c2d9b1f34a86",
        "os": "Amazon Linux 2023",
        "family": "al2023",
        "ecs": True,
        "cloud-init": "22.2.2",
        "kernel": "6.1.124-134.200.amzn2023.x86_64",
        "agent": "1.89.3",
        "datasource": "DataSourceEc2Local",
    },
    "healthy": {
        "dir": "healthy",
        "files": ["cloud-init.log", "cloud-init-output.log", "journal.txt", "journal.json",
                  "ecs-agent.log", "ecs-init.log", "ecs.config"],
        "host": "ip-10-0-2-77",
        "ip": "10.0.2.77",
        "net": "10.0.0.0",
        "mac": "0e:7d:3b:58:a1:c9",
        "instance": "i-07b3e9d1c5a2f6048",
        "os": "Amazon Linux 2023",
        "family": "al2023",
        "ecs": True,
        "cloud-init": "22.2.2",
        "kernel": "6.1.129-138.220.amzn2023.x86_64",
        "agent": "1.91.1",
        "datasource": "DataSourceEc2Local",
    },
    "syslog-al2": {
        "dir": "syslog-al2",
        "files": ["messages", "cloud-init-output.log", "ecs-agent.log", "ecs.config"],
        "host": "ip-172-31-22-57",
        "ip": "172.31.22.57",
        "net": "172.31.16.0",  # /20 in the default VPC 172.31.0.0/16
        "mac": "06:5d:8e:19:b2:43",
        "instance": None,
        "os": "Amazon Linux 2",
        "family": "al2",
        "ecs": True,
        "cloud-init": "19.3-46.amzn2.0.1",
        "kernel": "4.14.326-245.539.amzn2.x86_64",
        "agent": "1.29.1",
        "datasource": "DataSourceEc2",
    },
}

# Scenario -> template, versions, expected root causes, layouts it can come in.
SCENARIOS = {
    "healthy": {"template": "healthy", "rootCauses": [], "agents": HEALTHY_AGENTS,
                "layouts": ["dir", "collect-logs", "ecs-collector"]},
    "imds-503": {"template": "imds-503", "rootCauses": ["imds-503-not-retried"], "weight": 25,
                 "layouts": ["dir", "collect-logs"]},
    # cloud-init collect-logs takes no /var/log/ecs: the agent's lifecycle line would not be in the
    # tarball, so the ECS failures come only in layouts that carry the agent log.
    "ecs-warm-pool-404": {"template": "ecs-warm-pool-404", "rootCauses": ["ecs-warm-pool-404"], "weight": 35,
                          "agents": BUGGY_AGENTS, "layouts": ["dir", "ecs-collector"]},
    "ecs-lifecycle-state-lost": {"template": "ecs-warm-pool-404", "rootCauses": ["ecs-lifecycle-state-lost"],
                                 "weight": 10, "agents": [("1.93.1", 1)], "layouts": ["dir", "ecs-collector"]},
    "al2-userdata-failed": {"template": "syslog-al2",
                            "rootCauses": ["ecs-cluster-not-found-retrying", "userdata-script-failed"],
                            "weight": 30, "layouts": ["dir", "ecs-collector"]},
}
LAYOUT_WEIGHTS = {"dir": 60, "collect-logs": 25, "ecs-collector": 15}

# Subnets (three AZs) per VPC family; the VPC DNS address (base + 2) is the same in each.
SUBNETS = {"al2023": ["10.0.0.0", "10.0.16.0", "10.0.32.0"], "al2": ["172.31.0.0", "172.31.16.0", "172.31.32.0"]}
SUBNETS_ALL = {"al2023": ["10.0.%d.0" % (16 * k) for k in range(16)], "al2": ["172.31.%d.0" % (16 * k) for k in range(16)]}


def ip_int(s):
    a, b, c, d = (int(x) for x in s.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def int_ip(n):
    return ".".join(str((n >> s) & 255) for s in (24, 16, 8, 0))


def link_local(mac):
    """IPv6 link-local address (EUI-64) of a MAC, as `ip addr` prints it."""
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    eui = b[:3] + [0xFF, 0xFE] + b[3:]
    groups = ["%x" % ((eui[i] << 8) | eui[i + 1]) for i in range(0, 8, 2)]
    return "fe80::" + ":".join(groups)


def randomart(digest):
    """The 9 inner rows of OpenSSH's drunken-bishop randomart (sshkey.c fingerprint_randomart)."""
    aug = " .o+=*BOX@%&#/^SE"
    top = len(aug) - 1
    w, h = 17, 9
    field = [[0] * h for _ in range(w)]
    x, y = w // 2, h // 2
    for byte in digest:
        for _ in range(4):
            x += 1 if byte & 1 else -1
            y += 1 if byte & 2 else -1
            x = min(max(x, 0), w - 1)
            y = min(max(y, 0), h - 1)
            if field[x][y] < top - 2:
                field[x][y] += 1
            byte >>= 2
    field[w // 2][h // 2] = top - 1
    field[x][y] = top
    return ["".join(aug[min(field[i][j], top)] for i in range(w)) for j in range(h)]


# --- ci-info tables (cloud-init's SimpleTable + util.center) ----------------------------------

TITLE_RE = re.compile(r"^\++([^+|]+?)\++$")


def rerender_tables(inners):
    """Re-render the ci-info tables in a run of `ci-info: ` line texts so column widths fit the
    rewritten cells (an IP address of another length), exactly as cloud-init 22.2/19.3 print them."""
    out = list(inners)
    i = 0
    n = len(inners)
    while i < n:
        m = TITLE_RE.match(inners[i])
        if not m or i + 3 >= n or not inners[i + 1].startswith("+-"):
            i += 1
            continue
        title = m.group(1)
        j = i + 1
        rows = []
        divs = 0
        while j < n and (inners[j].startswith("+-") or inners[j].startswith("|")):
            if inners[j].startswith("+-"):
                divs += 1
            else:
                rows.append([c.strip() for c in inners[j][1:-1].split("|")])
            j += 1
            if divs == 3:
                break
        if divs != 3 or not rows:
            i += 1
            continue
        widths = [0] * len(rows[0])
        for r in rows:
            for k, c in enumerate(r):
                widths[k] = max(widths[k], len(c))
        hdiv = "+" + "+".join("-" * (wd + 2) for wd in widths) + "+"
        rendered = ["|" + "|".join(c.center(widths[k] + 2) for k, c in enumerate(r)) + "|" for r in rows]
        table = [hdiv, rendered[0], hdiv] + rendered[1:] + [hdiv]
        header = "{0:{fill}{align}{size}}".format(title, fill="+", align="^", size=len(hdiv))
        new = [header] + table
        if len(new) == j - i:
            out[i:j] = new
        i = j
    return out


def fix_ci_info_lines(lines):
    """Apply rerender_tables to each run of consecutive lines that contain `ci-info: `."""
    out = list(lines)
    i = 0
    while i < len(lines):
        if "ci-info: " not in lines[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and "ci-info: " in lines[j]:
            j += 1
        prefixes, inners = [], []
        for line in lines[i:j]:
            p = line.index("ci-info: ") + len("ci-info: ")
            prefixes.append(line[:p])
            inners.append(line[p:])
        for k, inner in enumerate(rerender_tables(inners)):
            out[i + k] = prefixes[k] + inner
        i = j
    return out


# --- per-bundle rewriting ---------------------------------------------------------------------

ART_HEADER_RE = re.compile(r"\+-+\[(?:ECDSA|ED25519|RSA|DSA) \d+\]-+\+$")
ART_ROW_RE = re.compile(r"\|([ .o+=*BOX@%&#/^SE]{17})\|$")
FP_LINE_RE = re.compile(r"SHA256:([A-Za-z0-9+/]{43}) root@")
SYSLOG_RE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d)")
COMMON = (
    r"(?P<dt>(?<!\d)\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)"
    r"|(?P<rfc>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d\d:\d\d:\d\d)"
    r"|(?P<audit>(?<=audit\()\d{10}(?=\.\d{3}:))"
    r"|(?P<hex>(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{32})(?![0-9A-Za-z]))"
    r"|(?P<fp>(?<=SHA256:)[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/]))"
    r"|(?P<uuid>(?<=request id: )[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"|(?P<pid>(?<=\[)\d{4,7}(?=\]:)|(?<=/proc/)\d{4,7}(?=/)|(?<=pid=)\d{4,7}(?!\d))"
)


class Template:
    """One sample scenario read once: its files' lines, its time anchor and its token regex."""

    def __init__(self, name):
        meta = TEMPLATES[name]
        self.name = name
        self.meta = meta
        base = SAMPLES / meta["dir"]
        self.text = {f: (base / f).read_text(encoding="utf-8") for f in meta["files"]}
        first = self.text.get("journal.txt") or self.text["messages"]
        if "journal.txt" in self.text:
            t0 = dt.datetime.strptime(first[:19], "%Y-%m-%dT%H:%M:%S")
        else:
            m = re.search(r"(?P<rfc>\w{3}, \d\d \w{3} (\d{4}))", self.text["cloud-init-output.log"])
            year = int(m.group(2))
            sm = SYSLOG_RE.match(first)
            t0 = dt.datetime(year, MONTH_NO[sm.group(1)], int(sm.group(2)), int(sm.group(3)), int(sm.group(4)),
                             int(sm.group(5)))
        self.anchor = t0
        self.year = t0.year
        # Literal tokens of this instance.
        net = ip_int(meta["net"])
        self.literals = {
            meta["host"]: "host",
            meta["ip"]: "ip",
            int_ip(net + 1): "gw",
            int_ip(net): "net",
            int_ip(net + 4095): "bcast",
            meta["mac"]: "mac",
            link_local(meta["mac"]): "ll6",
        }
        if meta["instance"]:
            self.literals[meta["instance"]] = "instance"
        alts = []
        for lit in sorted(self.literals, key=len, reverse=True):
            alts.append(r"(?<![\w.:-])" + re.escape(lit) + r"(?![\w:]|\.\d)")
        self.regex = re.compile(COMMON + r"|(?P<lit>" + "|".join(alts) + ")")
        # Span of the ECS logs (seconds after the anchor), to place hour boundaries inside.
        self.ecs_span = None
        if meta["ecs"]:
            times = [dt.datetime.strptime(m.group(0), "%Y-%m-%dT%H:%M:%S")
                     for m in re.finditer(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", self.text["ecs-agent.log"])]
            self.ecs_span = ((min(times) - t0).total_seconds(), (max(times) - t0).total_seconds())
        # The regex runs once per template: each line becomes literal text and tokens to substitute.
        self.tokens = {}
        for name, text in self.text.items():
            if name == "journal.json":
                continue
            self.tokens[name] = [self.tokenize(line, syslog=(name == "messages")) for line in text.split("\n")]
        self.entries = []
        if "journal.json" in self.text:
            for line in self.text["journal.json"].split("\n"):
                if not line:
                    continue
                entry = []
                for k, v in json.loads(line).items():
                    if k in ("__REALTIME_TIMESTAMP", "_SOURCE_REALTIME_TIMESTAMP", "_PID", "SYSLOG_PID", "__CURSOR"):
                        entry.append((k, "raw", v))
                    elif k == "MESSAGE" and isinstance(v, list):
                        entry.append((k, "bytes", self.tokenize(bytes(v).decode("utf-8", "surrogateescape"))))
                    elif isinstance(v, str):
                        entry.append((k, "text", self.tokenize(v)))
                    else:
                        entry.append((k, "raw", v))
                self.entries.append(entry)

    def tokenize(self, line, syslog=False):
        """A line as literal strings and (kind, text) tokens; a plain string when it has none."""
        parts = []
        pos = 0
        if syslog:
            m = SYSLOG_RE.match(line)
            if m:
                parts.append(("syslog", m.group(0)))
                pos = m.end()
        for m in self.regex.finditer(line, pos):
            if m.start() > pos:
                parts.append(line[pos:m.start()])
            parts.append((m.lastgroup, m.group(0)))
            pos = m.end()
        if pos < len(line):
            parts.append(line[pos:])
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0]
        return parts


class Bundle:
    """The identity of one generated instance and the rewriting of template text into it."""

    def __init__(self, tpl, rng, start, used_ips, agent=None, cluster=None, kernel=None):
        self.tpl = tpl
        self.rng = rng
        meta = tpl.meta
        self.delta = dt.timedelta(seconds=int((start - tpl.anchor).total_seconds()))
        self.start = tpl.anchor + self.delta
        # A free address in one of the family's subnets (all /20s of the VPC once those fill up).
        for attempt in range(100000):
            subnets = SUBNETS[meta["family"]] if attempt < 200 else SUBNETS_ALL[meta["family"]]
            subnet = rng.choice(subnets)
            net = ip_int(subnet)
            ip = int_ip(net + rng.randint(4, 4094))
            if ip not in used_ips:
                used_ips.add(ip)
                break
        else:
            raise SystemExit("gen-fleet: no free address left for another %s instance" % meta["family"])
        self.ip = ip
        self.host = "ip-" + ip.replace(".", "-")
        self.fqdn = self.host + ".ec2.internal"
        first = rng.choice([0x02, 0x06, 0x0A, 0x0E])
        self.mac = ":".join("%02x" % b for b in [first] + [rng.randrange(256) for _ in range(5)])
        self.instance = "i-0" + "%016x" % rng.getrandbits(64)
        self.values = {
            "host": self.host,
            "ip": ip,
            "gw": int_ip(net + 1),
            "net": subnet,
            "bcast": int_ip(net + 4095),
            "mac": self.mac,
            "ll6": link_local(self.mac),
            "instance": self.instance,
        }
        self.lit_values = {lit: self.values[kind] for lit, kind in tpl.literals.items()}
        self.pid_delta = rng.randint(-400, 1200)
        self.hexmap = {}
        self.fpmap = {}
        self.fpbytes = {}
        self.uuidmap = {}
        self.dt_cache = {}
        self.artcache = {}
        self.agent = agent
        self.cluster = cluster
        self.kernel = kernel or tpl.meta["kernel"]

    # token callbacks
    def _hex(self, old):
        new = self.hexmap.get(old)
        if new is None:
            new = "%0*x" % (len(old), self.rng.getrandbits(4 * len(old)))
            self.hexmap[old] = new
        return new

    def _fp(self, old):
        new = self.fpmap.get(old)
        if new is None:
            raw = bytes(self.rng.randrange(256) for _ in range(32))
            new = base64.b64encode(raw).decode().rstrip("=")
            self.fpmap[old] = new
            self.fpbytes[new] = raw
        return new

    def art(self, fp):
        rows = self.artcache.get(fp)
        if rows is None:
            rows = self.artcache[fp] = randomart(self.fpbytes[fp])
        return rows

    def pid(self, p):
        p = int(p)
        return p + self.pid_delta if p >= 1000 else p

    def shift_dt(self, s):
        r = self.dt_cache.get(s)
        if r is None:
            t = dt.datetime(int(s[0:4]), int(s[5:7]), int(s[8:10]), int(s[11:13]), int(s[14:16]), int(s[17:19]))
            r = (t + self.delta).strftime("%Y-%m-%d") + s[10] + (t + self.delta).strftime("%H:%M:%S")
            self.dt_cache[s] = r
        return r

    def shift_rfc(self, s):
        t = dt.datetime.strptime(s[5:], "%d %b %Y %H:%M:%S") + self.delta
        return "%s, %02d %s %d %s" % (DAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year, t.strftime("%H:%M:%S"))

    def token(self, kind, s):
        if kind == "dt":
            return self.shift_dt(s)
        if kind == "lit":
            return self.lit_values[s]
        if kind == "hex":
            return self._hex(s)
        if kind == "pid":
            return str(self.pid(s))
        if kind == "rfc":
            return self.shift_rfc(s)
        if kind == "fp":
            return self._fp(s)
        if kind == "syslog":
            return self.shift_syslog(s)
        if kind == "uuid":
            new = self.uuidmap.get(s)
            if new is None:
                h = "%032x" % self.rng.getrandbits(128)
                h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) & 3] + h[17:]
                new = "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
                self.uuidmap[s] = new
            return new
        if kind == "audit":
            return str(int(s) + int(self.delta.total_seconds()))
        return s

    def render(self, parts):
        if isinstance(parts, str):
            return parts
        return "".join(p if isinstance(p, str) else self.token(*p) for p in parts)

    def shift_syslog(self, stamp):
        """`Nov 16 16:04:44` (rsyslog: day padded with a space) shifted."""
        m = SYSLOG_RE.match(stamp)
        t = dt.datetime(self.tpl.year, MONTH_NO[m.group(1)], int(m.group(2)), int(m.group(3)), int(m.group(4)),
                        int(m.group(5))) + self.delta
        return "%s %2d %s" % (MONTHS[t.month - 1], t.day, t.strftime("%H:%M:%S"))

    def finish_versions(self, name, s):
        """Agent version/commit and cluster name of this instance."""
        meta = self.tpl.meta
        if self.agent and name in ("ecs-agent.log",) and meta.get("agent") != self.agent:
            s = s.replace(meta["agent"], self.agent).replace(AGENT_COMMITS[meta["agent"]], AGENT_COMMITS[self.agent])
        if self.cluster and meta["family"] == "al2023" and self.cluster != "prod-web":
            s = s.replace("prod-web", self.cluster)
        if self.kernel != meta["kernel"] and ("Linux version" in s or "BOOT_IMAGE" in s):
            old = meta["kernel"]
            s = s.replace(old, self.kernel).replace(KERNELS[old], KERNELS[self.kernel])
        return s

    def lines(self, name):
        """A template text file rewritten for this instance, as a list of lines (no newlines)."""
        art = ArtState(self)
        out = [art.line(self.render(parts)) for parts in self.tpl.tokens[name]]
        out = fix_ci_info_lines(out)
        return [self.finish_versions(name, line) for line in out]

    def journal_entries(self):
        """journal.json rewritten: a list of entries (dicts in the template's key order)."""
        entries = []
        art = ArtState(self)
        delta_us = int(self.delta.total_seconds()) * 1_000_000
        for entry in self.tpl.entries:
            o = {}
            for k, how, v in entry:
                if how == "text":
                    o[k] = art.line(self.render(v)) if k == "MESSAGE" else self.render(v)
                elif how == "bytes":
                    o[k] = list(art.line(self.render(v)).encode("utf-8", "surrogateescape"))
                elif k in ("__REALTIME_TIMESTAMP", "_SOURCE_REALTIME_TIMESTAMP"):
                    o[k] = str(int(v) + delta_us)
                elif k in ("_PID", "SYSLOG_PID"):
                    o[k] = str(self.pid(v))
                else:
                    o[k] = v
            if "__CURSOR" in o:
                parts = dict(p.split("=", 1) for p in o["__CURSOR"].split(";"))
                parts["s"] = self._hex(parts["s"])
                parts["b"] = self._hex(parts["b"])
                parts["t"] = "%x" % int(o["__REALTIME_TIMESTAMP"])
                parts["x"] = "%016x" % self.rng.getrandbits(64)
                o["__CURSOR"] = ";".join("%s=%s" % kv for kv in parts.items())
            entries.append(o)
        # ci-info tables: one entry per line; re-render runs of them.
        msgs = [e.get("MESSAGE") if isinstance(e.get("MESSAGE"), str) else "" for e in entries]
        fixed = fix_ci_info_lines(msgs)
        for e, old, new in zip(entries, msgs, fixed):
            if old != new:
                e["MESSAGE"] = new
        for e in entries:
            if isinstance(e.get("MESSAGE"), str):
                e["MESSAGE"] = self.finish_versions("journal", e["MESSAGE"])
        return entries


class ArtState:
    """Replaces the rows of each SSH host key randomart with the art of the key's new fingerprint."""

    def __init__(self, bundle):
        self.bundle = bundle
        self.fp = None
        self.row = -1

    def line(self, line):
        m = FP_LINE_RE.search(line)
        if m:
            self.fp = m.group(1)
            return line
        if ART_HEADER_RE.search(line):
            self.row = 0
            return line
        if 0 <= self.row < 9 and self.fp in self.bundle.fpbytes:
            m = ART_ROW_RE.search(line)
            if m:
                rows = self.bundle.art(self.fp)
                line = line[: m.start(1)] + rows[self.row] + line[m.end(1):]
                self.row += 1
        return line


# --- output formats ---------------------------------------------------------------------------

def dump_json_lines(entries):
    return "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n" for e in entries)


def short_iso_to(lines, entries, precise):
    """journalctl short / short-precise lines from the short-iso lines and the JSON entries."""
    out = []
    for line, e in zip(lines, entries):
        rest = line[25:]  # after "YYYY-MM-DDTHH:MM:SS+0000 "
        us = int(e["__REALTIME_TIMESTAMP"])
        t = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=us)
        stamp = "%s %02d %s" % (MONTHS[t.month - 1], t.day, t.strftime("%H:%M:%S"))
        if precise:
            stamp += ".%06d" % t.microsecond
        out.append(stamp + " " + rest)
    return out


def dmesg_lines(entries):
    """`dmesg` output: the kernel's ring buffer (kernel-transport journal entries)."""
    out = []
    for e in entries:
        if e.get("_TRANSPORT") != "kernel" or not isinstance(e.get("MESSAGE"), str):
            continue
        mono = int(e.get("_SOURCE_MONOTONIC_TIMESTAMP") or e.get("__MONOTONIC_TIMESTAMP") or 0)
        out.append("[%5d.%06d] %s" % (mono // 1_000_000, mono % 1_000_000, e["MESSAGE"]))
    return out


def split_by_hour(lines, name, stamp_re):
    """Hourly rotation as the ECS agent and ecs-init do it (seelog rollingfile, pattern
    2006-01-02-15): lines of earlier hours in NAME.YYYY-MM-DD-HH, the last hour in NAME."""
    groups = []
    hour = None
    for line in lines:
        if not line:
            continue
        m = stamp_re.search(line)
        h = "%s-%s" % (m.group(1), m.group(2)) if m else hour
        if not groups or h != hour:
            groups.append((h, []))
            hour = h
        groups[-1][1].append(line)
    files = []
    for i, (h, ls) in enumerate(groups):
        fname = name if i == len(groups) - 1 else "%s.%s" % (name, h)
        files.append((fname, "\n".join(ls) + "\n"))
    return files


ECS_STAMP_RE = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d):\d\d:\d\dZ")

# ecs_config_allowlist of aws/amazon-ecs-logs-collector's ecs-logs-collector.sh (2025-02).
ECS_ALLOWLIST = {
    "AWS_DEFAULT_REGION", "CREDENTIALS_FETCHER_HOST", "CREDENTIALS_FETCHER_SECRET_NAME_FOR_DOMAINLESS_GMSA",
    "DOCKER_HOST", "ECS_AGENT_APPARMOR_PROFILE", "ECS_AGENT_HEALTHCHECK_HOST", "ECS_AGENT_LABELS",
    "ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS", "ECS_ALTERNATE_CREDENTIAL_PROFILE", "ECS_APPARMOR_CAPABLE",
    "ECS_AVAILABLE_LOGGING_DRIVERS", "ECS_AWSVPC_ADDITIONAL_LOCAL_ROUTES", "ECS_AWSVPC_BLOCK_IMDS",
    "ECS_CGROUP_CPU_PERIOD", "ECS_CGROUP_PATH", "ECS_CHECKPOINT", "ECS_CLUSTER", "ECS_CNI_PLUGINS_PATH",
    "ECS_CONTAINER_CREATE_TIMEOUT", "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM", "ECS_CONTAINER_INSTANCE_TAGS",
    "ECS_CONTAINER_START_TIMEOUT", "ECS_CONTAINER_STOP_TIMEOUT", "ECS_DATADIR",
    "ECS_DISABLE_DOCKER_HEALTH_CHECK", "ECS_DISABLE_IMAGE_CLEANUP", "ECS_DISABLE_METRICS",
    "ECS_DISABLE_PRIVILEGED", "ECS_DYNAMIC_HOST_PORT_RANGE", "ECS_EBSTA_SUPPORTED",
    "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE", "ECS_ENABLE_CONTAINER_METADATA",
    "ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND", "ECS_ENABLE_GPU_SUPPORT", "ECS_ENABLE_HIGH_DENSITY_ENI",
    "ECS_ENABLE_MEMORY_UNBOUNDED_WINDOWS_WORKAROUND", "ECS_ENABLE_RUNTIME_STATS",
    "ECS_ENABLE_SPOT_INSTANCE_DRAINING", "ECS_ENABLE_TASK_CPU_MEM_LIMIT", "ECS_ENABLE_TASK_ENI",
    "ECS_ENABLE_TASK_IAM_ROLE", "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST", "ECS_ENABLE_UNTRACKED_IMAGE_CLEANUP",
    "ECS_ENGINE_AUTH_TYPE", "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION",
    "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION_JITTER", "ECS_EXCLUDE_UNTRACKED_IMAGE",
    "ECS_FSX_WINDOWS_FILE_SERVER_SUPPORTED", "ECS_GMSA_SUPPORTED", "ECS_HOST_DATA_DIR",
    "ECS_IMAGE_CLEANUP_INTERVAL", "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "ECS_IMAGE_PULL_BEHAVIOR",
    "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT", "ECS_IMAGE_PULL_TIMEOUT", "ECS_INSTANCE_ATTRIBUTES", "ECS_LOGFILE",
    "ECS_LOGLEVEL", "ECS_LOGLEVEL_ON_INSTANCE", "ECS_LOG_DRIVER", "ECS_LOG_MAX_FILE_SIZE_MB",
    "ECS_LOG_MAX_ROLL_COUNT", "ECS_LOG_OPTS", "ECS_LOG_OUTPUT_FORMAT", "ECS_LOG_ROLLOVER_TYPE",
    "ECS_MANIFEST_PULL_TIMEOUT", "ECS_NUM_IMAGES_DELETE_PER_CYCLE", "ECS_NVIDIA_RUNTIME",
    "ECS_OFFHOST_INTROSPECTION_INTERFACE_NAME", "ECS_POLLING_METRICS_WAIT_DURATION", "ECS_POLL_METRICS",
    "ECS_PULL_DEPENDENT_CONTAINERS_UPFRONT", "ECS_RESERVED_MEMORY", "ECS_RESERVED_PORTS",
    "ECS_RESERVED_PORTS_UDP", "ECS_SELINUX_CAPABLE", "ECS_SHARED_VOLUME_MATCH_FULL_CONFIG",
    "ECS_SKIP_LOCALHOST_TRAFFIC_FILTER", "ECS_TASK_METADATA_RPS_LIMIT", "ECS_TASK_PIDS_LIMIT",
    "ECS_UPDATES_ENABLED", "ECS_WARM_POOLS_CHECK", "HTTP_PROXY", "NON_ECS_IMAGE_MINIMUM_CLEANUP_AGE", "NO_PROXY",
}


def collector_ecs_config(text):
    """/etc/ecs/ecs.config as ecs-logs-collector.sh copies it: variables off its allowlist redacted."""
    out = []
    safe = False
    for line in text.split("\n"):
        if "=" in line:
            name = line.split("=", 1)[0]
            safe = name in ECS_ALLOWLIST
            if not safe:
                out.append(name + "={REDACTED}")
        if safe:
            out.append(line)
    return "\n".join(out) + "\n"


def ecs_init_from_messages(lines):
    """/var/log/ecs/ecs-init.log of ecs-init 1.29.1 (file format `%UTCDate [%LEVEL] %Msg`) from the
    amazon-ecs-init console lines rsyslog wrote to /var/log/messages."""
    out = []
    for line in lines:
        if " amazon-ecs-init: " not in line:
            continue
        msg = line.split(" amazon-ecs-init: ", 1)[1]
        msg = re.sub(r"#033\[\d+m", "", msg)
        if re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[", msg):
            out.append(msg)
    return out


def journal_from_messages(lines):
    """system.log (`journalctl`, short) approximated from rsyslog's /var/log/messages: the same
    entries; messages with control characters shown as journalctl shows them ([NB blob data])."""
    out = []
    for line in lines:
        if not line:
            continue
        m = re.match(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\S+) ([^:]+): (.*)$", line)
        if not m:
            out.append(line)
            continue
        stamp, host, ident, msg = m.groups()
        stamp = stamp[:4] + stamp[4:6].replace(" ", "0") + stamp[6:]
        if "#033" in msg:
            raw = msg.replace("#033", "\x1b").encode()
            msg = "[%dB blob data]" % len(raw)
        out.append("%s %s %s: %s" % (stamp, host, ident, msg))
    return out


# --- writing bundles --------------------------------------------------------------------------

class Archive:
    """A deterministic tar.gz built in memory (GNU format, fixed owner, mode and times)."""

    def __init__(self, mtime):
        self.buf = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buf, mode="w", format=tarfile.GNU_FORMAT)
        self.mtime = mtime
        self.dirs = set()

    def _dir(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d in (".",) or d in self.dirs:
                continue
            self.dirs.add(d)
            info = tarfile.TarInfo(d + "/")
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            info.mtime = self.mtime
            info.uname = info.gname = "root"
            self.tar.addfile(info)

    def add(self, path, data, mode=0o644):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        self._dir(path)
        info = tarfile.TarInfo(path)
        info.size = len(data)
        info.mode = mode
        info.mtime = self.mtime
        info.uname = info.gname = "root"
        self.tar.addfile(info, io.BytesIO(data))

    def write(self, dest):
        self.tar.close()
        dest.write_bytes(gzip.compress(self.buf.getvalue(), compresslevel=6, mtime=self.mtime))


def gz(data, mtime):
    return gzip.compress(data.encode("utf-8", "surrogateescape"), compresslevel=6, mtime=mtime)


def write_file(path, data, mtime):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def join(lines):
    text = "\n".join(lines)
    return text if text.endswith("\n") else text + "\n"


def stage_times(ci_lines):
    """(stage, start, finish) epoch seconds from cloud-init.log's banners, for status.json."""
    names = {"init-local": "init-local", "init": "init", "modules:config": "modules-config",
             "modules:final": "modules-final"}
    starts = []
    last = None
    for line in ci_lines:
        m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})", line)
        if not m:
            continue
        t = (dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S") - dt.datetime(1970, 1, 1)).total_seconds()
        t += int(m.group(2)) / 1000
        b = re.search(r"running '([a-z:-]+)' at", line)
        if b and b.group(1) in names:
            starts.append([names[b.group(1)], t, t])
        if starts:
            starts[-1][2] = t
        last = t
    return starts, last


def status_json(stages, datasource):
    v1 = {"datasource": datasource, "stage": None}
    for mode in ("init", "init-local", "modules-config", "modules-final"):
        v1[mode] = {"errors": [], "finished": None, "start": None}
    for name, start, finish in stages:
        v1[name] = {"errors": [], "finished": round(finish + 0.000417, 6), "start": round(start - 0.000298, 6)}
    return json.dumps({"v1": v1}, indent=1, sort_keys=True, separators=(",", ": ")) + "\n"


def choose_kernel(rng, meta, scenario, agent):
    """The kernel an instance of this template, scenario and agent runs (its AMI's)."""
    if meta["family"] != "al2023":
        return meta["kernel"]
    old_ami, new_ami = sorted(KERNELS)
    if agent in OLD_AGENTS:
        return old_ami
    if agent and scenario == "healthy":
        # Some launch templates still use an AMI of up to 20250314 and update ecs-init from user
        # data (the documented fix): old kernel, fixed agent.
        return old_ami if rng.random() < 0.3 else new_ami
    if agent:
        return new_ami
    return rng.choice([old_ami, new_ami])


def make_bundle(args, templates, rng, used_ips, scenario, layout, start):
    sc = SCENARIOS[scenario]
    tpl = templates[sc["template"]]
    meta = tpl.meta
    agent = None
    if sc.get("agents"):
        agent = weighted(rng, sc["agents"])
    elif meta.get("agent"):
        agent = meta["agent"]
    cluster = rng.choice(CLUSTERS) if meta["ecs"] and meta["family"] == "al2023" else None
    kernel = choose_kernel(rng, meta, scenario, agent)
    b = Bundle(tpl, rng, start, used_ips, agent=agent, cluster=cluster, kernel=kernel)
    collected = b.start + dt.timedelta(minutes=rng.randint(25, 360), seconds=rng.randint(0, 59))
    mtime = int((collected - dt.datetime(1970, 1, 1)).total_seconds())

    files = {name: b.lines(name) for name in meta["files"] if name != "journal.json"}
    entries = b.journal_entries() if "journal.json" in meta["files"] else None
    versions = {"cloud-init": meta["cloud-init"], "os": meta["os"], "kernel": kernel}
    if agent:
        versions["ecs-agent"] = agent
    host = b.fqdn if meta["family"] == "al2023" else b.host

    ecs_files = []
    if meta["ecs"]:
        ecs_files += split_by_hour(files["ecs-agent.log"], "ecs-agent.log", ECS_STAMP_RE)
        init = files.get("ecs-init.log") or ecs_init_from_messages(files["messages"])
        ecs_files += split_by_hour(init, "ecs-init.log", ECS_STAMP_RE)

    out = Path(args.outdir)
    if layout == "dir":
        name = b.instance
        root = out / name
        rootfs = rng.random() < 0.4
        logdir = root / "var" / "log" if rootfs else root
        for fname in ("cloud-init.log", "cloud-init-output.log", "messages"):
            if fname in files:
                write_file(logdir / fname, join(files[fname]), mtime)
        for fname, data in ecs_files:
            if fname.count(".") > 1 and rng.random() < 0.5:  # a rotated file, gzipped
                write_file(logdir / "ecs" / (fname + ".gz"), gz(data, mtime), mtime)
            else:
                write_file(logdir / "ecs" / fname, data, mtime)
        if "ecs.config" in files:
            cfg = root / "etc" / "ecs" / "ecs.config" if rootfs else root / "ecs.config"
            write_file(cfg, join(files["ecs.config"]), mtime)
        if entries is not None:
            pick = rng.random()
            if pick < 0.45 or pick >= 0.8:
                write_file(root / "journal.txt", join(files["journal.txt"]), mtime)
            if pick >= 0.45:
                data = dump_json_lines(entries)
                if rng.random() < 0.3:
                    write_file(root / "journal.json.gz", gz(data, mtime), mtime)
                else:
                    write_file(root / "journal.json", data, mtime)
        for d in sorted(root.rglob("*"), reverse=True):
            if d.is_dir():
                os.utime(d, (mtime, mtime))
        os.utime(root, (mtime, mtime))
    elif layout == "collect-logs":
        name = b.instance + "-cloud-init.tar.gz"
        top = collected.strftime("cloud-init-logs-%Y-%m-%d")
        ar = Archive(mtime)
        ar.add(top + "/version", "/usr/bin/cloud-init %s\n" % meta["cloud-init"])
        ar.add(top + "/dpkg-version",
               "Unexpected error while running command.\nCommand: ['dpkg-query', '--show', '-f=${Version}\\n', "
               "'cloud-init']\nExit code: -\nReason: [Errno 2] No such file or directory: b'dpkg-query'\n"
               "Stdout: -\nStderr: -")
        ar.add(top + "/dmesg.txt", join(dmesg_lines(entries)))
        ar.add(top + "/journal.txt", join(short_iso_to(files["journal.txt"], entries, precise=True)))
        ar.add(top + "/cloud-init.log", join(files["cloud-init.log"]), 0o640)
        ar.add(top + "/cloud-init-output.log", join(files["cloud-init-output.log"]), 0o640)
        run = top + "/run/cloud-init/"
        ds = meta["datasource"]
        iid = "iid-datasource-none" if ds == "DataSourceNone" else b.instance
        cloud_id = "none" if ds == "DataSourceNone" else "aws"
        stages, _ = stage_times(files["cloud-init.log"])
        ar.add(run + ".instance-id", iid + "\n")
        ar.add(run + "cloud-id", cloud_id + "\n")
        ar.add(run + "cloud-id-" + cloud_id, cloud_id + "\n")
        ar.add(run + "enabled", "")
        ar.add(run + "result.json",
               json.dumps({"v1": {"datasource": ds, "errors": []}}, indent=1, sort_keys=True,
                          separators=(",", ": ")) + "\n")
        ar.add(run + "status.json", status_json(stages, ds))
        ar.write(out / name)
    else:  # ecs-collector
        name = "collect-%s-%s.tgz" % (b.instance, collected.strftime("%Y%m%d%H%M"))
        top = "./collect/%s/" % b.instance
        ar = Archive(mtime)
        ar.add(top + "instance-id.txt", b.instance + "\n")
        if meta["family"] == "al2023":
            ar.add(top + "system.log", join(short_iso_to(files["journal.txt"], entries, precise=False)))
            os_release = ('NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\n'
                          'PLATFORM_ID="platform:al2023"\nPRETTY_NAME="Amazon Linux 2023.7.20250512"\n')
        else:
            msgs = [line for line in files["messages"] if line]
            ar.add(top + "system.log", join(journal_from_messages(msgs)))
            ar.add(top + "var_log/messages", join(msgs))
            os_release = ('NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\n'
                          'VERSION_ID="2"\nPRETTY_NAME="Amazon Linux 2"\n')
        for fname, data in ecs_files:
            ar.add(top + "ecs_agent_logs/" + fname, data)
        ar.add(top + "ecs-agent/ecs.config", collector_ecs_config("\n".join(files["ecs.config"]).strip("\n")))
        if scenario != "healthy":
            ar.add(top + "ecs-agent/ecs-agent-not-running.txt",
                   "warning: The Amazon ECS Container Agent is not running\n")
        ar.add(top + "os-release", os_release)
        log = files.get("journal.txt") or files["messages"]
        build = next(re.search(r"Linux version \S+ .*\) (#\d+ SMP.*)$", l).group(1) for l in log if "Linux version" in l)
        ar.add(top + "uname.txt", "Linux %s %s %s x86_64 x86_64 x86_64 GNU/Linux\n" % (host, kernel, build))
        ar.write(out / name)
    truth = {
        "host": host,
        "rootCauses": sorted(sc["rootCauses"]),
        "healthy": not sc["rootCauses"],
        "scenario": scenario,
        "layout": layout,
        "instanceId": b.instance,
        "bootStart": b.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": dict(sorted(versions.items())),
    }
    return name, truth


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.uniform(0, total)
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


def main(argv=None):
    p = argparse.ArgumentParser(prog="gen-fleet.py", description=__doc__.split("\n\n", 2)[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, metavar="N", help="number of bundles (instances)")
    p.add_argument("outdir", metavar="OUTDIR", help="where to write the bundles and ground-truth.json")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1): same seed, same bytes")
    p.add_argument("--layouts", default="dir,collect-logs,ecs-collector",
                   help="comma-separated subset of dir, collect-logs, ecs-collector (default: all, 60/25/15)")
    p.add_argument("--failure-rate", type=float, default=0.2, help="share of instances with an injected failure, 0..1 (default 0.2); failures are drawn "
                   "imds-503 25, ecs-warm-pool-404 35, ecs-lifecycle-state-lost 10, al2-userdata-failed 30")
    p.add_argument("--start", default="2025-06-02", help="first day of the boots (UTC, YYYY-MM-DD)")
    p.add_argument("--days", type=int, default=4, help="the boots spread over this many days")
    args = p.parse_args(argv)

    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    bad = [x for x in layouts if x not in LAYOUT_WEIGHTS]
    if bad or not layouts:
        p.error("unknown layout(s): %s" % ", ".join(bad) if bad else "no layout given")
    if not 0 <= args.failure_rate <= 1:
        p.error("--failure-rate must be within 0..1")
    if args.n < 0:
        p.error("N must be >= 0")
    start = dt.datetime.strptime(args.start, "%Y-%m-%d")
    span = args.days * 86400

    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    # Replace what an earlier run left (only entries that look like our bundles).
    for entry in out.iterdir():
        if entry.name == "ground-truth.json" or re.match(r"^(i-0[0-9a-f]{16}(-cloud-init\.tar\.gz)?|collect-i-.*\.tgz)$",
                                                         entry.name):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    templates = {name: Template(name) for name in TEMPLATES}
    master = random.Random(args.seed)
    # Some failures come in bursts (a scale-out, an IMDS throttling episode): one burst time each.
    bursts = {name: master.uniform(0.1, 0.9) * span for name in SCENARIOS}
    used_ips = set()
    truths = {}
    failing = [s for s in SCENARIOS if SCENARIOS[s]["rootCauses"] and set(SCENARIOS[s]["layouts"]) & set(layouts)]
    for i in range(args.n):
        rng = random.Random("%d:%d" % (args.seed, i))
        if failing and rng.random() < args.failure_rate:
            scenario = weighted(rng, [(s, SCENARIOS[s]["weight"]) for s in failing])
        else:
            scenario = "healthy"
        allowed = [l for l in layouts if l in SCENARIOS[scenario]["layouts"]]
        layout = weighted(rng, [(l, LAYOUT_WEIGHTS[l]) for l in allowed])
        if scenario != "healthy" and rng.random() < 0.5:
            offset = min(max(bursts[scenario] + rng.gauss(0, 2400), 0), span - 1)
        else:
            offset = rng.uniform(0, span)
        boot = start + dt.timedelta(seconds=int(offset))
        tpl = templates[SCENARIOS[scenario]["template"]]
        if tpl.ecs_span and rng.random() < 0.2:
            # Let an hour boundary fall while the ECS agent is logging: hourly rotated files.
            a, z = tpl.ecs_span
            hour = boot.replace(minute=0, second=0) + dt.timedelta(hours=1)
            boot = hour - dt.timedelta(seconds=int(rng.uniform(a + 1, max(a + 1, z))))
        name, truth = make_bundle(args, templates, rng, used_ips, scenario, layout, boot)
        truths[name] = truth

    doc = {
        "generator": {"command": "scripts/gen-fleet.py", "n": args.n, "seed": args.seed,
                      "layouts": layouts, "failureRate": args.failure_rate, "start": args.start,
                      "days": args.days},
        "bundles": dict(sorted(truths.items())),
    }
    (out / "ground-truth.json").write_text(json.dumps(doc, indent=2, sort_keys=False) + "\n")
    counts = {}
    for t in truths.values():
        counts[t["scenario"]] = counts.get(t["scenario"], 0) + 1
    print("gen-fleet: %d bundles in %s (%s)" % (args.n, out, ", ".join("%s %d" % kv for kv in sorted(counts.items()))),
          file=sys.stderr)


if __name__ == "__main__":
    main()
