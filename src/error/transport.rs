//! [`TransportError`]: no HTTP answer (connection, TLS, timeout).

use std::fmt;

use super::text::{OneLine, mentions, scrub};

/// A failure below HTTP: the connection, TLS, or a timeout.
///
/// Its [`source`](std::error::Error::source) is the underlying `ureq` error; its
/// message never contains the API key (the key travels only in a header).
#[derive(Debug)]
pub struct TransportError {
    message: String,
    sent: bool,
    source: Option<Box<ureq::Error>>,
}

impl TransportError {
    pub(crate) fn new(message: String, sent: bool, source: Option<ureq::Error>) -> Self {
        TransportError {
            message,
            sent,
            source: source.map(Box::new),
        }
    }

    /// `false` when the request provably never reached the server (DNS failure,
    /// connection refused, connect timeout), so repeating it cannot duplicate anything.
    pub fn request_may_have_been_sent(&self) -> bool {
        self.sent
    }

    /// Scrubs `secret` from the message; drops the source when its text holds it
    /// (a protocol error can quote bytes the server sent).
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        scrub(&mut self.message, secret);
        if self.source.as_ref().is_some_and(|e| {
            mentions(&e.to_string(), secret) || mentions(&format!("{e:?}"), secret)
        }) {
            self.source = None;
        }
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", OneLine(&self.message))
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
