//! One attempt of a call, and the retry loop around it.

use std::io::Read;
use std::sync::atomic::Ordering;
use std::time::Duration;

use ureq::http::{self, HeaderValue};

use super::classify::{Failure, status_failure, transport_failure, transport_failure_after_send};
use super::{Call, Transport};
use crate::error::{DecodeError, Error, InvalidRequestKind, Result};

/// Largest error body read to build an [`ApiError`]; the rest is not needed.
const MAX_ERROR_BODY: u64 = 64 * 1024;
/// First backoff step; it doubles on each retry.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Backoff never grows past this (the server's own hints may ask for more).
const BACKOFF_MAX: Duration = Duration::from_secs(8);

impl Transport {
    pub(super) fn send_raw(&self, call: &Call<'_>) -> Result<Vec<u8>> {
        let url = super::url::url(&self.base_url, call.path, call.query);
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

    fn attempt(&self, call: &Call<'_>, url: &str) -> std::result::Result<Vec<u8>, Failure> {
        let mut builder = http::Request::builder()
            .method(call.method.clone())
            .uri(url)
            .header(http::header::AUTHORIZATION, self.auth.clone())
            .header(http::header::ACCEPT, HeaderValue::from_static(call.accept));
        for (name, value) in self.headers.iter().chain(&call.headers) {
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
            Ok(Err(e)) => return Err(transport_failure(e, call.replay)),
            Err(e) => {
                return Err(Failure::fatal(Error::invalid_request(
                    InvalidRequestKind::Encoding,
                    format!("could not build the request: {e}"),
                )));
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
                Err(e) => Err(transport_failure_after_send(e, call.replay)),
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
        Err(status_failure(
            status,
            &headers,
            &body,
            call.replay,
            self.api_key.expose(),
        ))
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
}

#[cfg(test)]
mod tests {
    use super::super::test_transport;
    use super::*;

    #[test]
    fn backoff_steps() {
        let t = test_transport();
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
}
