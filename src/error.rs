//! [`Error`], the one error type of the crate, and the API error details it carries.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: no API key, a bad base URL, an invalid header.
    #[error("configuration error: {0}")]
    Config(String),
    /// The request was rejected before anything was sent (for example an empty id).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// No HTTP response was received: DNS failure, connection refused or reset, TLS failure,
    /// a response cut off mid-way, or a redirect (which this client never follows).
    #[error("connection error: {0}")]
    Connection(#[source] TransportError),
    /// The connect timeout or the whole-request timeout passed.
    #[error("timeout: {0}")]
    Timeout(#[source] TransportError),
    /// The API answered 429 Too Many Requests (after any retries the client made).
    #[error("rate limited: {0}")]
    RateLimited(ApiError),
    /// The API answered with any other non-2xx status.
    #[error("API error: {0}")]
    Api(ApiError),
    /// The API answered 2xx but the body is not what the API's spec describes.
    #[error("could not decode the response: {0}")]
    Decode(#[source] DecodeError),
}

impl Error {
    /// The HTTP status, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(ApiError::status)
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

    /// Removes `secret` (the client's API key) from every text the error carries.
    /// The transport passes each error through this before returning it, so a
    /// server or a library that echoes the key cannot make it show up in a log.
    pub(crate) fn redact(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        match self {
            Error::Config(mut text) => {
                scrub(&mut text, secret);
                Error::Config(text)
            }
            Error::InvalidRequest(mut text) => {
                scrub(&mut text, secret);
                Error::InvalidRequest(text)
            }
            Error::Connection(e) => Error::Connection(e.redact(secret)),
            Error::Timeout(e) => Error::Timeout(e.redact(secret)),
            Error::Decode(e) => Error::Decode(e.redact(secret)),
            Error::RateLimited(e) => Error::RateLimited(e.redact(secret)),
            Error::Api(e) => Error::Api(e.redact(secret)),
        }
    }
}

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
    fn redact(mut self, secret: &str) -> Self {
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

/// A 2xx response whose body did not match the expected shape.
#[derive(Debug)]
pub struct DecodeError {
    message: String,
    path: Option<String>,
    source: Option<serde_json::Error>,
}

impl DecodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            path: None,
            source: None,
        }
    }

    /// Builds the error for `body`, naming the JSON path where decoding stopped.
    pub(crate) fn from_json(err: serde_json::Error, body: &[u8]) -> Self {
        let path = json_path_at(body, err.line(), err.column());
        DecodeError {
            message: err.to_string(),
            path,
            source: Some(err),
        }
    }

    /// serde_json quotes the string it could not decode (`invalid type: string
    /// "…"`) and the path quotes object keys from the body: scrub `secret` from
    /// both, and drop the source, whose text is the unscrubbed message.
    fn redact(mut self, secret: &str) -> Self {
        let leaked = mentions(&self.message, secret)
            || self.path.as_deref().is_some_and(|p| mentions(p, secret));
        if leaked {
            scrub(&mut self.message, secret);
            if let Some(path) = &mut self.path {
                scrub(path, secret);
            }
            self.source = None;
        }
        self
    }

    /// Where in the JSON body decoding failed, e.g. `data[3].balance.currency`.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "at `{}`: ", OneLine(path))?;
        }
        write!(f, "{}", OneLine(&self.message))
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The class of an API error, from its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400
    BadRequest,
    /// 401: the API key is missing, wrong or revoked.
    Authentication,
    /// 403: the key is valid but may not do this.
    PermissionDenied,
    /// 404
    NotFound,
    /// 409
    Conflict,
    /// 422: the request was understood but a field is invalid.
    UnprocessableEntity,
    /// 429
    RateLimit,
    /// Any 5xx.
    InternalServer,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    fn from_status(status: u16) -> Self {
        match status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Authentication,
            403 => ApiErrorKind::PermissionDenied,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            422 => ApiErrorKind::UnprocessableEntity,
            429 => ApiErrorKind::RateLimit,
            500..=599 => ApiErrorKind::InternalServer,
            _ => ApiErrorKind::Other,
        }
    }
}

/// One entry of the API's `{"errors": [...]}` envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// Telnyx error code, e.g. `"10005"` (a number on the wire is accepted too).
    #[serde(default, deserialize_with = "lenient_string")]
    pub code: Option<String>,
    /// Short summary, e.g. `"Resource not found"`.
    #[serde(default, deserialize_with = "lenient_string")]
    pub title: Option<String>,
    /// Human-readable explanation.
    #[serde(default, deserialize_with = "lenient_string")]
    pub detail: Option<String>,
    /// What part of the request the error is about.
    #[serde(default)]
    pub source: Option<ApiErrorSource>,
    /// Extra data, such as a documentation `url`.
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// The `source` of an [`ApiErrorDetail`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorSource {
    /// JSON pointer (RFC 6901) to the offending field of the request body.
    #[serde(default, deserialize_with = "lenient_string")]
    pub pointer: Option<String>,
    /// The query parameter that caused the error.
    #[serde(default, deserialize_with = "lenient_string")]
    pub parameter: Option<String>,
}

/// The `x-ratelimit-*` headers the API sent with a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitInfo {
    /// `x-ratelimit-limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`: time until the window resets.
    pub reset: Option<Duration>,
}

/// A non-2xx answer from the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    // Boxed so that `Result<T, Error>` stays small on the happy path.
    inner: Box<ApiErrorInner>,
}

#[derive(Debug, Clone, PartialEq)]
struct ApiErrorInner {
    status: u16,
    errors: Vec<ApiErrorDetail>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    rate_limit: RateLimitInfo,
    body: String,
    headers: Vec<(String, String)>,
}

/// How much of an error body [`ApiError::body`] keeps.
const MAX_KEPT_BODY: usize = 4096;

impl ApiError {
    /// Builds the error from a response. `body` is parsed as the `{"errors": [...]}`
    /// envelope when it is one; anything else (empty, HTML from a proxy) is kept as text.
    /// `redact` is removed from every text kept, so an echoed key never leaks.
    pub(crate) fn new(
        status: u16,
        body: &[u8],
        request_id: Option<String>,
        retry_after: Option<Duration>,
        rate_limit: RateLimitInfo,
        redact: &str,
    ) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(default)]
            errors: Vec<ApiErrorDetail>,
        }
        let errors = serde_json::from_slice::<Envelope>(body)
            .map(|e| e.errors)
            .unwrap_or_default();
        // Scrub the whole body before cutting it, so no prefix of the key survives the cut.
        let mut text = String::from_utf8_lossy(body).into_owned();
        scrub(&mut text, redact);
        if text.len() > MAX_KEPT_BODY {
            let mut cut = MAX_KEPT_BODY;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        ApiError {
            inner: Box::new(ApiErrorInner {
                status,
                errors,
                request_id,
                retry_after,
                rate_limit,
                body: text,
                headers: Vec::new(),
            }),
        }
        .redact(redact)
    }

    /// Scrubs `secret` from every text the server sent: the error details, the
    /// request id and the kept body. A `meta` object that mentions it is dropped.
    fn redact(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let inner = &mut *self.inner;
        for detail in &mut inner.errors {
            let source = detail.source.as_mut();
            let (pointer, parameter) = match source {
                Some(s) => (s.pointer.as_mut(), s.parameter.as_mut()),
                None => (None, None),
            };
            for text in [
                detail.code.as_mut(),
                detail.title.as_mut(),
                detail.detail.as_mut(),
                pointer,
                parameter,
            ]
            .into_iter()
            .flatten()
            {
                scrub(text, secret);
            }
            if detail
                .meta
                .as_ref()
                .is_some_and(|meta| value_mentions(meta, secret))
            {
                detail.meta = None;
            }
        }
        if let Some(id) = &mut inner.request_id {
            scrub(id, secret);
        }
        scrub(&mut inner.body, secret);
        // A header that carries the key (an echoed Authorization) is dropped whole.
        inner.headers.retain(|(_, value)| !mentions(value, secret));
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.inner.status
    }

    /// The class of error, from the status.
    pub fn kind(&self) -> ApiErrorKind {
        ApiErrorKind::from_status(self.inner.status)
    }

    /// The entries of the `errors` envelope (empty when the body had none).
    pub fn errors(&self) -> &[ApiErrorDetail] {
        &self.inner.errors
    }

    /// The first non-blank `detail` or `title` of the errors, else the HTTP reason
    /// phrase. Never empty.
    pub fn message(&self) -> &str {
        self.inner
            .errors
            .iter()
            .flat_map(|e| [e.detail.as_deref(), e.title.as_deref()])
            .flatten()
            .find(|text| !text.trim().is_empty())
            .unwrap_or_else(|| reason_phrase(self.inner.status))
    }

    /// The first error's Telnyx code, e.g. `"10005"`.
    pub fn code(&self) -> Option<&str> {
        self.inner.errors.iter().find_map(|e| e.code.as_deref())
    }

    /// The `x-request-id` header, to quote when contacting Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The wait the server asked for, from `retry-after-ms` or `Retry-After`
    /// (seconds or an HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Keeps the response's headers (names lowercased) for [`ApiError::header`]
    /// and removes `redact` from them as from everything else.
    pub(crate) fn with_headers<'h>(
        mut self,
        headers: impl Iterator<Item = (&'h str, &'h [u8])>,
        redact: &str,
    ) -> Self {
        self.inner.headers = headers
            .filter_map(|(name, value)| {
                let value = std::str::from_utf8(value).ok()?;
                Some((name.to_ascii_lowercase(), value.to_owned()))
            })
            .collect();
        self.redact(redact)
    }

    /// A header of the error response, by case-insensitive name, e.g. a
    /// gateway's diagnostic header. The first value if it was sent more than once.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.inner
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `x-ratelimit-*` headers of the response.
    pub fn rate_limit(&self) -> &RateLimitInfo {
        &self.inner.rate_limit
    }

    /// The start of the raw response body (at most 4 KiB, API key removed).
    pub fn body(&self) -> &str {
        &self.inner.body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} {}",
            self.inner.status,
            reason_phrase(self.inner.status)
        )?;
        if let Some(code) = self.code() {
            write!(f, " (code {})", OneLine(code))?;
        }
        if !self.inner.errors.is_empty() {
            write!(f, ": {}", OneLine(self.message()))?;
        } else if !self.inner.body.trim().is_empty() && !looks_like_html(&self.inner.body) {
            let snippet: String = self.inner.body.trim().chars().take(200).collect();
            write!(f, ": {}", OneLine(&snippet))?;
        }
        if let Some(wait) = self.inner.retry_after {
            write!(f, "; retry after {:.1}s", wait.as_secs_f64())?;
        }
        if let Some(id) = &self.inner.request_id {
            write!(f, " [request id {}]", OneLine(id))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start().get(..5).unwrap_or("");
    start.eq_ignore_ascii_case("<!doc") || start.eq_ignore_ascii_case("<html")
}

/// `true` when `text` contains the (non-empty) `secret`.
fn mentions(text: &str, secret: &str) -> bool {
    !secret.is_empty() && text.contains(secret)
}

/// Replaces every occurrence of `secret` in `text` with `[REDACTED]`. Should the
/// result still contain it (a key such as `]]` or `RED` overlaps the marker), the
/// whole text is replaced.
fn scrub(text: &mut String, secret: &str) {
    const MARK: &str = "[REDACTED]";
    if mentions(text, secret) {
        let mark = if MARK.contains(secret) { "" } else { MARK };
        *text = text.replace(secret, mark);
        if text.contains(secret) {
            *text = mark.to_owned();
        }
    }
}

/// `true` when any string or object key in `value` contains `secret`.
fn value_mentions(value: &serde_json::Value, secret: &str) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => mentions(s, secret),
        Value::Array(items) => items.iter().any(|v| value_mentions(v, secret)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| mentions(k, secret) || value_mentions(v, secret)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Displays server-sent text on one line: control characters (CR, LF, ESC, …)
/// become spaces, so an error message cannot forge log lines or terminal output.
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.0.split(char::is_control).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(part)?;
        }
        Ok(())
    }
}

/// The HTTP reason phrase of `status` (shared with the mock server, which sends them).
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        300..=399 => "Redirect (not followed)",
        _ => "Error",
    }
}

/// Accepts a string, a number or a bool as text; anything else becomes `None`.
/// Error envelopes come from proxies and older services too, and a strange `code`
/// must not hide the status and message.
fn lenient_string<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// The JSON path (`data[2].email`) of the value being read at `line`:`column`
/// (1-based, as serde_json reports them). Best effort: it scans the text, so it
/// works on any prefix of a document, valid or not.
pub(crate) fn json_path_at(body: &[u8], line: usize, column: usize) -> Option<String> {
    let mut offset = 0;
    let mut current_line = 1;
    while current_line < line {
        offset += body.get(offset..)?.iter().position(|&b| b == b'\n')? + 1;
        current_line += 1;
    }
    let end = offset.saturating_add(column).min(body.len());

    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let mut last_string: Option<String> = None;
    while i < end {
        match body[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                let raw = body.get(start..i.min(body.len())).unwrap_or(&[]);
                last_string = Some(String::from_utf8_lossy(raw).into_owned());
            }
            b':' => {
                if let Some(Frame::Object(key)) = stack.last_mut() {
                    *key = last_string.take();
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of<T: serde::de::DeserializeOwned + fmt::Debug>(body: &str) -> Option<String> {
        let err = serde_json::from_str::<T>(body).unwrap_err();
        json_path_at(body.as_bytes(), err.line(), err.column())
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        email: String,
        n: i64,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct List {
        data: Vec<Item>,
    }

    #[test]
    fn decode_path_names_the_field() {
        let body = r#"{"data":[{"email":"a","n":1},{"email":"b, c","n":"x"}]}"#;
        assert_eq!(path_of::<List>(body).as_deref(), Some("data[1].n"));
        let body = "{\n \"data\": [\n {\"email\": null, \"n\": 1}]}";
        assert_eq!(path_of::<List>(body).as_deref(), Some("data[0].email"));
    }

    #[test]
    fn scrub_leaves_no_trace_of_odd_keys() {
        for (key, text) in [
            ("]]", "a]]]b"),
            ("RED", "xREDACTEDx RED"),
            ("[REDACTED]", "[REDACTED][REDACTED]"),
            ("aa", "aaaaa"),
        ] {
            let mut text = text.to_owned();
            scrub(&mut text, key);
            assert!(!text.contains(key), "{key:?} left in {text:?}");
        }
        let mut text = "nothing here".to_owned();
        scrub(&mut text, "");
        assert_eq!(text, "nothing here");
    }

    #[test]
    fn json_path_takes_any_position() {
        // Found by the json_path fuzz target: `offset + column` overflowed.
        assert_eq!(
            json_path_at(b"\n{\"a\":[", 2, usize::MAX).as_deref(),
            Some("a[0]")
        );
        assert_eq!(json_path_at(b"{\"a\":1}", usize::MAX, 3), None);
        assert_eq!(json_path_at(b"", 0, 0), None);
    }

    #[test]
    fn api_error_reads_envelope_and_redacts() {
        let body =
            br#"{"errors":[{"code":10005,"title":"Not found","detail":"no KEYsecret here"}]}"#;
        let e = ApiError::new(404, body, None, None, RateLimitInfo::default(), "KEYsecret");
        assert_eq!(e.code(), Some("10005"));
        assert_eq!(e.message(), "no [REDACTED] here");
        assert!(!e.body().contains("KEYsecret"));
        assert_eq!(e.kind(), ApiErrorKind::NotFound);
    }

    #[test]
    fn api_error_without_json_body_keeps_status() {
        let e = ApiError::new(
            502,
            b"<html>bad gateway</html>",
            None,
            None,
            RateLimitInfo::default(),
            "k",
        );
        assert_eq!(e.status(), 502);
        assert!(e.errors().is_empty());
        assert_eq!(e.message(), "Bad Gateway");
        assert_eq!(e.to_string(), "HTTP 502 Bad Gateway");
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
