#!/usr/bin/env bash
# Capture benchmark: the same veth traffic (iperf3 UDP, 64-byte payloads, unlimited rate)
# captured by `pktmon start --capture` (without and with kernel drop tracing) and by
# `tcpdump -w -s 128`, one after the other.
# Prints packets captured, kernel drops and CPU-seconds per million packets for both, and
# the ratios, summed over alternating rounds. Needs root.
# Usage: bench/capture.sh [seconds per run, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_build_release
PKTMON=$PKTMON_BIN
SECS=${1:-5}
ROUNDS=${2:-3}

work=$(mktemp -d)
cleanup() {
    PKTMON_STATE_DIR=$work/state ip netns exec "$NS_RX" "$PKTMON" unload >/dev/null 2>&1 || true
    pktmon_bench_pair_remove
    rm -rf "$work"
}
trap cleanup EXIT
pktmon_bench_pair pkb 10.78.0

cpu_of() { # utime+stime of a pid, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

run_traffic() {
    ip netns exec "$NS_RX" iperf3 -s -1 -p 5301 >/dev/null 2>&1 &
    local srv=$!
    # Wait (bounded) for the server to listen.
    for _ in $(seq 1 100); do
        ip netns exec "$NS_RX" ss -Hltn 'sport = :5301' | grep -q 5301 && break
        sleep 0.05
    done
    ip netns exec "$NS_TX" iperf3 -c 10.78.0.2 -p 5301 -u -l 64 -b 0 -t "$SECS" >"$work/iperf.txt" 2>&1 || true
    wait "$srv" 2>/dev/null || true
}

export PKTMON_STATE_DIR=$work/state
ID=$(ip netns exec "$NS_RX" "$PKTMON" list --json | python3 -c "import json,sys; print([c['Id'] for g in json.load(sys.stdin) for c in g['Components'] if c['Name']=='$IF_RX'][0])")

run_pktmon() { # $1: PKTMON_DROP_SOURCE ("" = default); prints: packets drops cpu-seconds
    PKTMON_DROP_SOURCE=$1 ip netns exec "$NS_RX" "$PKTMON" start --capture --comp "$ID" --pkt-size 128 --file-size 16384 -f "$work/pktmon.pcapng" >/dev/null
    run_traffic
    local status pid cpu pk drop
    status=$(ip netns exec "$NS_RX" "$PKTMON" status --json)
    pid=$(echo "$status" | python3 -c "import json,sys; print(json.load(sys.stdin)['Session']['Info']['Pid'])")
    cpu=$(cpu_of "$pid")
    ip netns exec "$NS_RX" "$PKTMON" stop > "$work/stop.txt"
    pk=$(capinfos -c -M "$work/pktmon.pcapng" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
    drop=$(sed -n 's/.*(\([0-9,]*\) events\? lost).*/\1/p' "$work/stop.txt" | tr -d ,)
    rm -f "$work/pktmon.pcapng"
    echo "$pk ${drop:-0} $cpu"
}

run_tcpdump() { # prints: packets drops cpu-seconds
    ip netns exec "$NS_RX" tcpdump -i "$IF_RX" -s 128 -w "$work/tcpdump.pcap" 2>"$work/tcpdump.err" &
    local tpid=$! cpu
    for _ in $(seq 1 100); do grep -q "listening on" "$work/tcpdump.err" && break; sleep 0.05; done
    run_traffic
    cpu=$(cpu_of "$tpid")
    kill -INT "$tpid"; wait "$tpid" || true
    rm -f "$work/tcpdump.pcap"
    echo "$(awk '/packets captured/ {print $1}' "$work/tcpdump.err") $(awk '/dropped by kernel/ {print $1}' "$work/tcpdump.err") $cpu"
}

: > "$work/results"
for round in $(seq 1 "$ROUNDS"); do
    # Capture alone, as tcpdump does it, then with kernel drop tracing (the default).
    echo "pktmon $(run_pktmon none)" >> "$work/results"
    echo "pktmon+drops $(run_pktmon "")" >> "$work/results"
    echo "tcpdump $(run_tcpdump)" >> "$work/results"
done

python3 - "$work/results" "$SECS" "$ROUNDS" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
secs, rounds = float(sys.argv[2]), int(sys.argv[3])
tot = {}
for tool, pk, drop, cpu in rows:
    t = tot.setdefault(tool, [0, 0, 0.0, []])
    t[0] += int(pk); t[1] += int(drop); t[2] += float(cpu)
    t[3].append(float(cpu) / (int(pk) / 1e6) if int(pk) else float('nan'))
print(f"traffic: iperf3 UDP 64-byte payloads, unlimited rate, one veth; {rounds} rounds of {secs:.0f} s per tool, alternating")
print(f"{'tool':<13}{'captured':>12}{'pkt/s':>10}{'drops':>8}{'CPU s':>8}{'CPU s/Mpkt':>12}  per round")
per = {}
for tool in ("pktmon", "pktmon+drops", "tcpdump"):
    pk, drop, cpu, rr = tot[tool]
    per[tool] = cpu / (pk / 1e6) if pk else float('nan')
    print(f"{tool:<13}{pk:>12,}{pk/(secs*rounds):>10,.0f}{drop:>8,}{cpu:>8.2f}{per[tool]:>12.3f}  " + " ".join(f"{x:.3f}" for x in rr))
print("pktmon: capture only (PKTMON_DROP_SOURCE=none); pktmon+drops: with the kernel drop tracer,")
print("which also reports the receiver's socket-buffer drops of this flood")
print(f"ratio pktmon/tcpdump: CPU per packet {per['pktmon']/per['tcpdump']:.2f}x, "
      f"packets captured {tot['pktmon'][0]/tot['tcpdump'][0]:.2f}x, drops {tot['pktmon'][1]} vs {tot['tcpdump'][1]}")
PY
