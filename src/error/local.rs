//! Errors the client finds on its own, before or without the server: a bad
//! configuration, a request it refuses to send, a list it stops following.
//!
//! Each carries a `kind` to branch on and a message to show.

use std::fmt;

use super::text::{OneLine, bounded, scrub};

/// What is wrong with a client's configuration; from [`ConfigError::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// No API key was given and `TELNYX_API_KEY` is unset or empty.
    MissingApiKey,
    /// The API key has characters that cannot go in a header.
    InvalidApiKey,
    /// The base URL cannot be parsed or is not an `http(s)` URL with a host.
    InvalidBaseUrl,
    /// The base URL is plain `http` to a non-loopback host, without `allow_http(true)`.
    InsecureBaseUrl,
    /// The base URL is `https` but the crate was built without a TLS feature.
    TlsUnavailable,
    /// A header name or value is not valid HTTP, or has control characters.
    InvalidHeader,
    /// A header the client sets itself (`Authorization`, `Content-Length`, `Host`, …).
    ReservedHeader,
    /// A setting whose value would make every call fail (a zero timeout, say).
    InvalidValue,
    /// A root certificate (PEM or DER) could not be read.
    InvalidCertificate,
    /// The proxy URL cannot be used.
    InvalidProxy,
}

/// Why a request was refused before anything was sent; from
/// [`InvalidRequestError::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvalidRequestKind {
    /// A path id is empty, `.` or `..`.
    InvalidId,
    /// A path given to an escape hatch such as `Telnyx::get_json` is not relative.
    InvalidPath,
    /// A request field has a value the API does not accept (a page number of 0,
    /// a negative channel limit, an idempotency key of the wrong form, …).
    InvalidValue,
    /// A field this call requires is missing (an email for `create_or_find`).
    MissingField,
    /// The request could not be encoded or built.
    Encoding,
}

/// Which guard stopped a list; from [`PaginationError::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaginationErrorKind {
    /// The list went on past `max_pages` pages.
    PageLimit,
    /// The server answered with another page number than the one asked for.
    WrongPage,
    /// The server sent the same page again.
    RepeatedPage,
}

/// Why [`Error::Config`](crate::Error::Config) was returned.
pub type ConfigError = LocalError<ConfigErrorKind>;

/// Why [`Error::InvalidRequest`](crate::Error::InvalidRequest) was returned.
pub type InvalidRequestError = LocalError<InvalidRequestKind>;

/// Why [`Error::Pagination`](crate::Error::Pagination) was returned.
pub type PaginationError = LocalError<PaginationErrorKind>;

/// An error the client found on its own: a `kind` to branch on and a message
/// to show. Used as [`ConfigError`], [`InvalidRequestError`] and
/// [`PaginationError`].
///
/// ```
/// use telnyx_blocking::{ConfigErrorKind, Error, Telnyx};
///
/// match Telnyx::builder().read_env(false).build() {
///     Err(Error::Config(e)) => {
///         assert_eq!(e.kind(), ConfigErrorKind::MissingApiKey);
///         println!("{}", e.message());
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct LocalError<K> {
    kind: K,
    message: String,
}

impl<K: Copy + fmt::Debug> LocalError<K> {
    pub(crate) fn new(kind: K, message: impl Into<String>) -> Self {
        LocalError {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong, to branch on.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// The explanation, also what `Display` shows.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn redact(mut self, secret: &str) -> Self {
        scrub(&mut self.message, secret);
        self
    }
}

impl<K> fmt::Display for LocalError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| write!(w, "{}", OneLine(&self.message)))
    }
}

/// `LocalError { kind: Kind, message: "…" }`, bounded like every error's text.
impl<K: fmt::Debug> fmt::Debug for LocalError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, message) = (&self.kind, &self.message);
        bounded(f, |w| {
            write!(w, "LocalError {{ kind: {kind:?}, message: {message:?} }}")
        })
    }
}

impl<K: fmt::Debug> std::error::Error for LocalError<K> {}
