#!/usr/bin/env bash
# Install the Debian packages listed in scripts/debian-packages.txt for a purpose (run|test).
# Idempotent: only missing packages are installed. Without root, print the command and stop.
set -euo pipefail
want="${1:-run}"
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
while read -r pkg purpose _; do
    [[ -z "${pkg:-}" || "$pkg" == \#* ]] && continue
    if [[ "$want" == "test" || "$purpose" == "run" ]]; then
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    fi
done < "$here/debian-packages.txt"
[[ ${#missing[@]} -eq 0 ]] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    echo "OS1 needs these Debian packages: ${missing[*]}"
    echo "Install them as root:  apt-get update && $cmd"
    exit 1
fi
echo "==> installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || true  # a stale list is retried below
$cmd -q >/dev/null || { apt-get update -q >/dev/null && $cmd -q >/dev/null; }
