//! What a failure means: whether the request may have reached the server, and
//! whether another attempt is allowed.

use std::time::{Duration, SystemTime};

use ureq::http::HeaderMap;

use super::Replay;
use super::pacing::{header_str, rate_limit_info, retry_after};
use crate::error::{ApiError, Error, TransportError};

/// One failed attempt: the error to report, whether another attempt is allowed,
/// and the wait the server asked for.
pub(super) struct Failure {
    pub(super) error: Error,
    pub(super) retryable: bool,
    pub(super) wait: Option<Duration>,
}

impl Failure {
    pub(super) fn fatal(error: Error) -> Self {
        Failure {
            error,
            retryable: false,
            wait: None,
        }
    }
}

/// The failure for a non-2xx answer; `api_key` is scrubbed from everything kept.
pub(super) fn status_failure(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    replay: Replay,
    api_key: &str,
) -> Failure {
    let now = SystemTime::now();
    let retry_after = retry_after(headers, now);
    let rate_limit = rate_limit_info(headers);
    let wait = match status {
        429 => retry_after.or(rate_limit.reset),
        _ => retry_after,
    };
    let request_id = header_str(headers, "x-request-id").map(str::to_owned);
    let api = ApiError::new(status, body, request_id, retry_after, rate_limit, api_key)
        .with_headers(
            headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes())),
            api_key,
        );
    let retryable = match replay {
        Replay::Safe => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
        // 429 and 503 mean the request was turned away before it was processed.
        Replay::Create => matches!(status, 429 | 503),
    };
    let error = if status == 429 {
        Error::RateLimited(api)
    } else {
        Error::Api(api)
    };
    Failure {
        error,
        retryable,
        wait,
    }
}

/// The failure for an error before any response: never sent, or maybe sent.
pub(super) fn transport_failure(e: ureq::Error, replay: Replay) -> Failure {
    if never_sent(&e) {
        return Failure {
            retryable: transient(&e),
            error: transport_error(e, false),
            wait: None,
        };
    }
    transport_failure_after_send(e, replay)
}

/// The failure for an error once the request may have reached the server.
pub(super) fn transport_failure_after_send(e: ureq::Error, replay: Replay) -> Failure {
    let retryable = replay == Replay::Safe && transient(&e);
    let error = transport_error(e, true);
    Failure {
        error,
        retryable,
        wait: None,
    }
}

/// `true` when the request provably never left this machine.
fn never_sent(e: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    match e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
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
/// oversized headers or a redirect fail the same way every time, so they are not retried.
fn transient(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::Protocol(_)
    )
}

fn transport_error(e: ureq::Error, sent: bool) -> Error {
    use std::io::ErrorKind;
    let message = match &e {
        ureq::Error::Timeout(t) => format!("{t:?} timeout expired"),
        ureq::Error::HostNotFound => "could not resolve the API host name".to_owned(),
        ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            "connection refused by the API host".to_owned()
        }
        ureq::Error::Io(io) => format!("I/O error: {io}"),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "the API answered with a redirect, which this client does not follow".to_owned()
        }
        other => other.to_string(),
    };
    let timed_out = match &e {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => io.kind() == ErrorKind::TimedOut,
        _ => false,
    };
    let inner = TransportError::new(message, sent, Some(e));
    if timed_out {
        Error::Timeout(inner)
    } else {
        Error::Connection(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
