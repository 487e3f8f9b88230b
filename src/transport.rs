//! The one HTTP path: URL building, headers, retries, the body cap, status mapping
//! and JSON decoding. No other module talks to `ureq`.

use std::fmt;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use ureq::http::{self, HeaderMap, HeaderName, HeaderValue};

use crate::error::{ApiError, DecodeError, Error, RateLimitInfo, Result, TransportError};
use crate::secret::Secret;

/// Largest error body read to build an [`ApiError`]; the rest is not needed.
const MAX_ERROR_BODY: u64 = 64 * 1024;
/// First backoff step; it doubles on each retry.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Backoff never grows past this (the server's own hints may ask for more).
const BACKOFF_MAX: Duration = Duration::from_secs(8);

/// How a call may be repeated after a failure whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Reads, PATCHes and the actions: doing them twice leaves the same state.
    Safe,
    /// `POST /managed_accounts`: repeating it could create a second account, so it is
    /// retried only when the server provably did not act (never sent, 429, 503).
    Create,
}

/// One API call, before any I/O.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    method: http::Method,
    path: &'a str,
    query: &'a [(&'a str, String)],
    body: Option<Vec<u8>>,
    accept: &'static str,
    replay: Replay,
}

impl<'a> Call<'a> {
    pub(crate) fn get(path: &'a str) -> Self {
        Call {
            method: http::Method::GET,
            path,
            query: &[],
            body: None,
            accept: "application/json",
            replay: Replay::Safe,
        }
    }

    /// A POST without a body (the actions).
    pub(crate) fn post(path: &'a str) -> Self {
        Call {
            method: http::Method::POST,
            ..Call::get(path)
        }
    }

    pub(crate) fn patch(path: &'a str) -> Self {
        Call {
            method: http::Method::PATCH,
            ..Call::get(path)
        }
    }

    pub(crate) fn query(mut self, query: &'a [(&'a str, String)]) -> Self {
        self.query = query;
        self
    }

    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::InvalidRequest(format!("could not encode the request body: {e}"))
        })?;
        self.body = Some(bytes);
        Ok(self)
    }

    pub(crate) fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    pub(crate) fn creates(mut self) -> Self {
        self.replay = Replay::Create;
        self
    }
}

/// What the transport needs from the client's configuration.
pub(crate) struct TransportConfig {
    pub(crate) base_url: String,
    /// `false` for a loopback base URL: a local server is never reached through a proxy.
    pub(crate) use_env_proxy: bool,
    pub(crate) api_key: Secret,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) user_agent: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_retry_wait: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) sleep: Arc<dyn Fn(Duration) + Send + Sync>,
}

pub(crate) struct Transport {
    agent: ureq::Agent,
    base_url: String,
    api_key: Secret,
    auth: HeaderValue,
    headers: Vec<(HeaderName, HeaderValue)>,
    max_retries: u32,
    max_retry_wait: Duration,
    max_response_bytes: u64,
    sleep: Arc<dyn Fn(Duration) + Send + Sync>,
    jitter_state: AtomicU64,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("max_retries", &self.max_retries)
            .field("max_retry_wait", &self.max_retry_wait)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(config: TransportConfig) -> Result<Self> {
        let mut auth = HeaderValue::try_from(format!("Bearer {}", config.api_key.expose()))
            .map_err(|_| {
                Error::Config(
                    "the API key contains characters that cannot go in an HTTP header".into(),
                )
            })?;
        auth.set_sensitive(true);
        let agent = build_agent(&config);
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Ok(Transport {
            agent,
            base_url: config.base_url,
            api_key: config.api_key,
            auth,
            headers: config.headers,
            max_retries: config.max_retries,
            max_retry_wait: config.max_retry_wait,
            max_response_bytes: config.max_response_bytes,
            sleep: config.sleep,
            jitter_state: AtomicU64::new(seed | 1),
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `call`, retrying as the policy allows, and returns the body of the 2xx answer.
    pub(crate) fn send(&self, call: &Call<'_>) -> Result<Vec<u8>> {
        self.send_raw(call).map_err(|e| self.redact(e))
    }

    fn send_raw(&self, call: &Call<'_>) -> Result<Vec<u8>> {
        let url = self.url(call.path, call.query);
        let mut retries = 0;
        loop {
            let failure = match self.attempt(call, &url) {
                Ok(body) => return Ok(body),
                Err(failure) => failure,
            };
            if !failure.retryable || retries >= self.max_retries {
                return Err(failure.error);
            }
            let wait = failure.wait.unwrap_or_else(|| self.backoff(retries));
            if wait > self.max_retry_wait {
                return Err(failure.error);
            }
            (self.sleep)(wait);
            retries += 1;
        }
    }

    /// Sends `call` and turns the 2xx body into `T` with `decoder`.
    pub(crate) fn call_with<T>(
        &self,
        call: &Call<'_>,
        decoder: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let body = self.send(call)?;
        decoder(&body).map_err(|e| self.redact(e))
    }

    /// Sends `call` and decodes the whole 2xx body as `T`.
    pub(crate) fn json<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T> {
        self.call_with(call, decode)
    }

    /// Sends `call` and returns the `data` member of the `{"data": …}` answer.
    pub(crate) fn data<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T> {
        self.call_with(call, decode_data)
    }

    /// Every error leaves the transport through here: the API key is scrubbed from it.
    pub(crate) fn redact(&self, error: Error) -> Error {
        error.redact(self.api_key.expose())
    }

    fn attempt(&self, call: &Call<'_>, url: &str) -> std::result::Result<Vec<u8>, Failure> {
        let mut builder = http::Request::builder()
            .method(call.method.clone())
            .uri(url)
            .header(http::header::AUTHORIZATION, self.auth.clone())
            .header(http::header::ACCEPT, HeaderValue::from_static(call.accept));
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let sent = match &call.body {
            Some(body) => builder
                .header(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )
                .body(body.as_slice())
                .map(|req| self.agent.run(req)),
            // `Content-Length: 0`: with `()` ureq sends a bodiless POST as an empty chunked body.
            None if call.method != http::Method::GET => {
                builder.body(&[][..]).map(|req| self.agent.run(req))
            }
            None => builder.body(()).map(|req| self.agent.run(req)),
        };
        let mut response = match sent {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Err(self.transport_failure(e, call.replay)),
            Err(e) => {
                return Err(Failure::fatal(Error::InvalidRequest(format!(
                    "could not build the request: {e}"
                ))));
            }
        };
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return match response
                .body_mut()
                .with_config()
                .limit(self.max_response_bytes)
                .read_to_vec()
            {
                Ok(body) => Ok(body),
                Err(ureq::Error::BodyExceedsLimit(limit)) => {
                    Err(Failure::fatal(Error::Decode(DecodeError::new(format!(
                        "the response body is larger than the {limit}-byte limit \
                         (raise it with TelnyxBuilder::max_response_bytes)"
                    )))))
                }
                // The server acted and the answer was lost on the way back.
                Err(e) => Err(self.transport_failure_after_send(e, call.replay)),
            };
        }
        let headers = response.headers().clone();
        // Keep the start of an error body: a huge or endless one is cut, not refused,
        // so the status and the first bytes still make the error. A read error just
        // ends the body early.
        let mut body = Vec::new();
        let _ = response
            .body_mut()
            .as_reader()
            .take(MAX_ERROR_BODY.min(self.max_response_bytes))
            .read_to_end(&mut body);
        Err(self.status_failure(status, &headers, &body, call.replay))
    }

    fn status_failure(
        &self,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        replay: Replay,
    ) -> Failure {
        let now = SystemTime::now();
        let retry_after = retry_after(headers, now);
        let rate_limit = RateLimitInfo {
            limit: header_u64(headers, "x-ratelimit-limit"),
            remaining: header_u64(headers, "x-ratelimit-remaining"),
            reset: header_u64(headers, "x-ratelimit-reset").map(Duration::from_secs),
        };
        let wait = match status {
            429 => retry_after.or(rate_limit.reset),
            _ => retry_after,
        };
        let request_id = header_str(headers, "x-request-id").map(str::to_owned);
        let api = ApiError::new(
            status,
            body,
            request_id,
            retry_after,
            rate_limit,
            self.api_key.expose(),
        )
        .with_headers(
            headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes())),
            self.api_key.expose(),
        );
        let retryable = match replay {
            Replay::Safe => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
            // 429 and 503 mean the request was turned away before it was processed.
            Replay::Create => matches!(status, 429 | 503),
        };
        let error = if status == 429 {
            Error::RateLimited(api)
        } else {
            Error::Api(api)
        };
        Failure {
            error,
            retryable,
            wait,
        }
    }

    fn transport_failure(&self, e: ureq::Error, replay: Replay) -> Failure {
        if never_sent(&e) {
            return Failure {
                retryable: transient(&e),
                error: transport_error(e, false),
                wait: None,
            };
        }
        self.transport_failure_after_send(e, replay)
    }

    fn transport_failure_after_send(&self, e: ureq::Error, replay: Replay) -> Failure {
        let retryable = replay == Replay::Safe && transient(&e);
        let error = transport_error(e, true);
        Failure {
            error,
            retryable,
            wait: None,
        }
    }

    /// 0.5 s × 2ⁿ, capped at 8 s, minus up to 25 % jitter so that many clients
    /// hitting the same limit do not come back in lock step.
    fn backoff(&self, retries: u32) -> Duration {
        let base = BACKOFF_BASE
            .saturating_mul(1u32 << retries.min(16))
            .min(BACKOFF_MAX);
        let jitter = (self.next_random() % 1000) as f64 / 4000.0;
        base.mul_f64(1.0 - jitter)
    }

    /// xorshift64*: plenty for jitter, no extra crate.
    fn next_random(&self) -> u64 {
        let mut x = self.jitter_state.load(Ordering::Relaxed);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.jitter_state.store(x, Ordering::Relaxed);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> String {
        let mut url =
            String::with_capacity(self.base_url.len() + path.len() + 1 + query.len() * 32);
        url.push_str(&self.base_url);
        url.push('/');
        url.push_str(path);
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            encode_into(key, &mut url);
            url.push('=');
            encode_into(value, &mut url);
        }
        url
    }
}

/// One failed attempt: the error to report, whether another attempt is allowed,
/// and the wait the server asked for.
struct Failure {
    error: Error,
    retryable: bool,
    wait: Option<Duration>,
}

impl Failure {
    fn fatal(error: Error) -> Self {
        Failure {
            error,
            retryable: false,
            wait: None,
        }
    }
}

fn build_agent(config: &TransportConfig) -> ureq::Agent {
    let builder = ureq::Agent::config_builder()
        // Keep error bodies and rate-limit headers instead of ureq's bare StatusCode.
        .http_status_as_error(false)
        // A redirect is reported, never followed: the bearer token stays with our host.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(config.timeout))
        .timeout_connect(Some(config.connect_timeout))
        .user_agent(config.user_agent.as_str())
        .accept("application/json");
    // ureq takes HTTP(S)_PROXY/ALL_PROXY from the environment and does not exempt
    // loopback; a local server (the mock, a test fake) is never behind a proxy.
    let builder = if config.use_env_proxy {
        builder
    } else {
        builder.proxy(None)
    };
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_config(
        ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::NativeTls)
            .build(),
    );
    // Not `new_agent()`: ureq's own resolver spawns a thread per request when a
    // global timeout is set, even for a pooled connection (see resolver.rs).
    crate::resolver::agent(builder.build())
}

/// `true` when the request provably never left this machine.
fn never_sent(e: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    match e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
        ureq::Error::Timeout(t) => matches!(t, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        ureq::Error::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionRefused | ErrorKind::NotConnected | ErrorKind::AddrNotAvailable
        ),
        _ => false,
    }
}

/// `true` for failures a new attempt may not hit again: the network (I/O, DNS,
/// connect, timeouts) or a response garbled on the way. A bad certificate, a bad URL,
/// oversized headers or a redirect fail the same way every time, so they are not retried.
fn transient(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::Protocol(_)
    )
}

fn transport_error(e: ureq::Error, sent: bool) -> Error {
    use std::io::ErrorKind;
    let message = match &e {
        ureq::Error::Timeout(t) => format!("{t:?} timeout expired"),
        ureq::Error::HostNotFound => "could not resolve the API host name".to_owned(),
        ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            "connection refused by the API host".to_owned()
        }
        ureq::Error::Io(io) => format!("I/O error: {io}"),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "the API answered with a redirect, which this client does not follow".to_owned()
        }
        other => other.to_string(),
    };
    let timed_out = match &e {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => io.kind() == ErrorKind::TimedOut,
        _ => false,
    };
    let inner = TransportError::new(message, sent, Some(e));
    if timed_out {
        Error::Timeout(inner)
    } else {
        Error::Connection(inner)
    }
}

/// Decodes a whole JSON body, naming the field where it went wrong.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Decode(DecodeError::new(
            "the response body is empty, expected JSON",
        )));
    }
    serde_json::from_slice(body).map_err(|e| Error::Decode(DecodeError::from_json(e, body)))
}

/// Decodes a `{"data": …}` answer and returns its `data` member.
pub(crate) fn decode_data<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    #[derive(serde::Deserialize)]
    struct Envelope<T> {
        data: T,
    }
    decode::<Envelope<T>>(body).map(|envelope| envelope.data)
}

/// The query of a request: the parameters the caller set, in order. Unset
/// ones (`None`) never reach the wire.
pub(crate) fn set_params<const N: usize>(
    params: [(&'static str, Option<String>); N],
) -> Vec<(&'static str, String)> {
    params
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?)))
        .collect()
}

/// `{collection}/{id}{suffix}`, with `id` percent-encoded as exactly one path
/// segment; `what` names the id in the error for an empty one.
///
/// Built by hand, not with `format!`: this runs on every single-item call and the
/// formatting machinery cost more than the rest of the URL handling together.
pub(crate) fn item_path(collection: &str, what: &str, id: &str, suffix: &str) -> Result<String> {
    let segment = path_segment(what, id)?;
    let mut path = String::with_capacity(collection.len() + 1 + segment.len() + suffix.len());
    path.push_str(collection);
    path.push('/');
    path.push_str(&segment);
    path.push_str(suffix);
    Ok(path)
}

/// Percent-encodes `id` as exactly one path segment, so no id can reach another route.
pub(crate) fn path_segment(what: &str, id: &str) -> Result<String> {
    if id.trim().is_empty() {
        return Err(Error::InvalidRequest(format!("{what} must not be empty")));
    }
    if id == "." || id == ".." {
        return Err(Error::InvalidRequest(format!(
            "{what} must not be `.` or `..`"
        )));
    }
    let mut out = String::with_capacity(id.len());
    encode_into(id, &mut out);
    Ok(out)
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn encode_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_str(headers, name)?.parse().ok()
}

/// No wait the server asks for is taken as longer than this (about 31 years), so
/// `Instant::now() + e.retry_after()` cannot overflow in the caller's code.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(1_000_000_000);

/// The wait from `retry-after-ms`, else `Retry-After` (delta-seconds or HTTP date).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = header_str(headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            let secs = (ms / 1000.0).min(MAX_SERVER_WAIT.as_secs_f64());
            return Some(Duration::from_secs_f64(secs));
        }
    }
    parse_retry_after(header_str(headers, "retry-after")?, now)
}

/// Parses a `Retry-After` value: whole or fractional seconds, or an HTTP date
/// (IMF-fixdate, RFC 850 or asctime). A date in the past means "now". The result
/// is at most [`MAX_SERVER_WAIT`].
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else if let Ok(secs) = value.parse::<f64>() {
        if !(secs.is_finite() && secs >= 0.0) {
            return None;
        }
        Duration::from_secs_f64(secs.min(MAX_SERVER_WAIT.as_secs_f64()))
    } else {
        parse_http_date(value)?
            .duration_since(now)
            .unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_SERVER_WAIT))
}

fn parse_http_date(value: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = value
        .split([' ', ',', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT  -> [Sun, 06, Nov, 1994, 08:49:37, GMT]
    // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT -> [Sunday, 06, Nov, 94, 08:49:37, GMT]
    // asctime:     Sun Nov  6 08:49:37 1994       -> [Sun, Nov, 6, 08:49:37, 1994]
    let (day, month, year, time) = match parts.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, *year, *time),
        [_, month, day, time, year] => (*day, *month, *year, *time),
        _ => return None,
    };
    let day: u64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u64
        + 1;
    let mut year: u64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    // HTTP dates have four-digit years; a larger one would overflow the day count.
    if year > 9999 {
        return None;
    }
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    // HTTP dates have four-digit years; a longer one overflowed the day count.
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    let secs = days
        .checked_mul(86_400)?
        .checked_add(h * 3600 + m * 60 + s)?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_whole() {
        assert_eq!(path_segment("id", "../x").unwrap(), "..%2Fx");
        assert_eq!(
            path_segment("id", "a/b?c#d%e f").unwrap(),
            "a%2Fb%3Fc%23d%25e%20f"
        );
        assert_eq!(path_segment("id", "é").unwrap(), "%C3%A9");
        assert!(path_segment("id", "").is_err());
        assert!(path_segment("id", "  ").is_err());
        assert!(path_segment("id", "..").is_err());
    }

    fn transport() -> Transport {
        Transport::new(TransportConfig {
            base_url: "http://127.0.0.1:9".into(),
            use_env_proxy: false,
            api_key: Secret::new("KEY_EXAMPLE"),
            headers: Vec::new(),
            user_agent: "test".into(),
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            max_retries: 2,
            max_retry_wait: Duration::from_secs(60),
            max_response_bytes: 1024,
            sleep: Arc::new(|_| {}),
        })
        .unwrap()
    }

    #[test]
    fn which_transport_failures_are_retried() {
        use std::io::{Error as IoError, ErrorKind};
        use ureq::Timeout;
        fn io(kind: ErrorKind) -> ureq::Error {
            ureq::Error::from(IoError::from(kind))
        }
        let t = transport();
        // Nothing left the machine: even a create is retried. (A connect timeout cannot
        // be produced deterministically on loopback, so it is checked here.)
        for e in [
            ureq::Error::Timeout(Timeout::Connect),
            ureq::Error::Timeout(Timeout::Resolve),
            ureq::Error::HostNotFound,
            ureq::Error::ConnectionFailed,
            io(ErrorKind::ConnectionRefused),
        ] {
            let text = format!("{e:?}");
            let failure = t.transport_failure(e, Replay::Create);
            assert!(failure.retryable, "{text}");
            let sent = match &failure.error {
                Error::Connection(e) | Error::Timeout(e) => e.request_may_have_been_sent(),
                other => panic!("{other:?}"),
            };
            assert!(!sent, "{text}");
        }
        assert!(matches!(
            t.transport_failure(ureq::Error::Timeout(Timeout::Connect), Replay::Create)
                .error,
            Error::Timeout(_)
        ));
        // The request may have been acted on: only safe calls are repeated.
        for e in [
            || ureq::Error::Timeout(Timeout::Global),
            || ureq::Error::Timeout(Timeout::RecvResponse),
            || io(ErrorKind::ConnectionReset),
            || io(ErrorKind::UnexpectedEof),
            || io(ErrorKind::BrokenPipe),
        ] {
            assert!(
                t.transport_failure(e(), Replay::Safe).retryable,
                "{:?}",
                e()
            );
            assert!(
                !t.transport_failure(e(), Replay::Create).retryable,
                "{:?}",
                e()
            );
        }
        // The same every time: never repeated.
        for e in [
            ureq::Error::Tls("bad certificate"),
            ureq::Error::BadUri("x".into()),
            ureq::Error::LargeResponseHeader(65_536, 65_536),
            ureq::Error::TooManyRedirects,
        ] {
            let text = format!("{e:?}");
            assert!(!t.transport_failure(e, Replay::Safe).retryable, "{text}");
        }
    }

    #[test]
    fn backoff_steps() {
        let t = transport();
        for (n, full_ms) in [
            (0, 500),
            (1, 1000),
            (2, 2000),
            (3, 4000),
            (4, 8000),
            (5, 8000),
            (40, 8000),
        ] {
            let full = Duration::from_millis(full_ms);
            for _ in 0..200 {
                let wait = t.backoff(n);
                assert!(wait <= full && wait >= full.mul_f64(0.75), "{n}: {wait:?}");
            }
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        let later = "Sun, 06 Nov 1994 08:49:47 GMT";
        assert_eq!(parse_retry_after(later, now), Some(Duration::from_secs(10)));
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:38 1994", now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-1", now), None);
        // Found by the retry_after fuzz target: an uncapped wait made
        // `Instant::now() + e.retry_after().unwrap()` overflow in callers.
        assert_eq!(
            parse_retry_after("99999999999999", now),
            Some(MAX_SERVER_WAIT)
        );
        assert_eq!(
            parse_retry_after("18446744073709551615", now),
            Some(MAX_SERVER_WAIT)
        );
        // Found by the retry_after fuzz target: a 20-digit year overflowed the day
        // count (a panic in debug builds, a wrong date in release builds).
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:37 1994999999999999999", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 99999999999999999 08:49:37 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(MAX_SERVER_WAIT)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("Sun, 32 Nov 1994 08:49:47 GMT", now),
            None
        );
        // Years that would overflow the day count are refused, not a panic.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 18446744073709551615 08:49:37 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 10000 08:49:37 GMT", now),
            None
        );
    }
}
