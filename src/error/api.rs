//! [`ApiError`]: a non-2xx answer, with the Telnyx error envelope it carried.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

use super::CallInfo;
use super::credentials::{is_credential_name, redact_in_place, redact_value};
use super::text::{OneLine, REDACTED, bounded, mentions, scrub, value_mentions};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

impl ApiErrorDetail {
    /// Every text the server sent in this entry (not `meta`), to scrub.
    fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        let (pointer, parameter) = match self.source.as_mut() {
            Some(s) => (s.pointer.as_mut(), s.parameter.as_mut()),
            None => (None, None),
        };
        [
            self.code.as_mut(),
            self.title.as_mut(),
            self.detail.as_mut(),
            pointer,
            parameter,
        ]
        .into_iter()
        .flatten()
    }
}

/// The `source` of an [`ApiErrorDetail`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
///
/// Everything it keeps from the server is scrubbed of the API key, of the
/// request's own secrets (a create's password) and of credential-shaped members
/// (`password`, `api_key`, `api_token`, … at any depth), and its `Display` and
/// `Debug` are at most [`MAX_ERROR_TEXT`](crate::MAX_ERROR_TEXT) bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    // Boxed so that `Result<T, Error>` stays small on the happy path.
    inner: Box<ApiErrorInner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ApiErrorInner {
    status: u16,
    errors: Vec<ApiErrorDetail>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    rate_limit: RateLimitInfo,
    /// All of the body that was read (the transport caps it), scrubbed; `body()`
    /// shows its start. Kept whole so that a secret scrubbed later (the
    /// request's own) is found whole, never cut in two by the 4 KiB limit.
    body: String,
    headers: Vec<(String, String)>,
    call: Option<CallInfo>,
    /// Why the client returned this answer instead of retrying, when it says.
    not_retried: Option<String>,
}

/// How much of an error body [`ApiError::body`] shows.
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
        let mut errors = serde_json::from_slice::<Envelope>(body)
            .map(|e| e.errors)
            .unwrap_or_default();
        for detail in &mut errors {
            if let Some(meta) = &mut detail.meta {
                redact_value(meta);
            }
            // A server may embed JSON in its text: `"detail": "{\"api_key\": …}"`.
            detail.texts_mut().for_each(redact_in_place);
        }
        let mut text = String::from_utf8_lossy(body).into_owned();
        redact_in_place(&mut text);
        // JSON inside a string of a JSON body is escaped, out of the text scan's
        // reach: redact the parsed body and show it re-encoded if that changed it.
        if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) {
            let before = value.clone();
            redact_value(&mut value);
            if value != before {
                text = value.to_string();
            }
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
                call: None,
                not_retried: None,
            }),
        }
        .redact(redact)
    }

    /// Scrubs `secret` from every text the server sent: the error details, the
    /// request id and the kept body. A `meta` object that mentions it is dropped.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let inner = &mut *self.inner;
        for detail in &mut inner.errors {
            for text in detail.texts_mut() {
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
        // The body was cut by the transport's read limit: the start of the secret
        // may end it.
        for len in (3..secret.len().min(inner.body.len() + 1)).rev() {
            if secret.is_char_boundary(len) && inner.body.ends_with(&secret[..len]) {
                let cut = inner.body.len() - len;
                inner.body.truncate(cut);
                inner.body.push_str(REDACTED);
                break;
            }
        }
        // A header that carries the key (an echoed Authorization) is dropped whole.
        inner.headers.retain(|(_, value)| !mentions(value, secret));
        if let Some(call) = &mut inner.call {
            call.redact(secret);
        }
        self
    }

    /// Records why the client did not retry (e.g. the wait asked for is longer
    /// than `max_retry_wait`); shown at the end of `Display`.
    pub(crate) fn set_not_retried(&mut self, why: String) {
        self.inner.not_retried = Some(why);
    }

    pub(crate) fn set_call(&mut self, call: CallInfo) {
        self.inner.call = Some(call);
    }

    /// The call that was answered: method, host and path (no query). A 404
    /// from a wrong base URL names another host than the API's.
    pub fn call(&self) -> Option<&CallInfo> {
        self.inner.call.as_ref()
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
                // `Set-Cookie`, `X-Api-Key`, an echoed `Authorization`: kept by name only.
                let value = if is_credential_name(name) || name.eq_ignore_ascii_case("set-cookie") {
                    REDACTED
                } else {
                    value
                };
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

    /// The start of the raw response body: at most 4 KiB, with the API key, the
    /// request's own secrets and the values of credential-shaped members
    /// (`password`, `api_key`, `api_token`, …) replaced by `[REDACTED]`.
    pub fn body(&self) -> &str {
        let body = &self.inner.body;
        let mut cut = body.len().min(MAX_KEPT_BODY);
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        &body[..cut]
    }

    pub(super) fn write_to(&self, w: &mut dyn fmt::Write) -> fmt::Result {
        let inner = &*self.inner;
        write!(w, "HTTP {} {}", inner.status, reason_phrase(inner.status))?;
        if let Some(code) = self.code() {
            write!(w, " (code {})", OneLine(code))?;
        }
        if !inner.errors.is_empty() {
            write!(w, ": {}", OneLine(self.message()))?;
        } else if !inner.body.trim().is_empty() && !looks_like_html(&inner.body) {
            let snippet: String = inner.body.trim().chars().take(200).collect();
            write!(w, ": {}", OneLine(&snippet))?;
        }
        if let Some(wait) = inner.retry_after {
            write!(w, "; retry after {:.1}s", wait.as_secs_f64())?;
        }
        if let Some(why) = &inner.not_retried {
            write!(w, "; returned without retrying: {why}")?;
        }
        if let Some(call) = &inner.call {
            write!(w, " ({call})")?;
        }
        if let Some(id) = &inner.request_id {
            write!(w, " [request id {}]", OneLine(id))?;
        }
        Ok(())
    }
}

/// Bounded like `Display`: status, call, request id and details first, then the
/// header names and the start of the body.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        bounded(f, |w| {
            write!(
                w,
                "ApiError {{ status: {}, call: {:?}, request_id: {:?}, retry_after: {:?}, \
                 rate_limit: {:?}, errors: {:?}, headers: {:?}, body: {:?} }}",
                inner.status,
                inner.call.as_ref().map(ToString::to_string),
                inner.request_id,
                inner.retry_after,
                inner.rate_limit,
                inner.errors,
                inner.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                self.body(),
            )
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| self.write_to(w))
    }
}

impl std::error::Error for ApiError {}

fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start().get(..5).unwrap_or("");
    start.eq_ignore_ascii_case("<!doc") || start.eq_ignore_ascii_case("<html")
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

#[cfg(test)]
mod tests {
    use super::*;

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
