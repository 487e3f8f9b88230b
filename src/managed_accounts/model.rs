//! Response models of the managed-accounts endpoints.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// A managed account.
///
/// `list` items carry no `api_key`, `api_token` or `balance`; single-account
/// answers (`create`, `retrieve`, `update`, the actions) carry all three.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A managed account's balance. Amounts are decimal strings, as the API sends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Allocatable global outbound channels of the manager account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The global outbound channel limit of one managed account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
