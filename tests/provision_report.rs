//! What `create_or_find` tells: one `info` record per decision (found, recovered,
//! gave up) and its waits at `debug`, never the email, key or password; and
//! `ProvisionOutcome` as text for scripts. One logger per test binary, so this
//! file has its own.

use std::sync::Mutex;
use std::time::Duration;

use log::{Level, LevelFilter, Log, Metadata, Record};
use telnyx_blocking::Telnyx;
use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOptions, ProvisionOutcome};
use telnyx_blocking::mock::{MockFault, MockRule, MockServer};

static RECORDS: Mutex<Vec<(Level, String)>> = Mutex::new(Vec::new());

struct Capture;

impl Log for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("telnyx_blocking")
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let text = record.args().to_string();
            RECORDS.lock().unwrap().push((record.level(), text));
        }
    }

    fn flush(&self) {}
}

static LOGGER: Capture = Capture;

const EMAIL: &str = "larry.private@report.example.com";
const PASSWORD: &str = "pw-Report-9f8e7d";

fn records_about_provisioning() -> Vec<(Level, String)> {
    RECORDS
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, text)| text.starts_with("create_or_find"))
        .cloned()
        .collect()
}

#[test]
fn create_or_find_logs_each_decision_without_personal_data() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(LevelFilter::Trace);
    let server = MockServer::builder().list_visibility_lag(2).start();
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    let request = CreateManagedAccount::new("Report Co")
        .email(EMAIL)
        .password(PASSWORD);
    let options = || {
        ProvisionOptions::new()
            .visibility_wait(Duration::from_secs(2))
            .poll_interval(Duration::from_millis(500))
    };

    // Created: a plain success is not a decision worth an info line.
    let created = client
        .managed_accounts()
        .create_or_find(request.clone())
        .unwrap();
    assert_eq!(created.how, ProvisionOutcome::Created);
    assert!(
        records_about_provisioning().is_empty(),
        "{:?}",
        records_about_provisioning()
    );

    // Existing.
    let again = client
        .managed_accounts()
        .create_or_find_with(request.clone(), options());
    assert_eq!(again.unwrap().how, ProvisionOutcome::Existing);
    let found = records_about_provisioning();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Level::Info);
    assert!(found[0].1.contains("found an account"), "{found:?}");

    // Recovered, after lookups that wait for the lagging list (debug lines).
    RECORDS.lock().unwrap().clear();
    server.fail(
        MockRule::on("POST", "/v2/managed_accounts"),
        MockFault::ResetAfterProcessing,
    );
    let other = CreateManagedAccount::new("Report Co 2")
        .email("second.private@report.example.com")
        .password(PASSWORD);
    let recovered = client
        .managed_accounts()
        .create_or_find_with(other, options())
        .unwrap();
    assert_eq!(recovered.how, ProvisionOutcome::Recovered);
    let lines = records_about_provisioning();
    let infos: Vec<_> = lines.iter().filter(|(l, _)| *l == Level::Info).collect();
    assert_eq!(infos.len(), 1, "{lines:?}");
    assert!(infos[0].1.contains("recovered"), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|(l, t)| *l == Level::Debug && t.contains("looking again")),
        "the waits between lookups are logged at debug: {lines:?}"
    );

    // Gave up: the create's answer is lost and the account never shows.
    RECORDS.lock().unwrap().clear();
    let hidden = MockServer::builder().list_visibility_lag(1000).start();
    let client = Telnyx::builder()
        .api_key(hidden.api_key())
        .base_url(hidden.url())
        .max_retries(0)
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    hidden.fail(
        MockRule::on("POST", "/v2/managed_accounts"),
        MockFault::ResetAfterProcessing,
    );
    let err = client
        .managed_accounts()
        .create_or_find_with(request, options())
        .unwrap_err();
    assert!(
        matches!(err, telnyx_blocking::Error::OutcomeUnknown(_)),
        "{err:?}"
    );
    let lines = records_about_provisioning();
    assert!(
        lines
            .iter()
            .any(|(l, t)| *l == Level::Info && t.contains("gave up")),
        "{lines:?}"
    );

    let everything = format!("{:?}", RECORDS.lock().unwrap());
    for secret in [
        EMAIL,
        "second.private",
        "report.example.com",
        PASSWORD,
        hidden.api_key(),
    ] {
        assert!(!everything.contains(secret), "{secret} in a log record");
    }
}

#[test]
fn provision_outcome_prints_and_parses_its_name() {
    for (how, text) in [
        (ProvisionOutcome::Created, "created"),
        (ProvisionOutcome::Existing, "existing"),
        (ProvisionOutcome::Recovered, "recovered"),
    ] {
        assert_eq!(how.to_string(), text);
        assert_eq!(text.parse::<ProvisionOutcome>().unwrap(), how);
    }
    let err = "made".parse::<ProvisionOutcome>().unwrap_err();
    assert!(
        matches!(err, telnyx_blocking::Error::InvalidRequest(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("created"), "{err}");
}

#[test]
fn idempotency_keys_from_any_text_are_valid_stable_and_distinct() {
    let valid = |key: &str| {
        (1..=255).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-'))
    };
    let long = "é".repeat(400);
    let inputs = [
        "larry@example.com",
        "Larry@example.com",
        "row 17",
        "",
        long.as_str(),
        "a/b?c#d",
    ];
    let keys: Vec<String> = inputs
        .iter()
        .map(|text| CreateManagedAccount::idempotency_key_from(text))
        .collect();
    for (text, key) in inputs.iter().zip(&keys) {
        assert!(valid(key), "{text:?} gave {key:?}");
        assert_eq!(
            &CreateManagedAccount::idempotency_key_from(text),
            key,
            "stable"
        );
    }
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        keys.len(),
        "distinct texts give distinct keys: {keys:?}"
    );
}
