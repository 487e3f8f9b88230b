//! A hostile server cannot make an error's text unbounded, nor make the
//! caller's arithmetic on the numbers it sent overflow.

mod support;

use std::time::{Duration, Instant};

use support::{Reply, TEST_KEY, TestServer};
use telnyx_blocking::managed_accounts::ListManagedAccounts;
use telnyx_blocking::{Error, Telnyx};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";
const MB: usize = 1 << 20;
/// The documented bound on every formatted error.
const MAX_ERROR_TEXT: usize = 4096;

/// Every formatted form of `err`, and of each source below it, fits the bound.
fn assert_bounded(what: &str, err: &Error) {
    let mut forms = vec![
        ("Display", format!("{err}")),
        ("Display alternate", format!("{err:#}")),
        ("Debug", format!("{err:?}")),
        ("Debug alternate", format!("{err:#?}")),
    ];
    if let Some(api) = err.api_error() {
        forms.push(("ApiError Display", format!("{api}")));
        forms.push(("ApiError Debug", format!("{api:#?}")));
        forms.push(("body()", api.body().to_owned()));
    }
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        forms.push(("source Display", format!("{e}")));
        forms.push(("source Debug", format!("{e:?}")));
        source = e.source();
    }
    for (form, text) in forms {
        assert!(
            text.len() <= MAX_ERROR_TEXT,
            "{what}: {form} is {} bytes: {}…",
            text.len(),
            &text[..200.min(text.len())]
        );
    }
}

fn retrieve(server: &TestServer) -> Error {
    let client = server.builder().max_retries(0).build().unwrap();
    client.managed_accounts().retrieve(ID).unwrap_err()
}

#[test]
fn a_megabyte_string_in_a_200_gives_a_short_decode_error() {
    let huge = "x".repeat(MB);
    let server = TestServer::json(&format!(r#"{{"data":{{"id":"{ID}","balance":"{huge}"}}}}"#));
    let err = retrieve(&server);
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_bounded("decode", &err);
    // The start of the message and the field path are kept.
    assert_eq!(decode.path(), Some("data.balance"));
    assert!(err.to_string().contains("invalid type: string"), "{err}");
    // Debug does not say the message twice.
    let debug = format!("{err:?}");
    assert_eq!(debug.matches("invalid type").count(), 1, "{debug}");
}

#[test]
fn a_megabyte_key_in_a_200_gives_a_short_path() {
    let key = "k".repeat(MB);
    let server = TestServer::json(&format!(
        r#"{{"data":{{"id":"{ID}","balance":{{"{key}":}}}}}}"#
    ));
    let err = retrieve(&server);
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_bounded("decode path", &err);
}

#[test]
fn huge_error_details_headers_and_request_ids_are_cut() {
    let detail = "d".repeat(60_000);
    let envelope = format!(
        r#"{{"errors":[{{"code":"{detail}","title":"{detail}","detail":"{detail}","meta":{{"m":"{detail}"}}}}]}}"#
    );
    let mut headers = Reply::json(422, &envelope).header("x-request-id", &"r".repeat(30_000));
    for i in 0..40 {
        headers = headers.header(&format!("x-extra-{i}"), &"h".repeat(700));
    }
    let server = TestServer::replies(vec![
        headers,
        Reply::text(400, "text/plain", &"t\n".repeat(MB)),
        Reply::json(429, &envelope).header("retry-after", "1"),
    ]);
    let client = server.builder().max_retries(0).build().unwrap();
    for what in ["details", "text body", "rate limited"] {
        let err = client.managed_accounts().retrieve(ID).unwrap_err();
        assert!(err.api_error().is_some(), "{what}: {err:?}");
        assert_bounded(what, &err);
    }
}

#[test]
fn local_and_transport_errors_are_bounded_too() {
    let name = format!("X-{}", "n".repeat(MB));
    let config = Telnyx::builder()
        .api_key(TEST_KEY)
        .header(format!("{name} bad"), "v")
        .build()
        .unwrap_err();
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert_bounded("config", &config);

    let refused = support::faults::RefusedPort::new();
    let client = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(refused.url())
        .max_retries(0)
        .build()
        .unwrap();
    let long_id = "i".repeat(8 * 1024);
    let err = client.managed_accounts().retrieve(&long_id).unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert_bounded("connection", &err);
}

#[test]
fn rate_limit_numbers_cannot_overflow_the_callers_arithmetic() {
    let max = u64::MAX.to_string();
    let server = TestServer::replies(vec![
        Reply::json(429, "{}")
            .header("x-ratelimit-reset", &max)
            .header("x-ratelimit-limit", &max)
            .header("x-ratelimit-remaining", &max),
    ]);
    let err = retrieve(&server);
    let limits = err.api_error().unwrap().rate_limit();
    let reset = limits.reset.expect("a reset was sent");
    // What the README suggests: wait until the window resets.
    assert!(Instant::now().checked_add(reset).is_some(), "{reset:?}");
    assert!(reset <= Duration::from_secs(1_000_000_000), "{reset:?}");
    assert_eq!(limits.remaining, Some(u64::MAX));
}

#[test]
fn list_errors_are_bounded() {
    let huge = "p".repeat(MB);
    let server = TestServer::json(&format!(
        r#"{{"data":[],"meta":{{"page_number":"{huge}"}}}}"#
    ));
    let client = server.client();
    let mut list = client.managed_accounts().list(ListManagedAccounts::new());
    let err = list.find_map(Result::err).expect("a decode error");
    assert_bounded("list", &err);
}

#[test]
fn an_unresolved_create_is_bounded_too() {
    use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOptions};
    let detail = "d".repeat(60_000);
    let envelope = format!(r#"{{"errors":[{{"title":"{detail}","detail":"{detail}"}}]}}"#);
    let empty = r#"{"data":[],"meta":{"page_number":1,"total_pages":0}}"#;
    let server = TestServer::replies(vec![
        Reply::json(200, empty),
        Reply::json(500, &envelope),
        Reply::json(200, empty),
    ]);
    let client = server
        .builder()
        .max_retries(0)
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    let err = client
        .managed_accounts()
        .create_or_find_with(
            CreateManagedAccount::new("Example Co").email("ops@example.com"),
            ProvisionOptions::new().visibility_wait(Duration::ZERO),
        )
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
    assert_bounded("unresolved create", &err);
}

#[test]
fn a_body_cut_at_4_kib_says_so() {
    let server = TestServer::replies(vec![Reply::text(500, "text/plain", &"é".repeat(5_000))]);
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    let body = err.api_error().unwrap().body();
    assert!(body.len() <= 4096, "{}", body.len());
    assert!(body.ends_with("é…"), "{:?}", &body[body.len() - 8..]);
}
