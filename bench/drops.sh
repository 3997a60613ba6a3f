#!/usr/bin/env bash
# Kernel drop tracing benchmark: a UDP flood to a closed port across a veth into a test
# namespace (every datagram is a NO_SOCKET drop), with the drop tracer off and on.
#   1. sender rate at full speed, tracer off vs on (alternating rounds): the slowdown;
#   2. a flood paced at RATE drops/s with the tracer on: drops seen by the tracer vs drops
#      caused (the namespace's Udp NoPorts counter), and events lost.
# The tracer is examples/drop_watch (DropTracer scoped to the namespace, polling every
# <= 100 ms like the session). Needs root.
# Usage: bench/drops.sh [datagrams per run, default 500000] [rounds, default 3] [rate, default 100000]
#        PKTMON_DROP_SOURCE=perf bench/drops.sh ...   measures the perf fallback instead
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_install_deps
COUNT=${1:-500000}
ROUNDS=${2:-3}
RATE=${3:-100000}
cargo build --release --quiet --example drop_watch --example udp_flood
WATCH=$PWD/target/release/examples/drop_watch
FLOOD=$PWD/target/release/examples/udp_flood

work=$(mktemp -d)
watch_pid=
cleanup() {
    [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
    pktmon_bench_pair_remove
    rm -rf "$work"
}
trap cleanup EXIT
pktmon_bench_pair pkd 10.79.0
# Static neighbour (no ARP). The port-unreachable replies stay under the kernel's ICMP
# rate limit (1000/s by default), so they barely cost the sender.
mac_rx=$(ip -n "$NS_RX" -br link show "$IF_RX" | awk '{print $3}')
ip -n "$NS_TX" neigh add 10.79.0.2 lladdr "$mac_rx" dev "$IF_TX" nud permanent

no_ports() { # Udp NoPorts of the receiving namespace
    ip netns exec "$NS_RX" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "NoPorts") c = i; h = 1 } else print $c }' /proc/net/snmp
}

flood() { # count [rate] -> prints the sender's pps
    "$FLOOD" --netns "/run/netns/$NS_TX" --to 10.79.0.2:9 --count "$1" --rate "${2:-0}" \
        | python3 -c "import json,sys; print(round(json.load(sys.stdin)['pps']))"
}

start_watch() {
    "$WATCH" --netns "/run/netns/$NS_RX" --count --seconds 120 >"$work/watch.out" 2>"$work/watch.err" &
    watch_pid=$!
    for _ in $(seq 1 200); do grep -q '^ready' "$work/watch.out" && return 0; sleep 0.05; done
    echo "drop_watch did not start: $(cat "$work/watch.err")" >&2
    exit 1
}

stop_watch() { # sets seen, lost (run in this shell: it waits for its own child)
    kill -INT "$watch_pid"; wait "$watch_pid" || true
    watch_pid=
    read -r seen lost < <(tail -1 "$work/watch.out" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['reasons'].get('NO_SOCKET', 0), d['lost'])")
}

echo "UDP flood to a closed port in a namespace: $COUNT datagrams per run, $ROUNDS rounds, paced run at $RATE/s"
start_watch; source_line=$(head -1 "$work/watch.out"); stop_watch
echo "tracer: $source_line"
off_sum=0 on_sum=0
for r in $(seq 1 "$ROUNDS"); do
    off=$(flood "$COUNT")
    before=$(no_ports)
    start_watch
    on=$(flood "$COUNT")
    sleep 0.3 # let the last poll run
    stop_watch
    caused=$(( $(no_ports) - before ))
    printf 'round %d: full speed off %s pkt/s, on %s pkt/s; seen %s of %s drops, lost %s\n' \
        "$r" "$off" "$on" "$seen" "$caused" "$lost"
    off_sum=$((off_sum + off)); on_sum=$((on_sum + on))
done

before=$(no_ports)
start_watch
paced=$(flood "$COUNT" "$RATE")
sleep 0.3
stop_watch
caused=$(( $(no_ports) - before ))
paced_off=$(flood "$COUNT" "$RATE")

python3 - "$off_sum" "$on_sum" "$seen" "$caused" "$lost" "$paced" "$paced_off" "$RATE" <<'EOF'
import sys
off, on, seen, caused, lost, paced, paced_off, rate = map(int, sys.argv[1:])
print(f"sender at full speed: tracer off {off:,} vs on {on:,} (sum of rounds): "
      f"on/off = {on / off:.3f} (slowed {100 * (1 - on / off):.1f}%, target <= 20%)")
print(f"paced at {rate:,}/s: sender {paced:,} pkt/s with the tracer, {paced_off:,} without")
print(f"paced run: seen {seen:,} of {caused:,} drops caused = {100 * seen / max(caused, 1):.2f}% "
      f"(target >= 99%), lost {lost:,}")
EOF
