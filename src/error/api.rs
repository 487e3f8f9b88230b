//! [`ApiError`]: a non-2xx answer, with the Telnyx error envelope it carried.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::credentials::{is_credential_name, redact_in_place, redact_value};
use super::text::{REDACTED, cap, clean, cut, mentions, scrub_all, scrub_value};
use super::{CallInfo, ErrorKind};
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
    /// An entry of the (redacted) envelope, its texts scrubbed of `secrets` and
    /// capped; a `meta` that mentions a secret is dropped. Error envelopes come
    /// from proxies and older services too: a strange `code` must not hide the
    /// status and message.
    fn read(entry: &Value, secrets: &[&str]) -> Self {
        let text = |at: &str| {
            let mut text = match entry.pointer(at)? {
                Value::String(s) => s.clone(),
                v @ (Value::Number(_) | Value::Bool(_)) => v.to_string(),
                _ => return None,
            };
            scrub_all(&mut text, secrets);
            cap(&mut text, MAX_TEXT);
            Some(text)
        };
        let meta = entry.get("meta").filter(|m| !m.is_null());
        ApiErrorDetail {
            code: text("/code"),
            title: text("/title"),
            detail: text("/detail"),
            pointer: text("/source/pointer"),
            parameter: text("/source/parameter"),
            meta: meta
                .filter(|m| !secrets.iter().any(|s| mentions(&m.to_string(), s)))
                .cloned(),
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
#[error("{}", line(.0))]
// Boxed so that `Result<T, Error>` stays small on the happy path.
pub struct ApiError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    status: u16,
    errors: Vec<ApiErrorDetail>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    rate_limit: RateLimitInfo,
    /// Raw until [`ApiError::finish`], then scrubbed and at most 4 KiB.
    body: String,
    headers: Vec<(String, String)>,
    call: Option<CallInfo>,
    /// Why the client returned this answer instead of retrying, when it says.
    not_retried: Option<String>,
}

impl ApiError {
    /// The error for a response, raw: [`finish`](Self::finish) cleans it.
    pub(crate) fn new<'h>(
        status: u16,
        headers: impl Iterator<Item = (&'h str, &'h [u8])>,
        body: &[u8],
        request_id: Option<String>,
        retry_after: Option<Duration>,
        rate_limit: RateLimitInfo,
    ) -> Self {
        let headers = headers
            .filter_map(|(n, v)| {
                Some((n.to_ascii_lowercase(), std::str::from_utf8(v).ok()?.into()))
            })
            .collect();
        ApiError(Box::new(Inner {
            status,
            errors: Vec::new(),
            request_id,
            retry_after,
            rate_limit,
            body: String::from_utf8_lossy(body).into_owned(),
            headers,
            call: None,
            not_retried: None,
        }))
    }

    /// Parses the body once into the `{"errors": [...]}` envelope when it is
    /// one (anything else, empty or HTML from a proxy, is kept as text),
    /// redacts credential-shaped members and `secrets` from everything kept,
    /// and caps it. A second call finds the body cut or already clean.
    pub(super) fn clean(&mut self, secrets: &[&str], call: Option<CallInfo>) {
        let inner = &mut *self.0;
        inner.call = call.or(inner.call.take()).map(|c| c.finish(secrets));
        if let Some(id) = &mut inner.request_id {
            scrub_all(id, secrets);
        }
        // A header that carries a secret (an echoed Authorization) is dropped
        // whole; `Set-Cookie`, `X-Api-Key` and the like are kept by name only.
        inner
            .headers
            .retain(|(_, v)| !secrets.iter().any(|s| mentions(v, s)));
        for (name, value) in &mut inner.headers {
            if is_credential_name(name) || name == "set-cookie" {
                *value = REDACTED.to_owned();
            }
        }
        let body = &mut inner.body;
        if let Ok(mut value) = serde_json::from_str::<Value>(body) {
            let before = value.clone();
            redact_value(&mut value);
            if let Some(entries) = value["errors"]
                .as_array()
                .filter(|e| e.iter().all(Value::is_object))
            {
                inner.errors = entries
                    .iter()
                    .map(|e| ApiErrorDetail::read(e, secrets))
                    .collect();
            }
            scrub_value(&mut value, secrets);
            // JSON inside a string of a JSON body is escaped, out of the text
            // scan's reach: show the cleaned value when cleaning changed it.
            if value != before {
                *body = value.to_string();
            }
        }
        redact_in_place(body);
        scrub_all(body, secrets);
        // The body was cut by the transport's read limit: the start of a secret may end it.
        for secret in secrets {
            for len in (3..secret.len().min(body.len() + 1)).rev() {
                if secret.is_char_boundary(len) && body.ends_with(&secret[..len]) {
                    body.truncate(body.len() - len);
                    body.push_str(REDACTED);
                    break;
                }
            }
        }
        cut(body, MAX_BODY);
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
        self.0.message()
    }

    /// The first error's Telnyx code, e.g. `"10005"`.
    pub fn code(&self) -> Option<&str> {
        self.0.code()
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
        let name = name.to_ascii_lowercase();
        self.0
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
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

impl Inner {
    fn message(&self) -> &str {
        self.errors
            .iter()
            .flat_map(|e| [e.detail.as_deref(), e.title.as_deref()])
            .flatten()
            .find(|text| !text.trim().is_empty())
            .unwrap_or_else(|| reason(self.status))
    }

    fn code(&self) -> Option<&str> {
        self.errors.iter().find_map(|e| e.code.as_deref())
    }
}

/// `Display`: one line, every part of it capped.
fn line(inner: &Inner) -> String {
    let mut out = format!("HTTP {} {}", inner.status, reason(inner.status));
    if let Some(code) = inner.code() {
        out += &format!(" (code {})", clean(code, 256));
    }
    let body = inner.body.trim();
    if !inner.errors.is_empty() {
        out += &format!(": {}", clean(inner.message(), MAX_TEXT));
    } else if !body.is_empty() && !looks_like_html(body) {
        out += &format!(
            ": {}",
            clean(&body.chars().take(200).collect::<String>(), MAX_TEXT)
        );
    }
    if let Some(wait) = inner.retry_after {
        out += &format!("; retry after {:.1}s", wait.as_secs_f64());
    }
    if let Some(why) = &inner.not_retried {
        out += &format!("; returned without retrying: {why}");
    }
    if let Some(call) = &inner.call {
        out += &format!(" ({call})");
    }
    if let Some(id) = &inner.request_id {
        out += &format!(" [request id {}]", clean(id, 256));
    }
    out
}

/// Bounded: status, call, request id and details first, then the header names
/// and the body, cut to 4000 bytes in all.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.0;
        let mut text = format!(
            "ApiError {{ status: {}, call: {:?}, request_id: {:?}, retry_after: {:?}, \
             rate_limit: {:?}, errors: {:?}, headers: {:?}, body: {:?} }}",
            inner.status,
            inner.call.as_ref().map(ToString::to_string),
            inner.request_id,
            inner.retry_after,
            inner.rate_limit,
            inner.errors,
            inner.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            inner.body,
        );
        cap(&mut text, 4000);
        f.write_str(&text)
    }
}

fn looks_like_html(body: &str) -> bool {
    let start = body.get(..5).unwrap_or("");
    start.eq_ignore_ascii_case("<!doc") || start.eq_ignore_ascii_case("<html")
}

/// The reason phrase of `status`; redirects say they are not followed.
fn reason(status: u16) -> &'static str {
    match status {
        300..=399 => "Redirect (not followed)",
        _ => ureq::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, body: &[u8], secret: &str) -> ApiError {
        let headers = std::iter::empty();
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
