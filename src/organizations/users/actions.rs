//! `client.organizations().users().actions()`: remove.

use crate::client::Telnyx;
use crate::error::Result;
use crate::organizations::users::{OrganizationUser, user_path};
use crate::transport::Call;

/// Actions on organization users. Get it from
/// [`Users::actions`](crate::organizations::users::Users::actions).
#[derive(Debug, Clone)]
pub struct UserActions {
    client: Telnyx,
}

impl UserActions {
    pub(crate) fn new(client: Telnyx) -> Self {
        UserActions { client }
    }

    /// Removes a user from your organization and returns it. Sends no body.
    ///
    /// `POST /organizations/users/{id}/actions/remove`
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let removed = client.organizations().users().actions().remove("6a09cdc3-8948-47f0-aa62-74ac943d6c58")?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) with
    /// [`ErrorKind::InvalidId`](crate::ErrorKind::InvalidId) for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`](crate::Error::Connection),
    /// [`Error::Timeout`](crate::Error::Timeout), [`Error::RateLimited`](crate::Error::RateLimited) or [`Error::Api`](crate::Error::Api) when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound)), and [`Error::Decode`](crate::Error::Decode)
    /// when a 2xx body is not what the spec describes.
    pub fn remove(&self, id: &str) -> Result<OrganizationUser> {
        let path = user_path(id, "/actions/remove")?;
        self.client.transport().data(&Call::post(&path))
    }
}
