//! The session's metrics endpoint (`start --metrics <addr>`): answers `GET /metrics` with
//! the session's numbers as OpenMetrics (when the scraper accepts it, as Prometheus does)
//! or the Prometheus text format 0.0.4, rendered from the live report at each request.
//!
//! Written on std's TcpListener rather than an HTTP crate: it serves one resource to a
//! scraper every few seconds, one request per connection (`Connection: close`), no TLS,
//! no keep-alive, no bodies to read; that is a request line and headers read with a size
//! and time limit, and a fixed response — less code than wiring a server crate's types,
//! and no new dependency in the session process.

use crate::counters::openmetrics::{self, Format};
use crate::error::{Error, Result};
use crate::session::SessionReport;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The longest request head read; scrapers send a few hundred bytes.
const MAX_HEAD: usize = 8 * 1024;
/// A client that sends nothing for this long is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(2);
/// How often the idle loop looks at the stop flag.
const IDLE_POLL: Duration = Duration::from_millis(50);

/// The address `--metrics` names: a port alone listens on loopback (127.0.0.1); other
/// addresses (`0.0.0.0:9464`, `[::]:9464`, `host:port`) only when given.
pub fn parse_address(given: &str) -> Result<SocketAddr> {
    let bad = || {
        Error::invalid(format!(
            "Error: '{given}' is not a valid argument to parameter '--metrics'. Use a port \
             (loopback) or address:port. See pktmon start help."
        ))
    };
    if let Ok(port) = given.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if let Ok(addr) = given.parse::<SocketAddr>() {
        return Ok(addr);
    }
    given
        .to_socket_addrs()
        .map_err(|_| bad())?
        .next()
        .ok_or_else(bad)
}

pub struct MetricsServer {
    listener: TcpListener,
}

impl MetricsServer {
    pub fn bind(addr: &str) -> Result<MetricsServer> {
        let listener = TcpListener::bind(addr)
            .and_then(|l| l.set_nonblocking(true).map(|_| l))
            .map_err(|e| Error::failure(format!("cannot serve metrics on {addr}: {e}")))?;
        Ok(MetricsServer { listener })
    }

    /// Where it listens (the port the system chose for port 0).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Answers requests until `done`; `report` gives the session's numbers now.
    pub fn serve(self, done: &AtomicBool, report: &mut dyn FnMut() -> SessionReport) {
        while !done.load(Ordering::SeqCst) {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    // One client's trouble (reset, timeout) is not the session's.
                    let _ = answer(stream, report);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(IDLE_POLL),
                Err(_) => std::thread::sleep(IDLE_POLL),
            }
        }
    }
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    Metrics(Format),
    NotFound,
    MethodNotAllowed,
    Bad,
}

fn parse_request(head: &str) -> Request {
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target)) = (first.next(), first.next()) else {
        return Request::Bad;
    };
    if method != "GET" && method != "HEAD" {
        return Request::MethodNotAllowed;
    }
    let path = target.split('?').next().unwrap_or_default();
    if path != "/metrics" && path != "/" {
        return Request::NotFound;
    }
    let accepts_openmetrics = lines.any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("accept") && v.contains("application/openmetrics-text")
        })
    });
    Request::Metrics(if accepts_openmetrics {
        Format::OpenMetrics
    } else {
        Format::Prometheus
    })
}

fn answer(mut stream: TcpStream, report: &mut dyn FnMut() -> SessionReport) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 || head.len() + n > MAX_HEAD {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let request = parse_request(&String::from_utf8_lossy(&head));
    let (status, content_type, body) = match request {
        Request::Metrics(format) => (
            "200 OK",
            format.content_type(),
            openmetrics::render(&report(), format),
        ),
        Request::NotFound => (
            "404 Not Found",
            "text/plain",
            "Not found: try /metrics\n".into(),
        ),
        Request::MethodNotAllowed => ("405 Method Not Allowed", "text/plain", "Use GET\n".into()),
        Request::Bad => ("400 Bad Request", "text/plain", "Bad request\n".into()),
    };
    let is_head = head.starts_with(b"HEAD ");
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if !is_head {
        response.extend_from_slice(body.as_bytes());
    }
    stream.write_all(&response)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_alone_is_loopback() {
        assert_eq!(parse_address("9464").unwrap().to_string(), "127.0.0.1:9464");
        assert_eq!(parse_address("0.0.0.0:1").unwrap().to_string(), "0.0.0.0:1");
        assert_eq!(parse_address("[::1]:2").unwrap().to_string(), "[::1]:2");
        assert_eq!(parse_address("nope").unwrap_err().exit_code(), 87);
        assert_eq!(parse_address("1.2.3.4").unwrap_err().exit_code(), 87);
    }

    #[test]
    fn requests_choose_the_format_by_accept() {
        let om = "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5\r\n\r\n";
        assert_eq!(parse_request(om), Request::Metrics(Format::OpenMetrics));
        let plain = "GET /metrics?x=1 HTTP/1.1\r\nAccept: */*\r\n\r\n";
        assert_eq!(parse_request(plain), Request::Metrics(Format::Prometheus));
        assert_eq!(parse_request("GET /x HTTP/1.1\r\n\r\n"), Request::NotFound);
        assert_eq!(
            parse_request("POST /metrics HTTP/1.1\r\n\r\n"),
            Request::MethodNotAllowed
        );
        assert_eq!(parse_request(""), Request::Bad);
    }
}
