//! Transport behaviours pinned through the public API before the transport was
//! rewritten in 0.3: until 0.3 some were checked only by unit tests inside
//! the modules that moved. Each test here fails if its rule is broken.

mod support;

use std::time::Duration;

use support::faults::{Action, FaultServer, Sleeps};
use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::managed_accounts::CreateManagedAccount;
use telnyx_blocking::{Error, ErrorKind, Telnyx};

fn rate_limited() -> Action {
    Action::json(
        429,
        r#"{"errors":[{"code":"10011","title":"Too many requests"}]}"#,
    )
}

fn ok() -> Action {
    Action::json(200, &fixture("managed_account.json"))
}

#[test]
fn an_id_is_one_path_segment_on_the_wire() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.client();
    for (id, line) in [
        ("a/b", "/managed_accounts/a%2Fb"),
        ("../x", "/managed_accounts/..%2Fx"),
        ("a?b", "/managed_accounts/a%3Fb"),
        ("a#b", "/managed_accounts/a%23b"),
        ("100%", "/managed_accounts/100%25"),
    ] {
        client.managed_accounts().retrieve(id).unwrap();
        let seen = server.requests().pop().unwrap();
        assert_eq!(seen.target, line, "id {id:?}");
    }
}

#[test]
fn a_huge_ratelimit_reset_is_capped_by_max_retry_wait() {
    let server = FaultServer::start(vec![
        rate_limited().header("x-ratelimit-reset", "999999999"),
        ok(),
    ]);
    let sleeps = Sleeps::new();
    let err = server
        .client(&sleeps)
        .managed_accounts()
        .retrieve("x")
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(server.requests(), 1);
    assert_eq!(sleeps.count(), 0, "nothing slept past max_retry_wait");
}

#[test]
fn a_get_answered_501_is_not_retried() {
    let server = TestServer::replies(vec![Reply::empty(501)]);
    let err = server
        .client()
        .managed_accounts()
        .retrieve("x")
        .unwrap_err();
    assert_eq!(err.status(), Some(501));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_create_answered_500_is_not_retried() {
    let server = TestServer::replies(vec![Reply::empty(500)]);
    let err = server
        .client()
        .managed_accounts()
        .create(CreateManagedAccount::new("Acme"))
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn too_many_response_headers_are_not_retried() {
    // More headers than ureq parses (128): the same answer fails the same way again.
    let mut reply = Action::status(200);
    for i in 0..200 {
        reply = reply.header(&format!("x-h{i}"), "v");
    }
    let server = FaultServer::start(vec![reply, ok()]);
    let sleeps = Sleeps::new();
    let err = server
        .client(&sleeps)
        .managed_accounts()
        .retrieve("x")
        .unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert_eq!(server.requests(), 1);
    assert_eq!(sleeps.count(), 0);
}

#[test]
fn a_server_wait_gets_at_most_ten_percent_more() {
    let server = FaultServer::start(vec![rate_limited().header("Retry-After", "2"), ok()]);
    let sleeps = Sleeps::new();
    server
        .client(&sleeps)
        .managed_accounts()
        .retrieve("x")
        .unwrap();
    let waits = sleeps.all();
    assert_eq!(waits.len(), 1);
    let asked = Duration::from_secs(2);
    assert!(
        waits[0] >= asked && waits[0] <= asked.mul_f64(1.1),
        "{waits:?}"
    );
}

fn config_error(result: telnyx_blocking::Result<Telnyx>) -> (ErrorKind, String) {
    match result {
        Err(Error::Config(e)) => (e.kind(), e.message().to_owned()),
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[test]
fn a_telnyx_base_url_without_v2_is_refused() {
    for url in [
        "https://api.telnyx.com",
        "https://api.telnyx.com/",
        "https://api.telnyx.com/v1",
        "https://eu.telnyx.com",
    ] {
        let built = Telnyx::builder()
            .read_env(false)
            .api_key(TEST_KEY)
            .base_url(url)
            .build();
        if !cfg!(any(feature = "rustls", feature = "native-tls")) {
            continue;
        }
        let (kind, message) = config_error(built);
        assert_eq!(kind, ErrorKind::InvalidBaseUrl, "{url}");
        assert!(message.contains("/v2"), "{url}: {message}");
    }
    if cfg!(any(feature = "rustls", feature = "native-tls")) {
        // Gateways and proxies keep any path, or none.
        for url in [
            "https://gateway.example.com",
            "https://api.telnyx.com/v2/",
            "https://gw.example.com/telnyx",
        ] {
            let client = Telnyx::builder()
                .read_env(false)
                .api_key(TEST_KEY)
                .base_url(url)
                .build();
            assert!(client.is_ok(), "{url}: {client:?}");
        }
    }
}

#[test]
fn an_api_key_with_whitespace_names_the_builder_and_suggests_trimming() {
    for key in [
        "KEY_EXAMPLE\n",
        " KEY_EXAMPLE",
        "KEY\tEXAMPLE",
        "KEY\u{7f}X",
    ] {
        let (kind, message) = config_error(Telnyx::builder().read_env(false).api_key(key).build());
        assert_eq!(kind, ErrorKind::InvalidApiKey);
        assert!(message.contains("api_key"), "{message}");
        assert!(message.contains("trim"), "{message}");
        assert!(
            !message.contains("EXAMPLE"),
            "the key is never quoted: {message}"
        );
    }
}
