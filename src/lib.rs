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
//! [`Error::Config`] with an [`ErrorKind`]. The client is cheap to clone
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
//! with the Telnyx error details), [`Error::Decode`] (a 2xx body that is not
//! what the spec says, naming the field), [`Error::Pagination`] (a list stopped
//! by a guard), and [`Error::Config`] / [`Error::InvalidRequest`] (caught before
//! anything is sent). Each [`Failure`] and [`ApiError`] has a [`kind`](Error::kind),
//! one flat [`ErrorKind`]. Branch on the variant and the kind, never on the
//! message text. [`Error::outcome`] says whether a failed call may have acted
//! on the server.
//!
//! ```
//! use telnyx_blocking::{ErrorKind, Error};
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! match client.managed_accounts().retrieve("00000000-0000-4000-8000-000000000000") {
//!     Err(Error::Api(e)) if e.kind() == ErrorKind::NotFound => println!("no such account"),
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
//! 0.5 s × 2ⁿ (at most 8 s) minus up to 25 % jitter. A wait the server asks for
//! gets up to 10 % more, so that the threads of one client answered 429 together
//! do not all retry in the same millisecond. A wait longer than
//! [`TelnyxBuilder::max_retry_wait`] returns the error at once, and its message
//! says so. Failures that would fail the same way again are not retried: a
//! refused certificate, a proxy refusing the tunnel, an answer with too many or
//! too large headers, a redirect. Creating a
//! managed account is retried only when the server provably did not act on it
//! (the connection was never made, or it answered 429 or 503), so an account
//! is never created twice. Each attempt has the whole-request
//! [`TelnyxBuilder::timeout`] (default 60 s) and the
//! [`TelnyxBuilder::connect_timeout`] (default 5 s); an optional
//! [`TelnyxBuilder::deadline`] bounds the whole call, retries and waits included.
//! [`Telnyx::with_options`] changes these for some calls only ([`CallOptions`]).
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
//! # Timeouts and configuration
//!
//! | builder method | environment variable | default | meaning |
//! | --- | --- | --- | --- |
//! | `api_key` | `TELNYX_API_KEY` | (required) | the API key, sent as `Authorization: Bearer` |
//! | `base_url` | `TELNYX_BASE_URL` | `https://api.telnyx.com/v2` | where requests go; `http` only for loopback unless `allow_http(true)` |
//! | `timeout` | | 60 s | whole request, per attempt: connect, send, headers and body; zero or over 365 days is `InvalidValue` |
//! | `connect_timeout` | | 5 s | TCP connect and TLS handshake; zero or over 365 days is `InvalidValue` |
//! | `max_retries` | | 2 | further attempts after a retryable failure; 0 disables |
//! | `max_retry_wait` | | 60 s | longest wait slept before a retry; longer asks return the error |
//! | `max_response_bytes` | | 32 MiB | largest response body read; 0 is `InvalidValue` |
//! | `header` | | none | an extra header on every request (CR/LF rejected) |
//! | `user_agent_suffix` | | none | appended to `User-Agent: telnyx-blocking/<version>` |
//! | `allow_http` | | false | allow plain `http` to a non-loopback host |
//! | `read_env` | | true | `false`: never read `TELNYX_API_KEY` / `TELNYX_BASE_URL` |
//! | `sleep_fn` | | `std::thread::sleep` | how waits happen: between retries, and `create_or_find`'s visibility wait (tests) |
//! | `tls_roots` | | `TlsRoots::WebPki` (rustls), `TlsRoots::Platform` (native-tls) | which built-in root certificates TLS trusts; `TlsRoots::AddedOnly` for none |
//! | `add_root_certificate` | | none | a `Certificate` (PEM or DER) trusted in addition, e.g. a company CA |
//! | `proxy` | `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` | from the environment | an explicit `http://`, `https://` (or, with `socks-proxy`, `socks5://`) proxy URL, credentials allowed |
//! | `no_proxy` | | off | connect directly, ignoring the proxy environment variables |
//! | `pool_max_idle_per_host` | | 64 | idle connections kept for reuse (one per thread sharing the client) |
//! | `pool_idle_timeout` | | 15 s | how long an idle connection is kept |
//! | `deadline` | | none | the whole call, retries and waits included (see below) |
//! | `on_response` | | none | a hook given the metadata of every successful call |
//!
//! See [Networks](#networks) for TLS roots, proxies and the connection pool.
//!
//! # Networks
//!
//! ## TLS backends and whose roots they trust
//!
//! | build | TLS library | trusts by default |
//! | --- | --- | --- |
//! | default (`rustls`) | rustls with ring | Mozilla's root certificates, compiled into the binary (`TlsRoots::WebPki`); the same on every machine, whatever the OS has installed |
//! | `default-features = false, features = ["native-tls"]` | OpenSSL on Linux, SChannel on Windows, Security.framework on macOS | the operating system's trust store (`TlsRoots::Platform`), company CAs installed there included |
//! | `features = ["platform-verifier"]` | rustls, verifying with the OS's verifier and store (rustls-platform-verifier) when you pick `TlsRoots::Platform` | still Mozilla's roots unless `.tls_roots(TlsRoots::Platform)`; 3 more crates on Linux |
//!
//! Either backend verifies the host name and the validity dates; a refused
//! certificate is an `Error::Connection` whose message says it is a certificate
//! problem.
//!
//! ## Company and private CAs
//!
//! ```rust,no_run
//! use telnyx_blocking::{Certificate, Telnyx, TlsRoots};
//!
//! let company_ca = Certificate::from_pem(std::fs::read("/etc/company/ca.pem").unwrap())?;
//!
//! // Mozilla's roots plus the company CA (rustls, or native-tls with TlsRoots::WebPki):
//! let client = Telnyx::builder()
//!     .add_root_certificate(company_ca.clone())
//!     .build()?;
//!
//! // Behind a TLS-inspecting proxy that re-signs every host: its CA and nothing else.
//! let client = Telnyx::builder()
//!     .add_root_certificate(company_ca)
//!     .tls_roots(TlsRoots::AddedOnly)
//!     .build()?;
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! `Certificate::from_pem_bundle` reads a file of several certificates;
//! `Certificate::from_der` reads binary DER. An unreadable certificate is
//! `Error::Config` (`ErrorKind::InvalidCertificate`) at once, before any
//! connection. With `native-tls`, a CA installed in the operating system is already
//! trusted; extra certificates cannot be added *to* the platform store (`build`
//! says so with `ErrorKind::TlsUnavailable`): install them in the OS, or use
//! `TlsRoots::WebPki` or `TlsRoots::AddedOnly` with them. `TlsRoots::Platform` needs
//! the `native-tls` or the `platform-verifier` feature.
//!
//! ## Proxies
//!
//! - **From the environment**, as ureq reads them: `HTTPS_PROXY`, `HTTP_PROXY`,
//!   `ALL_PROXY` and `NO_PROXY`. A loopback base URL (the mock, a local fake) never
//!   goes through them.
//! - **Explicit:** `.proxy("http://user:password@proxy.example.com:3128")`. It wins
//!   over the environment and is used for every base URL, loopback included.
//!   `https://` proxies work too, and `socks4://`, `socks5://` and `socks5h://` with
//!   the `socks-proxy` feature. An unusable URL is `Error::Config`
//!   (`ErrorKind::InvalidProxy`).
//! - **None:** `.no_proxy()` connects directly and ignores the environment.
//!
//! An `https://` proxy's own certificate is checked against the client's roots
//! (`tls_roots`, `add_root_certificate`): a company proxy's CA must be trusted like
//! any other. With an https base URL (the API's) the client opens a `CONNECT`
//! tunnel and runs TLS inside it: the proxy sees `CONNECT api.telnyx.com:443` and encrypted bytes,
//! never the `Authorization` header. Proxy credentials go only to the proxy
//! (`Proxy-Authorization`) and never appear in `Debug` output or errors.
//!
//! ## Connection pool
//!
//! One `Telnyx` (and its clones) shares one pool. It keeps up to
//! `pool_max_idle_per_host` idle connections (default 64): every thread that uses a
//! shared client gets its connection back on its next call, instead of a new TCP
//! connection and TLS handshake (ureq's own default of 3 made 16 threads reconnect on
//! most calls; `tests/pool.rs` checks that 16 threads open about 16 connections). An
//! idle connection is closed after `pool_idle_timeout` (default 15 s); keep that below
//! the idle timeout of any proxy or load balancer on the way. Raise the bound for
//! services with more than 64 threads calling at once; `pool_max_idle_per_host(0)`
//! opens a connection per call.
//!
//! ## gzip
//!
//! With the `gzip` feature the client sends `Accept-Encoding: gzip` and decodes
//! gzip answers. List pages are repetitive JSON and shrink to a few per cent (the
//! bench measures 100,000 accounts), so turn it on when listing many accounts over a
//! slow or metered link; for single calls on a fast network it only adds CPU.
//! `max_response_bytes` bounds the *decompressed* size, so a small compressed body
//! that would inflate past it (a gzip bomb) is refused once the limit is reached,
//! in bounded memory.
//!
//! # Logging and diagnostics
//!
//! ## Logs
//!
//! The crate logs through the [`log`](https://docs.rs/log) facade, under the target
//! `telnyx_blocking`, and installs no logger: without one, nothing is logged and
//! nothing is formatted. With a logger:
//!
//! | level | when | example |
//! | --- | --- | --- |
//! | `debug` | every attempt | `GET /managed_accounts/{id} -> 503 in 3.1ms (attempt 1 of 3, request id 6d3f…)` |
//! | `info` | every retry, with its reason and wait | `GET /managed_accounts/{id} -> 503, retrying in 500ms (attempt 2 of 3 next)` |
//! | `debug` | a retryable failure returned instead | `GET /managed_accounts/{id}: not retried: the server asked to wait 120s, more than max_retry_wait (60s)` |
//!
//! A call that succeeds on its first attempt logs nothing at `info`. Failures without
//! an answer are named by class: `timeout (request may have been sent)`,
//! `connection failed (request not sent)`. What is logged is the method, the route
//! template (ids replaced by `{id}`), the status or failure class, times, the attempt
//! and the request id; never the API key, a password, a sub-account's credentials, a
//! body, a query value (emails are personal data) or an error's text.
//! `tests/logging.rs` checks this with a capturing logger at `trace` over every
//! operation.
//!
//! To see the events with [`env_logger`](https://docs.rs/env_logger) (call
//! `env_logger::init()` in `main`):
//!
//! ```sh
//! RUST_LOG=telnyx_blocking=debug my-tool      # the crate's events only
//! RUST_LOG=info my-tool                       # retries, from every crate
//! ```
//!
//! The official SDKs read `TELNYX_LOG=debug|info`; a library cannot without shipping a
//! logger, so this crate leaves that to the program. `examples/bulk_export.rs` has a
//! 20-line logger that honours `TELNYX_LOG` and prints the crate's records only.
//!
//! **Keep `ureq` and `ureq_proto` at `debug` or below.** At `debug` ureq redacts
//! URLs and sensitive headers. At `trace` it logs the URL with its query values and
//! hex dumps of the raw request head (the `Authorization` header, so the API key) and
//! of every response (a new account's `api_key` and `api_token`). `RUST_LOG=debug`
//! is safe; `RUST_LOG=trace` is not: use `RUST_LOG=trace,ureq=debug,ureq_proto=debug`.
//!
//! ## Response metadata
//!
//! A successful call's status, request id (`x-request-id`, what Telnyx support asks
//! for), rate limit (`x-ratelimit-limit`, `-remaining`, `-reset`), number of attempts
//! and elapsed time are a `ResponseMeta`, read from the same response (no second
//! request). Two ways reach it:
//!
//! - every `Page` carries the one of its response (`page.response()`), so a
//!   `pages()` loop can pace itself on `remaining` (`examples/bulk_export.rs`);
//! - a hook, `TelnyxBuilder::on_response` for every call (metrics, pacing) or
//!   `CallOptions::on_response` for the calls of one copy of the client, sees it
//!   for every call that gets a 2xx answer, `get_json` included.
//!
//! Why this shape: a `with_response()` twin of each method would double the API
//! for a need most calls do not have, while a hook covers every endpoint, present
//! and future, costs nothing when unset, and keeps each method returning its model.
//! Pages already are a struct, so they carry the metadata directly. Failures need
//! neither: the `Error` carries the request id and rate limit
//! (`e.api_error()` → `request_id()`, `rate_limit()`). Every number read from the
//! server is bounded (`reset` is capped like `Retry-After`), the request id is cut at
//! 128 characters, and none of it is secret.
//!
//! ```rust
//! use std::sync::{Arc, Mutex};
//! use telnyx_blocking::{CallOptions, ResponseMeta};
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! // One call's metadata: a copy of the client with a hook.
//! let seen: Arc<Mutex<Option<ResponseMeta>>> = Arc::default();
//! let sink = seen.clone();
//! let channels = client
//!     .with_options(CallOptions::new().on_response(move |meta| *sink.lock().unwrap() = Some(meta.clone())))?
//!     .managed_accounts()
//!     .get_allocatable_global_outbound_channels()?;
//! println!("request id {:?}", seen.lock().unwrap().as_ref().and_then(|m| m.request_id().map(str::to_owned)));
//!
//! // Each page's.
//! for page in client.managed_accounts().list(Default::default()).pages() {
//!     let page = page?;
//!     let meta = page.response();
//!     println!("{} {}: {:?} requests left", meta.status(), meta.request_id().unwrap_or("-"), meta.rate_limit().remaining);
//! }
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! ## Per-call options
//!
//! `client.with_options(CallOptions)` returns a copy of the client, sharing its
//! connection pool, whose calls use other settings: `timeout`, `deadline`,
//! `max_retries`, `max_retry_wait`, extra `header`s (replacing client headers of the
//! same name) and an `on_response` hook. The client itself is unchanged; an invalid
//! option (a zero timeout, a header with CR/LF, `Authorization`) is `Error::Config`.
//!
//! ```rust
//! use std::time::Duration;
//! use telnyx_blocking::CallOptions;
//! # let server = telnyx_blocking::mock::MockServer::start();
//! # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//!
//! let report = client
//!     .with_options(CallOptions::new().timeout(Duration::from_secs(300)).max_retries(0))?
//!     .organizations()
//!     .users()
//!     .get_groups_report()?;
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! ## Timeout and deadline
//!
//! `timeout` (default 60 s) bounds **each attempt**: connect, send, headers and body.
//! `deadline` (default: none) bounds **the whole call**: every attempt and every wait
//! between them. With a deadline, each attempt's timeout is the smaller of `timeout`
//! and what is left of the deadline, and a retry whose wait would end at or after the
//! deadline is not made: the last error is returned (a `Timeout` when the deadline
//! cut the attempt short). Without one, a call with the defaults can take up to
//! 3 attempts × 60 s plus the waits between them (each at most `max_retry_wait`,
//! 60 s). The default stays "none" so that 0.1 behaviour does not change; an
//! interactive tool would set something like `.timeout(Duration::from_secs(20))
//! .deadline(Duration::from_secs(45))`.
//!
//! # Faking failures with the mock
//!
//! `server.fail(rule, fault)` serves a `MockFault` to the requests a `MockRule` picks:
//! a method and a path (`*` matches one segment, `/v2` and a trailing slash are
//! optional), `times(n)` (default 1) after letting `after(n)` through (default 0).
//! `server.fail_next(n, fault)` hits the next `n` requests, whatever they are. Faults
//! that answer without acting (`Status`, the rate limits, `Reset`) change nothing; the
//! others process the request first (a create makes its account) and then spoil the
//! answer.
//!
//! ```rust
//! use std::time::Duration;
//! use telnyx_blocking::{Error, RequestOutcome, Telnyx};
//! use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
//! use telnyx_blocking::mock::{MockFault, MockRetryHint, MockRule, MockServer};
//! let server = MockServer::start();
//! let client = Telnyx::builder()
//!     .api_key(server.api_key()).base_url(server.url())
//!     .max_retries(0).timeout(Duration::from_millis(200))
//!     .build()?;
//! let accounts = client.managed_accounts();
//! let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
//! let create = || accounts.create(CreateManagedAccount::new("New Co").email("new@example.com"));
//! let count = || accounts.list(ListManagedAccounts::new()).count();
//!
//! // Only one route: retrieves fail, lists do not.
//! server.fail(MockRule::on("GET", "/managed_accounts/*"), MockFault::Status(500));
//! assert_eq!(count(), 2);
//! assert_eq!(accounts.retrieve(acme).unwrap_err().status(), Some(500));
//!
//! // A connection dropped before the request is processed: nothing created.
//! server.fail(MockRule::on("POST", "/managed_accounts"), MockFault::Reset);
//! assert!(create().unwrap_err().is_connection());
//! assert_eq!(count(), 2);
//!
//! // ...and after it is processed: the account exists, the answer is lost.
//! server.fail(MockRule::on("POST", "/managed_accounts"), MockFault::ResetAfterProcessing);
//! assert_eq!(create().unwrap_err().outcome(), RequestOutcome::Unknown);
//! assert_eq!(count(), 3);
//!
//! // A slow answer, to test your timeouts (at most 60 s; ends when the server stops).
//! server.fail_next(1, MockFault::Delay(Duration::from_secs(30)));
//! assert!(accounts.retrieve(acme).unwrap_err().is_timeout());
//!
//! // A 2xx body that is not JSON, and one cut off mid-way.
//! server.fail_next(1, MockFault::MalformedBody);
//! assert!(matches!(accounts.retrieve(acme), Err(Error::Decode(_))));
//! server.fail_next(1, MockFault::TruncatedBody);
//! assert!(accounts.retrieve(acme).unwrap_err().is_connection());
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! Rate limits, with each hint form a server uses (`MockRetryHint::RetryAfterSecs`,
//! `RetryAfterDate` — an HTTP date that many seconds ahead —, `RetryAfterMs`,
//! `RateLimitReset` for Telnyx's `x-ratelimit-reset`, or `None`):
//!
//! ```rust
//! use std::sync::{Arc, Mutex};
//! use std::time::Duration;
//! use telnyx_blocking::mock::{MockFault, MockRetryHint, MockServer};
//! let server = MockServer::start();
//! let waits = Arc::new(Mutex::new(Vec::new()));
//! let seen = waits.clone();
//! let client = telnyx_blocking::Telnyx::builder()
//!     .api_key(server.api_key()).base_url(server.url())
//!     .max_retries(3)
//!     .sleep_fn(move |d| seen.lock().unwrap().push(d))
//!     .build()?;
//!
//! server.fail_next(1, MockFault::RateLimitedWith(MockRetryHint::RetryAfterSecs(2)));
//! server.fail_next(1, MockFault::RateLimitedWith(MockRetryHint::RetryAfterMs(1500)));
//! server.fail_next(1, MockFault::RateLimitedWith(MockRetryHint::RateLimitReset(3)));
//! client.managed_accounts().get_allocatable_global_outbound_channels()?; // 429 ×3, then 200
//! // Each wait is the server's, plus up to 10 % so that clients do not retry in step.
//! let asked = [Duration::from_secs(2), Duration::from_millis(1500), Duration::from_secs(3)];
//! let waits = waits.lock().unwrap().clone();
//! assert_eq!(waits.len(), 3);
//! assert!(waits.iter().zip(asked).all(|(w, a)| *w >= a && *w <= a.mul_f64(1.1)), "{waits:?}");
//!
//! server.fail_next(4, MockFault::RateLimitedWith(MockRetryHint::RetryAfterDate(20)));
//! let err = client.managed_accounts().get_allocatable_global_outbound_channels().unwrap_err();
//! assert!(err.is_rate_limited());
//! assert!(err.retry_after().unwrap() <= Duration::from_secs(20));
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! New accounts can be made to show up in lists late, as behind a lagging search
//! index, to test lookup-after-create code: `MockServer::builder().list_visibility_lag(n)`
//! hides each account created through the API from the next `n` list requests
//! (`retrieve` finds it at once, and its email is taken at once). Counting requests
//! instead of time keeps tests deterministic.
//!
//! ```rust
//! use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
//! use telnyx_blocking::mock::MockServer;
//! let server = MockServer::builder().list_visibility_lag(2).start();
//! let client =
//!     telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
//! let created = client
//!     .managed_accounts()
//!     .create(CreateManagedAccount::new("Lagging Co").email("lag@example.com"))?;
//! let lookup = || {
//!     client.managed_accounts().list(ListManagedAccounts::new().email_eq("lag@example.com")).count()
//! };
//! assert_eq!((lookup(), lookup(), lookup()), (0, 0, 1)); // found on the third list request
//! assert_eq!(client.managed_accounts().retrieve(&created.id)?.email, "lag@example.com"); // at once
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! # Conformance with Telnyx's spec
//!
//! Our own tests check requests against our reading of the API; an independent
//! validator checks them against Telnyx's published OpenAPI spec
//! (`tests/spec/account-management.openapi.yml`, vendored with its provenance in
//! `tests/spec/NOTES.md`). `.ci/run` installs a pinned
//! [Prism](https://github.com/stoplightio/prism) (`tools/prism`, `npm ci`) and runs
//! `cargo test --test conformance -- --ignored`, which:
//!
//! - calls all 12 operations with every optional parameter and with none against
//!   `prism mock --errors`; a rejected request fails the run with the operation's
//!   name and Prism's reason;
//! - calls every operation 60 times against `prism mock --dynamic`, whose random
//!   responses (nulls, extra fields, odd numbers) must all decode into our models;
//! - runs a tour of all 12 operations through `prism proxy --errors` in front of
//!   `MockServer`, so the mock's own responses are validated too.
//!
//! The vendored spec differs from Telnyx's in one place: the managed-accounts `sort`
//! enum also lists `-created_at` and `-email`, which its description documents.
//!
//! # Performance
//!
//! `examples/bench.rs` measures the crate against bare `ureq` on a keep-alive
//! HTTP/1.1 server it runs on loopback, with Telnyx-shaped answers (the full
//! `ManagedAccount` of `tests/fixtures/managed_account.json`, list pages of 250
//! accounts with `meta`). The floors are a bare `ureq::Agent` configured as the
//! crate's (no status errors, no redirects, 5 s connect timeout, `proxy(None)`),
//! sending the same GETs with the same headers and decoding into an equivalent
//! local struct: once with the crate's 60 s whole-request timeout
//! (`timeout_global`, where ureq's resolver spawns a thread per request) and once
//! with phase timeouts only (no thread). Jobs run interleaved in 7 rounds, order
//! rotated every round; ratios are the median of the per-round ratios (in
//! brackets: ratio of the minimums). Paging samples each run in a fresh child
//! process; peak RSS (`VmHWM`) is read in a child process as well.
//!
//! ```sh
//! cargo run --release --example bench                # full run, 10-20 s
//! taskset -c 0 cargo run --release --example bench   # pinned to one CPU: steadier
//! cargo run --release --example bench -- --quick     # about a second (BENCH_QUICK=1 too)
//! ```
//!
//! Release build of 0.3.0, pinned with `taskset -c 0`, on a shared VM (Intel Xeon,
//! 2 vCPUs, Linux x86_64, Rust 1.95):
//!
//! | measurement | crate | bare ureq, global timeout | bare ureq, phase timeouts | crate ÷ global floor | crate ÷ phase floor |
//! |---|---|---|---|---|---|
//! | `retrieve` × 5000, µs/call, median (min) | 15.5 (15.4) | 37.4 (36.8) | 16.0 (15.3) | 0.41× (0.42×) | 0.98× (1.00×) |
//! | paging 100000 accounts (400 pages of 250), ms, median (min), fresh process per sample | 101.6 (100.7) | 144.2 (143.4) | 119.7 (119.0) | 0.70× (0.70×) | 0.85× (0.85×) |
//! | paging 100000 accounts (400 pages of 250), ms, median (min), same, glibc heap trimming off | 102.9 (100.3) | 124.4 (122.1) | 96.6 (95.9) | 0.82× (0.82×) | 1.06× (1.05×) |
//! | heap allocations per `retrieve` (bytes) | 53.0 (6113 B) | 63.0 (7045 B) | 57.0 (6117 B) | 0.84× | 0.93× |
//! | `retrieve` × 5000 over loopback TLS (same CA as the only root), µs/call, median (min) | 17.7 (17.5) | 47.0 (46.6) | 22.7 (22.4) | 0.38× (0.38×) | 0.78× (0.78×) |
//! | peak RSS paging 10000 accounts, child process (peak heap) | 4.9 MB (0.61 MB) | 4.2 MB (0.52 MB) | – | 1.15× | – |
//! | peak RSS paging 100000 accounts, child process (peak heap) | 4.8 MB (0.61 MB) | 4.4 MB (0.52 MB) | – | 1.09× | – |
//!
//! The threads row needs both CPUs (pinned to one, the threads barely overlap and
//! bare ureq's small pool hardly shows), so it comes from an unpinned run of the same
//! build:
//!
//! | measurement | crate | bare ureq, global timeout | bare ureq, phase timeouts | crate ÷ global floor | crate ÷ phase floor |
//! |---|---|---|---|---|---|
//! | 16 threads sharing one client, `retrieve` × 500 each: calls/s (connections opened) | 52685 (10) | 6877 (390) | 32834 (749) | 7.66× | 1.60× |
//!
//! Bytes on the wire paging 100,000 accounts (400 pages of 250): 39.67 MB plain,
//! 1.05 MB gzip-encoded (0.03×; the bench's accounts are more alike than real ones,
//! so expect less).
//!
//! - **Threads:** bare ureq keeps 3 idle connections per host, so 16 threads sharing
//!   an agent opened 390 and 749 connections for 8,000 calls; the crate's pool of 64
//!   kept the few its threads needed (10 here; `tests/pool.rs` asserts at most about one
//!   per thread). Over TLS each of those would be a handshake.
//! - **TLS:** a `retrieve` over a kept-alive TLS connection costs 0.8× what bare ureq's
//!   does with the same roots and phase timeouts, and 0.4× with a global timeout (the
//!   crate's resolver again saves the thread per request).
//!
//! What the numbers say:
//!
//! - **Per request** the crate costs what bare ureq costs without a whole-request
//!   timeout, and 0.4× what bare ureq costs with one: ureq resolves the host on
//!   every request, even on a pooled connection, and with `timeout_global` it does
//!   so on a new thread. The crate keeps the whole-request timeout but resolves
//!   through its own resolver (`src/transport/resolver.rs`): IP literals inline, host names
//!   cached for 30 s. Under callgrind (`--only`, below) 2,000 `retrieve`s are
//!   127.2 M instructions against 129.2 M for the phase-timeout floor (1.6 %
//!   fewer; logging costs nothing measurable when no logger is enabled).
//! - **Paging** is decoding-bound. With glibc's default settings the time also
//!   depends on whether `free` hands the ~100 KB page buffers back to the kernel
//!   and faults them in again on the next page (about 30 page faults a page in the
//!   bare loop, next to none for the crate, whose paginator releases a used-up page
//!   only once the next has arrived). With that trimming off
//!   (`GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864`) both do the same work
//!   and the crate is within a few per cent of the floor (callgrind: +2.7 %
//!   instructions a page, from reallocations around the held buffer).
//! - **Memory** stays flat: at most one page of accounts is held, so peak RSS is the same
//!   for 10,000 and 100,000 accounts (the binary and its libraries are 2.8 MB of it;
//!   0.1 measured 4.0 MB in all, 0.2 carries TLS roots, logging and more code).
//! - Every single-thread client above used one connection, plus one reconnect for a
//!   client left idle past the 15 s idle age while other jobs ran (the bench prints
//!   the count it expects); `tests/connection_reuse.rs` checks one connection for retrieves, list pages, create, update, disable, 404/410
//!   answers, an undecodable body and a retried 503.
//!
//! Unpinned, this 2-vCPU VM is bimodal: a request takes ~20 µs when the scheduler
//! keeps client and server on one CPU and ~55-75 µs when it puts them on
//! different ones, for the crate and the phase floor alike (their ratio stayed
//! between 0.83× and 1.03× over eight runs). The global-timeout floor swings
//! most (80 µs to 1 ms a request while other work runs), since it starts a thread
//! every time.
//!
//! For instruction counts, which do not depend on machine noise, run one variant
//! alone under callgrind and compare (variants `crate`, `global`, `phase`; work
//! `retrieve` or `pages`):
//!
//! ```sh
//! cargo build --release --example bench
//! valgrind --tool=callgrind target/release/examples/bench --only crate retrieve 2000
//! valgrind --tool=callgrind target/release/examples/bench --only phase retrieve 2000
//! ```
//!
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
    ApiError, ApiErrorDetail, CallInfo, Error, ErrorKind, Failure, RequestOutcome, Result,
};
pub use crate::options::CallOptions;
pub use crate::response::{RateLimitInfo, ResponseMeta};
pub use crate::secret::Secret;
pub use crate::tls::{Certificate, TlsRoots};

/// The README's code blocks, compiled and run as doctests so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
