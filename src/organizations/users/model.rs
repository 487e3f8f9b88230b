//! Response models of the organization-users endpoints.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::wire;

/// A user of your organization. The spec marks no field required, so each is optional.
///
/// To build one in your own tests, start from [`OrganizationUser::new`] and set
/// the public fields you need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

impl OrganizationUser {
    /// A user with this id, email and status; every other field is `None`.
    ///
    /// ```
    /// use telnyx_blocking::organizations::users::{OrganizationUser, UserGroup, UserStatus};
    ///
    /// let mut user = OrganizationUser::new("6a09cdc3-8948-47f0-aa62-74ac943d6c58", "dev@example.com", UserStatus::Enabled);
    /// user.groups = Some(vec![UserGroup::new("4e1a2b3c-0000-4000-8000-000000000001", "Developers")]);
    /// assert_eq!(user.email.as_deref(), Some("dev@example.com"));
    /// assert_eq!(user.last_sign_in_at, None);
    /// ```
    pub fn new(id: impl Into<String>, email: impl Into<String>, user_status: UserStatus) -> Self {
        OrganizationUser {
            id: Some(id.into()),
            email: Some(email.into()),
            user_status: Some(user_status),
            ..Self::default()
        }
    }
}

/// One row of the groups report: a user with their groups always present.
///
/// To build one in your own tests, start from [`GroupsReportEntry::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

impl GroupsReportEntry {
    /// A row for this user and these groups. The other required fields get
    /// placeholders: `record_type` is `"organization_sub_user"` and
    /// `created_at` is an empty string; the optional fields are `None`.
    ///
    /// ```
    /// use telnyx_blocking::organizations::users::{GroupsReportEntry, UserGroup, UserStatus};
    ///
    /// let mut entry = GroupsReportEntry::new(
    ///     "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
    ///     "dev@example.com",
    ///     UserStatus::Enabled,
    ///     vec![UserGroup::new("4e1a2b3c-0000-4000-8000-000000000001", "Developers")],
    /// );
    /// entry.record_type = "organization_owner".to_owned();
    /// assert_eq!(entry.groups[0].name, "Developers");
    /// ```
    pub fn new(
        id: impl Into<String>,
        email: impl Into<String>,
        user_status: UserStatus,
        groups: Vec<UserGroup>,
    ) -> Self {
        GroupsReportEntry {
            id: id.into(),
            record_type: "organization_sub_user".to_owned(),
            email: email.into(),
            user_status,
            created_at: String::new(),
            groups,
            last_sign_in_at: None,
            organization_user_bypasses_sso: None,
        }
    }
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

impl UserGroup {
    /// The group with this id and name.
    ///
    /// ```
    /// use telnyx_blocking::organizations::users::UserGroup;
    ///
    /// let group = UserGroup::new("4e1a2b3c-0000-4000-8000-000000000001", "Developers");
    /// assert_eq!(group.name, "Developers");
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        UserGroup {
            id: id.into(),
            name: name.into(),
        }
    }
}

/// An organization user's status. Values this crate does not know yet decode
/// as [`UserStatus::Other`] instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UserStatus {
    /// `enabled`
    Enabled,
    /// `disabled`
    Disabled,
    /// `blocked`
    Blocked,
    /// A value added to the API after this crate was released. Do not send it as a filter.
    #[serde(untagged)]
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
        // Cannot fail: serde falls back on the untagged `Other`.
        wire::parse(value, "user status").unwrap_or_else(|_| UserStatus::Other(value.to_owned()))
    }
}

/// Never fails: an unknown value is [`UserStatus::Other`].
///
/// ```
/// use telnyx_blocking::organizations::users::UserStatus;
///
/// assert_eq!("blocked".parse(), Ok(UserStatus::Blocked));
/// assert_eq!("paused".parse(), Ok(UserStatus::Other("paused".to_owned())));
/// ```
impl FromStr for UserStatus {
    type Err = Infallible;
    fn from_str(value: &str) -> Result<Self, Infallible> {
        Ok(UserStatus::from(value))
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
