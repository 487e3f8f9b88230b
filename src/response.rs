//! [`ResponseMeta`]: what a successful call's answer said besides its body.

use std::borrow::Cow;
use std::time::Duration;

/// The status, request id, rate-limit headers, attempts and elapsed time of a
/// call that succeeded.
///
/// Every [`Page`](crate::pagination::Page) carries the one of the response it
/// came from ([`Page::response`](crate::pagination::Page::response)); any other
/// call hands it to the hooks set with
/// [`TelnyxBuilder::on_response`](crate::TelnyxBuilder::on_response) or
/// [`CallOptions::on_response`](crate::CallOptions::on_response). Failures carry
/// the same facts in the [`Error`](crate::Error) itself
/// ([`ApiError::request_id`](crate::ApiError::request_id),
/// [`ApiError::rate_limit`](crate::ApiError::rate_limit)).
///
/// It holds no secret and no query value: the route is a template such as
/// `/managed_accounts/{id}`, and every number read from the server is bounded.
///
/// ```
/// # let server = telnyx_blocking::mock::MockServer::start();
/// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
/// for page in client.managed_accounts().list(Default::default()).pages() {
///     let page = page?;
///     let meta = page.response();
///     println!(
///         "{} {} -> {} (request id {:?}, {:?} requests left)",
///         meta.method(),
///         meta.route(),
///         meta.status(),
///         meta.request_id(),
///         meta.rate_limit().remaining,
///     );
/// }
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
/// `Default` is an empty stand-in (a `GET` of no route, status 0, no attempt),
/// as a page decoded without its response carries, and for your own tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    pub(crate) method: ureq::http::Method,
    pub(crate) route: Cow<'static, str>,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) rate_limit: RateLimitInfo,
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
}

impl ResponseMeta {
    /// The HTTP method: `GET`, `POST`, `PATCH`.
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The route template, ids replaced by `{id}`: `/managed_accounts/{id}`.
    /// A path given to [`Telnyx::get_json`](crate::Telnyx::get_json) that matches
    /// no known route keeps its plain segments and shows others as `{}`.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// The HTTP status of the answer (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `x-request-id` header: what Telnyx support asks for.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `x-ratelimit-limit`, `-remaining` and `-reset` headers, when sent.
    pub fn rate_limit(&self) -> &RateLimitInfo {
        &self.rate_limit
    }

    /// How many attempts the call took: 1 unless it was retried.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time from the start of the call to the end of the answer, retries and
    /// waits between them included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// The `x-ratelimit-*` headers the API sent with a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitInfo {
    /// `x-ratelimit-limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`: time until the window resets.
    pub reset: Option<Duration>,
}
