#!/usr/bin/env bash
# The whole test suite: unit tests, CLI tests and real captures in network namespaces
# (root; without root those skip with a reason unless PKTMON_REQUIRE_ROOT_TESTS=1).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_install_deps
export PKTMON_REQUIRE_ROOT_TESTS=${PKTMON_REQUIRE_ROOT_TESTS:-1}
cargo test --all-targets "$@"
