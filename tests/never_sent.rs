//! "Never sent" holds for every failure of the connect phase: a TLS handshake
//! that stalls until the whole-call timeout, and one that fails. (Lookups and
//! proxies are checked inside the crate, with a fake resolver: see
//! `transport::classify`.)

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::faults::{Sleeps, builder_for};
use telnyx_blocking::managed_accounts::CreateManagedAccount;
use telnyx_blocking::{Error, RequestOutcome};

/// A loopback "https" server that accepts connections and hands each to `serve`.
struct TlsPeer {
    port: u16,
    connections: Arc<AtomicUsize>,
    held: Arc<Mutex<Vec<TcpStream>>>,
}

impl TlsPeer {
    fn start(serve: fn(TcpStream) -> Option<TcpStream>) -> TlsPeer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(Mutex::new(Vec::new()));
        let (count, keep) = (connections.clone(), held.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                if let Some(stream) = serve(stream) {
                    keep.lock().unwrap().push(stream);
                }
            }
        });
        TlsPeer {
            port,
            connections,
            held,
        }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}

impl Drop for TlsPeer {
    fn drop(&mut self) {
        self.held.lock().unwrap().clear();
    }
}

fn create() -> CreateManagedAccount {
    CreateManagedAccount::new("Example Co").email("owner@example.com")
}

#[test]
fn the_whole_call_timeout_expiring_during_the_handshake_is_never_sent() {
    // Accepts TCP and never answers the ClientHello: the call is still
    // connecting when the 1 s whole-call timeout (below the 5 s connect
    // timeout) expires. The server's silence, not a race, decides the outcome.
    let peer = TlsPeer::start(Some);
    let sleeps = Sleeps::new();
    let client = builder_for(&peer.url(), &sleeps)
        .timeout(Duration::from_secs(1))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.managed_accounts().create(create()).unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(!err.request_may_have_been_sent(), "{err:?}");
    assert_eq!(err.outcome(), RequestOutcome::NotProcessed);
    assert!(err.to_string().contains("while connecting"), "{err}");
    // Nothing was sent, so even a create is tried again.
    assert_eq!(sleeps.count(), 1);
    assert_eq!(peer.connections.load(Ordering::SeqCst), 2);
}

#[test]
fn a_failed_handshake_is_never_sent_and_says_tls() {
    // Plain HTTP where TLS was expected.
    let peer = TlsPeer::start(|mut stream| {
        let mut hello = [0u8; 512];
        let _ = stream.read(&mut hello);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        None
    });
    let sleeps = Sleeps::new();
    let client = builder_for(&peer.url(), &sleeps).build().unwrap();
    let err = client.managed_accounts().create(create()).unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(!err.request_may_have_been_sent(), "{err:?}");
    assert_eq!(err.outcome(), RequestOutcome::NotProcessed);
    assert!(err.to_string().contains("TLS"), "{err}");
    // It would fail the same way again: not retried.
    assert_eq!(sleeps.count(), 0);
    assert_eq!(peer.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_connection_closed_during_the_handshake_is_never_sent() {
    let peer = TlsPeer::start(|mut stream| {
        let mut hello = [0u8; 512];
        let _ = stream.read(&mut hello);
        None
    });
    let sleeps = Sleeps::new();
    let client = builder_for(&peer.url(), &sleeps)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.managed_accounts().create(create()).unwrap_err();
    assert!(!err.request_may_have_been_sent(), "{err:?}");
    assert_eq!(err.outcome(), RequestOutcome::NotProcessed);
}
