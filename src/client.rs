//! [`Telnyx`], the client, and [`TelnyxBuilder`], its configuration.

use std::sync::Arc;
use std::time::Duration;

use ureq::http::Uri;

use crate::error::{Error, ErrorKind, Result};
use crate::managed_accounts::ManagedAccounts;
use crate::options::{CallOptions, Callback, Config, ProxyUrl, USER_AGENT, header_value, setters};
use crate::organizations::Organizations;
use crate::response::ResponseMeta;
use crate::secret::Secret;
use crate::tls::{Certificate, TlsRoots};
use crate::transport::{Call, Transport, decode};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.telnyx.com/v2";
/// Environment variable holding the API key (`TELNYX_API_KEY`).
pub(crate) const API_KEY_ENV: &str = "TELNYX_API_KEY";
/// Environment variable overriding the base URL (`TELNYX_BASE_URL`).
pub(crate) const BASE_URL_ENV: &str = "TELNYX_BASE_URL";

/// A blocking Telnyx API client.
///
/// Cloning is cheap: clones share one connection pool. It is `Send + Sync`, so one
/// client can serve every thread. `Debug` never shows the API key.
///
/// ```no_run
/// use telnyx_blocking::Telnyx;
///
/// let client = Telnyx::from_env()?; // reads TELNYX_API_KEY
/// for account in client.managed_accounts().list(Default::default()) {
///     println!("{}", account?.email);
/// }
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Telnyx {
    transport: Arc<Transport>,
}

impl Telnyx {
    /// A client for `api_key` with the default configuration
    /// (`TELNYX_BASE_URL` is still honoured when set; use
    /// [`TelnyxBuilder::read_env`] to ignore it).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] as for [`TelnyxBuilder::build`]: a blank key, or a bad
    /// `TELNYX_BASE_URL`.
    ///
    /// ```
    /// let client = telnyx_blocking::Telnyx::new("KEY_EXAMPLE")?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new(api_key: impl Into<String>) -> Result<Self> {
        Telnyx::builder().api_key(api_key).build()
    }

    /// A client configured from the environment: `TELNYX_API_KEY` (required) and
    /// `TELNYX_BASE_URL` (optional).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] as for [`TelnyxBuilder::build`]; a missing or empty key
    /// is [`ErrorKind::MissingApiKey`], with a message naming the variable to set.
    pub fn from_env() -> Result<Self> {
        Telnyx::builder().build()
    }

    /// Starts a configuration; see [`TelnyxBuilder`].
    ///
    /// ```
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// let client = telnyx_blocking::Telnyx::builder()
    ///     .api_key(server.api_key())
    ///     .base_url(server.url())
    ///     .max_retries(0)
    ///     .build()?;
    /// assert_eq!(client.base_url(), server.url());
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn builder() -> TelnyxBuilder {
        TelnyxBuilder::default()
    }

    /// Managed accounts: list, create, retrieve, update, enable/disable, channels.
    pub fn managed_accounts(&self) -> ManagedAccounts {
        ManagedAccounts::new(self.clone())
    }

    /// Organization resources (`client.organizations().users()`).
    pub fn organizations(&self) -> Organizations {
        Organizations::new(self.clone())
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Escape hatch for a `GET` endpoint this crate does not cover: `path` is relative
    /// to the base URL (`"balance"`, `"managed_accounts"`), `query` pairs are
    /// percent-encoded. It goes through the same authentication, retries and error
    /// mapping as every other call and returns the whole JSON response.
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::new("KEY")?;
    /// let page = client.get_json("managed_accounts", &[("page[size]", "1")])?;
    /// println!("{}", page["meta"]["total_results"]);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] (`ErrorKind::InvalidPath`) for an empty or
    /// absolute path, or one with a query or fragment, before any I/O; otherwise
    /// any error of a call ([`Error::Connection`], [`Error::Timeout`],
    /// [`Error::RateLimited`], [`Error::Api`]), and [`Error::Decode`] when the 2xx
    /// body is not JSON.
    pub fn get_json(&self, path: &str, query: &[(&str, &str)]) -> Result<serde_json::Value> {
        let path = path.trim_start_matches('/');
        if path.is_empty() || path.contains("://") || path.contains('?') || path.contains('#') {
            // The path is not quoted: a caller's mistake must not put a secret in a log.
            let why =
                "the path must be relative to the base URL, without a scheme, query or fragment";
            return Err(Error::invalid_request(ErrorKind::InvalidPath, why));
        }
        let query: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        let call = Call::get(path).query(&query);
        self.transport
            .call_with_meta(&call, decode)
            .map(|(value, _)| value)
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }

    /// A copy of this client whose calls use `options` (timeout, deadline,
    /// retries, retry wait, extra headers, response hook) where set, and this
    /// client's settings elsewhere. It shares the connection pool; this client
    /// is unchanged. Options stack: a copy of a copy keeps both sets, the later
    /// one winning, and calls every response hook in order.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telnyx_blocking::CallOptions;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    ///
    /// let patient = client.with_options(
    ///     CallOptions::new()
    ///         .timeout(Duration::from_secs(120))
    ///         .deadline(Duration::from_secs(300))
    ///         .max_retries(5),
    /// )?;
    /// let report = patient.organizations().users().get_groups_report()?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a zero timeout or deadline, or one over 365 days
    /// ([`ErrorKind::InvalidValue`]), or a header the builder would refuse
    /// ([`ErrorKind::InvalidHeader`], [`ErrorKind::ReservedHeader`]).
    pub fn with_options(&self, options: CallOptions) -> Result<Telnyx> {
        let transport = Arc::new(self.transport.with_options(&options)?);
        Ok(Telnyx { transport })
    }
}

/// Configuration for a [`Telnyx`] client.
///
/// ```
/// use std::time::Duration;
/// use telnyx_blocking::Telnyx;
///
/// let client = Telnyx::builder()
///     .api_key("KEY_EXAMPLE")
///     .timeout(Duration::from_secs(30))
///     .connect_timeout(Duration::from_secs(3))
///     .max_retries(3)
///     .header("X-Team", "billing")
///     .user_agent_suffix("my-tool/1.0")
///     .build()?;
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
///
/// `Debug` shows no secret: not the key, nor a header value, nor the proxy's credentials.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct TelnyxBuilder {
    config: Config,
}

impl TelnyxBuilder {
    fn edit(mut self, edit: impl FnOnce(&mut Config)) -> Self {
        edit(&mut self.config);
        self
    }

    setters! {
        /// The API key. Without it, `build` reads `TELNYX_API_KEY` (unless
        /// [`read_env(false)`](Self::read_env)).
        ///
        /// ```
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key(server.api_key()) // yours: from a secret store, never from source code
        ///     .base_url(server.url())
        ///     .build()?;
        /// client.managed_accounts().get_allocatable_global_outbound_channels()?;
        /// let sent = server.requests().remove(0);
        /// assert_eq!(
        ///     sent.header("authorization"),
        ///     Some(format!("Bearer {}", server.api_key()).as_str())
        /// );
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        api_key(api_key: impl Into<String>) |c| c.api_key = Some(Secret::new(api_key));
        /// The API's base URL, default `https://api.telnyx.com/v2`. Without it, `build`
        /// reads `TELNYX_BASE_URL` (unless [`read_env(false)`](Self::read_env)). Plain `http` is accepted only for loopback hosts
        /// unless [`allow_http`](Self::allow_http) is set.
        ///
        /// ```
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key(server.api_key())
        ///     .base_url(server.url()) // a mock, a staging host, a gateway (the mock's ends in /v2)
        ///     .build()?;
        /// client.managed_accounts().get_allocatable_global_outbound_channels()?;
        /// let sent = server.requests().remove(0);
        /// assert_eq!(sent.path, "/v2/managed_accounts/allocatable_global_outbound_channels");
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        base_url(base_url: impl Into<String>) |c| c.base_url = Some(base_url.into());
        /// Deadline for a whole request, connecting and reading the body included
        /// (default 60 s). Retries each get a fresh one; [`deadline`](Self::deadline)
        /// bounds them all. Zero or more than 365 days is refused by
        /// [`build`](Self::build) (`ErrorKind::InvalidValue`).
        ///
        /// ```
        /// use std::time::Duration;
        /// use telnyx_blocking::mock::MockFault;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = telnyx_blocking::Telnyx::builder()
        /// #   .api_key(server.api_key()).base_url(server.url())
        ///     .timeout(Duration::from_millis(200))
        ///     .max_retries(0)
        ///     .build()?;
        /// server.fail_next(1, MockFault::Delay(Duration::from_secs(30)));
        /// let err = client.managed_accounts().get_allocatable_global_outbound_channels().unwrap_err();
        /// assert!(err.is_timeout());
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        timeout(timeout: Duration) |c| c.timeout = timeout;
        /// Deadline for opening the connection, TLS included (default 5 s). Zero or
        /// more than 365 days is refused by [`build`](Self::build)
        /// (`ErrorKind::InvalidValue`).
        ///
        /// ```
        /// use std::time::Duration;
        /// use telnyx_blocking::{ErrorKind, Error, Telnyx};
        ///
        /// let builder = Telnyx::builder().api_key("KEY_EXAMPLE");
        /// let client = builder.clone().connect_timeout(Duration::from_secs(2)).build()?;
        /// let err = builder.connect_timeout(Duration::ZERO).build().unwrap_err();
        /// assert!(matches!(err, Error::Config(e) if e.kind() == ErrorKind::InvalidValue));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        connect_timeout(timeout: Duration) |c| c.connect_timeout = timeout;
        /// How many times a failed call is repeated (default 2; 0 disables retries).
        /// Only failures that are safe to repeat are retried; an account is never
        /// created twice.
        ///
        /// ```
        /// use telnyx_blocking::mock::MockFault;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = telnyx_blocking::Telnyx::builder()
        /// #   .api_key(server.api_key()).base_url(server.url()).sleep_fn(|_| {})
        ///     .max_retries(3)
        ///     .build()?;
        /// server.fail_next(2, MockFault::Status(503));
        /// client.managed_accounts().get_allocatable_global_outbound_channels()?; // 503, 503, 200
        /// assert_eq!(server.request_count(), 3);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        max_retries(max_retries: u32) |c| c.max_retries = max_retries;
        /// The longest wait before a retry (default 60 s). When the server asks for a
        /// longer one, the error is returned at once instead of sleeping.
        ///
        /// ```
        /// use std::time::Duration;
        /// use telnyx_blocking::mock::MockFault;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = telnyx_blocking::Telnyx::builder()
        /// #   .api_key(server.api_key()).base_url(server.url())
        ///     .max_retry_wait(Duration::from_secs(10))
        ///     .build()?;
        /// // The server asks for two minutes: the error comes back at once, unretried.
        /// server.fail_next(1, MockFault::RateLimited { retry_after_secs: 120 });
        /// let err = client.managed_accounts().get_allocatable_global_outbound_channels().unwrap_err();
        /// assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
        /// assert_eq!(server.request_count(), 1);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        max_retry_wait(wait: Duration) |c| c.max_retry_wait = wait;
        /// The largest response body read (default 32 MiB); a larger one is an error
        /// instead of unbounded memory. `0` is refused by [`build`](Self::build)
        /// (`ErrorKind::InvalidValue`).
        ///
        /// ```
        /// use telnyx_blocking::Error;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = telnyx_blocking::Telnyx::builder()
        /// #   .api_key(server.api_key()).base_url(server.url())
        ///     .max_response_bytes(64) // far too small for a page of accounts
        ///     .build()?;
        /// let mut accounts = client.managed_accounts().list(Default::default());
        /// assert!(matches!(accounts.next(), Some(Err(Error::Decode(_)))));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        max_response_bytes(bytes: u64) |c| c.max_response_bytes = bytes;
        /// Allows a plain `http` base URL on a non-loopback host (default `false`).
        /// Everything, the API key included, then crosses the network unencrypted.
        ///
        /// ```
        /// use telnyx_blocking::{ErrorKind, Error, Telnyx};
        ///
        /// // E.g. a TLS-terminating gateway on a private network (loopback needs no opt-in).
        /// let url = "http://gateway.example.com:8080/v2";
        /// let builder = Telnyx::builder().api_key("KEY_EXAMPLE").base_url(url);
        /// let err = builder.clone().build().unwrap_err();
        /// assert!(matches!(err, Error::Config(e) if e.kind() == ErrorKind::InsecureBaseUrl));
        /// let client = builder.allow_http(true).build()?;
        /// assert_eq!(client.base_url(), url);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        allow_http(allow: bool) |c| c.allow_http = allow;
        /// Replaces how the client waits between retries (default `std::thread::sleep`).
        /// Tests use it to skip real waiting and to see the backoff chosen.
        ///
        /// ```
        /// use std::sync::{Arc, Mutex};
        /// let waits = Arc::new(Mutex::new(Vec::new()));
        /// let seen = waits.clone();
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .sleep_fn(move |d| seen.lock().unwrap().push(d))
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        sleep_fn(sleep: impl Fn(Duration) + Send + Sync + 'static) |c| c.sleep = Callback(Arc::new(sleep));
        /// Whether `build` may read `TELNYX_API_KEY` and `TELNYX_BASE_URL` for what
        /// [`api_key`](Self::api_key) and [`base_url`](Self::base_url) did not set
        /// (default `true`). With `false` the environment is not read at all: the key
        /// must be given, and the base URL is the given one or
        /// [`DEFAULT_BASE_URL`]. For tests and multi-tenant services, where one
        /// process holds many keys. (Proxy variables are a separate matter; see the
        /// README's configuration section.)
        ///
        /// ```
        /// use telnyx_blocking::{ErrorKind, Error, Telnyx};
        ///
        /// // Whatever TELNYX_API_KEY holds, a client without a key is refused.
        /// match Telnyx::builder().read_env(false).build() {
        ///     Err(Error::Config(e)) => assert_eq!(e.kind(), ErrorKind::MissingApiKey),
        ///     other => panic!("{other:?}"),
        /// }
        /// let client = Telnyx::builder().read_env(false).api_key("KEY_EXAMPLE_TENANT_1").build()?;
        /// assert_eq!(client.base_url(), telnyx_blocking::DEFAULT_BASE_URL);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        read_env(read: bool) |c| c.read_env = read;
        /// Which built-in roots TLS trusts (default: [`TlsRoots::WebPki`], Mozilla's
        /// bundled set, with `rustls`; [`TlsRoots::Platform`], the operating system's
        /// store, with `native-tls`). Certificates from
        /// [`add_root_certificate`](Self::add_root_certificate) are trusted as well.
        ///
        /// ```
        /// use telnyx_blocking::{Certificate, Telnyx, TlsRoots};
        /// # let pem = include_str!("../tests/fixtures/test_ca.pem");
        /// // Behind a TLS-inspecting proxy: trust its CA, and nothing else.
        /// let client = Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .add_root_certificate(Certificate::from_pem(pem)?)
        ///     .tls_roots(TlsRoots::AddedOnly)
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        ///
        /// `build` returns [`Error::Config`] for a choice this build cannot make:
        /// `Platform` without the `native-tls` or `platform-verifier` feature,
        /// certificates added to `Platform`, or `AddedOnly` with none added.
        tls_roots(roots: TlsRoots) |c| c.tls_roots = Some(roots);
        /// Sends every request through this proxy, ignoring the proxy environment
        /// variables: `http://host:port` or `https://host:port` (an https base URL
        /// is tunnelled with `CONNECT`, so the proxy never sees the API key), or
        /// `socks5://host:port` with the `socks-proxy` feature. Credentials go in the
        /// URL (`http://user:password@host:port`); they never appear in `Debug`
        /// output or errors. Unlike environment proxies, it is used for a loopback
        /// base URL too. An invalid URL makes `build` return [`Error::Config`].
        ///
        /// ```
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .proxy("http://proxy.example.com:3128")
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        proxy(url: impl Into<String>) |c| c.proxy = Some(ProxyUrl(Secret::new(url)));
        /// How many idle connections are kept for reuse (default 64). Each thread
        /// that uses a shared client needs one to skip a new connection and TLS
        /// handshake on its next call; 0 opens a new connection for every call.
        ///
        /// ```
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .pool_max_idle_per_host(128) // a service with 100 worker threads
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        pool_max_idle_per_host(max: u32) |c| c.pool_max_idle_per_host = max;
        /// How long an idle connection is kept before it is closed (default 15 s).
        /// Keep it below the idle timeout of any proxy or load balancer on the way.
        ///
        /// ```
        /// use std::time::Duration;
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .pool_idle_timeout(Duration::from_secs(50))
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        pool_idle_timeout(timeout: Duration) |c| c.pool_idle_timeout = timeout;
        /// Bounds the total time of a call: every attempt, and the waits between
        /// them (default: none). An attempt gets the smaller of [`timeout`](Self::timeout)
        /// and what is left of the deadline; a retry that could not start before it
        /// is not made, and the last error is returned. Without a deadline a call
        /// can take up to `(max_retries + 1) × timeout` plus the waits. Zero is
        /// refused by `build`. [`CallOptions::deadline`] sets it for some calls only.
        ///
        /// ```
        /// use std::time::Duration;
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .timeout(Duration::from_secs(20))   // each attempt
        ///     .deadline(Duration::from_secs(45))  // the whole call, retries included
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        deadline(deadline: Duration) |c| c.deadline = Some(deadline);
        /// A header sent with every request. Names and values with control characters
        /// (CR, LF, NUL) are rejected by `build`, as are the headers the client sets
        /// itself: `Authorization` (use `api_key`), `User-Agent` (use
        /// `user_agent_suffix`), `Accept`, `Content-Type`, and the framing and
        /// hop-by-hop headers (`Content-Length`, `Transfer-Encoding`, `Host`,
        /// `Connection`, `Keep-Alive`, `Proxy-*`, `TE`, `Trailer`, `Upgrade`).
        ///
        /// ```
        /// use telnyx_blocking::{ErrorKind, Error, Telnyx};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// let client = Telnyx::builder()
        /// #   .api_key(server.api_key()).base_url(server.url())
        ///     .header("X-Team", "billing")
        ///     .build()?;
        /// client.managed_accounts().get_allocatable_global_outbound_channels()?;
        /// assert_eq!(server.requests().remove(0).header("x-team"), Some("billing"));
        /// // Headers the client sets itself are refused.
        /// let reserved = Telnyx::builder().api_key("KEY_EXAMPLE").header("Authorization", "x");
        /// let err = reserved.build().unwrap_err();
        /// assert!(matches!(err, Error::Config(e) if e.kind() == ErrorKind::ReservedHeader));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        header(name: impl Into<String>, value: impl Into<String>) |c| c.header(&name.into(), &value.into(), false);
        /// Trusts `certificate` (a company or private CA) in addition to the
        /// [`tls_roots`](Self::tls_roots); call it once per certificate.
        ///
        /// ```
        /// use telnyx_blocking::{Certificate, Telnyx, TlsRoots};
        /// # let pem = include_str!("../tests/fixtures/test_ca.pem");
        /// let client = Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .add_root_certificate(Certificate::from_pem(pem)?)
        ///     // Plus Mozilla's roots: the rustls default; with native-tls the default
        ///     // is the platform store, which takes no added certificates.
        ///     .tls_roots(TlsRoots::WebPki)
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        add_root_certificate(certificate: Certificate) |c| c.root_certificates.push(certificate);
        /// Connects directly, ignoring `HTTPS_PROXY`, `HTTP_PROXY` and `ALL_PROXY`
        /// (and any earlier [`proxy`](Self::proxy)).
        ///
        /// ```
        /// let client = telnyx_blocking::Telnyx::builder()
        ///     .api_key("KEY_EXAMPLE")
        ///     .no_proxy()
        ///     .build()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        no_proxy() |c| (c.proxy, c.use_env_proxy) = (None, false);
        /// Called with the [`ResponseMeta`] (status, request id, rate-limit headers,
        /// attempts, elapsed time) of every call that gets a 2xx answer, before its
        /// body is decoded; a second call replaces the hook. Failures carry the same
        /// facts in the error. [`CallOptions::on_response`] adds one for some calls.
        ///
        /// ```
        /// use std::sync::Arc;
        /// use std::sync::atomic::{AtomicU64, Ordering};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        ///
        /// let remaining = Arc::new(AtomicU64::new(u64::MAX));
        /// let seen = remaining.clone();
        /// let client = telnyx_blocking::Telnyx::builder()
        /// #   .api_key(server.api_key()).base_url(server.url())
        ///     .on_response(move |meta| {
        ///         if let Some(left) = meta.rate_limit().remaining {
        ///             seen.store(left, Ordering::Relaxed);
        ///         }
        ///     })
        ///     .build()?;
        /// client.managed_accounts().get_allocatable_global_outbound_channels()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        on_response(hook: impl Fn(&ResponseMeta) + Send + Sync + 'static) |c| c.on_response.push(Callback(Arc::new(hook)));
    }

    /// Appended to the `User-Agent` header: `telnyx-blocking/0.2.0 my-tool/1.0`.
    ///
    /// ```
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// let client = telnyx_blocking::Telnyx::builder()
    /// #   .api_key(server.api_key()).base_url(server.url())
    ///     .user_agent_suffix("my-tool/1.0")
    ///     .build()?;
    /// client.managed_accounts().get_allocatable_global_outbound_channels()?;
    /// let sent = server.requests().remove(0);
    /// let agent = sent.header("user-agent").unwrap_or_default();
    /// assert!(agent.starts_with("telnyx-blocking/") && agent.ends_with(" my-tool/1.0"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        let suffix = suffix.into();
        let agent = format!("{USER_AGENT} {}", suffix.trim());
        match header_value("User-Agent", &suffix) {
            Ok(_) => self.config.user_agent = agent.trim_end().into(),
            Err(refused) => drop(self.config.refused.get_or_insert(refused)),
        }
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`], before any I/O, with a [`ErrorKind`] saying what is wrong:
    /// - `MissingApiKey`: no key given and (unless [`read_env(false)`](Self::read_env))
    ///   `TELNYX_API_KEY` unset or blank; `InvalidApiKey`: whitespace or control
    ///   characters in it;
    /// - `InvalidBaseUrl`, `InsecureBaseUrl` (plain `http` to a non-loopback host
    ///   without [`allow_http`](Self::allow_http)); `TlsUnavailable`: an `https`
    ///   URL in a build without the `rustls` or `native-tls` feature;
    /// - `InvalidHeader`, `ReservedHeader`: see [`header`](Self::header);
    /// - `InvalidValue`: a setting that would make every call fail, such as a
    ///   zero [`timeout`](Self::timeout) or [`connect_timeout`](Self::connect_timeout),
    ///   or [`max_response_bytes(0)`](Self::max_response_bytes).
    ///
    /// ```
    /// use std::time::Duration;
    /// use telnyx_blocking::{ErrorKind, Error, Telnyx};
    ///
    /// let err = Telnyx::builder().api_key("KEY_EXAMPLE").timeout(Duration::ZERO).build().unwrap_err();
    /// assert!(matches!(err, Error::Config(e) if e.kind() == ErrorKind::InvalidValue));
    /// ```
    pub fn build(self) -> Result<Telnyx> {
        let mut config = self.config;
        let read_env = config.read_env;
        let env = |name| read_env.then(|| std::env::var(name).ok()).flatten();
        let (api_key, source) = match config.api_key.take() {
            Some(key) => (key, "TelnyxBuilder::api_key"),
            None => (
                Secret::new(env(API_KEY_ENV).unwrap_or_default()),
                "the TELNYX_API_KEY environment variable",
            ),
        };
        if api_key.expose().trim().is_empty() {
            let how = match read_env {
                true => {
                    "set the TELNYX_API_KEY environment variable or call TelnyxBuilder::api_key"
                }
                false => "call TelnyxBuilder::api_key (read_env(false) ignores the environment)",
            };
            let message = format!("no API key: {how}");
            return Err(Error::config(ErrorKind::MissingApiKey, message));
        }
        if !api_key.expose().bytes().all(|b| b.is_ascii_graphic()) {
            let why = format!(
                "the API key from {source} contains whitespace or control characters: \
                 trim it (a copied key often ends in a newline)"
            );
            return Err(Error::config(ErrorKind::InvalidApiKey, why));
        }
        let base_url = config.base_url.take();
        let base_url = base_url.or_else(|| env(BASE_URL_ENV).filter(|v| !v.trim().is_empty()));
        let base_url = base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        // Errors below may quote a header name or the base URL: never the key.
        let transport = check_base_url(&base_url, config.allow_http).and_then(|base| {
            config.use_env_proxy &= !is_loopback(base.1.host().unwrap_or(""));
            config.check()?;
            Transport::new(config, base, api_key.clone())
        });
        let transport = Arc::new(transport.map_err(|e| e.finish(&[api_key.expose()], None))?);
        Ok(Telnyx { transport })
    }
}

/// Validates the base URL and parses it once, without a trailing slash.
fn check_base_url(url: &str, allow_http: bool) -> Result<(String, Uri)> {
    let bad = |why: &str| bad_url(url, ErrorKind::InvalidBaseUrl, why);
    let url = url.trim().trim_end_matches('/');
    if url.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it must not contain a query, a fragment or whitespace"));
    }
    if !url.contains("://") {
        return Err(bad("expected http:// or https://"));
    }
    let uri = Uri::try_from(url).map_err(|_| bad("it has no host"))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(bad("credentials in the URL are not supported; use api_key"));
    }
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    if host.is_empty() {
        return Err(bad("it has no host"));
    }
    let telnyx = host == "telnyx.com" || host.ends_with(".telnyx.com");
    if telnyx && uri.path() != "/v2" && !uri.path().starts_with("/v2/") {
        let why = "Telnyx's API is under `/v2`: add `/v2` to it (https://api.telnyx.com/v2)";
        return Err(bad(why));
    }
    let (kind, why) = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        // Whether this build can speak `https` at all.
        Some("https") if cfg!(any(feature = "rustls", feature = "native-tls")) => {
            return Ok((url.to_owned(), uri));
        }
        Some("http") if allow_http || is_loopback(&host) => return Ok((url.to_owned(), uri)),
        Some("https") => (
            ErrorKind::TlsUnavailable,
            "this build has no TLS: enable the `rustls` or `native-tls` feature of telnyx-blocking",
        ),
        Some("http") => (
            ErrorKind::InsecureBaseUrl,
            "plain http would send the API key unencrypted; use https \
             or TelnyxBuilder::allow_http(true)",
        ),
        _ => return Err(bad("expected http:// or https://")),
    };
    Err(bad_url(url, kind, why))
}

/// The error for a base URL; one with credentials in it is not quoted back.
fn bad_url(url: &str, kind: ErrorKind, why: &str) -> Error {
    match url.contains('@') {
        true => Error::config(kind, format!("invalid base URL: {why}")),
        false => Error::config(kind, format!("invalid base URL `{url}`: {why}")),
    }
}

/// `localhost`, 127.0.0.0/8 and `::1` (with or without brackets).
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip = host.parse::<std::net::IpAddr>();
    host.eq_ignore_ascii_case("localhost") || ip.is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    fn https_without_tls_is_refused_at_build_time() {
        fn kind<T>(r: Result<T>) -> Option<ErrorKind> {
            match r {
                Err(Error::Config(e)) => Some(e.kind()),
                _ => None,
            }
        }
        assert_eq!(
            kind(check_base_url("https://api.telnyx.com/v2", false)),
            Some(ErrorKind::TlsUnavailable)
        );
        let built = Telnyx::builder()
            .read_env(false)
            .api_key("KEY_EXAMPLE")
            .build()
            .map(|_| ());
        assert_eq!(kind(built), Some(ErrorKind::TlsUnavailable));
        // Loopback http needs no TLS and still works.
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
    }

    #[test]
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    fn base_url_rules() {
        assert_eq!(
            check_base_url("https://api.telnyx.com/v2/", false)
                .unwrap()
                .0,
            "https://api.telnyx.com/v2"
        );
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080/v2", false).is_ok());
        assert!(check_base_url("http://localhost:1", false).is_ok());
        assert!(check_base_url("http://api.telnyx.com/v2", false).is_err());
        assert!(check_base_url("http://api.telnyx.com/v2", true).is_ok());
        assert!(check_base_url("ftp://x", true).is_err());
        assert!(check_base_url("https://user:pw@host", false).is_err());
        assert!(check_base_url("https://", false).is_err());
        assert!(check_base_url("https://h/v2?x=1", false).is_err());
    }
}
