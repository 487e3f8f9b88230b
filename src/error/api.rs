//! [`ApiError`]: a non-2xx answer, with the Telnyx error envelope it carried.

use std::fmt;
use std::str::from_utf8;
use std::time::Duration;

use serde_json::Value;
use ureq::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::credentials::{clean_json_text, is_credential_name};
use super::text::{REDACTED, cap, clean, mentions, scrub};
use super::{CallInfo, ErrorKind, around};
use crate::response::RateLimitInfo;

/// Most bytes kept of each text of an [`ApiErrorDetail`], and of the body.
const MAX_TEXT: usize = 1024;
const MAX_BODY: usize = 4096;

/// One entry of the API's `{"errors": [...]}` envelope, its `source.pointer`
/// and `source.parameter` included. Each text is at most 1 KiB; a number or a
/// bool on the wire is read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// Telnyx error code, e.g. `"10005"` (a number on the wire is accepted too).
    pub code: Option<String>,
    /// Short summary, e.g. `"Resource not found"`.
    pub title: Option<String>,
    /// Human-readable explanation.
    pub detail: Option<String>,
    /// `source.pointer`: JSON pointer (RFC 6901) to the offending field of the request body.
    pub pointer: Option<String>,
    /// `source.parameter`: the query parameter that caused the error.
    pub parameter: Option<String>,
    /// Extra data, such as a documentation `url`.
    pub meta: Option<Value>,
}

impl ApiErrorDetail {
    /// An entry of the cleaned envelope, its texts capped; a `meta` that had
    /// anything redacted (a secret, a credential member) is dropped whole. Error
    /// envelopes come from proxies and older services too: a strange `code`
    /// must not hide the status and message.
    fn read(entry: &Value) -> Self {
        let text = |at: &str| match entry.pointer(at)? {
            Value::String(s) => Some(cap(s.clone(), MAX_TEXT)),
            v @ (Value::Number(_) | Value::Bool(_)) => Some(cap(v.to_string(), MAX_TEXT)),
            _ => None,
        };
        let meta = entry.get("meta").filter(|m| !m.is_null());
        ApiErrorDetail {
            code: text("/code"),
            title: text("/title"),
            detail: text("/detail"),
            pointer: text("/source/pointer"),
            parameter: text("/source/parameter"),
            meta: meta.filter(|m| !m.to_string().contains(REDACTED)).cloned(),
        }
    }
}

/// A non-2xx answer from the API.
///
/// Everything it keeps from the server is scrubbed of the API key, of the
/// request's own secrets (a create's password) and of credential-shaped members
/// (`password`, `api_key`, `api_token`, … at any depth), and its `Display` and
/// `Debug` are at most 4096 bytes.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.line())]
// Boxed so that `Result<T, Error>` stays small on the happy path.
pub struct ApiError(Box<Inner>);

/// In the order `Debug` shows it, the body last: `Debug` is cut at 4000 bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Inner {
    status: u16,
    call: Option<CallInfo>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    /// Why the client returned this answer instead of retrying, when it says.
    not_retried: Option<String>,
    rate_limit: RateLimitInfo,
    errors: Vec<ApiErrorDetail>,
    headers: Headers,
    /// Raw until [`ApiError::clean`], then scrubbed and at most 4 KiB.
    body: String,
}

/// The response's headers, names lowercased; `Debug` shows the names only.
#[derive(Clone, Default, PartialEq, Eq)]
struct Headers(Vec<(String, String)>);

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.0.iter().map(|(name, _)| name);
        f.debug_list().entries(names).finish()
    }
}

impl ApiError {
    /// The error for a response, raw: [`finish`](Self::finish) cleans it.
    pub(crate) fn new(
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        request_id: Option<String>,
        retry_after: Option<Duration>,
        rate_limit: RateLimitInfo,
    ) -> Self {
        // `Set-Cookie`, `X-Api-Key` and the like are kept by name only.
        let text = |(n, v): (&HeaderName, &HeaderValue)| {
            let value = from_utf8(v.as_bytes()).ok()?;
            let credential = is_credential_name(n.as_str()) || n == "set-cookie";
            let value = if credential { REDACTED } else { value };
            Some((n.to_string(), value.to_owned()))
        };
        ApiError(Box::new(Inner {
            status,
            request_id,
            retry_after,
            rate_limit,
            headers: Headers(headers.iter().filter_map(text).collect()),
            body: String::from_utf8_lossy(body).into_owned(),
            ..Inner::default()
        }))
    }

    /// Parses the body once into the `{"errors": [...]}` envelope when it is
    /// one (anything else, empty or HTML from a proxy, is kept as text),
    /// redacts credential-shaped members and `secrets` from everything kept,
    /// and caps it. A second call finds the body cut or already clean.
    pub(super) fn clean(&mut self, secrets: &[&str], call: Option<CallInfo>) {
        let inner = &mut *self.0;
        inner.call = call.or(inner.call.take());
        if let Some(id) = &mut inner.request_id {
            scrub(id, secrets, usize::MAX);
        }
        // A header that carries a secret (an echoed Authorization) is dropped whole.
        let headers = &mut inner.headers.0;
        headers.retain(|(_, v)| !secrets.iter().any(|s| mentions(v, s)));
        // One redaction pass, then one parse of what is left.
        let body = &mut inner.body;
        *body = clean_json_text(body, secrets);
        let value = serde_json::from_str::<Value>(body).unwrap_or_default();
        let entries = value["errors"].as_array().into_iter().flatten();
        let read = |e: &Value| e.is_object().then(|| ApiErrorDetail::read(e));
        let errors: Option<_> = entries.map(read).collect();
        inner.errors = errors.unwrap_or_default();
        // The body was cut by the transport's read limit: the start of a secret may end it.
        for secret in secrets {
            let start = |&n: &usize| secret.is_char_boundary(n) && body.ends_with(&secret[..n]);
            if let Some(n) = (3..secret.len()).rev().find(start) {
                body.truncate(body.len() - n);
                body.push_str(REDACTED);
            }
        }
        *body = cap(std::mem::take(body), MAX_BODY);
    }

    /// Records why the client did not retry (e.g. the wait asked for is longer
    /// than `max_retry_wait`); shown at the end of `Display`.
    pub(crate) fn set_not_retried(&mut self, why: String) {
        self.0.not_retried = Some(clean(&why, 256));
    }

    /// The call that was answered: method, host and path (no query). A 404
    /// from a wrong base URL names another host than the API's.
    pub fn call(&self) -> Option<&CallInfo> {
        self.0.call.as_ref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The class of error, from the status: [`ErrorKind::BadRequest`] (400),
    /// [`Authentication`](ErrorKind::Authentication) (401),
    /// [`PermissionDenied`](ErrorKind::PermissionDenied) (403),
    /// [`NotFound`](ErrorKind::NotFound) (404), [`Conflict`](ErrorKind::Conflict)
    /// (409), [`UnprocessableEntity`](ErrorKind::UnprocessableEntity) (422),
    /// [`RateLimit`](ErrorKind::RateLimit) (429),
    /// [`InternalServer`](ErrorKind::InternalServer) (5xx), else [`Other`](ErrorKind::Other).
    pub fn kind(&self) -> ErrorKind {
        match self.0.status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::UnprocessableEntity,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::InternalServer,
            _ => ErrorKind::Other,
        }
    }

    /// The entries of the `errors` envelope (empty when the body had none).
    pub fn errors(&self) -> &[ApiErrorDetail] {
        &self.0.errors
    }

    /// The first non-blank `detail` or `title` of the errors, else the HTTP reason
    /// phrase. Never empty.
    pub fn message(&self) -> &str {
        let texts = self.0.errors.iter().flat_map(|e| [&e.detail, &e.title]);
        let found = texts.flatten().find(|text| !text.trim().is_empty());
        found.map_or_else(|| reason(self.0.status), String::as_str)
    }

    /// The first error's Telnyx code, e.g. `"10005"`.
    pub fn code(&self) -> Option<&str> {
        self.0.errors.iter().find_map(|e| e.code.as_deref())
    }

    /// The `x-request-id` header, to quote when contacting Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The wait the server asked for, from `retry-after-ms` or `Retry-After`
    /// (seconds or an HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// A header of the error response, by case-insensitive name, e.g. a
    /// gateway's diagnostic header. The first value if it was sent more than once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut headers = self.0.headers.0.iter();
        let found = headers.find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, value)| value.as_str())
    }

    /// The `x-ratelimit-*` headers of the response.
    pub fn rate_limit(&self) -> &RateLimitInfo {
        &self.0.rate_limit
    }

    /// The start of the raw response body: at most 4 KiB, with the API key, the
    /// request's own secrets and the values of credential-shaped members
    /// (`password`, `api_key`, `api_token`, …) replaced by `[REDACTED]`.
    pub fn body(&self) -> &str {
        &self.0.body
    }
}

impl ApiError {
    /// `Display`: one line, every part of it capped.
    fn line(&self) -> String {
        let (inner, body) = (&*self.0, self.0.body.trim());
        let summary = match inner.errors.is_empty() {
            false => Some(clean(self.message(), MAX_TEXT)),
            true if body.is_empty() || looks_like_html(body) => None,
            true => Some(clean(&body.chars().take(200).collect::<String>(), MAX_TEXT)),
        };
        let secs = inner.retry_after.map(|wait| wait.as_secs_f64());
        let wait = secs.map(|secs| format!("{secs:.1}s"));
        let code = self.code().map(|code| clean(code, 256));
        let id = inner.request_id.as_deref().map(|id| clean(id, 256));
        [
            format!("HTTP {} {}", inner.status, reason(inner.status)),
            around(" (code ", &code, ")"),
            around(": ", &summary, ""),
            around("; retry after ", &wait, ""),
            around("; returned without retrying: ", &inner.not_retried, ""),
            around(" (", &inner.call, ")"),
            around(" [request id ", &id, "]"),
        ]
        .concat()
    }
}

/// Bounded: the derived form with the header names only, cut to 4000 bytes.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&cap(format!("ApiError({:?})", self.0), 4000))
    }
}

fn looks_like_html(body: &str) -> bool {
    let start = body.get(..5).unwrap_or("");
    start.eq_ignore_ascii_case("<!doc") || start.eq_ignore_ascii_case("<html")
}

/// The reason phrase of `status`; redirects say they are not followed.
fn reason(status: u16) -> &'static str {
    let code = StatusCode::from_u16(status).ok();
    match status {
        300..=399 => "Redirect (not followed)",
        _ => code.and_then(|c| c.canonical_reason()).unwrap_or("Error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, body: &[u8], secret: &str) -> ApiError {
        let headers = &HeaderMap::new();
        let mut e = ApiError::new(status, headers, body, None, None, RateLimitInfo::default());
        e.clean(&[secret], None);
        e
    }

    #[test]
    fn api_error_reads_envelope_and_redacts() {
        let body =
            br#"{"errors":[{"code":10005,"title":"Not found","detail":"no KEYsecret here"}]}"#;
        let e = api_error(404, body, "KEYsecret");
        assert_eq!(e.code(), Some("10005"));
        assert_eq!(e.message(), "no [REDACTED] here");
        assert!(!e.body().contains("KEYsecret"));
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn api_error_without_json_body_keeps_status() {
        let e = api_error(502, b"<html>bad gateway</html>", "k");
        assert_eq!(e.status(), 502);
        assert!(e.errors().is_empty());
        assert_eq!(e.message(), "Bad Gateway");
        assert_eq!(e.to_string(), "HTTP 502 Bad Gateway");
    }
}
