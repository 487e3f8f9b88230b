//! Creating a managed account exactly once: [`ManagedAccounts::create_or_find`].
//!
//! A create whose answer was lost may or may not have made the account, and
//! sending it again could make a second one (and a second bill). The email is
//! the account's identity here: the API refuses a second account with an email
//! already taken, and `filter[email][eq]` finds the first. So an unknown
//! outcome is resolved by looking the email up, never by sending blindly.

use std::time::Duration;

use ureq::http::{HeaderName, HeaderValue};

use super::{
    CreateBody, CreateManagedAccount, ListManagedAccounts, ManagedAccount, ManagedAccounts, PATH,
};
use crate::client::Telnyx;
use crate::error::{Error, InvalidRequestKind, OutcomeUnknownError, RequestOutcome, Result};
use crate::transport::Call;

/// Default of [`ProvisionOptions::visibility_wait`].
const DEFAULT_VISIBILITY_WAIT: Duration = Duration::from_secs(5);
/// Default of [`ProvisionOptions::poll_interval`].
const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Most lookups one wait makes, whatever the options say.
const MAX_POLLS: u32 = 100;
/// Longest idempotency key Telnyx accepts.
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// Which way [`ManagedAccounts::create_or_find`] got the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProvisionOutcome {
    /// This call created the account.
    Created,
    /// An account with the email already existed (made earlier, or by another
    /// process racing this one); nothing was created.
    Existing,
    /// A create of this call failed with an unknown outcome, and the account
    /// was then found by its email: most likely that create made it (in a race
    /// it may be another process's). Either way there is one account.
    Recovered,
}

/// The account [`ManagedAccounts::create_or_find`] returns, and how it got it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Provisioned {
    /// The full account, `api_key`, `api_token` and `balance` included (an
    /// account found by a lookup is completed with `retrieve`).
    pub account: ManagedAccount,
    /// Whether it was created, already there, or recovered.
    pub how: ProvisionOutcome,
}

/// How long [`ManagedAccounts::create_or_find_with`] waits for an account to
/// show up in `list` after an ambiguous create (a new account may take a
/// moment to become visible to the email filter).
///
/// ```
/// use std::time::Duration;
/// use telnyx_blocking::managed_accounts::ProvisionOptions;
///
/// let options = ProvisionOptions::new()
///     .visibility_wait(Duration::from_secs(10))
///     .poll_interval(Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct ProvisionOptions {
    visibility_wait: Duration,
    poll_interval: Duration,
}

impl Default for ProvisionOptions {
    fn default() -> Self {
        ProvisionOptions {
            visibility_wait: DEFAULT_VISIBILITY_WAIT,
            poll_interval: DEFAULT_POLL_INTERVAL,
        }
    }
}

impl ProvisionOptions {
    /// A wait of 5 s, looking every 500 ms.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::{
    ///     CreateManagedAccount, ProvisionOptions, ProvisionOutcome,
    /// };
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let request = CreateManagedAccount::new("New Co").email("new@example.com");
    /// let got =
    ///     client.managed_accounts().create_or_find_with(request, ProvisionOptions::new())?;
    /// assert_eq!(got.how, ProvisionOutcome::Created); // no ambiguous create: no wait at all
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to keep looking for the account before giving up (default
    /// 5 s; `Duration::ZERO` looks once). The waits between lookups go
    /// through the client's [`sleep_fn`](crate::TelnyxBuilder::sleep_fn).
    ///
    /// ```
    /// use std::time::Duration;
    /// use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOptions};
    /// use telnyx_blocking::mock::{MockFault, MockRule, MockServer};
    /// let server = MockServer::builder().list_visibility_lag(5).start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// // The create's answer is lost, and the index lags: one look is not enough.
    /// server.fail(MockRule::on("POST", "/managed_accounts"), MockFault::ResetAfterProcessing);
    /// let request = CreateManagedAccount::new("Lost Co").email("lost@example.com");
    /// let options = ProvisionOptions::new().visibility_wait(Duration::ZERO); // look once
    /// let err = client.managed_accounts().create_or_find_with(request, options).unwrap_err();
    /// assert!(matches!(err, telnyx_blocking::Error::OutcomeUnknown(_)), "{err:?}");
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn visibility_wait(mut self, wait: Duration) -> Self {
        self.visibility_wait = wait;
        self
    }

    /// The pause between two lookups (default 500 ms; must not be zero). One
    /// wait makes at most 101 lookups (100 pauses), whatever the two values.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// use std::time::Duration;
    /// use telnyx_blocking::managed_accounts::{
    ///     CreateManagedAccount, ProvisionOptions, ProvisionOutcome,
    /// };
    /// use telnyx_blocking::mock::{MockFault, MockRule, MockServer};
    /// let server = MockServer::builder().list_visibility_lag(2).start();
    /// let waits = Arc::new(Mutex::new(Vec::new())); // the client's `sleep_fn` records here
    /// # let seen = waits.clone();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url())
    /// #     .sleep_fn(move |d| seen.lock().unwrap().push(d)).build()?;
    /// server.fail(MockRule::on("POST", "/managed_accounts"), MockFault::ResetAfterProcessing);
    /// let request = CreateManagedAccount::new("Lost Co").email("lost@example.com");
    /// let options = ProvisionOptions::new().poll_interval(Duration::from_millis(250));
    /// let got = client.managed_accounts().create_or_find_with(request, options)?;
    /// assert_eq!(got.how, ProvisionOutcome::Recovered);
    /// assert_eq!(*waits.lock().unwrap(), [Duration::from_millis(250); 2]); // between 3 lookups
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Lookups after the first one.
    fn polls(&self) -> u32 {
        let interval = self.poll_interval.as_nanos().max(1);
        let polls = self.visibility_wait.as_nanos().div_ceil(interval);
        u32::try_from(polls).unwrap_or(MAX_POLLS).min(MAX_POLLS)
    }
}

/// `POST /managed_accounts`, with the request's `Idempotency-Key` on every attempt.
pub(super) fn create(client: &Telnyx, request: &CreateManagedAccount) -> Result<ManagedAccount> {
    let key = idempotency_header(request)?;
    let mut call = Call::post(PATH)
        .json(&CreateBody::from(request))?
        .creates()
        .secret(request.password.as_ref());
    if let Some(key) = key {
        call = call.header(HeaderName::from_static("idempotency-key"), key);
    }
    client.transport().data(&call)
}

/// The `Idempotency-Key` value, checked: 1 to 255 of `[A-Za-z0-9_:-]`.
fn idempotency_header(request: &CreateManagedAccount) -> Result<Option<HeaderValue>> {
    let Some(key) = &request.idempotency_key else {
        return Ok(None);
    };
    let well_formed = (1..=MAX_IDEMPOTENCY_KEY).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-'));
    // The key is not quoted: a wrong one may hold anything, control characters included.
    let invalid = || {
        Error::invalid_request(
            InvalidRequestKind::InvalidValue,
            "the idempotency key must be 1 to 255 characters of A-Z, a-z, 0-9, '_', ':' and '-'",
        )
    };
    if !well_formed {
        return Err(invalid());
    }
    HeaderValue::from_str(key).map(Some).map_err(|_| invalid())
}

/// The answer when a create's outcome stayed unknown: says so, and carries the
/// create's own error as its source.
fn unresolved(last: Error) -> Error {
    Error::OutcomeUnknown(OutcomeUnknownError::new(last))
}

/// `true` for the API's answer to a create whose email another account has: a
/// 422 about `/email`. (An invalid email is a 422 about `/email` too; the
/// lookup that follows simply finds nothing, and the 422 is returned.)
fn email_taken(error: &Error) -> bool {
    let Error::Api(api) = error else {
        return false;
    };
    api.status() == 422
        && api.errors().iter().any(|detail| {
            detail
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref())
                .is_some_and(|p| p == "/email")
        })
}

impl ManagedAccounts {
    /// Creates the account unless one with its email exists, and survives a
    /// lost answer: the result is one account for the email, whatever the
    /// network did, and a script calling this can simply run again after it
    /// died halfway. [`Provisioned::how`] says whether it was
    /// [created](ProvisionOutcome::Created), already
    /// [there](ProvisionOutcome::Existing) or
    /// [recovered](ProvisionOutcome::Recovered). Uses the default
    /// [`ProvisionOptions`]; see [`create_or_find_with`](ManagedAccounts::create_or_find_with).
    ///
    /// The email is the account's identity, so the request must have one.
    /// The steps:
    ///
    /// 1. Look the email up (`filter[email][eq]`, cancelled accounts included,
    ///    emails compared ignoring ASCII case). Found: return it as *existing*;
    ///    nothing is created.
    /// 2. Create it. Success: *created*.
    /// 3. A failure whose [outcome](crate::Error::outcome) is
    ///    [unknown](crate::RequestOutcome::Unknown) (a reset or timeout after
    ///    sending, a 500, 502 or 504): look the email up again, waiting up to
    ///    [`visibility_wait`](ProvisionOptions::visibility_wait) for the
    ///    account to appear. Found: *recovered*. Still absent: create again,
    ///    at most [`max_retries`](crate::TelnyxBuilder::max_retries) more
    ///    times in all.
    /// 4. A 422 about the email (taken: another process won the race): look it
    ///    up (with the same wait) and return that account, *existing* (or
    ///    *recovered* after an unknown outcome) instead of the error.
    /// 5. Any other failure of a create (a 422 about another field, a 429 or
    ///    503 the client's retries did not get past, a refused connection) is
    ///    returned: the server did not act on it.
    ///
    /// A found account comes from `list`, which omits `api_key`, `api_token`
    /// and `balance`, so it is completed with a `retrieve`: the caller always
    /// gets the full [`ManagedAccount`]. It may be disabled or cancelled (its
    /// email is still taken); the account object carries no status, so use
    /// [`list`](ManagedAccounts::list) with a status filter to tell.
    ///
    /// The request's [`idempotency_key`](CreateManagedAccount::idempotency_key),
    /// if set, goes on every create this call sends.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOutcome};
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    ///
    /// let request = CreateManagedAccount::new("Larry's Cat Food Inc").email("larry@example.com");
    /// let first = client.managed_accounts().create_or_find(request.clone())?;
    /// assert_eq!(first.how, ProvisionOutcome::Created);
    /// let again = client.managed_accounts().create_or_find(request)?;
    /// assert_eq!(again.how, ProvisionOutcome::Existing);
    /// assert_eq!(again.account.id, first.account.id);
    /// assert!(again.account.api_key.is_some(), "completed with a retrieve");
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`] before any I/O: no email
    ///   ([`MissingField`](crate::InvalidRequestKind::MissingField)), a
    ///   malformed idempotency key or a zero poll interval
    ///   ([`InvalidValue`](crate::InvalidRequestKind::InvalidValue)).
    /// - [`Error::OutcomeUnknown`]: a create's outcome stayed unknown (the
    ///   account did not show up within the wait, or a lookup failed), after
    ///   the retry budget; its [`last_error`](crate::OutcomeUnknownError::last_error)
    ///   is that create's error, and [`outcome()`](Error::outcome) is
    ///   [`RequestOutcome::Unknown`]. The account may exist: call this again
    ///   later; it never creates a second one while the API keeps emails unique.
    /// - Any other error of the first lookup or of a create the server did not
    ///   act on ([`RequestOutcome::NotProcessed`]): nothing was created by this call.
    pub fn create_or_find(&self, request: CreateManagedAccount) -> Result<Provisioned> {
        self.create_or_find_with(request, ProvisionOptions::default())
    }

    /// [`create_or_find`](ManagedAccounts::create_or_find) with a chosen wait
    /// for the account to become visible after an ambiguous create.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOptions};
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    ///
    /// let provisioned = client.managed_accounts().create_or_find_with(
    ///     CreateManagedAccount::new("Initech EU").email("eu@initech.example.org"),
    ///     ProvisionOptions::new().visibility_wait(Duration::from_secs(30)),
    /// )?;
    /// println!("{:?} {}", provisioned.how, provisioned.account.id);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`create_or_find`](ManagedAccounts::create_or_find).
    pub fn create_or_find_with(
        &self,
        request: CreateManagedAccount,
        options: ProvisionOptions,
    ) -> Result<Provisioned> {
        let email = match request.email.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => email.to_owned(),
            _ => {
                return Err(Error::invalid_request(
                    InvalidRequestKind::MissingField,
                    "create_or_find needs the account's email: it is how an existing account is found",
                ));
            }
        };
        idempotency_header(&request)?;
        if options.poll_interval.is_zero() {
            return Err(Error::invalid_request(
                InvalidRequestKind::InvalidValue,
                "the poll interval of ProvisionOptions must not be zero",
            ));
        }
        if let Some(found) = self.find(&email, false)? {
            return self.complete(found, ProvisionOutcome::Existing, None);
        }
        let budget = self.client.transport().max_retries();
        // The last create error whose outcome is unknown. While there is one,
        // it is the answer whenever the account cannot be found: the caller
        // must not read a later, clearer failure as "nothing was created".
        let mut unknown: Option<Error> = None;
        let mut creates_again = 0u32;
        loop {
            let error = match create(&self.client, &request) {
                Ok(account) => {
                    return Ok(Provisioned {
                        account,
                        how: ProvisionOutcome::Created,
                    });
                }
                Err(error) => error,
            };
            if error.outcome() == RequestOutcome::Unknown {
                match self.wait_for(&email, options, false) {
                    Ok(Some(found)) => {
                        return self.complete(found, ProvisionOutcome::Recovered, Some(error));
                    }
                    Ok(None) if creates_again < budget => {
                        creates_again += 1;
                        unknown = Some(error);
                        continue;
                    }
                    // Still not visible, or a lookup failed: still unknown.
                    Ok(None) | Err(_) => return Err(unresolved(error)),
                }
            }
            if !email_taken(&error) {
                // The server did not act on this one; an earlier unknown
                // outcome still stands.
                return Err(unknown.map_or(error, unresolved));
            }
            // The account exists (perhaps not visible yet): find it, never
            // create again.
            let how = if unknown.is_some() {
                ProvisionOutcome::Recovered
            } else {
                ProvisionOutcome::Existing
            };
            return match self.wait_for(&email, options, true) {
                Ok(Some(found)) => self.complete(found, how, unknown),
                Ok(None) => Err(unknown.map_or(error, unresolved)),
                Err(lookup) => Err(unknown.map_or(lookup, unresolved)),
            };
        }
    }

    /// Looks `email` up now, then every poll interval until the wait is over.
    fn wait_for(
        &self,
        email: &str,
        options: ProvisionOptions,
        taken: bool,
    ) -> Result<Option<ManagedAccount>> {
        let polls = options.polls();
        for poll in 0..=polls {
            if let Some(found) = self.find(email, taken)? {
                return Ok(Some(found));
            }
            if poll < polls {
                self.client.transport().sleep(options.poll_interval);
            }
        }
        Ok(None)
    }

    /// The listed account whose email is `email`, ignoring ASCII case.
    ///
    /// `taken`: the API said the email is taken. If the exact-match filter
    /// finds nothing, the API may compare emails with another case rule than
    /// its uniqueness check does, so a `contains` lookup gets a second chance.
    fn find(&self, email: &str, taken: bool) -> Result<Option<ManagedAccount>> {
        let exact = ListManagedAccounts::new()
            .email_eq(email)
            .include_cancelled_accounts(true)
            .page_size(250);
        if let Some(found) = self.first_with_email(exact, email)? {
            return Ok(Some(found));
        }
        if !taken {
            return Ok(None);
        }
        let loose = ListManagedAccounts::new()
            .email_contains(email)
            .include_cancelled_accounts(true)
            .page_size(250);
        self.first_with_email(loose, email)
    }

    fn first_with_email(
        &self,
        request: ListManagedAccounts,
        email: &str,
    ) -> Result<Option<ManagedAccount>> {
        for account in self.list(request) {
            let account = account?;
            if account.email.trim().eq_ignore_ascii_case(email) {
                return Ok(Some(account));
            }
        }
        Ok(None)
    }

    /// Completes a listed account (no credentials, no balance) with a
    /// `retrieve`. Should that fail after an unknown outcome, the unknown
    /// outcome is the answer.
    fn complete(
        &self,
        listed: ManagedAccount,
        how: ProvisionOutcome,
        unknown: Option<Error>,
    ) -> Result<Provisioned> {
        match self.retrieve(&listed.id) {
            Ok(account) => Ok(Provisioned { account, how }),
            Err(error) => Err(unknown.map_or(error, unresolved)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_are_bounded() {
        let polls = |wait_ms, every_ms| {
            ProvisionOptions::new()
                .visibility_wait(Duration::from_millis(wait_ms))
                .poll_interval(Duration::from_millis(every_ms))
                .polls()
        };
        assert_eq!(ProvisionOptions::new().polls(), 10);
        assert_eq!(polls(0, 500), 0);
        assert_eq!(polls(1_000, 300), 4);
        assert_eq!(polls(3_600_000, 1), MAX_POLLS);
        assert_eq!(
            ProvisionOptions::new()
                .visibility_wait(Duration::MAX)
                .poll_interval(Duration::from_nanos(1))
                .polls(),
            MAX_POLLS
        );
    }
}
