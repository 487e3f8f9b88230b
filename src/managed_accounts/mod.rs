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

mod actions;
mod model;

use serde::Serialize;

pub use self::actions::{EnableManagedAccount, ManagedAccountActions};
pub use self::model::{
    AllocatableGlobalOutboundChannels, Balance, GlobalChannelLimit, ManagedAccount,
};

use crate::client::Telnyx;
use crate::error::Result;
use crate::pagination::Paginator;
use crate::secret::Secret;
use crate::transport::{Call, item_path, set_params};

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
        Paginator::new(self.client.clone(), PATH.to_owned(), request.to_query())
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
    pub fn create(&self, request: CreateManagedAccount) -> Result<ManagedAccount> {
        let call = Call::post(PATH)
            .json(&request)?
            .creates()
            .secret(request.password.as_ref());
        self.client.transport().data(&call)
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
    pub fn update(&self, id: &str, request: UpdateManagedAccount) -> Result<ManagedAccount> {
        let path = account_path(id, "")?;
        self.client
            .transport()
            .data(&Call::patch(&path).json(&request)?)
    }

    /// Disable and enable: `client.managed_accounts().actions().disable(id)`.
    pub fn actions(&self) -> ManagedAccountActions {
        ManagedAccountActions::new(self.client.clone())
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
    pub fn update_global_channel_limit(
        &self,
        id: &str,
        request: UpdateGlobalChannelLimit,
    ) -> Result<GlobalChannelLimit> {
        let path = account_path(id, "/update_global_channel_limit")?;
        self.client
            .transport()
            .data(&Call::patch(&path).json(&request)?)
    }
}

/// Status filter of [`ListManagedAccounts::status`] (`filter[status][eq]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Sort order of [`ListManagedAccounts::sort`]. Without one, the API sorts by
/// creation time, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ManagedAccountSort {
    /// `created_at`: oldest first.
    CreatedAt,
    /// `-created_at`: newest first.
    CreatedAtDesc,
    /// `email`: A to Z.
    Email,
    /// `-email`: Z to A.
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
    pub fn new() -> Self {
        Self::default()
    }

    /// `filter[email][contains]`: email contains this text (case-insensitive, at least 3 characters).
    pub fn email_contains(mut self, value: impl Into<String>) -> Self {
        self.email_contains = Some(value.into());
        self
    }

    /// `filter[email][eq]`: email is exactly this.
    pub fn email_eq(mut self, value: impl Into<String>) -> Self {
        self.email_eq = Some(value.into());
        self
    }

    /// `filter[organization_name][contains]`: organization name contains this text
    /// (case-insensitive, at least 3 characters).
    pub fn organization_name_contains(mut self, value: impl Into<String>) -> Self {
        self.organization_name_contains = Some(value.into());
        self
    }

    /// `filter[organization_name][eq]`: organization name is exactly this.
    pub fn organization_name_eq(mut self, value: impl Into<String>) -> Self {
        self.organization_name_eq = Some(value.into());
        self
    }

    /// `filter[status][eq]`: only accounts in this state.
    pub fn status(mut self, status: ManagedAccountStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// `include_cancelled_accounts`: also list cancelled accounts.
    pub fn include_cancelled_accounts(mut self, value: bool) -> Self {
        self.include_cancelled_accounts = Some(value);
        self
    }

    /// `sort`: the order of the results.
    pub fn sort(mut self, sort: ManagedAccountSort) -> Self {
        self.sort = Some(sort);
        self
    }

    /// `page[number]`: the first page to fetch (from 1).
    pub fn page_number(mut self, number: u32) -> Self {
        self.page_number = Some(number);
        self
    }

    /// `page[size]`: items per page, 1 to 250 (the API's default is 20).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    fn to_query(&self) -> Vec<(&'static str, String)> {
        set_params([
            ("filter[email][contains]", self.email_contains.clone()),
            ("filter[email][eq]", self.email_eq.clone()),
            (
                "filter[organization_name][contains]",
                self.organization_name_contains.clone(),
            ),
            (
                "filter[organization_name][eq]",
                self.organization_name_eq.clone(),
            ),
            (
                "filter[status][eq]",
                self.status.map(|s| s.as_str().to_owned()),
            ),
            (
                "include_cancelled_accounts",
                self.include_cancelled_accounts.map(|b| b.to_string()),
            ),
            ("sort", self.sort.map(|s| s.as_str().to_owned())),
            ("page[number]", self.page_number.map(|n| n.to_string())),
            ("page[size]", self.page_size.map(|n| n.to_string())),
        ])
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateManagedAccount {
    business_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::secret::serialize_exposed"
    )]
    password: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_account_allow_custom_pricing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rollup_billing: Option<bool>,
}

impl CreateManagedAccount {
    /// A new account for this business; it becomes the account's organization name.
    pub fn new(business_name: impl Into<String>) -> Self {
        CreateManagedAccount {
            business_name: business_name.into(),
            ..Self::default()
        }
    }

    /// The account's email; without it Telnyx derives one from the manager's email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// A password for signing in to the portal; without it the account cannot sign in directly.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(Secret::new(password));
        self
    }

    /// Whether custom pricing may be set for the account (default false).
    pub fn managed_account_allow_custom_pricing(mut self, value: bool) -> Self {
        self.managed_account_allow_custom_pricing = Some(value);
        self
    }

    /// Whether charges roll up to the manager's balance (default false; fixed after creation).
    pub fn rollup_billing(mut self, value: bool) -> Self {
        self.rollup_billing = Some(value);
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
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether custom pricing may be set for the account.
    pub fn managed_account_allow_custom_pricing(mut self, value: bool) -> Self {
        self.managed_account_allow_custom_pricing = Some(value);
        self
    }
}

/// Body of [`ManagedAccounts::update_global_channel_limit`]. Sends `{}` when nothing is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateGlobalChannelLimit {
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_limit: Option<u32>,
}

impl UpdateGlobalChannelLimit {
    /// Nothing to change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Channels allocated to the account; 0 disables outbound calling.
    pub fn channel_limit(mut self, limit: u32) -> Self {
        self.channel_limit = Some(limit);
        self
    }
}
