//! The whole-call deadline (`TelnyxBuilder::deadline`, `CallOptions::deadline`):
//! it bounds every attempt and the waits between them; a retry that could not
//! start before it is not made, and the last error is returned.
//!
//! No test sleeps: waits go to a recorder. The stalling cases take real time,
//! bounded by a 300 ms deadline; they assert what happened (error kind, requests
//! the server saw, waits asked for), never how long it took.

mod support;

use std::time::Duration;

use support::faults::{Action, FaultServer, STALL_MAX, Sleeps};
use support::{Reply, TestServer, fixture};
use telnyx_blocking::{CallOptions, Error, ErrorKind};

#[test]
fn a_stalling_call_ends_at_the_deadline_without_retrying() {
    // timeout 60 s (the default) and 2 retries: without the deadline this call
    // would wait for the server to give up after STALL_MAX, three times.
    let server = FaultServer::start(vec![Action::SlowHeaders(STALL_MAX)]);
    let sleeps = Sleeps::new();
    let client = server
        .builder(&sleeps)
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve("abc").unwrap_err();
    // The attempt's own timeout was what was left of the deadline.
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    // Nothing was left for a retry, so none was made, nor waited for.
    assert_eq!(server.requests_settled(1), 1);
    assert_eq!(sleeps.count(), 0);
}

#[test]
fn a_per_call_deadline_applies_to_the_copy_only() {
    let server = FaultServer::start(vec![Action::SlowHeaders(STALL_MAX)]);
    let sleeps = Sleeps::new();
    let client = server.client(&sleeps);
    let bounded = client
        .with_options(CallOptions::new().deadline(Duration::from_millis(300)))
        .unwrap();
    let err = bounded
        .organizations()
        .users()
        .get_groups_report()
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(server.requests_settled(1), 1);
    assert_eq!(sleeps.count(), 0);
}

#[test]
fn a_retry_whose_wait_ends_past_the_deadline_is_not_started() {
    let server = TestServer::replies(vec![Reply::json(503, "{}").header("Retry-After", "2")]);
    let sleeps = Sleeps::new();
    let client = server
        .builder()
        .sleep_fn(sleeps.recorder())
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve("abc").unwrap_err();
    // The last error, as it came.
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(server.request_count(), 1);
    assert_eq!(
        sleeps.count(),
        0,
        "a wait that cannot end in time is not slept"
    );
}

#[test]
fn retries_that_fit_in_the_deadline_are_made() {
    let server = TestServer::replies(vec![
        Reply::json(503, "{}").header("Retry-After", "1"),
        Reply::json(200, &fixture("managed_account.json")),
    ]);
    let sleeps = Sleeps::new();
    let client = server
        .builder()
        .sleep_fn(sleeps.recorder())
        .deadline(Duration::from_secs(60))
        .build()
        .unwrap();
    client.managed_accounts().retrieve("abc").unwrap();
    assert_eq!(server.request_count(), 2);
    // The server's wait, plus the jitter of up to 10 % added since 0.3 (issue 21).
    let waits = sleeps.all();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] >= Duration::from_secs(1) && waits[0] <= Duration::from_millis(1100),
        "{waits:?}"
    );
}

#[test]
fn a_zero_deadline_is_refused_by_build() {
    match telnyx_blocking::Telnyx::builder()
        .api_key("KEY_EXAMPLE")
        .deadline(Duration::ZERO)
        .build()
    {
        Err(Error::Config(e)) => assert_eq!(e.kind(), ErrorKind::InvalidValue),
        other => panic!("{other:?}"),
    }
}
