//! A loopback HTTPS server (rustls) with certificates made at test time (rcgen):
//! a test CA, and leaf certificates it issues, good or broken on purpose.
//!
//! The server counts accepted connections (every handshake attempt is one) and
//! completed handshakes, and answers requests like [`super::TestServer`].

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use telnyx_blocking::{Certificate, Telnyx, TelnyxBuilder};

use super::{Recorded, Reply, TEST_KEY, read_request};

/// A certificate authority made for one test.
pub struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).expect("CA certificate");
        TestCa {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The CA certificate, as a client trusts it.
    pub fn certificate(&self) -> Certificate {
        Certificate::from_pem(&self.pem).expect("CA PEM")
    }

    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid now.
    pub fn issue(&self, names: &[&str]) -> ServerCert {
        self.issue_with(names, |_| {})
    }

    /// A server certificate for `localhost`, expired years ago.
    pub fn issue_expired(&self) -> ServerCert {
        self.issue_with(&["localhost"], |p| {
            p.not_before = date_time_ymd(2000, 1, 1);
            p.not_after = date_time_ymd(2001, 1, 1);
        })
    }

    fn issue_with(&self, names: &[&str], edit: impl FnOnce(&mut CertificateParams)) -> ServerCert {
        let key = KeyPair::generate().expect("leaf key");
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("leaf params");
        params
            .distinguished_name
            .push(DnType::CommonName, "loopback test server");
        edit(&mut params);
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("leaf certificate");
        ServerCert {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }
}

/// A certificate chain and its private key, for [`TlsServer`].
#[derive(Clone)]
pub struct ServerCert {
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

impl ServerCert {
    /// A self-signed certificate for `localhost`, issued by no CA anyone trusts.
    pub fn self_signed() -> ServerCert {
        let key = KeyPair::generate().expect("key");
        let params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
        let cert = params.self_signed(&key).expect("self-signed");
        ServerCert {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }
}

impl ServerCert {
    /// A rustls server configuration presenting this certificate (also used by
    /// the TLS-speaking proxy in `proxy.rs`).
    pub fn server_config(self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key));
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(self.chain, key)
            .expect("server certificate");
        Arc::new(config)
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

pub struct TlsServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    handshakes: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl TlsServer {
    /// Serves `cert` on a loopback port, answering every request with `handler`.
    pub fn start(
        cert: ServerCert,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> TlsServer {
        let config = cert.server_config();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let handshakes = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let (accepted, handshakes, requests, stop) = (
                accepted.clone(),
                handshakes.clone(),
                requests.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    accepted.fetch_add(1, Ordering::SeqCst);
                    let (config, handshakes, requests, handler) = (
                        config.clone(),
                        handshakes.clone(),
                        requests.clone(),
                        handler.clone(),
                    );
                    std::thread::spawn(move || {
                        serve_tls(stream, config, &handshakes, &requests, &*handler)
                    });
                }
            })
        };
        TlsServer {
            port,
            accepted,
            handshakes,
            requests,
            stop,
            accept: Some(accept),
        }
    }

    /// Always answers `200` with `body`.
    pub fn json(cert: ServerCert, body: &str) -> TlsServer {
        let reply = Reply::json(200, body);
        TlsServer::start(cert, move |_| reply.clone())
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://localhost:<port>`: `localhost` comes from /etc/hosts, not DNS.
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// A client for this server that trusts nothing extra and never sleeps.
    pub fn builder(&self) -> TelnyxBuilder {
        Telnyx::builder()
            .api_key(TEST_KEY)
            .base_url(self.url())
            .no_proxy()
            .sleep_fn(|_| {})
    }

    /// TCP connections accepted: one per handshake attempt.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Handshakes completed.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn serve_tls(
    mut tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    handshakes: &AtomicUsize,
    requests: &Mutex<Vec<Recorded>>,
    handler: &Handler,
) {
    let _ = tcp.set_nodelay(true);
    let Ok(mut conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    while conn.is_handshaking() {
        if conn.complete_io(&mut tcp).is_err() {
            return; // the client refused the certificate (or went away)
        }
    }
    handshakes.fetch_add(1, Ordering::SeqCst);
    let mut reader = BufReader::new(rustls::StreamOwned::new(conn, tcp));
    loop {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        let reply = handler(&request);
        requests.lock().unwrap().push(request);
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
            reply.status,
            reply.body.len()
        )
        .into_bytes();
        for (name, value) in &reply.headers {
            out.extend(format!("{name}: {value}\r\n").into_bytes());
        }
        out.extend(b"\r\n");
        out.extend(&reply.body);
        let stream = reader.get_mut();
        if stream
            .write_all(&out)
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

/// A plain-HTTP/1.1 server, for clients that wrongly speak TLS to it: it answers
/// whatever arrives (a ClientHello) with `400 Bad Request`, as web servers do,
/// then closes its side and reads until the client closes (so no unread byte
/// turns the close into a reset that could discard the answer).
pub struct PlainHttpServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
}

impl PlainHttpServer {
    pub fn start() -> PlainHttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let mut buf = [0u8; 4096];
                    let _ = std::io::Read::read(&mut stream, &mut buf);
                    let body = "<html><body>400 Bad Request</body></html>";
                    let reply = format!(
                        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/html\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(reply.as_bytes());
                    let _ = stream.shutdown(std::net::Shutdown::Write);
                    while matches!(std::io::Read::read(&mut stream, &mut buf), Ok(n) if n > 0) {}
                });
            }
        });
        PlainHttpServer { port, accepted }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// TCP connections accepted.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}
