//! Creating managed accounts exactly once: [`ManagedAccounts::create_or_find`]
//! for one, [`ManagedAccounts::create_or_find_all`] for a batch.
//!
//! A create whose answer was lost may or may not have made the account, and
//! sending it again could make a second one (and a second bill). The email is
//! the account's identity here: the API refuses a second account with an email
//! already taken, and `filter[email][eq]` finds the first. So an unknown
//! outcome is resolved by looking the email up, never by sending blindly.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::panic::resume_unwind;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use ureq::http::{HeaderName, HeaderValue};

use super::{
    CreateBody, CreateManagedAccount, ListManagedAccounts, ManagedAccount, ManagedAccounts, PATH,
};
use crate::client::Telnyx;
use crate::error::{Error, ErrorKind, RequestOutcome, Result};
use crate::options::Callback;
use crate::transport::Call;
use ProvisionOutcome::{Created, Existing, Recovered};

/// Most lookups one wait makes, whatever the options say.
const MAX_POLLS: u32 = 100;
/// Longest idempotency key Telnyx accepts.
const MAX_IDEMPOTENCY_KEY: usize = 255;
/// Longest pause of a batch's creates after a 429 the client's retries did not get past.
const MAX_PAUSE: Duration = Duration::from_secs(60);
/// Page size of a batch's listing pass: the API's largest.
const PAGE_SIZE: u32 = 250;

/// The hook of [`ProvisionOptions::on_row`].
type RowHook = Arc<dyn Fn(usize, &Result<Provisioned>) + Send + Sync>;
/// How a create is sent: as is, or through a batch's pause after a 429.
type Sender<'a> = &'a dyn Fn(&CreateManagedAccount) -> Result<ManagedAccount>;
/// A row of a batch with an email: the email's key (ASCII lowercase), the
/// row's index, its email (trimmed) and the request.
type Row<'a> = (String, usize, String, &'a CreateManagedAccount);

/// Which way [`ManagedAccounts::create_or_find`] got the account.
///
/// `Display` and `FromStr` use `created`, `existing` and `recovered`, for
/// scripts that print or read it:
///
/// ```
/// use telnyx_blocking::managed_accounts::ProvisionOutcome;
///
/// assert_eq!(ProvisionOutcome::Recovered.to_string(), "recovered");
/// assert_eq!("existing".parse::<ProvisionOutcome>()?, ProvisionOutcome::Existing);
/// assert!("Created".parse::<ProvisionOutcome>().is_err()); // case matters
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
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

impl fmt::Display for ProvisionOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Created => "created",
            Existing => "existing",
            Recovered => "recovered",
        })
    }
}

/// The error is [`Error::InvalidRequest`] with
/// [`InvalidValue`](crate::ErrorKind::InvalidValue).
impl FromStr for ProvisionOutcome {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let message = "a provision outcome is `created`, `existing` or `recovered`";
        let invalid = || Error::invalid_request(ErrorKind::InvalidValue, message);
        let mut all = [Created, Existing, Recovered].into_iter();
        all.find(|how| how.to_string() == text).ok_or_else(invalid)
    }
}

/// The account [`ManagedAccounts::create_or_find`] returns, and how it got it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Provisioned {
    /// The full account, `api_key`, `api_token` and `balance` included (an
    /// account found by a lookup is completed with `retrieve`), unless
    /// [`ProvisionOptions::complete`] is `false`: then an *existing* or
    /// *recovered* account is the `list` item, without those three.
    pub account: ManagedAccount,
    /// Whether it was created, already there, or recovered.
    pub how: ProvisionOutcome,
}

impl Provisioned {
    fn new(account: ManagedAccount, how: ProvisionOutcome) -> Self {
        Provisioned { account, how }
    }
}

/// How long [`ManagedAccounts::create_or_find_with`] waits for an account to
/// show up in `list` after an ambiguous create (a new account may take a
/// moment to become visible to the email filter), whether found accounts are
/// completed, and for [`ManagedAccounts::create_or_find_all`] how many threads
/// create and what sees each row finish.
///
/// ```
/// use std::time::Duration;
/// use telnyx_blocking::managed_accounts::ProvisionOptions;
///
/// let options = ProvisionOptions::new()
///     .visibility_wait(Duration::from_secs(10))
///     .poll_interval(Duration::from_secs(1));
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ProvisionOptions {
    visibility_wait: Duration,
    poll_interval: Duration,
    concurrency: u32,
    complete: bool,
    on_row: Option<Callback<RowHook>>,
}

impl Default for ProvisionOptions {
    fn default() -> Self {
        ProvisionOptions {
            visibility_wait: Duration::from_secs(5),
            poll_interval: Duration::from_millis(500),
            concurrency: 4,
            complete: true,
            on_row: None,
        }
    }
}

impl ProvisionOptions {
    /// A wait of 5 s, looking every 500 ms; found accounts completed; 4 threads.
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

    /// How many threads of [`create_or_find_all`](ManagedAccounts::create_or_find_all)
    /// look up, create and complete at once (default 4; 0 counts as 1). They
    /// share the client and its connection pool. Rows with the same email go
    /// to one thread, one after the other, so no email is ever created twice.
    ///
    /// A 429 is retried by the client as the server asks (see
    /// [`max_retries`](crate::TelnyxBuilder::max_retries)); when a create is
    /// still answered 429 after those retries, every thread holds back its
    /// next create while that thread waits as the server asked (at most 60 s,
    /// through [`sleep_fn`](crate::TelnyxBuilder::sleep_fn)) and then sends
    /// the row's create again, up to `max_retries` more times: a 429 means
    /// the create was not processed. Each thread's 429 is its own wait, one
    /// after the other, so the threads never hammer a limited API.
    pub fn concurrency(mut self, threads: u32) -> Self {
        self.concurrency = threads;
        self
    }

    /// Whether an account found rather than created (*existing* or
    /// *recovered*) is completed with a `retrieve` (default `true`).
    ///
    /// A found account comes from `list`, whose items omit `api_key`,
    /// `api_token` and `balance`. With `false` those three are `None` in
    /// [`Provisioned::account`] for such accounts, and no `retrieve` is sent:
    /// a re-run of a batch that is already in place then costs only the
    /// listing. A *created* account always has them (from the create's answer).
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOptions};
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let request = CreateManagedAccount::new("Acme Corp").email("acme-ops@example.com");
    /// let found = client
    ///     .managed_accounts()
    ///     .create_or_find_with(request, ProvisionOptions::new().complete(false))?;
    /// assert!(found.account.api_key.is_none()); // the list item, as is
    /// assert_eq!(server.request_count(), 1); // the lookup only
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn complete(mut self, complete: bool) -> Self {
        self.complete = complete;
        self
    }

    /// Called once per row of [`create_or_find_all`](ManagedAccounts::create_or_find_all)
    /// as it finishes, with the row's index and result: enough for a
    /// progress bar. Rows finish in any order, on any of the batch's threads
    /// (a row refused before any I/O on the calling thread); keep the hook short.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use telnyx_blocking::managed_accounts::ProvisionOptions;
    ///
    /// let finished = Arc::new(AtomicUsize::new(0));
    /// let seen = Arc::clone(&finished);
    /// let options = ProvisionOptions::new().on_row(move |_row, _result| {
    ///     seen.fetch_add(1, Ordering::Relaxed);
    /// });
    /// ```
    pub fn on_row(
        mut self,
        hook: impl Fn(usize, &Result<Provisioned>) + Send + Sync + 'static,
    ) -> Self {
        self.on_row = Some(Callback(Arc::new(hook)));
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
    // The key is not quoted: a wrong one may hold anything, control characters included.
    let message =
        "the idempotency key must be 1 to 255 characters of A-Z, a-z, 0-9, '_', ':' and '-'";
    let check = |key: &str| {
        let fits = (1..=MAX_IDEMPOTENCY_KEY).contains(&key.len()) && key.chars().all(key_char);
        let value = HeaderValue::from_str(key).ok().filter(|_| fits);
        value.ok_or_else(|| Error::invalid_request(ErrorKind::InvalidValue, message))
    };
    request.idempotency_key.as_deref().map(check).transpose()
}

/// `true` for the characters of an idempotency key: `[A-Za-z0-9_:-]`.
fn key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-')
}

impl CreateManagedAccount {
    /// A valid [`idempotency_key`](CreateManagedAccount::idempotency_key)
    /// made from any text, such as the email or your own customer or CSV row
    /// id: the text's first 64 characters with each one outside
    /// `A-Z a-z 0-9 _ : -` replaced by `_`, then `-` and the 64-bit FNV-1a
    /// hash of the whole text's UTF-8 bytes in 16 lowercase hex digits. At
    /// most 81 characters; the same text always gives the same key, on any
    /// run, machine or Rust release, and texts that differ anywhere give
    /// different keys in practice (the hash covers every byte). Nothing is
    /// normalized: trim or lowercase the text first if your data needs it.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::CreateManagedAccount;
    ///
    /// let key = CreateManagedAccount::idempotency_key_from("larry@example.com");
    /// assert_eq!(key, "larry_example_com-ee5846c564c49efc"); // FNV-1a 64 of the text
    /// let request = CreateManagedAccount::new("Larry's Cat Food Inc")
    ///     .email("larry@example.com")
    ///     .idempotency_key(key);
    /// ```
    pub fn idempotency_key_from(text: &str) -> String {
        let fnv = |hash: u64, byte: u8| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325, fnv);
        let safe = |c| if key_char(c) { c } else { '_' };
        let prefix: String = text.chars().take(64).map(safe).collect();
        format!("{prefix}-{hash:016x}")
    }
}

/// The answer when a create's outcome stayed unknown: says so, and carries the
/// create's own error as its source.
fn unresolved(last: Error) -> Error {
    Error::OutcomeUnknown(Box::new(last))
}

/// `true` for the API's answer to a create whose email another account has: a
/// 422 about `/email`. (An invalid email is a 422 about `/email` too; the
/// lookup that follows simply finds nothing, and the 422 is returned.)
fn email_taken(error: &Error) -> bool {
    let details = error.api_error().filter(|api| api.status() == 422);
    let mut details = details.into_iter().flat_map(|api| api.errors());
    details.any(|detail| detail.pointer.as_deref() == Some("/email"))
}

/// The request's email, trimmed, once the request and the options are known
/// good: the checks `create_or_find` makes before any I/O.
fn checked_email(request: &CreateManagedAccount, options: &ProvisionOptions) -> Result<String> {
    let email = request.email.as_deref().map(str::trim).unwrap_or_default();
    let refuse = |kind, message: &str| Err(Error::invalid_request(kind, message));
    if email.is_empty() {
        let why =
            "create_or_find needs the account's email: it is how an existing account is found";
        return refuse(ErrorKind::MissingField, why);
    }
    idempotency_header(request)?;
    if options.poll_interval.is_zero() {
        let why = "the poll interval of ProvisionOptions must not be zero";
        return refuse(ErrorKind::InvalidValue, why);
    }
    Ok(email.to_owned())
}

/// Every managed account, cancelled ones included, 250 a page: what a lookup
/// filters and what a batch's listing pass walks.
fn every_account() -> ListManagedAccounts {
    let all = ListManagedAccounts::new().include_cancelled_accounts(true);
    all.page_size(PAGE_SIZE)
}

/// One `info` record when `create_or_find` found, recovered or gave up. The
/// row is named by its index in a batch; no email, key or id is logged.
fn tell(row: Option<usize>, result: &Result<Provisioned>) {
    let what = match result.as_ref().map(|done| done.how) {
        Ok(Existing) => "found an account with the email, created nothing",
        Ok(Recovered) => "recovered the account of a create whose answer was lost",
        Err(Error::OutcomeUnknown(_)) => {
            "gave up: a create's outcome stays unknown; run again later"
        }
        _ => return,
    };
    let row = row.map(|i| format!(" row {i}")).unwrap_or_default();
    log::info!("create_or_find{row}: {what}");
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
    ///   ([`MissingField`](crate::ErrorKind::MissingField)), a
    ///   malformed idempotency key or a zero poll interval
    ///   ([`InvalidValue`](crate::ErrorKind::InvalidValue)).
    /// - [`Error::OutcomeUnknown`]: a create's outcome stayed unknown (the
    ///   account did not show up within the wait, or a lookup failed), after
    ///   the retry budget; the boxed error (its
    ///   `source()`) is that create's error, and [`outcome()`](Error::outcome) is
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
        let email = checked_email(&request, &options)?;
        let found = self.find(&email, false)?;
        let result = self.provision(&request, &email, found, &options, &|request| {
            create(&self.client, request)
        });
        tell(None, &result);
        result
    }

    /// [`create_or_find`](ManagedAccounts::create_or_find) for each row of a
    /// batch, with the fewest requests the API allows: one result per row, in
    /// input order, each with exactly the guarantees of `create_or_find`.
    ///
    /// - A row refused before any I/O (no email, a malformed idempotency key,
    ///   a zero poll interval) is that row's [`Error::InvalidRequest`]; the
    ///   other rows go on.
    /// - Rows whose emails are equal ignoring ASCII case (as the API's
    ///   uniqueness check compares them) are one account: the first row is
    ///   *created* (or *existing*, or *recovered*), the later ones *existing*
    ///   with the same account, their other fields unused. Should the first
    ///   row fail, the next one tries on its own, after a fresh lookup.
    /// - Finding the existing accounts: with two or more emails, the first
    ///   page of all managed accounts (250 a page, cancelled included) tells
    ///   how many pages there are. When the remaining pages are no more than
    ///   the emails not found yet, they are listed (at most `pages` requests
    ///   in all; the pass stops once every email is found), else each missing
    ///   email is looked up as `create_or_find` does (at most `1 + emails`).
    ///   A failed page falls back to the lookups. So a re-run of 1,000 rows
    ///   that all exist costs 4 pages, plus one `retrieve` per row unless
    ///   [`complete(false)`](ProvisionOptions::complete).
    /// - Lookups, creates and completing retrieves run on
    ///   [`concurrency`](ProvisionOptions::concurrency) threads (scoped, sharing
    ///   this client); [`on_row`](ProvisionOptions::on_row) sees each row finish.
    ///
    /// ```
    /// use telnyx_blocking::managed_accounts::{
    ///     CreateManagedAccount, ProvisionOptions, ProvisionOutcome,
    /// };
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// let rows = [
    ///     CreateManagedAccount::new("New Co").email("new@example.com"),
    ///     CreateManagedAccount::new("Acme Corp").email("acme-ops@example.com"), // already there
    ///     CreateManagedAccount::new("New Co again").email("NEW@example.com"), // same email
    ///     CreateManagedAccount::new("No email"),
    /// ];
    /// let done = client.managed_accounts().create_or_find_all(rows, ProvisionOptions::new());
    /// let how: Vec<_> = done.iter().map(|r| r.as_ref().map(|p| p.how).ok()).collect();
    /// use ProvisionOutcome::*;
    /// assert_eq!(how, [Some(Created), Some(Existing), Some(Existing), None]);
    /// assert!(matches!(done[3], Err(telnyx_blocking::Error::InvalidRequest(_))));
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn create_or_find_all(
        &self,
        rows: impl IntoIterator<Item = CreateManagedAccount>,
        options: ProvisionOptions,
    ) -> Vec<Result<Provisioned>> {
        let rows: Vec<CreateManagedAccount> = rows.into_iter().collect();
        let finish = |row: usize, result: Result<Provisioned>| {
            tell(Some(row), &result);
            if let Some(hook) = &options.on_row {
                (hook.0)(row, &result);
            }
            (row, result)
        };
        let (mut valid, mut done): (Vec<Row<'_>>, _) = (Vec::new(), Vec::new());
        for (row, request) in rows.iter().enumerate() {
            match checked_email(request, &options) {
                Ok(email) => valid.push((email.to_ascii_lowercase(), row, email, request)),
                Err(error) => done.push(finish(row, Err(error))),
            }
        }
        // Stable: the rows of one email stay in input order.
        valid.sort_by(|a, b| a.0.cmp(&b.0));
        let groups: Vec<&[Row<'_>]> = valid.chunk_by(|a, b| a.0 == b.0).collect();
        let (found, listed) = self.discover(&valid.iter().map(|row| row.0.as_str()).collect());
        let (pause, budget) = (RwLock::new(()), self.client.transport().max_retries());
        let send = |request: &CreateManagedAccount| {
            let mut pauses = 0;
            loop {
                drop(pause.read());
                match create(&self.client, request) {
                    // Not processed. The other threads hold their next create while this one waits.
                    Err(Error::RateLimited(limited)) if pauses < budget => {
                        pauses += 1;
                        let _hold = pause.write();
                        let wait = limited.retry_after().unwrap_or(Duration::from_secs(1));
                        self.client.transport().sleep(wait.min(MAX_PAUSE));
                    }
                    other => return other,
                }
            }
        };
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            while let Some(group) = groups.get(next.fetch_add(1, Ordering::Relaxed)) {
                let mut account: Option<ManagedAccount> = None;
                for (n, (key, row, email, request)) in group.iter().enumerate() {
                    let result = if let Some(account) = account {
                        Ok(Provisioned::new(account, Existing))
                    } else {
                        match found.get(key) {
                            Some(found) if n == 0 => Ok(Some(found.clone())),
                            None if n == 0 && listed => Ok(None),
                            // Not listed, or the row before failed: look again.
                            _ => self.find(email, false),
                        }
                        .and_then(|found| self.provision(request, email, found, &options, &send))
                    };
                    account = result.as_ref().ok().map(|done| done.account.clone());
                    done.push(finish(*row, result));
                }
            }
            done
        };
        std::thread::scope(|scope| {
            let threads = (0..options.concurrency.max(1)).take(groups.len());
            let workers: Vec<_> = threads.map(|_| scope.spawn(work)).collect();
            for worker in workers {
                done.extend(worker.join().unwrap_or_else(|p| resume_unwind(p)));
            }
        });
        done.sort_by_key(|(row, _)| *row);
        done.into_iter().map(|(_, result)| result).collect()
    }

    /// The existing accounts of a batch's emails (keys: ASCII lowercase), and
    /// whether every account was listed (then an email not found has none).
    /// Pages are listed while the pages left are no more than the emails not
    /// found yet; else those emails are left to lookups.
    fn discover(&self, keys: &HashSet<&str>) -> (HashMap<String, ManagedAccount>, bool) {
        let mut found = HashMap::new();
        if keys.len() < 2 {
            return (found, false);
        }
        let mut pages = self.list(every_account()).pages();
        for fetched in 1_i64.. {
            let page = match pages.next() {
                Some(Ok(page)) => page,
                end => return (found, end.is_none()),
            };
            let total = page.meta.total_pages;
            let left = total.map(|total| total.saturating_sub(fetched));
            for account in page.data {
                let key = account.email.trim().to_ascii_lowercase();
                if keys.contains(key.as_str()) {
                    found.entry(key).or_insert(account);
                }
            }
            let missing = i64::try_from(keys.len() - found.len()).unwrap_or(i64::MAX);
            if missing == 0 || left.is_none_or(|left| left > missing) {
                return (found, missing == 0);
            }
        }
        (found, false)
    }

    /// `create_or_find` after the first lookup found `found`: creates unless
    /// found, sending each create with `send`.
    fn provision(
        &self,
        request: &CreateManagedAccount,
        email: &str,
        found: Option<ManagedAccount>,
        options: &ProvisionOptions,
        send: Sender<'_>,
    ) -> Result<Provisioned> {
        if let Some(found) = found {
            return self.complete(found, Existing, None, options);
        }
        let budget = self.client.transport().max_retries();
        // The last create error whose outcome is unknown. While there is one,
        // it is the answer whenever the account cannot be found: the caller
        // must not read a later, clearer failure as "nothing was created".
        let mut unknown: Option<Error> = None;
        let mut creates_again = 0u32;
        loop {
            let error = match send(request) {
                Ok(account) => return Ok(Provisioned::new(account, Created)),
                Err(error) => error,
            };
            if error.outcome() == RequestOutcome::Unknown {
                match self.wait_for(email, options, false) {
                    Ok(Some(found)) => {
                        return self.complete(found, Recovered, Some(error), options);
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
                Recovered
            } else {
                Existing
            };
            return match self.wait_for(email, options, true) {
                Ok(Some(found)) => self.complete(found, how, unknown, options),
                Ok(None) => Err(unknown.map_or(error, unresolved)),
                Err(lookup) => Err(unknown.map_or(lookup, unresolved)),
            };
        }
    }

    /// Looks `email` up now, then every poll interval until the wait is over.
    fn wait_for(
        &self,
        email: &str,
        options: &ProvisionOptions,
        taken: bool,
    ) -> Result<Option<ManagedAccount>> {
        let polls = options.polls();
        for poll in 0..=polls {
            if let Some(found) = self.find(email, taken)? {
                return Ok(Some(found));
            }
            if poll < polls {
                let wait = options.poll_interval;
                log::debug!("create_or_find: account not listed yet, looking again in {wait:?}");
                self.client.transport().sleep(wait);
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
        let all = every_account();
        let found = self.first_with_email(all.clone().email_eq(email), email)?;
        if found.is_some() || !taken {
            return Ok(found);
        }
        self.first_with_email(all.email_contains(email), email)
    }

    fn first_with_email(
        &self,
        request: ListManagedAccounts,
        email: &str,
    ) -> Result<Option<ManagedAccount>> {
        let same = |a: &ManagedAccount| a.email.trim().eq_ignore_ascii_case(email);
        let matches = |item: &Result<ManagedAccount>| item.as_ref().map_or(true, same);
        self.list(request).find(matches).transpose()
    }

    /// Completes a listed account (no credentials, no balance) with a
    /// `retrieve`. Should that fail after an unknown outcome, the unknown
    /// outcome is the answer.
    fn complete(
        &self,
        account: ManagedAccount,
        how: ProvisionOutcome,
        unknown: Option<Error>,
        options: &ProvisionOptions,
    ) -> Result<Provisioned> {
        if !options.complete {
            return Ok(Provisioned { account, how });
        }
        match self.retrieve(&account.id) {
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
