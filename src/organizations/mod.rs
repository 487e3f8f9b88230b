//! Organization resources. Only users are covered: `client.organizations().users()`.

pub mod users;

use crate::client::Telnyx;

/// Organization resources. Get it from [`Telnyx::organizations`].
#[derive(Debug, Clone)]
pub struct Organizations(Telnyx);

impl Organizations {
    pub(crate) fn new(client: Telnyx) -> Self {
        Organizations(client)
    }

    /// The users of your organization.
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let users = client.organizations().users();
    /// for user in users.list(Default::default()) {
    ///     println!("{:?}", user?.email);
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn users(&self) -> users::Users {
        users::Users(self.0.clone())
    }
}
