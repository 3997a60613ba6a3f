#!/usr/bin/env bash
# ETL reader benchmark: the real pktmon samples, their data buffers repeated until the file
# holds >= 1 M events, read on one core (taskset): open+index, packet records, and the
# `pktmon format` text lines (UTF-16LE, CRLF), in CPU seconds. No other tool reads Windows ETL here, so the
# peers are timed on the same packets as pcapng (written from our records): `tcpdump -nn -r`
# and `tshark -r` printing one line per packet. Prints events/s and the ratios.
# Usage: bench/etl.sh [minimum events, default 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_install_deps
MIN_EVENTS=${1:-1000000}
DATA=../shared/data/etl
cargo build --release --quiet --example etl_bench
BENCH=$PWD/target/release/examples/etl_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one_core() { taskset -c 0 "$@"; }

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

cpu_secs() { # user+sys CPU seconds of a command, output discarded
    local TIMEFORMAT='%U %S' t
    t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
    calc "$(echo "$t" | awk '{ print $1 " + " $2 }')"
}

for sample in pktmon-win10-19042-a pktmon-ws2022-20348-xdp; do
    # Events per copy of the data buffers, from one copy.
    "$BENCH" make "$DATA/$sample.etl" 1 "$work/one.etl"
    per=$("$BENCH" read "$work/one.etl" | sed -n 's/^RESULT events=\([0-9]*\).*/\1/p')
    copies=$(( (MIN_EVENTS + per - 1) / per ))
    "$BENCH" make "$DATA/$sample.etl" "$copies" "$work/big.etl"
    echo "== $sample: data buffers $copies times (later copies later in time), $(stat -c %s "$work/big.etl") bytes"
    out=$(one_core "$BENCH" read "$work/big.etl")
    echo "$out" | grep -v '^RESULT'
    res=$(echo "$out" | grep '^RESULT')
    field() { echo "$res" | sed "s/.*$1=\([0-9.]*\).*/\1/"; }
    events=$(field events) packets=$(field packets)
    ours=$(calc "$(field open_cpu) + $(field text_cpu)")
    printf 'etl2txt-equivalent (open + record/event lines): %.0f events/CPU-s (target 1000000)\n' \
        "$(calc "$events / $ours")"

    if [ "$sample" = pktmon-ws2022-20348-xdp ]; then
        # All Ethernet: one pcapng interface per component is exact.
        "$BENCH" pcapng "$work/big.etl" "$work/big.pcapng" >/dev/null
        td=$(cpu_secs one_core tcpdump -nn -r "$work/big.pcapng")
        ts=$(cpu_secs one_core tshark -r "$work/big.pcapng")
        printf 'peers on the same %s packets as pcapng, one line per packet (CPU seconds):\n' "$packets"
        printf '  tcpdump -nn -r  %7.3f s  %10.0f packets/CPU-s\n' "$td" "$(calc "$packets / $td")"
        printf '  tshark -r       %7.3f s  %10.0f packets/CPU-s\n' "$ts" "$(calc "$packets / $ts")"
        printf '  ours            %7.3f s  %10.0f packets/CPU-s (all %s events, not only packets)\n' \
            "$ours" "$(calc "$packets / $ours")" "$events"
        printf '  CPU time ratio: tcpdump/ours %.2f, tshark/ours %.2f (above 1: we are faster)\n' \
            "$(calc "$td / $ours")" "$(calc "$ts / $ours")"
    fi
done
