#!/usr/bin/env bash
# Text decode benchmark: `pktmon etl2txt` vs `tcpdump -nn -e -r` vs `tshark -r` on the
# same capture of real traffic (iperf3 TCP and UDP over a veth pair between two network
# namespaces, 128 bytes per packet as pktmon logs by default), replicated with mergecap
# to at least 1 M packets. Output goes to /dev/null. Prints packets per second and peak
# RSS (GNU time) for each, the ratios, and pktmon's RSS on a 4x larger file (it must not
# grow with the file). Needs root (namespaces).
# Usage: bench/format.sh [million packets, default 1] [rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_build_release
PKTMON=$PKTMON_BIN
MILLIONS=${1:-1}
ROUNDS=${2:-2}

work=$(mktemp -d)
cleanup() {
    pktmon_bench_pair_remove
    rm -rf "$work"
}
trap cleanup EXIT
pktmon_bench_pair pkf 10.79.0

# One capture of mixed real traffic: a TCP stream, then small UDP datagrams.
SAMPLE=200000
ip netns exec "$NS_RX" tcpdump -i "$IF_RX" -s 128 -c "$SAMPLE" -w "$work/sample.pcap" 2>"$work/tcpdump.err" &
tpid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/tcpdump.err" && break; sleep 0.05; done
ip netns exec "$NS_RX" iperf3 -s -p 5302 >/dev/null 2>&1 &
spid=$!
for _ in $(seq 1 100); do
    ip netns exec "$NS_RX" ss -Hltn 'sport = :5302' | grep -q 5302 && break
    sleep 0.05
done
ip netns exec "$NS_TX" iperf3 -c 10.79.0.2 -p 5302 -t 2 -M 1200 >/dev/null 2>&1 || true
ip netns exec "$NS_TX" iperf3 -c 10.79.0.2 -p 5302 -u -l 64 -b 0 -t 10 >/dev/null 2>&1 &
upid=$!
wait "$tpid" || true
kill "$upid" "$spid" 2>/dev/null || true
wait 2>/dev/null || true
captured=$(capinfos -c -M "$work/sample.pcap" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')

# Replicate to the wanted size, as pcapng (pktmon's log format; tcpdump reads it too).
want=$((MILLIONS * 1000000))
copies=$(( (want + captured - 1) / captured ))
files=()
for _ in $(seq 1 "$copies"); do files+=("$work/sample.pcap"); done
mergecap -a -F pcapng -w "$work/bench.pcapng" "${files[@]}"
files4=()
for _ in $(seq 1 $((copies * 4))); do files4+=("$work/sample.pcap"); done
mergecap -a -F pcapng -w "$work/bench4.pcapng" "${files4[@]}"
N=$((captured * copies))
# PKTMON_BENCH_KEEP=<file> keeps the capture (e.g. to profile on it).
if [ -n "${PKTMON_BENCH_KEEP:-}" ]; then cp "$work/bench.pcapng" "$PKTMON_BENCH_KEEP"; fi
echo "capture: $captured packets of real traffic x $copies = $N packets ($(du -h "$work/bench.pcapng" | cut -f1))"

measure() { # cmd... -> prints: wall-seconds cpu-seconds max-rss-kB
    local out="$work/time.txt"
    /usr/bin/time -v -o "$out" "$@" >/dev/null 2>"$work/cmd.err" || { cat "$work/cmd.err" >&2; return 1; }
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$out")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
    echo "$wall $cpu $rss"
}

declare -A best_t best_cpu best_rss
tools=(pktmon tcpdump tshark)
run_tool() {
    case $1 in
        pktmon) measure "$PKTMON" etl2txt "$2" -o /dev/null ;;
        tcpdump) measure tcpdump -nn -e -r "$2" ;;
        tshark) measure tshark -n -r "$2" ;;
    esac
}
for r in $(seq 1 "$ROUNDS"); do
    for t in "${tools[@]}"; do
        read -r secs cpu rss < <(run_tool "$t" "$work/bench.pcapng")
        echo "round $r: $t ${secs}s wall, ${cpu}s CPU, ${rss} kB"
        if [ -z "${best_t[$t]:-}" ] || awk -v a="$secs" -v b="${best_t[$t]}" 'BEGIN{exit !(a<b)}'; then
            best_t[$t]=$secs
        fi
        if [ -z "${best_cpu[$t]:-}" ] || awk -v a="$cpu" -v b="${best_cpu[$t]}" 'BEGIN{exit !(a<b)}'; then
            best_cpu[$t]=$cpu
        fi
        best_rss[$t]=$rss
    done
done
read -r secs4 cpu4 rss4 < <(run_tool pktmon "$work/bench4.pcapng")

# Best of the rounds. Wall-clock packets/s is what a user waits for; CPU time (user +
# system) is steadier on a busy machine. Both are printed.
echo
printf "%-8s %10s %14s %10s %14s %12s\n" tool "wall s" "packets/s" "CPU s" "packets/CPU-s" "peak RSS"
for t in "${tools[@]}"; do
    printf "%-8s %10s %14.0f %10s %14.0f %9s kB\n" "$t" "${best_t[$t]}" \
        "$(awk -v n="$N" -v s="${best_t[$t]}" 'BEGIN{print n/s}')" "${best_cpu[$t]}" \
        "$(awk -v n="$N" -v s="${best_cpu[$t]}" 'BEGIN{print n/(s>0?s:0.001)}')" "${best_rss[$t]}"
done
echo
awk -v p="${best_t[pktmon]}" -v t="${best_t[tcpdump]}" -v s="${best_t[tshark]}" \
    -v pc="${best_cpu[pktmon]}" -v tc="${best_cpu[tcpdump]}" -v sc="${best_cpu[tshark]}" \
    'BEGIN { printf "pktmon vs tcpdump: %.1fx packets/s (wall), %.1fx per CPU second\n", t/p, tc/pc;
             printf "pktmon vs tshark:  %.1fx packets/s (wall), %.1fx per CPU second\n", s/p, sc/pc }'
echo "pktmon peak RSS: ${best_rss[pktmon]} kB on $N packets, $rss4 kB on $((N * 4)) packets (${secs4}s wall)"
