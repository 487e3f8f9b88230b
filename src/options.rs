//! [`CallOptions`]: per-call overrides for [`Telnyx::with_options`](crate::Telnyx::with_options),
//! and `Config`, the one struct every setting of a client lives in.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ureq::http::{HeaderName, HeaderValue};

use crate::error::{Error, ErrorKind, Result};
use crate::response::ResponseMeta;
use crate::secret::Secret;
use crate::tls::{Certificate, TlsRoots};

/// Called with the metadata of every call that got a 2xx answer.
pub(crate) type ResponseHook = Callback<Arc<dyn Fn(&ResponseMeta) + Send + Sync>>;

/// A caller's function: `Debug` shows that it is there, not what it is.
#[derive(Clone)]
pub(crate) struct Callback<F>(pub(crate) F);

impl<F> fmt::Debug for Callback<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fn")
    }
}

/// A proxy URL, which may hold credentials: `Debug` shows it with them masked.
#[derive(Clone)]
pub(crate) struct ProxyUrl(pub(crate) Secret);

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::transport::without_credentials(self.0.expose()))
    }
}

/// Every setting of a client. [`TelnyxBuilder`](crate::TelnyxBuilder) fills it,
/// `build` checks it and the transport keeps it; [`CallOptions`] are edits of a
/// copy. A new setting is a field here and a builder method. `Debug` shows no
/// secret: not the key, nor a header value, nor the proxy's credentials.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) api_key: Option<Secret>,
    pub(crate) base_url: Option<String>,
    /// Per attempt: each attempt gets the smaller of this and what is left of `deadline`.
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    /// Bound on a whole call, retries and waits included (`None`: no bound).
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_retries: u32,
    pub(crate) max_retry_wait: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) user_agent: String,
    pub(crate) allow_http: bool,
    pub(crate) read_env: bool,
    pub(crate) sleep: Callback<Arc<dyn Fn(Duration) + Send + Sync>>,
    pub(crate) tls_roots: Option<TlsRoots>,
    pub(crate) root_certificates: Vec<Certificate>,
    /// An explicit proxy URL, which may hold credentials; wins over the environment.
    pub(crate) proxy: Option<ProxyUrl>,
    /// `false` after `no_proxy()` or for a loopback base URL.
    pub(crate) use_env_proxy: bool,
    pub(crate) pool_max_idle_per_host: u32,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) on_response: Vec<ResponseHook>,
    /// The first refused setting (a header), reported when the config is checked.
    pub(crate) refused: Option<(ErrorKind, String)>,
}

/// The `User-Agent` of every request, before the caller's suffix.
pub(crate) const USER_AGENT: &str = concat!("telnyx-blocking/", env!("CARGO_PKG_VERSION"));

/// The longest time limit accepted: far beyond any useful one, and short enough
/// that adding it to `Instant::now()` cannot overflow (a panic inside ureq).
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 3600);

impl Default for Config {
    fn default() -> Self {
        Config {
            api_key: None,
            base_url: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(5),
            deadline: None,
            max_retries: 2,
            max_retry_wait: Duration::from_secs(60),
            // Large enough for the groups report of a big organization, small
            // enough that a broken server cannot exhaust memory.
            max_response_bytes: 32 * 1024 * 1024,
            headers: Vec::new(),
            user_agent: USER_AGENT.to_owned(),
            allow_http: false,
            read_env: true,
            sleep: Callback(Arc::new(std::thread::sleep)),
            tls_roots: None,
            root_certificates: Vec::new(),
            proxy: None,
            use_env_proxy: true,
            // One idle connection per thread for services with dozens of threads
            // sharing a client (ureq keeps 3, so 16 threads reconnect on most calls).
            pool_max_idle_per_host: 64,
            pool_idle_timeout: Duration::from_secs(15),
            on_response: Vec::new(),
            refused: None,
        }
    }
}

/// A setting refused by a setter, reported when the configuration is checked.
type Refused<T> = std::result::Result<T, (ErrorKind, String)>;

impl Config {
    /// Adds a header to every request, or remembers why it is refused.
    pub(crate) fn header(&mut self, name: &str, value: &str, replace: bool) {
        match check_header(name, value) {
            Ok((name, value)) => {
                self.headers.retain(|(n, _)| !replace || *n != name);
                self.headers.push((name, value));
            }
            Err(refused) => drop(self.refused.get_or_insert(refused)),
        }
    }

    /// Refuses settings under which every call would fail, and refused headers.
    /// A time limit must be longer than zero (else every call would time out) and
    /// at most [`MAX_TIMEOUT`].
    pub(crate) fn check(&self) -> Result<()> {
        if let Some((kind, message)) = &self.refused {
            return Err(Error::config(*kind, message.clone()));
        }
        // No deadline is checked as the timeout, which comes first.
        let limits = [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            ("deadline", self.deadline.unwrap_or(self.timeout)),
        ];
        let mut limits = limits.into_iter();
        let why = match limits.find(|(_, l)| l.is_zero() || *l > MAX_TIMEOUT) {
            Some((what, l)) if l.is_zero() => {
                format!("{what} must be longer than zero: every call would time out")
            }
            Some((what, _)) => format!(
                "{what} must be at most {} days",
                MAX_TIMEOUT.as_secs() / 86_400
            ),
            None if self.max_response_bytes == 0 => {
                "max_response_bytes must be more than zero: no response could be read".into()
            }
            None => return Ok(()),
        };
        Err(Error::config(ErrorKind::InvalidValue, why))
    }
}

/// Checks a header the caller wants sent with every request (the builder's
/// `header`, and per-call extra headers): a valid name and value, and not one of
/// the headers the client sets itself or that frame the message.
fn check_header(name: &str, value: &str) -> Refused<(HeaderName, HeaderValue)> {
    let header_name = HeaderName::try_from(name).map_err(|_| {
        let why = format!("invalid header name `{}`", name.escape_debug());
        (ErrorKind::InvalidHeader, why)
    })?;
    // Framing and hop-by-hop headers: a `Content-Length: 0` sent beside the real
    // one, say, would cut a create's body off or make the server misread the stream.
    const FRAMING: &str = "content-length transfer-encoding host connection keep-alive \
                           proxy-connection proxy-authorization te trailer upgrade";
    let why = match header_name.as_str() {
        "authorization" => "set the API key through TelnyxBuilder::api_key",
        "user-agent" => "add to it with TelnyxBuilder::user_agent_suffix",
        "accept" | "content-type" => "each call sends the one its endpoint needs",
        n if FRAMING.split_whitespace().any(|f| f == n) => {
            "it frames the HTTP message or the connection"
        }
        // One key on every request would make every create after the first replay
        // the first one's answer, where the API honours keys.
        "idempotency-key" => "give each create its own with CreateManagedAccount::idempotency_key",
        _ => return Ok((header_name, header_value(name, value)?)),
    };
    let message = format!("the client sets the `{header_name}` header itself: {why}");
    Err((ErrorKind::ReservedHeader, message))
}

/// A header value: valid HTTP and free of control characters.
pub(crate) fn header_value(name: &str, value: &str) -> Refused<HeaderValue> {
    let kind = ErrorKind::InvalidHeader;
    let invalid = |why| (kind, format!("the value of header `{name}` {why}"));
    // HeaderValue accepts obs-text bytes; also refuse every control character.
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(invalid("contains control characters"));
    }
    // Sensitive: `Debug` shows no value, which may be a credential of its own.
    let mut value = HeaderValue::try_from(value).map_err(|_| invalid("is not valid"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Methods that each make one edit of the configuration, for
/// [`TelnyxBuilder`](crate::TelnyxBuilder) and [`CallOptions`] alike.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) |$c:ident| $edit:expr;)*) => {$(
        $(#[$doc])*
        pub fn $name(self, $($arg: $ty),*) -> Self {
            self.edit(move |$c: &mut Config| $edit)
        }
    )*};
}
pub(crate) use setters;

/// One change a [`CallOptions`] makes to the client's configuration.
type Edit = Arc<dyn Fn(&mut Config) + Send + Sync>;

/// Overrides for the calls made through a copy of a client, as the official SDKs'
/// `with_options`: timeout, deadline, retries, longest retry wait, extra headers
/// and a response hook. What is not set keeps the client's value.
///
/// [`Telnyx::with_options`](crate::Telnyx::with_options) checks them and returns the copy; it shares the
/// client's connection pool, so it is cheap to make one per call.
///
/// ```
/// use std::time::Duration;
/// use telnyx_blocking::CallOptions;
/// # let server = telnyx_blocking::mock::MockServer::start();
/// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
///
/// // The groups report of a big organization is slow: give it more time, once.
/// let report = client
///     .with_options(
///         CallOptions::new()
///             .timeout(Duration::from_secs(300))
///             .max_retries(0)
///             .header("X-Report-Reason", "audit"),
///     )?
///     .organizations()
///     .users()
///     .get_groups_report()?;
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
/// `Debug` shows how many edits there are, not what they set: a header value may be a credential.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CallOptions {
    /// Applied in order to a copy of the client's [`Config`].
    edits: Vec<Callback<Edit>>,
}

impl CallOptions {
    /// No overrides: every setting is the client's.
    ///
    /// ```
    /// use telnyx_blocking::CallOptions;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let same = client.with_options(CallOptions::new())?; // a copy, configured as the client
    /// assert_eq!(same.base_url(), client.base_url());
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        CallOptions::default()
    }

    fn edit(mut self, edit: impl Fn(&mut Config) + Send + Sync + 'static) -> Self {
        self.edits.push(Callback(Arc::new(edit)));
        self
    }

    /// The client's configuration `config` with these options applied.
    pub(crate) fn apply(&self, mut config: Config) -> Result<Config> {
        config.refused = None;
        self.edits.iter().for_each(|edit| (edit.0)(&mut config));
        config.check().map(|()| config)
    }

    setters! {
        /// The timeout of each attempt (see [`TelnyxBuilder::timeout`](crate::TelnyxBuilder::timeout)).
        /// Zero is refused by [`Telnyx::with_options`](crate::Telnyx::with_options).
        ///
        /// ```
        /// use std::time::Duration;
        /// use telnyx_blocking::{CallOptions, mock::MockFault};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let impatient = client
        ///     .with_options(CallOptions::new().timeout(Duration::from_millis(200)).max_retries(0))?;
        /// server.fail_next(1, MockFault::Delay(Duration::from_secs(30)));
        /// assert!(
        ///     impatient
        ///         .managed_accounts()
        ///         .get_allocatable_global_outbound_channels()
        ///         .unwrap_err()
        ///         .is_timeout()
        /// );
        /// // The client itself keeps its own timeout.
        /// client.managed_accounts().get_allocatable_global_outbound_channels()?;
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        timeout(timeout: Duration) |c| c.timeout = timeout;
        /// Bounds the whole call, retries and waits included (see
        /// [`TelnyxBuilder::deadline`](crate::TelnyxBuilder::deadline)). Zero is refused.
        ///
        /// ```
        /// use std::time::Duration;
        /// use telnyx_blocking::{CallOptions, mock::MockFault};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let bounded =
        ///     client.with_options(CallOptions::new().deadline(Duration::from_millis(300)))?;
        /// server.fail_next(1, MockFault::Delay(Duration::from_secs(30)));
        /// assert!(
        ///     bounded
        ///         .managed_accounts()
        ///         .get_allocatable_global_outbound_channels()
        ///         .unwrap_err()
        ///         .is_timeout()
        /// );
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        deadline(deadline: Duration) |c| c.deadline = Some(deadline);
        /// How many times a failed call is repeated (0: never).
        ///
        /// ```
        /// use telnyx_blocking::{CallOptions, mock::MockFault};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let once = client.with_options(CallOptions::new().max_retries(0))?;
        /// server.fail_next(1, MockFault::Status(503));
        /// assert_eq!(
        ///     once.managed_accounts()
        ///         .get_allocatable_global_outbound_channels()
        ///         .unwrap_err()
        ///         .status(),
        ///     Some(503)
        /// );
        /// assert_eq!(server.request_count(), 1); // not retried
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        max_retries(max_retries: u32) |c| c.max_retries = max_retries;
        /// The longest wait before a retry; a longer one returns the error at once.
        ///
        /// ```
        /// use std::time::Duration;
        /// use telnyx_blocking::{CallOptions, mock::MockFault};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let hurried =
        ///     client.with_options(CallOptions::new().max_retry_wait(Duration::from_secs(5)))?;
        /// server.fail_next(1, MockFault::RateLimited { retry_after_secs: 30 });
        /// assert!(
        ///     hurried
        ///         .managed_accounts()
        ///         .get_allocatable_global_outbound_channels()
        ///         .unwrap_err()
        ///         .is_rate_limited()
        /// );
        /// assert_eq!(server.request_count(), 1); // 30 s is more than 5 s: no wait, no retry
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        max_retry_wait(wait: Duration) |c| c.max_retry_wait = wait;
    }

    /// A header sent with these calls. It replaces a client header of the same
    /// name; the same rules as [`TelnyxBuilder::header`](crate::TelnyxBuilder::header)
    /// apply (no control characters, no `Authorization`).
    ///
    /// ```
    /// use telnyx_blocking::CallOptions;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let traced = client.with_options(CallOptions::new().header("X-Trace", "run-42"))?;
    /// traced.managed_accounts().get_allocatable_global_outbound_channels()?;
    /// assert_eq!(server.requests().remove(0).header("x-trace"), Some("run-42"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        self.edit(move |c| c.header(&name, &value, true))
    }

    /// Called with the [`ResponseMeta`] of every call through the copy that gets
    /// a 2xx answer, after the client's own hook. The way to read one call's
    /// request id or rate limit:
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use telnyx_blocking::CallOptions;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    ///
    /// let seen = Arc::new(Mutex::new(None));
    /// let sink = seen.clone();
    /// let channels = client
    ///     .with_options(CallOptions::new().on_response(move |meta| {
    ///         *sink.lock().unwrap() = Some(meta.clone());
    ///     }))?
    ///     .managed_accounts()
    ///     .get_allocatable_global_outbound_channels()?;
    /// let meta = seen.lock().unwrap().clone().expect("one answer");
    /// println!("request id {:?}", meta.request_id());
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn on_response(self, hook: impl Fn(&ResponseMeta) + Send + Sync + 'static) -> Self {
        let hook: ResponseHook = Callback(Arc::new(hook));
        self.edit(move |c| c.on_response.push(hook.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_that_fail_every_call_are_refused() {
        let ok = Duration::from_secs(1);
        let config = |timeout, connect_timeout, max_response_bytes| Config {
            timeout,
            connect_timeout,
            max_response_bytes,
            ..Config::default()
        };
        assert!(config(ok, ok, 1).check().is_ok());
        assert!(config(MAX_TIMEOUT, MAX_TIMEOUT, u64::MAX).check().is_ok());
        for (timeout, connect, bytes) in [
            (Duration::ZERO, ok, 1),
            (ok, Duration::ZERO, 1),
            (ok, ok, 0),
            (Duration::MAX, ok, 1),
            (ok, MAX_TIMEOUT + Duration::from_nanos(1), 1),
        ] {
            match config(timeout, connect, bytes).check() {
                Err(Error::Config(e)) => assert_eq!(e.kind(), ErrorKind::InvalidValue),
                other => panic!("{timeout:?} {connect:?} {bytes}: {other:?}"),
            }
        }
    }

    #[test]
    fn header_rules() {
        assert!(check_header("X-Ok", "fine value").is_ok());
        assert!(check_header("X-Bad", "a\r\nInjected: 1").is_err());
        assert!(check_header("Bad Name", "v").is_err());
        assert!(check_header("X-Nul", "a\0b").is_err());
        assert!(check_header("authorization", "Bearer x").is_err());
        // tests/transport_rules.rs checks the whole list through the builder.
        for name in ["Content-Length", "TE", "content-type"] {
            let (kind, _) = check_header(name, "0").unwrap_err();
            assert_eq!(kind, ErrorKind::ReservedHeader, "{name}");
        }
        let (_, ua) = check_header("user-agent", "x").unwrap_err();
        assert!(ua.contains("user_agent_suffix"), "{ua}");
        assert!(check_header("X-Request-Source", "tool").is_ok());
    }
}
