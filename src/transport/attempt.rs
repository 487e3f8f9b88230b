//! One attempt of a call, and the retry loop around it.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::time::{Duration, Instant};

use log::Level;
use ureq::AsSendBody;
use ureq::http::{self, HeaderValue, Uri, header};

use super::classify::{Failure, status_failure, transport_failure, transport_failure_after_send};
use super::logging::{self, TARGET};
use super::pacing::{rate_limit_info, request_id};
use super::retry::{self, Attempt, GiveUp};
use super::{Call, Transport};
use crate::error::{Error, Result};
use crate::response::ResponseMeta;

/// Largest error body read to build an [`ApiError`]; the rest is not needed.
const MAX_ERROR_BODY: u64 = 64 * 1024;

/// A 2xx answer: its head and its body.
type Answer = (http::response::Parts, Vec<u8>);

impl Transport {
    /// The retry loop: attempts until one succeeds or [`retry::decide`] gives up.
    /// Every log event of a call and its metadata are made here, and only here.
    pub(super) fn send_raw(
        &self,
        call: &Call<'_>,
        want_meta: bool,
    ) -> Result<(Vec<u8>, Option<Box<ResponseMeta>>)> {
        let (start, config) = (Instant::now(), &self.config);
        let uri = self.uri(call.path, call.query)?;
        let want_meta = want_meta || !config.on_response.is_empty();
        let debug = log::log_enabled!(target: TARGET, Level::Debug);
        let info = debug || log::log_enabled!(target: TARGET, Level::Info);
        // Looked up only when something will show it.
        let route = match want_meta || info {
            true => logging::route(call.path),
            false => Cow::Borrowed(""),
        };
        let (method, attempts) = (call.method.as_str(), config.max_retries.saturating_add(1));
        let not_retried = |why: &dyn fmt::Display| {
            log::debug!(target: TARGET, "{method} {route}: not retried: {why}");
        };
        let mut number = 1;
        loop {
            let attempt_start = Instant::now();
            let timeout = self.attempt_timeout(start);
            let result = self.attempt(call, &uri, timeout);
            // Read only when something (a hook, a page, a log) shows it.
            let head = result.as_ref().ok().filter(|_| want_meta || debug);
            let request_id =
                head.and_then(|(head, _)| request_id(&head.headers, self.api_key.expose()));
            if debug {
                let (outcome, id) = match &result {
                    Ok((head, _)) => (head.status.as_str().into(), request_id.as_deref()),
                    Err(failure) => logging::outcome(&failure.error),
                };
                let (elapsed, id) = (attempt_start.elapsed(), id.unwrap_or("-"));
                log::debug!(
                    target: TARGET,
                    "{method} {route} -> {outcome} in {elapsed:?} (attempt {number} of {attempts}, request id {id})"
                );
            }
            let failure = match result {
                Err(failure) => failure,
                Ok((head, body)) => {
                    let meta = want_meta.then(|| {
                        Box::new(ResponseMeta {
                            method: call.method.clone(),
                            route: route.clone(),
                            status: head.status.as_u16(),
                            request_id,
                            rate_limit: rate_limit_info(&head.headers),
                            attempts: number,
                            elapsed: start.elapsed(),
                        })
                    });
                    if let Some(meta) = &meta {
                        config.on_response.iter().for_each(|hook| (hook.0)(meta));
                    }
                    return Ok((body, meta));
                }
            };
            let attempt = Attempt {
                number,
                elapsed: start.elapsed(),
                random: retry::random(),
            };
            let wait = match retry::decide(&attempt, failure.outcome, call.replay, config) {
                Ok(wait) => wait,
                Err(why) => {
                    if why != GiveUp::NotRetryable {
                        not_retried(&why);
                    }
                    let mut error = failure.error;
                    // A wait the server asked for that is longer than max_retry_wait:
                    // the error says why it came back at once.
                    let asked = matches!(why, GiveUp::WaitTooLong { asked: true, .. });
                    if let (true, Error::Api(e) | Error::RateLimited(e)) = (asked, &mut error) {
                        e.set_not_retried(why.to_string());
                    }
                    return Err(error);
                }
            };
            if info {
                let (outcome, next) = (logging::outcome(&failure.error).0, number + 1);
                log::info!(
                    target: TARGET,
                    "{method} {route} -> {outcome}, retrying in {wait:?} (attempt {next} of {attempts} next)"
                );
            }
            (config.sleep.0)(wait);
            // A wait that overslept the deadline: no attempt is started with nothing left.
            if self.attempt_timeout(start) == Some(Duration::ZERO) {
                not_retried(&"the deadline passed during the wait");
                return Err(failure.error);
            }
            number += 1;
        }
    }

    /// The timeout of the next attempt when it differs from the agent's: the
    /// policy's `timeout`, or what is left of the deadline when that is less.
    fn attempt_timeout(&self, start: Instant) -> Option<Duration> {
        let config = &self.config;
        let left = config.deadline.map(|d| d.saturating_sub(start.elapsed()));
        let timeout = config.timeout.min(left.unwrap_or(Duration::MAX));
        (Some(timeout) != self.agent.config().timeouts().global).then_some(timeout)
    }

    /// Sends `call` to `uri` with `body`, under its own timeout when `timeout` is
    /// set (a per-request timeout keeps the pooled connection: ureq pools by
    /// scheme, host and proxy).
    fn run<S: AsSendBody>(
        &self,
        call: &Call<'_>,
        uri: &Uri,
        body: S,
        timeout: Option<Duration>,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let mut request = http::Request::new(body);
        *request.method_mut() = call.method.clone();
        *request.uri_mut() = uri.clone();
        let headers = request.headers_mut();
        headers.insert(header::AUTHORIZATION, self.auth.clone());
        headers.insert(header::ACCEPT, HeaderValue::from_static(call.accept));
        for (name, value) in self.config.headers.iter().chain(&call.headers) {
            headers.append(name, value.clone());
        }
        if call.body.is_some() {
            let json = HeaderValue::from_static("application/json");
            headers.insert(header::CONTENT_TYPE, json);
        }
        let Some(timeout) = timeout else {
            return self.agent.run(request);
        };
        let request = self.agent.configure_request(request);
        self.agent
            .run(request.timeout_global(Some(timeout)).build())
    }

    fn attempt(
        &self,
        call: &Call<'_>,
        uri: &Uri,
        timeout: Option<Duration>,
    ) -> std::result::Result<Answer, Failure> {
        // `Content-Length: 0`: with `()` ureq sends a bodiless POST as an empty chunked body.
        let sent = match (&call.body, call.method == http::Method::GET) {
            (None, true) => self.run(call, uri, (), timeout),
            (body, _) => self.run(call, uri, body.as_deref().unwrap_or_default(), timeout),
        };
        let (head, mut body) = sent.map_err(transport_failure)?.into_parts();
        let status = head.status.as_u16();
        if !(200..300).contains(&status) {
            // Keep the start of an error body: a huge or endless one is cut, not
            // refused, so the status and the first bytes still make the error. A
            // read error just ends the body early.
            let mut kept = Vec::new();
            let limit = MAX_ERROR_BODY.min(self.config.max_response_bytes);
            let _ = body.as_reader().take(limit).read_to_end(&mut kept);
            let key = self.api_key.expose();
            return Err(status_failure(status, &head.headers, &kept, key));
        }
        match body
            .with_config()
            .limit(self.config.max_response_bytes)
            .read_to_vec()
        {
            Ok(body) => Ok((head, body)),
            Err(ureq::Error::BodyExceedsLimit(limit)) => {
                Err(Failure::fatal(Error::decode(format!(
                    "the response body is larger than the {limit}-byte limit \
                     (raise it with TelnyxBuilder::max_response_bytes)"
                ))))
            }
            // The server acted and the answer was lost on the way back.
            Err(e) => Err(transport_failure_after_send(e)),
        }
    }
}
