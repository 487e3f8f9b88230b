//! Per-call options (`Telnyx::with_options`): each override applies to the calls
//! made through the copy, and only to them; the copy shares the connection pool.
//!
//! The timeout case takes real time, bounded: a 300 ms attempt timeout against a
//! server that reads the request and then stalls until the client hangs up.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::faults::{Action, FaultServer, STALL_MAX, Sleeps};
use support::{Reply, TestServer, fixture};
use telnyx_blocking::{CallOptions, Error, ErrorKind};

fn account() -> String {
    fixture("managed_account.json")
}

#[test]
fn per_call_timeout_bounds_each_attempt() {
    // The client keeps its 60 s default; only the copy has 300 ms per attempt.
    let server = FaultServer::start(vec![Action::SlowHeaders(STALL_MAX)]);
    let sleeps = Sleeps::new();
    let client = server.client(&sleeps);
    let quick = client
        .with_options(
            CallOptions::new()
                .timeout(Duration::from_millis(300))
                .max_retries(1),
        )
        .unwrap();
    let err = quick.managed_accounts().retrieve("abc").unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    // Both attempts reached the server, and each one timed out.
    assert_eq!(server.requests_settled(2), 2);
    assert_eq!(sleeps.count(), 1);
}

#[test]
fn retries_and_retry_wait_are_overridden_for_the_copy_only() {
    let server = TestServer::replies(vec![Reply::json(503, "{}")]);
    let client = server.client();
    let once = client
        .with_options(CallOptions::new().max_retries(0))
        .unwrap();
    assert_eq!(
        once.managed_accounts()
            .retrieve("abc")
            .unwrap_err()
            .status(),
        Some(503)
    );
    assert_eq!(server.request_count(), 1);
    // The client itself still retries twice.
    assert!(client.managed_accounts().retrieve("abc").is_err());
    assert_eq!(server.request_count(), 4);

    let server = TestServer::replies(vec![Reply::json(429, "{}").header("Retry-After", "10")]);
    let client = server.client();
    let impatient = client
        .with_options(CallOptions::new().max_retry_wait(Duration::from_secs(5)))
        .unwrap();
    let err = impatient.managed_accounts().retrieve("abc").unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(server.request_count(), 1, "a 10 s wait is over the 5 s cap");
    assert!(client.managed_accounts().retrieve("abc").is_err());
    assert_eq!(server.request_count(), 4, "the client's own cap is 60 s");
}

#[test]
fn option_headers_are_added_and_replace_client_headers_of_the_same_name() {
    let server = TestServer::json(&account());
    let client = server
        .builder()
        .header("X-Team", "billing")
        .build()
        .unwrap();
    let copy = client
        .with_options(
            CallOptions::new()
                .header("x-team", "audit")
                .header("X-Run", "42"),
        )
        .unwrap();
    copy.managed_accounts().retrieve("abc").unwrap();
    client.managed_accounts().retrieve("abc").unwrap();
    let seen = server.requests();
    let values = |i: usize, name: &str| -> Vec<String> {
        seen[i]
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(values(0, "x-team"), ["audit"]);
    assert_eq!(values(0, "x-run"), ["42"]);
    assert_eq!(values(1, "x-team"), ["billing"]);
    assert!(values(1, "x-run").is_empty());
    // The copy still authenticates as the client.
    assert_eq!(
        seen[0].header("authorization"),
        seen[1].header("authorization")
    );
}

#[test]
fn invalid_options_are_config_errors_and_send_nothing() {
    let server = TestServer::json(&account());
    let client = server.client();
    let kind = |options: CallOptions| match client.with_options(options) {
        Err(Error::Config(e)) => e.kind(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        kind(CallOptions::new().timeout(Duration::ZERO)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(CallOptions::new().deadline(Duration::ZERO)),
        ErrorKind::InvalidValue
    );
    // ureq adds the timeout to Instant::now(): Duration::MAX would panic on the call.
    assert_eq!(
        kind(CallOptions::new().timeout(Duration::MAX)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(CallOptions::new().header("X-Bad", "a\r\nInjected: 1")),
        ErrorKind::InvalidHeader
    );
    assert_eq!(
        kind(CallOptions::new().header("Bad Name", "v")),
        ErrorKind::InvalidHeader
    );
    assert_eq!(
        kind(CallOptions::new().header("Authorization", "Bearer other")),
        ErrorKind::ReservedHeader
    );
    assert_eq!(server.request_count(), 0);
}

#[test]
fn copies_share_the_connection_pool() {
    let server = TestServer::json(&account());
    let client = server.client();
    let copy = client
        .with_options(
            CallOptions::new()
                .timeout(Duration::from_secs(30))
                .deadline(Duration::from_secs(50))
                .header("X-Run", "1"),
        )
        .unwrap();
    for _ in 0..3 {
        client.managed_accounts().retrieve("abc").unwrap();
        copy.managed_accounts().retrieve("abc").unwrap();
    }
    assert_eq!(server.request_count(), 6);
    // A per-request timeout must not cost a new connection (nor a TLS handshake).
    assert_eq!(server.connection_count(), 1);
}

#[test]
fn options_stack_and_hooks_run_in_order() {
    let server = TestServer::json(&account());
    let order = Arc::new(Mutex::new(Vec::new()));
    let (a, b, c) = (order.clone(), order.clone(), order.clone());
    let client = server
        .builder()
        .on_response(move |_| a.lock().unwrap().push("client"))
        .build()
        .unwrap();
    let first = client
        .with_options(
            CallOptions::new()
                .max_retries(0)
                .on_response(move |_| b.lock().unwrap().push("first")),
        )
        .unwrap();
    let second = first
        .with_options(CallOptions::new().on_response(move |_| c.lock().unwrap().push("second")))
        .unwrap();
    second.managed_accounts().retrieve("abc").unwrap();
    assert_eq!(*order.lock().unwrap(), ["client", "first", "second"]);
    order.lock().unwrap().clear();
    client.managed_accounts().retrieve("abc").unwrap();
    assert_eq!(*order.lock().unwrap(), ["client"]);
}
