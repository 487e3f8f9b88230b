//! Users of your organization: list, retrieve, remove, and the groups report.

mod model;

pub use self::model::{GroupsReportEntry, OrganizationUser, UserGroup, UserStatus};

use crate::client::Telnyx;
use crate::error::{Error, Result};
use crate::pagination::{ListQuery, Paginator};
use crate::transport::{Call, Query, item_path, set_params};
use crate::wire::setters;

const PATH: &str = "organizations/users";
const REPORT_PATH: &str = "organizations/users/users_groups_report";

/// The organization-users endpoints. Get it from
/// [`Organizations::users`](crate::organizations::Organizations::users).
#[derive(Debug, Clone)]
pub struct Users(pub(super) Telnyx);

impl Users {
    /// Lists the users of your organization, fetching pages lazily.
    /// Nothing is sent until the first item is asked for. Each item is a
    /// `Result`: a failed page fetch yields the same errors as any other call,
    /// a list stopped by a guard yields [`Error::Pagination`],
    /// and iteration ends after an error.
    ///
    /// `GET /organizations/users`
    ///
    /// ```no_run
    /// use telnyx_blocking::organizations::users::{ListOrganizationUsers, UserStatus};
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let users = client.organizations().users();
    /// for user in users.list(ListOrganizationUsers::new().user_status(UserStatus::Enabled).include_groups(true)) {
    ///     let user = user?;
    ///     println!("{:?} {:?}", user.email, user.groups);
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn list(&self, request: ListOrganizationUsers) -> Paginator<OrganizationUser> {
        Paginator::new(&self.0, PATH, request.to_query(), |u| u.id.as_deref())
    }

    /// Retrieves one user.
    ///
    /// `GET /organizations/users/{id}`
    ///
    /// ```no_run
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let user = client.organizations().users().retrieve(
    ///     "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
    ///     RetrieveOrganizationUser::new().include_groups(true),
    /// )?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`](crate::ErrorKind::InvalidId) for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn retrieve(
        &self,
        id: &str,
        request: RetrieveOrganizationUser,
    ) -> Result<OrganizationUser> {
        let path = item_path(PATH, "organization user id", id, "")?;
        let query = request.to_query();
        self.0.transport().data(&Call::get(&path).query(&query))
    }

    /// Remove: `client.organizations().users().actions().remove(id)`.
    pub fn actions(&self) -> UserActions {
        UserActions(self.0.clone())
    }

    /// Every user with their groups, unpaginated, as JSON (`Accept: application/json`).
    ///
    /// `GET /organizations/users/users_groups_report`
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// for entry in client.organizations().users().get_groups_report()? {
    ///     let groups: Vec<&str> = entry.groups.iter().map(|g| g.name.as_str()).collect();
    ///     println!("{}: {}", entry.email, groups.join(", "));
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Connection`], [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`]
    /// when the call fails (a 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn get_groups_report(&self) -> Result<Vec<GroupsReportEntry>> {
        self.0.transport().data(&Call::get(REPORT_PATH))
    }

    /// The same report as CSV text (`Accept: text/csv`), returned verbatim:
    /// columns `id,email,user_status,created_at,last_sign_in_at,groups`.
    /// An error answer is still a typed [`Error`].
    ///
    /// `GET /organizations/users/users_groups_report`
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let csv = client.organizations().users().get_groups_report_csv()?;
    /// std::fs::write("groups.csv", csv).expect("write groups.csv");
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for every call; a body that is not UTF-8 is [`Error::Decode`]. Otherwise
    /// [`Error::Connection`], [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`]
    /// when the call fails (a 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn get_groups_report_csv(&self) -> Result<String> {
        let call = Call::get(REPORT_PATH).accept("text/csv");
        let body = self.0.transport().send(&call)?;
        String::from_utf8(body).map_err(|_| Error::decode("the CSV report is not valid UTF-8"))
    }
}

/// Actions on organization users. Get it from
/// [`Users::actions`](crate::organizations::users::Users::actions).
#[derive(Debug, Clone)]
pub struct UserActions(Telnyx);

impl UserActions {
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
    /// [`Error::InvalidRequest`] with
    /// [`ErrorKind::InvalidId`](crate::ErrorKind::InvalidId) for an
    /// empty, `.` or `..` id, before anything is sent; [`Error::Connection`],
    /// [`Error::Timeout`], [`Error::RateLimited`] or [`Error::Api`] when the call fails (a
    /// 404 for an unknown id is `Error::Api` with
    /// `ErrorKind::NotFound`), and [`Error::Decode`]
    /// when a 2xx body is not what the spec describes.
    pub fn remove(&self, id: &str) -> Result<OrganizationUser> {
        let path = item_path(PATH, "organization user id", id, "/actions/remove")?;
        self.0.transport().data(&Call::post(&path))
    }
}

/// Filters and paging of [`Users::list`]. Only what you set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizationUsers {
    email_contains: Option<String>,
    user_status: Option<UserStatus>,
    include_groups: Option<bool>,
    page_number: Option<u32>,
    page_size: Option<u32>,
}

impl ListOrganizationUsers {
    /// No filters: every user.
    ///
    /// ```
    /// use telnyx_blocking::organizations::users::ListOrganizationUsers;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let request = ListOrganizationUsers::new();
    /// let users: Vec<_> =
    ///     client.organizations().users().list(request).collect::<Result<_, _>>()?;
    /// assert_eq!(users.len(), 3);
    /// assert_eq!(server.requests()[0].query, ""); // nothing set, nothing sent
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// `filter[email]`: email contains this text (the spec's "partial match").
        /// Named like [`ListManagedAccounts::email_contains`](crate::managed_accounts::ListManagedAccounts::email_contains);
        /// this endpoint has no exact-match filter.
        ///
        /// ```
        /// use telnyx_blocking::organizations::users::ListOrganizationUsers;
        ///
        /// let request = ListOrganizationUsers::new().email_contains("@example.com");
        /// ```
        email_contains: impl Into<String>;

        /// `filter[user_status]`: only users with this status.
        ///
        /// ```
        /// use telnyx_blocking::organizations::users::{ListOrganizationUsers, UserStatus};
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListOrganizationUsers::new().user_status(UserStatus::Disabled);
        /// let users: Vec<_> =
        ///     client.organizations().users().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(users[0].email.as_deref(), Some("sales@example.com"));
        /// let query = server.requests().remove(0).query_pairs();
        /// assert_eq!(query, [("filter[user_status]".into(), "disabled".into())]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        user_status: UserStatus;

        /// `include_groups`: add each user's `groups`.
        ///
        /// ```
        /// use telnyx_blocking::organizations::users::ListOrganizationUsers;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListOrganizationUsers::new().email_contains("dev@").include_groups(true);
        /// let dev = client.organizations().users().list(request).next().expect("one user")?;
        /// let groups: Vec<String> =
        ///     dev.groups.unwrap_or_default().into_iter().map(|g| g.name).collect();
        /// assert_eq!(groups, ["Engineering", "Sales"]);
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        include_groups: bool;

        /// `page[number]`: the first page to fetch (from 1). A `u32` in requests;
        /// [`PageMeta::page_number`](crate::pagination::PageMeta::page_number), what
        /// the server reports, is an `i64` because the server may send any integer.
        ///
        /// ```
        /// use telnyx_blocking::organizations::users::ListOrganizationUsers;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListOrganizationUsers::new().page_size(2).page_number(2);
        /// let users: Vec<_> =
        ///     client.organizations().users().list(request).collect::<Result<_, _>>()?;
        /// assert_eq!(users.len(), 1); // the third of three users, two per page
        /// assert!(server.requests()[0].query_pairs().contains(&("page[number]".into(), "2".into())));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        page_number: u32;

        /// `page[size]`: users per page, 1 to 250 (the API's default is 250).
        ///
        /// ```
        /// use telnyx_blocking::organizations::users::ListOrganizationUsers;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let request = ListOrganizationUsers::new().page_size(2);
        /// let mut pages = client.organizations().users().list(request).pages();
        /// let first = pages.next().expect("a first page")?;
        /// assert_eq!(first.data.len(), 2);
        /// assert_eq!(first.meta.total_pages, Some(2));
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        page_size: u32;
    }

    fn to_query(&self) -> ListQuery {
        let status = self.user_status.as_ref().map(UserStatus::to_string);
        let filters = set_params([
            ("filter[email]", self.email_contains.clone()),
            ("filter[user_status]", status),
            ("include_groups", self.include_groups.map(|b| b.to_string())),
        ]);
        (filters, (self.page_number, self.page_size))
    }
}

/// Options of [`Users::retrieve`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct RetrieveOrganizationUser {
    include_groups: Option<bool>,
}

impl RetrieveOrganizationUser {
    /// No options.
    ///
    /// ```
    /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let dev = "4e8a1c6f-3d2b-4f95-a7c0-8b1e5d9f2c36";
    /// let user = client.organizations().users().retrieve(dev, RetrieveOrganizationUser::new())?;
    /// assert_eq!(user.email.as_deref(), Some("dev@example.com"));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// `include_groups`: add the user's `groups`.
        ///
        /// ```
        /// use telnyx_blocking::organizations::users::RetrieveOrganizationUser;
        /// # let server = telnyx_blocking::mock::MockServer::start();
        /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
        /// let dev = "4e8a1c6f-3d2b-4f95-a7c0-8b1e5d9f2c36";
        /// let request = RetrieveOrganizationUser::new().include_groups(true);
        /// let user = client.organizations().users().retrieve(dev, request)?;
        /// assert_eq!(user.groups.map(|groups| groups.len()), Some(2)); // Engineering, Sales
        /// # Ok::<(), telnyx_blocking::Error>(())
        /// ```
        include_groups: bool;
    }

    fn to_query(&self) -> Query {
        set_params([("include_groups", self.include_groups.map(|b| b.to_string()))])
    }
}
