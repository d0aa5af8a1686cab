#!/bin/sh
# Regenerates the fixture logs and captures `cloud-init analyze` on each (see README.md).
# Usage: capture.sh CLOUDINIT_DIST_PACKAGES   (e.g. /tmp/ci/usr/lib/python3/dist-packages)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ci=${1:?path to the extracted cloudinit package directory}
python3 "$here/make_fixtures.py" "$here"
tmp=$(mktemp -d)
python3 "$here/make_fixtures.py" --no-step "$tmp/clock-step-back.no-step.log"
cd "$ci"
# analyze <= 24.1 converts asctime with strftime("%s"), i.e. in the local zone: run it in UTC.
export TZ=UTC
for log in "$here"/*.log "$tmp/clock-step-back.no-step.log"; do
  base=${log%.log}
  python3 -m cloudinit.analyze show -i "$log" > "$here/$(basename "$base").show.txt"
  case $log in "$tmp"/*) continue ;; esac
  python3 -m cloudinit.analyze blame -i "$log" > "$base.blame.txt"
  python3 -m cloudinit.analyze dump -i "$log" > "$base.dump.json"
done
rm -rf "$tmp"
