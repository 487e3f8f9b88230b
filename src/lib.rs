//! A blocking, minimal-dependency client for Telnyx's Account Management API:
//! managed accounts and organization users.
//!
//! No async runtime: one [`ureq`](https://docs.rs/ureq) agent, `serde`,
//! `serde_json` and `log` (already a dependency of ureq). Every call is a plain method taking a request
//! struct and returning a typed model or an [`Error`].
//!
//! # Install
//!
//! The crate is not on crates.io yet: depend on a checkout by path (or by
//! `git = "…"` with the URL you cloned it from).
//!
//! ```toml
//! [dependencies]
//! telnyx-blocking = { path = "../telnyx-blocking" }
//! ```
//!
//! TLS is rustls with its bundled Mozilla roots by default; with
//! `default-features = false, features = ["native-tls"]` it is the platform's
//! TLS library, trusting the platform's trust store.
//!
//! # The client
//!
//! [`Telnyx::from_env`] reads `TELNYX_API_KEY` (required) and `TELNYX_BASE_URL`
//! (optional). [`Telnyx::builder`] sets everything else, and falls back on the
//! same two variables for what it does not set, unless
//! [`TelnyxBuilder::read_env`]`(false)` says not to read the environment at all
//! (tests, services holding many tenants' keys). [`TelnyxBuilder::build`]
//! checks everything before any I/O: a missing key, a bad or plain-`http` base
//! URL, an `https` URL in a build without TLS, a zero timeout are
//! [`Error::Config`] with a [`ConfigErrorKind`]. The client is cheap to clone
//! and `Send + Sync`; clones share one connection pool.
//!
//! ```no_run
//! use std::time::Duration;
//! use telnyx_blocking::Telnyx;
//!
//! let client = Telnyx::from_env()?;
//! let tuned = Telnyx::builder()
//!     .api_key("KEY_EXAMPLE")                  // else TELNYX_API_KEY
//!     .timeout(Duration::from_secs(30))        // whole request (default 60 s)
//!     .connect_timeout(Duration::from_secs(3)) // default 5 s
//!     .max_retries(3)                          // default 2
//!     .user_agent_suffix("my-tool/1.0")
//!     .build()?;
//! let tenant = Telnyx::builder()
//!     .read_env(false)                         // TELNYX_* variables are not read
//!     .api_key("KEY_EXAMPLE_TENANT")
//!     .build()?;
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! The examples below run against [`mock::MockServer`], the offline imitation
//! of the API behind the `mock` feature; with a real key, only the client
//! construction changes.
//!
//! # Managed accounts
//!
//! ```
//! use telnyx_blocking::Telnyx;
//! use telnyx_blocking::managed_accounts::*;
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! let accounts = client.managed_accounts();
//! let created = accounts.create(CreateManagedAccount::new("Larry's Cat Food Inc").email("larry@example.com"))?;
//! let fetched = accounts.retrieve(&created.id)?;
//! assert_eq!(fetched.email, "larry@example.com");
//!
//! accounts.update(&created.id, UpdateManagedAccount::new().managed_account_allow_custom_pricing(true))?;
//! accounts.actions().disable(&created.id)?;
//! accounts.actions().enable(&created.id, EnableManagedAccount::new())?;
//! let limit = accounts.update_global_channel_limit(&created.id, UpdateGlobalChannelLimit::new().channel_limit(30))?;
//! assert_eq!(limit.channel_limit, Some(30));
//! let channels = accounts.get_allocatable_global_outbound_channels()?;
//! println!("{:?} channels left to allocate", channels.allocatable_global_outbound_channels);
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! A managed account carries no status of its own (the API does not report
//! one): list with [`ListManagedAccounts::status`](managed_accounts::ListManagedAccounts::status)
//! to learn which accounts are enabled or disabled.
//!
//! # Organization users
//!
//! ```
//! use telnyx_blocking::organizations::users::*;
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! let users = client.organizations().users();
//! let enabled: Vec<OrganizationUser> = users
//!     .list(ListOrganizationUsers::new().user_status(UserStatus::Enabled).include_groups(true))
//!     .collect::<Result<_, _>>()?;
//! let report: Vec<GroupsReportEntry> = users.get_groups_report()?;  // JSON
//! let csv: String = users.get_groups_report_csv()?;                   // CSV text, verbatim
//! assert!(csv.starts_with("id,email,user_status"));
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! # Models in your own tests
//!
//! The response models are `#[non_exhaustive]`, so they have constructors
//! instead of struct literals: build the value your code expects without
//! writing JSON, and compare with `==` (every model is `Eq`).
//!
//! ```
//! use telnyx_blocking::managed_accounts::{Balance, ManagedAccount};
//! use telnyx_blocking::organizations::users::{OrganizationUser, UserStatus};
//!
//! fn csv_row(account: &ManagedAccount) -> String {
//!     let balance = account.balance.as_ref().and_then(|b| b.balance.as_deref());
//!     format!("{},{},{}", account.id, account.email, balance.unwrap_or(""))
//! }
//!
//! let mut account = ManagedAccount::new("f65ceda4-6522-4ad6-aede-98de83385123", "larry@example.com");
//! let mut balance = Balance::new();
//! balance.balance = Some("300.00".to_owned());
//! account.balance = Some(balance);
//! assert_eq!(csv_row(&account), "f65ceda4-6522-4ad6-aede-98de83385123,larry@example.com,300.00");
//!
//! let user = OrganizationUser::new("6a09cdc3-8948-47f0-aa62-74ac943d6c58", "dev@example.com", UserStatus::Enabled);
//! assert_eq!(user.user_status, Some(UserStatus::Enabled));
//! ```
//!
//! # Pagination
//!
//! `list` returns a [`pagination::Paginator`] at once, without I/O. It fetches
//! a page only when the previous one is used up, keeps every filter on every
//! page, holds one page in memory, and stops on the last page, on an empty page,
//! or after an error. [`pagination::Paginator::pages`] iterates whole pages
//! with their [`pagination::PageMeta`]. Page numbers are `u32` in requests
//! (`page_number`) and `i64` in `PageMeta`, which holds what the server sent.
//!
//! ```
//! use telnyx_blocking::managed_accounts::ListManagedAccounts;
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! for page in client.managed_accounts().list(ListManagedAccounts::new().page_size(1)).pages() {
//!     let page = page?;
//!     println!("page {:?}/{:?}: {} items", page.meta.page_number, page.meta.total_pages, page.data.len());
//! }
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! # Errors
//!
//! [`Error`] separates what you act on differently: [`Error::Connection`] and
//! [`Error::Timeout`] (no answer), [`Error::RateLimited`] (429, with
//! [`ApiError::retry_after`]), [`Error::Api`] (any other status, 3xx included,
//! with the Telnyx error details and an [`ApiErrorKind`]), [`Error::Decode`] (a
//! 2xx body that is not what the spec says, naming the field),
//! [`Error::Pagination`] (a list stopped by a guard, with a
//! [`PaginationErrorKind`]), and [`Error::Config`] / [`Error::InvalidRequest`]
//! (caught before anything is sent, with a [`ConfigErrorKind`] /
//! [`InvalidRequestKind`]). Branch on the variant and the kind, never on the
//! message text. [`Error::outcome`] says whether a failed call may have acted
//! on the server.
//!
//! ```
//! use telnyx_blocking::{ApiErrorKind, Error};
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! match client.managed_accounts().retrieve("00000000-0000-4000-8000-000000000000") {
//!     Err(Error::Api(e)) if e.kind() == ApiErrorKind::NotFound => println!("no such account"),
//!     Err(Error::RateLimited(e)) => println!("retry in {:?}", e.retry_after()),
//!     Err(e) => return Err(e),
//!     Ok(account) => println!("{}", account.email),
//! }
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! # Retries and timeouts
//!
//! Failed calls are retried up to [`TelnyxBuilder::max_retries`] times (default
//! 2) on connection failures, timeouts, 408, 429, 500, 502, 503 and 504, waiting as the
//! server asks (`retry-after-ms`, `Retry-After`, `x-ratelimit-reset`) or
//! 0.5 s × 2ⁿ (at most 8 s) with jitter; a wait longer than
//! [`TelnyxBuilder::max_retry_wait`] returns the error at once. Creating a
//! managed account is retried only when the server provably did not act on it
//! (the connection was never made, or it answered 429 or 503), so an account
//! is never created twice. Each attempt has the whole-request
//! [`TelnyxBuilder::timeout`] (default 60 s) and the
//! [`TelnyxBuilder::connect_timeout`] (default 5 s); an optional
//! [`TelnyxBuilder::deadline`] bounds the whole call, retries and waits included.
//! [`Telnyx::with_options`] changes these for some calls only ([`CallOptions`]).
//!
//! # Logging and metadata
//!
//! Each attempt is logged at `debug` and each retry at `info` through the `log`
//! facade (target `telnyx_blocking`), never with a secret, a body or a query
//! value. A successful call's request id and rate limit are a [`ResponseMeta`]:
//! on every [`pagination::Page`], and given to the hook of
//! [`TelnyxBuilder::on_response`]. Keep `ureq` at `debug` or below: at `trace`
//! it dumps the raw requests (the API key) and responses.
//!
//! # Security
//!
//! API keys, tokens and passwords are [`Secret`]s: `Debug` prints
//! `Secret([REDACTED])` and no error message contains them. Redirects are
//! never followed, ids are encoded as one path segment, `https` is required
//! except for loopback hosts (or with [`TelnyxBuilder::allow_http`]), and
//! response bodies are capped. Do not enable
//! `TRACE` logging for `ureq` in production: at that level it logs unredacted
//! wire data.
//!
//! # Features
//!
//! | feature | default | what it does |
//! | --- | --- | --- |
//! | `rustls` | yes | TLS through rustls, trusting Mozilla's bundled roots ([`TlsRoots::WebPki`]) |
//! | `native-tls` | no | TLS through the platform library (OpenSSL, SChannel, Security.framework), trusting the platform's store ([`TlsRoots::Platform`]); use with `default-features = false` |
//! | `gzip` | no | accept gzip-compressed responses; [`TelnyxBuilder::max_response_bytes`] bounds the decompressed size |
//! | `platform-verifier` | no | [`TlsRoots::Platform`] with rustls: the operating system's verifier and store |
//! | `socks-proxy` | no | SOCKS4/SOCKS5 URLs for [`TelnyxBuilder::proxy`] |
//! | `mock` | no | [`mock::MockServer`], an offline imitation of the API for tests |
//!
//! The minimum supported Rust version is 1.85.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod error;
pub mod managed_accounts;
/// An offline stand-in for the Account Management API on a loopback port,
/// for tests and for running examples without an API key (feature `mock`).
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod options;
pub mod organizations;
pub mod pagination;
mod response;
mod secret;
mod tls;
mod transport;
mod wire;

#[cfg(any(fuzzing, test))]
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;

pub use crate::client::{DEFAULT_BASE_URL, Telnyx, TelnyxBuilder};
pub use crate::error::{
    ApiError, ApiErrorDetail, ApiErrorKind, ApiErrorSource, CallInfo, ConfigError, ConfigErrorKind,
    DecodeError, Error, InvalidRequestError, InvalidRequestKind, LocalError, MAX_ERROR_TEXT,
    OutcomeUnknownError, PaginationError, PaginationErrorKind, RateLimitInfo, RequestOutcome,
    Result, TransportError,
};
pub use crate::options::CallOptions;
pub use crate::response::ResponseMeta;
pub use crate::secret::Secret;
pub use crate::tls::{Certificate, TlsRoots};

/// The README's code blocks, compiled and run as doctests so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
