//! MockServer's fault injection through the real client: faults aimed at one
//! route, processed-or-not connection drops, delays, broken bodies, each 429
//! hint form, the list visibility lag and the rate-limit headers of successes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
use telnyx_blocking::mock::{MockFault, MockRetryHint, MockRule, MockServer};
use telnyx_blocking::{Error, RequestOutcome, Telnyx};

const ACME: &str = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";

fn client_with(server: &MockServer, max_retries: u32) -> (Telnyx, Arc<Mutex<Vec<Duration>>>) {
    let sleeps = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sleeps);
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .max_retries(max_retries)
        .timeout(Duration::from_millis(300))
        .sleep_fn(move |d| seen.lock().unwrap().push(d))
        .build()
        .unwrap();
    (client, sleeps)
}

fn no_retry(server: &MockServer) -> Telnyx {
    client_with(server, 0).0
}

fn accounts(client: &Telnyx) -> usize {
    client
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .count()
}

fn create(client: &Telnyx) -> telnyx_blocking::Result<String> {
    client
        .managed_accounts()
        .create(CreateManagedAccount::new("Faulty Co").email("faulty@example.com"))
        .map(|a| a.id)
}

#[test]
fn a_rule_hits_only_its_method_and_path() {
    let server = MockServer::start();
    let client = no_retry(&server);
    let ma = client.managed_accounts();
    server.fail(
        MockRule::on("get", "/v2/managed_accounts/*/"),
        MockFault::Status(500),
    );
    // Other routes and methods pass untouched, and do not use the rule up.
    assert_eq!(accounts(&client), 2);
    ma.update(ACME, Default::default()).unwrap();
    let users = client.organizations().users();
    assert_eq!(users.list(Default::default()).count(), 3);
    assert_eq!(ma.retrieve(ACME).unwrap_err().status(), Some(500));
    assert!(ma.retrieve(ACME).is_ok(), "once by default");
}

#[test]
fn after_and_times_pick_which_matching_requests_fail() {
    let server = MockServer::start();
    let client = no_retry(&server);
    let ma = client.managed_accounts();
    server.fail(
        MockRule::on("GET", "/managed_accounts/*").after(2).times(2),
        MockFault::Status(404),
    );
    let results: Vec<bool> = (0..5).map(|_| ma.retrieve(ACME).is_ok()).collect();
    assert_eq!(results, [true, true, false, false, true]);
}

#[test]
fn rules_and_fail_next_queue_in_order() {
    let server = MockServer::start();
    let client = no_retry(&server);
    server.fail_next(1, MockFault::Status(502));
    server.fail(MockRule::any(), MockFault::Status(504));
    let ma = client.managed_accounts();
    assert_eq!(ma.retrieve(ACME).unwrap_err().status(), Some(502));
    assert_eq!(ma.retrieve(ACME).unwrap_err().status(), Some(504));
    assert!(ma.retrieve(ACME).is_ok());
    server.fail_next(3, MockFault::Status(500));
    server.clear_faults();
    assert!(ma.retrieve(ACME).is_ok());
}

/// A connection dropped before the request is processed leaves the two
/// default accounts; dropped after, the create made a third. The client cannot
/// tell which: both are an unknown outcome.
#[test]
fn resets_before_and_after_processing() {
    for (fault, left) in [(MockFault::Reset, 2), (MockFault::ResetAfterProcessing, 3)] {
        let server = MockServer::start();
        let client = no_retry(&server);
        server.fail(MockRule::on("POST", "/managed_accounts"), fault.clone());
        let err = create(&client).unwrap_err();
        assert!(err.is_connection(), "{fault:?}: {err:?}");
        assert_eq!(err.outcome(), RequestOutcome::Unknown);
        assert_eq!(accounts(&client), left, "{fault:?}");
    }
}

#[test]
fn a_delay_makes_the_client_time_out_and_ends_at_shutdown() {
    let server = MockServer::start();
    let client = no_retry(&server);
    server.fail(
        MockRule::on("GET", "/managed_accounts/*"),
        MockFault::Delay(Duration::from_secs(3600)),
    );
    let err = client.managed_accounts().retrieve(ACME).unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // The delayed answer is still pending (capped at 60 s): shutdown must end
    // it rather than wait, or this test would hang.
    server.shutdown();
}

#[test]
fn a_delayed_create_is_processed_even_if_the_client_gave_up() {
    let server = MockServer::start();
    let client = no_retry(&server);
    server.fail(
        MockRule::on("POST", "/managed_accounts"),
        MockFault::Delay(Duration::from_secs(60)),
    );
    let err = create(&client).unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.outcome(), RequestOutcome::Unknown);
    assert_eq!(accounts(&client), 3);
}

#[test]
fn a_malformed_body_is_a_decode_error() {
    let server = MockServer::start();
    let client = no_retry(&server);
    server.fail_next(1, MockFault::MalformedBody);
    let err = client.managed_accounts().retrieve(ACME).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    server.fail(
        MockRule::on("POST", "/managed_accounts"),
        MockFault::MalformedBody,
    );
    assert!(matches!(create(&client), Err(Error::Decode(_))));
    assert_eq!(accounts(&client), 3, "processed, then the answer garbled");
}

#[test]
fn a_truncated_body_is_a_connection_error_after_sending() {
    let server = MockServer::start();
    let client = no_retry(&server);
    server.fail_next(1, MockFault::TruncatedBody);
    let err = client.managed_accounts().retrieve(ACME).unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert!(err.request_may_have_been_sent());
    // A read is retried past it.
    let (retrying, _) = client_with(&server, 1);
    server.fail_next(1, MockFault::TruncatedBody);
    assert!(retrying.managed_accounts().retrieve(ACME).is_ok());
}

#[test]
fn every_rate_limit_hint_form_sets_the_wait() {
    let cases = [
        (MockRetryHint::RetryAfterSecs(3), 3_000),
        (MockRetryHint::RetryAfterMs(1_500), 1_500),
        (MockRetryHint::RateLimitReset(7), 7_000),
    ];
    for (hint, ms) in cases {
        let server = MockServer::start();
        let (client, sleeps) = client_with(&server, 1);
        server.fail_next(1, MockFault::RateLimitedWith(hint));
        client.managed_accounts().retrieve(ACME).unwrap();
        // What was asked for, plus up to 10 % of jitter (issue 21).
        let waits = sleeps.lock().unwrap().clone();
        let asked = Duration::from_millis(ms);
        assert_eq!(waits.len(), 1, "{hint:?}");
        assert!(
            waits[0] >= asked && waits[0] <= asked.mul_f64(1.1),
            "{hint:?}: {waits:?}"
        );
    }
    // An HTTP date has whole seconds: the wait is at most what was asked for.
    let server = MockServer::start();
    let (client, sleeps) = client_with(&server, 1);
    server.fail_next(
        1,
        MockFault::RateLimitedWith(MockRetryHint::RetryAfterDate(30)),
    );
    client.managed_accounts().retrieve(ACME).unwrap();
    let wait = sleeps.lock().unwrap()[0];
    assert!(
        wait > Duration::from_secs(28) && wait <= Duration::from_secs(33),
        "{wait:?}"
    );
    // Without a hint the client's own backoff applies; the error says 429.
    let server = MockServer::start();
    let plain = no_retry(&server);
    server.fail_next(1, MockFault::RateLimitedWith(MockRetryHint::None));
    let err = plain.managed_accounts().retrieve(ACME).unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), None);
    server.fail_next(
        1,
        MockFault::RateLimitedWith(MockRetryHint::RateLimitReset(9)),
    );
    let err = plain.managed_accounts().retrieve(ACME).unwrap_err();
    let limits = err.api_error().unwrap().rate_limit();
    assert_eq!(limits.remaining, Some(0));
    assert_eq!(limits.reset, Some(Duration::from_secs(9)));
}

#[test]
fn new_accounts_show_in_lists_after_the_lag() {
    let server = MockServer::builder().list_visibility_lag(2).start();
    let client = no_retry(&server);
    let id = create(&client).unwrap();
    assert_eq!(client.managed_accounts().retrieve(&id).unwrap().id, id);
    assert_eq!(accounts(&client), 0);
    assert_eq!(accounts(&client), 0);
    assert_eq!(accounts(&client), 1);
    // Its email is taken at once, visible or not.
    let server = MockServer::builder().list_visibility_lag(5).start();
    let second = no_retry(&server);
    create(&second).unwrap();
    assert_eq!(create(&second).unwrap_err().status(), Some(422));
}

#[test]
fn successful_answers_carry_rate_limit_headers() {
    let server = MockServer::builder().rate_limit(2).start();
    let get = || {
        let response = ureq::get(format!("{}/managed_accounts", server.url()))
            .header("Authorization", format!("Bearer {}", server.api_key()))
            .call()
            .unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        (
            header("x-ratelimit-limit"),
            header("x-ratelimit-remaining"),
            header("x-ratelimit-reset"),
        )
    };
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(get(), (s("2"), s("1"), s("60")));
    assert_eq!(get(), (s("2"), s("0"), s("60")));
    assert_eq!(get(), (s("2"), s("1"), s("60")));
}

#[test]
fn status_after_processing_loses_the_answer_of_a_create_that_worked() {
    let server = MockServer::builder().start();
    let (client, _) = client_with(&server, 2);
    server.fail(
        MockRule::on("POST", "/managed_accounts"),
        MockFault::StatusAfterProcessing(500),
    );
    let err = client
        .managed_accounts()
        .create(CreateManagedAccount::new("Lost Answer Co"))
        .unwrap_err();
    assert_eq!(err.status(), Some(500), "{err:?}");
    // The create was not retried (a 500 on a create may have acted), and it did act.
    assert_eq!(server.request_count(), 1);
    let found: Vec<_> = client
        .managed_accounts()
        .list(ListManagedAccounts::new().organization_name_eq("Lost Answer Co"))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(found.len(), 1);
}
