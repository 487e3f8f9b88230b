//! [`TransportError`]: no HTTP answer (connection, TLS, timeout).

use std::fmt;
use std::sync::Arc;

use super::CallInfo;
use super::text::{OneLine, bounded, mentions, scrub};

/// A failure below HTTP: the connection, TLS, or a timeout.
///
/// Its [`Display`](fmt::Display) is the client's own description (with the call
/// that failed: method, host and path, never the query); its
/// [`source`](std::error::Error::source) is the underlying `ureq` error, whose
/// text is not repeated. Neither contains the API key or the request's secrets.
/// Cloning is cheap: the source is shared.
#[derive(Clone)]
pub struct TransportError {
    // Boxed so that `Result<T, Error>` stays small on the happy path.
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    message: String,
    sent: bool,
    source: Option<Arc<ureq::Error>>,
    call: Option<CallInfo>,
}

impl TransportError {
    pub(crate) fn new(message: String, sent: bool, source: Option<ureq::Error>) -> Self {
        TransportError {
            inner: Box::new(Inner {
                message,
                sent,
                source: source.map(Arc::new),
                call: None,
            }),
        }
    }

    /// `false` when the request provably never left this machine (the host name
    /// could not be resolved, the connection, the proxy or the TLS handshake
    /// failed, or a timeout expired while connecting), so repeating it cannot
    /// duplicate anything.
    pub fn request_may_have_been_sent(&self) -> bool {
        self.inner.sent
    }

    /// The call that failed: method, host and path (no query).
    pub fn call(&self) -> Option<&CallInfo> {
        self.inner.call.as_ref()
    }

    pub(crate) fn set_call(&mut self, call: CallInfo) {
        self.inner.call = Some(call);
    }

    /// Scrubs `secret` from the message; drops the source when its text holds it
    /// (a protocol error can quote bytes the server sent).
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        let inner = &mut *self.inner;
        scrub(&mut inner.message, secret);
        if let Some(call) = &mut inner.call {
            call.redact(secret);
        }
        if inner.source.as_ref().is_some_and(|e| {
            mentions(&e.to_string(), secret) || mentions(&format!("{e:?}"), secret)
        }) {
            inner.source = None;
        }
        self
    }

    /// The description without the call, for `Error`'s own `Display`.
    pub(super) fn write_to(&self, w: &mut dyn fmt::Write) -> fmt::Result {
        write!(w, "{}", OneLine(&self.inner.message))?;
        if let Some(call) = &self.inner.call {
            write!(w, " ({call})")?;
        }
        Ok(())
    }

    pub(super) fn ureq_source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| self.write_to(w))
    }
}

/// Bounded like `Display`; shows the source's kind, not its text again.
impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        bounded(f, |w| {
            write!(
                w,
                "TransportError {{ message: {:?}, sent: {}, call: {:?}, source: {:?} }}",
                inner.message,
                inner.sent,
                inner.call.as_ref().map(ToString::to_string),
                inner.source.as_deref().map(source_kind),
            )
        })
    }
}

/// The variant of a ureq error, without the text `Display` already showed.
fn source_kind(e: &ureq::Error) -> String {
    let debug = format!("{e:?}");
    let end = debug.find(['(', ' ', '{']).unwrap_or(debug.len());
    debug[..end].to_owned()
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.ureq_source()
    }
}
