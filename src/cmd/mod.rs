//! One file per command: glue from parsed arguments to the layers below. Each returns
//! the process exit code or an error (whose exit code the error knows).

pub mod convert;
pub mod counters;
pub mod etl2pcap;
pub mod etl2txt;
pub mod extcap;
pub mod filter;
pub mod hex2pkt;
pub mod list;
pub mod start;
pub mod status;
pub mod stop;
pub mod unload;

use crate::cli::{self, Invocation};
use crate::error::{Error, Result, exit};
use crate::session::validate_session_name;
use std::io::Write;

/// Runs pktmon with `args` (without the program name); returns the exit code.
pub fn main(args: &[String]) -> i32 {
    match dispatch(args) {
        Ok(code) => code,
        Err(Error::OutputClosed) => exit::SUCCESS,
        Err(e) => {
            // stderr may be closed too (`2>&1 | head -1`): never panic over a message.
            let _ = writeln!(std::io::stderr(), "{e}");
            e.exit_code()
        }
    }
}

fn dispatch(args: &[String]) -> Result<i32> {
    let m = match cli::parse(args)? {
        Invocation::Help(text) => {
            crate::out!("{text}")?;
            return Ok(exit::SUCCESS);
        }
        Invocation::Run(m) => m,
    };
    let session = m
        .get_one::<String>("session")
        .cloned()
        .unwrap_or_else(|| "default".to_string());
    validate_session_name(&session)?;
    match m.subcommand() {
        Some(("filter", sm)) => filter::run(sm),
        Some(("list", sm)) => list::run(sm),
        Some(("comp", sm)) => match sm.subcommand() {
            Some(("list", lm)) => list::run(lm),
            Some(("counters", cm)) => counters::run(cm, &session),
            _ => Err(Error::invalid(
                "Error: 'pktmon comp' needs a command: list or counters. See pktmon list help.",
            )),
        },
        Some(("counters", sm)) => counters::run(sm, &session),
        Some(("reset", _)) => counters::reset(&session),
        Some(("start", sm)) => start::run(sm, &session),
        Some(("stop", m)) => stop::run(m, &session),
        Some(("status", sm)) => status::run(sm, &session),
        Some(("unload", _)) => unload::run(),
        Some(("etl2txt" | "format", sm)) => etl2txt::run(sm),
        Some(("etl2pcap" | "pcapng", sm)) => etl2pcap::run(sm),
        Some(("hex2pkt", sm)) => hex2pkt::run(sm),
        Some(("extcap", sm)) => extcap::run(sm, &session),
        Some(("__session", sm)) => {
            let name = sm.get_one::<String>("name").cloned().unwrap_or_default();
            Ok(crate::session::daemon::run(&name))
        }
        Some(("__datasources", _)) => datasources(),
        _ => {
            crate::out!("{}", crate::help::TOP)?;
            Ok(exit::SUCCESS)
        }
    }
}

/// `pktmon __datasources`: PacketMonitorEnumDataSources as the DLL answers, for reports.
fn datasources() -> Result<i32> {
    #[cfg(windows)]
    {
        let doc = crate::capture::pktmonapi::data_sources_json()?;
        crate::outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default())?;
        Ok(exit::SUCCESS)
    }
    #[cfg(not(windows))]
    Err(crate::error::Error::failure(
        "__datasources lists PktMon data sources: Windows only",
    ))
}
