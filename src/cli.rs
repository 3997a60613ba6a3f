//! The pktmon command tree (clap), pktmon's help forms, and pktmon's error messages for
//! bad command lines (exit 87).

use crate::commands::{self, Check, Opt, Takes};
use crate::error::Error;
use crate::help;
use clap::builder::PossibleValuesParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command};

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

/// The clap argument for one option of the table.
fn arg(o: &Opt) -> Arg {
    // The help is not what `pktmon help` prints (crate::help renders the table itself):
    // it is for the man pages and the shell completions generated from this tree.
    let mut a = Arg::new(o.id).help(o.help);
    if let Some(c) = o.short {
        a = a.short(c);
    }
    if let Some(l) = o.long {
        a = a.long(l);
    }
    if !o.aliases.is_empty() {
        a = a.aliases(o.aliases.iter().copied());
    }
    if let Some(name) = value_name(o.takes) {
        a = a.value_name(name);
    }
    a = match o.takes {
        Takes::Flag => a.action(ArgAction::SetTrue),
        Takes::Value(_) => a.num_args(1).action(ArgAction::Set),
        Takes::Repeated(_) => a.num_args(1).action(ArgAction::Append),
        Takes::Choice(values) => a
            .num_args(1)
            .action(ArgAction::Set)
            .value_parser(PossibleValuesParser::new(values.iter().copied()))
            .ignore_case(true),
        Takes::Values(_, min, max) => a.num_args(min..=max).action(ArgAction::Set),
        Takes::List(_) => a.num_args(1..).value_delimiter(',').action(ArgAction::Set),
        Takes::Optional(_, missing) => a
            .num_args(0..=1)
            .action(ArgAction::Set)
            .default_missing_value(missing),
        Takes::Positional(_, required, many) => {
            let a = a.required(required).value_name(o.id);
            if many > 1 { a.num_args(1..) } else { a }
        }
    };
    a = match o.check {
        Check::Text => a,
        Check::U8(lo, hi) => {
            a.value_parser(clap::value_parser!(u8).range(i64::from(lo)..=i64::from(hi)))
        }
        Check::U16(lo, hi) => {
            a.value_parser(clap::value_parser!(u16).range(i64::from(lo)..=i64::from(hi)))
        }
        Check::U32(lo, hi) => {
            a.value_parser(clap::value_parser!(u32).range(i64::from(lo)..=i64::from(hi)))
        }
        Check::U64(lo, hi) => a.value_parser(clap::value_parser!(u64).range(lo..=hi)),
    };
    if let Some(d) = o.default {
        a = a.default_value(d);
    }
    if let Some(r) = o.requires {
        a = a.requires(r);
    }
    a
}

/// The name of an option's value for usage lines (`bytes` for `<bytes>`, `port` for
/// `[<port>]`), where the table's placeholder has one.
fn value_name(takes: Takes) -> Option<&'static str> {
    let shown = match takes {
        Takes::Value(s) | Takes::Repeated(s) | Takes::Values(s, ..) | Takes::Optional(s, _) => s,
        _ => return None,
    };
    let first = shown.split_whitespace().next()?.trim_matches(['[', ']']);
    first.strip_prefix('<')?.strip_suffix('>')
}

/// The clap command for `path`, built from the command table.
fn build(path: &[&str]) -> Command {
    let spec = commands::find(path).unwrap_or_else(|| panic!("{path:?} is in the table"));
    let name = *spec.path.last().unwrap_or(&"pktmon");
    let description = spec.description();
    let summary = description.split_inclusive(". ").next().unwrap_or_default();
    let documented = cmd(name)
        .about(summary.trim_end().to_string())
        .long_about(description)
        .after_help(spec.footer);
    spec.opts().fold(documented, |c, o| c.arg(arg(o)))
}

/// The same command under another name (Gen 2: `format` for `etl2txt`).
fn build_as(path: &[&str], name: &'static str) -> Command {
    build(path).name(name)
}

/// The commands users type: [`command`] without the hidden background-session command.
/// The man pages and shell completions are generated from it.
pub fn user_command() -> Command {
    cmd("pktmon")
        .about("Monitor packets on every network interface, as Windows Packet Monitor does.")
        .arg(arg(&commands::SESSION).global(true))
        .subcommand(
            build(&["filter"])
                .subcommand(build(&["filter", "add"]))
                .subcommand(build(&["filter", "list"]))
                .subcommand(build(&["filter", "remove"])),
        )
        .subcommand(build(&["list"]))
        .subcommand(
            cmd("comp")
                .about("Gen 2 form of 'pktmon list' and 'pktmon counters'.")
                .subcommand(build(&["list"]))
                .subcommand(build(&["counters"])),
        )
        .subcommand(build(&["counters"]))
        .subcommand(build(&["reset"]))
        .subcommand(build(&["start"]))
        .subcommand(build(&["stop"]))
        .subcommand(build(&["status"]))
        .subcommand(build(&["unload"]))
        .subcommand(build(&["etl2txt"]))
        .subcommand(build_as(&["etl2txt"], "format"))
        .subcommand(build(&["etl2pcap"]))
        .subcommand(build_as(&["etl2pcap"], "pcapng"))
        .subcommand(build(&["hex2pkt"]))
        .subcommand(build(&["extcap"]))
}

/// Everything the binary parses.
pub fn command() -> Command {
    user_command()
        .subcommand(
            cmd("__session")
                .hide(true)
                .arg(Arg::new("name").required(true)),
        )
        // Windows diagnostic for reports from real machines (docs/windows.md): the raw
        // PktMon data source entries, visible and hidden.
        .subcommand(cmd("__datasources").hide(true))
}

/// What the command line asks for.
pub enum Invocation {
    /// Print this help text and exit 0.
    Help(String),
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

    fn help_of(s: &str) -> String {
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
        assert_eq!(help_of(""), help::for_command(&[]).unwrap());
        assert_eq!(help_of("help"), help::for_command(&[]).unwrap());
        assert_eq!(help_of("/?"), help::for_command(&[]).unwrap());
        assert_eq!(help_of("--help"), help::for_command(&[]).unwrap());
        assert_eq!(
            help_of("start help"),
            help::for_command(&["start"]).unwrap()
        );
        assert_eq!(
            help_of("help start"),
            help::for_command(&["start"]).unwrap()
        );
        assert_eq!(
            help_of("start --help"),
            help::for_command(&["start"]).unwrap()
        );
        assert_eq!(
            help_of("comp list help"),
            help::for_command(&["list"]).unwrap()
        );
        assert_eq!(
            help_of("--session x status help"),
            help::for_command(&["status"]).unwrap()
        );
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
            ("format x.etl -v", Some(1u8), Some(4789u16)),
            ("format x.etl -v 3", Some(3), Some(4789)),
            ("format x.etl -l", None, Some(4789)),
            ("format x.etl -l 8472 -v", Some(1), Some(8472)),
            ("etl2txt x.etl", None, Some(4789)),
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
