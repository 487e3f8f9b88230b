//! [`CallOptions`]: per-call overrides for [`Telnyx::with_options`](crate::Telnyx::with_options).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::response::ResponseMeta;
use crate::transport::ResponseHook;

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
#[derive(Clone, Default)]
#[must_use]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) max_retry_wait: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) on_response: Option<ResponseHook>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("max_retry_wait", &self.max_retry_wait)
            // Header values may be credentials of their own: show the names only.
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("on_response", &self.on_response.is_some())
            .finish()
    }
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
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

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
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

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
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

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
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = Some(wait);
        self
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
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
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
    pub fn on_response(mut self, hook: impl Fn(&ResponseMeta) + Send + Sync + 'static) -> Self {
        self.on_response = Some(Arc::new(hook));
        self
    }
}
