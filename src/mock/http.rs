//! Just enough HTTP/1.1 for the mock server, and the one HTTP server of the
//! repository: the crate's integration tests build their loopback fakes on
//! [`Server`] too. Reading one request (head and body, `Content-Length` or
//! chunked) from a buffered stream, writing one response, serving a handler
//! on a thread per connection, and percent-decoding query strings.
//!
//! Nothing here panics on client input: every malformed request becomes a
//! [`ParseError`] that the caller answers (or drops the connection on).
//! Not part of the crate's stable API (hidden from its docs).

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::lock;
use super::routes::Failure;

/// Largest request head (request line plus headers) accepted, in bytes.
pub const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted, in bytes (after chunked decoding).
pub const MAX_BODY: usize = 1024 * 1024;
/// Most header lines accepted in one request.
const MAX_HEADERS: usize = 128;

/// A connection idle this long between requests is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait for the client to take a response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait while discarding what a rejected client still sends.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

/// Why a request could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The peer closed the connection, or the socket failed or timed out.
    /// There is nobody to answer.
    Closed,
    /// The request is malformed or too large: answer with this status and
    /// detail, then close the connection (its framing can't be trusted).
    Bad(u16, &'static str),
}

/// One request: the request line, the headers and (once read) the body.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path as sent, still percent-encoded, without the query.
    pub path: String,
    /// The query string as sent, without the `?` (empty if none).
    pub query: String,
    /// `true` for HTTP/1.0.
    pub http10: bool,
    /// Header names lowercased, values trimmed, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, after chunked decoding.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header with this (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    /// Whether the client asked for `100 Continue` before sending the body.
    fn expects_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    /// Whether the connection must be closed after this exchange.
    fn wants_close(&self) -> bool {
        let tokens = self.header("connection").unwrap_or("").to_ascii_lowercase();
        let has = |t: &str| tokens.split(',').any(|x| x.trim() == t);
        if self.http10 {
            !has("keep-alive")
        } else {
            has("close")
        }
    }
}

/// The first value in `headers` whose (lowercase) name is `name`.
pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads one line ending in LF (CRLF or bare LF), charging it to `budget`.
///
/// `Ok(None)` means a clean end of stream before any byte of the line.
fn read_line<R: BufRead>(
    r: &mut R,
    budget: &mut usize,
    too_long: ParseError,
) -> Result<Option<Vec<u8>>, ParseError> {
    let mut line = Vec::new();
    let limit = u64::try_from(*budget).unwrap_or(u64::MAX).saturating_add(1);
    let n = r
        .by_ref()
        .take(limit)
        .read_until(b'\n', &mut line)
        .map_err(|_| ParseError::Closed)?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(too_long);
    }
    *budget -= n;
    if line.last() != Some(&b'\n') {
        // End of stream in the middle of a line.
        return Err(ParseError::Closed);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

pub fn read_request<R: BufRead>(r: &mut R) -> Result<Request, ParseError> {
    let mut request = read_head(r)?;
    request.body = read_body(r, &request)?;
    Ok(request)
}

/// Reads the request line and the headers of the next request.
///
/// Returns [`ParseError::Closed`] when the connection ends before a request
/// starts, which is how an idle keep-alive connection normally ends.
fn read_head<R: BufRead>(r: &mut R) -> Result<Request, ParseError> {
    let too_long = || ParseError::Bad(431, "The request head is too large.");
    let invalid = ParseError::Bad(400, "The request line is not valid.");
    // The head's lines, within one budget; httparse then reads them.
    let (mut budget, mut head) = (MAX_HEAD, Vec::new());
    loop {
        match read_line(r, &mut budget, too_long())? {
            None => return Err(ParseError::Closed),
            // RFC 9112 §2.2: ignore empty lines before the request line.
            Some(line) if line.is_empty() && head.is_empty() => continue,
            Some(line) if line.is_empty() => break,
            Some(line) => head.extend(line.iter().chain(b"\r\n")),
        }
    }
    head.extend_from_slice(b"\r\n");
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(too_long()),
        Err(httparse::Error::HeaderName | httparse::Error::HeaderValue) => {
            return Err(ParseError::Bad(400, "A header line is not valid."));
        }
        Err(httparse::Error::Version) => {
            return Err(ParseError::Bad(
                400,
                "Only HTTP/1.0 and HTTP/1.1 are supported.",
            ));
        }
        _ => return Err(invalid),
    }
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(invalid);
    };
    if !target.starts_with('/') {
        return Err(invalid);
    }
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = parsed.headers.iter().map(|h| {
        let value = String::from_utf8_lossy(h.value);
        (
            h.name.to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_string(),
        )
    });
    Ok(Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        http10: version == 0,
        headers: headers.collect(),
        body: Vec::new(),
    })
}

fn read_body<R: BufRead>(r: &mut R, head: &Request) -> Result<Vec<u8>, ParseError> {
    if let Some(te) = head.header("transfer-encoding") {
        let last = te.rsplit(',').next().unwrap_or("").trim();
        if !last.eq_ignore_ascii_case("chunked") {
            return Err(ParseError::Bad(
                400,
                "Only the chunked transfer coding is supported.",
            ));
        }
        return read_chunked(r);
    }
    let mut length: Option<u64> = None;
    for (name, value) in &head.headers {
        if name != "content-length" {
            continue;
        }
        for item in value.split(',') {
            let item = item.trim();
            if item.is_empty() || !item.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::Bad(400, "Content-Length is not valid."));
            }
            // All digits: the only failure left is overflow, which is too large anyway.
            let n = item.parse::<u64>().unwrap_or(u64::MAX);
            if length.is_some_and(|l| l != n) {
                return Err(ParseError::Bad(400, "Content-Length is not valid."));
            }
            length = Some(n);
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY as u64 {
        return Err(ParseError::Bad(413, "The request body is too large."));
    }
    let mut body = vec![0; usize::try_from(length).unwrap_or(MAX_BODY)];
    r.read_exact(&mut body).map_err(|_| ParseError::Closed)?;
    Ok(body)
}

fn read_chunked<R: BufRead>(r: &mut R) -> Result<Vec<u8>, ParseError> {
    let bad = || ParseError::Bad(400, "The chunked body is not valid.");
    let too_long = ParseError::Bad(413, "The request body is too large.");
    // Chunk-size lines and trailers share one budget, like a request head.
    let mut budget = MAX_HEAD;
    let mut body = Vec::new();
    loop {
        let Some(line) = read_line(r, &mut budget, bad())? else {
            return Err(ParseError::Closed);
        };
        let line = String::from_utf8_lossy(&line);
        let size = line.split(';').next().unwrap_or("").trim();
        if size.is_empty() || size.len() > 16 || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let size = u64::from_str_radix(size, 16).map_err(|_| bad())?;
        if size == 0 {
            break;
        }
        if size > (MAX_BODY - body.len()) as u64 {
            return Err(too_long);
        }
        let start = body.len();
        body.resize(start + usize::try_from(size).map_err(|_| bad())?, 0);
        r.read_exact(&mut body[start..])
            .map_err(|_| ParseError::Closed)?;
        match read_line(r, &mut budget, bad())? {
            Some(end) if end.is_empty() => {}
            Some(_) => return Err(bad()),
            None => return Err(ParseError::Closed),
        }
    }
    // Trailer fields, ignored, up to the empty line.
    loop {
        match read_line(r, &mut budget, bad())? {
            Some(line) if line.is_empty() => return Ok(body),
            Some(_) => {}
            None => return Err(ParseError::Closed),
        }
    }
}

/// One response to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response with this status and body.
    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response::new(status, vec![], body).with_header("Content-Type", "application/json")
    }

    /// A response with these headers and body.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
        Response {
            status,
            headers,
            body,
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The bytes on the wire: head, then the body unless `head_only` (`HEAD`).
    pub fn encode(&self, close: bool, head_only: bool) -> Vec<u8> {
        let reason = ureq::http::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let mut out = format!("HTTP/1.1 {} {reason}\r\n", self.status).into_bytes();
        let length = self.body.len().to_string();
        let close = close.then_some(("Connection", "close"));
        for (name, value) in self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())) {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        for (name, value) in [("Content-Length", length.as_str())]
            .into_iter()
            .chain(close)
        {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`) with the
/// `percent-encoding` crate; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let s = if plus_is_space {
        s.replace('+', " ")
    } else {
        s.to_string()
    };
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Splits a raw query string into decoded `(key, value)` pairs, in order.
/// A key without `=` gets an empty value; empty pieces are skipped.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// What a [`Server`]'s handler gets besides the request: the connection, to
/// misbehave on at byte level, and the server's stop signal.
#[allow(missing_debug_implementations)]
pub struct Conn<'a> {
    /// The connection; write to it only when the handler answers `None`.
    pub stream: &'a TcpStream,
    inner: &'a Inner,
}

impl Conn<'_> {
    /// Waits `delay`, or until the server stops.
    pub fn pause(&self, delay: Duration) {
        let deadline = Instant::now() + delay;
        let mut guard = lock(&self.inner.stop_lock);
        while !self.inner.stop.load(Ordering::SeqCst) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            guard = self
                .inner
                .stopped
                .wait_timeout(guard, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// Answers a request with a response, or `None` to close the connection
/// without one (after writing whatever it likes to [`Conn::stream`]).
type Handler = dyn Fn(&Request, &Conn<'_>) -> Option<Response> + Send + Sync;

struct Inner {
    handler: Box<Handler>,
    stop: AtomicBool,
    /// Held while setting `stop` and while [`Conn::pause`] waits on `stopped`.
    stop_lock: Mutex<()>,
    stopped: Condvar,
    accepted: AtomicU64,
    /// A handle on every open connection, so shutdown can close them.
    connections: Mutex<HashMap<u64, TcpStream>>,
    /// The connection threads not yet joined.
    workers: Mutex<Vec<JoinHandle<()>>>,
}

/// A blocking HTTP/1.1 server, one thread per connection, keep-alive,
/// `100 Continue`, malformed requests answered 400/413/431 in Telnyx's
/// envelope. Dropping it stops accepting, closes every connection (idle
/// ones included) and joins every thread.
#[allow(missing_debug_implementations)]
pub struct Server {
    addr: SocketAddr,
    inner: Arc<Inner>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `addr` and serves every request with `handler`.
    ///
    /// # Errors
    ///
    /// Binding the address or spawning the accept thread.
    pub fn start(
        addr: impl ToSocketAddrs,
        handler: impl Fn(&Request, &Conn<'_>) -> Option<Response> + Send + Sync + 'static,
    ) -> io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let inner = Arc::new(Inner {
            handler: Box::new(handler),
            stop: AtomicBool::new(false),
            stop_lock: Mutex::new(()),
            stopped: Condvar::new(),
            accepted: AtomicU64::new(0),
            connections: Mutex::new(HashMap::new()),
            workers: Mutex::new(Vec::new()),
        });
        let shared = Arc::clone(&inner);
        let accept = thread::Builder::new()
            .name("telnyx-mock-accept".to_string())
            .spawn(move || accept_loop(&listener, &shared))?;
        let accept = Some(accept);
        Ok(Server {
            addr,
            inner,
            accept,
        })
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.inner.accepted.load(Ordering::SeqCst)
    }

    /// Blocks until the server stops (for a server that runs until the
    /// process ends).
    pub fn wait(mut self) {
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let Some(accept) = self.accept.take() else {
            return;
        };
        {
            // Under the lock a paused answer waits with, so none misses the wake-up.
            let _guard = lock(&self.inner.stop_lock);
            self.inner.stop.store(true, Ordering::SeqCst);
            self.inner.stopped.notify_all();
        }
        // Wake the accept loop, blocked in accept(), with a connection of our
        // own; it sees the stop flag and exits. Should the connection fail,
        // the thread is left to exit on its next accept rather than hang here.
        if TcpStream::connect_timeout(&self.addr, Duration::from_secs(5)).is_ok() {
            let _ = accept.join();
        }
        // No new connections from here on: close the open ones, which ends
        // any read or write their threads are blocked in, and join them.
        for stream in lock(&self.inner.connections).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        for worker in std::mem::take(&mut *lock(&self.inner.workers)) {
            let _ = worker.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, inner: &Arc<Inner>) {
    for incoming in listener.incoming() {
        if inner.stop.load(Ordering::SeqCst) {
            return;
        }
        match incoming {
            Ok(stream) => spawn_connection(inner, stream),
            // Out of file descriptors or similar: don't spin.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn spawn_connection(inner: &Arc<Inner>, stream: TcpStream) {
    let id = inner.accepted.fetch_add(1, Ordering::SeqCst);
    let Ok(handle) = stream.try_clone() else {
        return;
    };
    // Join the threads of connections that have ended.
    let (done, running) = std::mem::take(&mut *lock(&inner.workers))
        .into_iter()
        .partition::<Vec<_>, _>(JoinHandle::is_finished);
    lock(&inner.workers).extend(running);
    for worker in done {
        let _ = worker.join();
    }
    lock(&inner.connections).insert(id, handle);
    let shared = Arc::clone(inner);
    let spawned = thread::Builder::new()
        .name("telnyx-mock-conn".to_string())
        .spawn(move || {
            serve_connection(&shared, &stream);
            lock(&shared.connections).remove(&id);
        });
    match spawned {
        Ok(worker) => lock(&inner.workers).push(worker),
        Err(_) => {
            if let Some(stream) = lock(&inner.connections).remove(&id) {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

/// Serves requests on one connection until it closes, a request asks to
/// close, a request is malformed, the handler answers `None`, or the server stops.
fn serve_connection(inner: &Inner, stream: &TcpStream) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream);
    let mut writer = stream;
    let conn = Conn { stream, inner };
    while !inner.stop.load(Ordering::SeqCst) {
        let mut request = match read_head(&mut reader) {
            Ok(head) => head,
            Err(error) => return reject(stream, error),
        };
        if request.expects_continue() && writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
        {
            break;
        }
        request.body = match read_body(&mut reader, &request) {
            Ok(body) => body,
            Err(error) => return reject(stream, error),
        };
        let Some(response) = (inner.handler)(&request, &conn) else {
            break;
        };
        let close = request.wants_close() || inner.stop.load(Ordering::SeqCst);
        let bytes = response.encode(close, request.method == "HEAD");
        if writer
            .write_all(&bytes)
            .and_then(|()| writer.flush())
            .is_err()
            || close
        {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Ends a connection whose request could not be read: answers a malformed
/// one, then lets the client read the answer before the socket closes.
fn reject(stream: &TcpStream, error: ParseError) {
    if let ParseError::Bad(status, detail) = error {
        let title = match status {
            413 => "Payload Too Large",
            431 => "Request Header Fields Too Large",
            _ => "Bad Request",
        };
        let response = Failure::malformed(status, title, detail).response();
        let mut writer = stream;
        if writer.write_all(&response.encode(true, false)).is_ok() {
            // Closing with unread input makes the kernel send a reset, which
            // can destroy the answer in flight: signal the end of the answer,
            // then discard what the client still sends (bounded in size and time).
            let _ = stream.shutdown(Shutdown::Write);
            let _ = stream.set_read_timeout(Some(DRAIN_TIMEOUT));
            let _ = io::copy(&mut stream.take(4 * MAX_BODY as u64), &mut io::sink());
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn parse(raw: &str) -> Result<(Request, Vec<u8>), ParseError> {
        let mut r = Cursor::new(raw.as_bytes().to_vec());
        let request = read_request(&mut r)?;
        let body = request.body.clone();
        Ok((request, body))
    }

    #[test]
    fn parses_head_and_content_length_body() {
        let (head, body) = parse(
            "POST /v2/x?a=1 HTTP/1.1\r\nHost: h\r\nContent-TYPE:  application/json \r\nContent-Length: 2\r\n\r\n{}",
        )
        .expect("valid request");
        assert_eq!(head.method, "POST");
        assert_eq!(head.path, "/v2/x");
        assert_eq!(head.query, "a=1");
        assert_eq!(head.header("content-type"), Some("application/json"));
        assert_eq!(body, b"{}");
        assert!(!head.wants_close());
    }

    #[test]
    fn parses_chunked_body_with_extensions_and_trailers() {
        let (_, body) = parse(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: y\r\n\r\n",
        )
        .expect("valid chunked request");
        assert_eq!(body, b"Wikipedia");
    }

    #[test]
    fn rejects_garbage_and_oversize() {
        assert_eq!(
            parse("GARBAGE\r\n\r\n").err(),
            Some(ParseError::Bad(400, "The request line is not valid."))
        );
        assert!(matches!(
            parse("GET / HTTP/1.1\r\nno colon here\r\n\r\n"),
            Err(ParseError::Bad(400, _))
        ));
        assert!(matches!(
            parse("GET / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n"),
            Err(ParseError::Bad(400, _))
        ));
        assert!(matches!(
            parse("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            Err(ParseError::Bad(413, _))
        ));
        assert!(matches!(
            parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Err(ParseError::Bad(400, _))
        ));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(parse(&long), Err(ParseError::Bad(431, _))));
        assert_eq!(parse("").err(), Some(ParseError::Closed));
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost").err(),
            Some(ParseError::Closed)
        );
    }

    #[test]
    fn connection_semantics() {
        let (h, _) = parse("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").expect("ok");
        assert!(h.wants_close());
        let (h, _) = parse("GET / HTTP/1.0\r\n\r\n").expect("ok");
        assert!(h.wants_close());
        let (h, _) = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").expect("ok");
        assert!(!h.wants_close());
    }

    #[test]
    fn decodes_percent_and_plus() {
        assert_eq!(
            parse_query("filter%5Bemail%5D%5Bcontains%5D=acme+co&b=%20x%2&c"),
            vec![
                ("filter[email][contains]".to_string(), "acme co".to_string()),
                ("b".to_string(), " x%2".to_string()),
                ("c".to_string(), String::new()),
            ]
        );
        assert_eq!(percent_decode("a+b%2Fc", false), "a+b/c");
    }
}
