#!/usr/bin/env bash
# The main job, with the defaults: build pktmon, start a capture on every component,
# make a little traffic on loopback, stop, and show what was captured.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_need_root "$@"
pktmon_build_release
pktmon=$PKTMON_BIN
out=${PKTMON_DEMO_DIR:-$PWD/demo-output}
mkdir -p "$out"
cd "$out"

"$pktmon" list -a -i
"$pktmon" start --capture
# A little traffic, to loopback only: ten UDP datagrams to a closed port.
for i in $(seq 1 10); do echo "pktmon demo $i" > /dev/udp/127.0.0.1/9; done
"$pktmon" status
"$pktmon" stop                      # Log file: $out/PktMon.etl (content: pcapng)
# As a Windows script would go on: the log as pcapng and as text, beside it.
"$pktmon" etl2pcap PktMon.etl       # PktMon.pcapng
"$pktmon" etl2txt PktMon.etl        # PktMon.txt
echo
echo "What was captured (tshark -r $out/PktMon.pcapng):"
tshark -r PktMon.pcapng -T fields -e frame.number -e frame.interface_name -e frame.p2p_dir \
    -e _ws.col.Protocol -e _ws.col.Info -e frame.comment 2>/dev/null | tail -n 20
capinfos -c -i PktMon.pcapng 2>/dev/null | grep -v '^$'
echo
echo "The same as pktmon text (head of $out/PktMon.txt):"
head -n 12 PktMon.txt
