//! A raw-TCP loopback server that misbehaves on purpose, one scripted action per
//! request: answer, reset, stall, cut the body short, redirect.
//!
//! It counts accepted connections and received requests. A request counts once its
//! request line, headers and body have all been read, so "N requests" means the
//! server saw N complete requests, whatever it then did with them.
//!
//! Stalling actions never rely on timing luck: they wait until the client gives up
//! and closes the connection (or a generous upper bound passes), far longer than
//! the short client timeouts the tests use.

use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use telnyx_blocking::{Telnyx, TelnyxBuilder};

use super::{Recorded, TEST_KEY};

/// The longest a stalling action waits for the client to hang up.
pub const STALL_MAX: Duration = Duration::from_secs(5);

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// A complete answer; `content-length` is added. The connection stays open.
    Respond(u16, Vec<(String, String)>, Vec<u8>),
    /// Read the request, then close the connection without a byte of answer.
    ResetBeforeResponse,
    /// Send the status line and half a header, then close.
    PartialThenClose,
    /// Send nothing until the client hangs up (or the duration passes, then close).
    SlowHeaders(Duration),
    /// Send complete headers (`content-length: 1000`) and a few body bytes, then
    /// stall until the client hangs up (or the duration passes, then close).
    SlowBody(Duration),
    /// `content-length: 1000`, a few bytes of body, then close.
    Truncated,
    /// `transfer-encoding: chunked`, one chunk, then close without the last chunk.
    ChunkedCutOff,
    /// A redirect with this status to this absolute URL.
    Redirect(u16, String),
}

impl Action {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Action {
        Action::Respond(
            status,
            vec![("content-type".into(), "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }

    /// An answer with no body.
    pub fn status(status: u16) -> Action {
        Action::Respond(status, Vec::new(), Vec::new())
    }

    /// An answer with a content type and a text body.
    pub fn text(status: u16, content_type: &str, body: &str) -> Action {
        Action::Respond(
            status,
            vec![("content-type".into(), content_type.into())],
            body.as_bytes().to_vec(),
        )
    }

    /// Adds a header to a `Respond` action (other actions are unchanged).
    pub fn header(mut self, name: &str, value: &str) -> Action {
        if let Action::Respond(_, headers, _) = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

pub struct FaultServer {
    port: u16,
    seen: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl FaultServer {
    /// Follows `script[n]` for the n-th request; past the end the last action repeats.
    pub fn start(script: Vec<Action>) -> FaultServer {
        assert!(
            !script.is_empty(),
            "a fault script needs at least one action"
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let script = Arc::new(script);
        let accept = {
            let (seen, connections, stop) = (seen.clone(), connections.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let (seen, script) = (seen.clone(), script.clone());
                    std::thread::spawn(move || serve(stream, &seen, &script));
                }
            })
        };
        FaultServer {
            port,
            seen,
            connections,
            stop,
            accept: Some(accept),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Complete requests received so far.
    pub fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The request count once it reaches `expected` (or after [`STALL_MAX`]).
    ///
    /// After a client timeout the client returns while the server may, on a very
    /// loaded machine, not yet have read the last request it was sent; this waits
    /// for that event instead of hoping it already happened. It can only wait for
    /// requests the client already sent, so it never hides an extra request.
    pub fn requests_settled(&self, expected: usize) -> usize {
        let deadline = Instant::now() + STALL_MAX;
        while self.requests() < expected && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        self.requests()
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap().clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// A client builder for this server whose sleeps go to `sleeps`.
    pub fn builder(&self, sleeps: &Sleeps) -> TelnyxBuilder {
        builder_for(&self.url(), sleeps)
    }

    /// A client for this server with the default retry policy, recording its sleeps.
    pub fn client(&self, sleeps: &Sleeps) -> Telnyx {
        self.builder(sleeps).build().expect("client")
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// A client builder for `url` (test key, sleeps recorded, nothing else changed).
pub fn builder_for(url: &str, sleeps: &Sleeps) -> TelnyxBuilder {
    Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(url)
        .sleep_fn(sleeps.recorder())
}

/// A loopback port on which nothing listens, so connecting to it is refused.
///
/// A port merely bound and released could be taken by another test's server in
/// between; this one stays the local port of a live loopback connection for as long
/// as the value lives, so no listener can bind it meanwhile.
pub struct RefusedPort {
    url: String,
    _held: (TcpStream, TcpStream),
}

impl RefusedPort {
    pub fn new() -> RefusedPort {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let client = TcpStream::connect(listener.local_addr().expect("local addr"))
            .expect("connect loopback");
        let (accepted, _) = listener.accept().expect("accept loopback");
        let port = client.local_addr().expect("local addr").port();
        RefusedPort {
            url: format!("http://127.0.0.1:{port}"),
            _held: (client, accepted),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

/// Records every wait the client asks for instead of sleeping.
#[derive(Debug, Clone, Default)]
pub struct Sleeps(Arc<Mutex<Vec<Duration>>>);

impl Sleeps {
    pub fn new() -> Sleeps {
        Sleeps::default()
    }

    pub fn recorder(&self) -> impl Fn(Duration) + Send + Sync + 'static {
        let waits = self.0.clone();
        move |d| waits.lock().unwrap().push(d)
    }

    pub fn all(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Recorded>>, script: &[Action]) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut stream = stream;
    loop {
        let Some(request) = super::read_request(&mut reader) else {
            return;
        };
        let action = {
            let mut seen = seen.lock().unwrap();
            let n = seen.len();
            seen.push(request);
            script[n.min(script.len() - 1)].clone()
        };
        let keep_open = act(&mut stream, &mut reader, action);
        if !keep_open {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Carries out one action; `true` when the connection may serve another request.
fn act(stream: &mut TcpStream, reader: &mut BufReader<TcpStream>, action: Action) -> bool {
    const HEAD_1000: &str =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
    let write = |stream: &mut TcpStream, bytes: &[u8]| {
        stream
            .write_all(bytes)
            .and_then(|()| stream.flush())
            .is_ok()
    };
    match action {
        Action::Respond(status, headers, body) => {
            let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
            for (name, value) in &headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            write(stream, head.as_bytes()) && write(stream, &body)
        }
        Action::ResetBeforeResponse => false,
        Action::PartialThenClose => {
            write(stream, b"HTTP/1.1 200 OK\r\ncontent-type: applic");
            false
        }
        Action::SlowHeaders(max) => {
            wait_for_hangup(reader, max);
            false
        }
        Action::SlowBody(max) => {
            if write(stream, HEAD_1000.as_bytes()) && write(stream, br#"{"data":{"id":"#) {
                wait_for_hangup(reader, max);
            }
            false
        }
        Action::Truncated => {
            write(stream, HEAD_1000.as_bytes());
            write(stream, br#"{"data":{"id":"x","#);
            false
        }
        Action::ChunkedCutOff => {
            write(
                stream,
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                  transfer-encoding: chunked\r\n\r\n11\r\n{\"data\":{\"id\":\"x\"\r\n",
            );
            false
        }
        Action::Redirect(status, location) => {
            let head =
                format!("HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n");
            write(stream, head.as_bytes())
        }
    }
}

/// Blocks until the client closes its side of the connection, or `max` passes.
fn wait_for_hangup(reader: &mut BufReader<TcpStream>, max: Duration) {
    let deadline = Instant::now() + max;
    let mut buf = [0u8; 512];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || reader.get_ref().set_read_timeout(Some(left)).is_err() {
            return;
        }
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}
