//! What the client logs through `log`, checked with a capturing logger at `trace`.
//!
//! The logger is process-wide, so this file is its own test binary, and each test
//! reads only the records made on its own thread (the client logs on the calling
//! thread; the loopback servers log nothing).
//!
//! - One event per attempt at debug, one per retry at info, none at info when a
//!   call succeeds at once.
//! - No key, password, sub-account credential, body or query value in any record,
//!   the crate's or ureq's, with ureq kept at `debug` as the README says.
//! - What ureq itself logs at `trace`: the URL with its query values (emails),
//!   and hex dumps of the request head (the `Authorization` header, so the API
//!   key) and of every response (sub-account credentials). That is why the README
//!   says to keep `ureq` and `ureq_proto` at `debug` or below; the last test pins
//!   the finding so that a ureq upgrade changing it is noticed.

mod support;

use std::cell::Cell;
use std::sync::{Mutex, Once};
use std::thread::ThreadId;
use std::time::Duration;

use log::{Level, LevelFilter, Log, Metadata, Record};
use support::faults::{RefusedPort, Sleeps, builder_for};
use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::Telnyx;
use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, EnableManagedAccount, ListManagedAccounts, UpdateGlobalChannelLimit,
    UpdateManagedAccount,
};
use telnyx_blocking::mock::MockServer;
use telnyx_blocking::organizations::users::{ListOrganizationUsers, RetrieveOrganizationUser};

#[derive(Debug, Clone)]
struct Captured {
    thread: ThreadId,
    level: Level,
    target: String,
    text: String,
}

static RECORDS: Mutex<Vec<Captured>> = Mutex::new(Vec::new());

thread_local! {
    /// Lets ureq's own trace records through, on this thread only.
    static UREQ_TRACE: Cell<bool> = const { Cell::new(false) };
}

/// Everything at `trace`, except `ureq*` targets at `debug` (the README's advice)
/// unless the thread asked for ureq's trace too.
struct Capture;

impl Log for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        !metadata.target().starts_with("ureq")
            || metadata.level() <= Level::Debug
            || UREQ_TRACE.with(Cell::get)
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            RECORDS.lock().unwrap().push(Captured {
                thread: std::thread::current().id(),
                level: record.level(),
                target: record.target().to_owned(),
                text: record.args().to_string(),
            });
        }
    }

    fn flush(&self) {}
}

fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // `set_logger` with a static: `set_boxed_logger` needs log's `std` feature.
        static CAPTURE: Capture = Capture;
        log::set_logger(&CAPTURE).expect("no other logger");
        log::set_max_level(LevelFilter::Trace);
    });
}

/// Runs `f` with the logger installed and returns the records it made.
fn captured(f: impl FnOnce()) -> Vec<Captured> {
    install();
    let me = std::thread::current().id();
    RECORDS.lock().unwrap().retain(|r| r.thread != me);
    f();
    RECORDS
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.thread == me)
        .cloned()
        .collect()
}

fn ours(records: &[Captured]) -> Vec<&Captured> {
    records
        .iter()
        .filter(|r| r.target == "telnyx_blocking")
        .collect()
}

/// Every text a record could carry a secret in: the messages, and the byte
/// stream of ureq-proto's hex dumps rebuilt from their ASCII columns.
fn haystack(records: &[Captured]) -> String {
    let mut text = String::new();
    let mut dump = String::new();
    for r in records {
        text.push_str(&r.text);
        text.push('\n');
        if r.target.starts_with("ureq_proto") && r.text.len() >= 16 {
            dump.push_str(&r.text[r.text.len() - 16..]);
        }
    }
    text + &dump
}

/// `secret` as it may show: as is, percent-encoded, or form-encoded.
fn forms(secret: &str) -> Vec<String> {
    let mut encoded = String::new();
    for b in secret.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    vec![secret.to_owned(), encoded, secret.replace(' ', "+")]
}

fn assert_absent(records: &[Captured], secrets: &[&str]) {
    let hay = haystack(records);
    for secret in secrets {
        for form in forms(secret) {
            if let Some(at) = hay.find(&form) {
                let from = hay[..at]
                    .char_indices()
                    .rev()
                    .nth(300)
                    .map_or(0, |(i, _)| i);
                let context: String = hay[from..].chars().take(400).collect();
                panic!("`{form}` was logged: …{context}…");
            }
        }
    }
}

#[test]
fn a_retried_call_logs_each_attempt_and_the_wait() {
    let server = TestServer::replies(vec![
        Reply::json(503, "{}")
            .header("Retry-After", "1")
            .header("x-request-id", "req-1"),
        Reply::json(200, &fixture("managed_account.json")).header("x-request-id", "req-2"),
    ]);
    let records = captured(|| {
        server
            .client()
            .managed_accounts()
            .retrieve("acct-7")
            .unwrap();
    });
    let ours = ours(&records);
    let lines: Vec<(Level, &str)> = ours.iter().map(|r| (r.level, r.text.as_str())).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let (level, text) = lines[0];
    assert_eq!(level, Level::Debug);
    assert!(
        text.starts_with("GET /managed_accounts/{id} -> 503 in "),
        "{text}"
    );
    assert!(
        text.ends_with("(attempt 1 of 3, request id req-1)"),
        "{text}"
    );
    // The wait is the server's 1 s plus up to 10 % of jitter (issue 21).
    let (level, text) = lines[1];
    assert_eq!(level, Level::Info);
    assert!(
        text.starts_with("GET /managed_accounts/{id} -> 503, retrying in 1")
            && text.ends_with("s (attempt 2 of 3 next)"),
        "{text}"
    );
    let (level, text) = lines[2];
    assert_eq!(level, Level::Debug);
    assert!(
        text.starts_with("GET /managed_accounts/{id} -> 200 in "),
        "{text}"
    );
    assert!(
        text.ends_with("(attempt 2 of 3, request id req-2)"),
        "{text}"
    );
    // The route template, never the id itself.
    assert!(ours.iter().all(|r| !r.text.contains("acct-7")));
}

#[test]
fn a_call_that_succeeds_at_once_logs_nothing_at_info() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let records = captured(|| {
        server.client().managed_accounts().retrieve("abc").unwrap();
    });
    let ours = ours(&records);
    assert_eq!(ours.len(), 1, "{ours:#?}");
    assert_eq!(ours[0].level, Level::Debug);
    assert!(ours.iter().all(|r| r.level > Level::Info));
}

#[test]
fn transport_failures_are_logged_by_class_and_the_give_up_says_why() {
    let refused = RefusedPort::new();
    let sleeps = Sleeps::new();
    let records = captured(|| {
        let client = builder_for(refused.url(), &sleeps).build().unwrap();
        assert!(client.managed_accounts().retrieve("abc").is_err());
    });
    let texts: Vec<&str> = ours(&records).iter().map(|r| r.text.as_str()).collect();
    let attempts: Vec<_> = texts
        .iter()
        .filter(|t| t.contains("-> connection failed (request not sent) in "))
        .collect();
    assert_eq!(attempts.len(), 3, "{texts:#?}");
    assert_eq!(
        texts.iter().filter(|t| t.contains("retrying in")).count(),
        2
    );
    assert!(
        texts.contains(&"GET /managed_accounts/{id}: not retried: 3 attempts made"),
        "{texts:#?}"
    );

    // A wait over max_retry_wait, and one past the deadline.
    for (builder_change, why) in [
        (
            None,
            "not retried: the server asked to wait 120s, more than max_retry_wait (60s)",
        ),
        (
            Some(Duration::from_secs(30)),
            "not retried: after a wait of 120s the deadline (30s) would have passed",
        ),
    ] {
        let server = TestServer::replies(vec![Reply::json(429, "{}").header("Retry-After", "120")]);
        let records = captured(|| {
            let mut builder = server.builder();
            if let Some(deadline) = builder_change {
                builder = builder
                    .deadline(deadline)
                    .max_retry_wait(Duration::from_secs(600));
            }
            assert!(
                builder
                    .build()
                    .unwrap()
                    .managed_accounts()
                    .retrieve("abc")
                    .is_err()
            );
        });
        let texts: Vec<String> = ours(&records).iter().map(|r| r.text.clone()).collect();
        assert!(texts.iter().any(|t| t.ends_with(why)), "{why}: {texts:#?}");
        assert_eq!(server.request_count(), 1);
    }
}

/// Every operation, failures included, against the mock; returns what must never
/// be logged.
fn tour(server: &MockServer) -> Vec<String> {
    let password = "Pa55word-EXAMPLE-do-not-log";
    let email = "larry.secret@example.com";
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    let accounts = client.managed_accounts();
    let created = accounts
        .create(
            CreateManagedAccount::new("Larry's Cat Food Inc")
                .email(email)
                .password(password),
        )
        .unwrap();
    let found: Vec<_> = accounts
        .list(ListManagedAccounts::new().email_eq(email))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(found.len(), 1);
    accounts.retrieve(&created.id).unwrap();
    accounts
        .update(
            &created.id,
            UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
        )
        .unwrap();
    accounts.actions().disable(&created.id).unwrap();
    accounts
        .actions()
        .enable(&created.id, EnableManagedAccount::new())
        .unwrap();
    accounts
        .update_global_channel_limit(
            &created.id,
            UpdateGlobalChannelLimit::new().channel_limit(3),
        )
        .unwrap();
    accounts.get_allocatable_global_outbound_channels().unwrap();
    let users = client.organizations().users();
    let listed: Vec<_> = users
        .list(ListOrganizationUsers::new().email_contains("nobody.secret@example.com"))
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(listed.is_empty());
    let user_id = users
        .list(ListOrganizationUsers::new())
        .next()
        .unwrap()
        .unwrap()
        .id
        .unwrap();
    users
        .retrieve(
            &user_id,
            RetrieveOrganizationUser::new().include_groups(true),
        )
        .unwrap();
    users.get_groups_report().unwrap();
    users.get_groups_report_csv().unwrap();
    users.actions().remove(&user_id).unwrap();
    assert!(
        accounts
            .retrieve("00000000-0000-4000-8000-000000000000")
            .is_err()
    );
    // A wrong key: a 401.
    let wrong = Telnyx::builder()
        .api_key("KEY_EXAMPLE_wrong_0123456789")
        .base_url(server.url())
        .build()
        .unwrap();
    assert!(wrong.managed_accounts().retrieve(&created.id).is_err());
    let mut secrets = vec![
        server.api_key().to_owned(),
        "KEY_EXAMPLE_wrong_0123456789".to_owned(),
        password.to_owned(),
        email.to_owned(),
        "nobody.secret@example.com".to_owned(),
    ];
    secrets.extend(created.api_key.map(|k| k.expose().to_owned()));
    secrets.extend(created.api_token.map(|k| k.expose().to_owned()));
    assert!(
        secrets.len() >= 7,
        "the mock returns the new account's credentials"
    );
    secrets
}

#[test]
fn no_secret_in_any_record_at_trace_with_ureq_at_debug() {
    let server = MockServer::start();
    let mut secrets = Vec::new();
    let records = captured(|| secrets = tour(&server));
    assert!(records.iter().any(|r| r.target.starts_with("ureq")));
    let ours = ours(&records);
    // Every operation logged, each under its route template.
    let routes: std::collections::BTreeSet<&str> = ours
        .iter()
        .filter(|r| {
            ["GET /", "POST /", "PATCH /"]
                .iter()
                .any(|m| r.text.starts_with(m))
        })
        .filter_map(|r| r.text.split(" -> ").next())
        .collect();
    assert_eq!(
        routes.into_iter().collect::<Vec<_>>(),
        [
            "GET /managed_accounts",
            "GET /managed_accounts/allocatable_global_outbound_channels",
            "GET /managed_accounts/{id}",
            "GET /organizations/users",
            "GET /organizations/users/users_groups_report",
            "GET /organizations/users/{id}",
            "PATCH /managed_accounts/{id}",
            "PATCH /managed_accounts/{id}/update_global_channel_limit",
            "POST /managed_accounts",
            "POST /managed_accounts/{id}/actions/disable",
            "POST /managed_accounts/{id}/actions/enable",
            "POST /organizations/users/{id}/actions/remove",
        ]
    );
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_absent(&records, &secrets);
    assert_absent(&records, &[TEST_KEY]);
    // No body either: the account's name and JSON never show.
    assert_absent(&records, &["Larry's Cat Food", "\"data\""]);
}

#[test]
fn what_ureq_itself_logs_at_trace() {
    let server = MockServer::start();
    let mut secrets = Vec::new();
    let records = captured(|| {
        UREQ_TRACE.with(|t| t.set(true));
        secrets = tour(&server);
        UREQ_TRACE.with(|t| t.set(false));
    });
    let (crate_records, ureq_records): (Vec<_>, Vec<_>) = records
        .into_iter()
        .partition(|r| r.target == "telnyx_blocking");
    // The crate's own events stay clean whatever ureq does.
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_absent(&crate_records, &secrets);
    // At trace ureq-proto hex-dumps the request head it writes, Authorization
    // included, and every response it reads (the new account's credentials);
    // ureq logs the URL with its query (an email). Hence: ureq at debug or below.
    let hay = haystack(&ureq_records);
    for (leak, what) in [
        (format!("Bearer.{}", server.api_key()), "the request head"),
        ("larry.secret%40example.com".to_owned(), "query values"),
        ("\"api_token\"".to_owned(), "response bodies"),
    ] {
        assert!(
            hay.contains(&leak),
            "ureq no longer logs {what} at trace: update the README and this test"
        );
    }
    // Request bodies are not dumped: the password does not show even then.
    assert_absent(&ureq_records, &["Pa55word-EXAMPLE-do-not-log"]);
}

#[test]
fn a_backoff_over_max_retry_wait_is_not_blamed_on_the_server() {
    let server = TestServer::replies(vec![Reply::json(503, "{}")]);
    let records = captured(|| {
        let client = server
            .builder()
            .max_retry_wait(Duration::from_millis(100))
            .build()
            .unwrap();
        assert!(client.managed_accounts().retrieve("abc").is_err());
    });
    let texts: Vec<String> = ours(&records).iter().map(|r| r.text.clone()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains(": not retried: the backoff is ")
                && t.ends_with(", more than max_retry_wait (100ms)")),
        "{texts:#?}"
    );
    assert_eq!(server.request_count(), 1);
}
