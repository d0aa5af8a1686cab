#!/usr/bin/env python3
"""Generate a mixed fleet: instances whose boot logs sit where fleets keep them, some in two places.

    scripts/gen-mixed-fleet.py N OUTDIR [--seed S] [--failure-rate 0.3] [--two-sources 0.25]
                               [--start 2025-06-02] [--days 4]

Standard library only; same arguments, same bytes. Each instance's logs (journal, cloud-init.log,
cloud-init-output.log, ECS agent and ecs-init logs, ecs.config) are made by scripts/gen-fleet.py's
templates and rewriting (imported, not copied), then written in one source, or for about a quarter
of the instances in two, in the shapes ../shared/COLLECTED.md gives, as a user syncs them to disk:

  console/<iid>.json|.txt       aws ec2 get-console-output (JSON as CLI v1 or v2 prints it, or text):
                                kernel lines + cloud-init-output.log, the last 64 KB
  cwl/<group>-<k>.json          aws logs filter-log-events of one group, the streams of up to 10
                                instances, two pages (--no-paginate, then --next-token) one after another
  cwl/<iid>.ecs-agent.json      aws logs get-log-events of one stream (the ECS agent log)
  cwl/insights-<query-id>.json  Logs Insights get-query-results (@timestamp, @message, @logStream, @log,
                                @ptr), one group, up to 5 instances, newest first
  exports/<group>/<task-id>/<iid>/000000.gz   CloudWatch export to S3 (`<ISO>Z <message>` lines, an
                                event's other lines without prefix, chunks shuffled), and
                                exports/<group>/aws-logs-write-test
  ssm/<command-id>/<iid>/awsrunShellScript/0.awsrunShellScript/stdout   SSM Run Command output of a
                                script that prints the logs (`tail -n +1 FILES` with `==> FILE <==`
                                headers, or `cat FILES`) and then `journalctl -b --no-pager`
  collectors/collect-<iid>-<YYYYmmddHHMM>.tgz   the ECS logs collector (no cloud-init log)
  collectors/<iid>-cloud-init.tar.gz    cloud-init collect-logs, flat layout (22.1-24.2)
  collectors/<host>-cloud-init.tar.gz   cloud-init collect-logs, 24.3+ file-system mirror with
                                run/cloud-init/instance-data.json naming the instance
  ec2rl/<run>/ , ec2rl/ec2rl-<run>.tgz  EC2Rescue for Linux run folder / upload (cloudinitlog and
                                journal modules; no instance id in any path)
  varlog/<iid or host>/         a copy of /var/log (at its top or under var/log/), journal.txt beside it
  shipped/<iid>/<tag>-<time>-<id>.json  Fluent Bit S3 output: tail records {"date","log","path"} and
                                systemd input records (journal fields and "date")

An instance in two sources has its logs split as it happens: the cloud-init side (cloud-init.log,
cloud-init-output.log) in one source, the ECS side (agent and ecs-init logs, ecs.config) in the other;
an instance of no ECS has cloud-init-output.log in one and cloud-init.log in the other. The journal
(or /var/log/messages) goes with every source that carries it. So an al2-userdata-failed instance
(user-data failure in cloud-init-output.log, cluster not found in the agent log) split in two shows its
two root causes only when its two sources are read as one host.

Shapes are chosen per scenario so that the instance's sources, read together, carry what its root
causes need and name the instance: console output carries no ECS agent log; EC2Rescue and a /var/log
copy named by host name name no instance in their paths, so they hold only instances whose
cloud-init.log names it (AL2023 with the EC2 datasource); imds-503 (DataSourceNone) and AL2 instances
name no instance id in their logs at all.

OUTDIR/ground-truth.json: {"generator": {...}, "instances": {"<instance-id>": {"host", "rootCauses"
(sorted, as initlens reports them reading all the instance's sources together), "healthy", "scenario",
"sources": [{"shape", "path", "logs"}]}}}.
"""

import argparse
import datetime as dt
import gzip
import importlib.util
import json
import random
import re
import shutil
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("gen_fleet", Path(__file__).resolve().parent / "gen-fleet.py")
gf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gf)

CI, CIO, EA, EI, CFG, J, M = ("cloud-init.log", "cloud-init-output.log", "ecs-agent.log", "ecs-init.log",
                              "ecs.config", "journal", "messages")
# What each shape can carry.
CARRY = {
    "console-json": {CIO}, "console-text": {CIO},
    "cwl-filter": {CI, CIO, EA, EI}, "cwl-get": {EA}, "cwl-insights": {CI, CIO, EA},
    "export": {CI, CIO, EA, EI},
    "ssm-tail": {CI, CIO, EA, J, M}, "ssm-cat": {CI, CIO, EA, J, M},
    "ecs-collector": {EA, EI, CFG, J, M},
    "collect-logs": {CI, CIO, J}, "collect-logs-24.3": {CI, CIO, J},
    "ec2rl-dir": {CI, CIO, J}, "ec2rl-tgz": {CI, CIO, J},
    "varlog": {CI, CIO, EA, EI, CFG, J, M}, "varlog-host": {CI, CIO, EA, EI, CFG, J, M},
    "fluent-bit": {CI, CIO, EA, EI, J, M},
}
SHAPES = list(CARRY)
# Shapes whose paths name no instance: only for instances whose cloud-init.log names it.
NO_PATH_ID = {"ec2rl-dir", "ec2rl-tgz", "varlog-host", "collect-logs-24.3"}
CONSOLE = {"console-json", "console-text"}
GROUPS = {CI: "/ec2/cloud-init", CIO: "/ec2/cloud-init-output", EA: "/ecs/agent", EI: "/ecs/ecs-init"}
EXPORT_DIRS = {CI: "ec2-cloud-init", CIO: "ec2-cloud-init-output", EA: "ecs-agent", EI: "ecs-init"}
CWL_NAMES = {CI: "cloud-init", CIO: "cloud-init-output", EA: "ecs-agent", EI: "ecs-init"}
PATHS = {CI: "/var/log/cloud-init.log", CIO: "/var/log/cloud-init-output.log", EA: "/var/log/ecs/ecs-agent.log",
         EI: "/var/log/ecs/ecs-init.log", M: "/var/log/messages"}
ACCOUNT = "123456789012"
EPOCH = dt.datetime(1970, 1, 1)

ASCTIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - ")
ISO = re.compile(r"^(?:level=\w+ time=)?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z")
BANNER = re.compile(r"^Cloud-init v\. .* at (\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d) \+0000")


def own_time(line):
    m = ASCTIME.match(line)
    if m:
        return dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S") + dt.timedelta(milliseconds=int(m.group(2)))
    m = ISO.match(line)
    if m:
        return dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    m = BANNER.match(line)
    if m:
        return dt.datetime.strptime(m.group(1), "%a, %d %b %Y %H:%M:%S")
    return None


def events(lines, start, multiline):
    """(time, [lines]) per event as the CloudWatch agent makes them. A line with its own time starts
    one. `multiline` "stamp" (multi_line_start_pattern {timestamp_format}, cloud-init.log): a timeless
    line continues the event before it; "indent" (the agent's default start pattern `^[\\S]`): a line
    that starts with white space does; None: every line is an event. A timeless event is timed 1 ms
    after the one before. Empty lines are dropped (CloudWatch takes no empty message)."""
    out, last = [], start
    for line in lines:
        t = own_time(line)
        cont = out and (multiline == "stamp" or (multiline == "indent" and line[:1] in (" ", "\t")))
        if t is not None:
            last = t if multiline == "stamp" else max(t, last)
            out.append([t, [line]])
        elif cont:
            out[-1][1].append(line)
        elif line.strip():
            last = last + dt.timedelta(milliseconds=1)
            out.append([last, [line]])
    for e in out:
        while len(e[1]) > 1 and not e[1][-1].strip():
            e[1].pop()
    return out


def ms(t):
    return int((t - EPOCH).total_seconds() * 1000)


def iso_ms(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def nonempty(lines):
    out = list(lines)
    while out and not out[-1]:
        out.pop()
    return out


class Instance:
    """One instance: its identity, scenario and the text of each of its logs."""

    def __init__(self, templates, rng, used_ips, scenario, start):
        sc = gf.SCENARIOS[scenario]
        tpl = templates[sc["template"]]
        meta = tpl.meta
        agent = gf.weighted(rng, sc["agents"]) if sc.get("agents") else meta.get("agent")
        cluster = rng.choice(gf.CLUSTERS) if meta["ecs"] and meta["family"] == "al2023" else None
        kernel = gf.choose_kernel(rng, meta, scenario, agent)
        b = gf.Bundle(tpl, rng, start, used_ips, agent=agent, cluster=cluster, kernel=kernel)
        self.rng = rng
        self.scenario = scenario
        self.root_causes = sorted(sc["rootCauses"])
        self.meta = meta
        self.family = meta["family"]
        self.ecs = meta["ecs"]
        self.iid = b.instance
        self.host = b.host
        self.fqdn = b.fqdn
        self.start = b.start
        self.kernel = kernel
        self.collected = b.start + dt.timedelta(minutes=rng.randint(25, 360), seconds=rng.randint(0, 59))
        self.mtime = int((self.collected - EPOCH).total_seconds())
        files = {name: b.lines(name) for name in meta["files"] if name != "journal.json"}
        self.entries = b.journal_entries() if "journal.json" in meta["files"] else None
        self.files = files
        self.logs = {}
        for key in (CI, CIO, EA):
            if key in files:
                self.logs[key] = nonempty(files[key])
        if self.ecs:
            self.logs[EI] = nonempty(files.get(EI) or gf.ecs_init_from_messages(files[M]))
            self.logs[CFG] = nonempty(files[CFG])
        if M in files:
            self.logs[M] = [line for line in files[M] if line]
        if self.entries is not None:
            self.logs[J] = nonempty(files["journal.txt"])
        # The instance's own logs name it where cloud-init used the EC2 datasource (AL2023 templates).
        self.named_in_logs = CI in self.logs and any(self.iid in line for line in self.logs[CI])

    # journalctl output in the forms the shapes hold
    def journal_short(self, precise=False):
        if self.entries is not None:
            return gf.short_iso_to(self.files["journal.txt"], self.entries, precise=precise)
        return gf.journal_from_messages(self.logs[M])

    def ecs_rotated(self, key):
        return gf.split_by_hour(self.logs[key], key, gf.ECS_STAMP_RE)

    def kernel_lines(self):
        if self.entries is not None:
            return gf.dmesg_lines(self.entries)
        out, t0 = [], None
        for line in self.logs[M]:
            m = gf.SYSLOG_RE.match(line)
            if not m or " kernel: " not in line:
                continue
            t = dt.datetime(2000, gf.MONTH_NO[m.group(1)], int(m.group(2)), int(m.group(3)), int(m.group(4)),
                            int(m.group(5)))
            t0 = t0 or t
            s = (t - t0).total_seconds()
            out.append("[%5d.%06d] %s" % (int(s), 0, line.split(" kernel: ", 1)[1]))
        return out

    def events(self, key):
        return events(self.logs[key], self.start, multiline="stamp" if key == CI else "indent")


# --- choosing where each instance's logs are ---------------------------------------------------

def needs(inst):
    """Sets of logs of which the instance's sources together must carry one each."""
    if inst.scenario == "imds-503":
        return [{CI, CIO}]
    if inst.scenario in ("ecs-warm-pool-404", "ecs-lifecycle-state-lost"):
        return [{EA}]
    if inst.scenario == "al2-userdata-failed":
        return [{CIO}, {EA}]
    return []


def allowed(shape, inst):
    if shape in NO_PATH_ID and not inst.named_in_logs:
        return False
    if shape in CONSOLE and inst.scenario not in ("healthy", "imds-503", "al2-userdata-failed"):
        return False
    if shape.startswith("collect-logs") or shape.startswith("ec2rl"):
        return inst.family == "al2023"
    return True


def plan(inst, rng, prefer, two):
    """[(shape, logs)]: one source holding what it can of the instance, or two splitting it."""
    have = set(inst.logs)
    ci_side = have & {CI, CIO}
    ecs_side = have & {EA, EI, CFG}
    if not inst.ecs:
        ci_side, ecs_side = have & {CIO}, have & {CI}
    shapes = [s for s in SHAPES if allowed(s, inst)]
    rng.shuffle(shapes)
    if prefer in shapes:
        shapes.remove(prefer)
        shapes.insert(0, prefer)
    candidates = []
    if two:
        for a in shapes:
            for b in shapes:
                if a == b or a.split("-")[0] == b.split("-")[0]:
                    continue
                la = (ci_side | (have & {J, M})) & CARRY[a]
                lb = (ecs_side | (have & {J, M})) & CARRY[b]
                if not (ci_side & CARRY[a]) or not (ecs_side & CARRY[b]):
                    continue
                if (a in NO_PATH_ID and CI not in la) or (b in NO_PATH_ID and CI not in lb):
                    continue
                candidates.append([(a, la), (b, lb)])
                if len(candidates) > 40:
                    break
    for s in shapes:
        logs = have & CARRY[s]
        if s in NO_PATH_ID and CI not in logs:
            continue
        candidates.append([(s, logs)])
    for c in candidates:
        union = set().union(*(logs for _, logs in c))
        if all(n & union for n in needs(inst)) and all(logs - {J, M} for _, logs in c):
            return c
    raise SystemExit("gen-mixed-fleet: no source plan for %s (%s)" % (inst.iid, inst.scenario))


# --- writing ----------------------------------------------------------------------------------

def write(path, data, mtime):
    gf.write_file(path, data, mtime)


class Fleet:
    def __init__(self, out, seed):
        self.out = out
        self.rng = random.Random("layout:%d" % seed)
        self.cwl = {k: [] for k in GROUPS}  # filter-log-events batches
        self.insights = {k: [] for k in (CI, CIO, EA)}
        self.export_tasks = {k: self.uuid() for k in GROUPS}
        self.exported = set()
        self.ssm_commands = {"ssm-tail": self.uuid(), "ssm-cat": self.uuid()}

    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) & 3] + h[17:]
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    def write(self, shape, inst, logs):
        """Writes the instance's `logs` in `shape`; returns the path it is at (relative to OUTDIR)."""
        return getattr(self, "w_" + shape.replace("-", "_").replace(".", "_"))(inst, logs, shape)

    # console output
    def console_output(self, inst):
        lines = inst.kernel_lines() + inst.logs[CIO]
        nl = "\r\n" if inst.rng.random() < 0.5 else "\n"
        data = nl.join(lines) + nl
        raw = data.encode("utf-8", "surrogateescape")
        if len(raw) > 65536:
            raw = raw[-65536:]
        return raw.decode("utf-8", "replace")

    def w_console_json(self, inst, logs, shape):
        v2 = inst.rng.random() < 0.5
        stamp = inst.collected.strftime("%Y-%m-%dT%H:%M:%S") + ("+00:00" if v2 else ".000Z")
        doc = {"InstanceId": inst.iid, "Timestamp": stamp, "Output": self.console_output(inst)}
        rel = "console/%s.json" % inst.iid
        write(self.out / rel, json.dumps(doc, indent=4) + "\n", inst.mtime)
        return rel

    def w_console_text(self, inst, logs, shape):
        stamp = inst.collected.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
        rel = "console/%s.txt" % inst.iid
        write(self.out / rel, "%s\t%s\t%s\n" % (inst.iid, self.console_output(inst), stamp), inst.mtime)
        return rel

    # CloudWatch Logs (written at the end: files hold several instances)
    def w_cwl_filter(self, inst, logs, shape):
        for key in sorted(logs):
            self.cwl[key].append((inst, inst.events(key)))
        return "cwl/"

    def w_cwl_insights(self, inst, logs, shape):
        for key in sorted(logs):
            self.insights[key].append((inst, inst.events(key)))
        return "cwl/"

    def w_cwl_get(self, inst, logs, shape):
        evs = inst.events(EA)
        base = ms(inst.collected)
        doc = {"events": [{"timestamp": ms(t), "message": "\n".join(ls), "ingestionTime": ms(t) + 180 + i % 700}
                          for i, (t, ls) in enumerate(evs)],
               "nextForwardToken": "f/%056d" % (base * 1000 + 1), "nextBackwardToken": "b/%056d" % (base * 1000)}
        rel = "cwl/%s.ecs-agent.json" % inst.iid
        write(self.out / rel, json.dumps(doc, indent=4) + "\n", inst.mtime)
        return rel

    def flush_cwl(self):
        for key, items in self.cwl.items():
            for k in range(0, len(items), 10):
                batch = items[k:k + 10]
                evs = []
                for order, (inst, es) in enumerate(batch):
                    for i, (t, ls) in enumerate(es):
                        evs.append((ms(t), order, i, inst.iid, "\n".join(ls)))
                evs.sort()
                rows = [{"logStreamName": iid, "timestamp": t, "message": msg, "ingestionTime": t + 150 + i % 900,
                         "eventId": "%056d" % (t * 10 ** 12 + order * 10 ** 6 + i)}
                        for t, order, i, iid, msg in evs]
                half = len(rows) // 2
                page1 = {"events": rows[:half], "searchedLogStreams": [],
                         "nextToken": "%032x" % self.rng.getrandbits(128)}
                page2 = {"events": rows[half:], "searchedLogStreams": []}
                rel = "cwl/%s-%d.json" % (CWL_NAMES[key], k // 10 + 1)
                mtime = max(inst.mtime for inst, _ in batch)
                write(self.out / rel, json.dumps(page1, indent=4) + "\n" + json.dumps(page2, indent=4) + "\n", mtime)
        for key, items in self.insights.items():
            for k in range(0, len(items), 5):
                batch = items[k:k + 5]
                rows = []
                for order, (inst, es) in enumerate(batch):
                    for i, (t, ls) in enumerate(es):
                        rows.append((ms(t), order, i, inst.iid, "\n".join(ls), t))
                rows.sort(key=lambda r: (-r[0], r[1], -r[2]))
                results = [[{"field": "@timestamp", "value": t.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (m % 1000)},
                            {"field": "@message", "value": msg},
                            {"field": "@logStream", "value": iid},
                            {"field": "@log", "value": "%s:%s" % (ACCOUNT, GROUPS[key])},
                            {"field": "@ptr", "value": "Cm0KJgoiMTIzNDU2Nzg5MDEyOi9lYzIvY2xvdWQtaW5pdBAHEj%08d" % j}]
                           for j, (m, order, i, iid, msg, t) in enumerate(rows)]
                doc = {"results": results,
                       "statistics": {"recordsMatched": float(len(rows)), "recordsScanned": float(len(rows) * 3),
                                      "bytesScanned": float(sum(len(r[4]) for r in rows) * 3)},
                       "status": "Complete"}
                rel = "cwl/insights-%s.json" % self.uuid()
                write(self.out / rel, json.dumps(doc, indent=4) + "\n", max(inst.mtime for inst, _ in batch))

    # CloudWatch export to S3
    def w_export(self, inst, logs, shape):
        for key in sorted(logs):
            group = EXPORT_DIRS[key]
            base = self.out / "exports" / group
            if group not in self.exported:
                self.exported.add(group)
                write(base / "aws-logs-write-test", "Permission Check Successful", inst.mtime)
            evs = inst.events(key)
            chunks, i = [], 0
            while i < len(evs):
                n = inst.rng.randint(20, 80)
                chunks.append(evs[i:i + n])
                i += n
            inst.rng.shuffle(chunks)
            text = "".join("%s %s\n" % (iso_ms(t), "\n".join(ls)) for c in chunks for t, ls in c)
            data = gzip.compress(text.encode("utf-8", "surrogateescape"), compresslevel=6, mtime=inst.mtime)
            write(base / self.export_tasks[key] / inst.iid / "000000.gz", data, inst.mtime)
        return "exports/"

    # SSM Run Command output
    def w_ssm_tail(self, inst, logs, shape):
        parts = []
        for key in (CI, CIO, EA, M):
            if key not in logs:
                continue
            if key == EA:
                for fname, data in inst.ecs_rotated(EA):
                    parts.append(("/var/log/ecs/" + fname, data.rstrip("\n").split("\n")))
            else:
                parts.append((PATHS[key], inst.logs[key]))
        if shape == "ssm-tail":
            text = "\n".join("==> %s <==\n%s\n" % (p, "\n".join(ls)) for p, ls in parts)
        else:
            text = "".join("\n".join(ls) + "\n" for _, ls in parts)
        if J in logs or M in logs:
            text += "\n".join(inst.journal_short()) + "\n"
        rel = "ssm/%s/%s/awsrunShellScript/0.awsrunShellScript/stdout" % (self.ssm_commands[shape], inst.iid)
        write(self.out / rel, text, inst.mtime)
        return rel

    w_ssm_cat = w_ssm_tail

    # collectors
    def w_ecs_collector(self, inst, logs, shape):
        name = "collect-%s-%s.tgz" % (inst.iid, inst.collected.strftime("%Y%m%d%H%M"))
        top = "./collect/%s/" % inst.iid
        ar = gf.Archive(inst.mtime)
        ar.add(top + "instance-id.txt", inst.iid + "\n")
        if inst.family == "al2023":
            ar.add(top + "system.log", gf.join(inst.journal_short()))
            os_release = ('NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\n'
                          'PLATFORM_ID="platform:al2023"\nPRETTY_NAME="Amazon Linux 2023.7.20250512"\n')
        else:
            ar.add(top + "system.log", gf.join(inst.journal_short()))
            ar.add(top + "var_log/messages", gf.join(inst.logs[M]))
            os_release = ('NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\n'
                          'VERSION_ID="2"\nPRETTY_NAME="Amazon Linux 2"\n')
        for key in (EA, EI):
            if key in logs:
                for fname, data in inst.ecs_rotated(key):
                    ar.add(top + "ecs_agent_logs/" + fname, data)
        if CFG in logs:
            ar.add(top + "ecs-agent/ecs.config", gf.collector_ecs_config("\n".join(inst.logs[CFG])))
        if inst.scenario != "healthy":
            ar.add(top + "ecs-agent/ecs-agent-not-running.txt",
                   "warning: The Amazon ECS Container Agent is not running\n")
        ar.add(top + "os-release", os_release)
        log = inst.logs.get(J) or inst.logs[M]
        build = next(re.search(r"Linux version \S+ .*\) (#\d+ SMP.*)$", ln).group(1) for ln in log
                     if "Linux version" in ln)
        ar.add(top + "uname.txt", "Linux %s %s %s x86_64 x86_64 x86_64 GNU/Linux\n" % (inst.fqdn, inst.kernel, build))
        (self.out / "collectors").mkdir(parents=True, exist_ok=True)
        ar.write(self.out / "collectors" / name)
        return "collectors/" + name

    def collect_logs_common(self, inst, logs, ar, top, mirror):
        meta = inst.meta
        ar.add(top + "version", "/usr/bin/cloud-init %s\n" % meta["cloud-init"])
        ar.add(top + "dpkg-version",
               "Unexpected error while running command.\nCommand: ['dpkg-query', '--show', '-f=${Version}\\n', "
               "'cloud-init']\nExit code: -\nReason: [Errno 2] No such file or directory: b'dpkg-query'\n"
               "Stdout: -\nStderr: -")
        ar.add(top + "dmesg.txt", gf.join(gf.dmesg_lines(inst.entries)))
        ar.add(top + "journal.txt", gf.join(inst.journal_short(precise=True)))
        logdir = top + ("var/log/" if mirror else "")
        for key in (CI, CIO):
            if key in logs:
                ar.add(logdir + key, gf.join(inst.logs[key]), 0o640)
        run = top + "run/cloud-init/"
        ds = meta["datasource"]
        iid = "iid-datasource-none" if ds == "DataSourceNone" else inst.iid
        cloud_id = "none" if ds == "DataSourceNone" else "aws"
        stages, _ = gf.stage_times(inst.logs.get(CI, []))
        ar.add(run + ".instance-id", iid + "\n")
        ar.add(run + "cloud-id", cloud_id + "\n")
        ar.add(run + "cloud-id-" + cloud_id, cloud_id + "\n")
        ar.add(run + "enabled", "")
        ar.add(run + "result.json", json.dumps({"v1": {"datasource": ds, "errors": []}}, indent=1, sort_keys=True,
                                               separators=(",", ": ")) + "\n")
        ar.add(run + "status.json", gf.status_json(stages, ds))
        if mirror:
            data = {"v1": {"cloud_name": "aws" if cloud_id == "aws" else "unknown", "cloud_id": cloud_id,
                           "distro": "amazon", "distro_release": "", "distro_version": "2023",
                           "instance_id": iid, "kernel_release": inst.kernel, "local_hostname": inst.fqdn,
                           "machine": "x86_64", "platform": "ec2" if cloud_id == "aws" else "none",
                           "region": "us-east-1", "subplatform": "metadata (http://169.254.169.254)"}}
            ar.add(run + "instance-data.json", json.dumps(data, indent=1, sort_keys=True, separators=(",", ": ")) + "\n")
            ar.add(top + "var/lib/cloud/data/instance-id", iid + "\n")

    def w_collect_logs(self, inst, logs, shape):
        mirror = shape == "collect-logs-24.3"
        name = (inst.host if mirror else inst.iid) + "-cloud-init.tar.gz"
        ar = gf.Archive(inst.mtime)
        self.collect_logs_common(inst, logs, ar, inst.collected.strftime("cloud-init-logs-%Y-%m-%d/"), mirror)
        (self.out / "collectors").mkdir(parents=True, exist_ok=True)
        ar.write(self.out / "collectors" / name)
        return "collectors/" + name

    w_collect_logs_24_3 = w_collect_logs

    def ec2rl_files(self, inst, logs):
        run = inst.collected.strftime("%Y-%m-%dT%H_%M_%S.") + "%06d" % inst.rng.randrange(10 ** 6)
        files = {
            "Main.log": "\n-----------[Backup  Creation]-----------\n\nNo backup option selected. Please consider "
                        "backing up your volumes or instance\n\n----------[Configuration File]----------\n\n"
                        "Configuration file saved:\n/var/tmp/ec2rl/%s/configuration.cfg\n" % run,
            "configuration.cfg": "[Global]\nonly-modules = cloudinitlog,journal,dmesg\n",
            "mod_out/run/journal.log": "I will gather the journalctl output from this machine\n"
                                       + gf.join(inst.journal_short()),
            "mod_out/run/dmesg.log": gf.join(gf.dmesg_lines(inst.entries)),
        }
        for key in (CI, CIO):
            if key in logs:
                files["gathered_out/cloudinitlog/" + key] = gf.join(inst.logs[key])
        return run, files

    def w_ec2rl_dir(self, inst, logs, shape):
        run, files = self.ec2rl_files(inst, logs)
        for name, data in files.items():
            write(self.out / "ec2rl" / run / name, data, inst.mtime)
        return "ec2rl/%s/" % run

    def w_ec2rl_tgz(self, inst, logs, shape):
        run, files = self.ec2rl_files(inst, logs)
        ar = gf.Archive(inst.mtime)
        for name, data in files.items():
            ar.add(run + "/" + name, data)
        (self.out / "ec2rl").mkdir(parents=True, exist_ok=True)
        ar.write(self.out / "ec2rl" / ("ec2rl-%s.tgz" % run))
        return "ec2rl/ec2rl-%s.tgz" % run

    # a copy of /var/log
    def w_varlog(self, inst, logs, shape):
        name = inst.host if shape == "varlog-host" else inst.iid
        root = self.out / "varlog" / name
        rootfs = inst.rng.random() < 0.4
        logdir = root / "var" / "log" if rootfs else root
        for key in (CI, CIO, M):
            if key in logs:
                write(logdir / key, gf.join(inst.logs[key]), inst.mtime)
        for key in (EA, EI):
            if key in logs:
                for fname, data in inst.ecs_rotated(key):
                    if fname.count(".") > 1 and inst.rng.random() < 0.5:
                        write(logdir / "ecs" / (fname + ".gz"), gf.gz(data, inst.mtime), inst.mtime)
                    else:
                        write(logdir / "ecs" / fname, data, inst.mtime)
        if CFG in logs:
            write((root / "etc" / "ecs" if rootfs else root) / "ecs.config", gf.join(inst.logs[CFG]), inst.mtime)
        if J in logs:
            write(root / "journal.txt", gf.join(inst.logs[J]), inst.mtime)
        return "varlog/%s/" % name

    w_varlog_host = w_varlog

    # Fluent Bit's S3 output
    def w_fluent_bit(self, inst, logs, shape):
        base = self.out / "shipped" / inst.iid
        for key in (CI, CIO, EA, EI, M):
            if key not in logs:
                continue
            recs, read = [], EPOCH
            for t, ls in events(inst.logs[key], inst.start, multiline=None):
                # Read (record) time: a little after the line was written, never before the last one.
                read = max(read + dt.timedelta(microseconds=7), t + dt.timedelta(microseconds=inst.rng.randrange(200, 9000)))
                for line in ls:
                    recs.append(json.dumps({"date": read.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "log": line,
                                            "path": PATHS[key]}, ensure_ascii=False, separators=(",", ":")))
            tag = key.replace("/", "-")
            write(base / ("%s-%s-%s.json" % (tag, inst.start.strftime("%Y%m%dT%H%M%S"), self.uuid()[:8])),
                  "\n".join(recs) + "\n", inst.mtime)
        if J in logs:
            recs = []
            for e in inst.entries:
                us = int(e["__REALTIME_TIMESTAMP"])
                rec = {"date": (EPOCH + dt.timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
                for k, v in e.items():
                    if k.startswith("__"):
                        continue
                    if isinstance(v, list):
                        v = bytes(v).decode("utf-8", "replace")
                    rec[k] = v
                recs.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
            write(base / ("journal-%s-%s.json" % (inst.start.strftime("%Y%m%dT%H%M%S"), self.uuid()[:8])),
                  "\n".join(recs) + "\n", inst.mtime)
        return "shipped/%s/" % inst.iid


def main(argv=None):
    p = argparse.ArgumentParser(prog="gen-mixed-fleet.py", description=__doc__.split("\n\n", 2)[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, metavar="N", help="number of instances")
    p.add_argument("outdir", metavar="OUTDIR", help="where to write the sources and ground-truth.json")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1): same seed, same bytes")
    p.add_argument("--failure-rate", type=float, default=0.3, help="share of instances with an injected failure")
    p.add_argument("--two-sources", type=float, default=0.25, help="share of instances in two sources")
    p.add_argument("--start", default="2025-06-02", help="first day of the boots (UTC, YYYY-MM-DD)")
    p.add_argument("--days", type=int, default=4, help="the boots spread over this many days")
    args = p.parse_args(argv)
    if args.n < 0 or not 0 <= args.failure_rate <= 1 or not 0 <= args.two_sources <= 1:
        p.error("N must be >= 0 and the rates within 0..1")
    start = dt.datetime.strptime(args.start, "%Y-%m-%d")
    span = args.days * 86400

    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("console", "cwl", "exports", "ssm", "collectors", "ec2rl", "varlog", "shipped", "ground-truth.json"):
        entry = out / name
        if entry.is_dir():
            shutil.rmtree(entry)
        elif entry.exists():
            entry.unlink()

    templates = {name: gf.Template(name) for name in gf.TEMPLATES}
    master = random.Random(args.seed)
    bursts = {name: master.uniform(0.1, 0.9) * span for name in gf.SCENARIOS}
    failing = [s for s in gf.SCENARIOS if gf.SCENARIOS[s]["rootCauses"]]
    fleet = Fleet(out, args.seed)
    used_ips = set()
    truths = {}
    for i in range(args.n):
        rng = random.Random("mixed:%d:%d" % (args.seed, i))
        if rng.random() < args.failure_rate:
            scenario = gf.weighted(rng, [(s, gf.SCENARIOS[s]["weight"]) for s in failing])
        else:
            scenario = "healthy"
        if scenario != "healthy" and rng.random() < 0.5:
            offset = min(max(bursts[scenario] + rng.gauss(0, 2400), 0), span - 1)
        else:
            offset = rng.uniform(0, span)
        boot = start + dt.timedelta(seconds=int(offset))
        tpl = templates[gf.SCENARIOS[scenario]["template"]]
        if tpl.ecs_span and rng.random() < 0.2:
            a, z = tpl.ecs_span
            hour = boot.replace(minute=0, second=0) + dt.timedelta(hours=1)
            boot = hour - dt.timedelta(seconds=int(rng.uniform(a + 1, max(a + 1, z))))
        inst = Instance(templates, rng, used_ips, scenario, boot)
        # Every shape comes early (instance i prefers shape i mod the number of shapes, where it may).
        two = rng.random() < args.two_sources
        sources = []
        for shape, logs in plan(inst, rng, SHAPES[i % len(SHAPES)], two):
            path = fleet.write(shape, inst, logs)
            sources.append({"shape": shape, "path": path, "logs": sorted(logs)})
        truths[inst.iid] = {"host": inst.fqdn if inst.family == "al2023" else inst.host,
                            "rootCauses": inst.root_causes, "healthy": not inst.root_causes,
                            "scenario": scenario, "sources": sources}
    fleet.flush_cwl()
    doc = {"generator": {"command": "scripts/gen-mixed-fleet.py", "n": args.n, "seed": args.seed,
                         "failureRate": args.failure_rate, "twoSources": args.two_sources, "start": args.start,
                         "days": args.days},
           "instances": dict(sorted(truths.items()))}
    (out / "ground-truth.json").write_text(json.dumps(doc, indent=2) + "\n")
    counts = {}
    for t in truths.values():
        for s in t["sources"]:
            counts[s["shape"]] = counts.get(s["shape"], 0) + 1
    print("gen-mixed-fleet: %d instances in %s (%d in two sources; %s)" % (
        args.n, out, sum(len(t["sources"]) > 1 for t in truths.values()),
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))), file=sys.stderr)


if __name__ == "__main__":
    main()
