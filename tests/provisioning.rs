//! Exactly-once account creation (`ManagedAccounts::create_or_find`) through the
//! real client against `MockServer`: whatever fault hits the create, the mock
//! ends up with one account for the email, or none and an error whose outcome
//! is unknown, never two.

use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, ListManagedAccounts, ProvisionOptions, ProvisionOutcome, Provisioned,
};
use telnyx_blocking::mock::{
    MockAccount, MockAccountStatus, MockFault, MockRetryHint, MockRule, MockServer,
};
use telnyx_blocking::{Error, ErrorKind, RequestOutcome, Result, Telnyx};

const EMAIL: &str = "ops@provisioned.example.com";

/// A client whose waits are recorded, never slept.
fn client(server: &MockServer) -> (Telnyx, Arc<Mutex<Vec<Duration>>>) {
    let sleeps = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sleeps);
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        .sleep_fn(move |d| seen.lock().unwrap().push(d))
        .build()
        .unwrap();
    (client, sleeps)
}

fn request() -> CreateManagedAccount {
    CreateManagedAccount::new("Provisioned Co").email(EMAIL)
}

fn creates() -> MockRule {
    MockRule::on("POST", "/managed_accounts")
}

/// Accounts the mock lists with this email (any case, cancelled included).
fn count(client: &Telnyx, email: &str) -> usize {
    client
        .managed_accounts()
        .list(
            ListManagedAccounts::new()
                .email_contains(email)
                .include_cancelled_accounts(true),
        )
        .map(|a| a.unwrap())
        .filter(|a| a.email.eq_ignore_ascii_case(email))
        .count()
}

fn posts(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count()
}

fn assert_full(p: &Provisioned) {
    assert_eq!(p.account.email, EMAIL);
    assert!(p.account.api_key.is_some(), "completed with a retrieve");
    assert!(p.account.api_token.is_some());
    assert!(p.account.balance.is_some());
}

#[test]
fn processed_then_dropped_create_is_recovered() {
    let server = MockServer::builder().start();
    let (client, _) = client(&server);
    server.fail(creates(), MockFault::ResetAfterProcessing);
    let p = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(p.how, ProvisionOutcome::Recovered);
    assert_full(&p);
    assert_eq!(posts(&server), 1, "found by its email: not sent again");
    assert_eq!(count(&client, EMAIL), 1);
}

#[test]
fn a_second_run_finds_the_account_and_creates_nothing() {
    let server = MockServer::builder().start();
    let (client, _) = client(&server);
    let first = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(first.how, ProvisionOutcome::Created);
    assert_full(&first);
    let second = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(second.how, ProvisionOutcome::Existing);
    assert_full(&second);
    assert_eq!(second.account.id, first.account.id);
    assert_eq!(posts(&server), 1);
    assert_eq!(count(&client, EMAIL), 1);
}

#[test]
fn eight_threads_one_account() {
    let server = MockServer::builder().start();
    let (client, _) = client(&server);
    let barrier = Arc::new(Barrier::new(8));
    let results: Vec<Provisioned> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                let barrier = Arc::clone(&barrier);
                scope.spawn(move || {
                    barrier.wait();
                    client.managed_accounts().create_or_find(request())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect()
    });
    let id = &results[0].account.id;
    assert!(results.iter().all(|p| &p.account.id == id));
    results.iter().for_each(assert_full);
    let created = results
        .iter()
        .filter(|p| p.how == ProvisionOutcome::Created)
        .count();
    assert_eq!(
        created,
        1,
        "{:?}",
        results.iter().map(|p| p.how).collect::<Vec<_>>()
    );
    assert!(results.iter().all(|p| p.how != ProvisionOutcome::Recovered));
    assert_eq!(count(&client, EMAIL), 1);
}

/// A 1 s wait looking every 250 ms: 5 lookups per wait.
fn five_lookups() -> ProvisionOptions {
    ProvisionOptions::new()
        .visibility_wait(Duration::from_secs(1))
        .poll_interval(Duration::from_millis(250))
}

#[test]
fn visibility_lag_shorter_than_the_wait_is_recovered() {
    let server = MockServer::builder().list_visibility_lag(3).start();
    let (client, sleeps) = client(&server);
    server.fail(creates(), MockFault::ResetAfterProcessing);
    let p = client
        .managed_accounts()
        .create_or_find_with(request(), five_lookups())
        .unwrap();
    assert_eq!(p.how, ProvisionOutcome::Recovered);
    assert_full(&p);
    assert_eq!(posts(&server), 1);
    // Three lookups missed it, each followed by a wait through sleep_fn.
    assert_eq!(*sleeps.lock().unwrap(), vec![Duration::from_millis(250); 3]);
    assert_eq!(count(&client, EMAIL), 1);
}

#[test]
fn visibility_lag_longer_than_the_wait_says_the_outcome_is_unknown() {
    let server = MockServer::builder().list_visibility_lag(40).start();
    let (client, sleeps) = client(&server);
    server.fail(creates(), MockFault::ResetAfterProcessing);
    let err = client
        .managed_accounts()
        .create_or_find_with(request(), five_lookups())
        .unwrap_err();
    assert_eq!(err.outcome(), RequestOutcome::Unknown, "{err}");
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("expected Error::OutcomeUnknown, got {err:?}");
    };
    assert!(
        err.to_string().contains("may or may not have been created"),
        "{err}"
    );
    assert!(
        unknown.is_connection(),
        "the lost create's own error: {err:?}"
    );
    // Sent again only after the wait, and refused: the email is taken.
    assert_eq!(posts(&server), 2);
    assert_eq!(sleeps.lock().unwrap().len(), 8, "two bounded waits");
    // Once visible, there is exactly one account, and a re-run finds it.
    let mut lists = 0;
    while count(&client, EMAIL) == 0 {
        lists += 1;
        assert!(lists < 40, "the lag is bounded");
    }
    assert_eq!(count(&client, EMAIL), 1);
    let again = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(again.how, ProvisionOutcome::Existing);
}

#[test]
fn a_race_lost_on_create_is_resolved_by_a_lookup() {
    // Another process created the account a moment ago: its email is taken,
    // but the first lookup cannot see it yet.
    let server = MockServer::builder().list_visibility_lag(1).start();
    let (client, _) = client(&server);
    let theirs = client.managed_accounts().create(request()).unwrap();
    let p = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(p.how, ProvisionOutcome::Existing);
    assert_eq!(p.account.id, theirs.id);
    assert_full(&p);
    assert_eq!(count(&client, EMAIL), 1);
}

#[test]
fn emails_compare_ignoring_case() {
    // The mock's exact filter is case-sensitive while its uniqueness check is
    // not, so the exact lookup misses and the 422 leads to a wider lookup.
    let server = MockServer::builder()
        .managed_account(MockAccount::new("Provisioned Co").email("Ops@Provisioned.Example.com"))
        .start();
    let (client, _) = client(&server);
    let p = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(p.how, ProvisionOutcome::Existing);
    assert_eq!(p.account.email, "Ops@Provisioned.Example.com");
    assert_eq!(count(&client, EMAIL), 1);
}

#[test]
fn a_cancelled_account_is_found_too() {
    let server = MockServer::builder()
        .managed_account(
            MockAccount::new("Provisioned Co")
                .email(EMAIL)
                .status(MockAccountStatus::Cancelled),
        )
        .start();
    let (client, _) = client(&server);
    let p = client.managed_accounts().create_or_find(request()).unwrap();
    assert_eq!(p.how, ProvisionOutcome::Existing);
    assert_eq!(posts(&server), 0);
}

#[test]
fn bad_requests_are_refused_before_any_io() {
    let server = MockServer::builder().start();
    let (client, _) = client(&server);
    let ma = client.managed_accounts();
    let kind = |r: Result<Provisioned>| match r {
        Err(Error::InvalidRequest(e)) => e.kind(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        kind(ma.create_or_find(CreateManagedAccount::new("No Email Co"))),
        ErrorKind::MissingField
    );
    assert_eq!(
        kind(ma.create_or_find(CreateManagedAccount::new("Blank Co").email("  "))),
        ErrorKind::MissingField
    );
    for key in ["", "has space", "line\nbreak", "ü", &"k".repeat(256)] {
        assert_eq!(
            kind(ma.create_or_find(request().idempotency_key(key))),
            ErrorKind::InvalidValue,
            "{key:?}"
        );
        assert!(matches!(
            ma.create(request().idempotency_key(key)),
            Err(Error::InvalidRequest(_))
        ));
    }
    assert_eq!(
        kind(ma.create_or_find_with(
            request(),
            ProvisionOptions::new().poll_interval(Duration::ZERO)
        )),
        ErrorKind::InvalidValue
    );
    assert_eq!(server.request_count(), 0);
}

#[test]
fn the_idempotency_key_goes_on_every_create_attempt() {
    let server = MockServer::builder().start();
    let (client, _) = client(&server);
    let key = format!("customer-4711:{}_x", "K".repeat(200));
    // The transport retries a 503; create_or_find sends again after a 500
    // that did nothing.
    server.fail(creates(), MockFault::Status(503));
    server.fail(creates().after(1), MockFault::Status(500));
    let p = client
        .managed_accounts()
        .create_or_find(request().idempotency_key(&key))
        .unwrap();
    assert_eq!(p.how, ProvisionOutcome::Created);
    let keys: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.header("idempotency-key").map(str::to_owned),
            )
        })
        .filter(|(m, _)| m == "POST")
        .map(|(_, k)| k)
        .collect();
    assert_eq!(keys, vec![Some(key.clone()); 3]);
    assert!(
        server.requests().iter().all(|r| !r.body.contains(&key)),
        "a header, not a body field"
    );
    // Lookups never carry it, and a create without one sends none.
    assert!(
        server
            .requests()
            .iter()
            .filter(|r| r.method == "GET")
            .all(|r| r.header("idempotency-key").is_none())
    );
    client
        .managed_accounts()
        .create(CreateManagedAccount::new("Keyless Co").email("keyless@example.com"))
        .unwrap();
    assert_eq!(
        server.requests().last().unwrap().header("idempotency-key"),
        None
    );
}

/// Every create fault the mock can inject, once or on every create: one
/// account, or none and an error whose outcome is unknown. Never two.
#[test]
fn every_create_fault_leaves_at_most_one_account() {
    let faults = [
        MockFault::Status(500),
        MockFault::Status(502),
        MockFault::Status(504),
        MockFault::Status(503),
        MockFault::RateLimited {
            retry_after_secs: 1,
        },
        MockFault::RateLimitedWith(MockRetryHint::RetryAfterMs(10)),
        MockFault::Reset,
        MockFault::ResetAfterProcessing,
        MockFault::Delay(Duration::from_secs(60)), // the client times out after sending
        MockFault::MalformedBody,
        MockFault::TruncatedBody,
    ];
    for fault in faults {
        for times in [1, u32::MAX] {
            let server = MockServer::builder().start();
            let (client, _) = client(&server);
            server.fail(creates().times(times), fault.clone());
            let result = client.managed_accounts().create_or_find(request());
            let n = count(&client, EMAIL);
            match &result {
                Ok(p) => {
                    assert_eq!(n, 1, "{fault:?} x{times}");
                    assert_full(p);
                }
                Err(e) => {
                    assert!(n <= 1, "{fault:?} x{times}: {n} accounts");
                    if n == 0 && e.outcome() == RequestOutcome::NotProcessed {
                        // Turned away every time (429/503): nothing made, and it says so.
                        assert!(matches!(e.status(), Some(429 | 503)), "{fault:?}: {e}");
                    } else {
                        assert_eq!(e.outcome(), RequestOutcome::Unknown, "{fault:?}: {e}");
                    }
                }
            }
            if times == 1 {
                assert!(result.is_ok(), "{fault:?} once: {result:?}");
            }
            // At most 1 + max_retries (2) creates, each with the transport's own retries.
            assert!(posts(&server) <= 9, "{fault:?}: {} POSTs", posts(&server));
        }
    }
}

#[test]
fn creates_again_only_within_the_retry_budget() {
    for (max_retries, expected) in [(0, 1), (2, 3)] {
        let server = MockServer::builder().start();
        let client = Telnyx::builder()
            .api_key(server.api_key())
            .base_url(server.url())
            .max_retries(max_retries)
            .sleep_fn(|_| {})
            .build()
            .unwrap();
        server.fail(creates().times(u32::MAX), MockFault::Status(500));
        let err = client
            .managed_accounts()
            .create_or_find(request())
            .unwrap_err();
        let Error::OutcomeUnknown(unknown) = &err else {
            panic!("expected Error::OutcomeUnknown, got {err:?}");
        };
        assert_eq!(unknown.status(), Some(500));
        assert_eq!(err.outcome(), RequestOutcome::Unknown);
        assert_eq!(posts(&server), expected, "max_retries {max_retries}");
        assert_eq!(count(&client, EMAIL), 0);
    }
}

/// `Error::outcome()` of a plain create under each fault: what the caller
/// branches on, and what `create_or_find` rests on.
#[test]
fn each_create_fault_has_its_outcome() {
    use RequestOutcome::{NotProcessed, Unknown};
    let cases = [
        (MockFault::Status(500), Unknown),
        (MockFault::Status(502), Unknown),
        (MockFault::Status(504), Unknown),
        (MockFault::Reset, Unknown),
        (MockFault::ResetAfterProcessing, Unknown),
        (MockFault::Delay(Duration::from_secs(60)), Unknown),
        (MockFault::MalformedBody, Unknown),
        (MockFault::TruncatedBody, Unknown),
        (MockFault::Status(503), NotProcessed),
        (
            MockFault::RateLimitedWith(MockRetryHint::RetryAfterMs(1)),
            NotProcessed,
        ),
        (MockFault::Status(422), NotProcessed),
        (MockFault::Status(400), NotProcessed),
    ];
    for (fault, outcome) in cases {
        let server = MockServer::builder().start();
        let (client, _) = client(&server);
        server.fail(creates().times(u32::MAX), fault.clone());
        let err = client.managed_accounts().create(request()).unwrap_err();
        assert_eq!(err.outcome(), outcome, "{fault:?}: {err}");
        // Consistent with request_may_have_been_sent: only a sent request
        // can have an unknown outcome.
        assert!(err.request_may_have_been_sent(), "{fault:?}");
    }
    // Nothing listens: never sent, not processed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = Telnyx::builder()
        .api_key("KEY_EXAMPLE_0000")
        .base_url(format!("http://127.0.0.1:{port}"))
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    let err = closed.managed_accounts().create(request()).unwrap_err();
    assert_eq!(err.outcome(), NotProcessed, "{err}");
    assert!(!err.request_may_have_been_sent());
    let err = closed
        .managed_accounts()
        .create_or_find(request())
        .unwrap_err();
    assert_eq!(err.outcome(), NotProcessed, "{err}");
}

/// The provisioning example's loop: onboard each customer, stop at the first
/// failure (as a script that dies would).
fn onboard(client: &Telnyx, customers: &[(&str, &str)]) -> Result<Vec<ProvisionOutcome>> {
    customers
        .iter()
        .map(|(name, email)| {
            let request = CreateManagedAccount::new(*name).email(*email);
            Ok(client.managed_accounts().create_or_find(request)?.how)
        })
        .collect()
}

#[test]
fn a_run_killed_at_any_request_can_be_rerun_with_no_duplicate() {
    let customers = [
        ("Alpha Co", "ops@alpha.example.com"),
        ("Beta Co", "ops@beta.example.com"),
        ("Gamma Co", "ops@gamma.example.com"),
    ];
    let requests_of_a_clean_run = {
        let server = MockServer::builder().start();
        let (client, _) = client(&server);
        onboard(&client, &customers).unwrap();
        server.request_count()
    };
    for k in 0..requests_of_a_clean_run {
        let server = MockServer::builder().start();
        let (client, _) = client(&server);
        // From request k on, the server acts and the answer never arrives: the
        // run dies right after the server did something.
        server.fail(
            MockRule::any().after(k as u32).times(u32::MAX),
            MockFault::ResetAfterProcessing,
        );
        assert!(onboard(&client, &customers).is_err(), "k = {k}");
        server.clear_faults();
        let second = onboard(&client, &customers).unwrap();
        assert!(
            second.iter().all(|how| *how != ProvisionOutcome::Recovered),
            "k = {k}: {second:?}"
        );
        for (_, email) in customers {
            assert_eq!(count(&client, email), 1, "k = {k}: {email}");
        }
    }
}
