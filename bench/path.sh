#!/usr/bin/env bash
# Packet-path benchmark: the iperf3 receiver's rate (UDP, 64-byte payloads, unlimited rate)
# without capture, with tcpdump and with a pktmon session (kernel tracepoints, the default),
# in alternating rounds, on two topologies:
#   veth    one veth pair tx—rx; `tcpdump -w -s 128` on rx's end, `pktmon start --capture
#           --comp <rx namespace>` (bench/capture.sh's flood);
#   bridge  a—h(bridge)—b, 4 sightings per packet; one `tcpdump -i any -w -s 128` per
#           namespace (3 processes, CPU summed), one pktmon session over the three
#           (`--comp a,h,b` namespace names).
# Prints per configuration: receiver rate and its loss against no capture, sightings
# captured, events lost (pktmon `stop` "events lost", tcpdump "dropped by kernel"), CPU of
# the capturing process(es) per sighting, pktmon's median per-hop p50 (`counters --json`),
# and the pktmon/tcpdump ratios. CPU is user+system time of the capturing processes only:
# the kernel's work in softirq (BPF programs, AF_PACKET copies) is charged to whatever runs.
# With a filter matching none of the flood (veth only), both tools throw the packets
# away in the kernel: the rows "filtered" compare that cost.
# Needs root. Usage: bench/path.sh [seconds per run, default 4] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_build_release
PKTMON=$PKTMON_BIN
SECS=${1:-4}
ROUNDS=${2:-3}

work=$(mktemp -d)
export PKTMON_STATE_DIR=$work/state
BR_NS=()
cleanup() {
    "$PKTMON" unload >/dev/null 2>&1 || true
    pktmon_bench_pair_remove
    local ns
    for ns in "${BR_NS[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# Topology 1: one veth pair (tx .1 — rx .2).
pktmon_bench_pair pkp 10.79.0
# Topology 2: a — h (bridge) — b, 10.79.1.1 — 10.79.1.2.
BA=pkpa$$ BH=pkph$$ BB=pkpb$$
BR_NS=("$BA" "$BH" "$BB")
for ns in "${BR_NS[@]}"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add pkpa$$ netns "$BA" type veth peer name pkpha$$ netns "$BH"
ip link add pkphb$$ netns "$BH" type veth peer name pkpb$$ netns "$BB"
ip -n "$BH" link add pkpbr$$ type bridge
ip -n "$BH" link set pkpha$$ master pkpbr$$
ip -n "$BH" link set pkphb$$ master pkpbr$$
for l in pkpha$$ pkphb$$ pkpbr$$; do ip -n "$BH" link set "$l" up; done
ip -n "$BA" addr add 10.79.1.1/24 dev pkpa$$
ip -n "$BB" addr add 10.79.1.2/24 dev pkpb$$
ip -n "$BA" link set pkpa$$ up
ip -n "$BB" link set pkpb$$ up

cpu_of() { # utime+stime of pids, in seconds
    local hz t=0 p
    hz=$(getconf CLK_TCK)
    for p in "$@"; do
        t=$(awk -v hz="$hz" -v t="$t" '{ print t + ($14 + $15) / hz }' "/proc/$p/stat")
    done
    echo "$t"
}

# $1 sender namespace, $2 receiver namespace, $3 receiver address; prints the receiver's
# packets per second.
run_traffic() {
    ip netns exec "$2" iperf3 -s -1 -p 5302 >/dev/null 2>&1 &
    local srv=$!
    for _ in $(seq 1 100); do # bounded wait for the server to listen
        ip netns exec "$2" ss -Hltn 'sport = :5302' | grep -q 5302 && break
        sleep 0.05
    done
    ip netns exec "$1" iperf3 -c "$3" -p 5302 -u -l 64 -b 0 -t "$SECS" --json >"$work/iperf.json" 2>/dev/null || true
    wait "$srv" 2>/dev/null || true
    python3 -c "
import json, sys
s = json.load(open('$work/iperf.json'))['end']['sum']
print(round((s['packets'] - s['lost_packets']) / s['seconds']))"
}

# $1 topology (veth|bridge); each prints: rate sightings lost cpu p50ns
run_none() {
    if [ "$1" = veth ]; then r=$(run_traffic "$NS_TX" "$NS_RX" 10.79.0.2); else r=$(run_traffic "$BA" "$BB" 10.79.1.2); fi
    echo "$r 0 0 0 0"
}

run_tcpdump() {
    local nss pids=() i=0 ns r cap=0 drop=0 expr=()
    [ "${2:-}" = filtered ] && expr=(udp port 9)
    if [ "$1" = veth ]; then nss=("$NS_RX"); else nss=("${BR_NS[@]}"); fi
    for ns in "${nss[@]}"; do
        if [ "$1" = veth ]; then dev=$IF_RX; else dev=any; fi
        ip netns exec "$ns" tcpdump -i "$dev" -s 128 -w "$work/td$i.pcap" "${expr[@]}" 2>"$work/td$i.err" &
        pids+=($!)
        for _ in $(seq 1 100); do grep -q "listening on" "$work/td$i.err" && break; sleep 0.05; done
        i=$((i + 1))
    done
    if [ "$1" = veth ]; then r=$(run_traffic "$NS_TX" "$NS_RX" 10.79.0.2); else r=$(run_traffic "$BA" "$BB" 10.79.1.2); fi
    local cpu
    cpu=$(cpu_of "${pids[@]}")
    kill -INT "${pids[@]}"
    for p in "${pids[@]}"; do wait "$p" || true; done
    for ((j = 0; j < i; j++)); do
        cap=$((cap + $(awk '/packets captured/ {print $1}' "$work/td$j.err")))
        drop=$((drop + $(awk '/dropped by kernel/ {print $1}' "$work/td$j.err")))
    done
    rm -f "$work"/td*.pcap
    echo "$r $cap $drop $cpu 0"
}

run_pktmon() {
    local comp r status pid cpu p50 logged lost
    if [ "$1" = veth ]; then comp=$NS_RX; else comp=$BA,$BH,$BB; fi
    "$PKTMON" filter remove >/dev/null || true
    [ "${2:-}" = filtered ] && "$PKTMON" filter add -t UDP -p 9 >/dev/null
    "$PKTMON" start --capture --comp "$comp" --pkt-size 128 --file-size 16384 -f "$work/pktmon.pcapng" >/dev/null
    if [ "$1" = veth ]; then r=$(run_traffic "$NS_TX" "$NS_RX" 10.79.0.2); else r=$(run_traffic "$BA" "$BB" 10.79.1.2); fi
    status=$("$PKTMON" status --json)
    pid=$(echo "$status" | python3 -c "import json,sys; print(json.load(sys.stdin)['Session']['Info']['Pid'])")
    cpu=$(cpu_of "$pid")
    # Median over the hops (that carried >= 1,000 packets) of their p50.
    p50=$("$PKTMON" counters --json | python3 -c "
import json, statistics, sys
v = [h['P50Ns'] for c in json.load(sys.stdin) for h in c.get('Hops', []) if h['Packets'] >= 1000]
print(round(statistics.median(v)) if v else 0)")
    "$PKTMON" stop >"$work/stop.txt"
    logged=$(sed -n 's/^Packets logged: *\([0-9,]*\).*/\1/p' "$work/stop.txt" | tr -d ,)
    lost=$(sed -n 's/.*(\([0-9,]*\) events\? lost).*/\1/p' "$work/stop.txt" | tr -d ,)
    rm -f "$work/pktmon.pcapng"
    echo "$r ${logged:-0} ${lost:-0} $cpu $p50"
}

# The same flood with a filter no packet of it matches (UDP port 9): what is left is the
# cost of looking at packets and throwing them away (in the kernel, for both tools).
run_tcpdump_filtered() { run_tcpdump "$1" filtered; }
run_pktmon_filtered() { run_pktmon "$1" filtered; }

: >"$work/results"
for round in $(seq 1 "$ROUNDS"); do
    for topo in veth bridge; do
        for tool in none tcpdump pktmon; do
            echo "$topo $tool $(run_$tool $topo)" >>"$work/results"
        done
        if [ "$topo" = veth ]; then
            for tool in tcpdump_filtered pktmon_filtered; do
                echo "$topo $tool $(run_$tool $topo)" >>"$work/results"
            done
        fi
    done
    echo "round $round of $ROUNDS done" >&2
done

python3 - "$work/results" "$SECS" "$ROUNDS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
secs, rounds = float(sys.argv[2]), int(sys.argv[3])
print(f"traffic: iperf3 UDP 64-byte payloads, unlimited rate; {rounds} alternating rounds of {secs:.0f} s;")
print("rate = iperf3 receiver packets/s (median of rounds); CPU = capturing process(es) user+sys")
print(f"{'topology':<9}{'capture':<22}{'rx pkt/s':>10}{'loss':>7}{'sightings':>12}{'lost':>8}{'CPU s':>7}{'us/sighting':>12}{'hop p50':>9}")
res = {}
for topo, label in (("veth", {"none": "none", "tcpdump": "tcpdump -w", "pktmon": "pktmon session"}),
                    ("bridge", {"none": "none", "tcpdump": "tcpdump x3 (a, h, b)", "pktmon": "pktmon --comp a,h,b"})):
    base = statistics.median(int(r[2]) for r in rows if r[0] == topo and r[1] == "none")
    for tool in ("none", "tcpdump", "pktmon"):
        rr = [r for r in rows if r[0] == topo and r[1] == tool]
        rate = statistics.median(int(r[2]) for r in rr)
        sight = sum(int(r[3]) for r in rr)
        lost = sum(int(r[4]) for r in rr)
        cpu = sum(float(r[5]) for r in rr)
        p50 = statistics.median(int(r[6]) for r in rr)
        per = cpu / sight * 1e6 if sight else float("nan")
        res[(topo, tool)] = (rate, sight, lost, cpu, per)
        loss = f"{(1 - rate / base) * 100:.0f}%" if tool != "none" else "-"
        print(f"{topo:<9}{label[tool]:<22}{rate:>10,}{loss:>7}{sight:>12,}{lost:>8,}"
              + (f"{cpu:>7.2f}{per:>12.3f}" if tool != "none" else f"{'-':>7}{'-':>12}")
              + (f"{p50 / 1000:>7.1f}us" if tool == "pktmon" and p50 else f"{'-':>9}"))
        if tool != "none":
            print(f"{'':<31}per round: rate " + " ".join(f"{int(r[2]):,}" for r in rr)
                  + "; us/sighting " + " ".join(f"{float(r[5]) / int(r[3]) * 1e6:.3f}" if int(r[3]) else "nan" for r in rr))
base = statistics.median(int(r[2]) for r in rows if r[0] == "veth" and r[1] == "none")
print("veth, filter matching none of the flood (tcpdump 'udp port 9', pktmon filter -t UDP -p 9):")
fres = {}
for tool in ("tcpdump_filtered", "pktmon_filtered"):
    rr = [r for r in rows if r[0] == "veth" and r[1] == tool]
    rate = statistics.median(int(r[2]) for r in rr)
    cpu = sum(float(r[5]) for r in rr)
    fres[tool] = (rate, cpu)
    print(f"  {tool.split('_')[0]:<9} rx pkt/s {rate:>10,}  loss {(1 - rate / base) * 100:.0f}%  CPU s {cpu:.2f}  "
          f"logged {sum(int(r[3]) for r in rr):,}")
t, p = fres["tcpdump_filtered"], fres["pktmon_filtered"]
cpu_ratio = f"CPU {p[1] / t[1]:.2f}x" if t[1] > 0 else f"CPU {p[1]:.2f} s vs tcpdump's below the clock tick"
print(f"ratio pktmon/tcpdump, veth filtered: {cpu_ratio}, receiver rate {p[0] / t[0]:.2f}x")
for topo in ("veth", "bridge"):
    p, t = res[(topo, "pktmon")], res[(topo, "tcpdump")]
    print(f"ratio pktmon/tcpdump, {topo}: CPU per sighting {p[4] / t[4]:.2f}x, receiver rate {p[0] / t[0]:.2f}x, "
          f"sightings {p[1] / t[1]:.2f}x, lost {p[2]:,} vs {t[2]:,}")
PY
