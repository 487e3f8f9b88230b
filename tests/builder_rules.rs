//! Builder settings that would make every call fail are refused by `build`,
//! with a kind a program can branch on, and before any I/O.

mod support;

use std::time::Duration;

use support::{TEST_KEY, TestServer, fixture};
use telnyx_blocking::{Error, ErrorKind, Telnyx, TelnyxBuilder};

fn config_kind(builder: TelnyxBuilder) -> Option<ErrorKind> {
    match builder.build() {
        Err(Error::Config(e)) => Some(e.kind()),
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(_) => None,
    }
}

type Setting = fn(TelnyxBuilder) -> TelnyxBuilder;

#[test]
fn values_that_fail_every_call_are_invalid_at_build_time() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let cases: [(&str, Setting); 5] = [
        ("timeout(ZERO)", |b| b.timeout(Duration::ZERO)),
        ("connect_timeout(ZERO)", |b| {
            b.connect_timeout(Duration::ZERO)
        }),
        ("max_response_bytes(0)", |b| b.max_response_bytes(0)),
        ("timeout(MAX)", |b| b.timeout(Duration::MAX)),
        ("connect_timeout(MAX)", |b| b.connect_timeout(Duration::MAX)),
    ];
    for (name, set) in cases {
        assert_eq!(
            config_kind(set(server.builder())),
            Some(ErrorKind::InvalidValue),
            "{name}"
        );
    }
    assert_eq!(server.request_count(), 0);
}

#[test]
fn small_but_workable_values_are_accepted() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server
        .builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_millis(1))
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    client.managed_accounts().retrieve("x").unwrap();
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_year_long_timeout_is_accepted_and_works() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let year = Duration::from_secs(365 * 24 * 3600);
    let client = server
        .builder()
        .timeout(year)
        .connect_timeout(year)
        .build()
        .unwrap();
    client.managed_accounts().retrieve("x").unwrap();
}

#[test]
fn missing_key_says_which_setting_to_use() {
    match Telnyx::builder().read_env(false).build() {
        Err(Error::Config(e)) => {
            assert_eq!(e.kind(), ErrorKind::MissingApiKey);
            assert!(e.message().contains("TelnyxBuilder::api_key"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // An explicit key never comes from the environment, so it never leaks into errors.
    let err = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(format!("ftp://{TEST_KEY}.example"))
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains(TEST_KEY), "{err}");
}
