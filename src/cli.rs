//! The pktmon command tree (clap), pktmon's help forms, and pktmon's error messages for
//! bad command lines (exit 87).

use crate::error::Error;
use crate::help;
use clap::builder::PossibleValuesParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command};

/// `-v` given without a level (Gen 2 `format -v`).
pub const DEFAULT_VERBOSE_WITHOUT_LEVEL: &str = "1";
/// `-l` given without a port (Gen 2 `format -l`), and the VXLAN port without `-l`.
pub const DEFAULT_VXLAN_PORT: &str = "4789";

/// Words that ask for help wherever they stand.
const HELP_WORDS: &[&str] = &["help", "/?", "-?", "--help", "-h"];

fn cmd(name: &'static str) -> Command {
    Command::new(name)
        // An option given twice takes the last value, as Windows pktmon does
        // (`--capture --etw`, `--pkt-size 64 --pkt-size 0`).
        .args_override_self(true)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
}

fn flag(id: &'static str) -> Arg {
    Arg::new(id).long(id).action(ArgAction::SetTrue)
}

fn list_command() -> Command {
    cmd("list")
        .arg(flag("all").short('a'))
        .arg(flag("include-hidden").short('i').alias("show-hidden"))
        .arg(flag("json"))
}

fn start_command() -> Command {
    cmd("start")
        .arg(flag("capture").short('c').alias("etw"))
        .arg(flag("counters-only").short('o'))
        .arg(
            Arg::new("comp")
                .long("comp")
                .alias("components")
                .num_args(1..)
                .value_delimiter(',')
                .action(ArgAction::Set),
        )
        .arg(
            Arg::new("type")
                .long("type")
                .value_parser(PossibleValuesParser::new(["all", "flow", "drop"]))
                .ignore_case(true),
        )
        .arg(flag("drop-only").short('d'))
        .arg(
            Arg::new("pkt-size")
                .long("pkt-size")
                .alias("packet-size")
                .value_parser(clap::value_parser!(u32)),
        )
        .arg(Arg::new("flags").long("flags"))
        .arg(Arg::new("file-name").short('f').long("file-name"))
        .arg(
            Arg::new("file-size")
                .short('s')
                .long("file-size")
                .value_parser(clap::value_parser!(u64).range(1..=1_048_576)),
        )
        .arg(
            Arg::new("log-mode")
                .short('m')
                .long("log-mode")
                .value_parser(PossibleValuesParser::new([
                    "circular",
                    "multi-file",
                    "memory",
                    "real-time",
                ]))
                .ignore_case(true),
        )
        .arg(flag("trace").short('t'))
        // ETW event collection: parsed so that Windows command lines work; `start` warns
        // that it does not exist here and runs the packet capture given with it.
        .arg(
            Arg::new("provider")
                .short('p')
                .long("provider")
                .action(ArgAction::Append)
                .requires("trace"),
        )
        .arg(
            Arg::new("keywords")
                .short('k')
                .long("keywords")
                .action(ArgAction::Append)
                .requires("provider"),
        )
        .arg(
            Arg::new("level")
                .short('l')
                .long("level")
                .action(ArgAction::Append)
                .requires("provider"),
        )
}

fn filter_command() -> Command {
    let multi =
        |id: &'static str, short: char, long: &'static str, n: std::ops::RangeInclusive<usize>| {
            Arg::new(id)
                .short(short)
                .long(long)
                .num_args(n)
                .action(ArgAction::Set)
        };
    cmd("filter")
        .subcommand(
            cmd("add")
                .arg(Arg::new("name").index(1))
                .arg(multi("mac", 'm', "mac", 1..=2).alias("mac-address"))
                .arg(multi("vlan", 'v', "vlan", 1..=1))
                .arg(
                    multi("data-link", 'd', "data-link", 1..=1)
                        .aliases(["data-link-protocol", "ethertype"]),
                )
                .arg(
                    multi("transport", 't', "transport", 1..=9)
                        .aliases(["transport-protocol", "ip-protocol"]),
                )
                .arg(multi("ip", 'i', "ip", 1..=2).alias("ip-address"))
                .arg(multi("port", 'p', "port", 1..=2))
                .arg(flag("heartbeat").short('b'))
                .arg(multi("encap", 'e', "encap", 0..=1)),
        )
        .subcommand(cmd("list").arg(flag("json")))
        .subcommand(cmd("remove").arg(Arg::new("which").index(1)))
}

fn counters_command() -> Command {
    cmd("counters")
        .arg(
            Arg::new("type")
                .short('t')
                .long("type")
                .alias("counter-type")
                .value_parser(PossibleValuesParser::new(["all", "flow", "drop"]))
                .ignore_case(true),
        )
        .arg(flag("include-hidden").short('i').alias("show-hidden"))
        .arg(flag("zero").short('z').alias("show-zeros"))
        .arg(flag("drop-reason").short('r'))
        .arg(flag("live"))
        .arg(
            Arg::new("refresh-rate")
                .long("refresh-rate")
                .value_parser(clap::value_parser!(u32).range(1..=30)),
        )
        .arg(flag("json"))
}

fn etl2txt_command(name: &'static str) -> Command {
    cmd(name)
        .arg(Arg::new("file").required(true))
        .arg(Arg::new("out").short('o').long("out"))
        .arg(flag("stats-only").short('s'))
        .arg(flag("timestamp-only").short('t'))
        .arg(flag("metadata").short('m'))
        .arg(Arg::new("tmfpath").short('p').long("tmfpath"))
        .arg(flag("brief").short('b'))
        .arg(
            Arg::new("verbose")
                .short('v')
                .long("verbose")
                .value_parser(clap::value_parser!(u8).range(1..=3))
                // Gen 2: `format log.etl -v` (level optional).
                .num_args(0..=1)
                .default_missing_value(DEFAULT_VERBOSE_WITHOUT_LEVEL),
        )
        .arg(flag("hex").short('x'))
        .arg(flag("no-ethernet").short('e'))
        .arg(
            Arg::new("vxlan")
                .short('l')
                .long("vxlan")
                .value_parser(clap::value_parser!(u16).range(1..))
                // Gen 2: `format log.etl -l` (port optional).
                .num_args(0..=1)
                .default_missing_value(DEFAULT_VXLAN_PORT),
        )
        .arg(flag("utf16"))
}

fn etl2pcap_command(name: &'static str) -> Command {
    cmd(name)
        .arg(Arg::new("file").required(true))
        .arg(Arg::new("out").short('o').long("out"))
        .arg(flag("drop-only").short('d'))
        .arg(Arg::new("component-id").short('c').long("component-id"))
}

fn hex2pkt_command() -> Command {
    cmd("hex2pkt")
        .arg(Arg::new("hex").required(true).num_args(1..))
        .arg(
            Arg::new("type")
                .short('t')
                .long("type")
                .value_parser(PossibleValuesParser::new(["Ethernet", "IP", "HTTP"]))
                .ignore_case(true),
        )
}

pub fn command() -> Command {
    cmd("pktmon")
        .arg(Arg::new("session").long("session").global(true).num_args(1))
        .subcommand(filter_command())
        .subcommand(list_command())
        .subcommand(
            cmd("comp")
                .subcommand(list_command())
                .subcommand(counters_command()),
        )
        .subcommand(counters_command())
        .subcommand(cmd("reset").arg(flag("counters")))
        .subcommand(start_command())
        .subcommand(cmd("stop"))
        .subcommand(
            cmd("status")
                .arg(flag("buffer-info").short('b'))
                .arg(flag("json")),
        )
        .subcommand(cmd("unload"))
        .subcommand(etl2txt_command("etl2txt"))
        .subcommand(etl2txt_command("format"))
        .subcommand(etl2pcap_command("etl2pcap"))
        .subcommand(etl2pcap_command("pcapng"))
        .subcommand(hex2pkt_command())
        .subcommand(
            cmd("__session")
                .hide(true)
                .arg(Arg::new("name").required(true)),
        )
}

/// What the command line asks for.
pub enum Invocation {
    /// Print this help text and exit 0.
    Help(&'static str),
    Run(ArgMatches),
}

/// The command words at the front of `args` (without the program name), skipping
/// `--session NAME`.
fn command_words(args: &[String]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--session" {
            i += 2;
            continue;
        }
        if a.starts_with("--session=") {
            i += 1;
            continue;
        }
        let leading_help = a == "help" && words.is_empty();
        if (HELP_WORDS.contains(&a) && !leading_help) || a.starts_with('-') {
            break;
        }
        words.push(a);
        i += 1;
        if words.len() == 2 + usize::from(words[0] == "help") {
            break;
        }
    }
    words
}

/// Parses `args` (without the program name) into an invocation or a pktmon-style error.
pub fn parse(args: &[String]) -> Result<Invocation, Error> {
    let words = command_words(args);
    let wants_help = args.is_empty()
        || args.iter().any(|a| HELP_WORDS.contains(&a.as_str()))
        || words.first() == Some(&"help");
    if wants_help {
        let path: Vec<&str> = match words.as_slice() {
            ["help", rest @ ..] => rest.to_vec(),
            w => w.to_vec(),
        };
        // `comp list help` and `start help` name a command; trailing non-command words
        // (e.g. a filter name) fall back to the first word's help.
        return help::for_command(&path)
            .or_else(|| help::for_command(&path[..path.len().min(1)]))
            .map(Invocation::Help)
            .ok_or_else(|| unknown_command(path.first().copied().unwrap_or("")));
    }
    let mut argv = vec!["pktmon".to_string()];
    // Gen 2 documents `reset -counters` with one dash.
    argv.extend(args.iter().map(|a| {
        if a == "-counters" {
            "--counters".to_string()
        } else {
            a.clone()
        }
    }));
    command()
        .try_get_matches_from(argv)
        .map(Invocation::Run)
        .map_err(|e| translate(e, words.first().copied().unwrap_or("")))
}

fn unknown_command(word: &str) -> Error {
    Error::invalid(format!("Unknown command '{word}'. See pktmon help."))
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        other => Some(other.to_string()),
    }
}

/// Turns clap's error into pktmon's wording; always exit 87.
fn translate(e: clap::Error, command: &str) -> Error {
    let see = if command.is_empty() {
        "See pktmon help.".to_string()
    } else {
        format!("See pktmon {command} help.")
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => {
            unknown_command(&context(&e, ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::UnknownArgument => {
            let arg = context(&e, ContextKind::InvalidArg).unwrap_or_default();
            if command.is_empty() && !arg.starts_with('-') {
                unknown_command(&arg)
            } else {
                Error::invalid(format!("Unknown parameter '{arg}'. {see}"))
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let arg = context(&e, ContextKind::InvalidArg).unwrap_or_default();
            let arg = arg.trim_end_matches("...");
            Error::invalid(format!("Error: missing {arg}. {see}"))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = context(&e, ContextKind::InvalidArg).unwrap_or_default();
            let arg = arg
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let value = context(&e, ContextKind::InvalidValue).unwrap_or_default();
            if value.is_empty() {
                Error::invalid(format!("Error: parameter '{arg}' needs a value. {see}"))
            } else {
                Error::invalid(format!(
                    "Error: '{value}' is not a valid argument to parameter '{arg}'. {see}"
                ))
            }
        }
        _ => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("invalid command line")
                .trim_start_matches("error: ")
                .trim_end();
            // Every message is a sentence: it ends with its full stop before the "See".
            let stop = if first.ends_with(['.', '!', '?']) {
                ""
            } else {
                "."
            };
            Error::invalid(format!("Error: {first}{stop} {see}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn help_of(s: &str) -> &'static str {
        match parse(&args(s)) {
            Ok(Invocation::Help(h)) => h,
            _ => panic!("expected help for {s:?}"),
        }
    }

    fn err_of(s: &str) -> Error {
        match parse(&args(s)) {
            Err(e) => e,
            Ok(_) => panic!("expected an error for {s:?}"),
        }
    }

    #[test]
    fn help_forms() {
        assert_eq!(help_of(""), help::TOP);
        assert_eq!(help_of("help"), help::TOP);
        assert_eq!(help_of("/?"), help::TOP);
        assert_eq!(help_of("--help"), help::TOP);
        assert_eq!(help_of("start help"), help::START);
        assert_eq!(help_of("help start"), help::START);
        assert_eq!(help_of("start --help"), help::START);
        assert_eq!(help_of("comp list help"), help::LIST);
        assert_eq!(help_of("--session x status help"), help::STATUS);
    }

    #[test]
    fn unknown_command_and_parameter_are_87() {
        let e = err_of("frobnicate");
        assert_eq!(e.exit_code(), 87);
        assert_eq!(
            e.to_string(),
            "Unknown command 'frobnicate'. See pktmon help."
        );
        let e = err_of("start --capture --bogus");
        assert_eq!(e.exit_code(), 87);
        assert_eq!(
            e.to_string(),
            "Unknown parameter '--bogus'. See pktmon start help."
        );
        let e = err_of("start -c --type sideways");
        assert_eq!(
            e.to_string(),
            "Error: 'sideways' is not a valid argument to parameter '--type'. See pktmon start help."
        );
        let e = err_of("start -c --pkt-size many");
        assert!(
            e.to_string()
                .contains("'many' is not a valid argument to parameter '--pkt-size'")
        );
        let e = err_of("stop now");
        assert_eq!(e.exit_code(), 87);
        let e = err_of("etl2txt");
        assert_eq!(e.exit_code(), 87);
        assert_eq!(
            e.to_string(),
            "Error: missing <file>. See pktmon etl2txt help."
        );
        let e = err_of("hex2pkt -t IP");
        assert_eq!(
            e.to_string(),
            "Error: missing <hex>. See pktmon hex2pkt help."
        );
    }

    #[test]
    fn gen2_aliases_and_comp_lists() {
        let Ok(Invocation::Run(m)) = parse(&args(
            "start --etw --components 4,5 6 --packet-size 64 -f x.etl",
        )) else {
            panic!("parses")
        };
        let (name, sm) = m.subcommand().unwrap();
        assert_eq!(name, "start");
        assert!(sm.get_flag("capture"));
        let comps: Vec<&String> = sm.get_many::<String>("comp").unwrap().collect();
        assert_eq!(comps, ["4", "5", "6"]);
        assert_eq!(sm.get_one::<u32>("pkt-size"), Some(&64));
        let Ok(Invocation::Run(m)) = parse(&args("comp list --show-hidden")) else {
            panic!("parses")
        };
        let (_, sm) = m.subcommand().unwrap();
        let (name, lm) = sm.subcommand().unwrap();
        assert_eq!(name, "list");
        assert!(lm.get_flag("include-hidden"));
    }

    fn start_of(s: &str) -> ArgMatches {
        match parse(&args(s)) {
            Ok(Invocation::Run(m)) => {
                let (name, sm) = m.subcommand().expect("a command");
                assert_eq!(name, "start");
                sm.clone()
            }
            Ok(Invocation::Help(_)) => panic!("{s:?}: help"),
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    #[test]
    fn an_option_given_twice_takes_the_last_as_windows_does() {
        assert!(start_of("start --capture --etw").get_flag("capture"));
        assert!(start_of("start -c -c --capture").get_flag("capture"));
        let m = start_of("start -c --pkt-size 64 --pkt-size 0 -f a.etl -f b.etl");
        assert_eq!(m.get_one::<u32>("pkt-size"), Some(&0));
        assert_eq!(m.get_one::<String>("file-name").unwrap(), "b.etl");
        let m = start_of("start -c --comp 4,5 --comp 6");
        let comps: Vec<&String> = m.get_many::<String>("comp").unwrap().collect();
        assert_eq!(comps, ["6"]);
    }

    #[test]
    fn trace_providers_keywords_and_levels_parse() {
        let m = start_of(
            "start --capture --trace -p Microsoft-Windows-TCPIP -k 0xFF -l 4 -p Microsoft-Windows-NDIS",
        );
        assert!(m.get_flag("trace"));
        let p: Vec<&String> = m.get_many::<String>("provider").unwrap().collect();
        assert_eq!(p, ["Microsoft-Windows-TCPIP", "Microsoft-Windows-NDIS"]);
        // A provider needs --trace; keywords and levels need a provider.
        assert_eq!(
            err_of("start -c -p Microsoft-Windows-TCPIP").exit_code(),
            87
        );
        assert_eq!(err_of("start -c -t -k 0xFF").exit_code(), 87);
    }

    #[test]
    fn gen2_optional_values_take_their_defaults() {
        for (line, verbose, vxlan) in [
            ("format x.etl -v", Some(1u8), None),
            ("format x.etl -v 3", Some(3), None),
            ("format x.etl -l", None, Some(4789u16)),
            ("format x.etl -l 8472 -v", Some(1), Some(8472)),
            ("etl2txt x.etl", None, None),
        ] {
            let Ok(Invocation::Run(m)) = parse(&args(line)) else {
                panic!("{line:?} parses")
            };
            let (_, sm) = m.subcommand().unwrap();
            assert_eq!(sm.get_one::<u8>("verbose").copied(), verbose, "{line}");
            assert_eq!(sm.get_one::<u16>("vxlan").copied(), vxlan, "{line}");
        }
    }

    #[test]
    fn every_parse_error_is_a_pktmon_sentence() {
        for line in [
            "start -c --bogus",
            "start -c --pkt-size",
            "start -c --type",
            "start -c -p x",
            "filter add -p",
            "status --json=yes",
            "start -c --comp",
            "--session",
            "hex2pkt",
            "status extra",
            "counters --refresh-rate 99",
            "etl2txt x -v 4",
        ] {
            let e = err_of(line);
            assert_eq!(e.exit_code(), 87, "{line}");
            let text = e.to_string();
            let (sentence, see) = text
                .rsplit_once(" See pktmon ")
                .unwrap_or_else(|| panic!("{line}: {text}"));
            assert!(see.ends_with("help."), "{line}: {text}");
            assert!(sentence.ends_with('.'), "{line}: {text}");
            assert!(
                !sentence.contains("error:") && !sentence.contains("Usage"),
                "{line}: {text}"
            );
        }
    }
}
