//! Response models of the managed-accounts endpoints.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// A managed account.
///
/// `list` items carry no `api_key`, `api_token` or `balance`; single-account
/// answers (`create`, `retrieve`, `update`, the actions) carry all three.
///
/// The API reports no status on the account itself: whether it is enabled,
/// disabled or blocked is learnt by listing with
/// [`ListManagedAccounts::status`](crate::managed_accounts::ListManagedAccounts::status).
///
/// To build one in your own tests, start from [`ManagedAccount::new`] and set
/// the public fields you need.
/// (`Default` is all empty; `new` fills in the `record_type`.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ManagedAccount {
    /// Uniquely identifies the managed account (a UUID).
    pub id: String,
    /// Always `"managed_account"`.
    pub record_type: String,
    /// The managed account's email.
    pub email: String,
    /// The manager account's email, which serves as the V1 API user identifier.
    pub api_user: String,
    /// The ID of the manager account.
    pub manager_account_id: String,
    /// ISO 8601 creation time.
    pub created_at: String,
    /// ISO 8601 time of the last update.
    pub updated_at: String,
    /// The managed account's V2 API key (not in list items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
    /// The managed account's V1 API token (not in list items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_token: Option<Secret>,
    /// The account's balance (not in list items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Balance>,
    /// Whether custom pricing may be set for the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_account_allow_custom_pricing: Option<bool>,
    /// The organization the managed account belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    /// Whether charges roll up to the manager account's balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup_billing: Option<bool>,
}

impl ManagedAccount {
    /// An account with this id and email, for your own tests. The other
    /// required fields get placeholders: `record_type` is `"managed_account"`,
    /// `api_user`, `manager_account_id`, `created_at` and `updated_at` are
    /// empty strings; every optional field is `None`. Set any of them directly.
    ///
    /// ```
    /// use telnyx_blocking::Secret;
    /// use telnyx_blocking::managed_accounts::{Balance, ManagedAccount};
    ///
    /// let mut account = ManagedAccount::new("f65ceda4-6522-4ad6-aede-98de83385123", "larry@example.com");
    /// account.organization_name = Some("Larry's Cat Food Inc".to_owned());
    /// account.api_key = Some(Secret::new("KEY_EXAMPLE_SUBACCOUNT"));
    /// account.balance = Some(Balance::new());
    /// assert_eq!(account.record_type, "managed_account");
    /// assert_eq!(account.created_at, "");
    /// ```
    pub fn new(id: impl Into<String>, email: impl Into<String>) -> Self {
        ManagedAccount {
            id: id.into(),
            record_type: "managed_account".to_owned(),
            email: email.into(),
            ..Self::default()
        }
    }
}

/// A managed account's balance. Amounts are decimal strings, as the API sends them.
///
/// Build one with [`Balance::new`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Balance {
    /// Available amount to spend (balance + credit limit), e.g. `"400.00"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_credit: Option<String>,
    /// The current balance, e.g. `"300.00"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<String>,
    /// The credit limit, e.g. `"100.00"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<String>,
    /// ISO 4217 currency, e.g. `"USD"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Always `"balance"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
}

impl Balance {
    /// A balance with every field `None`; set the ones you need.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::Balance;
    ///
    /// let mut balance = Balance::new();
    /// balance.balance = Some("300.00".to_owned());
    /// balance.currency = Some("USD".to_owned());
    /// assert_eq!(balance.available_credit, None);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

/// Allocatable global outbound channels of the manager account.
///
/// Build one with [`AllocatableGlobalOutboundChannels::new`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllocatableGlobalOutboundChannels {
    /// Channels available to allocate (0 when the feature is off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocatable_global_outbound_channels: Option<i64>,
    /// Present in the API's schema; its meaning here is not documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_account_allow_custom_pricing: Option<bool>,
    /// The type of the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// Channels allocated across all managed accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_global_channels_allocated: Option<i64>,
}

impl AllocatableGlobalOutboundChannels {
    /// `allocatable` channels left and `allocated` across all managed accounts;
    /// the other fields are `None`.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::AllocatableGlobalOutboundChannels;
    ///
    /// let channels = AllocatableGlobalOutboundChannels::new(70, 30);
    /// assert_eq!(channels.allocatable_global_outbound_channels, Some(70));
    /// assert_eq!(channels.total_global_channels_allocated, Some(30));
    /// ```
    pub fn new(allocatable: i64, allocated: i64) -> Self {
        AllocatableGlobalOutboundChannels {
            allocatable_global_outbound_channels: Some(allocatable),
            total_global_channels_allocated: Some(allocated),
            ..Self::default()
        }
    }
}

/// The global outbound channel limit of one managed account.
///
/// Build one with [`GlobalChannelLimit::new`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GlobalChannelLimit {
    /// Channels allocated to the account (0 means no outbound calling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_limit: Option<i64>,
    /// The managed account's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The managed account's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The manager account's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_account_id: Option<String>,
    /// The type of the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
}

impl GlobalChannelLimit {
    /// The limit of the account with this id; the other fields are `None`.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::GlobalChannelLimit;
    ///
    /// let mut limit = GlobalChannelLimit::new("f65ceda4-6522-4ad6-aede-98de83385123", 30);
    /// limit.email = Some("larry@example.com".to_owned());
    /// assert_eq!(limit.channel_limit, Some(30));
    /// ```
    pub fn new(id: impl Into<String>, channel_limit: i64) -> Self {
        GlobalChannelLimit {
            id: Some(id.into()),
            channel_limit: Some(channel_limit),
            ..Self::default()
        }
    }
}
