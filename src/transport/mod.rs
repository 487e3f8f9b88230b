//! The one HTTP path: no other module talks to `ureq`.
//!
//! - [`agent`]: the `ureq::Agent` and its configuration (TLS, proxy, pool, timeouts);
//! - [`attempt`]: one attempt of a call, and the retry loop around it;
//! - [`retry`]: the retry decision, a pure function of the attempt and its outcome;
//! - [`classify`]: what a failure means (sent or never sent, transient or not);
//! - [`pacing`]: the waits a server asks for (`Retry-After` and friends);
//! - [`url`]: URL, path-segment and query encoding;
//! - [`decode`]: JSON bodies into models;
//! - [`resolver`]: the caching resolver and connector seams;
//! - [`logging`]: the `log` events of a call, and the route templates they name.

mod agent;
mod attempt;
mod classify;
mod decode;
mod logging;
pub(crate) mod pacing;
pub(crate) mod resolver;
mod retry;
mod url;

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use ureq::http::{self, HeaderName, HeaderValue, Uri};

use crate::error::{Error, ErrorKind, Result};
use crate::options::CallOptions;
use crate::response::ResponseMeta;
use crate::secret::Secret;

pub(crate) use self::agent::without_credentials;
pub(crate) use self::decode::{decode, decode_data};
#[cfg(any(fuzzing, test))]
pub(crate) use self::pacing::retry_after;
pub(crate) use self::url::{Query, item_path, set_params};
/// The agent is built from the client's one configuration.
pub(crate) use crate::options::Config as TransportConfig;

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
    /// Headers of this call only (e.g. `Idempotency-Key`), sent on every attempt.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// A secret the request carries (a create's password), scrubbed from its errors.
    secret: Option<&'a Secret>,
}

impl<'a> Call<'a> {
    fn new(method: http::Method, path: &'a str) -> Self {
        Call {
            method,
            path,
            query: &[],
            body: None,
            accept: "application/json",
            replay: Replay::Safe,
            headers: Vec::new(),
            secret: None,
        }
    }

    pub(crate) fn get(path: &'a str) -> Self {
        Call::new(http::Method::GET, path)
    }

    /// A POST without a body (the actions).
    pub(crate) fn post(path: &'a str) -> Self {
        Call::new(http::Method::POST, path)
    }

    pub(crate) fn patch(path: &'a str) -> Self {
        Call::new(http::Method::PATCH, path)
    }

    pub(crate) fn query(mut self, query: &'a [(&'a str, String)]) -> Self {
        self.query = query;
        self
    }

    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let why = |e| format!("could not encode the request body: {e}");
        let kind = ErrorKind::Encoding;
        self.body =
            Some(serde_json::to_vec(body).map_err(|e| Error::invalid_request(kind, why(e)))?);
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

    /// Adds a header to every attempt of this call.
    pub(crate) fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// A secret in the body: no error of this call will show it.
    pub(crate) fn secret(mut self, secret: Option<&'a Secret>) -> Self {
        self.secret = secret;
        self
    }
}

/// A client's transport: the agent (so the connection pool), the checked
/// configuration and the base URL, parsed once. [`Telnyx::with_options`]
/// copies it with another configuration; the copy shares the pool.
///
/// [`Telnyx::with_options`]: crate::Telnyx::with_options
#[derive(Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    config: TransportConfig,
    /// As given, without a trailing slash; for `base_url()` and errors.
    base_url: String,
    /// The base URL parsed: the scheme, authority and path prefix of every request.
    base: Uri,
    api_key: Secret,
    auth: HeaderValue,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The transport of a checked `config`, for the parsed base URL `base`.
    pub(crate) fn new(
        mut config: TransportConfig,
        (base_url, base): (String, Uri),
        api_key: Secret,
    ) -> Result<Self> {
        // `build` let only visible ASCII through, which a header value always takes.
        let mut auth = HeaderValue::try_from(format!("Bearer {}", api_key.expose()))
            .map_err(|_| Error::config(ErrorKind::InvalidApiKey, "unusable API key"))?;
        auth.set_sensitive(true);
        let agent = agent::build(&config)?;
        // Used only to build the agent: copies of the client need not carry them.
        config.root_certificates = Vec::new();
        Ok(Transport {
            agent,
            config,
            base_url,
            base,
            api_key,
            auth,
        })
    }

    /// A transport sharing this one's agent and pool, its configuration edited by `options`.
    pub(crate) fn with_options(&self, options: &CallOptions) -> Result<Transport> {
        let mut copy = self.clone();
        copy.config = options.apply(self.config.clone())?;
        Ok(copy)
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The retry budget: further attempts after a retryable failure.
    pub(crate) fn max_retries(&self) -> u32 {
        self.config.max_retries
    }

    /// Waits through the client's `sleep_fn`, so tests never really wait.
    pub(crate) fn sleep(&self, wait: Duration) {
        (self.config.sleep.0)(wait);
    }

    /// Sends `call`, retrying as the configuration allows, and returns the body of the 2xx answer.
    pub(crate) fn send(&self, call: &Call<'_>) -> Result<Vec<u8>> {
        self.send_raw(call, false)
            .map(|(body, _)| body)
            .map_err(|e| self.finish_error(e, call))
    }

    /// Sends `call`, decodes the 2xx body with `decoder`, and returns it with the
    /// answer's metadata.
    pub(crate) fn call_with_meta<T>(
        &self,
        call: &Call<'_>,
        decoder: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<(T, ResponseMeta)> {
        self.send_raw(call, true)
            .and_then(|(body, meta)| Ok((decoder(&body)?, meta)))
            .map(|(value, meta)| (value, meta.map_or_else(ResponseMeta::default, |m| *m)))
            .map_err(|e| self.finish_error(e, call))
    }

    /// Sends `call` and returns the `data` member of the `{"data": …}` answer.
    pub(crate) fn data<T: serde::de::DeserializeOwned>(&self, call: &Call<'_>) -> Result<T> {
        self.send_raw(call, false)
            .and_then(|(body, _)| decode_data(&body))
            .map_err(|e| self.finish_error(e, call))
    }
}
