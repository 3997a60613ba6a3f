#!/usr/bin/env bash
# Soak benchmark of the circular log: iperf3 UDP (64-byte payloads, unlimited rate) on a
# veth for a while, captured at the same time by `pktmon start -m circular --file-size 8`
# and by `tcpdump -w -C 1 -W 8` (tcpdump's own rotation, the same 8 MB). Samples both
# processes' RSS every second (min/max), and prints events lost and CPU per packet of
# both, with the ratios. Needs root.
# Usage: bench/soak.sh [seconds, default 120]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_build_release
PKTMON=$PKTMON_BIN
SECS=${1:-120}

work=$(mktemp -d)
cleanup() {
    PKTMON_STATE_DIR=$work/state ip netns exec "$NS_RX" "$PKTMON" unload >/dev/null 2>&1 || true
    [ -n "${tpid:-}" ] && kill -INT "$tpid" 2>/dev/null || true
    pktmon_bench_pair_remove
    rm -rf "$work"
}
trap cleanup EXIT
pktmon_bench_pair pks 10.79.0

cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

export PKTMON_STATE_DIR=$work/state
ID=$(ip netns exec "$NS_RX" "$PKTMON" list --json | python3 -c "import json,sys; print([c['Id'] for g in json.load(sys.stdin) for c in g['Components'] if c['Name']=='$IF_RX'][0])")
ip netns exec "$NS_RX" "$PKTMON" start --capture --comp "$ID" --type flow --pkt-size 128 \
    -m circular --file-size 8 -f "$work/ring.pcapng" >/dev/null
ppid=$(ip netns exec "$NS_RX" "$PKTMON" status --json | python3 -c "import json,sys; print(json.load(sys.stdin)['Session']['Info']['Pid'])")
ip netns exec "$NS_RX" tcpdump -Z root -i "$IF_RX" -s 128 -C 1 -W 8 -w "$work/td.pcap" 2>"$work/td.err" &
tpid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/td.err" && break; sleep 0.05; done
cpu0_p=$(cpu_of "$ppid"); cpu0_t=$(cpu_of "$tpid")

ip netns exec "$NS_RX" iperf3 -s -1 -p 5302 >/dev/null 2>&1 &
for _ in $(seq 1 100); do
    ip netns exec "$NS_RX" ss -Hltn 'sport = :5302' | grep -q 5302 && break
    sleep 0.05
done
ip netns exec "$NS_TX" iperf3 -c 10.79.0.2 -p 5302 -u -l 64 -b 0 -t "$SECS" >"$work/iperf.txt" 2>&1 &
ipid=$!
: > "$work/rss"
while kill -0 "$ipid" 2>/dev/null; do
    echo "$(rss_kb "$ppid") $(rss_kb "$tpid")" >> "$work/rss"
    sleep 1
done
wait "$ipid" || true
sleep 0.5
cpu_p=$(awk -v a="$(cpu_of "$ppid")" -v b="$cpu0_p" "BEGIN {print a - b}")
cpu_t=$(awk -v a="$(cpu_of "$tpid")" -v b="$cpu0_t" "BEGIN {print a - b}")
status=$(ip netns exec "$NS_RX" "$PKTMON" status --json)
ip netns exec "$NS_RX" "$PKTMON" stop > "$work/stop.txt"
kill -INT "$tpid"; wait "$tpid" || true; tpid=
ring_size=$(stat -c %s "$work/ring.pcapng")
python3 - "$work" "$SECS" "$cpu_p" "$cpu_t" "$ring_size" <<PY
import json, re, sys
work, secs, cpu_p, cpu_t, ring = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
s = json.loads('''$status''')["Session"]
rss = [l.split() for l in open(f"{work}/rss") if len(l.split()) == 2]
rp = [int(a) for a, _ in rss]; rt = [int(b) for _, b in rss]
td = open(f"{work}/td.err").read()
tcap = int(re.search(r"(\d+) packets captured", td).group(1))
tdrop = int(re.search(r"(\d+) packets dropped by kernel", td).group(1))
pseen, plost = s["packets_seen"], s["events_lost"]
print(f"soak: iperf3 UDP 64-byte payloads, unlimited rate, {secs:.0f} s; pktmon -m circular --file-size 8 and tcpdump -C 1 -W 8 side by side")
print(f"{'tool':<8}{'captured':>12}{'lost':>10}{'CPU s':>8}{'CPU s/Mpkt':>12}{'RSS min-max MB':>18}")
for name, pk, lost, cpu, r in (("pktmon", pseen, plost, cpu_p, rp), ("tcpdump", tcap, tdrop, cpu_t, rt)):
    print(f"{name:<8}{pk:>12,}{lost:>10,}{cpu:>8.2f}{cpu/(pk/1e6) if pk else float('nan'):>12.3f}{min(r)/1024:>9.1f}-{max(r)/1024:.1f}")
print(f"pktmon log: {ring:,} bytes on disk after stop (limit {8<<20:,}), {s['log']['packets_overwritten']:,} packets overwritten")
print(f"ratio pktmon/tcpdump: CPU per packet {(cpu_p/pseen)/(cpu_t/tcap):.2f}x, packets {pseen/tcap:.2f}x, RSS max {max(rp)/max(rt):.2f}x")
PY
