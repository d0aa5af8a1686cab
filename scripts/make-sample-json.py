#!/usr/bin/env python3
"""Render samples/<scenario>/journal.json from samples/<scenario>/journal.txt.

journal.txt is the `journalctl -b -o short-iso` view of one boot; journal.json is
the `journalctl -b -o json` view of the same entries, one JSON object per line.
Both must describe the same entries in the same order, so journal.json is always
derived from journal.txt with this script:

    python3 scripts/make-sample-json.py samples/imds-503 [samples/... ...]

short-iso only keeps whole seconds, so the fields journal.txt cannot carry come
from the per-scenario table SCENARIOS below (boot id, machine id, the exact
kernel start time, which unit each PID belongs to, and the bytes behind each
"[NNB blob data]" line) and from fixed rules:

* sub-second times: a line whose message carries its own clock keeps it
  (cloud-init asctime `YYYY-MM-DD HH:MM:SS,mmm`, logrus `time="...Z"`, the
  cloud-init banner's `Up N seconds`); the other lines of the same second are
  spread evenly between their neighbours, in file order;
* __MONOTONIC_TIMESTAMP = realtime - kernel start;
* PRIORITY, _TRANSPORT, SYSLOG_FACILITY and _SYSTEMD_UNIT from the identifier;
* MESSAGE with a non-printable byte (an ANSI colour escape) is written as an
  array of byte values, as journalctl does;
* key order inside an object varies from entry to entry, as with journalctl
  252 (fields come out of a hash map).

Only the Python standard library is used.
"""

import datetime as _dt
import hashlib
import json
import os
import random
import re
import sys

# ---------------------------------------------------------------------------
# Per-scenario facts that journal.txt cannot carry.
#   boot_realtime : kernel start, UTC, microseconds
#   units         : "ident[pid]" -> (unit, transport); overrides IDENT_DEFAULTS
#   blobs         : "ident[pid]" -> list of messages (in order) behind the
#                   "[NNB blob data]" placeholders of that process
# ---------------------------------------------------------------------------
SCENARIOS = {
    "imds-503": {
        "boot_id": "5f0c6d2e8a1b4c79b3e2d4f6a8c0e1d7",
        "machine_id": "ec2b7e31c4d9a0f25e6b8c1d3f7a9e04",
        "seqnum_id": "9d41c2a07e3b4f58a6c1e2d9b0f7a354",
        "boot_realtime": "2025-01-22T09:14:03.118402Z",
        "units": {
            "cloud-init[1870]": ("cloud-init-local.service", "stdout"),
            "cloud-init[2093]": ("cloud-init.service", "stdout"),
            "cloud-init[2268]": ("cloud-config.service", "stdout"),
            "cloud-init[2301]": ("cloud-final.service", "stdout"),
            "cloud-init[2367]": ("cloud-final.service", "syslog"),
            "cloud-init[2368]": ("cloud-final.service", "syslog"),
            "cloud-init[2369]": ("cloud-final.service", "syslog"),
            "cloud-init[2372]": ("cloud-final.service", "syslog"),
            "cloud-init[2375]": ("cloud-final.service", "syslog"),
            "cloud-init[2376]": ("cloud-final.service", "syslog"),
            "app-bootstrap-check[2391]": ("app-bootstrap-check.service", "stdout"),
        },
        "blobs": {
            "app-bootstrap-check[2391]": [
                "\x1b[1;31m[FAIL]\x1b[0m bootstrap marker /var/lib/app/bootstrapped missing: "
                "user data has not run on this instance",
            ],
        },
    },
    "ecs-warm-pool-404": {
        "boot_id": "c27e90b4d5a84f1e9b06d3a1f58e2c47",
        "machine_id": "ec23a9d0b6f14c2e8d5a7b9c1e3f0a62",
        "seqnum_id": "41e8b7c2d9a04f6e83b5c1d0a2e9f746",
        "boot_realtime": "2025-02-04T07:02:00.051117Z",
        "units": {
            "cloud-init[1881]": ("cloud-init-local.service", "stdout"),
            "cloud-init[2106]": ("cloud-init.service", "stdout"),
            "cloud-init[2290]": ("cloud-config.service", "stdout"),
            "cloud-init[2337]": ("cloud-final.service", "stdout"),
            "cloud-init[2402]": ("cloud-final.service", "syslog"),
            "cloud-init[2403]": ("cloud-final.service", "syslog"),
            "cloud-init[2404]": ("cloud-final.service", "syslog"),
            "cloud-init[2407]": ("cloud-final.service", "syslog"),
            "cloud-init[2410]": ("cloud-final.service", "syslog"),
            "cloud-init[2411]": ("cloud-final.service", "syslog"),
        },
        "blobs": {
            "cloud-init[2337]": [
                "\x1b[1;32m[ OK ]\x1b[0m wrote /etc/ecs/ecs.config (cluster prod-web, warm pools check on)",
            ],
        },
    },
    "healthy": {
        "boot_id": "8b3f1d6e2c094a7fb5e1d8c3a6f09b24",
        "machine_id": "ec2f5c8a1d3e4b60a9c7e2f1b4d8a357",
        "seqnum_id": "e6a3b90c1f2d4e87b5a0c9d3f1e2b648",
        "boot_realtime": "2025-03-24T10:20:31.552908Z",
        "units": {
            "cloud-init[1876]": ("cloud-init-local.service", "stdout"),
            "cloud-init[2101]": ("cloud-init.service", "stdout"),
            "cloud-init[2283]": ("cloud-config.service", "stdout"),
            "cloud-init[2331]": ("cloud-final.service", "stdout"),
            "cloud-init[2396]": ("cloud-final.service", "syslog"),
            "cloud-init[2397]": ("cloud-final.service", "syslog"),
            "cloud-init[2398]": ("cloud-final.service", "syslog"),
            "cloud-init[2401]": ("cloud-final.service", "syslog"),
            "cloud-init[2404]": ("cloud-final.service", "syslog"),
            "cloud-init[2405]": ("cloud-final.service", "syslog"),
        },
        "blobs": {
            "cloud-init[2331]": [
                "\x1b[1;32m[ OK ]\x1b[0m wrote /etc/ecs/ecs.config (cluster prod-web, warm pools check on)",
            ],
        },
    },
}

# identifier -> (unit, transport, syslog facility or None, uid)
IDENT_DEFAULTS = {
    "kernel": (None, "kernel", "0", None),
    "systemd": ("init.scope", "journal", "3", "0"),
    "systemd-journald": ("systemd-journald.service", "driver", "3", "0"),
    "systemd-udevd": ("systemd-udevd.service", "journal", "3", "0"),
    "systemd-networkd": ("systemd-networkd.service", "journal", "3", "192"),
    "systemd-resolved": ("systemd-resolved.service", "journal", "3", "193"),
    "systemd-logind": ("systemd-logind.service", "journal", "4", "0"),
    "systemd-hostnamed": ("systemd-hostnamed.service", "journal", "3", "0"),
    "systemd-fsck": ("systemd-fsck-root.service", "journal", "3", "0"),
    "audit": (None, "audit", "4", "0"),
    "auditd": ("auditd.service", "syslog", "3", "0"),
    "augenrules": ("audit-rules.service", "stdout", "3", "0"),
    "chronyd": ("chronyd.service", "syslog", "3", "994"),
    "sshd": ("sshd.service", "syslog", "10", "0"),
    "rngd": ("rngd.service", "stdout", "3", "0"),
    "dbus-broker-launch": ("dbus-broker.service", "stdout", "3", "0"),
    "dbus-broker-lau": ("dbus-broker.service", "stdout", "3", "0"),
    "ec2net": ("policy-routes@ens5.service", "syslog", "1", "0"),
    "amazon-ssm-agent": ("amazon-ssm-agent.service", "stdout", "3", "0"),
    "containerd": ("containerd.service", "stdout", "3", "0"),
    "dockerd": ("docker.service", "stdout", "3", "0"),
    "amazon-ecs-init": ("ecs.service", "stdout", "3", "0"),
    "bash": ("ecs.service", "stdout", "3", "0"),
    "cloud-init": ("cloud-init.service", "stdout", "3", "0"),
    "spot-watch": ("spot-watch.service", "stdout", "3", "0"),
    "app-bootstrap-check": ("app-bootstrap-check.service", "stdout", "3", "0"),
    "sudo": (None, "syslog", "10", "0"),
}

KEY_ORDER = [
    "__CURSOR", "__REALTIME_TIMESTAMP", "__MONOTONIC_TIMESTAMP", "_BOOT_ID", "_MACHINE_ID",
    "_HOSTNAME", "PRIORITY", "SYSLOG_FACILITY", "SYSLOG_IDENTIFIER", "_TRANSPORT",
    "_SOURCE_MONOTONIC_TIMESTAMP", "_UID", "_GID", "_CAP_EFFECTIVE", "_SYSTEMD_SLICE",
    "_PID", "_COMM", "_SYSTEMD_CGROUP", "_SYSTEMD_UNIT", "_SYSTEMD_INVOCATION_ID",
    "_STREAM_ID", "SYSLOG_PID", "_SOURCE_REALTIME_TIMESTAMP", "MESSAGE",
]

LINE_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})([+-]\d{2}:?\d{2}) (\S+) "
    r"([^\s\[\]:]+)(?:\[(\d+)\])?: (.*)$"
)
BLOB_RE = re.compile(r"^\[[0-9.]+[BKMG] blob data\]$")
ASCTIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),(\d{3}) - ")
LOGRUS_RE = re.compile(r'^time="(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d+)Z"')
UPTIME_RE = re.compile(r"^Cloud-init v\. \S+ (?:running '[^']+'|finished) at .* Up (\d+\.\d+) seconds")


def _epoch_us(stamp):
    """'2025-01-22T09:14:03.118402Z' or '2025-01-22T09:14:03' (UTC) -> int us."""
    stamp = stamp.rstrip("Z")
    if "." in stamp:
        base, frac = stamp.split(".")
        frac = (frac + "000000")[:6]
    else:
        base, frac = stamp, "000000"
    d = _dt.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=_dt.timezone.utc)
    return int(d.timestamp()) * 1000000 + int(frac)


def _hex(seed, n):
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def parse(path):
    entries = []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            m = LINE_RE.match(line)
            if not m:
                raise SystemExit("%s:%d: not a short-iso journal line: %r" % (path, lineno, line))
            ts, off, host, ident, pid, msg = m.groups()
            if off not in ("+0000", "+00:00"):
                raise SystemExit("%s:%d: only UTC journals are supported" % (path, lineno))
            entries.append({
                "second": _epoch_us(ts),
                "host": host,
                "ident": ident,
                "pid": pid,
                "msg": msg,
            })
    return entries


def own_clock(e, boot_us):
    """Sub-second time (us since the start of the line's second) carried by the
    message itself, or None."""
    msg = e["msg"]
    cand = None
    m = ASCTIME_RE.match(msg)
    if m:
        cand = _epoch_us(m.group(1).replace(" ", "T")) + int(m.group(2)) * 1000 + 1900
    m = LOGRUS_RE.match(msg)
    if m:
        cand = _epoch_us("%s.%s" % (m.group(1), m.group(2)[:6])) + 210
    m = UPTIME_RE.match(msg)
    if m:
        cand = boot_us + int(round(float(m.group(1)) * 1000000)) + 3700
    if cand is None:
        return None
    frac = cand - e["second"]
    if 0 <= frac < 1000000:
        return frac
    return None


EARLY_KERNEL_RE = re.compile(
    r"^(Linux version|Command line:|BIOS-provided|BIOS-e820:|NX \(Execute|SMBIOS|DMI:|"
    r"Hypervisor detected|kvm-clock:|tsc: Detected)")


def assign_times(entries, boot_us, name):
    """Give every entry a realtime in us, respecting file order.

    Lines with their own clock keep it.  A run of lines without one is packed
    as a burst: it starts shortly after the previous line if that line was in
    the same second, otherwise somewhere in the first part of the gap, and the
    following lines of the run come a few hundred microseconds apart."""
    rng = random.Random("times:" + name)
    i = 0
    prev = None
    n = len(entries)
    while i < n:
        sec = entries[i]["second"]
        j = i
        while j < n and entries[j]["second"] == sec:
            j += 1
        group = entries[i:j]
        same_second_prev = prev is not None and prev >= sec
        lo = sec if not same_second_prev else prev + 1
        if sec <= boot_us < sec + 1000000:
            lo = max(lo, boot_us)
        anchors = []
        for k, e in enumerate(group):
            if e["ident"] == "kernel" and sec <= boot_us < sec + 1000000 and EARLY_KERNEL_RE.match(e["msg"]):
                anchors.append(boot_us - sec)
            else:
                anchors.append(own_clock(e, boot_us))
        k = 0
        cur = lo
        after_line = same_second_prev
        while k < len(group):
            if anchors[k] is not None:
                t = max(sec + anchors[k], cur)
                group[k]["realtime"] = t
                cur = t
                after_line = True
                k += 1
                continue
            m = k
            while m < len(group) and anchors[m] is None:
                m += 1
            hi = sec + anchors[m] if m < len(group) else sec + 999999
            count = m - k
            room = hi - cur
            gaps = [rng.randint(40, 900) for _ in range(count)]
            if after_line:
                start = cur + rng.randint(20, 400)
            else:
                start = cur + int(room * rng.uniform(0.02, 0.55))
            if start + sum(gaps) >= hi or room <= count:
                # not enough room for a burst: spread evenly
                for q in range(count):
                    group[k + q]["realtime"] = max(cur, cur + room * (q + 1) // (count + 1))
                    cur = group[k + q]["realtime"] + 1
            else:
                t = start
                for q in range(count):
                    group[k + q]["realtime"] = t
                    t += gaps[q]
                cur = t
            after_line = True
            k = m
        prev = group[-1]["realtime"]
        i = j
    return entries


def printable(s):
    for ch in s:
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n") or 0x7F <= o <= 0x9F:
            return False
    return True


def build(scenario_dir):
    name = os.path.basename(os.path.normpath(scenario_dir))
    if name not in SCENARIOS:
        raise SystemExit("no SCENARIOS entry for %r" % name)
    cfg = SCENARIOS[name]
    boot_us = _epoch_us(cfg["boot_realtime"])
    entries = assign_times(parse(os.path.join(scenario_dir, "journal.txt")), boot_us, name)
    blob_cursor = {}
    out = []
    rng = random.Random(name)
    stream_ids = {}
    invocations = {}
    for idx, e in enumerate(entries, 1):
        ident, pid = e["ident"], e["pid"]
        key = "%s[%s]" % (ident, pid) if pid else ident
        unit, transport, facility, uid = IDENT_DEFAULTS.get(ident, (None, "syslog", "3", "0"))
        if key in cfg["units"]:
            unit, transport = cfg["units"][key]
            if transport == "syslog" and ident == "cloud-init":
                facility = "1"
        msg = e["msg"]
        if BLOB_RE.match(msg):
            n = blob_cursor.get(key, 0)
            try:
                msg = cfg["blobs"][key][n]
            except (KeyError, IndexError):
                raise SystemExit("%s: no blob text for %s #%d" % (name, key, n + 1))
            blob_cursor[key] = n + 1
        mono = e["realtime"] - boot_us
        obj = {
            "__CURSOR": "s=%s;i=%x;b=%s;m=%x;t=%x;x=%s" % (
                cfg["seqnum_id"], idx, cfg["boot_id"], mono, e["realtime"],
                _hex("%s%d" % (name, idx), 16)),
            "__REALTIME_TIMESTAMP": str(e["realtime"]),
            "__MONOTONIC_TIMESTAMP": str(mono),
            "_BOOT_ID": cfg["boot_id"],
            "_MACHINE_ID": cfg["machine_id"],
            "_HOSTNAME": e["host"],
            "SYSLOG_IDENTIFIER": ident,
            "_TRANSPORT": transport,
            "PRIORITY": priority(ident, transport, msg),
        }
        if facility is not None:
            obj["SYSLOG_FACILITY"] = facility
        if transport == "kernel":
            obj["_SOURCE_MONOTONIC_TIMESTAMP"] = str(mono)
        else:
            obj["_PID"] = pid if pid else "1"
            obj["_UID"] = uid or "0"
            obj["_GID"] = uid or "0"
            obj["_COMM"] = comm(ident)
            obj["_CAP_EFFECTIVE"] = "1ffffffffff" if (uid or "0") == "0" else "0"
            if unit:
                obj["_SYSTEMD_UNIT"] = unit
                obj["_SYSTEMD_CGROUP"] = "/init.scope" if unit == "init.scope" else "/system.slice/%s" % unit
                obj["_SYSTEMD_SLICE"] = "-.slice" if unit == "init.scope" else "system.slice"
                if unit != "init.scope":
                    obj["_SYSTEMD_INVOCATION_ID"] = invocations.setdefault(unit, _hex(name + unit, 32))
            if transport == "stdout":
                obj["_STREAM_ID"] = stream_ids.setdefault(key, _hex(name + key, 32))
            if transport in ("syslog", "journal"):
                obj["_SOURCE_REALTIME_TIMESTAMP"] = str(e["realtime"] - 37)
            if transport == "syslog" and pid:
                obj["SYSLOG_PID"] = pid
        obj["MESSAGE"] = msg if printable(msg) else list(msg.encode("utf-8"))
        keys = [k for k in KEY_ORDER if k in obj] + [k for k in obj if k not in KEY_ORDER]
        for _ in range(2):  # journalctl 252 takes fields from a hash map: order drifts
            a, b_ = rng.randrange(len(keys)), rng.randrange(len(keys))
            keys[a], keys[b_] = keys[b_], keys[a]
        out.append(json.dumps({k: obj[k] for k in keys}, ensure_ascii=False, separators=(",", ":")))
    with open(os.path.join(scenario_dir, "journal.json"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    return entries


def comm(ident):
    return {
        "systemd": "systemd",
        "amazon-ecs-init": "amazon-ecs-init",
        "dbus-broker-lau": "dbus-broker-lau",
    }.get(ident, ident[:15])


def priority(ident, transport, msg):
    if ident == "kernel":
        if msg.startswith("Linux version"):
            return "5"
        if re.search(r"\b(WARNING|Warning|warning)\b", msg):
            return "4"
        return "6"
    if ident == "systemd":
        if msg.startswith("Failed to start") or "Failed with result" in msg:
            return "4" if "Failed with result" in msg else "3"
        if re.search(r"Main process exited, code=exited, status=[1-9]", msg):
            return "5"
        return "6"
    if transport == "stdout":
        return "6"
    if ident == "sshd" and msg.startswith("error"):
        return "3"
    return "6"


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    for d in argv[1:]:
        entries = build(d)
        print("%s: %d entries" % (os.path.join(d, "journal.json"), len(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
