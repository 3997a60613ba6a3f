//! Help texts in pktmon's layout (`pktmon help`, `pktmon /?`, `pktmon <command> help`).

pub const TOP: &str = "\
pktmon <command> [OPTIONS | help]
    Advanced packet capture and event collection.

Commands
    filter     Manage packet filters.
    list       List packet processing components.

    start      Start packet capture and event collection.
    stop       Stop data collection.
    status     Query current status.
    unload     Unload PktMon driver.

    counters   Display current packet counters.
    reset      Reset packet counters to zero.

    etl2txt    Convert log file to text format.
    etl2pcap   Convert log file to pcapng format.
    hex2pkt    Decode packet in hexadecimal format.

    help       Show help text for specific command.
               Example: pktmon start help

Global options
    --session <name>  Act on the named session (default: default). Several sessions
                      can run at once.
";

pub const LIST: &str = "\
pktmon list [--all] [--include-hidden] [--json]
    List networking components that can be monitored.

-a, --all
    Show all component types. Only network adapters are displayed by default.

-i, --include-hidden
    Show components that are hidden by default (loopback).

--json
    Output in JSON format. Implies -i and -a.

Gen 2 form: pktmon comp list [--show-hidden] [--json]
";

pub const START: &str = "\
pktmon start --capture [--comp <selector>] [--pkt-size <bytes>] [--type <type>]
             [--file-name <name>] [--file-size <size>] [--log-mode circular]
    Start packet capture. Returns when capture is armed on every selected component:
    a packet sent after 'pktmon start' returns is in the log.

Packet capture
    -c, --capture
        Enable packet capture and packet counters. (Gen 2: --etw)

    --comp { all | nics | id1 id2 ... }
        Select components to monitor: all (default), nics (network adapters only,
        no loopback or bridges), or a list of component ids from 'pktmon list',
        separated by spaces or commas. (Gen 2: --components)

    --type { all | flow }
        Select which packets to capture. Default is all.

    --pkt-size <bytes>
        Number of bytes to log from each packet. To always log the entire packet,
        set this to 0. Default is 128 bytes. (Gen 2: --packet-size)

    --flags <mask>
        Accepted for compatibility; the pcapng log always holds the packet bytes
        and pktmon metadata.

Logging
    -f, --file-name <name>
        Log file name. Default is PktMon.etl in the current directory, as on
        Windows. The content is pcapng whatever the name (Wireshark and tshark read
        it by content); 'pktmon etl2pcap PktMon.etl' writes PktMon.pcapng beside it.

    -s, --file-size <size>
        Maximum log file size in megabytes. Default is 512 MB. Logging stops when
        the file reaches it; status and stop say so.

    -m, --log-mode circular
        The only log mode of this version (see Logging mode in the summary).

Examples
    pktmon start --capture
    pktmon start --capture --comp nics --pkt-size 0 -f /tmp/ci.pcapng
";

pub const STOP: &str = "\
pktmon stop
    Stop data collection. Returns once the log file is complete and closed, and
    prints its path and how many events were lost.
";

pub const STATUS: &str = "\
pktmon status [--json]
    Query current status: the session's parameters and the packets logged so far.
    Exit code 0 when running, 3 when not running, 1 when the session's process died.

--json
    Output in JSON format.
";

pub const UNLOAD: &str = "\
pktmon unload
    Stop any running session and delete all Packet Monitor state (counters,
    filters, session records). Log files are kept.
";

pub const FILTER: &str = "\
pktmon filter <command> [OPTIONS | help]
    Manage packet filters. Filters stay until removed or 'pktmon unload', and apply to
    every session started after they were added.

Commands
    list       Display active packet filters.
    add        Add a filter to control which packets are reported.
    remove     Remove all filters, or one by number or name.
";

pub const FILTER_ADD: &str = "\
pktmon filter add <name> [-m <mac> [mac2]] [-v <vlan>] [-d { IPv4 | IPv6 | ARP | number }]
                         [-t { TCP [flags...] | UDP | ICMP | ICMPv6 | number }]
                         [-i <ip> [ip2]] [-p <port> [port2]] [-b] [-e [port]]
    Add a filter to control which packets are reported. For a packet to be reported, it
    must match all conditions specified in at least one filter. Up to 32 filters can be
    active at once.

-m, --mac[-address]
    Match source or destination MAC address. If a second MAC address is specified,
    match packets that hold both addresses, in either direction.

-v, --vlan
    Match by VLAN Id (VID) in the 802.1Q header.

-d, --data-link[-protocol], --ethertype
    Match by data link (layer 2) protocol. Can be IPv4, IPv6, ARP, or a protocol number.

-t, --transport[-protocol], --ip-protocol
    Match by transport (layer 4) protocol. Can be TCP, UDP, ICMP, ICMPv6, or a protocol
    number. To further filter TCP packets, an optional list of TCP flags to match can be
    provided; all listed flags must be set. Supported flags are FIN, SYN, RST, PSH, ACK,
    URG, ECE, and CWR.

-i, --ip[-address]
    Match source or destination IP address (optionally a subnet: 10.0.0.0/24). If a
    second IP address is specified, match packets that hold both, in either direction.

-p, --port
    Match source or destination TCP or UDP port number. If a second port is specified,
    match packets that hold both, in either direction.

-b, --heartbeat
    Match cluster heartbeat messages over UDP port 3343.

-e, --encap
    Apply the filter to the inner headers of encapsulated packets too (VXLAN, GRE,
    NVGRE, IP-in-IP). An optional VXLAN port can be given; the default is 4789.

Examples
    pktmon filter add MyPing -i 10.10.10.10 -t ICMP
    pktmon filter add MySmbSyn -i 10.10.10.10 -t TCP SYN -p 445
    pktmon filter add MySubnet -i 10.10.10.0/24
";

pub const FILTER_LIST: &str = "\
pktmon filter list [--json]
    Display active packet filters.
";

pub const FILTER_REMOVE: &str = "\
pktmon filter remove [<number> | <name>]
    Remove all packet filters; or, given a filter number or name (as 'pktmon filter list'
    shows them), only that filter: the others keep their numbers.
";

pub const COUNTERS: &str = "\
pktmon counters [--type { all | flow | drop }] [--include-hidden] [--zero]
                [--drop-reason] [--live] [--refresh-rate <n>] [--json]
    Display current per-component packet counters: packets and bytes by direction of
    the packets that passed the filters, and drop counters. After 'pktmon stop' it
    shows the last session's final counters.

-t, --type { all | flow | drop }
    Select which types of counters to show. Default is all.

-i, --include-hidden
    Show counters of components that are hidden by default (loopback).

-z, --zero
    Show counters that are zero in both directions.

-r, --drop-reason
    Show the most recent drop reason for each drop counter.

--live
    Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.

--refresh-rate <n>
    Number of refreshes per second, 1 to 30. Default is 10.

--json
    Output the counters in JSON format. Implies -i and -r.

Gen 2 form: pktmon comp counters [--counter-type ...] [--show-zeros] [--show-hidden] [--json]
";

pub const RESET: &str = "\
pktmon reset
    Reset the running session's packet counters to zero. ('reset -counters' is accepted.)
";

pub const ETL2TXT: &str = "\
pktmon etl2txt <file> [--out <name>] [--stats-only] [--timestamp-only] [--metadata]
                      [--tmfpath <path>] [--brief] [--verbose <n>] [--hex]
                      [--no-ethernet] [--vxlan <port>] [--utf16]
    Convert a log file to text: one line per packet record, followed by its decode
    (tcpdump style, one line per encapsulation layer). Reads pcap and pcapng files
    from any tool; the format is told by the file's first bytes, not its name.

<file>
    Log file to convert.

-o, --out <name>
    Name of the formatted text file. Default: the log file's name with .txt, next
    to it. '-' writes to standard output.

-s, --stats-only
    Display log file statistical information only.

-t, --timestamp-only
    Use timestamp-only prefix for events and packets.

-m, --metadata
    Print event metadata (logging level, keywords).

-p, --tmfpath <path>
    Accepted for compatibility: pcap and pcapng files hold no WPP traces.

--utf16
    Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon
    does. Default: UTF-8 with LF.

Network packet formatting options
    -b, --brief
        Abbreviated packet format.

    -v, --verbose <n>
        Verbosity level 1..3 (IP header details, checksums, DNS sections).

    -x, --hex
        Include hexadecimal dump of the logged bytes.

    -e, --no-ethernet
        Don't print the Ethernet header.

    -l, --vxlan <port>
        Custom VXLAN port. Default is 4789.

Example
    pktmon etl2txt PktMon.etl -o - | less

Gen 2 form: pktmon format <file> [-o <name>] [-b] [-v <n>] [-x] [-e] [-l <port>]
";

pub const ETL2PCAP: &str = "\
pktmon etl2pcap <file> [--out <name>] [--drop-only] [--component-id <id>]
    Convert a log file to pcapng format, keeping the pktmon metadata (direction,
    PktGroupId, component, drop reason). Dropped packets are not included by
    default.

<file>
    Log file to convert (pcap or pcapng).

-o, --out <name>
    Name of the pcapng file. Default: the log file's name with .pcapng.

-d, --drop-only
    Convert dropped packets only.

-c, --component-id { <id> | nics }
    Keep only the packets of one component, or of the network adapters.

Gen 2 form: pktmon pcapng <file> [-o <name>] [-d] [-c <id>]
";

pub const HEX2PKT: &str = "\
pktmon hex2pkt <hex> [--type { Ethernet | IP | HTTP }]
    Decode a packet given in hexadecimal, as etl2txt prints it. The hex may have
    spaces, 0x prefixes, colons or dashes between the bytes.

-t, --type
    Packet type to decode. Default is Ethernet.

Example
    pktmon hex2pkt 00155d01be1e7085c286c72008004500...
";

/// The help text for a command path (`["comp", "list"]`), or None if unknown.
pub fn for_command(path: &[&str]) -> Option<&'static str> {
    match path {
        [] => Some(TOP),
        ["filter"] => Some(FILTER),
        ["filter", "add"] => Some(FILTER_ADD),
        ["filter", "list"] => Some(FILTER_LIST),
        ["filter", "remove"] => Some(FILTER_REMOVE),
        ["list"] | ["comp"] | ["comp", "list"] => Some(LIST),
        ["counters"] | ["comp", "counters"] => Some(COUNTERS),
        ["reset"] => Some(RESET),
        ["start"] => Some(START),
        ["stop"] => Some(STOP),
        ["status"] => Some(STATUS),
        ["unload"] => Some(UNLOAD),
        ["etl2txt"] | ["format"] => Some(ETL2TXT),
        ["etl2pcap"] | ["pcapng"] => Some(ETL2PCAP),
        ["hex2pkt"] => Some(HEX2PKT),
        _ => None,
    }
}
