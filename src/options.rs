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
    /// let options = telnyx_blocking::CallOptions::new();
    /// ```
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The timeout of each attempt (see [`TelnyxBuilder::timeout`](crate::TelnyxBuilder::timeout)).
    /// Zero is refused by [`Telnyx::with_options`](crate::Telnyx::with_options).
    ///
    /// ```
    /// let options = telnyx_blocking::CallOptions::new().timeout(std::time::Duration::from_secs(120));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds the whole call, retries and waits included (see
    /// [`TelnyxBuilder::deadline`](crate::TelnyxBuilder::deadline)). Zero is refused.
    ///
    /// ```
    /// let options = telnyx_blocking::CallOptions::new().deadline(std::time::Duration::from_secs(10));
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed call is repeated (0: never).
    ///
    /// ```
    /// let options = telnyx_blocking::CallOptions::new().max_retries(0);
    /// ```
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The longest wait before a retry; a longer one returns the error at once.
    ///
    /// ```
    /// let options = telnyx_blocking::CallOptions::new().max_retry_wait(std::time::Duration::from_secs(5));
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
    /// let options = telnyx_blocking::CallOptions::new().header("X-Trace", "run-42");
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
