// The summary line of these docs is the doc comment on `pub mod mock` in lib.rs.

//! [`MockServer`] is a small blocking HTTP/1.1 server on `127.0.0.1` that
//! serves the 12 managed-account and organization-user operations from
//! in-memory state, so code that uses this crate can be tested without a
//! network or an API key:
//!
//! - create then retrieve finds the account, and list filters, sorts and
//!   pages for real;
//! - disable and enable change what `filter[status][eq]` finds (a managed
//!   account has no status field of its own);
//! - removing an organization user makes later reads of it answer 404;
//! - errors come in Telnyx's envelope: 401 without the right
//!   `Authorization: Bearer` key, 404 for unknown ids and routes, 405 for a
//!   known route with another method, 422 for a create without
//!   `business_name`;
//! - [`MockServer::fail`] aims a [`MockFault`] at a route ([`MockRule`]) and
//!   [`MockServer::fail_next`] at the next requests: rate limits with each
//!   hint form, error statuses, connections dropped before or after the
//!   request is processed, slow answers, malformed and truncated bodies;
//! - [`MockServerBuilder::list_visibility_lag`] makes new accounts show up
//!   in lists only after some list requests, to test lookup-after-create code;
//! - successful answers carry `x-ratelimit-limit`, `x-ratelimit-remaining`
//!   and `x-ratelimit-reset`, and [`MockServer::requests`] shows what was sent.
//!
//! Routes are served under `/v2` only (`/v2/managed_accounts`), like the real
//! API, and [`MockServer::url`] ends in `/v2`: a base URL that forgets the
//! prefix fails against the mock as it would against `api.telnyx.com`, with a
//! 404 that names `/v2`. The same mock runs as a standalone server, with its
//! state in a file and a control API, as the `telnyx-mock` binary
//! ([`cli`](crate::mock::cli)).
//!
//! # Example
//!
//! ```
//! use telnyx_blocking::Telnyx;
//! use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
//! use telnyx_blocking::mock::{MockFault, MockServer};
//!
//! let server = MockServer::start(); // three accounts, three users
//! let client = Telnyx::builder()
//!     .api_key(server.api_key())
//!     .base_url(server.url())
//!     .build()?;
//!
//! let created = client.managed_accounts().create(CreateManagedAccount::new("Test Co"))?;
//! assert_eq!(client.managed_accounts().retrieve(&created.id)?.id, created.id);
//! assert_eq!(client.managed_accounts().list(ListManagedAccounts::new()).count(), 3);
//!
//! // Make the next call fail the way production can.
//! server.fail_next(1, MockFault::Status(503));
//! let err = client.managed_accounts().create(CreateManagedAccount::new("Retry Co"));
//! assert!(err.is_ok(), "a 503 on create is retried: the server did not act");
//! assert_eq!(server.request_count(), 5);
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
//!
//! # Default data
//!
//! [`MockServer::start`] serves this data set (all of it fake). Ids are
//! fixed, so tests may use them.
//!
//! | Managed account | id | email | status | channel limit |
//! | --- | --- | --- | --- | --- |
//! | Acme Widgets | `6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14` | `acme-ops@example.com` | enabled | 30 |
//! | Globex Corp | `a3b7d9e1-2f46-4c8b-8e10-5d9c7b3a1f62` | `ops@globex.example.com` | enabled | 20 |
//! | Initech Labs | `c5d2e8f4-7a19-4e3b-b6d0-9f1a2c4e6b83` | `billing@initech.example.org` | cancelled | 0 |
//!
//! | Organization user | id | status | record type | last sign-in | groups |
//! | --- | --- | --- | --- | --- | --- |
//! | `owner@example.com` | `0c4f8e2a-6b1d-4a93-8f57-2e9d1c3b5a70` | enabled | `organization_owner` | 2026-01-12 | none |
//! | `dev@example.com` | `4e8a1c6f-3d2b-4f95-a7c0-8b1e5d9f2c36` | enabled | `organization_sub_user` | 2026-01-10 | Engineering, Sales |
//! | `sales@example.com` | `9b2d5f7e-1a4c-4c68-b3e9-6f0a8d2c4e15` | disabled | `organization_sub_user` | never (`null`) | Sales |
//!
//! Allocatable global outbound channels: 500. Every managed account has
//! `api_user` `manager@example.com` and `manager_account_id`
//! `5d3c1b2a-9e8f-4a7b-8c6d-0f1e2d3c4b5a`. [`MockServer::builder`] starts
//! from an empty organization instead; see [`MockServerBuilder`].
//!
//! # Behaviour worth knowing
//!
//! - Lists: `meta.total_pages` is `ceil(total_results / page_size)`, so `0`
//!   when nothing matches; a page past the end has an empty `data`. Managed
//!   accounts default to 20 per page sorted by `-created_at`; users default
//!   to 250 per page in insertion order.
//! - Bad list parameters (an unknown enum value, a page size outside
//!   1..=250, a `filter[...]` key the spec doesn't list) answer 422 for
//!   managed accounts and 400 for organization users, the statuses the spec
//!   declares for each, with `source.parameter` naming the parameter.
//!   `contains` filters take any length (the real API asks for at least 3
//!   characters).
//! - Disable and enable work from any status, cancelled included; the
//!   `reenable_all_connections` flag is checked for type and ignored.
//! - Accounts created without an `email` get one made from the business
//!   name (`larrys-cat-food-inc@managed.example.com`); an email another
//!   account has is a 422. Times the server makes are the current UTC time,
//!   strictly increasing. Generated ids are UUID-shaped and the same from
//!   run to run. The balance is always zero and the password is never kept.
//!   Emails are unique ignoring case (a taken one is a 422 with
//!   `source.pointer` `/email`), while `filter[email][eq]` matches exactly.
//! - An `Idempotency-Key` header is recorded like any other and not acted on:
//!   Telnyx's spec does not declare it for these endpoints, so the mock does
//!   not pretend the API replays answers by key.
//! - Malformed HTTP answers 400 (431 for a head over 64 KiB, 413 for a body
//!   over 1 MiB) and closes the connection; such requests are not recorded.
//!
//! [`MockServer`]: crate::mock::MockServer
//! [`MockServer::start`]: crate::mock::MockServer::start
//! [`MockServer::builder`]: crate::mock::MockServer::builder
//! [`MockServer::url`]: crate::mock::MockServer::url
//! [`MockServer::fail_next`]: crate::mock::MockServer::fail_next
//! [`MockServer::fail`]: crate::mock::MockServer::fail
//! [`MockFault`]: crate::mock::MockFault
//! [`MockRule`]: crate::mock::MockRule
//! [`MockServerBuilder::list_visibility_lag`]: crate::mock::MockServerBuilder::list_visibility_lag
//! [`MockServer::requests`]: crate::mock::MockServer::requests
//! [`MockServerBuilder`]: crate::mock::MockServerBuilder

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod cli;
mod control;
#[doc(hidden)]
pub mod http;
mod routes;
mod state;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use http::{Conn, Request, Response};
use routes::Failure;
use serde::{Deserialize, Serialize};
use state::State;

use crate::organizations::users::UserStatus;

/// The API key a [`MockServer`] accepts unless
/// [`MockServerBuilder::api_key`] sets another.
pub const DEFAULT_API_KEY: &str = "KEYmock_0000";

/// Seed of the `x-request-id` values.
const REQUEST_ID_SEED: u64 = 0x7265_7175_6573_7473;
/// Longest [`MockFault::Delay`] served.
pub const MAX_DELAY: Duration = Duration::from_secs(60);
/// Default of [`MockServerBuilder::rate_limit`].
const DEFAULT_RATE_LIMIT: u32 = 100;
/// The `x-ratelimit-reset` sent with every answer, in seconds.
const RATE_LIMIT_RESET_SECS: u64 = 60;

/// Locks `mutex`, recovering the data if a thread panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The state of a mock managed account. The API shows it only through the
/// list filter `filter[status][eq]`; the account object has no status field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MockAccountStatus {
    /// Able to use Telnyx services (`filter[status][eq]=enabled` or `active`).
    #[default]
    Enabled,
    /// Turned off by the manager (`actions/disable`).
    Disabled,
    /// Closed; hidden from lists unless `include_cancelled_accounts=true` or
    /// `filter[status][eq]` is `cancelled` or `all`.
    Cancelled,
    /// Blocked by Telnyx.
    Blocked,
}

/// A managed account to seed a [`MockServer`] with.
///
/// Unset fields get defaults: a generated id, an email made from the
/// business name, status enabled, the current time, a channel limit of 0 and
/// both flags `false`. The API key, token and balance are always generated.
///
/// ```
/// use telnyx_blocking::mock::{MockAccount, MockAccountStatus, MockServer};
///
/// let server = MockServer::builder()
///     .managed_account(
///         MockAccount::new("Example Holdings")
///             .id("11111111-2222-4333-8444-555555555555")
///             .email("admin@holdings.example.com")
///             .status(MockAccountStatus::Disabled)
///             .channel_limit(10),
///     )
///     .start();
/// # drop(server);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockAccount {
    pub(crate) business_name: String,
    pub(crate) id: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) status: MockAccountStatus,
    pub(crate) created_at: Option<String>,
    pub(crate) channel_limit: i64,
    pub(crate) rollup_billing: bool,
    pub(crate) managed_account_allow_custom_pricing: bool,
}

impl MockAccount {
    /// An enabled account whose `organization_name` is `business_name`.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server =
    ///     MockServer::builder().managed_account(MockAccount::new("Example Holdings")).start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let account =
    ///     client.managed_accounts().list(Default::default()).next().expect("one account")?;
    /// assert_eq!(account.organization_name.as_deref(), Some("Example Holdings"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new(business_name: impl Into<String>) -> Self {
        MockAccount {
            business_name: business_name.into(),
            id: None,
            email: None,
            status: MockAccountStatus::Enabled,
            created_at: None,
            channel_limit: 0,
            rollup_billing: false,
            managed_account_allow_custom_pricing: false,
        }
    }

    /// Sets the id (any string; a seed with an id already used replaces
    /// the earlier account).
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(MockAccount::new("Example Holdings").id("acct-1"))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let account = client.managed_accounts().retrieve("acct-1")?;
    /// assert_eq!(account.organization_name.as_deref(), Some("Example Holdings"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the email.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(
    ///         MockAccount::new("Example Holdings").email("admin@holdings.example.com"),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let request = ListManagedAccounts::new().email_eq("admin@holdings.example.com");
    /// assert_eq!(client.managed_accounts().list(request).count(), 1);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the status.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccountStatus};
    /// use telnyx_blocking::mock::{MockAccount, MockAccountStatus, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(
    ///         MockAccount::new("Example Holdings").status(MockAccountStatus::Disabled),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let disabled = ListManagedAccounts::new().status(ManagedAccountStatus::Disabled);
    /// assert_eq!(client.managed_accounts().list(disabled).count(), 1);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn status(mut self, status: MockAccountStatus) -> Self {
        self.status = status;
        self
    }

    /// Sets `created_at` (and the initial `updated_at`). Use the API's format,
    /// ISO 8601 UTC such as `2025-03-04T09:15:00.000Z`: sorting by
    /// `created_at` compares these strings.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(
    ///         MockAccount::new("Example Holdings")
    ///             .id("acct-1")
    ///             .created_at("2025-03-04T09:15:00.000Z"),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let account = client.managed_accounts().retrieve("acct-1")?;
    /// assert_eq!(account.created_at, "2025-03-04T09:15:00.000Z");
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn created_at(mut self, created_at: impl Into<String>) -> Self {
        self.created_at = Some(created_at.into());
        self
    }

    /// Sets the global outbound channel limit.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::UpdateGlobalChannelLimit;
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(MockAccount::new("Example Holdings").id("acct-1").channel_limit(10))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let unchanged = UpdateGlobalChannelLimit::new(); // `{}`: answers the current limit
    /// let limit = client.managed_accounts().update_global_channel_limit("acct-1", unchanged)?;
    /// assert_eq!(limit.channel_limit, Some(10));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn channel_limit(mut self, channel_limit: i64) -> Self {
        self.channel_limit = channel_limit;
        self
    }

    /// Sets `rollup_billing`.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(MockAccount::new("Example Holdings").id("acct-1").rollup_billing(true))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let account = client.managed_accounts().retrieve("acct-1")?;
    /// assert_eq!(account.rollup_billing, Some(true));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn rollup_billing(mut self, rollup_billing: bool) -> Self {
        self.rollup_billing = rollup_billing;
        self
    }

    /// Sets `managed_account_allow_custom_pricing`.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(
    ///         MockAccount::new("Example Holdings")
    ///             .id("acct-1")
    ///             .managed_account_allow_custom_pricing(true),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let account = client.managed_accounts().retrieve("acct-1")?;
    /// assert_eq!(account.managed_account_allow_custom_pricing, Some(true));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn managed_account_allow_custom_pricing(mut self, allow: bool) -> Self {
        self.managed_account_allow_custom_pricing = allow;
        self
    }
}

/// An organization user to seed a [`MockServer`] with.
///
/// Unset fields get defaults: a generated id, `user_status` `enabled`,
/// `record_type` `organization_sub_user`, the current time, never signed in
/// (`last_sign_in_at: null`), no groups, SSO not bypassed.
///
/// ```
/// use telnyx_blocking::mock::{MockServer, MockUser};
/// use telnyx_blocking::organizations::users::UserStatus;
///
/// let server = MockServer::builder()
///     .organization_user(
///         MockUser::new("ops@example.com")
///             .id("user-1")
///             .user_status(UserStatus::Blocked)
///             .groups(["Support", "Billing"])
///             .last_sign_in_at(Some("2026-01-01T00:00:00.000Z")),
///     )
///     .start();
/// # drop(server);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    pub(crate) email: String,
    pub(crate) id: Option<String>,
    pub(crate) user_status: String,
    pub(crate) record_type: String,
    pub(crate) created_at: Option<String>,
    pub(crate) last_sign_in_at: Option<String>,
    pub(crate) groups: Vec<String>,
    pub(crate) organization_user_bypasses_sso: bool,
}

impl MockUser {
    /// An enabled sub-user with this email.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// let server =
    ///     MockServer::builder().organization_user(MockUser::new("ops@example.com")).start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let user =
    ///     client.organizations().users().list(Default::default()).next().expect("one user")?;
    /// assert_eq!(user.email.as_deref(), Some("ops@example.com"));
    /// assert_eq!(user.last_sign_in_at, None); // never signed in
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new(email: impl Into<String>) -> Self {
        MockUser {
            email: email.into(),
            id: None,
            user_status: "enabled".to_string(),
            record_type: "organization_sub_user".to_string(),
            created_at: None,
            last_sign_in_at: None,
            groups: Vec::new(),
            organization_user_bypasses_sso: false,
        }
    }

    /// Sets the id (any string; a seed with an id already used replaces
    /// the earlier user).
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// let server = MockServer::builder()
    ///     .organization_user(MockUser::new("ops@example.com").id("user-1"))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let user =
    ///     client.organizations().users().retrieve("user-1", RetrieveOrganizationUser::new())?;
    /// assert_eq!(user.id.as_deref(), Some("user-1"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets `user_status`. [`UserStatus::Other`] is served as given (and no
    /// `filter[user_status]` value finds it).
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// use telnyx_blocking::organizations::users::{ListOrganizationUsers, UserStatus};
    /// let server = MockServer::builder()
    ///     .organization_user(MockUser::new("ops@example.com").user_status(UserStatus::Disabled))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let disabled = ListOrganizationUsers::new().user_status(UserStatus::Disabled);
    /// assert_eq!(client.organizations().users().list(disabled).count(), 1);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn user_status(mut self, user_status: UserStatus) -> Self {
        self.user_status = user_status.as_str().to_owned();
        self
    }

    /// Sets `record_type`: `organization_owner` or `organization_sub_user`.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// let server = MockServer::builder()
    ///     .organization_user(
    ///         MockUser::new("owner@example.com").record_type("organization_owner").id("user-1"),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let user =
    ///     client.organizations().users().retrieve("user-1", RetrieveOrganizationUser::new())?;
    /// assert_eq!(user.record_type.as_deref(), Some("organization_owner"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn record_type(mut self, record_type: impl Into<String>) -> Self {
        self.record_type = record_type.into();
        self
    }

    /// Sets `created_at` (ISO 8601 UTC, e.g. `2025-02-10T10:20:30.000Z`).
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// let server = MockServer::builder()
    ///     .organization_user(
    ///         MockUser::new("ops@example.com")
    ///             .created_at("2025-02-10T10:20:30.000Z")
    ///             .id("user-1"),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let user =
    ///     client.organizations().users().retrieve("user-1", RetrieveOrganizationUser::new())?;
    /// assert_eq!(user.created_at.as_deref(), Some("2025-02-10T10:20:30.000Z"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn created_at(mut self, created_at: impl Into<String>) -> Self {
        self.created_at = Some(created_at.into());
        self
    }

    /// Sets `last_sign_in_at`; `None` is served as `null` (never signed in).
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// let server = MockServer::builder()
    ///     .organization_user(
    ///         MockUser::new("ops@example.com")
    ///             .last_sign_in_at(Some("2026-01-01T00:00:00.000Z"))
    ///             .id("user-1"),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let user =
    ///     client.organizations().users().retrieve("user-1", RetrieveOrganizationUser::new())?;
    /// assert_eq!(user.last_sign_in_at.as_deref(), Some("2026-01-01T00:00:00.000Z"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn last_sign_in_at(mut self, last_sign_in_at: Option<&str>) -> Self {
        self.last_sign_in_at = last_sign_in_at.map(str::to_string);
        self
    }

    /// Sets the names of the user's groups. Each name gets a fixed group id,
    /// the same for every user in that group.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// let server = MockServer::builder()
    ///     .organization_user(MockUser::new("ops@example.com").groups(["Support", "Billing"]))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let report = client.organizations().users().get_groups_report()?;
    /// let names: Vec<&str> = report[0].groups.iter().map(|g| g.name.as_str()).collect();
    /// assert_eq!(names, ["Support", "Billing"]);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn groups<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.groups = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `organization_user_bypasses_sso`.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// let server = MockServer::builder()
    ///     .organization_user(
    ///         MockUser::new("ops@example.com").organization_user_bypasses_sso(true).id("user-1"),
    ///     )
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let user =
    ///     client.organizations().users().retrieve("user-1", RetrieveOrganizationUser::new())?;
    /// assert_eq!(user.organization_user_bypasses_sso, Some(true));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn organization_user_bypasses_sso(mut self, bypasses: bool) -> Self {
        self.organization_user_bypasses_sso = bypasses;
        self
    }
}

/// A failure to serve instead of the normal answer, for
/// [`MockServer::fail`] (aimed at a route) or [`MockServer::fail_next`] (the
/// next requests, whatever they are). Errors come in Telnyx's
/// `{"errors": [...]}` envelope.
///
/// Some faults answer without touching the data ([`Status`](MockFault::Status),
/// the rate limits, [`Reset`](MockFault::Reset)): the server did not act.
/// Others first process the request as usual, so a create makes its account,
/// and only then spoil the answer ([`ResetAfterProcessing`](MockFault::ResetAfterProcessing),
/// [`StatusAfterProcessing`](MockFault::StatusAfterProcessing),
/// [`Delay`](MockFault::Delay), [`MalformedBody`](MockFault::MalformedBody),
/// [`TruncatedBody`](MockFault::TruncatedBody)): the server acted and the
/// client cannot know it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MockFault {
    /// 429 with `Retry-After: <retry_after_secs>` and error code `10011`.
    RateLimited {
        /// The `Retry-After` value, in seconds.
        retry_after_secs: u64,
    },
    /// 429 (code `10011`) with the rate-limit hint in one of the forms
    /// servers use; see [`MockRetryHint`].
    RateLimitedWith(MockRetryHint),
    /// This status with a matching envelope (401 → `10009`, 403 → `10010`,
    /// 404 → `10005`, 429 → `10011` without `Retry-After`, 5xx → `10007`,
    /// other → `10015`). A status outside `200..=599` is sent as 500. The
    /// request is not processed.
    Status(u16),
    /// Read the request, then close the connection without answering and
    /// without processing it: the client sees the connection end before any
    /// response.
    Reset,
    /// Process the request (a create makes its account), then close the
    /// connection without answering: the lost answer of a create that worked.
    ResetAfterProcessing,
    /// Process the request, then wait this long (at most [`MAX_DELAY`]; the
    /// wait ends early when the server shuts down) before answering, so the
    /// client's timeout can fire. The change is made even if the client gave up.
    Delay(Duration),
    /// Process the request (a create makes its account), then answer this
    /// status with its envelope as [`Status`](MockFault::Status) does: the
    /// 500 for a create that did create the account.
    StatusAfterProcessing(u16),
    /// Process the request, then answer `200` with a body that is not valid
    /// JSON: the client reports [`Error::Decode`](crate::Error::Decode).
    MalformedBody,
    /// Process the request, then send the answer's head and only half its
    /// body (`Content-Length` announces all of it) and close the connection.
    TruncatedBody,
}

/// The form of the hint a [`MockFault::RateLimitedWith`] 429 carries.
///
/// In the control API: `"hint": {"retry_after_ms": 500}`, `"hint": "none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MockRetryHint {
    /// `Retry-After: <seconds>`.
    RetryAfterSecs(u64),
    /// `Retry-After: <HTTP date>`, this many seconds from now.
    RetryAfterDate(u64),
    /// `retry-after-ms: <milliseconds>`.
    RetryAfterMs(u64),
    /// Telnyx's `x-ratelimit-reset: <seconds>` (with `x-ratelimit-limit` and
    /// `x-ratelimit-remaining: 0`).
    RateLimitReset(u64),
    /// No hint at all.
    None,
}

/// Which requests a fault given to [`MockServer::fail`] hits, and how many.
///
/// A rule matches a method (case-insensitive; `*` for any) and a path as the
/// client sent it, with or without the `/v2` prefix and a trailing slash, where
/// a `*` segment matches any one segment (an id). It fires on the next
/// [`times`](MockRule::times) matching requests (default 1), after letting
/// the first [`after`](MockRule::after) of them through (default 0).
///
/// ```
/// use telnyx_blocking::mock::MockRule;
///
/// let creates = MockRule::on("POST", "/managed_accounts");
/// let second_retrieve = MockRule::on("GET", "/managed_accounts/*").after(1);
/// let every_request_thrice = MockRule::any().times(3);
/// # drop((creates, second_retrieve, every_request_thrice));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MockRule {
    method: String,
    path: Option<String>,
    times: u32,
    after: u32,
}

impl MockRule {
    /// Every request, whatever its method and path.
    ///
    /// ```
    /// let rule = telnyx_blocking::mock::MockRule::any();
    /// # drop(rule);
    /// ```
    pub fn any() -> Self {
        MockRule {
            method: "*".to_owned(),
            path: None,
            times: 1,
            after: 0,
        }
    }

    /// Requests with this method and path (`*` as a segment matches any one).
    ///
    /// ```
    /// let rule = telnyx_blocking::mock::MockRule::on("PATCH", "/v2/managed_accounts/*");
    /// # drop(rule);
    /// ```
    pub fn on(method: impl Into<String>, path: impl Into<String>) -> Self {
        MockRule {
            method: method.into(),
            path: Some(path.into()),
            ..MockRule::any()
        }
    }

    /// Fires on this many matching requests (default 1; 0 never fires).
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockFault, MockRule, MockServer};
    /// let server = MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// server.fail(MockRule::on("GET", "/managed_accounts/*").times(2), MockFault::Status(404));
    /// let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
    /// assert!(client.managed_accounts().retrieve(acme).unwrap_err().is_not_found());
    /// assert!(client.managed_accounts().retrieve(acme).unwrap_err().is_not_found());
    /// assert!(client.managed_accounts().retrieve(acme).is_ok()); // the rule is used up
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Lets this many matching requests through before firing (default 0).
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
    /// use telnyx_blocking::mock::{MockFault, MockRule, MockServer};
    /// let server = MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// // The second create fails, the first is served.
    /// server.fail(MockRule::on("POST", "/managed_accounts").after(1), MockFault::Status(422));
    /// assert!(client.managed_accounts().create(CreateManagedAccount::new("First Co")).is_ok());
    /// let second = client.managed_accounts().create(CreateManagedAccount::new("Second Co"));
    /// assert_eq!(second.unwrap_err().status(), Some(422));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn after(mut self, skip: u32) -> Self {
        self.after = skip;
        self
    }

    fn matches(&self, head: &Request) -> bool {
        let method_ok = self.method == "*" || self.method.eq_ignore_ascii_case(&head.method);
        method_ok
            && self.path.as_deref().is_none_or(|pattern| {
                let want = routes::raw_segments(pattern);
                let got = routes::raw_segments(&head.path);
                want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| *w == "*" || w == g)
            })
    }
}

/// A fault waiting for its requests.
#[derive(Debug)]
struct Armed {
    rule: MockRule,
    fault: MockFault,
}

/// One request as the [`MockServer`] received it.
///
/// Its `Debug` shows the `Authorization` header as `[REDACTED]` (a test's
/// failure message must not print a key); the field itself holds it as sent.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path as sent, still percent-encoded, without the query.
    pub path: String,
    /// The query string as sent, without the `?`, still percent-encoded
    /// (empty if none). [`RecordedRequest::query_pairs`] decodes it.
    pub query: String,
    /// The headers in the order received, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body (after chunked decoding), as UTF-8 with invalid bytes replaced.
    pub body: String,
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(
                |(name, value)| match name.eq_ignore_ascii_case("authorization") {
                    true => (name.as_str(), "[REDACTED]"),
                    false => (name.as_str(), value.as_str()),
                },
            )
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

impl RecordedRequest {
    /// The first value of a header, the name matched case-insensitively.
    ///
    /// ```
    /// # use telnyx_blocking::mock::MockServer;
    /// # let server = MockServer::start();
    /// for request in server.requests() {
    ///     assert!(request.header("Authorization").is_some());
    /// }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        http::header_value(&self.headers, &name.to_ascii_lowercase())
    }

    /// The query as decoded `(key, value)` pairs, in order: `+` and `%20`
    /// become spaces and `%5B` becomes `[`.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// client.managed_accounts().list(ListManagedAccounts::new().email_contains("ops@")).count();
    /// let sent = server.requests().remove(0);
    /// assert_eq!(sent.query, "filter%5Bemail%5D%5Bcontains%5D=ops%40");
    /// assert_eq!(sent.query_pairs(), [("filter[email][contains]".into(), "ops@".into())]);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        http::parse_query(&self.query)
    }
}

/// Configures a [`MockServer`]. Made by [`MockServer::builder`].
///
/// It starts from an empty organization: no managed accounts, no users, 0
/// allocatable channels, API key [`DEFAULT_API_KEY`]. Call
/// [`default_seed`](MockServerBuilder::default_seed) to add the data that
/// [`MockServer::start`] serves.
///
/// ```
/// use telnyx_blocking::mock::{MockAccount, MockServer, MockUser};
///
/// let server = MockServer::builder()
///     .api_key("KEYtest_1234")
///     .managed_account(MockAccount::new("Example Holdings"))
///     .organization_user(MockUser::new("someone@example.com"))
///     .allocatable_global_outbound_channels(100)
///     .start();
/// assert_eq!(server.api_key(), "KEYtest_1234");
/// ```
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    api_key: String,
    accounts: Vec<MockAccount>,
    users: Vec<MockUser>,
    allocatable_channels: i64,
    list_visibility_lag: u32,
    rate_limit: u32,
    /// Where to listen (the binary's `--host` and `--port`).
    addr: SocketAddr,
    /// The binary's `--state` file.
    state_file: Option<PathBuf>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            api_key: DEFAULT_API_KEY.to_string(),
            accounts: Vec::new(),
            users: Vec::new(),
            allocatable_channels: 0,
            list_visibility_lag: 0,
            rate_limit: DEFAULT_RATE_LIMIT,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
        }
    }
}

impl MockServerBuilder {
    /// Sets the only API key the server accepts (default [`DEFAULT_API_KEY`]).
    ///
    /// ```
    /// use telnyx_blocking::mock::MockServer;
    /// let server = MockServer::builder().api_key("KEY_EXAMPLE_TEST").start();
    /// let wrong = telnyx_blocking::Telnyx::builder()
    ///     .api_key("KEY_EXAMPLE_OTHER")
    ///     .base_url(server.url())
    ///     .build()?;
    /// let err = wrong.managed_accounts().get_allocatable_global_outbound_channels().unwrap_err();
    /// assert_eq!(err.status(), Some(401));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// Adds a managed account. Accounts are created in the order added.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder()
    ///     .managed_account(MockAccount::new("First Co"))
    ///     .managed_account(MockAccount::new("Second Co"))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// assert_eq!(client.managed_accounts().list(Default::default()).count(), 2);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn managed_account(mut self, account: MockAccount) -> Self {
        self.accounts.push(account);
        self
    }

    /// Adds an organization user. Users are listed in the order added.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockServer, MockUser};
    /// let server = MockServer::builder()
    ///     .organization_user(MockUser::new("first@example.com"))
    ///     .organization_user(MockUser::new("second@example.com"))
    ///     .start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let users: Vec<_> =
    ///     client.organizations().users().list(Default::default()).collect::<Result<_, _>>()?;
    /// assert_eq!(users[0].email.as_deref(), Some("first@example.com"));
    /// assert_eq!(users[1].email.as_deref(), Some("second@example.com"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn organization_user(mut self, user: MockUser) -> Self {
        self.users.push(user);
        self
    }

    /// Sets `allocatable_global_outbound_channels` (default 0).
    ///
    /// ```
    /// use telnyx_blocking::mock::MockServer;
    /// let server = MockServer::builder().allocatable_global_outbound_channels(100).start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let channels = client.managed_accounts().get_allocatable_global_outbound_channels()?;
    /// assert_eq!(channels.allocatable_global_outbound_channels, Some(100));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn allocatable_global_outbound_channels(mut self, channels: i64) -> Self {
        self.allocatable_channels = channels;
        self
    }

    /// Makes each account created through the API invisible to the next `lag`
    /// `GET /managed_accounts` requests (any filter, any client), as a
    /// search index that lags behind the database would; `retrieve` finds it
    /// at once, and its email counts as taken at once. Default 0: visible at
    /// once. Counting requests rather than time keeps tests deterministic.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
    /// use telnyx_blocking::mock::MockServer;
    ///
    /// let server = MockServer::builder().list_visibility_lag(1).start();
    /// let client = telnyx_blocking::Telnyx::builder()
    ///     .api_key(server.api_key())
    ///     .base_url(server.url())
    ///     .build()?;
    /// let accounts = client.managed_accounts();
    /// accounts.create(CreateManagedAccount::new("Lagging Co"))?;
    /// assert_eq!(accounts.list(ListManagedAccounts::new()).count(), 0); // not yet
    /// assert_eq!(accounts.list(ListManagedAccounts::new()).count(), 1); // now
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn list_visibility_lag(mut self, lag: u32) -> Self {
        self.list_visibility_lag = lag;
        self
    }

    /// The `x-ratelimit-limit` every successful answer carries (default
    /// 100). `x-ratelimit-remaining` counts down from `limit - 1` with each
    /// successful answer, and after 0 starts again at `limit - 1`;
    /// `x-ratelimit-reset` is always 60. A limit of 0 is sent as 1.
    ///
    /// ```
    /// use telnyx_blocking::mock::MockServer;
    /// let server = MockServer::builder().rate_limit(2).start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let page =
    ///     client.managed_accounts().list(Default::default()).pages().next().expect("a page")?;
    /// assert_eq!(page.response().rate_limit().limit, Some(2));
    /// assert_eq!(page.response().rate_limit().remaining, Some(1));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    #[must_use]
    pub fn rate_limit(mut self, limit: u32) -> Self {
        self.rate_limit = limit.max(1);
        self
    }

    /// Adds the data that [`MockServer::start`] serves (see the
    /// [module docs](self)) and sets the allocatable channels to 500. Seeds
    /// added after it come after it.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    ///
    /// let server = MockServer::builder()
    ///     .default_seed()
    ///     .managed_account(MockAccount::new("One More Co"))
    ///     .start();
    /// # drop(server);
    /// ```
    #[must_use]
    pub fn default_seed(mut self) -> Self {
        let (accounts, users, channels) = state::default_seed();
        self.accounts.extend(accounts);
        self.users.extend(users);
        self.allocatable_channels = channels;
        self
    }

    /// Starts the server on a free loopback port.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound or the server thread can't start;
    /// [`try_start`](MockServerBuilder::try_start) returns the error instead.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockAccount, MockServer};
    /// let server = MockServer::builder().managed_account(MockAccount::new("Only Co")).start();
    /// assert!(server.url().starts_with("http://127.0.0.1:"));
    /// assert_eq!(server.request_count(), 0);
    /// ```
    pub fn start(self) -> MockServer {
        self.try_start().unwrap_or_else(|e| {
            panic!("telnyx_blocking::mock: cannot start the mock server on 127.0.0.1: {e}")
        })
    }

    /// Starts the server on a free loopback port (`127.0.0.1:0`).
    ///
    /// ```
    /// let server = telnyx_blocking::mock::MockServer::builder().try_start()?;
    /// # drop(server);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns the [`std::io::Error`] (as [`std::io::Result`]) of binding a
    /// port on `127.0.0.1` or of spawning the server thread, for example when
    /// the process is out of file descriptors or threads.
    pub fn try_start(self) -> io::Result<MockServer> {
        let mut state = match &self.state_file {
            Some(path) => State::load(path)?,
            None => None,
        }
        .unwrap_or_else(|| State::new(self.accounts, self.users, self.allocatable_channels));
        state.set_list_lag(self.list_visibility_lag);
        if let Some(path) = self.state_file {
            state.persist_to(path)?;
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            api_key: self.api_key,
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
            rate_limit: u64::from(self.rate_limit),
            answered: AtomicU64::new(0),
            next_request_id: AtomicU64::new(0),
        });
        let handler = Arc::clone(&shared);
        let server = http::Server::start(self.addr, move |request, conn| {
            handler.handle(request, conn)
        })?;
        let url = format!("http://{}/v2", server.addr());
        Ok(MockServer {
            url,
            shared,
            server,
        })
    }
}

/// What the server's connection threads share.
struct Shared {
    api_key: String,
    state: Mutex<State>,
    /// Pending faults, in the order given.
    faults: Mutex<Vec<Armed>>,
    requests: Mutex<Vec<RecordedRequest>>,
    /// `x-ratelimit-limit`, at least 1.
    rate_limit: u64,
    /// Successful answers so far, for `x-ratelimit-remaining`.
    answered: AtomicU64,
    next_request_id: AtomicU64,
}

impl Shared {
    /// The fault for this request, if a rule fires on it. Every matching rule
    /// counts the request; the first one done letting requests through fires.
    fn fault_for(&self, head: &Request) -> Option<MockFault> {
        let mut faults = lock(&self.faults);
        let mut fired = None;
        for armed in faults.iter_mut() {
            if armed.rule.times == 0 || !armed.rule.matches(head) {
                continue;
            }
            if armed.rule.after > 0 {
                armed.rule.after -= 1;
            } else if fired.is_none() {
                armed.rule.times -= 1;
                fired = Some(armed.fault.clone());
            }
        }
        faults.retain(|armed| armed.rule.times > 0);
        fired
    }

    /// `x-ratelimit-*` headers of the next successful answer.
    fn rate_limit_headers(&self, response: Response) -> Response {
        let n = self.answered.fetch_add(1, Ordering::Relaxed);
        let remaining = self.rate_limit - 1 - n % self.rate_limit;
        response
            .with_header("x-ratelimit-limit", self.rate_limit.to_string())
            .with_header("x-ratelimit-remaining", remaining.to_string())
            .with_header("x-ratelimit-reset", RATE_LIMIT_RESET_SECS.to_string())
    }

    /// The answer to one request: the control API, or a fault, or the API.
    fn handle(&self, request: &Request, conn: &Conn<'_>) -> Option<Response> {
        if request.path == "/__mock" || request.path.starts_with("/__mock/") {
            return Some(control::respond(self, request));
        }
        lock(&self.requests).push(RecordedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
        });
        let respond = || {
            let response = routes::respond(&self.api_key, &self.state, request);
            match (200..300).contains(&response.status) {
                true => self.rate_limit_headers(response),
                false => response,
            }
        };
        let status = |code: u16| match (200..=599).contains(&code) {
            true => Failure::for_status(code).response(),
            false => Failure::for_status(500).response(),
        };
        let response = match self.fault_for(request) {
            None => respond(),
            Some(MockFault::Reset) => return None,
            Some(MockFault::ResetAfterProcessing) => {
                respond();
                return None;
            }
            Some(MockFault::Delay(delay)) => {
                let response = respond();
                conn.pause(delay.min(MAX_DELAY));
                response
            }
            Some(MockFault::MalformedBody) => {
                respond();
                Response::json(200, br#"{"data": {"id": "#.to_vec())
            }
            Some(MockFault::TruncatedBody) => {
                let response = respond().with_header("x-request-id", self.request_id());
                let bytes = response.encode(true, false);
                let cut = bytes.len() - response.body.len().div_ceil(2);
                let mut writer = conn.stream;
                let _ = writer.write_all(bytes.get(..cut).unwrap_or_default());
                return None;
            }
            Some(MockFault::RateLimited { retry_after_secs }) => rate_limited(
                MockRetryHint::RetryAfterSecs(retry_after_secs),
                self.rate_limit,
            ),
            Some(MockFault::RateLimitedWith(hint)) => rate_limited(hint, self.rate_limit),
            Some(MockFault::Status(code)) => status(code),
            Some(MockFault::StatusAfterProcessing(code)) => {
                respond();
                status(code)
            }
        };
        Some(response.with_header("x-request-id", self.request_id()))
    }

    fn request_id(&self) -> String {
        let n = self.next_request_id.fetch_add(1, Ordering::Relaxed);
        state::uuid_from(REQUEST_ID_SEED, n)
    }
}

/// A running mock of the Account Management API on `127.0.0.1`.
///
/// Point the client's base URL at [`url`](MockServer::url) and use
/// [`api_key`](MockServer::api_key) as its key. The server stops when
/// dropped or [`shutdown`](MockServer::shutdown): it stops accepting, closes
/// every connection (idle keep-alive ones included) and joins all its
/// threads. It is `Send + Sync`; share it by reference.
///
/// ```
/// use telnyx_blocking::mock::MockServer;
///
/// let server = MockServer::start();
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// let client = telnyx_blocking::Telnyx::builder()
///     .api_key(server.api_key())
///     .base_url(server.url())
///     .build()?;
/// assert!(client.managed_accounts().get_allocatable_global_outbound_channels().is_ok());
/// server.shutdown();
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
pub struct MockServer {
    url: String,
    shared: Arc<Shared>,
    server: http::Server,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server with the default data (see the [module docs](self))
    /// and the key [`DEFAULT_API_KEY`].
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound; [`try_start`](MockServer::try_start)
    /// returns the error instead.
    pub fn start() -> MockServer {
        MockServer::builder().default_seed().start()
    }

    /// Like [`start`](MockServer::start), returning an error instead of panicking.
    ///
    /// ```
    /// let server = telnyx_blocking::mock::MockServer::try_start()?;
    /// # drop(server);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns the [`std::io::Error`] (as [`std::io::Result`]) of binding a
    /// port on `127.0.0.1` or of spawning the server thread.
    pub fn try_start() -> io::Result<MockServer> {
        MockServer::builder().default_seed().try_start()
    }

    /// A builder that starts from an empty organization.
    ///
    /// ```
    /// use telnyx_blocking::mock::MockServer;
    /// let server = MockServer::builder().start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// assert_eq!(client.managed_accounts().list(Default::default()).count(), 0); // nothing seeded
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT/v2`, without a trailing slash.
    /// The API is served under `/v2` only, like `api.telnyx.com`; the
    /// control API is at `http://127.0.0.1:PORT/__mock/...`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The API key the server accepts as `Authorization: Bearer <key>`.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// Serves `fault` to the requests `rule` picks (a method and a path, a
    /// number of times, after letting some through), before authentication
    /// and routing. Rules are checked in the order given; every matching rule
    /// counts a request, and the first one due fires.
    ///
    /// ```
    /// use telnyx_blocking::Telnyx;
    /// use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
    /// use telnyx_blocking::mock::{MockFault, MockRule, MockServer};
    ///
    /// let server = MockServer::builder().start();
    /// let client = Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    ///
    /// // The create is processed, then its answer is lost.
    /// server.fail(MockRule::on("POST", "/managed_accounts"), MockFault::ResetAfterProcessing);
    /// let lost = client.managed_accounts().create(CreateManagedAccount::new("Lost Co"));
    /// assert_eq!(lost.unwrap_err().outcome(), telnyx_blocking::RequestOutcome::Unknown);
    /// // Lists were not affected, and they show the account was made.
    /// assert_eq!(client.managed_accounts().list(ListManagedAccounts::new()).count(), 1);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn fail(&self, rule: MockRule, fault: MockFault) {
        lock(&self.shared.faults).push(Armed { rule, fault });
    }

    /// Makes the next `n` requests (in arrival order, counting from those
    /// not yet served) fail with `fault`, before authentication and routing:
    /// [`fail`](MockServer::fail) with [`MockRule::any`]. Calls add up:
    /// faults queue behind ones already pending.
    ///
    /// ```
    /// use telnyx_blocking::mock::{MockFault, MockServer};
    ///
    /// let server = MockServer::start();
    /// server.fail_next(2, MockFault::RateLimited { retry_after_secs: 1 });
    /// server.fail_next(1, MockFault::Status(503));
    /// // The next two requests get 429, the third 503, then normal answers.
    /// ```
    pub fn fail_next(&self, n: usize, fault: MockFault) {
        let times = u32::try_from(n).unwrap_or(u32::MAX);
        self.fail(MockRule::any().times(times), fault);
    }

    /// Drops the faults not yet served.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many requests the server has received, faulted ones included
    /// (malformed HTTP is not counted).
    pub fn request_count(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// Every request received so far, oldest first (same count as
    /// [`request_count`](MockServer::request_count)).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Stops the server and joins its threads; the same happens on drop.
    pub fn shutdown(self) {
        drop(self);
    }
}

/// A 429 carrying `hint`.
fn rate_limited(hint: MockRetryHint, limit: u64) -> Response {
    let response = Failure::for_status(429).response();
    match hint {
        MockRetryHint::RetryAfterSecs(secs) => {
            response.with_header("Retry-After", secs.to_string())
        }
        MockRetryHint::RetryAfterDate(secs) => response.with_header(
            "Retry-After",
            state::http_date(state::now_secs().saturating_add(secs)),
        ),
        MockRetryHint::RetryAfterMs(ms) => response.with_header("retry-after-ms", ms.to_string()),
        MockRetryHint::RateLimitReset(secs) => response
            .with_header("x-ratelimit-limit", limit.to_string())
            .with_header("x-ratelimit-remaining", "0".to_string())
            .with_header("x-ratelimit-reset", secs.to_string()),
        MockRetryHint::None => response,
    }
}
