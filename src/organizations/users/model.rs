//! Response models of the organization-users endpoints.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A user of your organization. The spec marks no field required, so each is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationUser {
    /// Identifies the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `organization_owner` or `organization_sub_user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// The user's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the user is enabled, disabled or blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_status: Option<UserStatus>,
    /// ISO 8601 creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// ISO 8601 time of the last portal sign-in; `None` if never (or not sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<String>,
    /// Whether the user may bypass SSO and sign in with a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_bypasses_sso: Option<bool>,
    /// The user's groups; sent only when `include_groups` was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<UserGroup>>,
}

/// One row of the groups report: a user with their groups always present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupsReportEntry {
    /// Identifies the user.
    pub id: String,
    /// `organization_owner` or `organization_sub_user`.
    pub record_type: String,
    /// The user's email address.
    pub email: String,
    /// Whether the user is enabled, disabled or blocked.
    pub user_status: UserStatus,
    /// ISO 8601 creation time.
    pub created_at: String,
    /// The user's groups.
    pub groups: Vec<UserGroup>,
    /// ISO 8601 time of the last portal sign-in; `None` if never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<String>,
    /// Whether the user may bypass SSO and sign in with a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_bypasses_sso: Option<bool>,
}

/// A group a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserGroup {
    /// The group's id.
    pub id: String,
    /// The group's name.
    pub name: String,
}

/// An organization user's status. Values this crate does not know yet decode
/// as [`UserStatus::Other`] instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserStatus {
    /// `enabled`
    Enabled,
    /// `disabled`
    Disabled,
    /// `blocked`
    Blocked,
    /// A value added to the API after this crate was released. Do not send it as a filter.
    Other(String),
}

impl UserStatus {
    /// The value on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            UserStatus::Enabled => "enabled",
            UserStatus::Disabled => "disabled",
            UserStatus::Blocked => "blocked",
            UserStatus::Other(other) => other,
        }
    }
}

impl From<&str> for UserStatus {
    fn from(value: &str) -> Self {
        match value {
            "enabled" => UserStatus::Enabled,
            "disabled" => UserStatus::Disabled,
            "blocked" => UserStatus::Blocked,
            other => UserStatus::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for UserStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UserStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(UserStatus::from(value.as_ref()))
    }
}
