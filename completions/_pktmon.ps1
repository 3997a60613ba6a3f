
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pktmon' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pktmon'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pktmon' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Manage packet filters.')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List networking components that can be monitored.')
            [CompletionResult]::new('comp', 'comp', [CompletionResultType]::ParameterValue, 'Gen 2 form of ''pktmon list'' and ''pktmon counters''.')
            [CompletionResult]::new('counters', 'counters', [CompletionResultType]::ParameterValue, 'Display current per-component packet counters: packets and bytes by direction of the packets that passed the filters, and drop counters.')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Reset the running session''s packet counters to zero.')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start packet capture.')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop data collection.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Query current status: the session''s parameters and the packets logged so far.')
            [CompletionResult]::new('unload', 'unload', [CompletionResultType]::ParameterValue, 'Stop any running session and delete all Packet Monitor state (counters, filters, session records).')
            [CompletionResult]::new('etl2txt', 'etl2txt', [CompletionResultType]::ParameterValue, 'Convert a log file to text: one line per packet record, followed by its decode (tcpdump style, one line per encapsulation layer).')
            [CompletionResult]::new('format', 'format', [CompletionResultType]::ParameterValue, 'Convert a log file to text: one line per packet record, followed by its decode (tcpdump style, one line per encapsulation layer).')
            [CompletionResult]::new('etl2pcap', 'etl2pcap', [CompletionResultType]::ParameterValue, 'Convert a log file to pcapng format, keeping the pktmon metadata (direction, PktGroupId, component, drop reason).')
            [CompletionResult]::new('pcapng', 'pcapng', [CompletionResultType]::ParameterValue, 'Convert a log file to pcapng format, keeping the pktmon metadata (direction, PktGroupId, component, drop reason).')
            [CompletionResult]::new('hex2pkt', 'hex2pkt', [CompletionResultType]::ParameterValue, 'Decode a packet given in hexadecimal, as etl2txt prints it.')
            [CompletionResult]::new('extcap', 'extcap', [CompletionResultType]::ParameterValue, 'Wireshark''s extcap interface: Wireshark and tshark capture live through pktmon.')
            break
        }
        'pktmon;filter' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a filter to control which packets are reported.')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Display active packet filters.')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove all packet filters; or, given a filter number or name (as ''pktmon filter list'' shows them), only that filter: the others keep their numbers.')
            break
        }
        'pktmon;filter;add' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Match source or destination MAC address. If a second MAC address is specified, match packets that hold both addresses, in either direction.')
            [CompletionResult]::new('--mac', '--mac', [CompletionResultType]::ParameterName, 'Match source or destination MAC address. If a second MAC address is specified, match packets that hold both addresses, in either direction.')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Match by VLAN Id (VID) in the 802.1Q header.')
            [CompletionResult]::new('--vlan', '--vlan', [CompletionResultType]::ParameterName, 'Match by VLAN Id (VID) in the 802.1Q header.')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Match by data link (layer 2) protocol.')
            [CompletionResult]::new('--data-link', '--data-link', [CompletionResultType]::ParameterName, 'Match by data link (layer 2) protocol.')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Match by transport (layer 4) protocol. To further filter TCP packets, an optional list of TCP flags to match can be provided; all listed flags must be set. Supported flags are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'Match by transport (layer 4) protocol. To further filter TCP packets, an optional list of TCP flags to match can be provided; all listed flags must be set. Supported flags are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Match source or destination IP address (optionally a subnet: 10.0.0.0/24). If a second IP address is specified, match packets that hold both, in either direction.')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Match source or destination IP address (optionally a subnet: 10.0.0.0/24). If a second IP address is specified, match packets that hold both, in either direction.')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Match source or destination TCP or UDP port number. If a second port is specified, match packets that hold both, in either direction.')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Match source or destination TCP or UDP port number. If a second port is specified, match packets that hold both, in either direction.')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Apply the filter to the inner headers of encapsulated packets too (VXLAN, GRE, NVGRE, IP-in-IP). An optional VXLAN port can be given; the default is 4789.')
            [CompletionResult]::new('--encap', '--encap', [CompletionResultType]::ParameterName, 'Apply the filter to the inner headers of encapsulated packets too (VXLAN, GRE, NVGRE, IP-in-IP). An optional VXLAN port can be given; the default is 4789.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Match cluster heartbeat messages over UDP port 3343.')
            [CompletionResult]::new('--heartbeat', '--heartbeat', [CompletionResultType]::ParameterName, 'Match cluster heartbeat messages over UDP port 3343.')
            break
        }
        'pktmon;filter;list' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output in JSON format.')
            break
        }
        'pktmon;filter;remove' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            break
        }
        'pktmon;list' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Show all component types. Only network adapters are displayed by default.')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show all component types. Only network adapters are displayed by default.')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Show components that are hidden by default (loopback).')
            [CompletionResult]::new('--include-hidden', '--include-hidden', [CompletionResultType]::ParameterName, 'Show components that are hidden by default (loopback).')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output in JSON format. Implies -i and -a.')
            break
        }
        'pktmon;comp' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List networking components that can be monitored.')
            [CompletionResult]::new('counters', 'counters', [CompletionResultType]::ParameterValue, 'Display current per-component packet counters: packets and bytes by direction of the packets that passed the filters, and drop counters.')
            break
        }
        'pktmon;comp;list' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Show all component types. Only network adapters are displayed by default.')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show all component types. Only network adapters are displayed by default.')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Show components that are hidden by default (loopback).')
            [CompletionResult]::new('--include-hidden', '--include-hidden', [CompletionResultType]::ParameterName, 'Show components that are hidden by default (loopback).')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output in JSON format. Implies -i and -a.')
            break
        }
        'pktmon;comp;counters' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Select which types of counters to show.')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Select which types of counters to show.')
            [CompletionResult]::new('--refresh-rate', '--refresh-rate', [CompletionResultType]::ParameterName, 'Number of refreshes per second, 1 to 30.')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'table, or the session''s metrics once, as a running session serves them (''start --metrics''): openmetrics (OpenMetrics 1.0) or prometheus (text format 0.0.4, what ''promtool check metrics'' reads).')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Show counters of components that are hidden by default (loopback).')
            [CompletionResult]::new('--include-hidden', '--include-hidden', [CompletionResultType]::ParameterName, 'Show counters of components that are hidden by default (loopback).')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Show counters that are zero in both directions.')
            [CompletionResult]::new('--zero', '--zero', [CompletionResultType]::ParameterName, 'Show counters that are zero in both directions.')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Show the most recent drop reason for each drop counter.')
            [CompletionResult]::new('--drop-reason', '--drop-reason', [CompletionResultType]::ParameterName, 'Show the most recent drop reason for each drop counter.')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output the counters in JSON format. Implies -i and -r.')
            break
        }
        'pktmon;counters' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Select which types of counters to show.')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Select which types of counters to show.')
            [CompletionResult]::new('--refresh-rate', '--refresh-rate', [CompletionResultType]::ParameterName, 'Number of refreshes per second, 1 to 30.')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'table, or the session''s metrics once, as a running session serves them (''start --metrics''): openmetrics (OpenMetrics 1.0) or prometheus (text format 0.0.4, what ''promtool check metrics'' reads).')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Show counters of components that are hidden by default (loopback).')
            [CompletionResult]::new('--include-hidden', '--include-hidden', [CompletionResultType]::ParameterName, 'Show counters of components that are hidden by default (loopback).')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Show counters that are zero in both directions.')
            [CompletionResult]::new('--zero', '--zero', [CompletionResultType]::ParameterName, 'Show counters that are zero in both directions.')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Show the most recent drop reason for each drop counter.')
            [CompletionResult]::new('--drop-reason', '--drop-reason', [CompletionResultType]::ParameterName, 'Show the most recent drop reason for each drop counter.')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per refresh.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output the counters in JSON format. Implies -i and -r.')
            break
        }
        'pktmon;reset' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('--counters', '--counters', [CompletionResultType]::ParameterName, 'Gen 2 form (''reset -counters''): the same.')
            break
        }
        'pktmon;start' {
            [CompletionResult]::new('--comp', '--comp', [CompletionResultType]::ParameterName, 'Select components to monitor: all, nics (network adapters only, no loopback or bridges), or a list of component ids from ''pktmon list'', separated by spaces or commas.')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Select which packets to capture: all, flow (only packets that went on their way), or drop (only packets the kernel dropped).')
            [CompletionResult]::new('--pkt-size', '--pkt-size', [CompletionResultType]::ParameterName, 'Number of bytes to log from each packet. To always log the entire packet, set this to 0.')
            [CompletionResult]::new('--flags', '--flags', [CompletionResultType]::ParameterName, 'What is logged. The log always holds the packet bytes (0x010) and component information (0x002); 0x001 may be added. Values asking for more (0x004 parsed headers, 0x008 NDIS metadata) or for less are refused.')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Event provider name or GUID (may be repeated). Only with --trace.')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Event provider name or GUID (may be repeated). Only with --trace.')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keywords for the provider before it.')
            [CompletionResult]::new('--keywords', '--keywords', [CompletionResultType]::ParameterName, 'Keywords for the provider before it.')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Level for the provider before it.')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Level for the provider before it.')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.')
            [CompletionResult]::new('--file-name', '--file-name', [CompletionResultType]::ParameterName, 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.')
            [CompletionResult]::new('--file-size', '--file-size', [CompletionResultType]::ParameterName, 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.')
            [CompletionResult]::new('--log-mode', '--log-mode', [CompletionResultType]::ParameterName, 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve the session''s counters, drops, events lost and latency per hop as OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0: any free port (''pktmon status'' shows it). Off by default.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Enable packet capture and packet counters.')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Enable packet capture and packet counters.')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Collect packet counters only. No packet logging.')
            [CompletionResult]::new('--counters-only', '--counters-only', [CompletionResultType]::ParameterName, 'Collect packet counters only. No packet logging.')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Gen 2: capture dropped packets only (= --type drop).')
            [CompletionResult]::new('--drop-only', '--drop-only', [CompletionResultType]::ParameterName, 'Gen 2: capture dropped packets only (= --type drop).')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With -m real-time: one JSON object per packet and line (NDJSON, flushed per line; docs/schema/realtime-record.schema.json); the session''s parameters and final report go to stderr.')
            break
        }
        'pktmon;stop' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output the final report in JSON format (docs/schema/stop.schema.json).')
            break
        }
        'pktmon;status' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Display buffer information: the kernel capture ring per component, memory, losses when it was full, how the log is flushed.')
            [CompletionResult]::new('--buffer-info', '--buffer-info', [CompletionResultType]::ParameterName, 'Display buffer information: the kernel capture ring per component, memory, losses when it was full, how the log is flushed.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Output in JSON format.')
            break
        }
        'pktmon;unload' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            break
        }
        'pktmon;etl2txt' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Accepted for compatibility: WPP trace messages are not decoded.')
            [CompletionResult]::new('--tmfpath', '--tmfpath', [CompletionResultType]::ParameterName, 'Accepted for compatibility: WPP trace messages are not decoded.')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.')
            [CompletionResult]::new('--vxlan', '--vxlan', [CompletionResultType]::ParameterName, 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Display log file statistical information only.')
            [CompletionResult]::new('--stats-only', '--stats-only', [CompletionResultType]::ParameterName, 'Display log file statistical information only.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --stats-only: the statistics in JSON format (docs/schema/etl2txt-stats.schema.json).')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Use timestamp-only prefix for events and packets.')
            [CompletionResult]::new('--timestamp-only', '--timestamp-only', [CompletionResultType]::ParameterName, 'Use timestamp-only prefix for events and packets.')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Print event metadata (logging level, keywords).')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'Print event metadata (logging level, keywords).')
            [CompletionResult]::new('--utf16', '--utf16', [CompletionResultType]::ParameterName, 'Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon does. Default: UTF-8 with LF.')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Abbreviated packet format.')
            [CompletionResult]::new('--brief', '--brief', [CompletionResultType]::ParameterName, 'Abbreviated packet format.')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Include hexadecimal dump of the logged bytes.')
            [CompletionResult]::new('--hex', '--hex', [CompletionResultType]::ParameterName, 'Include hexadecimal dump of the logged bytes.')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Don''t print the Ethernet header.')
            [CompletionResult]::new('--no-ethernet', '--no-ethernet', [CompletionResultType]::ParameterName, 'Don''t print the Ethernet header.')
            break
        }
        'pktmon;format' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Name of the formatted text file. Default: the log file''s name with .txt, next to it. ''-'' writes to standard output.')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Accepted for compatibility: WPP trace messages are not decoded.')
            [CompletionResult]::new('--tmfpath', '--tmfpath', [CompletionResultType]::ParameterName, 'Accepted for compatibility: WPP trace messages are not decoded.')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Verbosity level 1..3 (IP header details, checksums, DNS sections). Without a level (Gen 2 ''format -v''): 1.')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.')
            [CompletionResult]::new('--vxlan', '--vxlan', [CompletionResultType]::ParameterName, 'Custom VXLAN port. Without a port (Gen 2 ''format -l''): the default.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Display log file statistical information only.')
            [CompletionResult]::new('--stats-only', '--stats-only', [CompletionResultType]::ParameterName, 'Display log file statistical information only.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --stats-only: the statistics in JSON format (docs/schema/etl2txt-stats.schema.json).')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Use timestamp-only prefix for events and packets.')
            [CompletionResult]::new('--timestamp-only', '--timestamp-only', [CompletionResultType]::ParameterName, 'Use timestamp-only prefix for events and packets.')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Print event metadata (logging level, keywords).')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'Print event metadata (logging level, keywords).')
            [CompletionResult]::new('--utf16', '--utf16', [CompletionResultType]::ParameterName, 'Write UTF-16LE with a byte order mark and CRLF line ends, as Windows pktmon does. Default: UTF-8 with LF.')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Abbreviated packet format.')
            [CompletionResult]::new('--brief', '--brief', [CompletionResultType]::ParameterName, 'Abbreviated packet format.')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Include hexadecimal dump of the logged bytes.')
            [CompletionResult]::new('--hex', '--hex', [CompletionResultType]::ParameterName, 'Include hexadecimal dump of the logged bytes.')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Don''t print the Ethernet header.')
            [CompletionResult]::new('--no-ethernet', '--no-ethernet', [CompletionResultType]::ParameterName, 'Don''t print the Ethernet header.')
            break
        }
        'pktmon;etl2pcap' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Name of the pcapng file. Default: the log file''s name with .pcapng.')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Name of the pcapng file. Default: the log file''s name with .pcapng.')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Keep only the packets of one component, or of the network adapters.')
            [CompletionResult]::new('--component-id', '--component-id', [CompletionResultType]::ParameterName, 'Keep only the packets of one component, or of the network adapters.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Convert dropped packets only.')
            [CompletionResult]::new('--drop-only', '--drop-only', [CompletionResultType]::ParameterName, 'Convert dropped packets only.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the summary in JSON format (docs/schema/etl2pcap.schema.json).')
            break
        }
        'pktmon;pcapng' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Name of the pcapng file. Default: the log file''s name with .pcapng.')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Name of the pcapng file. Default: the log file''s name with .pcapng.')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Keep only the packets of one component, or of the network adapters.')
            [CompletionResult]::new('--component-id', '--component-id', [CompletionResultType]::ParameterName, 'Keep only the packets of one component, or of the network adapters.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Convert dropped packets only.')
            [CompletionResult]::new('--drop-only', '--drop-only', [CompletionResultType]::ParameterName, 'Convert dropped packets only.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the summary in JSON format (docs/schema/etl2pcap.schema.json).')
            break
        }
        'pktmon;hex2pkt' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Packet type to decode.')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Packet type to decode.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            break
        }
        'pktmon;extcap' {
            [CompletionResult]::new('--extcap-version', '--extcap-version', [CompletionResultType]::ParameterName, 'The Wireshark version asking (accepted, not needed).')
            [CompletionResult]::new('--extcap-interface', '--extcap-interface', [CompletionResultType]::ParameterName, 'The interface the other steps are about: pktmon.')
            [CompletionResult]::new('--fifo', '--fifo', [CompletionResultType]::ParameterName, 'With --capture: the pipe to write the pcapng stream into.')
            [CompletionResult]::new('--extcap-capture-filter', '--extcap-capture-filter', [CompletionResultType]::ParameterName, 'Wireshark''s capture filter: BPF filters are refused (use the Filter options).')
            [CompletionResult]::new('--extcap-control-in', '--extcap-control-in', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no toolbar controls).')
            [CompletionResult]::new('--extcap-control-out', '--extcap-control-out', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no toolbar controls).')
            [CompletionResult]::new('--comp', '--comp', [CompletionResultType]::ParameterName, 'Select components to monitor: all, nics (network adapters only, no loopback or bridges), or a list of component ids from ''pktmon list'', separated by spaces or commas.')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Select which packets to capture: all, flow (only packets that went on their way), or drop (only packets the kernel dropped).')
            [CompletionResult]::new('--pkt-size', '--pkt-size', [CompletionResultType]::ParameterName, 'Number of bytes to log from each packet. To always log the entire packet, set this to 0.')
            [CompletionResult]::new('--flags', '--flags', [CompletionResultType]::ParameterName, 'What is logged. The log always holds the packet bytes (0x010) and component information (0x002); 0x001 may be added. Values asking for more (0x004 parsed headers, 0x008 NDIS metadata) or for less are refused.')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Event provider name or GUID (may be repeated). Only with --trace.')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Event provider name or GUID (may be repeated). Only with --trace.')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keywords for the provider before it.')
            [CompletionResult]::new('--keywords', '--keywords', [CompletionResultType]::ParameterName, 'Keywords for the provider before it.')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Level for the provider before it.')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Level for the provider before it.')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.')
            [CompletionResult]::new('--file-name', '--file-name', [CompletionResultType]::ParameterName, 'Log file name, in the current directory unless a path is given. The content is pcapng whatever the name (Wireshark and tshark read it by content); ''pktmon etl2pcap PktMon.etl'' writes PktMon.pcapng beside it.')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.')
            [CompletionResult]::new('--file-size', '--file-size', [CompletionResultType]::ParameterName, 'Maximum log size in megabytes: of the file in circular mode (the oldest packets give way to the newest), of each file in multi-file mode, of the memory buffer in memory mode.')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.')
            [CompletionResult]::new('--log-mode', '--log-mode', [CompletionResultType]::ParameterName, 'circular: one log file of at most --file-size; when full, the oldest packets give way to the newest. multi-file: a new file each time the current one reaches --file-size, numbered before the extension (PktMon1.etl, PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the log file at stop (a killed session loses it). real-time: print every packet on the console as it arrives, until Ctrl+C or ''pktmon stop''; no log file.')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve the session''s counters, drops, events lost and latency per hop as OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0: any free port (''pktmon status'' shows it). Off by default.')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Match IP address or subnet.')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Match TCP or UDP port.')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'Match transport protocol (TCP [flags], UDP, ICMP, ICMPv6, number).')
            [CompletionResult]::new('--data-link', '--data-link', [CompletionResultType]::ParameterName, 'Match data link protocol (IPv4, IPv6, ARP, number).')
            [CompletionResult]::new('--mac', '--mac', [CompletionResultType]::ParameterName, 'Match MAC address.')
            [CompletionResult]::new('--vlan', '--vlan', [CompletionResultType]::ParameterName, 'Match VLAN id.')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Act on the named session (default: default). Several sessions can run at once.')
            [CompletionResult]::new('--extcap-interfaces', '--extcap-interfaces', [CompletionResultType]::ParameterName, 'List the interfaces offered (one: pktmon).')
            [CompletionResult]::new('--extcap-dlts', '--extcap-dlts', [CompletionResultType]::ParameterName, 'Print the interface''s link type.')
            [CompletionResult]::new('--extcap-config', '--extcap-config', [CompletionResultType]::ParameterName, 'Print the options of Wireshark''s capture dialog for the interface.')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Enable packet capture and packet counters.')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Enable packet capture and packet counters.')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Collect packet counters only. No packet logging.')
            [CompletionResult]::new('--counters-only', '--counters-only', [CompletionResultType]::ParameterName, 'Collect packet counters only. No packet logging.')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Gen 2: capture dropped packets only (= --type drop).')
            [CompletionResult]::new('--drop-only', '--drop-only', [CompletionResultType]::ParameterName, 'Gen 2: capture dropped packets only (= --type drop).')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'ETW event collection: parsed for compatibility, with a warning that it does not exist on this platform; the packet capture given with it runs.')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With -m real-time: one JSON object per packet and line (NDJSON, flushed per line; docs/schema/realtime-record.schema.json); the session''s parameters and final report go to stderr.')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
