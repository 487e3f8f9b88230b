//! The mock's in-memory data: managed accounts and organization users, the
//! operations on them (filter, sort, page, change), and their JSON shapes.
//!
//! Everything here runs under the server's state lock; nothing does I/O.

use crate::transport::pacing::civil_from_days;
pub(crate) use crate::transport::pacing::http_date;
use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::routes::Failure;
use super::{MockAccount, MockAccountStatus, MockUser};
use crate::organizations::users::UserStatus;

/// `manager_account_id` of every managed account.
pub(crate) const MANAGER_ACCOUNT_ID: &str = "5d3c1b2a-9e8f-4a7b-8c6d-0f1e2d3c4b5a";
/// `api_user` of every managed account: the manager's email.
pub(crate) const MANAGER_EMAIL: &str = "manager@example.com";
/// Domain of the emails generated for accounts created without one.
const GENERATED_EMAIL_DOMAIN: &str = "managed.example.com";
/// Seed of the id generator. Fixed, so ids repeat from run to run.
const ID_SEED: u64 = 0x6d6f_636b_5f69_6473;

/// splitmix64: a small, well-mixed 64-bit hash step.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over the bytes of `s`.
fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A version-4-shaped UUID (lowercase, 8-4-4-4-12) derived from `seed` and `n`.
pub(crate) fn uuid_from(seed: u64, n: u64) -> String {
    let hi = mix(seed ^ mix(n));
    let lo = mix(hi ^ n);
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// Milliseconds since the Unix epoch now (0 if the clock is before 1970).
fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Formats epoch milliseconds as ISO 8601 UTC with milliseconds:
/// `2026-11-23T18:25:27.521Z`.
pub(crate) fn format_millis(ms: u64) -> String {
    let secs = ms / 1000;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(secs / 86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// Seconds since the Unix epoch now.
pub(crate) fn now_secs() -> u64 {
    now_millis() / 1000
}

/// `Larry's Cat Food Inc` → `larrys-cat-food-inc` (`account` if nothing is left).
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().filter(|c| *c != '\'' && *c != '\u{2019}') {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "account".to_string()
    } else {
        trimmed.to_string()
    }
}

/// One managed account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    id: String,
    email: String,
    organization_name: String,
    status: MockAccountStatus,
    created_at: String,
    updated_at: String,
    api_key: String,
    api_token: String,
    allow_custom_pricing: bool,
    rollup_billing: bool,
    channel_limit: i64,
    /// Insertion order; breaks ties when sorting.
    seq: u64,
    /// `GET /managed_accounts` requests still to answer without this account
    /// (see `MockServerBuilder::list_visibility_lag`).
    hidden_for: u32,
}

impl Account {
    /// The API's JSON for the account: `full` (a single account) carries the
    /// credentials and balance that list items omit. Keys in the spec's order
    /// (alphabetical, as `serde_json::Map` keeps them).
    fn json(&self, full: bool) -> Value {
        let mut json = json!({
            "api_user": MANAGER_EMAIL,
            "created_at": self.created_at,
            "email": self.email,
            "id": self.id,
            "managed_account_allow_custom_pricing": self.allow_custom_pricing,
            "manager_account_id": MANAGER_ACCOUNT_ID,
            "organization_name": self.organization_name,
            "record_type": "managed_account",
            "rollup_billing": self.rollup_billing,
            "updated_at": self.updated_at,
        });
        if full {
            json["api_key"] = json!(self.api_key);
            json["api_token"] = json!(self.api_token);
            json["balance"] = json!({"available_credit": "0.00", "balance": "0.00",
                "credit_limit": "0.00", "currency": "USD", "record_type": "balance"});
        }
        json
    }
}

/// One organization user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    id: String,
    email: String,
    user_status: String,
    record_type: String,
    created_at: String,
    last_sign_in_at: Option<String>,
    bypasses_sso: bool,
    groups: Vec<String>,
}

/// A group's id: derived from its name, so the same name always has the same id.
fn group_id(name: &str) -> String {
    uuid_from(ID_SEED ^ 0x6772_6f75_7073, hash_str(name))
}

impl User {
    fn json(&self, with_groups: bool) -> Value {
        let mut json = json!({
            "created_at": self.created_at,
            "email": self.email,
            "id": self.id,
            "last_sign_in_at": self.last_sign_in_at,
            "organization_user_bypasses_sso": self.bypasses_sso,
            "record_type": self.record_type,
            "user_status": self.user_status,
        });
        if with_groups {
            let groups = self
                .groups
                .iter()
                .map(|name| json!({"id": group_id(name), "name": name}));
            json["groups"] = Value::Array(groups.collect());
        }
        json
    }
}

/// Which page of a list to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    /// 1-based page number.
    pub(crate) number: usize,
    /// Items per page, at least 1.
    pub(crate) size: usize,
}

#[derive(Serialize)]
struct Data<T> {
    data: T,
}

#[derive(Serialize)]
struct PageJson<T> {
    data: Vec<T>,
    meta: PageMeta,
}

#[derive(Serialize)]
struct PageMeta {
    page_number: usize,
    page_size: usize,
    total_pages: usize,
    total_results: usize,
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, Failure> {
    serde_json::to_vec(value).map_err(|_| Failure::internal())
}

/// `{"data": value}`.
fn data<T: Serialize>(value: T) -> Result<Vec<u8>, Failure> {
    to_json(&Data { data: value })
}

/// `{"data": [...], "meta": {...}}` for one page of `items`, each rendered by
/// `render`. `total_pages` is `ceil(total / size)`, so 0 when nothing matches;
/// a page past the end has empty `data`.
fn page<T, J: Serialize>(
    items: Vec<T>,
    paging: Paging,
    render: impl Fn(T) -> J,
) -> Result<Vec<u8>, Failure> {
    let total = items.len();
    let skip = (paging.number - 1).saturating_mul(paging.size);
    let meta = PageMeta {
        page_number: paging.number,
        page_size: paging.size,
        total_pages: total.div_ceil(paging.size),
        total_results: total,
    };
    let data = items
        .into_iter()
        .skip(skip)
        .take(paging.size)
        .map(render)
        .collect();
    to_json(&PageJson { data, meta })
}

/// `filter[status][eq]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusFilter {
    /// `all`: every account, cancelled ones included.
    All,
    /// `active`/`enabled`, `disabled`, `cancelled`, `blocked`.
    Is(MockAccountStatus),
}

/// `sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountSort {
    CreatedAt,
    CreatedAtDesc,
    Email,
    EmailDesc,
}

/// The query of `GET /managed_accounts`, already validated.
#[derive(Debug, Clone)]
pub(crate) struct AccountQuery {
    pub(crate) email_contains: Option<String>,
    pub(crate) email_eq: Option<String>,
    pub(crate) organization_name_contains: Option<String>,
    pub(crate) organization_name_eq: Option<String>,
    pub(crate) status: Option<StatusFilter>,
    pub(crate) include_cancelled: bool,
    pub(crate) sort: AccountSort,
    pub(crate) paging: Paging,
}

/// The query of `GET /organizations/users`, already validated.
#[derive(Debug, Clone)]
pub(crate) struct UserQuery {
    pub(crate) email: Option<String>,
    pub(crate) user_status: Option<String>,
    pub(crate) include_groups: bool,
    pub(crate) paging: Paging,
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// All accounts and users, plus the counters that make new ids and times.
/// The state file of `telnyx-mock --state` is this, as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    accounts: Vec<Account>,
    users: Vec<User>,
    allocatable_channels: i64,
    next_id: u64,
    next_seq: u64,
    last_millis: u64,
    /// `hidden_for` of each account created through the API.
    list_lag: u32,
    /// Where [`State::save`] writes, if anywhere.
    #[serde(skip)]
    file: Option<PathBuf>,
}

impl State {
    /// A state holding these seeds, in this order.
    pub(crate) fn new(
        accounts: Vec<MockAccount>,
        users: Vec<MockUser>,
        allocatable_channels: i64,
    ) -> State {
        let mut state = State {
            accounts: Vec::new(),
            users: Vec::new(),
            allocatable_channels,
            next_id: 0,
            next_seq: 0,
            last_millis: 0,
            list_lag: 0,
            file: None,
        };
        for account in accounts {
            state.insert_account(account);
        }
        for user in users {
            state.insert_user(user);
        }
        state
    }

    /// The state saved in `path`; `None` if there is no such file. A file
    /// that cannot be read or parsed is an error, and is left as it is.
    pub(crate) fn load(path: &Path) -> io::Result<Option<State>> {
        let text = match std::fs::read(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            read => read,
        };
        let invalid = |e: &dyn std::fmt::Display| {
            let path = path.display();
            let detail =
                format!("cannot use the state file {path}: {e} (the file is left as it is)");
            io::Error::new(io::ErrorKind::InvalidData, detail)
        };
        let text = text.map_err(|e| invalid(&e))?;
        serde_json::from_slice(&text)
            .map(Some)
            .map_err(|e| invalid(&e))
    }

    /// Saves to `path` now and after every change from now on.
    pub(crate) fn persist_to(&mut self, path: PathBuf) -> io::Result<()> {
        self.file = Some(path);
        self.save()
    }

    /// Writes the state file, if any, atomically: a temporary file beside it,
    /// then a rename, so a killed process leaves the old or the new state.
    pub(crate) fn save(&self) -> io::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(&tmp, path)
    }

    /// Accounts created from now on are left out of the next `lag` lists.
    pub(crate) fn set_list_lag(&mut self, lag: u32) {
        self.list_lag = lag;
    }

    /// A fresh id that no account or user has.
    fn new_id(&mut self) -> String {
        loop {
            self.next_id += 1;
            let id = uuid_from(ID_SEED, self.next_id);
            let taken =
                self.accounts.iter().any(|a| a.id == id) || self.users.iter().any(|u| u.id == id);
            if !taken {
                return id;
            }
        }
    }

    /// The current time, strictly later than any time handed out before.
    fn timestamp(&mut self) -> String {
        self.last_millis = now_millis().max(self.last_millis + 1);
        format_millis(self.last_millis)
    }

    fn email_taken(&self, email: &str) -> bool {
        self.accounts
            .iter()
            .any(|a| a.email.eq_ignore_ascii_case(email))
    }

    /// `slug@managed.example.com`, made unique with `-2`, `-3`, ...
    fn generated_email(&self, business_name: &str) -> String {
        let base = slug(business_name);
        let mut n = 1;
        loop {
            let email = if n == 1 {
                format!("{base}@{GENERATED_EMAIL_DOMAIN}")
            } else {
                format!("{base}-{n}@{GENERATED_EMAIL_DOMAIN}")
            };
            if !self.email_taken(&email) {
                return email;
            }
            n += 1;
        }
    }

    /// Adds `seed` (replacing an account with the same id) and returns its index.
    fn insert_account(&mut self, seed: MockAccount) -> usize {
        let id = match seed.id {
            Some(id) => id,
            None => self.new_id(),
        };
        let email = match seed.email {
            Some(email) => email,
            None => self.generated_email(&seed.business_name),
        };
        let created_at = match seed.created_at {
            Some(t) => t,
            None => self.timestamp(),
        };
        let key = mix(hash_str(&id));
        self.next_seq += 1;
        let account = Account {
            api_key: format!("KEYmock_{:016x}{:016x}", key, mix(key)),
            api_token: format!("mocktok_{:016x}", mix(key ^ 1)),
            id,
            email,
            organization_name: seed.business_name,
            status: seed.status,
            updated_at: created_at.clone(),
            created_at,
            allow_custom_pricing: seed.managed_account_allow_custom_pricing,
            rollup_billing: seed.rollup_billing,
            channel_limit: seed.channel_limit,
            seq: self.next_seq,
            hidden_for: 0,
        };
        self.accounts.retain(|a| a.id != account.id);
        self.accounts.push(account);
        self.accounts.len() - 1
    }

    /// Adds `seed` (replacing a user with the same id).
    fn insert_user(&mut self, seed: MockUser) {
        let id = match seed.id {
            Some(id) => id,
            None => self.new_id(),
        };
        let created_at = match seed.created_at {
            Some(t) => t,
            None => self.timestamp(),
        };
        self.users.retain(|u| u.id != id);
        self.users.push(User {
            id,
            email: seed.email,
            user_status: seed.user_status,
            record_type: seed.record_type,
            created_at,
            last_sign_in_at: seed.last_sign_in_at,
            bypasses_sso: seed.organization_user_bypasses_sso,
            groups: seed.groups,
        });
    }

    fn account_mut(&mut self, id: &str) -> Result<&mut Account, Failure> {
        self.accounts
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(Failure::not_found)
    }

    fn user_index(&self, id: &str) -> Result<usize, Failure> {
        self.users
            .iter()
            .position(|u| u.id == id)
            .ok_or_else(Failure::not_found)
    }

    /// `GET /managed_accounts`. Accounts still hidden by the visibility lag
    /// are left out, and one list closer to showing up.
    pub(crate) fn list_accounts(&mut self, q: &AccountQuery) -> Result<Vec<u8>, Failure> {
        let answer = self.list_visible_accounts(q);
        for account in &mut self.accounts {
            account.hidden_for = account.hidden_for.saturating_sub(1);
        }
        answer
    }

    fn list_visible_accounts(&self, q: &AccountQuery) -> Result<Vec<u8>, Failure> {
        let mut found: Vec<&Account> = self
            .accounts
            .iter()
            .filter(|a| a.hidden_for == 0)
            .filter(|a| match q.status {
                None => q.include_cancelled || a.status != MockAccountStatus::Cancelled,
                Some(StatusFilter::All) => true,
                Some(StatusFilter::Is(status)) => a.status == status,
            })
            .filter(|a| {
                q.email_contains
                    .as_deref()
                    .is_none_or(|s| contains_ignore_case(&a.email, s))
            })
            .filter(|a| q.email_eq.as_deref().is_none_or(|s| a.email == s))
            .filter(|a| {
                q.organization_name_contains
                    .as_deref()
                    .is_none_or(|s| contains_ignore_case(&a.organization_name, s))
            })
            .filter(|a| {
                q.organization_name_eq
                    .as_deref()
                    .is_none_or(|s| a.organization_name == s)
            })
            .collect();
        found.sort_by(|a, b| match q.sort {
            AccountSort::CreatedAt => (&a.created_at, a.seq).cmp(&(&b.created_at, b.seq)),
            AccountSort::CreatedAtDesc => (&b.created_at, b.seq).cmp(&(&a.created_at, a.seq)),
            AccountSort::Email => {
                (a.email.to_lowercase(), a.seq).cmp(&(b.email.to_lowercase(), b.seq))
            }
            AccountSort::EmailDesc => {
                (b.email.to_lowercase(), b.seq).cmp(&(a.email.to_lowercase(), a.seq))
            }
        });
        page(found, q.paging, |a| a.json(false))
    }

    /// `POST /managed_accounts`: the seed is already validated, except that
    /// an explicit email must not belong to another account.
    pub(crate) fn create_account(&mut self, seed: MockAccount) -> Result<Vec<u8>, Failure> {
        if seed.email.as_deref().is_some_and(|e| self.email_taken(e)) {
            return Err(Failure::invalid_body(
                "/email",
                "email has already been taken",
            ));
        }
        let index = self.insert_account(seed);
        let lag = self.list_lag;
        let account = self.accounts.get_mut(index).ok_or_else(Failure::internal)?;
        account.hidden_for = lag;
        data(account.json(true))
    }

    /// `GET /managed_accounts/allocatable_global_outbound_channels`.
    pub(crate) fn allocatable_channels(&self) -> Result<Vec<u8>, Failure> {
        #[derive(Serialize)]
        struct Channels {
            allocatable_global_outbound_channels: i64,
            managed_account_allow_custom_pricing: bool,
            record_type: &'static str,
            total_global_channels_allocated: i64,
        }
        data(Channels {
            allocatable_global_outbound_channels: self.allocatable_channels,
            managed_account_allow_custom_pricing: false,
            record_type: "allocatable_global_outbound_channels",
            total_global_channels_allocated: self
                .accounts
                .iter()
                .fold(0i64, |sum, a| sum.saturating_add(a.channel_limit)),
        })
    }

    /// `GET /managed_accounts/{id}`.
    pub(crate) fn account(&self, id: &str) -> Result<Vec<u8>, Failure> {
        let account = self
            .accounts
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(Failure::not_found)?;
        data(account.json(true))
    }

    /// The changes behind `PATCH /managed_accounts/{id}`, `.../actions/disable`
    /// and `.../actions/enable`: `None` leaves a field as it is. Bumps
    /// `updated_at` and returns the full account.
    pub(crate) fn update_account(
        &mut self,
        id: &str,
        allow_custom_pricing: Option<bool>,
        status: Option<MockAccountStatus>,
    ) -> Result<Vec<u8>, Failure> {
        let now = self.timestamp();
        let account = self.account_mut(id)?;
        if let Some(allow) = allow_custom_pricing {
            account.allow_custom_pricing = allow;
        }
        if let Some(status) = status {
            account.status = status;
        }
        account.updated_at = now;
        data(account.json(true))
    }

    /// `PATCH /managed_accounts/{id}/update_global_channel_limit`.
    pub(crate) fn update_channel_limit(
        &mut self,
        id: &str,
        channel_limit: Option<i64>,
    ) -> Result<Vec<u8>, Failure> {
        #[derive(Serialize)]
        struct Limit<'a> {
            channel_limit: i64,
            email: &'a str,
            id: &'a str,
            manager_account_id: &'static str,
            record_type: &'static str,
        }
        let now = self.timestamp();
        let account = self.account_mut(id)?;
        if let Some(limit) = channel_limit {
            account.channel_limit = limit;
            account.updated_at = now;
        }
        data(Limit {
            channel_limit: account.channel_limit,
            email: &account.email,
            id: &account.id,
            manager_account_id: MANAGER_ACCOUNT_ID,
            record_type: "managed_account_global_outbound_settings",
        })
    }

    /// `GET /organizations/users`, in insertion order.
    pub(crate) fn list_users(&self, q: &UserQuery) -> Result<Vec<u8>, Failure> {
        let found: Vec<&User> = self
            .users
            .iter()
            .filter(|u| {
                q.email
                    .as_deref()
                    .is_none_or(|s| contains_ignore_case(&u.email, s))
            })
            .filter(|u| q.user_status.as_deref().is_none_or(|s| u.user_status == s))
            .collect();
        page(found, q.paging, |u| u.json(q.include_groups))
    }

    /// `GET /organizations/users/users_groups_report` as JSON.
    pub(crate) fn groups_report_json(&self) -> Result<Vec<u8>, Failure> {
        data(self.users.iter().map(|u| u.json(true)).collect::<Vec<_>>())
    }

    /// `GET /organizations/users/users_groups_report` as CSV (RFC 4180: CRLF
    /// line ends, fields quoted when needed; group names joined by `", "` as
    /// in the spec's example; a null `last_sign_in_at` is an empty field).
    pub(crate) fn groups_report_csv(&self) -> Vec<u8> {
        fn field(s: &str) -> Cow<'_, str> {
            if s.contains([',', '"', '\r', '\n']) {
                Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
            } else {
                Cow::Borrowed(s)
            }
        }
        let mut out = String::from("id,email,user_status,created_at,last_sign_in_at,groups\r\n");
        for u in &self.users {
            let groups = u.groups.join(", ");
            let row = [
                field(&u.id),
                field(&u.email),
                field(&u.user_status),
                field(&u.created_at),
                field(u.last_sign_in_at.as_deref().unwrap_or("")),
                field(&groups),
            ];
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
        out.into_bytes()
    }

    /// `GET /organizations/users/{id}`.
    pub(crate) fn user(&self, id: &str, include_groups: bool) -> Result<Vec<u8>, Failure> {
        let index = self.user_index(id)?;
        data(self.users[index].json(include_groups))
    }

    /// `POST /organizations/users/{id}/actions/remove`: returns the user as it
    /// was (without groups) and forgets it.
    pub(crate) fn remove_user(&mut self, id: &str) -> Result<Vec<u8>, Failure> {
        let index = self.user_index(id)?;
        let user = self.users.remove(index);
        data(user.json(false))
    }
}

/// The data behind [`MockServer::start`](super::MockServer::start): three
/// managed accounts (two enabled, one cancelled), three organization users and
/// 500 allocatable channels. Every address is under `example.com`/`example.org`.
pub(crate) fn default_seed() -> (Vec<MockAccount>, Vec<MockUser>, i64) {
    let accounts = vec![
        MockAccount::new("Acme Widgets")
            .id("6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14")
            .email("acme-ops@example.com")
            .created_at("2025-03-04T09:15:00.000Z")
            .channel_limit(30),
        MockAccount::new("Globex Corp")
            .id("a3b7d9e1-2f46-4c8b-8e10-5d9c7b3a1f62")
            .email("ops@globex.example.com")
            .created_at("2025-06-18T14:30:00.000Z")
            .channel_limit(20)
            .managed_account_allow_custom_pricing(true),
        MockAccount::new("Initech Labs")
            .id("c5d2e8f4-7a19-4e3b-b6d0-9f1a2c4e6b83")
            .email("billing@initech.example.org")
            .status(MockAccountStatus::Cancelled)
            .created_at("2025-01-20T11:00:00.000Z"),
    ];
    let users = vec![
        MockUser::new("owner@example.com")
            .id("0c4f8e2a-6b1d-4a93-8f57-2e9d1c3b5a70")
            .record_type("organization_owner")
            .created_at("2024-11-02T08:00:00.000Z")
            .last_sign_in_at(Some("2026-01-12T16:45:10.250Z")),
        MockUser::new("dev@example.com")
            .id("4e8a1c6f-3d2b-4f95-a7c0-8b1e5d9f2c36")
            .created_at("2025-02-10T10:20:30.000Z")
            .last_sign_in_at(Some("2026-01-10T09:05:00.000Z"))
            .groups(["Engineering", "Sales"]),
        MockUser::new("sales@example.com")
            .id("9b2d5f7e-1a4c-4c68-b3e9-6f0a8d2c4e15")
            .user_status(UserStatus::Disabled)
            .created_at("2025-09-01T13:00:00.000Z")
            .groups(["Sales"]),
    ];
    (accounts, users, 500)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_timestamps() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_millis(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(format_millis(1_798_050_327_521), "2026-12-23T18:25:27.521Z");
    }

    #[test]
    fn formats_http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    }

    #[test]
    fn uuids_look_like_v4() {
        for n in 0..100 {
            let id = uuid_from(ID_SEED, n);
            let parts: Vec<&str> = id.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{id}");
            assert!(
                id.bytes()
                    .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(
                matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{id}"
            );
        }
        assert_ne!(uuid_from(ID_SEED, 1), uuid_from(ID_SEED, 2));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Larry's Cat Food Inc"), "larrys-cat-food-inc");
        assert_eq!(slug("  --ACME & Co.!"), "acme-co");
        assert_eq!(slug("???"), "account");
    }

    #[test]
    fn timestamps_strictly_increase() {
        let mut state = State::new(Vec::new(), Vec::new(), 0);
        let a = state.timestamp();
        let b = state.timestamp();
        let c = state.timestamp();
        assert!(a < b && b < c, "{a} {b} {c}");
    }
}
