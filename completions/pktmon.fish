# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pktmon_global_optspecs
    string join \n session=
end

function __fish_pktmon_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pktmon_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pktmon_using_subcommand
    set -l cmd (__fish_pktmon_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pktmon -n "__fish_pktmon_needs_command" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "filter" -d 'Manage packet filters.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "list" -d 'List networking components that can be monitored.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "comp" -d 'Gen 2 form of \'pktmon list\' and \'pktmon counters\'.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "counters" -d 'Display current per-component packet counters: packets and bytes by direction of the packets that passed the filters, and drop counters.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "reset" -d 'Reset the running session\'s packet counters to zero.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "start" -d 'Start packet capture.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "stop" -d 'Stop data collection.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "status" -d 'Query current status: the session\'s parameters and the packets logged so far.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "unload" -d 'Stop any running session and delete all Packet Monitor state (counters, filters, session records).'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "etl2txt" -d 'Convert a log file to text: one line per packet record, followed by its decode (tcpdump style, one line per encapsulation layer).'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "format" -d 'Convert a log file to text: one line per packet record, followed by its decode (tcpdump style, one line per encapsulation layer).'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "etl2pcap" -d 'Convert a log file to pcapng format, keeping the pktmon metadata (direction, PktGroupId, component, drop reason).'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "pcapng" -d 'Convert a log file to pcapng format, keeping the pktmon metadata (direction, PktGroupId, component, drop reason).'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "hex2pkt" -d 'Decode a packet given in hexadecimal, as etl2txt prints it.'
complete -c pktmon -n "__fish_pktmon_needs_command" -f -a "extcap" -d 'Wireshark\'s extcap interface: Wireshark and tshark capture live through pktmon.'
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and not __fish_seen_subcommand_from add list remove" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and not __fish_seen_subcommand_from add list remove" -f -a "add" -d 'Add a filter to control which packets are reported.'
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and not __fish_seen_subcommand_from add list remove" -f -a "list" -d 'Display active packet filters.'
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and not __fish_seen_subcommand_from add list remove" -f -a "remove" -d 'Remove all packet filters; or, given a filter number or name (as \'pktmon filter list\' shows them), only that filter: the others keep their numbers.'
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s m -l mac -d 'Match source or destination MAC address. If a second MAC address is specified, match packets that hold both addresses, in either direction.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s v -l vlan -d 'Match by VLAN Id (VID) in the 802.1Q header.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s d -l data-link -d 'Match by data link (layer 2) protocol.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s t -l transport -d 'Match by transport (layer 4) protocol. To further filter TCP packets, an optional list of TCP flags to match can be provided; all listed flags must be set. Supported flags are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s i -l ip -d 'Match source or destination IP address (optionally a subnet: 10.0.0.0/24). If a second IP address is specified, match packets that hold both, in either direction.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s p -l port -d 'Match source or destination TCP or UDP port number. If a second port is specified, match packets that hold both, in either direction.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s e -l encap -d 'Apply the filter to the inner headers of encapsulated packets too (VXLAN, GRE, NVGRE, IP-in-IP). An optional VXLAN port can be given; the default is 4789.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s b -l heartbeat -d 'Match cluster heartbeat messages over UDP port 3343.'
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from list" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from list" -l json -d 'Output in JSON format.'
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from remove" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand list" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand list" -s a -l all -d 'Show all component types. Only network adapters are displayed by default.'
complete -c pktmon -n "__fish_pktmon_using_subcommand list" -s i -l include-hidden -d 'Show components that are hidden by default (loopback).'
complete -c pktmon -n "__fish_pktmon_using_subcommand list" -l json -d 'Output in JSON format. Implies -i and -a.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and not __fish_seen_subcommand_from list counters" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and not __fish_seen_subcommand_from list counters" -f -a "list" -d 'List networking components that can be monitored.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and not __fish_seen_subcommand_from list counters" -f -a "counters" -d 'Display current per-component packet counters: packets and bytes by direction of the packets that passed the filters, and drop counters.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from list" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all component types. Only network adapters are displayed by default.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from list" -s i -l include-hidden -d 'Show components that are hidden by default (loopback).'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from list" -l json -d 'Output in JSON format. Implies -i and -a.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -s t -l type -d 'Select which types of counters to show.' -r -f -a "all\t''
flow\t''
drop\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -l refresh-rate -d 'Number of refreshes per second, 1 to 30.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -l format -d 'table, or the session\'s metrics once, as a running session serves them (\'start --metrics\'): openmetrics (OpenMetrics 1.0) or prometheus (text format 0.0.4, what \'promtool check metrics\' reads).' -r -f -a "table\t''
openmetrics\t''
prometheus\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -s i -l include-hidden -d 'Show counters of components that are hidden by default (loopback).'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -s z -l zero -d 'Show counters that are zero in both directions.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -s r -l drop-reason -d 'Show the most recent drop reason for each drop counter.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -l live -d 'Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.'
complete -c pktmon -n "__fish_pktmon_using_subcommand comp; and __fish_seen_subcommand_from counters" -l json -d 'Output the counters in JSON format. Implies -i and -r.'
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -s t -l type -d 'Select which types of counters to show.' -r -f -a "all\t''
flow\t''
drop\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -l refresh-rate -d 'Number of refreshes per second, 1 to 30.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -l format -d 'table, or the session\'s metrics once, as a running session serves them (\'start --metrics\'): openmetrics (OpenMetrics 1.0) or prometheus (text format 0.0.4, what \'promtool check metrics\' reads).' -r -f -a "table\t''
openmetrics\t''
prometheus\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -s i -l include-hidden -d 'Show counters of components that are hidden by default (loopback).'
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -s z -l zero -d 'Show counters that are zero in both directions.'
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -s r -l drop-reason -d 'Show the most recent drop reason for each drop counter.'
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -l live -d 'Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.'
complete -c pktmon -n "__fish_pktmon_using_subcommand counters" -l json -d 'Output the counters in JSON format. Implies -i and -r.'
complete -c pktmon -n "__fish_pktmon_using_subcommand reset" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand reset" -l counters -d 'Gen 2 form (\'reset -counters\'): the same.'
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l comp -d 'Select components to monitor: all, nics (network adapters only, no loopback or bridges), or a list of component ids from \'pktmon list\', separated by spaces or commas.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l type -d 'Select which packets to capture: all, flow (only packets that went on their way), or drop (only packets the kernel dropped).' -r -f -a "all\t''
flow\t''
drop\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l pkt-size -d 'Number of bytes to log from each packet. To always log the entire packet, set this to 0.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l flags -d 'What is logged. The log always holds the packet bytes (0x010) and component information (0x002); 0x001 may be added. Values asking for more (0x004 parsed headers, 0x008 NDIS metadata) or for less are refused.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s p -l provider -d 'Event provider name or GUID (may be repeated). Only with --trace.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s k -l keywords -d 'Keywords for the provider before it.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s l -l level -d 'Level for the provider before it.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s f -l file-name -d 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); \'pktmon etl2pcap PktMon.etl\' writes PktMon.pcapng beside it.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s s -l file-size -d 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s m -l log-mode -d 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or \'pktmon stop\'; no log file.' -r -f -a "circular\t''
multi-file\t''
memory\t''
real-time\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l metrics -d 'Serve the session\'s counters, drops, events lost and latency per hop as OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0: any free port (\'pktmon status\' shows it). Off by default.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s c -l capture -d 'Enable packet capture and packet counters.'
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s o -l counters-only -d 'Collect packet counters only. No packet logging.'
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s d -l drop-only -d 'Gen 2: capture dropped packets only (= --type drop).'
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -s t -l trace -d 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.'
complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l json -d 'With -m real-time: one JSON object per packet and line (NDJSON, flushed per line; docs/schema/realtime-record.schema.json); the session\'s parameters and final report go to stderr.'
complete -c pktmon -n "__fish_pktmon_using_subcommand stop" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand stop" -l json -d 'Output the final report in JSON format (docs/schema/stop.schema.json).'
complete -c pktmon -n "__fish_pktmon_using_subcommand status" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand status" -s b -l buffer-info -d 'Display buffer information: the kernel capture ring per component, memory, losses when it was full, how the log is flushed.'
complete -c pktmon -n "__fish_pktmon_using_subcommand status" -l json -d 'Output in JSON format.'
complete -c pktmon -n "__fish_pktmon_using_subcommand unload" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s o -l out -d 'Name of the formatted text file. Default: the log file\'s name with .txt, next to it. \'-\' writes to standard output.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s p -l tmfpath -d 'Accepted for compatibility: WPP trace messages are not decoded.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s v -l verbose -d 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 \'format -v\'): 1.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s l -l vxlan -d 'Custom VXLAN port. Without a port (Gen 2 \'format -l\'): the default.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s s -l stats-only -d 'Display log file statistical information only.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -l json -d 'With --stats-only: the statistics in JSON format (docs/schema/etl2txt-stats.schema.json).'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s t -l timestamp-only -d 'Use timestamp-only prefix for events and packets.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s m -l metadata -d 'Print event metadata (logging level, keywords).'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -l utf16 -d 'Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon does. Default: UTF-8 with LF.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s b -l brief -d 'Abbreviated packet format.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s x -l hex -d 'Include hexadecimal dump of the logged bytes.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2txt" -s e -l no-ethernet -d 'Don\'t print the Ethernet header.'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s o -l out -d 'Name of the formatted text file. Default: the log file\'s name with .txt, next to it. \'-\' writes to standard output.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s p -l tmfpath -d 'Accepted for compatibility: WPP trace messages are not decoded.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s v -l verbose -d 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 \'format -v\'): 1.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s l -l vxlan -d 'Custom VXLAN port. Without a port (Gen 2 \'format -l\'): the default.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s s -l stats-only -d 'Display log file statistical information only.'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -l json -d 'With --stats-only: the statistics in JSON format (docs/schema/etl2txt-stats.schema.json).'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s t -l timestamp-only -d 'Use timestamp-only prefix for events and packets.'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s m -l metadata -d 'Print event metadata (logging level, keywords).'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -l utf16 -d 'Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon does. Default: UTF-8 with LF.'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s b -l brief -d 'Abbreviated packet format.'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s x -l hex -d 'Include hexadecimal dump of the logged bytes.'
complete -c pktmon -n "__fish_pktmon_using_subcommand format" -s e -l no-ethernet -d 'Don\'t print the Ethernet header.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2pcap" -s o -l out -d 'Name of the pcapng file. Default: the log file\'s name with .pcapng.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2pcap" -s c -l component-id -d 'Keep only the packets of one component, or of the network adapters.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2pcap" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2pcap" -s d -l drop-only -d 'Convert dropped packets only.'
complete -c pktmon -n "__fish_pktmon_using_subcommand etl2pcap" -l json -d 'Print the summary in JSON format (docs/schema/etl2pcap.schema.json).'
complete -c pktmon -n "__fish_pktmon_using_subcommand pcapng" -s o -l out -d 'Name of the pcapng file. Default: the log file\'s name with .pcapng.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand pcapng" -s c -l component-id -d 'Keep only the packets of one component, or of the network adapters.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand pcapng" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand pcapng" -s d -l drop-only -d 'Convert dropped packets only.'
complete -c pktmon -n "__fish_pktmon_using_subcommand pcapng" -l json -d 'Print the summary in JSON format (docs/schema/etl2pcap.schema.json).'
complete -c pktmon -n "__fish_pktmon_using_subcommand hex2pkt" -s t -l type -d 'Packet type to decode.' -r -f -a "Ethernet\t''
IP\t''
HTTP\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand hex2pkt" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-version -d 'The Wireshark version asking (accepted, not needed).' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-interface -d 'The interface the other steps are about: pktmon.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l fifo -d 'With --capture: the pipe to write the pcapng stream into.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-capture-filter -d 'Wireshark\'s capture filter: BPF filters are refused (use the Filter options).' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-control-in -d 'Accepted for compatibility (no toolbar controls).' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-control-out -d 'Accepted for compatibility (no toolbar controls).' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l comp -d 'Select components to monitor: all, nics (network adapters only, no loopback or bridges), or a list of component ids from \'pktmon list\', separated by spaces or commas.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l type -d 'Select which packets to capture: all, flow (only packets that went on their way), or drop (only packets the kernel dropped).' -r -f -a "all\t''
flow\t''
drop\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l pkt-size -d 'Number of bytes to log from each packet. To always log the entire packet, set this to 0.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l flags -d 'What is logged. The log always holds the packet bytes (0x010) and component information (0x002); 0x001 may be added. Values asking for more (0x004 parsed headers, 0x008 NDIS metadata) or for less are refused.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s p -l provider -d 'Event provider name or GUID (may be repeated). Only with --trace.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s k -l keywords -d 'Keywords for the provider before it.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s l -l level -d 'Level for the provider before it.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s f -l file-name -d 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); \'pktmon etl2pcap PktMon.etl\' writes PktMon.pcapng beside it.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s s -l file-size -d 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s m -l log-mode -d 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or \'pktmon stop\'; no log file.' -r -f -a "circular\t''
multi-file\t''
memory\t''
real-time\t''"
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l metrics -d 'Serve the session\'s counters, drops, events lost and latency per hop as OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0: any free port (\'pktmon status\' shows it). Off by default.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l ip -d 'Match IP address or subnet.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l port -d 'Match TCP or UDP port.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l transport -d 'Match transport protocol (TCP [flags], UDP, ICMP, ICMPv6, number).' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l data-link -d 'Match data link protocol (IPv4, IPv6, ARP, number).' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l mac -d 'Match MAC address.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l vlan -d 'Match VLAN id.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l session -d 'Act on the named session (default: default). Several sessions can run at once.' -r
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-interfaces -d 'List the interfaces offered (one: pktmon).'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-dlts -d 'Print the interface\'s link type.'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l extcap-config -d 'Print the options of Wireshark\'s capture dialog for the interface.'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s c -l capture -d 'Enable packet capture and packet counters.'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s o -l counters-only -d 'Collect packet counters only. No packet logging.'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s d -l drop-only -d 'Gen 2: capture dropped packets only (= --type drop).'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -s t -l trace -d 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.'
complete -c pktmon -n "__fish_pktmon_using_subcommand extcap" -l json -d 'With -m real-time: one JSON object per packet and line (NDJSON, flushed per line; docs/schema/realtime-record.schema.json); the session\'s parameters and final report go to stderr.'


# --- Added by pktmon's generator (tests/gen_assets/dynamic.fish): values that only a
# running system knows (component ids and namespaces from 'pktmon list', filter numbers
# and names from 'pktmon filter list'), and the words of 'filter add -d/-t'.

# Component ids and network namespace names, as 'pktmon list' shows them.
function __fish_pktmon_components
    set -l exe (commandline -opc)[1]
    $exe list --all --include-hidden 2>/dev/null | sed -n \
        -e 's/^ *\([0-9][0-9]*\) .*/\1/p' \
        -e 's/^Network namespace \([^ ]*\) (net:\[[0-9]*\]):$/\1/p'
end

# Filter numbers and names, as 'pktmon filter list' shows them.
function __fish_pktmon_filters
    set -l exe (commandline -opc)[1]
    $exe filter list 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1; if ($2 != "<empty>") print $2 }'
end

complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l comp -f -r -a "all nics (__fish_pktmon_components)"
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s d -l data-link -f -r -a "IPv4 IPv6 ARP"
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s t -l transport -f -r -a "TCP UDP ICMP ICMPv6"
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from remove" -f -a "(__fish_pktmon_filters)"
