//! A loopback HTTP `CONNECT` proxy that records what it sees (the request line and
//! headers of each CONNECT) and tunnels the bytes, TLS included, to the target;
//! the same behind a TLS front (an `https://` proxy); and a minimal SOCKS5 server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::tls::ServerCert;

/// What the proxy saw of one connection before it started tunnelling.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `CONNECT localhost:1234 HTTP/1.1`
    pub request_line: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    /// Every byte the proxy read from the client before answering, as text.
    pub head: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Asserts this was `CONNECT localhost:<port>` and carried no API key.
    pub fn assert_connect_to_localhost(&self, port: u16) {
        let line = format!("CONNECT localhost:{port} ");
        assert!(self.request_line.starts_with(&line), "{self:?}");
        assert_eq!(self.header("authorization"), None, "{self:?}");
        assert!(!self.head.contains(super::TEST_KEY), "{self:?}");
    }
}

pub struct ConnectProxy {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl ConnectProxy {
    /// Tunnels every CONNECT to 127.0.0.1 on the port asked for, whatever the host:
    /// `localhost` needs no lookup, and nothing leaves the machine.
    pub fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let seen = seen.clone();
                    std::thread::spawn(move || tunnel(stream, &seen));
                }
            })
        };
        ConnectProxy {
            port,
            seen,
            stop,
            accept: Some(accept),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn tunnel(client: TcpStream, seen: &Mutex<Vec<Seen>>) {
    let Ok(read_half) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut head = String::new();
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    head.push_str(&request_line);
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        head.push_str(&line);
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let request_line = request_line.trim_end().to_owned();
    let target_port = request_line
        .split_whitespace()
        .nth(1)
        .and_then(|authority| authority.rsplit_once(':'))
        .and_then(|(_, port)| port.parse::<u16>().ok());
    let is_connect = request_line.starts_with("CONNECT ");
    seen.lock().unwrap().push(Seen {
        request_line,
        headers,
        head,
    });
    let mut client_writer = client;
    let (true, Some(port)) = (is_connect, target_port) else {
        let _ = client_writer.write_all(b"HTTP/1.1 405 Only CONNECT\r\ncontent-length: 0\r\n\r\n");
        return;
    };
    let Ok(upstream) = TcpStream::connect(("127.0.0.1", port)) else {
        let _ = client_writer.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        return;
    };
    if client_writer
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let Ok(mut upstream_writer) = upstream.try_clone() else {
        return;
    };
    // Bytes the reader buffered past the head belong to the tunnel.
    let buffered = reader.buffer().to_vec();
    if upstream_writer.write_all(&buffered).is_err() {
        return;
    }
    let mut upstream_reader = upstream;
    let down = std::thread::spawn(move || {
        let _ = std::io::copy(&mut upstream_reader, &mut client_writer);
        let _ = client_writer.shutdown(Shutdown::Write);
    });
    let mut rest = reader.into_inner();
    let _ = std::io::copy(&mut rest, &mut upstream_writer);
    let _ = upstream_writer.shutdown(Shutdown::Write);
    let _ = down.join();
}

/// An `https://` proxy: a TLS front (rustls, with a certificate from the test CA)
/// that decrypts and hands the bytes to a [`ConnectProxy`], which records the
/// CONNECT and tunnels on. The client's TLS to the API server runs inside.
pub struct TlsConnectProxy {
    inner: ConnectProxy,
    handshakes: Arc<AtomicUsize>,
    front: Acceptor,
}

impl TlsConnectProxy {
    pub fn start(cert: ServerCert) -> TlsConnectProxy {
        let inner = ConnectProxy::start();
        let backend = inner.port();
        let config = cert.server_config();
        let handshakes = Arc::new(AtomicUsize::new(0));
        let front = {
            let handshakes = handshakes.clone();
            Acceptor::start(move |stream| {
                terminate_tls(stream, config.clone(), &handshakes, backend);
            })
        };
        TlsConnectProxy {
            inner,
            handshakes,
            front,
        }
    }

    /// `https://127.0.0.1:<port>`: the certificate must name 127.0.0.1.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.front.port)
    }

    /// TLS handshakes completed with the proxy itself.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }

    /// What the proxy saw inside its TLS.
    pub fn seen(&self) -> Vec<Seen> {
        self.inner.seen()
    }
}

/// Runs the server side of TLS on `client` and relays the plaintext to the
/// backend port, both ways, until either side closes. One rustls connection is
/// shared by the two directions under a lock; each thread blocks only on its own
/// socket's read, never while holding it.
fn terminate_tls(
    mut client: TcpStream,
    config: Arc<rustls::ServerConfig>,
    handshakes: &AtomicUsize,
    backend: u16,
) {
    let Ok(mut conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    while conn.is_handshaking() {
        if conn.complete_io(&mut client).is_err() {
            return; // the client refused the certificate (or went away)
        }
    }
    handshakes.fetch_add(1, Ordering::SeqCst);
    let (Ok(upstream), Ok(mut client_writer)) = (
        TcpStream::connect(("127.0.0.1", backend)),
        client.try_clone(),
    ) else {
        return;
    };
    let Ok(mut upstream_writer) = upstream.try_clone() else {
        return;
    };
    // The read that finished the handshake may have brought application data too.
    if !flush_tls(&mut conn, &mut client_writer)
        || upstream_writer.write_all(&decrypted(&mut conn)).is_err()
    {
        return;
    }
    let conn = Arc::new(Mutex::new(conn));
    let down = {
        let conn = conn.clone();
        let mut upstream = upstream;
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                let n = upstream.read(&mut buf).unwrap_or(0);
                let mut conn = conn.lock().unwrap();
                if n == 0 {
                    conn.send_close_notify();
                } else if conn.writer().write_all(&buf[..n]).is_err() {
                    break;
                }
                let sent = flush_tls(&mut conn, &mut client_writer);
                if n == 0 || !sent {
                    break;
                }
            }
            let _ = client_writer.shutdown(Shutdown::Write);
        })
    };
    let mut buf = [0u8; 16 * 1024];
    'read: loop {
        let n = client.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        let mut plain = Vec::new();
        {
            let mut conn = conn.lock().unwrap();
            let mut input = &buf[..n];
            while !input.is_empty() {
                if conn.read_tls(&mut input).is_err() || conn.process_new_packets().is_err() {
                    break 'read;
                }
                plain.extend(decrypted(&mut conn));
            }
            // Alerts or key updates the reading side produced.
            let Ok(mut writer) = client.try_clone() else {
                break;
            };
            if !flush_tls(&mut conn, &mut writer) {
                break;
            }
        }
        if upstream_writer.write_all(&plain).is_err() {
            break;
        }
    }
    let _ = upstream_writer.shutdown(Shutdown::Write);
    let _ = down.join();
}

/// The plaintext rustls has decrypted so far.
fn decrypted(conn: &mut rustls::ServerConnection) -> Vec<u8> {
    let mut plain = Vec::new();
    let mut chunk = [0u8; 4096];
    // Ok(0) is close_notify, WouldBlock is "nothing more yet".
    while let Ok(k @ 1..) = conn.reader().read(&mut chunk) {
        plain.extend_from_slice(&chunk[..k]);
    }
    plain
}

fn flush_tls(conn: &mut rustls::ServerConnection, socket: &mut TcpStream) -> bool {
    while conn.wants_write() {
        if conn.write_tls(socket).is_err() {
            return false;
        }
    }
    true
}

/// One SOCKS request as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocksSeen {
    /// 1 is CONNECT.
    pub command: u8,
    /// `Ip(..)` for address type 1, `Domain(..)` for type 3.
    pub address: SocksAddress,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocksAddress {
    Ip(std::net::Ipv4Addr),
    Domain(String),
}

/// A minimal SOCKS5 server (RFC 1928): no authentication, CONNECT only, IPv4 and
/// domain addresses. Every CONNECT goes to 127.0.0.1 on the port asked for.
pub struct Socks5Proxy {
    seen: Arc<Mutex<Vec<SocksSeen>>>,
    listener: Acceptor,
}

impl Socks5Proxy {
    pub fn start() -> Socks5Proxy {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let listener = {
            let seen = seen.clone();
            Acceptor::start(move |stream| socks5(stream, &seen))
        };
        Socks5Proxy { seen, listener }
    }

    /// `socks5://127.0.0.1:<port>` for `scheme` "socks5"; also "socks5h".
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.listener.port)
    }

    pub fn seen(&self) -> Vec<SocksSeen> {
        self.seen.lock().unwrap().clone()
    }
}

fn socks5(mut client: TcpStream, seen: &Mutex<Vec<SocksSeen>>) {
    let Some(request) = socks5_request(&mut client) else {
        return;
    };
    let (command, port) = (request.command, request.port);
    seen.lock().unwrap().push(request);
    // Reply: version, status, reserved, then a bound address (0.0.0.0:0).
    let reply = |status: u8| [5, status, 0, 1, 0, 0, 0, 0, 0, 0];
    if command != 1 {
        let _ = client.write_all(&reply(7)); // command not supported
        return;
    }
    let Ok(upstream) = TcpStream::connect(("127.0.0.1", port)) else {
        let _ = client.write_all(&reply(5)); // connection refused
        return;
    };
    if client.write_all(&reply(0)).is_err() {
        return;
    }
    relay(client, upstream);
}

/// Reads the greeting (answering "no authentication" if offered) and the request.
fn socks5_request(client: &mut TcpStream) -> Option<SocksSeen> {
    let mut head = [0u8; 2];
    client.read_exact(&mut head).ok()?;
    let mut methods = vec![0u8; usize::from(head[1])];
    client.read_exact(&mut methods).ok()?;
    if head[0] != 5 || !methods.contains(&0) {
        let _ = client.write_all(&[5, 0xff]);
        return None;
    }
    client.write_all(&[5, 0]).ok()?;
    let mut request = [0u8; 4];
    client.read_exact(&mut request).ok()?;
    let address = match request[3] {
        1 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip).ok()?;
            SocksAddress::Ip(ip.into())
        }
        3 => {
            let mut len = [0u8; 1];
            client.read_exact(&mut len).ok()?;
            let mut name = vec![0u8; usize::from(len[0])];
            client.read_exact(&mut name).ok()?;
            SocksAddress::Domain(String::from_utf8_lossy(&name).into_owned())
        }
        _ => {
            let _ = client.write_all(&[5, 8, 0, 1, 0, 0, 0, 0, 0, 0]); // address type
            return None;
        }
    };
    let mut port = [0u8; 2];
    client.read_exact(&mut port).ok()?;
    Some(SocksSeen {
        command: request[1],
        address,
        port: u16::from_be_bytes(port),
    })
}

/// Copies bytes both ways until each side has closed its half.
fn relay(client: TcpStream, upstream: TcpStream) {
    let (Ok(mut client_reader), Ok(mut upstream_reader)) =
        (client.try_clone(), upstream.try_clone())
    else {
        return;
    };
    let (mut client_writer, mut upstream_writer) = (client, upstream);
    let down = std::thread::spawn(move || {
        let _ = std::io::copy(&mut upstream_reader, &mut client_writer);
        let _ = client_writer.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut client_reader, &mut upstream_writer);
    let _ = upstream_writer.shutdown(Shutdown::Write);
    let _ = down.join();
}

/// A loopback listener that runs `serve` on a thread per connection, and stops
/// accepting (joining its accept thread) when dropped.
struct Acceptor {
    port: u16,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Acceptor {
    fn start(serve: impl Fn(TcpStream) + Send + Sync + 'static) -> Acceptor {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let serve = Arc::new(serve);
        let accept = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let serve = serve.clone();
                    std::thread::spawn(move || serve(stream));
                }
            })
        };
        Acceptor {
            port,
            stop,
            accept: Some(accept),
        }
    }
}

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}
