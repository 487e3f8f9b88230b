//! `client.managed_accounts().actions()`: disable and enable.

use serde::Serialize;

use crate::client::Telnyx;
use crate::error::Result;
use crate::managed_accounts::{ManagedAccount, account_path};
use crate::transport::Call;
use crate::wire::setters;

/// Disable and enable managed accounts. Get it from
/// [`ManagedAccounts::actions`](crate::managed_accounts::ManagedAccounts::actions).
#[derive(Debug, Clone)]
pub struct ManagedAccountActions {
    client: Telnyx,
}

impl ManagedAccountActions {
    pub(crate) fn new(client: Telnyx) -> Self {
        ManagedAccountActions { client }
    }

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
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) with
    /// [`InvalidRequestKind::InvalidId`](crate::InvalidRequestKind::InvalidId) for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`](crate::Error::Connection),
    /// [`Error::Timeout`](crate::Error::Timeout), [`Error::RateLimited`](crate::Error::RateLimited) or [`Error::Api`](crate::Error::Api) when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// [`ApiErrorKind::NotFound`](crate::ApiErrorKind::NotFound)), and [`Error::Decode`](crate::Error::Decode)
    /// when a 2xx body is not what the spec describes.
    pub fn disable(&self, id: &str) -> Result<ManagedAccount> {
        let path = account_path(id, "/actions/disable")?;
        self.client.transport().data(&Call::post(&path))
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
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) with
    /// [`InvalidRequestKind::InvalidId`](crate::InvalidRequestKind::InvalidId) for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`](crate::Error::Connection),
    /// [`Error::Timeout`](crate::Error::Timeout), [`Error::RateLimited`](crate::Error::RateLimited) or [`Error::Api`](crate::Error::Api) when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// [`ApiErrorKind::NotFound`](crate::ApiErrorKind::NotFound)), and [`Error::Decode`](crate::Error::Decode)
    /// when a 2xx body is not what the spec describes.
    pub fn enable(&self, id: &str, request: EnableManagedAccount) -> Result<ManagedAccount> {
        let path = account_path(id, "/actions/enable")?;
        self.client
            .transport()
            .data(&Call::post(&path).json(&request)?)
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
