//! `pktmon counters` (Gen 2: `comp counters`) and `pktmon reset`.

use crate::counters::openmetrics;
use crate::counters::table::{self, CounterType, View};
use crate::error::{Error, Result, exit};
use crate::session::SessionReport;
use crate::session::client::{self, SessionState};
use crate::session::control::{Reply, Request};
use crate::session::state::SessionPaths;
use clap::ArgMatches;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// The running session's report, or the last one's with `true` (stopped).
fn current(paths: &SessionPaths) -> Result<(SessionReport, bool)> {
    match client::query(paths) {
        SessionState::Running(r) => Ok((*r, false)),
        SessionState::NotRunning => client::read_last_report(paths)
            .map(|r| (r, true))
            .ok_or_else(|| Error::NotRunning("Packet Monitor is not running.".into())),
        SessionState::Dead(info) => Err(Error::failure(format!(
            "the session's process ({}) ended unexpectedly; its counters are lost. Run 'pktmon stop' to clean up.",
            info.pid
        ))),
        SessionState::Unresponsive(info, why) => Err(Error::failure(format!(
            "the session's process ({}) does not answer: {why}",
            info.pid
        ))),
    }
}

fn render(r: &SessionReport, stopped: bool, view: &View) -> String {
    let mut out = String::new();
    if stopped {
        out.push_str(
            "Packet Monitor is not running. Final counters of the last session (stopped):\n\n",
        );
    }
    match table::render(&r.counters, view) {
        Some(t) => out.push_str(&t),
        None => out.push_str("All counters are zero. Use -z to show zero counters.\n"),
    }
    if let Some(h) = table::render_hops(&r.counters) {
        out.push_str(&h);
    }
    if r.events_lost > 0 {
        out.push_str(&format!(
            "Events lost (capture buffer full): {}\n",
            crate::output::group_thousands(r.events_lost)
        ));
    }
    out
}

pub fn run(m: &ArgMatches, session: &str) -> Result<i32> {
    let paths = SessionPaths::new(session);
    let kind = match m
        .get_one::<String>("type")
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        Some("flow") => CounterType::Flow,
        Some("drop") => CounterType::Drop,
        _ => CounterType::All,
    };
    let json = m.get_flag("json");
    let view = View {
        kind,
        include_hidden: m.get_flag("include-hidden") || json,
        zeros: m.get_flag("zero"),
        drop_reason: m.get_flag("drop-reason") || json,
    };
    let metrics = match m
        .get_one::<String>("format")
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        Some("openmetrics") => Some(openmetrics::Format::OpenMetrics),
        Some("prometheus") => Some(openmetrics::Format::Prometheus),
        _ => None,
    };
    if let Some(format) = metrics {
        if json || m.get_flag("live") {
            return Err(Error::invalid(
                "Error: --format openmetrics|prometheus prints the metrics once; it goes with \
                 neither --json nor --live. See pktmon counters help.",
            ));
        }
        let (r, _) = current(&paths)?;
        crate::out!("{}", openmetrics::render(&r, format))?;
        return Ok(exit::SUCCESS);
    }
    if m.get_flag("live") {
        let rate = m.get_one::<u32>("refresh-rate").copied().unwrap_or(1);
        return live(&paths, &view, rate, json);
    }
    let (r, stopped) = current(&paths)?;
    if json {
        if stopped {
            eprintln!("(final counters of the last session, which has stopped)");
        }
        crate::json::print(table::to_json(&r.counters, kind, view.zeros))?;
    } else {
        crate::out!("{}", render(&r, stopped, &view))?;
    }
    Ok(exit::SUCCESS)
}

/// `--live`: redraw in place on a terminal, one snapshot per refresh when piped; ends
/// with the session.
fn live(paths: &SessionPaths, view: &View, rate: u32, json: bool) -> Result<i32> {
    let tty = std::io::stdout().is_terminal();
    let period = Duration::from_millis(1000 / u64::from(rate.clamp(1, 30)));
    let mut out = std::io::stdout();
    loop {
        let (r, stopped) = current(paths)?;
        if json {
            // NDJSON: one snapshot per line, flushed, whether or not a terminal reads it.
            let line = serde_json::json!({
                "TimeUnixMs": unix_ms(),
                "Stopped": stopped,
                "EventsLost": r.events_lost,
                "Counters": table::to_json(&r.counters, view.kind, view.zeros),
            });
            if crate::json::write_line(&mut out, line).is_err() || stopped {
                return Ok(exit::SUCCESS);
            }
            std::thread::sleep(period);
            continue;
        }
        let text = render(&r, stopped, view);
        let frame = if tty {
            format!("\x1b[H\x1b[2J{text}")
        } else {
            format!("{text}\n")
        };
        if out
            .write_all(frame.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return Ok(exit::SUCCESS); // reader went away (e.g. `| head`)
        }
        if stopped {
            return Ok(exit::SUCCESS);
        }
        std::thread::sleep(period);
    }
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

pub fn reset(session: &str) -> Result<i32> {
    let paths = SessionPaths::new(session);
    let Some(info) = client::read_registry(&paths) else {
        return Err(Error::NotRunning("Packet Monitor is not running.".into()));
    };
    match crate::session::control::send_request(
        &info.socket,
        Request::Reset,
        Duration::from_secs(10),
    ) {
        Ok(Reply::Report(_)) => {
            crate::outln!("All counters reset to zero.")?;
            Ok(exit::SUCCESS)
        }
        Ok(Reply::Error(e)) => Err(Error::failure(format!("could not reset the counters: {e}"))),
        Err(e) => Err(Error::failure(format!(
            "the session (process {}) does not answer: {e}",
            info.pid
        ))),
    }
}
