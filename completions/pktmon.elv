
use builtin;
use str;

set edit:completion:arg-completer[pktmon] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pktmon'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pktmon'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand filter 'Manage packet filters.'
            cand list 'List networking components that can be monitored.'
            cand comp 'Gen 2 form of ''pktmon list'' and ''pktmon counters''.'
            cand counters 'Display current per-component packet counters: packets and bytes by direction of the packets that passed the filters, and drop counters.'
            cand reset 'Reset the running session''s packet counters to zero.'
            cand start 'Start packet capture.'
            cand stop 'Stop data collection.'
            cand status 'Query current status: the session''s parameters and the packets logged so far.'
            cand unload 'Stop any running session and delete all Packet Monitor state (counters, filters, session records).'
            cand etl2txt 'Convert a log file to text: one line per packet record, followed by its decode (tcpdump style, one line per encapsulation layer).'
            cand format 'Convert a log file to text: one line per packet record, followed by its decode (tcpdump style, one line per encapsulation layer).'
            cand etl2pcap 'Convert a log file to pcapng format, keeping the pktmon metadata (direction, PktGroupId, component, drop reason).'
            cand pcapng 'Convert a log file to pcapng format, keeping the pktmon metadata (direction, PktGroupId, component, drop reason).'
            cand hex2pkt 'Decode a packet given in hexadecimal, as etl2txt prints it.'
            cand extcap 'Wireshark''s extcap interface: Wireshark and tshark capture live through pktmon.'
        }
        &'pktmon;filter'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand add 'Add a filter to control which packets are reported.'
            cand list 'Display active packet filters.'
            cand remove 'Remove all packet filters; or, given a filter number or name (as ''pktmon filter list'' shows them), only that filter: the others keep their numbers.'
        }
        &'pktmon;filter;add'= {
            cand -m 'Match source or destination MAC address. If a second MAC address is specified, match packets that hold both addresses, in either direction.'
            cand --mac 'Match source or destination MAC address. If a second MAC address is specified, match packets that hold both addresses, in either direction.'
            cand -v 'Match by VLAN Id (VID) in the 802.1Q header.'
            cand --vlan 'Match by VLAN Id (VID) in the 802.1Q header.'
            cand -d 'Match by data link (layer 2) protocol.'
            cand --data-link 'Match by data link (layer 2) protocol.'
            cand -t 'Match by transport (layer 4) protocol. To further filter TCP packets, an optional list of TCP flags to match can be provided; all listed flags must be set. Supported flags are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.'
            cand --transport 'Match by transport (layer 4) protocol. To further filter TCP packets, an optional list of TCP flags to match can be provided; all listed flags must be set. Supported flags are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.'
            cand -i 'Match source or destination IP address (optionally a subnet: 10.0.0.0/24). If a second IP address is specified, match packets that hold both, in either direction.'
            cand --ip 'Match source or destination IP address (optionally a subnet: 10.0.0.0/24). If a second IP address is specified, match packets that hold both, in either direction.'
            cand -p 'Match source or destination TCP or UDP port number. If a second port is specified, match packets that hold both, in either direction.'
            cand --port 'Match source or destination TCP or UDP port number. If a second port is specified, match packets that hold both, in either direction.'
            cand -e 'Apply the filter to the inner headers of encapsulated packets too (VXLAN, GRE, NVGRE, IP-in-IP). An optional VXLAN port can be given; the default is 4789.'
            cand --encap 'Apply the filter to the inner headers of encapsulated packets too (VXLAN, GRE, NVGRE, IP-in-IP). An optional VXLAN port can be given; the default is 4789.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -b 'Match cluster heartbeat messages over UDP port 3343.'
            cand --heartbeat 'Match cluster heartbeat messages over UDP port 3343.'
        }
        &'pktmon;filter;list'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand --json 'Output in JSON format.'
        }
        &'pktmon;filter;remove'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
        }
        &'pktmon;list'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -a 'Show all component types. Only network adapters are displayed by default.'
            cand --all 'Show all component types. Only network adapters are displayed by default.'
            cand -i 'Show components that are hidden by default (loopback).'
            cand --include-hidden 'Show components that are hidden by default (loopback).'
            cand --json 'Output in JSON format. Implies -i and -a.'
        }
        &'pktmon;comp'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand list 'List networking components that can be monitored.'
            cand counters 'Display current per-component packet counters: packets and bytes by direction of the packets that passed the filters, and drop counters.'
        }
        &'pktmon;comp;list'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -a 'Show all component types. Only network adapters are displayed by default.'
            cand --all 'Show all component types. Only network adapters are displayed by default.'
            cand -i 'Show components that are hidden by default (loopback).'
            cand --include-hidden 'Show components that are hidden by default (loopback).'
            cand --json 'Output in JSON format. Implies -i and -a.'
        }
        &'pktmon;comp;counters'= {
            cand -t 'Select which types of counters to show.'
            cand --type 'Select which types of counters to show.'
            cand --refresh-rate 'Number of refreshes per second, 1 to 30.'
            cand --format 'table, or the session''s metrics once, as a running session serves them (''start --metrics''): openmetrics (OpenMetrics 1.0) or prometheus (text format 0.0.4, what ''promtool check metrics'' reads).'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -i 'Show counters of components that are hidden by default (loopback).'
            cand --include-hidden 'Show counters of components that are hidden by default (loopback).'
            cand -z 'Show counters that are zero in both directions.'
            cand --zero 'Show counters that are zero in both directions.'
            cand -r 'Show the most recent drop reason for each drop counter.'
            cand --drop-reason 'Show the most recent drop reason for each drop counter.'
            cand --live 'Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.'
            cand --json 'Output the counters in JSON format. Implies -i and -r.'
        }
        &'pktmon;counters'= {
            cand -t 'Select which types of counters to show.'
            cand --type 'Select which types of counters to show.'
            cand --refresh-rate 'Number of refreshes per second, 1 to 30.'
            cand --format 'table, or the session''s metrics once, as a running session serves them (''start --metrics''): openmetrics (OpenMetrics 1.0) or prometheus (text format 0.0.4, what ''promtool check metrics'' reads).'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -i 'Show counters of components that are hidden by default (loopback).'
            cand --include-hidden 'Show counters of components that are hidden by default (loopback).'
            cand -z 'Show counters that are zero in both directions.'
            cand --zero 'Show counters that are zero in both directions.'
            cand -r 'Show the most recent drop reason for each drop counter.'
            cand --drop-reason 'Show the most recent drop reason for each drop counter.'
            cand --live 'Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.'
            cand --json 'Output the counters in JSON format. Implies -i and -r.'
        }
        &'pktmon;reset'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand --counters 'Gen 2 form (''reset -counters''): the same.'
        }
        &'pktmon;start'= {
            cand --comp 'Select components to monitor: all, nics (network adapters only, no loopback or bridges), or a list of component ids from ''pktmon list'', separated by spaces or commas.'
            cand --type 'Select which packets to capture: all, flow (only packets that went on their way), or drop (only packets the kernel dropped).'
            cand --pkt-size 'Number of bytes to log from each packet. To always log the entire packet, set this to 0.'
            cand --flags 'What is logged. The log always holds the packet bytes (0x010) and component information (0x002); 0x001 may be added. Values asking for more (0x004 parsed headers, 0x008 NDIS metadata) or for less are refused.'
            cand -p 'Event provider name or GUID (may be repeated). Only with --trace.'
            cand --provider 'Event provider name or GUID (may be repeated). Only with --trace.'
            cand -k 'Keywords for the provider before it.'
            cand --keywords 'Keywords for the provider before it.'
            cand -l 'Level for the provider before it.'
            cand --level 'Level for the provider before it.'
            cand -f 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.'
            cand --file-name 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.'
            cand -s 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.'
            cand --file-size 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.'
            cand -m 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.'
            cand --log-mode 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.'
            cand --metrics 'Serve the session''s counters, drops, events lost and latency per hop as OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0: any free port (''pktmon status'' shows it). Off by default.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -c 'Enable packet capture and packet counters.'
            cand --capture 'Enable packet capture and packet counters.'
            cand -o 'Collect packet counters only. No packet logging.'
            cand --counters-only 'Collect packet counters only. No packet logging.'
            cand -d 'Gen 2: capture dropped packets only (= --type drop).'
            cand --drop-only 'Gen 2: capture dropped packets only (= --type drop).'
            cand -t 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.'
            cand --trace 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.'
            cand --json 'With -m real-time: one JSON object per packet and line (NDJSON, flushed per line; docs/schema/realtime-record.schema.json); the session''s parameters and final report go to stderr.'
        }
        &'pktmon;stop'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand --json 'Output the final report in JSON format (docs/schema/stop.schema.json).'
        }
        &'pktmon;status'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -b 'Display buffer information: the kernel capture ring per component, memory, losses when it was full, how the log is flushed.'
            cand --buffer-info 'Display buffer information: the kernel capture ring per component, memory, losses when it was full, how the log is flushed.'
            cand --json 'Output in JSON format.'
        }
        &'pktmon;unload'= {
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
        }
        &'pktmon;etl2txt'= {
            cand -o 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.'
            cand --out 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.'
            cand -p 'Accepted for compatibility: WPP trace messages are not decoded.'
            cand --tmfpath 'Accepted for compatibility: WPP trace messages are not decoded.'
            cand -v 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.'
            cand --verbose 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.'
            cand -l 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.'
            cand --vxlan 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -s 'Display log file statistical information only.'
            cand --stats-only 'Display log file statistical information only.'
            cand --json 'With --stats-only: the statistics in JSON format (docs/schema/etl2txt-stats.schema.json).'
            cand -t 'Use timestamp-only prefix for events and packets.'
            cand --timestamp-only 'Use timestamp-only prefix for events and packets.'
            cand -m 'Print event metadata (logging level, keywords).'
            cand --metadata 'Print event metadata (logging level, keywords).'
            cand --utf16 'Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon does. Default: UTF-8 with LF.'
            cand -b 'Abbreviated packet format.'
            cand --brief 'Abbreviated packet format.'
            cand -x 'Include hexadecimal dump of the logged bytes.'
            cand --hex 'Include hexadecimal dump of the logged bytes.'
            cand -e 'Don''t print the Ethernet header.'
            cand --no-ethernet 'Don''t print the Ethernet header.'
        }
        &'pktmon;format'= {
            cand -o 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.'
            cand --out 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.'
            cand -p 'Accepted for compatibility: WPP trace messages are not decoded.'
            cand --tmfpath 'Accepted for compatibility: WPP trace messages are not decoded.'
            cand -v 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.'
            cand --verbose 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.'
            cand -l 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.'
            cand --vxlan 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -s 'Display log file statistical information only.'
            cand --stats-only 'Display log file statistical information only.'
            cand --json 'With --stats-only: the statistics in JSON format (docs/schema/etl2txt-stats.schema.json).'
            cand -t 'Use timestamp-only prefix for events and packets.'
            cand --timestamp-only 'Use timestamp-only prefix for events and packets.'
            cand -m 'Print event metadata (logging level, keywords).'
            cand --metadata 'Print event metadata (logging level, keywords).'
            cand --utf16 'Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon does. Default: UTF-8 with LF.'
            cand -b 'Abbreviated packet format.'
            cand --brief 'Abbreviated packet format.'
            cand -x 'Include hexadecimal dump of the logged bytes.'
            cand --hex 'Include hexadecimal dump of the logged bytes.'
            cand -e 'Don''t print the Ethernet header.'
            cand --no-ethernet 'Don''t print the Ethernet header.'
        }
        &'pktmon;etl2pcap'= {
            cand -o 'Name of the pcapng file. Default: the log file''s name with .pcapng.'
            cand --out 'Name of the pcapng file. Default: the log file''s name with .pcapng.'
            cand -c 'Keep only the packets of one component, or of the network adapters.'
            cand --component-id 'Keep only the packets of one component, or of the network adapters.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -d 'Convert dropped packets only.'
            cand --drop-only 'Convert dropped packets only.'
            cand --json 'Print the summary in JSON format (docs/schema/etl2pcap.schema.json).'
        }
        &'pktmon;pcapng'= {
            cand -o 'Name of the pcapng file. Default: the log file''s name with .pcapng.'
            cand --out 'Name of the pcapng file. Default: the log file''s name with .pcapng.'
            cand -c 'Keep only the packets of one component, or of the network adapters.'
            cand --component-id 'Keep only the packets of one component, or of the network adapters.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand -d 'Convert dropped packets only.'
            cand --drop-only 'Convert dropped packets only.'
            cand --json 'Print the summary in JSON format (docs/schema/etl2pcap.schema.json).'
        }
        &'pktmon;hex2pkt'= {
            cand -t 'Packet type to decode.'
            cand --type 'Packet type to decode.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
        }
        &'pktmon;extcap'= {
            cand --extcap-version 'The Wireshark version asking (accepted, not needed).'
            cand --extcap-interface 'The interface the other steps are about: pktmon.'
            cand --fifo 'With --capture: the pipe to write the pcapng stream into.'
            cand --extcap-capture-filter 'Wireshark''s capture filter: BPF filters are refused (use the Filter options).'
            cand --extcap-control-in 'Accepted for compatibility (no toolbar controls).'
            cand --extcap-control-out 'Accepted for compatibility (no toolbar controls).'
            cand --comp 'Select components to monitor: all, nics (network adapters only, no loopback or bridges), or a list of component ids from ''pktmon list'', separated by spaces or commas.'
            cand --type 'Select which packets to capture: all, flow (only packets that went on their way), or drop (only packets the kernel dropped).'
            cand --pkt-size 'Number of bytes to log from each packet. To always log the entire packet, set this to 0.'
            cand --flags 'What is logged. The log always holds the packet bytes (0x010) and component information (0x002); 0x001 may be added. Values asking for more (0x004 parsed headers, 0x008 NDIS metadata) or for less are refused.'
            cand -p 'Event provider name or GUID (may be repeated). Only with --trace.'
            cand --provider 'Event provider name or GUID (may be repeated). Only with --trace.'
            cand -k 'Keywords for the provider before it.'
            cand --keywords 'Keywords for the provider before it.'
            cand -l 'Level for the provider before it.'
            cand --level 'Level for the provider before it.'
            cand -f 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.'
            cand --file-name 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.'
            cand -s 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.'
            cand --file-size 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.'
            cand -m 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.'
            cand --log-mode 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.'
            cand --metrics 'Serve the session''s counters, drops, events lost and latency per hop as OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0: any free port (''pktmon status'' shows it). Off by default.'
            cand --ip 'Match IP address or subnet.'
            cand --port 'Match TCP or UDP port.'
            cand --transport 'Match transport protocol (TCP [flags], UDP, ICMP, ICMPv6, number).'
            cand --data-link 'Match data link protocol (IPv4, IPv6, ARP, number).'
            cand --mac 'Match MAC address.'
            cand --vlan 'Match VLAN id.'
            cand --session 'Act on the named session (default: default). Several sessions can run at once.'
            cand --extcap-interfaces 'List the interfaces offered (one: pktmon).'
            cand --extcap-dlts 'Print the interface''s link type.'
            cand --extcap-config 'Print the options of Wireshark''s capture dialog for the interface.'
            cand -c 'Enable packet capture and packet counters.'
            cand --capture 'Enable packet capture and packet counters.'
            cand -o 'Collect packet counters only. No packet logging.'
            cand --counters-only 'Collect packet counters only. No packet logging.'
            cand -d 'Gen 2: capture dropped packets only (= --type drop).'
            cand --drop-only 'Gen 2: capture dropped packets only (= --type drop).'
            cand -t 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.'
            cand --trace 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.'
            cand --json 'With -m real-time: one JSON object per packet and line (NDJSON, flushed per line; docs/schema/realtime-record.schema.json); the session''s parameters and final report go to stderr.'
        }
    ]
    $completions[$command]
}
