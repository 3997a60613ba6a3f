//! The pktmon command tree in one table: every command's options, their values, their
//! defaults, their Gen 2 spellings and their help. The clap parser ([`crate::cli`]) and
//! the help text ([`crate::help`]) are both built from it, so `pktmon start help` cannot
//! leave out what `pktmon start` accepts, nor state another default.

/// What an option takes.
#[derive(Clone, Copy, Debug)]
pub enum Takes {
    /// Nothing (a switch).
    Flag,
    /// One value, shown as the given placeholder (`<bytes>`).
    Value(&'static str),
    /// One value per occurrence; the option may be repeated (`-p A -p B`).
    Repeated(&'static str),
    /// One of these words (any case).
    Choice(&'static [&'static str]),
    /// `min..=max` values after the option (`-m <mac> [mac2]`), shown as given.
    Values(&'static str, usize, usize),
    /// Values separated by spaces or commas (`--comp 4,5 6`), shown as given.
    List(&'static str),
    /// An optional value (Gen 2 `format -v`): shown as given; the second field is the value
    /// when the option comes without one.
    Optional(&'static str, &'static str),
    /// A positional argument: placeholder, required, how many (`usize::MAX`: any).
    Positional(&'static str, bool, usize),
}

/// How a value is checked (and typed) by the parser.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    Text,
    U8(u8, u8),
    U16(u16, u16),
    U32(u32, u32),
    U64(u64, u64),
}

/// One option of one command.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub id: &'static str,
    pub short: Option<char>,
    /// The long name (`None` for a positional argument).
    pub long: Option<&'static str>,
    /// Other spellings accepted (Gen 2 and long forms).
    pub aliases: &'static [&'static str],
    pub takes: Takes,
    pub check: Check,
    /// The value when the option is not given (the parser fills it in; help shows it).
    pub default: Option<&'static str>,
    /// An option that is only valid together with this one.
    pub requires: Option<&'static str>,
    pub help: &'static str,
}

const fn opt(id: &'static str, short: Option<char>, takes: Takes, help: &'static str) -> Opt {
    Opt {
        id,
        short,
        long: Some(id),
        aliases: &[],
        takes,
        check: Check::Text,
        default: None,
        requires: None,
        help,
    }
}

const fn flag(id: &'static str, short: Option<char>, help: &'static str) -> Opt {
    opt(id, short, Takes::Flag, help)
}

const fn positional(
    id: &'static str,
    shown: &'static str,
    required: bool,
    help: &'static str,
) -> Opt {
    Opt {
        long: None,
        ..opt(id, None, Takes::Positional(shown, required, 1), help)
    }
}

/// A titled group of options in the help (`None`: no title).
#[derive(Clone, Copy, Debug)]
pub struct Section {
    pub title: Option<&'static str>,
    pub opts: &'static [Opt],
}

/// One command: where it is in the tree, its synopsis and text, its options.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec {
    /// `["filter", "add"]`.
    pub path: &'static [&'static str],
    /// Other names of the same command (Gen 2: `format` for `etl2txt`).
    pub other_names: &'static [&'static [&'static str]],
    /// The synopsis and what the command does (help's first lines).
    pub synopsis: &'static str,
    pub sections: &'static [Section],
    /// Examples and Gen 2 forms, after the options.
    pub footer: &'static str,
}

impl CommandSpec {
    pub fn opts(&self) -> impl Iterator<Item = &'static Opt> + '_ {
        self.sections.iter().flat_map(|s| s.opts.iter())
    }

    /// What the command does, as one paragraph: the synopsis' text after its usage lines
    /// (those start with `pktmon` or continue one, indented further), up to a blank line.
    pub fn description(&self) -> String {
        let is_text = |l: &&str| l.starts_with("    ") && !l.starts_with("     ");
        let words: Vec<&str> = self
            .synopsis
            .lines()
            .skip_while(|l| !is_text(l))
            .take_while(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect();
        words.join(" ")
    }
}

/// The global `--session` option: every command takes it.
pub const SESSION: Opt = opt(
    "session",
    None,
    Takes::Value("<name>"),
    "Act on the named session (default: default). Several sessions can run at once.",
);

/// Default `start --pkt-size` (bytes logged per packet).
pub const DEFAULT_PKT_SIZE: &str = "128";
/// Default log file, as on Windows (the content is pcapng: readers go by content).
pub const DEFAULT_LOG_FILE: &str = "PktMon.etl";
/// Default VXLAN port (`etl2txt -l`, and `-l` without a port).
pub const DEFAULT_VXLAN_PORT: &str = "4789";

const LIST_OPTS: &[Opt] = &[
    flag(
        "all",
        Some('a'),
        "Show all component types. Only network adapters are displayed by default.",
    ),
    Opt {
        aliases: &["show-hidden"],
        ..flag(
            "include-hidden",
            Some('i'),
            "Show components that are hidden by default (loopback).",
        )
    },
    flag("json", None, "Output in JSON format. Implies -i and -a."),
];

const LIST: CommandSpec = CommandSpec {
    path: &["list"],
    other_names: &[&["comp", "list"], &["comp"]],
    synopsis: "\
pktmon list [--all] [--include-hidden] [--json]
    List networking components that can be monitored.
",
    sections: &[Section {
        title: None,
        opts: LIST_OPTS,
    }],
    footer: "Gen 2 form: pktmon comp list [--show-hidden] [--json]\n",
};

const START_CAPTURE: &[Opt] = &[
    Opt {
        aliases: &["etw"],
        ..flag(
            "capture",
            Some('c'),
            "Enable packet capture and packet counters.",
        )
    },
    flag(
        "counters-only",
        Some('o'),
        "Collect packet counters only. No packet logging.",
    ),
    Opt {
        aliases: &["components"],
        default: Some("all"),
        ..opt(
            "comp",
            None,
            Takes::List("{ all | nics | id1 id2 ... }"),
            "Select components to monitor: all, nics (network adapters only, no loopback\n\
             or bridges), or a list of component ids from 'pktmon list', separated by\n\
             spaces or commas.",
        )
    },
    Opt {
        default: Some("all"),
        ..opt(
            "type",
            None,
            Takes::Choice(&["all", "flow", "drop"]),
            "Select which packets to capture: all, flow (only packets that went on their\n\
             way), or drop (only packets the kernel dropped).",
        )
    },
    flag(
        "drop-only",
        Some('d'),
        "Gen 2: capture dropped packets only (= --type drop).",
    ),
    Opt {
        aliases: &["packet-size"],
        check: Check::U32(0, u32::MAX),
        default: Some(DEFAULT_PKT_SIZE),
        ..opt(
            "pkt-size",
            None,
            Takes::Value("<bytes>"),
            "Number of bytes to log from each packet. To always log the entire packet,\n\
             set this to 0.",
        )
    },
    Opt {
        default: Some("0x012"),
        ..opt(
            "flags",
            None,
            Takes::Value("<mask>"),
            "What is logged. The log always holds the packet bytes (0x010) and component\n\
             information (0x002); 0x001 may be added. Values asking for more (0x004\n\
             parsed headers, 0x008 NDIS metadata) or for less are refused.",
        )
    },
];

const START_TRACE: &[Opt] = &[
    flag(
        "trace",
        Some('t'),
        "ETW event collection: parsed for compatibility, with a warning that it does not\n\
         exist on this platform; the packet capture given with it runs.",
    ),
    Opt {
        requires: Some("trace"),
        ..opt(
            "provider",
            Some('p'),
            Takes::Repeated("<name>"),
            "Event provider name or GUID (may be repeated). Only with --trace.",
        )
    },
    Opt {
        requires: Some("provider"),
        ..opt(
            "keywords",
            Some('k'),
            Takes::Repeated("<k>"),
            "Keywords for the provider before it.",
        )
    },
    Opt {
        requires: Some("provider"),
        ..opt(
            "level",
            Some('l'),
            Takes::Repeated("<n>"),
            "Level for the provider before it.",
        )
    },
];

const START_LOGGING: &[Opt] = &[
    Opt {
        default: Some(DEFAULT_LOG_FILE),
        ..opt(
            "file-name",
            Some('f'),
            Takes::Value("<name>"),
            "Log file name, in the current directory unless a path is given. The content\n\
             is pcapng whatever the name (Wireshark and tshark read it by content);\n\
             'pktmon etl2pcap PktMon.etl' writes PktMon.pcapng beside it.",
        )
    },
    Opt {
        check: Check::U64(1, 1_048_576),
        default: Some("512"),
        ..opt(
            "file-size",
            Some('s'),
            Takes::Value("<size>"),
            "Maximum log size in megabytes: of the file in circular mode (the oldest\n\
             packets give way to the newest), of each file in multi-file mode, of the\n\
             memory buffer in memory mode.",
        )
    },
    Opt {
        default: Some("circular"),
        ..opt(
            "log-mode",
            Some('m'),
            Takes::Choice(&["circular", "multi-file", "memory", "real-time"]),
            "circular: one log file of at most --file-size; when full, the oldest packets\n\
             give way to the newest. multi-file: a new file each time the current one\n\
             reaches --file-size, numbered before the extension (PktMon1.etl,\n\
             PktMon2.etl, ...). memory: a ring of --file-size in memory, written to the\n\
             log file at stop (a killed session loses it). real-time: print every packet\n\
             on the console as it arrives, until Ctrl+C or 'pktmon stop'; no log file.",
        )
    },
    opt(
        "metrics",
        None,
        Takes::Value("<[address:]port>"),
        "Serve the session's counters, drops, events lost and latency per hop as\n\
         OpenMetrics over HTTP (GET /metrics) while it runs. A port alone listens on\n\
         loopback (127.0.0.1); give an address (0.0.0.0:9464) to serve others. Port 0:\n\
         any free port ('pktmon status' shows it). Off by default.",
    ),
    Opt {
        requires: Some("log-mode"),
        ..flag(
            "json",
            None,
            "With -m real-time: one JSON object per packet and line (NDJSON, flushed per\n\
             line; docs/schema/realtime-record.schema.json); the session's parameters and\n\
             final report go to stderr.",
        )
    },
];

const START: CommandSpec = CommandSpec {
    path: &["start"],
    other_names: &[],
    synopsis: "\
pktmon start --capture [--counters-only] [--comp <selector>] [--type <type>]
             [--pkt-size <bytes>] [--flags <mask>] [--trace -p <provider> ...]
             [--file-name <name>] [--file-size <size>] [--log-mode <mode>]
             [--metrics <[address:]port>]
    Start packet capture. Returns when capture is armed on every selected component:
    a packet sent after 'pktmon start' returns is in the log.
",
    sections: &[
        Section {
            title: Some("Packet capture"),
            opts: START_CAPTURE,
        },
        Section {
            title: Some("Event collection"),
            opts: START_TRACE,
        },
        Section {
            title: Some("Logging"),
            opts: START_LOGGING,
        },
    ],
    footer: "\
Examples
    pktmon start --capture
    pktmon start --capture --counters-only
    pktmon start --capture --comp nics --pkt-size 0 -f /tmp/ci.etl
    pktmon start --capture -m real-time
",
};

const STOP: CommandSpec = CommandSpec {
    path: &["stop"],
    other_names: &[],
    synopsis: "\
pktmon stop [--json]
    Stop data collection. Returns once the log file is complete and closed, and
    prints its path and how many events were lost. Exit code 3 when nothing runs.
",
    sections: &[Section {
        title: None,
        opts: &[flag(
            "json",
            None,
            "Output the final report in JSON format (docs/schema/stop.schema.json).",
        )],
    }],
    footer: "",
};

const STATUS: CommandSpec = CommandSpec {
    path: &["status"],
    other_names: &[],
    synopsis: "\
pktmon status [--buffer-info] [--json]
    Query current status: the session's parameters and the packets logged so far.
    Exit code 0 when running, 3 when not running, 1 when the session's process died.
",
    sections: &[Section {
        title: None,
        opts: &[
            flag(
                "buffer-info",
                Some('b'),
                "Display buffer information: the kernel capture ring per component, memory,\n\
                 losses when it was full, how the log is flushed.",
            ),
            flag("json", None, "Output in JSON format."),
        ],
    }],
    footer: "",
};

const UNLOAD: CommandSpec = CommandSpec {
    path: &["unload"],
    other_names: &[],
    synopsis: "\
pktmon unload
    Stop any running session and delete all Packet Monitor state (counters,
    filters, session records). Log files are kept.
",
    sections: &[],
    footer: "",
};

const FILTER: CommandSpec = CommandSpec {
    path: &["filter"],
    other_names: &[],
    synopsis: "\
pktmon filter <command> [OPTIONS | help]
    Manage packet filters. Filters stay until removed or 'pktmon unload', and apply to
    every session started after they were added.

Commands
    list       Display active packet filters.
    add        Add a filter to control which packets are reported.
    remove     Remove all filters, or one by number or name.
",
    sections: &[],
    footer: "",
};

const FILTER_ADD: CommandSpec = CommandSpec {
    path: &["filter", "add"],
    other_names: &[],
    synopsis: "\
pktmon filter add <name> [-m <mac> [mac2]] [-v <vlan>] [-d { IPv4 | IPv6 | ARP | number }]
                         [-t { TCP [flags...] | UDP | ICMP | ICMPv6 | number }]
                         [-i <ip> [ip2]] [-p <port> [port2]] [-b] [-e [port]]
    Add a filter to control which packets are reported. For a packet to be reported, it
    must match all conditions specified in at least one filter. Up to 32 filters can be
    active at once.
",
    sections: &[Section {
        title: None,
        opts: &[
            positional("name", "<name>", false, "Name of the filter (optional)."),
            Opt {
                aliases: &["mac-address"],
                ..opt(
                    "mac",
                    Some('m'),
                    Takes::Values("<mac> [mac2]", 1, 2),
                    "Match source or destination MAC address. If a second MAC address is\n\
                     specified, match packets that hold both addresses, in either direction.",
                )
            },
            opt(
                "vlan",
                Some('v'),
                Takes::Values("<vlan>", 1, 1),
                "Match by VLAN Id (VID) in the 802.1Q header.",
            ),
            Opt {
                aliases: &["data-link-protocol", "ethertype"],
                ..opt(
                    "data-link",
                    Some('d'),
                    Takes::Values("{ IPv4 | IPv6 | ARP | number }", 1, 1),
                    "Match by data link (layer 2) protocol.",
                )
            },
            Opt {
                aliases: &["transport-protocol", "ip-protocol"],
                ..opt(
                    "transport",
                    Some('t'),
                    Takes::Values("{ TCP [flags...] | UDP | ICMP | ICMPv6 | number }", 1, 9),
                    "Match by transport (layer 4) protocol. To further filter TCP packets, an\n\
                     optional list of TCP flags to match can be provided; all listed flags\n\
                     must be set. Supported flags are FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.",
                )
            },
            Opt {
                aliases: &["ip-address"],
                ..opt(
                    "ip",
                    Some('i'),
                    Takes::Values("<ip> [ip2]", 1, 2),
                    "Match source or destination IP address (optionally a subnet: 10.0.0.0/24).\n\
                     If a second IP address is specified, match packets that hold both, in\n\
                     either direction.",
                )
            },
            opt(
                "port",
                Some('p'),
                Takes::Values("<port> [port2]", 1, 2),
                "Match source or destination TCP or UDP port number. If a second port is\n\
                 specified, match packets that hold both, in either direction.",
            ),
            flag(
                "heartbeat",
                Some('b'),
                "Match cluster heartbeat messages over UDP port 3343.",
            ),
            opt(
                "encap",
                Some('e'),
                Takes::Values("[port]", 0, 1),
                "Apply the filter to the inner headers of encapsulated packets too (VXLAN,\n\
                 GRE, NVGRE, IP-in-IP). An optional VXLAN port can be given; the default\n\
                 is 4789.",
            ),
        ],
    }],
    footer: "\
Examples
    pktmon filter add MyPing -i 10.10.10.10 -t ICMP
    pktmon filter add MySmbSyn -i 10.10.10.10 -t TCP SYN -p 445
    pktmon filter add MySubnet -i 10.10.10.0/24
",
};

const FILTER_LIST: CommandSpec = CommandSpec {
    path: &["filter", "list"],
    other_names: &[],
    synopsis: "\
pktmon filter list [--json]
    Display active packet filters.
",
    sections: &[Section {
        title: None,
        opts: &[flag("json", None, "Output in JSON format.")],
    }],
    footer: "",
};

const FILTER_REMOVE: CommandSpec = CommandSpec {
    path: &["filter", "remove"],
    other_names: &[],
    synopsis: "\
pktmon filter remove [<number> | <name>]
    Remove all packet filters; or, given a filter number or name (as 'pktmon filter list'
    shows them), only that filter: the others keep their numbers.
",
    sections: &[Section {
        title: None,
        opts: &[positional(
            "which",
            "<number> | <name>",
            false,
            "The filter to remove. Without it, all filters are removed.",
        )],
    }],
    footer: "",
};

const COUNTERS: CommandSpec = CommandSpec {
    path: &["counters"],
    other_names: &[&["comp", "counters"]],
    synopsis: "\
pktmon counters [--type { all | flow | drop }] [--include-hidden] [--zero]
                [--drop-reason] [--live] [--refresh-rate <n>] [--json]
                [--format { table | openmetrics | prometheus }]
    Display current per-component packet counters: packets and bytes by direction of
    the packets that passed the filters, and drop counters. After 'pktmon stop' it
    shows the last session's final counters. Exit code 3 when there are none.
",
    sections: &[Section {
        title: None,
        opts: &[
            Opt {
                aliases: &["counter-type"],
                default: Some("all"),
                ..opt(
                    "type",
                    Some('t'),
                    Takes::Choice(&["all", "flow", "drop"]),
                    "Select which types of counters to show.",
                )
            },
            Opt {
                aliases: &["show-hidden"],
                ..flag(
                    "include-hidden",
                    Some('i'),
                    "Show counters of components that are hidden by default (loopback).",
                )
            },
            Opt {
                aliases: &["show-zeros"],
                ..flag(
                    "zero",
                    Some('z'),
                    "Show counters that are zero in both directions.",
                )
            },
            flag(
                "drop-reason",
                Some('r'),
                "Show the most recent drop reason for each drop counter.",
            ),
            flag(
                "live",
                None,
                "Automatically refresh the counters; Ctrl+C stops. Piped, one snapshot per\n\
                 refresh.",
            ),
            Opt {
                check: Check::U32(1, 30),
                default: Some("10"),
                ..opt(
                    "refresh-rate",
                    None,
                    Takes::Value("<n>"),
                    "Number of refreshes per second, 1 to 30.",
                )
            },
            flag(
                "json",
                None,
                "Output the counters in JSON format. Implies -i and -r.",
            ),
            Opt {
                default: Some("table"),
                ..opt(
                    "format",
                    None,
                    Takes::Choice(&["table", "openmetrics", "prometheus"]),
                    "table, or the session's metrics once, as a running session serves them\n\
                     ('start --metrics'): openmetrics (OpenMetrics 1.0) or prometheus (text\n\
                     format 0.0.4, what 'promtool check metrics' reads).",
                )
            },
        ],
    }],
    footer: "\
Gen 2 form: pktmon comp counters [--counter-type ...] [--show-zeros] [--show-hidden] [--json]
",
};

const RESET: CommandSpec = CommandSpec {
    path: &["reset"],
    other_names: &[],
    synopsis: "\
pktmon reset
    Reset the running session's packet counters to zero. Exit code 3 when nothing runs.
",
    sections: &[Section {
        title: None,
        opts: &[flag(
            "counters",
            None,
            "Gen 2 form ('reset -counters'): the same.",
        )],
    }],
    footer: "",
};

const ETL2TXT: CommandSpec = CommandSpec {
    path: &["etl2txt"],
    other_names: &[&["format"]],
    synopsis: "\
pktmon etl2txt <file> [--out <name>] [--stats-only [--json]] [--timestamp-only] [--metadata]
                      [--tmfpath <path>] [--brief] [--verbose <n>] [--hex]
                      [--no-ethernet] [--vxlan <port>] [--utf16]
    Convert a log file to text: one line per packet record, followed by its decode
    (tcpdump style, one line per encapsulation layer). Reads pcap and pcapng files
    from any tool and Windows pktmon .etl logs; the format is told by the file's
    first bytes, not its name.
",
    sections: &[
        Section {
            title: None,
            opts: &[
                positional("file", "<file>", true, "Log file to convert."),
                opt(
                    "out",
                    Some('o'),
                    Takes::Value("<name>"),
                    "Name of the formatted text file. Default: the log file's name with .txt,\n\
                     next to it. '-' writes to standard output.",
                ),
                flag(
                    "stats-only",
                    Some('s'),
                    "Display log file statistical information only.",
                ),
                Opt {
                    requires: Some("stats-only"),
                    ..flag(
                        "json",
                        None,
                        "With --stats-only: the statistics in JSON format\n\
                         (docs/schema/etl2txt-stats.schema.json).",
                    )
                },
                flag(
                    "timestamp-only",
                    Some('t'),
                    "Use timestamp-only prefix for events and packets.",
                ),
                flag(
                    "metadata",
                    Some('m'),
                    "Print event metadata (logging level, keywords).",
                ),
                opt(
                    "tmfpath",
                    Some('p'),
                    Takes::Value("<path>"),
                    "Accepted for compatibility: WPP trace messages are not decoded.",
                ),
                flag(
                    "utf16",
                    None,
                    "Write UTF-16LE with a byte order mark and CRLF line ends, as Windows\n\
                     pktmon does. Default: UTF-8 with LF.",
                ),
            ],
        },
        Section {
            title: Some("Network packet formatting options"),
            opts: &[
                flag("brief", Some('b'), "Abbreviated packet format."),
                Opt {
                    check: Check::U8(1, 3),
                    ..opt(
                        "verbose",
                        Some('v'),
                        Takes::Optional("[<n>]", "1"),
                        "Verbosity level 1..3 (IP header details, checksums, DNS sections).\n\
                         Without a level (Gen 2 'format -v'): 1.",
                    )
                },
                flag(
                    "hex",
                    Some('x'),
                    "Include hexadecimal dump of the logged bytes.",
                ),
                flag("no-ethernet", Some('e'), "Don't print the Ethernet header."),
                Opt {
                    check: Check::U16(1, u16::MAX),
                    default: Some(DEFAULT_VXLAN_PORT),
                    ..opt(
                        "vxlan",
                        Some('l'),
                        Takes::Optional("[<port>]", DEFAULT_VXLAN_PORT),
                        "Custom VXLAN port. Without a port (Gen 2 'format -l'): the default.",
                    )
                },
            ],
        },
    ],
    footer: "\
Example
    pktmon etl2txt PktMon.etl -o - | less

Gen 2 form: pktmon format <file> [-o <name>] [-b] [-v [n]] [-x] [-e] [-l [port]]
",
};

const ETL2PCAP: CommandSpec = CommandSpec {
    path: &["etl2pcap"],
    other_names: &[&["pcapng"]],
    synopsis: "\
pktmon etl2pcap <file> [--out <name>] [--drop-only] [--component-id <id>] [--json]
    Convert a log file to pcapng format, keeping the pktmon metadata (direction,
    PktGroupId, component, drop reason). Dropped packets are not included by
    default.
",
    sections: &[Section {
        title: None,
        opts: &[
            positional(
                "file",
                "<file>",
                true,
                "Log file to convert (pcap, pcapng or Windows .etl).",
            ),
            opt(
                "out",
                Some('o'),
                Takes::Value("<name>"),
                "Name of the pcapng file. Default: the log file's name with .pcapng.",
            ),
            flag("drop-only", Some('d'), "Convert dropped packets only."),
            flag(
                "json",
                None,
                "Print the summary in JSON format (docs/schema/etl2pcap.schema.json).",
            ),
            opt(
                "component-id",
                Some('c'),
                Takes::Value("{ <id> | nics }"),
                "Keep only the packets of one component, or of the network adapters.",
            ),
        ],
    }],
    footer: "Gen 2 form: pktmon pcapng <file> [-o <name>] [-d] [-c <id>]\n",
};

const HEX2PKT: CommandSpec = CommandSpec {
    path: &["hex2pkt"],
    other_names: &[],
    synopsis: "\
pktmon hex2pkt <hex> [--type { Ethernet | IP | HTTP }]
    Decode a packet given in hexadecimal, as etl2txt prints it. The hex may have
    spaces, 0x prefixes, colons or dashes between the bytes.
",
    sections: &[Section {
        title: None,
        opts: &[
            Opt {
                takes: Takes::Positional("<hex>", true, usize::MAX),
                ..positional("hex", "<hex>", true, "The packet bytes in hexadecimal.")
            },
            Opt {
                default: Some("Ethernet"),
                ..opt(
                    "type",
                    Some('t'),
                    Takes::Choice(&["Ethernet", "IP", "HTTP"]),
                    "Packet type to decode.",
                )
            },
        ],
    }],
    footer: "\
Example
    pktmon hex2pkt 00155d01be1e7085c286c72008004500...
",
};

const EXTCAP_PROTOCOL: &[Opt] = &[
    flag(
        "extcap-interfaces",
        None,
        "List the interfaces offered (one: pktmon).",
    ),
    opt(
        "extcap-version",
        None,
        Takes::Value("<version>"),
        "The Wireshark version asking (accepted, not needed).",
    ),
    opt(
        "extcap-interface",
        None,
        Takes::Value("<interface>"),
        "The interface the other steps are about: pktmon.",
    ),
    flag("extcap-dlts", None, "Print the interface's link type."),
    flag(
        "extcap-config",
        None,
        "Print the options of Wireshark's capture dialog for the interface.",
    ),
    opt(
        "fifo",
        None,
        Takes::Value("<path>"),
        "With --capture: the pipe to write the pcapng stream into.",
    ),
    opt(
        "extcap-capture-filter",
        None,
        Takes::Value("<filter>"),
        "Wireshark's capture filter: BPF filters are refused (use the Filter options).",
    ),
    opt(
        "extcap-control-in",
        None,
        Takes::Value("<path>"),
        "Accepted for compatibility (no toolbar controls).",
    ),
    opt(
        "extcap-control-out",
        None,
        Takes::Value("<path>"),
        "Accepted for compatibility (no toolbar controls).",
    ),
];

/// The capture dialog's filter: one filter as 'pktmon filter add' takes it, each field one
/// value (several words separated by spaces or commas).
const EXTCAP_FILTER: &[Opt] = &[
    opt(
        "ip",
        None,
        Takes::Value("<ip> [ip2]"),
        "Match IP address or subnet.",
    ),
    opt(
        "port",
        None,
        Takes::Value("<port> [port2]"),
        "Match TCP or UDP port.",
    ),
    opt(
        "transport",
        None,
        Takes::Value("<protocol> [flags]"),
        "Match transport protocol (TCP [flags], UDP, ICMP, ICMPv6, number).",
    ),
    opt(
        "data-link",
        None,
        Takes::Value("<protocol>"),
        "Match data link protocol (IPv4, IPv6, ARP, number).",
    ),
    opt(
        "mac",
        None,
        Takes::Value("<mac> [mac2]"),
        "Match MAC address.",
    ),
    opt("vlan", None, Takes::Value("<vlan>"), "Match VLAN id."),
];

const EXTCAP: CommandSpec = CommandSpec {
    path: &["extcap"],
    other_names: &[],
    synopsis: "\
pktmon extcap --extcap-interfaces | --extcap-dlts --extcap-interface pktmon
            | --extcap-config --extcap-interface pktmon
            | --capture --extcap-interface pktmon --fifo <path> [start options] [filter]
    Wireshark's extcap interface: Wireshark and tshark capture live through pktmon.
    Install: a symlink named pktmon-extcap to pktmon in Wireshark's extcap folder (see
    'About Wireshark > Folders', or ~/.local/lib/wireshark/extcap); started under that
    name, pktmon acts as 'pktmon extcap'. The capture is a real-time session writing
    our pcapng (an interface per component, drops with their reasons) into the fifo.
",
    sections: &[
        Section {
            title: Some("Extcap steps"),
            opts: EXTCAP_PROTOCOL,
        },
        Section {
            title: Some("Capture (as 'pktmon start'; --capture is the extcap step)"),
            opts: START_CAPTURE,
        },
        Section {
            title: Some("Event collection"),
            opts: START_TRACE,
        },
        Section {
            title: Some("Logging (the capture is always real-time)"),
            opts: START_LOGGING,
        },
        Section {
            title: Some("Filter (instead of the stored filters)"),
            opts: EXTCAP_FILTER,
        },
    ],
    footer: "\
Examples
    ln -s \"$(command -v pktmon)\" ~/.local/lib/wireshark/extcap/pktmon-extcap
    tshark -D
    sudo tshark -i pktmon -a duration:10 -w capture.pcapng
",
};

/// Every command, in the order of the top-level help.
pub const COMMANDS: &[CommandSpec] = &[
    FILTER,
    FILTER_ADD,
    FILTER_LIST,
    FILTER_REMOVE,
    LIST,
    START,
    STOP,
    STATUS,
    UNLOAD,
    COUNTERS,
    RESET,
    ETL2TXT,
    ETL2PCAP,
    HEX2PKT,
    EXTCAP,
];

/// The command at `path` (`["comp", "list"]` finds `list`).
pub fn find(path: &[&str]) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|c| c.path == path || c.other_names.contains(&path))
}
