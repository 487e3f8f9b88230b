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

/// Why [`Error::Config`](crate::Error::Config) was returned.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigError {
    kind: ConfigErrorKind,
    message: String,
}

impl ConfigError {
    pub(crate) fn new(kind: ConfigErrorKind, message: impl Into<String>) -> Self {
        ConfigError {
            kind,
            message: message.into(),
        }
    }

    /// What is wrong, to branch on.
    pub fn kind(&self) -> ConfigErrorKind {
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

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| write!(w, "{}", OneLine(&self.message)))
    }
}

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_kind_message(f, "ConfigError", &self.kind, &self.message)
    }
}

impl std::error::Error for ConfigError {}

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

/// Why [`Error::InvalidRequest`](crate::Error::InvalidRequest) was returned.
#[derive(Clone, PartialEq, Eq)]
pub struct InvalidRequestError {
    kind: InvalidRequestKind,
    message: String,
}

impl InvalidRequestError {
    pub(crate) fn new(kind: InvalidRequestKind, message: impl Into<String>) -> Self {
        InvalidRequestError {
            kind,
            message: message.into(),
        }
    }

    /// Why the request was refused, to branch on.
    pub fn kind(&self) -> InvalidRequestKind {
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

impl fmt::Display for InvalidRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| write!(w, "{}", OneLine(&self.message)))
    }
}

impl fmt::Debug for InvalidRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_kind_message(f, "InvalidRequestError", &self.kind, &self.message)
    }
}

impl std::error::Error for InvalidRequestError {}

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

/// Why [`Error::Pagination`](crate::Error::Pagination) was returned.
#[derive(Clone, PartialEq, Eq)]
pub struct PaginationError {
    kind: PaginationErrorKind,
    message: String,
}

impl PaginationError {
    pub(crate) fn new(kind: PaginationErrorKind, message: impl Into<String>) -> Self {
        PaginationError {
            kind,
            message: message.into(),
        }
    }

    /// Which guard stopped the list.
    pub fn kind(&self) -> PaginationErrorKind {
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

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| write!(w, "{}", OneLine(&self.message)))
    }
}

impl fmt::Debug for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_kind_message(f, "PaginationError", &self.kind, &self.message)
    }
}

impl std::error::Error for PaginationError {}

/// `Name { kind: Kind, message: "…" }`, bounded like every error's text.
fn debug_kind_message(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    kind: &dyn fmt::Debug,
    message: &str,
) -> fmt::Result {
    bounded(f, |w| {
        write!(w, "{name} {{ kind: {kind:?}, message: {message:?} }}")
    })
}
