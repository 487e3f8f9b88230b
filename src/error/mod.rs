//! [`Error`], the one error type of the crate, and the details each variant carries.
//!
//! - [`api`]: [`ApiError`], a non-2xx answer;
//! - [`transport`]: [`TransportError`], no answer at all;
//! - [`decode`]: [`DecodeError`], a 2xx body that is not what the spec says;
//! - [`local`]: errors the client finds on its own (configuration, request, pagination);
//! - [`text`]: scrubbing and one-line display, shared by all of them.

mod api;
mod credentials;
mod decode;
mod local;
mod text;
mod transport;
mod unresolved;

use std::fmt;
use std::time::Duration;

pub use self::api::{ApiError, ApiErrorDetail, ApiErrorKind, ApiErrorSource, RateLimitInfo};
pub use self::decode::DecodeError;
#[cfg(any(fuzzing, test))]
pub(crate) use self::decode::json_path_at;
pub use self::local::{
    ConfigError, ConfigErrorKind, InvalidRequestError, InvalidRequestKind, LocalError,
    PaginationError, PaginationErrorKind,
};
pub use self::text::MAX_ERROR_TEXT;
use self::text::{OneLine, bounded, scrub};
pub use self::transport::TransportError;
pub use self::unresolved::OutcomeUnknownError;

/// `Result<T, telnyx_blocking::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
///
/// Match on the variant to decide what to do:
///
/// ```
/// use telnyx_blocking::Error;
///
/// fn describe(err: &Error) -> String {
///     match err {
///         Error::Connection(_) => "network problem, try again later".to_string(),
///         Error::Timeout(_) => "the API did not answer in time".to_string(),
///         Error::RateLimited(e) => format!("slow down, retry in {:?}", e.retry_after()),
///         Error::Api(e) => format!("HTTP {}: {}", e.status(), e.message()),
///         other => other.to_string(),
///     }
/// }
/// ```
///
/// `Display` is one line: a prefix naming the variant, then the details of the
/// failure and of the call (method, host, path; never the query). It does not
/// repeat its [`source`](std::error::Error::source), which for `Connection` and
/// `Timeout` is the underlying `ureq` error, so a chain printed by `anyhow` shows
/// each line once. `Display` and `Debug` are each at most [`MAX_ERROR_TEXT`]
/// bytes, and neither ever contains the API key, a secret of the request (a
/// create's password) or the value of a credential-shaped member of a server
/// body (`password`, `api_key`, `api_token`, …).
#[derive(Clone)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: no API key, a bad base URL, an invalid header.
    /// [`ConfigError::kind`] says which.
    Config(ConfigError),
    /// The request was rejected before anything was sent (for example an empty id).
    /// [`InvalidRequestError::kind`] says why.
    InvalidRequest(InvalidRequestError),
    /// No HTTP response was received: DNS failure, connection refused or reset, TLS failure,
    /// a proxy refusing the tunnel, a response cut off mid-way.
    Connection(TransportError),
    /// The connect timeout or the whole-request timeout passed.
    Timeout(TransportError),
    /// The API answered 429 Too Many Requests (after any retries the client made).
    RateLimited(ApiError),
    /// The API answered with any other non-2xx status, a 3xx included (redirects
    /// are never followed).
    Api(ApiError),
    /// The API answered 2xx but the body is not what the API's spec describes.
    Decode(DecodeError),
    /// A list was stopped by one of the paginator's guards: the page cap, a
    /// server answering with other pages than the ones asked for, or the same
    /// page twice. [`PaginationError::kind`] says which.
    Pagination(PaginationError),
    /// Only from `create_or_find`: a create's answer was lost and no account
    /// with its email could be found afterwards, so whether it was created is
    /// still unknown. [`OutcomeUnknownError::last_error`] is the create's error.
    OutcomeUnknown(OutcomeUnknownError),
}

impl Error {
    /// The variant's prefix and its own text, for `Display`.
    fn write_to(&self, w: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Error::Config(e) => write!(w, "configuration error: {e}"),
            Error::InvalidRequest(e) => write!(w, "invalid request: {e}"),
            Error::Connection(e) => {
                w.write_str("connection error: ")?;
                e.write_to(w)
            }
            Error::Timeout(e) => {
                w.write_str("timeout: ")?;
                e.write_to(w)
            }
            Error::RateLimited(e) => {
                w.write_str("rate limited: ")?;
                e.write_to(w)
            }
            Error::Api(e) => {
                w.write_str("API error: ")?;
                e.write_to(w)
            }
            Error::Decode(e) => {
                w.write_str("could not decode the response: ")?;
                e.write_to(w)
            }
            Error::Pagination(e) => write!(w, "pagination stopped: {e}"),
            Error::OutcomeUnknown(e) => {
                w.write_str("outcome unknown: ")?;
                e.write_to(w)
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| self.write_to(w))
    }
}

/// `Variant(details)`, bounded like `Display`.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| match self {
            Error::Config(e) => write!(w, "Config({e:?})"),
            Error::InvalidRequest(e) => write!(w, "InvalidRequest({e:?})"),
            Error::Connection(e) => write!(w, "Connection({e:?})"),
            Error::Timeout(e) => write!(w, "Timeout({e:?})"),
            Error::RateLimited(e) => write!(w, "RateLimited({e:?})"),
            Error::Api(e) => write!(w, "Api({e:?})"),
            Error::Decode(e) => write!(w, "Decode({e:?})"),
            Error::Pagination(e) => write!(w, "Pagination({e:?})"),
            Error::OutcomeUnknown(e) => write!(w, "OutcomeUnknown({e:?})"),
        })
    }
}

impl std::error::Error for Error {
    /// The `ureq` error under a `Connection` or `Timeout` (the variant's own
    /// [`TransportError`] is what `Display` already showed); `None` otherwise.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection(e) | Error::Timeout(e) => e.ureq_source(),
            Error::OutcomeUnknown(e) => Some(e.last_error()),
            _ => None,
        }
    }
}

/// Which call failed: its method, host and path, never its query (query values
/// such as emails are personal data). Ids in the path are not secret.
///
/// From [`Error::call`], [`ApiError::call`] or [`TransportError::call`]. A 404
/// from a wrong base URL names another host than the API's, one for an unknown
/// id the right host and the id's path. `Display` is `GET host/path`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallInfo {
    method: String,
    host: String,
    path: String,
}

impl CallInfo {
    /// From the base URL (`https://host:port/v2`) and the path below it.
    fn new(method: &str, base_url: &str, path: &str) -> Self {
        let rest = base_url
            .split_once("://")
            .map_or(base_url, |(_, rest)| rest);
        let (authority, base_path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let path = path.split(['?', '#']).next().unwrap_or("");
        let base_path = base_path.split(['?', '#']).next().unwrap_or("");
        CallInfo {
            method: method.to_owned(),
            host: host.to_owned(),
            path: format!(
                "{}/{}",
                base_path.trim_end_matches('/'),
                path.trim_start_matches('/')
            ),
        }
    }

    /// The HTTP method, e.g. `"POST"`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The host, with the port when the base URL has one, e.g. `"api.telnyx.com"`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The path, base path included, e.g. `"/v2/managed_accounts/abc"`.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn redact(&mut self, secret: &str) {
        scrub(&mut self.host, secret);
        scrub(&mut self.path, secret);
    }
}

impl fmt::Display for CallInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}{}",
            OneLine(&self.method),
            OneLine(&self.host),
            OneLine(&self.path)
        )
    }
}

/// What a failed call may have done on the server: the question to answer
/// before repeating a call that is not safe to repeat (creating an account).
///
/// From [`Error::outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestOutcome {
    /// The server did not act on the request: it was never sent (rejected by the
    /// client, or the connection, proxy or TLS handshake failed), or the server
    /// turned it away (429, 503, or any 4xx such as a 422 validation error).
    NotProcessed,
    /// The request may have been acted on and the answer does not say: it was
    /// sent and no answer came (reset, timeout after sending), the server
    /// answered 408, 500, 502, 504 or another 5xx, or a 2xx body could not be
    /// read. Look the result up before trying again.
    Unknown,
}

impl Error {
    /// The HTTP status, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(ApiError::status)
    }

    /// The call that failed, for the errors from the server or the network
    /// (`Api`, `RateLimited`, `Connection`, `Timeout`).
    pub fn call(&self) -> Option<&CallInfo> {
        match self {
            Error::Api(e) | Error::RateLimited(e) => e.call(),
            Error::Connection(e) | Error::Timeout(e) => e.call(),
            Error::OutcomeUnknown(e) => e.last_error().call(),
            _ => None,
        }
    }

    /// The API's error details, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::RateLimited(e) => Some(e),
            _ => None,
        }
    }

    /// How long the server asked us to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(ApiError::retry_after)
    }

    /// `true` for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// `true` for [`Error::Connection`].
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_))
    }

    /// `true` for [`Error::RateLimited`].
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited(_))
    }

    /// `true` when the API answered 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// An [`Error::Config`] of `kind`.
    pub(crate) fn config(kind: ConfigErrorKind, message: impl Into<String>) -> Self {
        Error::Config(ConfigError::new(kind, message))
    }

    /// An [`Error::InvalidRequest`] of `kind`.
    pub(crate) fn invalid_request(kind: InvalidRequestKind, message: impl Into<String>) -> Self {
        Error::InvalidRequest(InvalidRequestError::new(kind, message))
    }

    /// An [`Error::Pagination`] of `kind`.
    pub(crate) fn pagination(kind: PaginationErrorKind, message: impl Into<String>) -> Self {
        Error::Pagination(PaginationError::new(kind, message))
    }

    /// What the server may have done with the failed request; see [`RequestOutcome`].
    ///
    /// ```
    /// use telnyx_blocking::{Error, RequestOutcome};
    ///
    /// fn safe_to_send_again(err: &Error) -> bool {
    ///     err.outcome() == RequestOutcome::NotProcessed
    /// }
    /// ```
    pub fn outcome(&self) -> RequestOutcome {
        match self {
            Error::Config(_) | Error::InvalidRequest(_) | Error::Pagination(_) => {
                RequestOutcome::NotProcessed
            }
            Error::Connection(e) | Error::Timeout(e) if !e.request_may_have_been_sent() => {
                RequestOutcome::NotProcessed
            }
            Error::Connection(_)
            | Error::Timeout(_)
            | Error::Decode(_)
            | Error::OutcomeUnknown(_) => RequestOutcome::Unknown,
            Error::RateLimited(_) => RequestOutcome::NotProcessed,
            Error::Api(e) => match e.status() {
                408 | 500..=502 | 504..=599 => RequestOutcome::Unknown,
                _ => RequestOutcome::NotProcessed,
            },
        }
    }

    /// `false` when the request provably never left this machine (it was
    /// rejected by the client, the page cap stopped a list before asking, or
    /// resolving, connecting, the proxy or the TLS handshake failed); `true`
    /// otherwise, answers included (a list stopped for a wrong or repeated page
    /// had its page request answered).
    pub fn request_may_have_been_sent(&self) -> bool {
        match self {
            Error::Config(_) | Error::InvalidRequest(_) => false,
            // The page cap stops before a request; the other guards judge an answer.
            Error::Pagination(e) => e.kind() != PaginationErrorKind::PageLimit,
            Error::Connection(e) | Error::Timeout(e) => e.request_may_have_been_sent(),
            Error::RateLimited(_) | Error::Api(_) | Error::Decode(_) | Error::OutcomeUnknown(_) => {
                true
            }
        }
    }

    /// Records the call (method, host and path, no query) on the errors that
    /// came from the server or the network; `base_url` is the client's.
    pub(crate) fn with_call(mut self, method: &str, base_url: &str, path: &str) -> Self {
        match &mut self {
            Error::Api(e) | Error::RateLimited(e) => {
                e.set_call(CallInfo::new(method, base_url, path))
            }
            Error::Connection(e) | Error::Timeout(e) => {
                e.set_call(CallInfo::new(method, base_url, path));
            }
            _ => {}
        }
        self
    }

    /// Removes `secret` (the client's API key) from every text the error carries.
    /// The transport passes each error through this before returning it, so a
    /// server or a library that echoes the key cannot make it show up in a log.
    pub(crate) fn redact(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        match self {
            Error::Config(e) => Error::Config(e.redact(secret)),
            Error::InvalidRequest(e) => Error::InvalidRequest(e.redact(secret)),
            Error::Pagination(e) => Error::Pagination(e.redact(secret)),
            Error::Connection(e) => Error::Connection(e.redact(secret)),
            Error::Timeout(e) => Error::Timeout(e.redact(secret)),
            Error::Decode(e) => Error::Decode(e.redact(secret)),
            Error::RateLimited(e) => Error::RateLimited(e.redact(secret)),
            Error::Api(e) => Error::Api(e.redact(secret)),
            Error::OutcomeUnknown(e) => Error::OutcomeUnknown(e.redact(secret)),
        }
    }
}

#[cfg(test)]
mod call_info {
    use super::CallInfo;

    #[test]
    fn call_info_names_host_and_path_never_the_query() {
        let call = CallInfo::new("GET", "https://api.telnyx.com/v2", "managed_accounts/a%2Fb");
        assert_eq!(call.host(), "api.telnyx.com");
        assert_eq!(call.path(), "/v2/managed_accounts/a%2Fb");
        assert_eq!(
            call.to_string(),
            "GET api.telnyx.com/v2/managed_accounts/a%2Fb"
        );
        let call = CallInfo::new("POST", "http://user:pw@127.0.0.1:8080", "x?email=a@b.c");
        assert_eq!(call.host(), "127.0.0.1:8080");
        assert_eq!(call.path(), "/x");
        let wrong_base = CallInfo::new("GET", "https://api.telnyx.com/v1/", "managed_accounts/a");
        assert_eq!(wrong_base.path(), "/v1/managed_accounts/a");
    }
}

#[cfg(test)]
mod size {
    #[test]
    fn error_stays_small() {
        // Every Result<T> carries this much; keep the happy path cheap.
        assert!(
            std::mem::size_of::<super::Error>() <= 64,
            "{}",
            std::mem::size_of::<super::Error>()
        );
    }
}
