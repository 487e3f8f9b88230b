//! `TelnyxBuilder::read_env`: with `false`, `TELNYX_API_KEY` and `TELNYX_BASE_URL`
//! are not read at all; by default they are. One test, because it changes the
//! process environment, which every other thread of this binary would see.

mod support;

use support::{TEST_KEY, TestServer, fixture};
use telnyx_blocking::{DEFAULT_BASE_URL, Error, ErrorKind, Telnyx};

#[test]
fn read_env_false_ignores_the_environment() {
    let server = TestServer::json(&fixture("managed_account.json"));
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe {
        std::env::set_var("TELNYX_API_KEY", TEST_KEY);
        std::env::set_var("TELNYX_BASE_URL", server.url());
    }

    // By default both variables are used: this client reaches the test server.
    let from_env = Telnyx::builder().sleep_fn(|_| {}).build().unwrap();
    assert_eq!(from_env.base_url(), server.url());
    from_env.managed_accounts().retrieve("x").unwrap();
    assert_eq!(server.request_count(), 1);

    // Without them: no key is found, whatever the environment holds.
    match Telnyx::builder().read_env(false).build() {
        Err(Error::Config(e)) => assert_eq!(e.kind(), ErrorKind::MissingApiKey),
        other => panic!("expected MissingApiKey, got {other:?}"),
    }
    // And the base URL is the default one, not TELNYX_BASE_URL (in a build
    // without TLS, that https default is refused, which shows the same).
    let isolated = Telnyx::builder()
        .read_env(false)
        .api_key("KEY_EXAMPLE_TENANT")
        .build();
    match isolated {
        Ok(client) => assert_eq!(client.base_url(), DEFAULT_BASE_URL),
        Err(Error::Config(e)) if !cfg!(any(feature = "rustls", feature = "native-tls")) => {
            assert_eq!(e.kind(), ErrorKind::TlsUnavailable)
        }
        Err(other) => panic!("{other:?}"),
    }
    // What is set explicitly still wins, with or without the environment.
    let explicit = Telnyx::builder()
        .read_env(false)
        .api_key(TEST_KEY)
        .base_url(server.url())
        .build()
        .unwrap();
    explicit.managed_accounts().retrieve("x").unwrap();
    assert_eq!(server.request_count(), 2);
}
