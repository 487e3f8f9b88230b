//! The one HTTP path: no other module talks to `ureq`.
//!
//! - [`agent`]: the `ureq::Agent` and its configuration (TLS, proxy, pool, timeouts);
//! - [`attempt`]: one attempt of a call, and the retry loop around it;
//! - [`classify`]: what a failure means (sent or never sent, retryable or not);
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
mod url;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use ureq::http::{self, HeaderName, HeaderValue};

use crate::error::{ConfigErrorKind, Error, InvalidRequestKind, Result};
use crate::response::ResponseMeta;
use crate::secret::Secret;
use crate::tls::{Certificate, TlsRoots};

pub(crate) use self::agent::without_credentials;
pub(crate) use self::decode::{decode, decode_data};
#[cfg(any(fuzzing, test))]
pub(crate) use self::pacing::retry_after;
pub(crate) use self::url::{item_path, set_params};

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
    pub(crate) fn get(path: &'a str) -> Self {
        Call {
            method: http::Method::GET,
            path,
            query: &[],
            body: None,
            accept: "application/json",
            replay: Replay::Safe,
            headers: Vec::new(),
            secret: None,
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
            Error::invalid_request(
                InvalidRequestKind::Encoding,
                format!("could not encode the request body: {e}"),
            )
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
    // Networks (agent.rs): trust roots, proxy, idle pool.
    pub(crate) tls_roots: Option<TlsRoots>,
    pub(crate) root_certificates: Vec<Certificate>,
    /// An explicit proxy URL, which may hold credentials; wins over the environment.
    pub(crate) proxy: Option<Secret>,
    pub(crate) pool_max_idle_per_host: u32,
    pub(crate) pool_idle_timeout: Duration,
    /// Bound on a whole call, retries and waits included (`None`: no bound).
    pub(crate) deadline: Option<Duration>,
    pub(crate) on_response: Vec<ResponseHook>,
}

/// Called with the metadata of every call that got a 2xx answer.
pub(crate) type ResponseHook = Arc<dyn Fn(&ResponseMeta) + Send + Sync>;

/// What calls made through one [`Transport`] may do; per-call options
/// (`Telnyx::with_options`) change it in a copy that shares everything else.
#[derive(Clone)]
pub(crate) struct Policy {
    /// Per attempt: each attempt gets the smaller of this and what is left of `deadline`.
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_retry_wait: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) hooks: Vec<ResponseHook>,
}

/// What every copy of a client shares: one agent, so one connection pool.
struct Shared {
    agent: ureq::Agent,
    /// The timeout the agent was built with: an attempt with another one carries
    /// its own per-request configuration.
    agent_timeout: Duration,
    base_url: String,
    api_key: Secret,
    auth: HeaderValue,
    max_response_bytes: u64,
    sleep: Arc<dyn Fn(Duration) + Send + Sync>,
    jitter_state: AtomicU64,
}

pub(crate) struct Transport {
    shared: Arc<Shared>,
    policy: Policy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.shared.base_url)
            .field("api_key", &self.shared.api_key)
            .field("timeout", &self.policy.timeout)
            .field("deadline", &self.policy.deadline)
            .field("max_retries", &self.policy.max_retries)
            .field("max_retry_wait", &self.policy.max_retry_wait)
            .field("max_response_bytes", &self.shared.max_response_bytes)
            .field("response_hooks", &self.policy.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(config: TransportConfig) -> Result<Self> {
        let mut auth = HeaderValue::try_from(format!("Bearer {}", config.api_key.expose()))
            .map_err(|_| {
                Error::config(
                    ConfigErrorKind::InvalidApiKey,
                    "the API key contains characters that cannot go in an HTTP header",
                )
            })?;
        auth.set_sensitive(true);
        let agent = agent::build(&config)?;
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Ok(Transport {
            shared: Arc::new(Shared {
                agent,
                agent_timeout: config.timeout,
                base_url: config.base_url,
                api_key: config.api_key,
                auth,
                max_response_bytes: config.max_response_bytes,
                sleep: config.sleep,
                jitter_state: AtomicU64::new(seed | 1),
            }),
            policy: Policy {
                timeout: config.timeout,
                max_retries: config.max_retries,
                max_retry_wait: config.max_retry_wait,
                deadline: config.deadline,
                headers: config.headers,
                hooks: config.on_response,
            },
        })
    }

    /// The policy of calls made through this transport, to derive another from.
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// A transport sharing this one's agent and pool, with another policy.
    pub(crate) fn with_policy(&self, policy: Policy) -> Transport {
        Transport {
            shared: self.shared.clone(),
            policy,
        }
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The retry budget: further attempts after a retryable failure.
    pub(crate) fn max_retries(&self) -> u32 {
        self.policy.max_retries
    }

    /// Waits through the client's `sleep_fn`, so tests never really wait.
    pub(crate) fn sleep(&self, wait: Duration) {
        (self.shared.sleep)(wait);
    }

    /// Sends `call`, retrying as the policy allows, and returns the body of the 2xx answer.
    pub(crate) fn send(&self, call: &Call<'_>) -> Result<Vec<u8>> {
        self.send_with_meta(call, false).map(|(body, _)| body)
    }

    /// [`send`](Self::send), plus the answer's metadata when `want_meta` is set
    /// (it is also built, and not returned, when a response hook needs it).
    pub(crate) fn send_with_meta(
        &self,
        call: &Call<'_>,
        want_meta: bool,
    ) -> Result<(Vec<u8>, Option<Box<ResponseMeta>>)> {
        self.send_raw(call, want_meta)
            .map_err(|e| self.finish_error(e, call))
    }

    /// Sends `call`, decodes the 2xx body with `decoder`, and returns it with the
    /// answer's metadata.
    pub(crate) fn call_with_meta<T>(
        &self,
        call: &Call<'_>,
        decoder: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<(T, ResponseMeta)> {
        let (body, meta) = self.send_with_meta(call, true)?;
        let value = decoder(&body).map_err(|e| self.finish_error(e, call))?;
        Ok((
            value,
            meta.map_or_else(ResponseMeta::placeholder, |meta| *meta),
        ))
    }

    /// Sends `call` and turns the 2xx body into `T` with `decoder`.
    pub(crate) fn call_with<T>(
        &self,
        call: &Call<'_>,
        decoder: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let body = self.send(call)?;
        decoder(&body).map_err(|e| self.finish_error(e, call))
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
        error.redact(self.shared.api_key.expose())
    }
}

#[cfg(test)]
pub(crate) fn test_transport() -> Transport {
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
        tls_roots: None,
        root_certificates: Vec::new(),
        proxy: None,
        pool_max_idle_per_host: 64,
        pool_idle_timeout: Duration::from_secs(15),
        deadline: None,
        on_response: Vec::new(),
    })
    .unwrap()
}
