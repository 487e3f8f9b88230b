//! Managed accounts: sub-accounts owned by a manager account.
//!
//! ```no_run
//! use telnyx_blocking::Telnyx;
//! use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts, ManagedAccountSort};
//!
//! let client = Telnyx::from_env()?;
//! let accounts = client.managed_accounts();
//! let created = accounts.create(CreateManagedAccount::new("Larry's Cat Food Inc"))?;
//! for account in accounts.list(ListManagedAccounts::new().email_contains("larry").sort(ManagedAccountSort::EmailDesc)) {
//!     println!("{}", account?.email);
//! }
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```

mod model;
mod provision;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use self::model::{
    AllocatableGlobalOutboundChannels, Balance, GlobalChannelLimit, ManagedAccount,
};
pub use self::provision::{ProvisionOptions, ProvisionOutcome, Provisioned};

use crate::client::Telnyx;
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::{ListQuery, Paginator};
use crate::secret::Secret;
use crate::transport::{Call, item_path, set_params};
use crate::wire::{self, setters};

const PATH: &str = "managed_accounts";

/// `managed_accounts/{id}{suffix}` with `id` encoded as one segment.
fn account_path(id: &str, suffix: &str) -> Result<String> {
    item_path(PATH, "managed account id", id, suffix)
}

/// The managed-accounts endpoints. Get it from [`Telnyx::managed_accounts`].
#[derive(Debug, Clone)]
pub struct ManagedAccounts {
    client: Telnyx,
}

impl ManagedAccounts {
    pub(crate) fn new(client: Telnyx) -> Self {
        ManagedAccounts { client }
    }

    /// Lists the accounts managed by the current user, fetching pages lazily.
    /// Nothing is sent until the first item is asked for. Each item is a
    /// `Result`: a failed page fetch yields the same errors as any other call,
    /// a list stopped by a guard yields [`Error::Pagination`],
    /// and iteration ends after an error.
    ///
    /// `GET /managed_accounts`
    ///
    /// ```no_run
    /// use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccountStatus};
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let enabled = client
    ///     .managed_accounts()
    ///     .list(ListManagedAccounts::new().status(ManagedAccountStatus::Enabled).page_size(250));
    /// for account in enabled {
    ///     let account = account?;
    ///     println!("{} {}", account.id, account.email);
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn list(&self, request: ListManagedAccounts) -> Paginator<ManagedAccount> {
        Paginator::new(&self.client, PATH, request.to_query(), |a| Some(&a.id))
    }

    /// Creates a managed account. A create is never sent twice by the retry
    /// policy unless the server provably did not act on the first one.
    ///
    /// `POST /managed_accounts`
    ///
    /// ```no_run
    /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let account = client.managed_accounts().create(
    ///     CreateManagedAccount::new("Larry's Cat Food Inc")
    ///         .email("larry@example.com")
    ///         .rollup_billing(false),
    /// )?;
    /// println!("created {}", account.id);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a malformed
    /// [`idempotency_key`](CreateManagedAccount::idempotency_key) or a body that cannot
    /// be encoded, before any I/O; [`Error::Connection`], [`Error::Timeout`],
    /// [`Error::RateLimited`] or [`Error::Api`] when the call fails (a 422 names the
    /// invalid field), and [`Error::Decode`] when a 2xx body is not what the spec
    /// describes. [`Error::outcome`] says whether the account may have been created
    /// anyway; [`create_or_find`](ManagedAccounts::create_or_find) resolves that for you.
    pub fn create(&self, request: CreateManagedAccount) -> Result<ManagedAccount> {
        provision::create(&self.client, &request)
    }

    /// Allocatable global outbound channels of the current (manager) user.
    ///
    /// `GET /managed_accounts/allocatable_global_outbound_channels`
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let channels = client.managed_accounts().get_allocatable_global_outbound_channels()?;
    /// println!("{:?} allocatable", channels.allocatable_global_outbound_channels);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Connection`], [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`]
    /// when the call fails (a 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn get_allocatable_global_outbound_channels(
        &self,
    ) -> Result<AllocatableGlobalOutboundChannels> {
        let path = format!("{PATH}/allocatable_global_outbound_channels");
        self.client.transport().data(&Call::get(&path))
    }

    /// Retrieves one managed account.
    ///
    /// `GET /managed_accounts/{id}`
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let account = client.managed_accounts().retrieve("f65ceda4-6522-4ad6-aede-98de83385123")?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`] for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn retrieve(&self, id: &str) -> Result<ManagedAccount> {
        let path = account_path(id, "")?;
        self.client.transport().data(&Call::get(&path))
    }

    /// Updates a managed account. Sends `{}` when nothing is set.
    ///
    /// `PATCH /managed_accounts/{id}`
    ///
    /// ```no_run
    /// use telnyx_blocking::managed_accounts::UpdateManagedAccount;
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let account = client.managed_accounts().update(
    ///     "f65ceda4-6522-4ad6-aede-98de83385123",
    ///     UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
    /// )?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`] for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn update(&self, id: &str, request: UpdateManagedAccount) -> Result<ManagedAccount> {
        let path = account_path(id, "")?;
        let call = Call::patch(&path).json(&request)?;
        self.client.transport().data(&call)
    }

    /// Disable and enable: `client.managed_accounts().actions().disable(id)`.
    pub fn actions(&self) -> ManagedAccountActions {
        ManagedAccountActions(self.client.clone())
    }

    /// Sets how many global outbound channels the managed account may use.
    ///
    /// `PATCH /managed_accounts/{id}/update_global_channel_limit`
    ///
    /// ```no_run
    /// use telnyx_blocking::managed_accounts::UpdateGlobalChannelLimit;
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let limit = client.managed_accounts().update_global_channel_limit(
    ///     "f65ceda4-6522-4ad6-aede-98de83385123",
    ///     UpdateGlobalChannelLimit::new().channel_limit(30),
    /// )?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`] for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidValue`] for a
    /// negative `channel_limit`, also before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn update_global_channel_limit(
        &self,
        id: &str,
        request: UpdateGlobalChannelLimit,
    ) -> Result<GlobalChannelLimit> {
        if let Some(limit) = request.channel_limit.filter(|limit| *limit < 0) {
            // The spec: "Must be 0 or more". The value is not secret; quoting it helps.
            let message = format!("channel_limit must be 0 or more, not {limit}");
            return Err(Error::invalid_request(ErrorKind::InvalidValue, message));
        }
        let path = account_path(id, "/update_global_channel_limit")?;
        let call = Call::patch(&path).json(&request)?;
        self.client.transport().data(&call)
    }
}

/// Disable and enable managed accounts. Get it from
/// [`ManagedAccounts::actions`](crate::managed_accounts::ManagedAccounts::actions).
#[derive(Debug, Clone)]
pub struct ManagedAccountActions(Telnyx);

impl ManagedAccountActions {
    /// Disables a managed account: it can no longer use Telnyx services or log in.
    /// Ongoing calls are not affected. Sends no body.
    ///
    /// `POST /managed_accounts/{id}/actions/disable`
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let account = client.managed_accounts().actions().disable("f65ceda4-6522-4ad6-aede-98de83385123")?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`] for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn disable(&self, id: &str) -> Result<ManagedAccount> {
        let path = account_path(id, "/actions/disable")?;
        self.0.transport().data(&Call::post(&path))
    }

    /// Enables a managed account and its sub-users. Sends `{}` when no option is set.
    ///
    /// `POST /managed_accounts/{id}/actions/enable`
    ///
    /// ```no_run
    /// use telnyx_blocking::managed_accounts::EnableManagedAccount;
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let account = client.managed_accounts().actions().enable(
    ///     "f65ceda4-6522-4ad6-aede-98de83385123",
    ///     EnableManagedAccount::new().reenable_all_connections(true),
    /// )?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`] for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn enable(&self, id: &str, request: EnableManagedAccount) -> Result<ManagedAccount> {
        let path = account_path(id, "/actions/enable")?;
        let call = Call::post(&path).json(&request)?;
        self.0.transport().data(&call)
    }
}

/// Options of [`ManagedAccountActions::enable`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct EnableManagedAccount {
    #[serde(skip_serializing_if = "Option::is_none")]
    reenable_all_connections: Option<bool>,
}

impl EnableManagedAccount {
    /// No options: the body is `{}`.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::EnableManagedAccount;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let globex = "a3b7d9e1-2f46-4c8b-8e10-5d9c7b3a1f62";
    /// let actions = client.managed_accounts().actions();
    /// actions.disable(globex)?;
    /// actions.enable(globex, EnableManagedAccount::new())?;
    /// assert_eq!(server.requests()[1].body, "{}");
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Re-enable every connection of the account that passes validation.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::EnableManagedAccount;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let globex = "a3b7d9e1-2f46-4c8b-8e10-5d9c7b3a1f62";
        /// let actions = client.managed_accounts().actions();
        /// actions.disable(globex)?;
        /// actions.enable(globex, EnableManagedAccount::new().reenable_all_connections(true))?;
        /// assert_eq!(server.requests()[1].body, r#"{"reenable_all_connections":true}"#);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        reenable_all_connections: bool;
    }
}

/// Status filter of [`ListManagedAccounts::status`] (`filter[status][eq]`).
///
/// `Display`, `FromStr` and serde all use the wire value:
///
/// ```
/// use telnyx_blocking::managed_accounts::ManagedAccountStatus;
///
/// let status: ManagedAccountStatus = "disabled".parse()?;
/// assert_eq!(status, ManagedAccountStatus::Disabled);
/// assert_eq!(status.to_string(), "disabled");
/// assert_eq!(serde_json::to_string(&status).unwrap(), r#""disabled""#);
/// let err = "Disabled".parse::<ManagedAccountStatus>().unwrap_err(); // case matters, as on the wire
/// assert!(matches!(err, telnyx_blocking::Error::InvalidRequest(_)));
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ManagedAccountStatus {
    /// `all`
    All,
    /// `active`
    Active,
    /// `enabled`: accounts able to use Telnyx services.
    Enabled,
    /// `cancelled`
    Cancelled,
    /// `disabled`
    Disabled,
    /// `blocked`
    Blocked,
}

impl ManagedAccountStatus {
    /// The value sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ManagedAccountStatus::All => "all",
            ManagedAccountStatus::Active => "active",
            ManagedAccountStatus::Enabled => "enabled",
            ManagedAccountStatus::Cancelled => "cancelled",
            ManagedAccountStatus::Disabled => "disabled",
            ManagedAccountStatus::Blocked => "blocked",
        }
    }
}

impl fmt::Display for ManagedAccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error is [`Error::InvalidRequest`], listing the accepted values.
impl FromStr for ManagedAccountStatus {
    type Err = Error;
    fn from_str(value: &str) -> Result<Self> {
        wire::parse(value, "managed account status")
    }
}

/// Sort order of [`ListManagedAccounts::sort`]. Without one, the API sorts by
/// creation time, newest first.
///
/// `Display`, `FromStr` and serde all use the wire value:
///
/// ```
/// use telnyx_blocking::managed_accounts::ManagedAccountSort;
///
/// let sort: ManagedAccountSort = "-email".parse()?;
/// assert_eq!(sort, ManagedAccountSort::EmailDesc);
/// assert_eq!(sort.to_string(), "-email");
/// let back: ManagedAccountSort = serde_json::from_str(r#""created_at""#).unwrap();
/// assert_eq!(back, ManagedAccountSort::CreatedAt);
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ManagedAccountSort {
    /// `created_at`: oldest first.
    CreatedAt,
    /// `-created_at`: newest first.
    #[serde(rename = "-created_at")]
    CreatedAtDesc,
    /// `email`: A to Z.
    Email,
    /// `-email`: Z to A.
    #[serde(rename = "-email")]
    EmailDesc,
}

impl ManagedAccountSort {
    /// The value sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ManagedAccountSort::CreatedAt => "created_at",
            ManagedAccountSort::CreatedAtDesc => "-created_at",
            ManagedAccountSort::Email => "email",
            ManagedAccountSort::EmailDesc => "-email",
        }
    }
}

impl fmt::Display for ManagedAccountSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error is [`Error::InvalidRequest`], listing the accepted values.
impl FromStr for ManagedAccountSort {
    type Err = Error;
    fn from_str(value: &str) -> Result<Self> {
        wire::parse(value, "managed account sort")
    }
}

/// Filters, sort and paging of [`ManagedAccounts::list`]. Only what you set is sent.
///
/// ```
/// use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccountSort};
///
/// let request = ListManagedAccounts::new()
///     .email_contains("acme")
///     .include_cancelled_accounts(true)
///     .sort(ManagedAccountSort::CreatedAt)
///     .page_size(250);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListManagedAccounts {
    email_contains: Option<String>,
    email_eq: Option<String>,
    organization_name_contains: Option<String>,
    organization_name_eq: Option<String>,
    status: Option<ManagedAccountStatus>,
    include_cancelled_accounts: Option<bool>,
    sort: Option<ManagedAccountSort>,
    page_number: Option<u32>,
    page_size: Option<u32>,
}

impl ListManagedAccounts {
    /// No filters: every account, in the API's default order and page size.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let request = ListManagedAccounts::new();
    /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
    /// assert_eq!(found.len(), 2); // the default data's cancelled account is not listed
    /// assert_eq!(server.requests()[0].query, ""); // nothing set, nothing sent
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// `filter[email][contains]`: email contains this text (case-insensitive, at least 3 characters).
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().email_contains("GLOBEX");
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found[0].email, "ops@globex.example.com");
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("filter[email][contains]".into(), "GLOBEX".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        email_contains: impl Into<String>;

        /// `filter[email][eq]`: email is exactly this.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().email_eq("ops@globex.example.com");
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found.len(), 1);
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("filter[email][eq]".into(), "ops@globex.example.com".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        email_eq: impl Into<String>;

        /// `filter[organization_name][contains]`: organization name contains this text
        /// (case-insensitive, at least 3 characters).
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().organization_name_contains("widget");
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found[0].organization_name.as_deref(), Some("Acme Widgets"));
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("filter[organization_name][contains]".into(), "widget".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        organization_name_contains: impl Into<String>;

        /// `filter[organization_name][eq]`: organization name is exactly this.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().organization_name_eq("Globex Corp");
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found[0].email, "ops@globex.example.com");
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("filter[organization_name][eq]".into(), "Globex Corp".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        organization_name_eq: impl Into<String>;

        /// `filter[status][eq]`: only accounts in this state.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccountStatus};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().status(ManagedAccountStatus::Cancelled);
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found[0].organization_name.as_deref(), Some("Initech Labs"));
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("filter[status][eq]".into(), "cancelled".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        status: ManagedAccountStatus;

        /// `include_cancelled_accounts`: also list cancelled accounts.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().include_cancelled_accounts(true);
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found.len(), 3); // Initech Labs, cancelled, too
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("include_cancelled_accounts".into(), "true".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        include_cancelled_accounts: bool;

        /// `sort`: the order of the results.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccountSort};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().sort(ManagedAccountSort::Email);
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found[0].email, "acme-ops@example.com");
        /// assert_eq!(found[1].email, "ops@globex.example.com");
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("sort".into(), "email".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        sort: ManagedAccountSort;

        /// `page[number]`: the first page to fetch (from 1). A `u32` in requests;
        /// [`PageMeta::page_number`](crate::pagination::PageMeta::page_number), what
        /// the server reports, is an `i64` because the server may send any integer.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListManagedAccounts::new().page_size(1).page_number(2);
        /// let found: Vec<_> = client.managed_accounts().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(found.len(), 1); // of two accounts, one per page: page 1 was skipped
        /// assert!(server.requests()[0].query_pairs().contains(&("page[number]".into(), "2".into())));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        page_number: u32;

        /// `page[size]`: items per page, 1 to 250 (the API's default is 20).
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::ListManagedAccounts;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let mut pages =
        ///     client.managed_accounts().list(ListManagedAccounts::new().page_size(1)).pages();
        /// let first = pages.next().expect("a first page")?;
        /// assert_eq!(first.data.len(), 1);
        /// assert_eq!(first.meta.total_pages, Some(2));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        page_size: u32;
    }

    fn to_query(&self) -> ListQuery {
        let name_contains = self.organization_name_contains.clone();
        let name_eq = self.organization_name_eq.clone();
        let cancelled = self.include_cancelled_accounts.map(|b| b.to_string());
        let filters = set_params([
            ("filter[email][contains]", self.email_contains.clone()),
            ("filter[email][eq]", self.email_eq.clone()),
            ("filter[organization_name][contains]", name_contains),
            ("filter[organization_name][eq]", name_eq),
            ("filter[status][eq]", self.status.map(|s| s.to_string())),
            ("include_cancelled_accounts", cancelled),
            ("sort", self.sort.map(|s| s.to_string())),
        ]);
        (filters, (self.page_number, self.page_size))
    }
}

/// Body of [`ManagedAccounts::create`]. `business_name` is required.
///
/// ```
/// use telnyx_blocking::managed_accounts::CreateManagedAccount;
///
/// let request = CreateManagedAccount::new("Larry's Cat Food Inc")
///     .email("larry@example.com")
///     .password("a long random password")
///     .managed_account_allow_custom_pricing(false)
///     .rollup_billing(false);
/// // The password never shows in Debug output.
/// assert!(!format!("{request:?}").contains("a long random password"));
/// ```
///
/// There is no `Default`: every request names its business.
///
/// ```compile_fail
/// let request = telnyx_blocking::managed_accounts::CreateManagedAccount::default();
/// ```
// No `Default`: an account without a business name is not a request the API takes.
// No `Serialize` either: it would write the password without an `expose()`;
// the wire body is `CreateBody`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CreateManagedAccount {
    business_name: String,
    email: Option<String>,
    password: Option<Secret>,
    managed_account_allow_custom_pricing: Option<bool>,
    rollup_billing: Option<bool>,
    /// Sent as the `Idempotency-Key` header, not in the body.
    idempotency_key: Option<String>,
}

/// The JSON body of `POST /managed_accounts`: the one place the password is
/// written out, because the API needs it.
#[derive(Serialize)]
pub(crate) struct CreateBody<'a> {
    business_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_account_allow_custom_pricing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rollup_billing: Option<bool>,
}

impl<'a> From<&'a CreateManagedAccount> for CreateBody<'a> {
    fn from(request: &'a CreateManagedAccount) -> Self {
        CreateBody {
            business_name: &request.business_name,
            email: request.email.as_deref(),
            password: request.password.as_ref().map(Secret::expose),
            managed_account_allow_custom_pricing: request.managed_account_allow_custom_pricing,
            rollup_billing: request.rollup_billing,
        }
    }
}

impl CreateManagedAccount {
    /// A new account for this business; it becomes the account's organization name.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let account =
    ///     client.managed_accounts().create(CreateManagedAccount::new("Larry's Cat Food Inc"))?;
    /// assert_eq!(account.organization_name.as_deref(), Some("Larry's Cat Food Inc"));
    /// assert!(account.api_key.is_some()); // the new account's own key, a `Secret`
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new(business_name: impl Into<String>) -> Self {
        CreateManagedAccount {
            business_name: business_name.into(),
            email: None,
            password: None,
            managed_account_allow_custom_pricing: None,
            rollup_billing: None,
            idempotency_key: None,
        }
    }

    setters! {
        /// The account's email; without it Telnyx derives one from the manager's email.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = CreateManagedAccount::new("Larry's Cat Food Inc").email("larry@example.com");
        /// let account = client.managed_accounts().create(request)?;
        /// assert_eq!(account.email, "larry@example.com");
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        email: impl Into<String>;

        /// Whether custom pricing may be set for the account (default false).
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = CreateManagedAccount::new("Larry's Cat Food Inc")
        ///     .managed_account_allow_custom_pricing(true);
        /// let account = client.managed_accounts().create(request)?;
        /// assert_eq!(account.managed_account_allow_custom_pricing, Some(true));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        managed_account_allow_custom_pricing: bool;

        /// Whether charges roll up to the manager's balance (default false; fixed after creation).
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = CreateManagedAccount::new("Larry's Cat Food Inc").rollup_billing(true);
        /// let account = client.managed_accounts().create(request)?;
        /// assert_eq!(account.rollup_billing, Some(true));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        rollup_billing: bool;

        /// Sends `Idempotency-Key: <key>` on every attempt of this create (and on
        /// every create [`create_or_find`](ManagedAccounts::create_or_find) sends).
        /// The key is 1 to 255 characters of `A-Z a-z 0-9 _ : -`; another form is
        /// [`Error::InvalidRequest`] when the call is
        /// made, before anything is sent. Use one key per account you mean to
        /// create (e.g. your own customer id), the same on every run.
        ///
        /// What it does and does not guarantee: Telnyx documents a general
        /// `Idempotency-Key` contract (a repeated request with the same key gets
        /// the first successful answer again, for 24 hours), but its spec does not
        /// declare the header for this endpoint, so the API may ignore it. This
        /// client never relies on it: a create is never repeated blindly either
        /// way, and [`create_or_find`](ManagedAccounts::create_or_find) resolves an
        /// unknown outcome by looking the email up. The key is extra protection
        /// where the API honours it; it is not a lock across different keys.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        ///
        /// let request = CreateManagedAccount::new("Acme Widgets EU")
        ///     .email("eu-ops@acme.example.com")
        ///     .idempotency_key("customer-4711:create");
        /// client.managed_accounts().create(request)?;
        /// let sent = server.requests().pop().unwrap();
        /// assert_eq!(sent.header("idempotency-key"), Some("customer-4711:create"));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        idempotency_key: impl Into<String>;
    }

    /// A password for signing in to the portal; without it the account cannot sign in directly.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let request =
    ///     CreateManagedAccount::new("Larry's Cat Food Inc").password("a long random password");
    /// assert!(!format!("{request:?}").contains("a long random password")); // not in Debug output
    /// client.managed_accounts().create(request)?;
    /// assert!(server.requests()[0].body.contains(r#""password":"a long random password""#));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(Secret::new(password));
        self
    }
}

/// Body of [`ManagedAccounts::update`]. Sends `{}` when nothing is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateManagedAccount {
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_account_allow_custom_pricing: Option<bool>,
}

impl UpdateManagedAccount {
    /// Nothing to change yet.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::UpdateManagedAccount;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
    /// let account = client.managed_accounts().update(acme, UpdateManagedAccount::new())?;
    /// assert_eq!(account.id, acme); // nothing changed
    /// assert_eq!(server.requests()[0].body, "{}");
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Whether custom pricing may be set for the account.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::UpdateManagedAccount;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
        /// let request = UpdateManagedAccount::new().managed_account_allow_custom_pricing(true);
        /// let account = client.managed_accounts().update(acme, request)?;
        /// assert_eq!(account.managed_account_allow_custom_pricing, Some(true));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        managed_account_allow_custom_pricing: bool;
    }
}

/// Body of [`ManagedAccounts::update_global_channel_limit`]. Sends `{}` when nothing is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateGlobalChannelLimit {
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_limit: Option<i64>,
}

impl UpdateGlobalChannelLimit {
    /// Nothing to change yet.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::UpdateGlobalChannelLimit;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
    /// let limit = client
    ///     .managed_accounts()
    ///     .update_global_channel_limit(acme, UpdateGlobalChannelLimit::new())?;
    /// assert_eq!(limit.channel_limit, Some(30)); // unchanged: the body was `{}`
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Channels allocated to the account; 0 disables outbound calling.
        ///
        /// An `i64`, like [`GlobalChannelLimit::channel_limit`] and the mock's
        /// `MockAccount::channel_limit`. A negative value is refused by
        /// [`ManagedAccounts::update_global_channel_limit`] before anything is sent.
        ///
        /// ```
        /// use telnyx_blocking::managed_accounts::UpdateGlobalChannelLimit;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
        /// let accounts = client.managed_accounts();
        /// let limit = accounts
        ///     .update_global_channel_limit(acme, UpdateGlobalChannelLimit::new().channel_limit(10))?;
        /// assert_eq!(limit.channel_limit, Some(10));
        /// let negative = accounts
        ///     .update_global_channel_limit(acme, UpdateGlobalChannelLimit::new().channel_limit(-1));
        /// assert!(matches!(negative, Err(telnyx_blocking::Error::InvalidRequest(_))));
        /// assert_eq!(server.request_count(), 1); // -1 was never sent
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        channel_limit: i64;
    }
}
