#!/usr/bin/env bash
# The benchmark also measures warm cache hits with wrk (bench/wrk-load.js). On a Debian machine
# where we are root, installs it from the archive when missing; elsewhere the benchmark runs
# without those rows and says so.
set -uo pipefail
command -v wrk >/dev/null && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }
if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
  echo "Installing wrk from the Debian archive (the benchmark's second load generator)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
    || echo "could not install wrk; the benchmark runs without it" >&2
fi
exit 0
