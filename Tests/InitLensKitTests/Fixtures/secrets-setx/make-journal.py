#!/usr/bin/env python3
"""Writes a real journal of this fixture's user-data output, as cloud-final.service logs it, and reads
it back with journalctl: journal.json (-o json) and journal.txt (-o short-iso).

  make-journal.py            (in this directory; needs systemd-journal-remote and journalctl)

Each line of cloud-init-output.log from the 'modules:final' banner on becomes one entry of
cloud-init[PID] on cloud-final.service, 10 ms apart from the banner's time.
"""
import datetime, os, re, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
lines = open(os.path.join(here, "cloud-init-output.log"), encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if "running 'modules:final'" in l)
m = re.search(r"at \w+, (\d+ \w+ \d+ [\d:]+) \+0000", lines[start])
t0 = int(datetime.datetime.strptime(m.group(1), "%d %b %Y %H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp() * 1e6)
boot, machine, host = "3f5b0c1d9e2a4b6c8d7e6f5a4b3c2d1e", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ip-10-0-7-42.ec2.internal"
with tempfile.TemporaryDirectory() as tmp:
    export = os.path.join(tmp, "export")
    with open(export, "wb") as f:
        for n, line in enumerate(l for l in lines[start:] if l):
            t = t0 + n * 10_000
            fields = {
                "__CURSOR": f"s=initlens;i={n:x}", "__REALTIME_TIMESTAMP": str(t),
                "__MONOTONIC_TIMESTAMP": str(t - t0 + 1_583_300_000), "_BOOT_ID": boot, "_MACHINE_ID": machine,
                "_HOSTNAME": host, "PRIORITY": "6", "SYSLOG_FACILITY": "3", "SYSLOG_IDENTIFIER": "cloud-init",
                "_PID": "1290", "_COMM": "cloud-init", "_TRANSPORT": "stdout", "_SYSTEMD_UNIT": "cloud-final.service",
                "MESSAGE": line,
            }
            for k, v in fields.items():
                f.write(f"{k}={v}\n".encode())
            f.write(b"\n")
    journal = os.path.join(tmp, "out.journal")
    subprocess.run(["/lib/systemd/systemd-journal-remote", "-o", journal, export], check=True)
    for mode, name in (("json", "journal.json"), ("short-iso", "journal.txt")):
        out = subprocess.run(["journalctl", "--file", journal, "-o", mode, "--no-pager"], check=True,
                             capture_output=True, env=dict(os.environ, TZ="UTC")).stdout
        open(os.path.join(here, name), "wb").write(out)
