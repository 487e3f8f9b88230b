//! What a failure means: whether the request may have reached the server, and
//! whether another attempt may fail differently ([`retry`](super::retry) decides).

use std::time::SystemTime;

use ureq::http::HeaderMap;

use super::pacing::{rate_limit_info, request_id, retry_after};
use super::resolver::{Stage, take_connect_phase};
use super::retry::Outcome;
use crate::error::{ApiError, CallInfo, Error};

/// One failed attempt: the error to report, and what it means for a retry.
pub(super) struct Failure {
    pub(super) error: Error,
    pub(super) outcome: Outcome,
}

impl Failure {
    pub(super) fn fatal(error: Error) -> Self {
        let outcome = Outcome::Fatal;
        Failure { error, outcome }
    }

    fn failed(error: Error, sent: bool, transient: bool) -> Self {
        let outcome = Outcome::Failed { sent, transient };
        Failure { error, outcome }
    }
}

impl super::Transport {
    /// Every error of a call leaves the transport through here: the API key and
    /// the call's own secret are scrubbed from it, and it learns which call failed.
    pub(super) fn finish_error(&self, error: Error, call: &super::Call<'_>) -> Error {
        let secret = call.secret.map_or("", |s| s.expose());
        let secrets = [self.api_key.expose(), secret];
        let info = CallInfo::new(call.method.as_str(), &self.base, call.path, &secrets);
        error.finish(&secrets, Some(info))
    }
}

/// The failure for a non-2xx answer, raw: `finish_error` cleans it.
pub(super) fn status_failure(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    api_key: &str,
) -> Failure {
    let now = SystemTime::now();
    let retry_after = retry_after(headers, now);
    let rate_limit = rate_limit_info(headers);
    let wait = match status {
        429 => retry_after.or(rate_limit.reset),
        _ => retry_after,
    };
    // Filtered and cut like a 2xx answer's: it goes into logs and error text.
    let id = request_id(headers, api_key);
    let api = ApiError::new(status, headers, body, id, retry_after, rate_limit);
    let error = if status == 429 {
        Error::RateLimited(api)
    } else {
        Error::Api(api)
    };
    Failure {
        error,
        outcome: Outcome::Status(status, wait),
    }
}

/// The failure for an error before any response: never sent, or maybe sent.
///
/// Every failure of the connect phase (lookup, TCP connect, proxy, TLS, the
/// whole-call timeout expiring meanwhile) arrives marked by the resolver and
/// connector seams (see [`take_connect_phase`]): nothing of the request was written.
pub(super) fn transport_failure(e: ureq::Error) -> Failure {
    let (e, stage) = take_connect_phase(e);
    if stage.is_some() || never_sent(&e) {
        let transient = transient(&e) && !tls_failure(&e, stage);
        return Failure::failed(transport_error(e, false, stage), false, transient);
    }
    transport_failure_after_send(e)
}

/// The failure for an error once the request may have reached the server.
pub(super) fn transport_failure_after_send(e: ureq::Error) -> Failure {
    let (e, _) = take_connect_phase(e);
    let transient = transient(&e);
    Failure::failed(transport_error(e, true, None), true, transient)
}

/// `true` when the error itself shows that the request never left this machine,
/// whatever phase reported it.
fn never_sent(e: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    match e {
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::TlsRequired => true,
        ureq::Error::Timeout(t) => matches!(t, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        ureq::Error::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionRefused | ErrorKind::NotConnected | ErrorKind::AddrNotAvailable
        ),
        _ => false,
    }
}

/// `true` for failures a new attempt may not hit again: the network (I/O, DNS,
/// connect, timeouts) or a response garbled on the way. A bad certificate, a bad URL,
/// oversized or too many headers or a redirect fail the same way every time.
fn transient(e: &ureq::Error) -> bool {
    match e {
        // ureq does not export ureq-proto's error type: its variant name is the Debug text.
        ureq::Error::Protocol(p) => format!("{p:?}") != "HttpParseTooManyHeaders",
        _ => matches!(
            e,
            ureq::Error::Io(_)
                | ureq::Error::Timeout(_)
                | ureq::Error::HostNotFound
                | ureq::Error::ConnectionFailed
        ),
    }
}

/// `true` for a failed TLS handshake. rustls reports it as an I/O error of kind
/// `InvalidData` (its `complete_io`), which in the connect phase nothing else produces.
fn tls_failure(e: &ureq::Error, stage: Option<Stage>) -> bool {
    match e {
        ureq::Error::Tls(_) | ureq::Error::TlsRequired => true,
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        ureq::Error::Pem(_) => true,
        #[cfg(feature = "rustls")]
        ureq::Error::Rustls(_) => true,
        #[cfg(feature = "native-tls")]
        ureq::Error::NativeTls(_) | ureq::Error::Der(_) => true,
        ureq::Error::Io(io) => {
            stage == Some(Stage::Connect) && io.kind() == std::io::ErrorKind::InvalidData
        }
        _ => false,
    }
}

/// `true` when a TLS library's text is about the peer's certificate (rustls:
/// "invalid peer certificate", "BadCertificate", "UnknownCA"; OpenSSL "certificate
/// verify failed"; Secure Transport and SChannel name the certificate as well).
fn about_certificate(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    let words = "certificate|unknownca|unknown ca|issuer|self signed|self-signed";
    words.split('|').any(|word| text.contains(word))
}

/// Our own description of `e`. It does not repeat `e`'s text, which stays
/// reachable as the error's `source()`: a report that prints the chain shows
/// each line once. `None` where ureq's text is all there is to say.
fn describe(e: &ureq::Error, stage: Option<Stage>) -> Option<String> {
    use std::io::ErrorKind;
    let connecting = stage.is_some();
    let text = match e {
        ureq::Error::Timeout(ureq::Timeout::Global) if connecting => {
            "the request timeout (per attempt, or what was left of the deadline) \
             expired while connecting (nothing was sent)"
        }
        ureq::Error::Timeout(ureq::Timeout::Global) => {
            "the request timeout (per attempt, or what was left of the deadline) expired"
        }
        ureq::Error::Timeout(ureq::Timeout::Resolve) => "timed out resolving the API host name",
        ureq::Error::Timeout(ureq::Timeout::Connect) => "the connect timeout expired",
        ureq::Error::Timeout(_) => "timed out waiting for the API",
        ureq::Error::HostNotFound => "could not resolve the API host name",
        ureq::Error::Io(_) if stage == Some(Stage::Resolve) => {
            "could not resolve the API host name"
        }
        ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            "connection refused by the API host"
        }
        ureq::Error::ConnectProxyFailed(_) => "the proxy refused to connect to the API host",
        tls if tls_failure(tls, stage) => {
            let text = tls.to_string();
            if about_certificate(&text) {
                "TLS certificate problem: the server's certificate was not accepted"
            } else if text.contains("InvalidContentType") || text.contains("wrong version number") {
                // The answer was not TLS (rustls; OpenSSL): most likely plain HTTP.
                "TLS handshake failed: the server answered in plain text, not TLS \
                 (is it a plain http:// server?)"
            } else {
                "TLS handshake failed"
            }
        }
        ureq::Error::Io(io) if connecting => match io.kind() {
            ErrorKind::TimedOut => "timed out while connecting (nothing was sent)",
            _ => "could not connect to the API host (nothing was sent)",
        },
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::TimedOut => "timed out waiting for the API",
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => "the connection was reset",
            ErrorKind::UnexpectedEof => "the connection closed before the whole answer arrived",
            ErrorKind::BrokenPipe => "the connection broke while sending the request",
            _ => "the connection failed",
        },
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "the API answered with a redirect, which this client does not follow"
        }
        _ => return None,
    };
    Some(text.to_owned())
}

fn transport_error(e: ureq::Error, sent: bool, stage: Option<Stage>) -> Error {
    use std::io::ErrorKind;
    let timed_out = match &e {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => io.kind() == ErrorKind::TimedOut,
        _ => false,
    };
    match describe(&e, stage) {
        Some(message) => Error::transport(timed_out, &message, sent, Some(e)),
        // ureq's text is the message, so it is not kept as the source too.
        None => Error::transport(timed_out, &e.to_string(), sent, None),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Replay;
    use super::super::retry::{Attempt, decide};
    use super::*;

    /// A failure and whether the first attempt of a `replay` call is retried after it.
    struct Checked {
        error: Error,
        retryable: bool,
    }

    fn transport_failure(e: ureq::Error, replay: Replay) -> Checked {
        let failure = super::transport_failure(e);
        let first = Attempt {
            number: 1,
            elapsed: std::time::Duration::ZERO,
            random: 0,
        };
        let config = crate::options::Config::default();
        let decision = decide(&first, failure.outcome, replay, &config);
        Checked {
            error: failure.error,
            retryable: decision.is_ok(),
        }
    }

    /// A lookup that fails as the system resolver does (an I/O error, not
    /// `HostNotFound`), without any DNS query.
    #[derive(Debug)]
    struct FailingDns;

    impl ureq::unversioned::resolver::Resolver for FailingDns {
        fn resolve(
            &self,
            _uri: &ureq::http::Uri,
            _config: &ureq::config::Config,
            _timeout: ureq::unversioned::transport::NextTimeout,
        ) -> std::result::Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error>
        {
            Err(ureq::Error::Io(std::io::Error::other(
                "failed to lookup address information: Name or service not known",
            )))
        }
    }

    fn assert_never_sent(failure: Checked) -> String {
        let error = failure.error;
        assert!(!error.request_may_have_been_sent(), "{error:?}");
        assert_eq!(error.outcome(), crate::RequestOutcome::NotProcessed);
        error.to_string()
    }

    #[test]
    fn a_failed_lookup_is_never_sent() {
        let config = ureq::config::Config::builder().proxy(None).build();
        let agent = super::super::resolver::agent_with(config, FailingDns);
        let err = agent
            .post("http://api.example.test/managed_accounts")
            .send("{}")
            .unwrap_err();
        let failure = transport_failure(err, Replay::Create);
        assert!(failure.retryable, "a lookup may work next time");
        let text = assert_never_sent(failure);
        assert!(text.contains("could not resolve"), "{text}");
    }

    #[test]
    fn a_proxy_refusing_connect_is_never_sent() {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut head = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push(line);
            }
            let mut stream = reader.into_inner();
            let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            head
        });
        let config = ureq::config::Config::builder()
            .proxy(Some(
                ureq::Proxy::new(&format!("http://127.0.0.1:{port}")).unwrap(),
            ))
            .build();
        // Through a proxy the API host is not looked up here: FailingDns is never asked.
        let agent = super::super::resolver::agent_with(config, FailingDns);
        let err = agent
            .post("https://api.example.test/managed_accounts")
            .send("{}")
            .unwrap_err();
        let head = proxy.join().unwrap();
        assert!(
            head[0].starts_with("CONNECT api.example.test:443"),
            "{head:?}"
        );
        let failure = transport_failure(err, Replay::Create);
        let text = assert_never_sent(failure);
        assert!(text.contains("proxy"), "{text}");
    }

    #[test]
    fn every_connect_phase_failure_is_never_sent() {
        use super::super::resolver::{ConnectPhase, Stage};
        // What the connector seam may see while connecting: the whole-call
        // timeout, a reset during the TLS handshake, a TLS alert.
        for (stage, e) in [
            (Stage::Connect, ureq::Error::Timeout(ureq::Timeout::Global)),
            (
                Stage::Connect,
                ureq::Error::Io(std::io::ErrorKind::ConnectionReset.into()),
            ),
            (
                Stage::Connect,
                ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "invalid peer certificate: UnknownIssuer",
                )),
            ),
            (Stage::Resolve, ureq::Error::Timeout(ureq::Timeout::Global)),
        ] {
            let marked = ConnectPhase::mark(stage, e);
            let text = assert_never_sent(transport_failure(marked, Replay::Create));
            assert!(!text.is_empty());
        }
        let cert = ConnectPhase::mark(
            Stage::Connect,
            ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "invalid peer certificate: UnknownIssuer",
            )),
        );
        let failure = transport_failure(cert, Replay::Safe);
        assert!(!failure.retryable, "a bad certificate stays bad");
        let text = failure.error.to_string();
        assert!(text.contains("certificate"), "{text}");
        // After the connect phase, the same timeout may have been sent.
        let late = transport_failure(ureq::Error::Timeout(ureq::Timeout::Global), Replay::Create);
        assert!(late.error.request_may_have_been_sent());
        assert!(!late.retryable);
    }

    #[test]
    fn which_transport_failures_are_retried() {
        use std::io::{Error as IoError, ErrorKind};
        use ureq::Timeout;
        fn io(kind: ErrorKind) -> ureq::Error {
            ureq::Error::from(IoError::from(kind))
        }
        // Nothing left the machine: even a create is retried. (A connect timeout cannot
        // be produced deterministically on loopback, so it is checked here.)
        for e in [
            ureq::Error::Timeout(Timeout::Connect),
            ureq::Error::Timeout(Timeout::Resolve),
            ureq::Error::HostNotFound,
            ureq::Error::ConnectionFailed,
            io(ErrorKind::ConnectionRefused),
        ] {
            let text = format!("{e:?}");
            let failure = transport_failure(e, Replay::Create);
            assert!(failure.retryable, "{text}");
            let sent = match &failure.error {
                Error::Connection(e) | Error::Timeout(e) => e.request_may_have_been_sent(),
                other => panic!("{other:?}"),
            };
            assert!(!sent, "{text}");
        }
        assert!(matches!(
            transport_failure(ureq::Error::Timeout(Timeout::Connect), Replay::Create).error,
            Error::Timeout(_)
        ));
        // The request may have been acted on: only safe calls are repeated.
        for e in [
            || ureq::Error::Timeout(Timeout::Global),
            || ureq::Error::Timeout(Timeout::RecvResponse),
            || io(ErrorKind::ConnectionReset),
            || io(ErrorKind::UnexpectedEof),
            || io(ErrorKind::BrokenPipe),
        ] {
            assert!(transport_failure(e(), Replay::Safe).retryable, "{:?}", e());
            assert!(
                !transport_failure(e(), Replay::Create).retryable,
                "{:?}",
                e()
            );
        }
        // The same every time: never repeated.
        for e in [
            ureq::Error::Tls("bad certificate"),
            ureq::Error::BadUri("x".into()),
            ureq::Error::LargeResponseHeader(65_536, 65_536),
            ureq::Error::TooManyRedirects,
        ] {
            let text = format!("{e:?}");
            assert!(!transport_failure(e, Replay::Safe).retryable, "{text}");
        }
    }
}
