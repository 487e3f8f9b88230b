//! [`Error`], the one error type of the crate, and what its variants carry:
//! [`Failure`] for everything but an API answer, [`ApiError`] for that.
//!
//! Errors are built raw where they happen; [`Error::finish`] then cleans them
//! once (the API key, the call's own secrets, credential-shaped members) and
//! caps every text, so `Display` and `Debug` stay within 4096 bytes.

mod api;
mod credentials;
mod text;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ureq::http::Uri;

pub use self::api::{ApiError, ApiErrorDetail};
use self::credentials::is_credential_name;
use self::text::{REDACTED, cap, clean, mentions, scrub};

/// `Result<T, telnyx_blocking::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Most bytes kept of a failure's message (serde_json quotes whole values).
const MAX_MESSAGE: usize = 768;
/// The prefix of a decode error.
const DECODE: &str = "could not decode the response: ";
/// Most bytes kept of a decode error's JSON path (object keys come from the body).
const MAX_PATH: usize = 256;

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
/// each line once. `Display` and `Debug` are each at most 4096 bytes: every text
/// is cut when the error is built. Neither ever contains the API key, a secret
/// of the request (a create's password) or the value of a credential-shaped
/// member of a server body (`password`, `api_key`, `api_token`, …).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: no API key, a bad base URL, an invalid header.
    /// [`Failure::kind`] says which.
    #[error(transparent)]
    Config(Failure),
    /// The request was rejected before anything was sent (for example an empty id).
    /// [`Failure::kind`] says why.
    #[error(transparent)]
    InvalidRequest(Failure),
    /// No HTTP response was received: DNS failure, connection refused or reset, TLS failure,
    /// a proxy refusing the tunnel, a response cut off mid-way.
    #[error(transparent)]
    Connection(Failure),
    /// The connect timeout or the whole-request timeout passed.
    #[error(transparent)]
    Timeout(Failure),
    /// The API answered 429 Too Many Requests (after any retries the client made).
    #[error("rate limited: {0}")]
    RateLimited(ApiError),
    /// The API answered with any other non-2xx status, a 3xx included (redirects
    /// are never followed).
    #[error("API error: {0}")]
    Api(ApiError),
    /// The API answered 2xx but the body is not what the API's spec describes;
    /// [`Failure::path`] names the field where decoding stopped.
    #[error(transparent)]
    Decode(Failure),
    /// A list was stopped by one of the paginator's guards: the page cap, a
    /// server answering with other pages than the ones asked for, or the same
    /// page twice. [`Failure::kind`] says which.
    #[error(transparent)]
    Pagination(Failure),
    /// Only from `create_or_find`: a create's answer was lost and no account
    /// with its email could be found afterwards, so whether it was created is
    /// still unknown. The boxed error (also the [`source`](std::error::Error::source))
    /// is the last create's error. Calling `create_or_find` again later settles
    /// it and never creates a second account.
    #[error(
        "outcome unknown: the account may or may not have been created: the create \
         ended in {} and no account with its email was found afterwards; run \
         create_or_find again later (it never creates a second one)",
        ended_in(.0)
    )]
    OutcomeUnknown(#[source] Box<Error>),
}

/// The class of the last failure only: its whole text is the source's, and
/// `Display` does not repeat the source.
fn ended_in(last: &Error) -> String {
    match last.status() {
        Some(status) => format!("HTTP {status}"),
        None => format!("a {:?} error", last.kind()),
    }
}

/// What went wrong, to branch on; from [`Error::kind`], [`Failure::kind`] or
/// [`ApiError::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Config: no API key was given and `TELNYX_API_KEY` is unset or empty.
    MissingApiKey,
    /// Config: the API key has characters that cannot go in a header.
    InvalidApiKey,
    /// Config: the base URL cannot be parsed or is not an `http(s)` URL with a host.
    InvalidBaseUrl,
    /// Config: the base URL is plain `http` to a non-loopback host, without `allow_http(true)`.
    InsecureBaseUrl,
    /// Config: the base URL is `https` but the crate was built without a TLS feature.
    TlsUnavailable,
    /// Config: a header name or value is not valid HTTP, or has control characters.
    InvalidHeader,
    /// Config: a header the client sets itself (`Authorization`, `Content-Length`, `Host`, …).
    ReservedHeader,
    /// Config: a setting whose value would make every call fail (a zero timeout,
    /// say); InvalidRequest: a request field has a value the API does not accept
    /// (a page number of 0, a negative channel limit, an idempotency key of the
    /// wrong form, …).
    InvalidValue,
    /// Config: a root certificate (PEM or DER) could not be read.
    InvalidCertificate,
    /// Config: the proxy URL cannot be used.
    InvalidProxy,
    /// InvalidRequest: a path id is empty, `.` or `..`.
    InvalidId,
    /// InvalidRequest: a path given to an escape hatch such as `Telnyx::get_json` is not relative.
    InvalidPath,
    /// InvalidRequest: a field this call requires is missing (an email for `create_or_find`).
    MissingField,
    /// InvalidRequest: the request could not be encoded or built.
    Encoding,
    /// Pagination: the list went on past `max_pages` pages.
    PageLimit,
    /// Pagination: the server answered with another page number than the one asked for.
    WrongPage,
    /// Pagination: the server sent the same page again.
    RepeatedPage,
    /// API 400.
    BadRequest,
    /// API 401: the API key is missing, wrong or revoked.
    Authentication,
    /// API 403: the key is valid but may not do this.
    PermissionDenied,
    /// API 404.
    NotFound,
    /// API 409.
    Conflict,
    /// API 422: the request was understood but a field is invalid.
    UnprocessableEntity,
    /// API 429.
    RateLimit,
    /// API: any 5xx.
    InternalServer,
    /// API: any other status.
    Other,
    /// [`Error::Connection`].
    Connection,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::Decode`].
    Decode,
    /// [`Error::OutcomeUnknown`].
    OutcomeUnknown,
}

/// Why an [`Error`] other than an API answer was returned: a [`kind`](Self::kind)
/// to branch on, a message, and where it applies the decode path, the call
/// and the underlying `ureq` error (its [`source`](std::error::Error::source),
/// whose text `Display` does not repeat). Cloning is cheap.
///
/// ```
/// use telnyx_blocking::{Error, ErrorKind, Telnyx};
///
/// match Telnyx::builder().read_env(false).build() {
///     Err(Error::Config(e)) => {
///         assert_eq!(e.kind(), ErrorKind::MissingApiKey);
///         println!("{}", e.message());
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
// Boxed so that `Result<T, Error>` stays small on the happy path.
pub struct Failure(Box<Details>);

#[derive(Debug, Clone, thiserror::Error)]
#[error("{prefix}{}{message}{}", around("at `", .path, "`: "), around(" (", .call, ")"))]
struct Details {
    prefix: &'static str,
    kind: ErrorKind,
    message: String,
    path: Option<String>,
    call: Option<CallInfo>,
    sent: bool,
    source: Option<Arc<ureq::Error>>,
}

/// `value` between `before` and `after`, or nothing.
fn around(before: &str, value: &Option<impl fmt::Display>, after: &str) -> String {
    value
        .as_ref()
        .map_or_else(String::new, |v| format!("{before}{v}{after}"))
}

impl Failure {
    fn new(prefix: &'static str, kind: ErrorKind, message: impl AsRef<str>) -> Self {
        Failure(Box::new(Details {
            prefix,
            kind,
            message: clean(message.as_ref(), MAX_MESSAGE),
            path: None,
            call: None,
            sent: false,
            source: None,
        }))
    }

    /// What went wrong, to branch on.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The explanation, without the prefix and the call `Display` adds.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// For [`Error::Decode`]: where in the JSON body decoding failed, e.g.
    /// `data[3].balance.currency`.
    pub fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }

    /// For [`Error::Connection`] and [`Error::Timeout`]: the call that failed,
    /// method, host and path (no query).
    pub fn call(&self) -> Option<&CallInfo> {
        self.0.call.as_ref()
    }

    /// For [`Error::Connection`] and [`Error::Timeout`]: `false` when the request
    /// provably never left this machine (the host name could not be resolved,
    /// the connection, the proxy or the TLS handshake failed, or a timeout
    /// expired while connecting), so repeating it cannot duplicate anything.
    pub fn request_may_have_been_sent(&self) -> bool {
        self.0.sent
    }

    /// Scrubs every text, drops a source that quotes a secret or is long, caps.
    fn clean(&mut self, secrets: &[&str], call: Option<CallInfo>) {
        let d = &mut *self.0;
        d.call = call.or(d.call.take());
        scrub(&mut d.message, secrets, MAX_MESSAGE);
        d.path.iter_mut().for_each(|p| scrub(p, secrets, MAX_PATH));
        let quotes = |text: String| text.len() > 512 || secrets.iter().any(|s| mentions(&text, s));
        d.source = d.source.take().filter(|e| !quotes(format!("{e} {e:?}")));
    }
}

/// Which call failed: its method, host and path, never its query (query values
/// such as emails are personal data). Ids in the path are not secret.
///
/// From [`Error::call`], [`ApiError::call`] or [`Failure::call`]. A 404
/// from a wrong base URL names another host than the API's, one for an unknown
/// id the right host and the id's path. `Display` is `GET host/path`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallInfo {
    method: String,
    host: String,
    path: String,
}

impl CallInfo {
    /// From the parsed base URL (`https://host:port/v2`) and the path below it,
    /// scrubbed of `secrets` and capped: the host and path come from the caller
    /// (a base URL, an id) and may be long.
    pub(crate) fn new(method: &str, base: &Uri, path: &str, secrets: &[&str]) -> Self {
        let path = path.split(['?', '#']).next().unwrap_or("");
        let base_path = base.path().trim_end_matches('/');
        let mut host = base.authority().map_or("", |a| a.as_str()).to_owned();
        let mut path = format!("{base_path}/{}", path.trim_start_matches('/'));
        scrub(&mut host, secrets, 128);
        scrub(&mut path, secrets, 384);
        let method = method.to_owned();
        CallInfo { method, host, path }
    }

    /// The HTTP method, e.g. `"POST"`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The host, with the port when the base URL has one, e.g. `"api.telnyx.com"`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The path, base path included, e.g. `"/v2/managed_accounts/abc"`; at
    /// most 384 bytes.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for CallInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}{}", self.method, self.host, self.path)
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
    /// What went wrong, to branch on: the failure's kind, the API error's class
    /// (from its status), or [`ErrorKind::OutcomeUnknown`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config(e) | Error::InvalidRequest(e) | Error::Connection(e) => e.kind(),
            Error::Timeout(e) | Error::Decode(e) | Error::Pagination(e) => e.kind(),
            Error::RateLimited(e) | Error::Api(e) => e.kind(),
            Error::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
        }
    }

    /// The HTTP status, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(ApiError::status)
    }

    /// The call that failed, for the errors from the server or the network
    /// (`Api`, `RateLimited`, `Connection`, `Timeout`, and `OutcomeUnknown`'s last error).
    pub fn call(&self) -> Option<&CallInfo> {
        match self {
            Error::Connection(e) | Error::Timeout(e) => e.call(),
            Error::OutcomeUnknown(last) => last.call(),
            _ => self.api_error().and_then(ApiError::call),
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
        let unknown = match self {
            Error::Connection(e) | Error::Timeout(e) => e.request_may_have_been_sent(),
            Error::Decode(_) | Error::OutcomeUnknown(_) => true,
            Error::Api(e) => matches!(e.status(), 408 | 500..=502 | 504..=599),
            // Refused by the client, or a 429: not acted on.
            Error::Config(_) | Error::InvalidRequest(_) | Error::Pagination(_) => false,
            Error::RateLimited(_) => false,
        };
        match unknown {
            true => RequestOutcome::Unknown,
            false => RequestOutcome::NotProcessed,
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
            Error::Pagination(e) => e.kind() != ErrorKind::PageLimit,
            Error::Connection(e) | Error::Timeout(e) => e.request_may_have_been_sent(),
            Error::RateLimited(_) | Error::Api(_) => true,
            Error::Decode(_) | Error::OutcomeUnknown(_) => true,
        }
    }

    /// An [`Error::Config`] of `kind`.
    pub(crate) fn config(kind: ErrorKind, message: impl AsRef<str>) -> Self {
        Error::Config(Failure::new("configuration error: ", kind, message))
    }

    /// An [`Error::InvalidRequest`] of `kind`.
    pub(crate) fn invalid_request(kind: ErrorKind, message: impl AsRef<str>) -> Self {
        Error::InvalidRequest(Failure::new("invalid request: ", kind, message))
    }

    /// An [`Error::Pagination`] of `kind`.
    pub(crate) fn pagination(kind: ErrorKind, message: impl AsRef<str>) -> Self {
        Error::Pagination(Failure::new("pagination stopped: ", kind, message))
    }

    /// An [`Error::Decode`] saying `message`.
    pub(crate) fn decode(message: impl AsRef<str>) -> Self {
        Error::Decode(Failure::new(DECODE, ErrorKind::Decode, message))
    }

    /// An [`Error::Decode`] for serde_json's `err`, stopped at `path` (`.` for the root).
    pub(crate) fn decode_json(err: &serde_json::Error, path: String) -> Self {
        let at = format!("at line {} column {}", err.line(), err.column());
        let mut message = err.to_string();
        if path.split(['.', '[']).any(is_credential_name) {
            // serde_json quotes the value it could not read: under `api_key`, say,
            // that is a credential. Say what was wrong, not what it was.
            message = format!("the value has the wrong type ({REDACTED}) {at}");
        } else if message.len() > MAX_MESSAGE - 64 {
            message = cap(message, MAX_MESSAGE - 64);
            message += &format!(" (cut) {at}");
        }
        let mut failure = Failure::new(DECODE, ErrorKind::Decode, message);
        failure.0.path = (path != ".").then(|| clean(&path, MAX_PATH));
        Error::Decode(failure)
    }

    /// An [`Error::Connection`], or [`Error::Timeout`] when `timed_out`.
    pub(crate) fn transport(
        timed_out: bool,
        message: &str,
        sent: bool,
        source: Option<ureq::Error>,
    ) -> Self {
        let mut failure = Failure::new("connection error: ", ErrorKind::Connection, message);
        (failure.0.sent, failure.0.source) = (sent, source.map(Arc::new));
        if !timed_out {
            return Error::Connection(failure);
        }
        (failure.0.prefix, failure.0.kind) = ("timeout: ", ErrorKind::Timeout);
        Error::Timeout(failure)
    }

    /// Cleans the error once, as it leaves the client: every form of each of
    /// `secrets` (the API key, the call's own password) comes out of every
    /// text, an API answer's body is parsed once and its credential-shaped
    /// members redacted, and every field is capped. `call` is recorded on the
    /// errors from the server or the network.
    pub(crate) fn finish(mut self, secrets: &[&str], call: Option<CallInfo>) -> Self {
        match &mut self {
            Error::Connection(e) | Error::Timeout(e) => e.clean(secrets, call),
            Error::RateLimited(e) | Error::Api(e) => e.clean(secrets, call),
            Error::OutcomeUnknown(last) => **last = last.as_ref().clone().finish(secrets, None),
            Error::Config(e) | Error::InvalidRequest(e) => e.clean(secrets, None),
            Error::Pagination(e) | Error::Decode(e) => e.clean(secrets, None),
        }
        self
    }
}

#[cfg(test)]
mod call_info {
    use super::CallInfo;

    #[test]
    fn call_info_names_host_and_path_never_the_query() {
        let call =
            |method, base: &str, path| CallInfo::new(method, &base.parse().unwrap(), path, &[]);
        let info = call("GET", "https://api.telnyx.com/v2", "managed_accounts/a%2Fb");
        assert_eq!(info.host(), "api.telnyx.com");
        assert_eq!(info.path(), "/v2/managed_accounts/a%2Fb");
        assert_eq!(
            info.to_string(),
            "GET api.telnyx.com/v2/managed_accounts/a%2Fb"
        );
        // A base URL with credentials is refused at build; there is none to strip.
        let info = call("POST", "http://127.0.0.1:8080", "x?email=a@b.c");
        assert_eq!(info.host(), "127.0.0.1:8080");
        assert_eq!(info.path(), "/x");
        let wrong_base = call("GET", "https://api.telnyx.com/v1/", "managed_accounts/a");
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
