#!/usr/bin/env bash
# Makes console-output-wrapped.txt from samples/console-imds-503/console-output.txt as people paste a
# serial console: the getty prompt printed before cloud-final's output, so "ip-10-0-1-23 login: " sits in
# front of the final stage's first record (the banner lines before the prompt move with it), and every
# line hard-wrapped at 80 columns (fold -w 80: a cut record goes on without a prefix).
#   Tests/InitLensKitTests/Fixtures/console-paste/make-wrapped.sh   (from the repository root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../../../../samples/console-imds-503/console-output.txt
python3 - "$src" > "$here/console-output-unwrapped.txt" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8", newline="").read().split("\n")
assert lines[-1] == "" and lines[-2] == "ip-10-0-1-23 login: "
banner = lines[-6:-2]        # "", "Amazon Linux 2023…", "Kernel …", ""
body = lines[:-6]
final = next(i for i, l in enumerate(body) if "running 'modules:final'" in l)
out = body[:final] + banner + ["ip-10-0-1-23 login: " + body[final]] + body[final + 1:]
sys.stdout.write("\n".join(out) + "\n")
PY
fold -w 80 "$here/console-output-unwrapped.txt" > "$here/console-output-wrapped.txt"
