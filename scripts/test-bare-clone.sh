#!/usr/bin/env bash
# The test command on a bare clone: this repository's HEAD cloned alone into a temporary
# directory (no ../shared beside it), then scripts/test.sh there. Tests that need the
# Windows sample files (../shared/data) must skip with a printed reason, never fail.
# CI runs it as an extra step; the clone builds in its own target directory (~2 min).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
head=$(git rev-parse HEAD)
tmp=$(mktemp -d /tmp/pktmon-bare.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-checkout . "$tmp/pktmon"
git -C "$tmp/pktmon" checkout -q --detach "$head"
if [ -e "$tmp/shared" ]; then
    echo "test-bare-clone: $tmp/shared exists; the clone is not bare" >&2
    exit 1
fi
echo "Bare clone of $head in $tmp/pktmon (no ../shared)" >&2
cd "$tmp/pktmon"
# Skipping for want of ../shared is what this run checks, so it must be allowed here.
# --show-output: the skip reasons of passing tests are printed (and counted below).
env -u PKTMON_REQUIRE_SHARED_DATA bash scripts/test.sh "$@" -- --show-output 2>&1 | tee "$tmp/test.log"
skipped=$(grep -c '^SKIPPED .*Windows sample files' "$tmp/test.log" || true)
echo "Bare clone: suite passed; $skipped tests skipped for want of ../shared/data" >&2
if [ "$skipped" -eq 0 ]; then
    echo "test-bare-clone: no test reported a skip for want of ../shared/data" >&2
    exit 1
fi
