//! A loopback HTTP/1.1 server for the integration tests: the mock's own server,
//! recording every request and answering with whatever the test's handler returns.
#![allow(dead_code)]

pub mod faults;
pub mod proxy;
pub mod tls;

use std::io::BufRead;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use percent_encoding::percent_decode_str;
use telnyx_blocking::Telnyx;
use telnyx_blocking::mock::http::{self, Conn, Request, Response, Server};

/// The fake key every test client uses.
pub const TEST_KEY: &str = "KEYtest_0123456789abcdef";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target exactly as sent, e.g. `/managed_accounts?page%5Bnumber%5D=2`.
    pub target: String,
    /// The path, percent-decoded.
    pub path: String,
    /// The raw (still encoded) path.
    pub raw_path: String,
    /// Query pairs, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header names lowercased, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn query_pairs(&self) -> Vec<(&str, &str)> {
        self.query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn text(status: u16, content_type: &str, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A [`mock::http::Server`] (the mock's own HTTP/1.1 server: the repo has one)
/// that records every request and answers with what the test's handler returns.
pub struct TestServer {
    server: Server,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Serves every request with `handler`.
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let server = Server::start("127.0.0.1:0", move |request: &Request, _: &Conn<'_>| {
            let request = Recorded::from(request);
            let reply = handler(&request);
            seen.lock().unwrap().push(request);
            Some(Response::new(reply.status, reply.headers, reply.body))
        })
        .expect("bind loopback");
        TestServer { server, requests }
    }

    /// Answers the n-th request with `replies[n]` (the last one repeats).
    pub fn replies(replies: Vec<Reply>) -> TestServer {
        let next = AtomicUsize::new(0);
        TestServer::start(move |_| {
            let i = next.fetch_add(1, Ordering::SeqCst);
            replies[i.min(replies.len() - 1)].clone()
        })
    }

    /// Always answers `200` with `body`.
    pub fn json(body: &str) -> TestServer {
        TestServer::replies(vec![Reply::json(200, body)])
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// A client for this server that never sleeps between retries.
    pub fn client(&self) -> Telnyx {
        self.builder().build().expect("client")
    }

    pub fn builder(&self) -> telnyx_blocking::TelnyxBuilder {
        Telnyx::builder()
            .api_key(TEST_KEY)
            .base_url(self.url())
            .sleep_fn(|_| {})
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The single request received; fails the test if there were more or fewer.
    pub fn only_request(&self) -> Recorded {
        let all = self.requests();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
        all.into_iter().next().unwrap()
    }

    pub fn connection_count(&self) -> usize {
        usize::try_from(self.server.connections()).unwrap()
    }
}

impl From<&Request> for Recorded {
    fn from(request: &Request) -> Recorded {
        let target = match request.query.as_str() {
            "" => request.path.clone(),
            query => format!("{}?{query}", request.path),
        };
        let query = request
            .query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v))
            })
            .collect();
        Recorded {
            method: request.method.clone(),
            path: decode(&request.path),
            raw_path: request.path.clone(),
            target,
            query,
            headers: request.headers.clone(),
            body: request.body.clone(),
        }
    }
}

/// Reads one request with the mock's parser; `None` on EOF or anything malformed.
/// For the fakes that misbehave at byte level on a raw socket.
pub fn read_request(reader: &mut impl BufRead) -> Option<Recorded> {
    http::read_request(reader).ok().map(|r| Recorded::from(&r))
}

/// Percent-decoding (no `+` for space: the client must send `%20`).
pub fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Reads a fixture from `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
