//! Response metadata on success: every `Page` carries the status, request id and
//! rate-limit headers of its response, and response hooks see those of any call,
//! with the attempts made. Every number read from the server is bounded.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::managed_accounts::ListManagedAccounts;
use telnyx_blocking::{CallOptions, ResponseMeta, TelnyxBuilder};

fn list_page(number: u32, total: u32) -> String {
    let mut account: serde_json::Value =
        serde_json::from_str(&fixture("managed_account.json")).unwrap();
    // Each page its own account: the paginator stops on a repeated page.
    account["data"]["id"] = format!("account-{number}").into();
    serde_json::json!({
        "data": [account["data"]],
        "meta": {"page_number": number, "page_size": 1, "total_pages": total, "total_results": total},
    })
    .to_string()
}

fn with_rate_limit(reply: Reply, id: &str, remaining: u32) -> Reply {
    reply
        .header("x-request-id", id)
        .header("x-ratelimit-limit", "100")
        .header("x-ratelimit-remaining", &remaining.to_string())
        .header("x-ratelimit-reset", "30")
}

/// A builder whose hook records every `ResponseMeta` it is given.
fn recording(builder: TelnyxBuilder) -> (TelnyxBuilder, Arc<Mutex<Vec<ResponseMeta>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let builder = builder.on_response(move |meta| sink.lock().unwrap().push(meta.clone()));
    (builder, seen)
}

#[test]
fn each_page_carries_the_metadata_of_its_response() {
    let server = TestServer::replies(vec![
        with_rate_limit(Reply::json(200, &list_page(1, 2)), "req-1", 99),
        with_rate_limit(Reply::json(200, &list_page(2, 2)), "req-2", 98),
    ]);
    let pages: Vec<_> = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new().email_contains("larry@example.com"))
        .pages()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 2);
    for (page, (id, remaining)) in pages.iter().zip([("req-1", 99), ("req-2", 98)]) {
        let meta = page.response();
        assert_eq!(meta.status(), 200);
        assert_eq!(meta.method(), "GET");
        // The template only: no query, so no email.
        assert_eq!(meta.route(), "/managed_accounts");
        assert_eq!(meta.request_id(), Some(id));
        assert_eq!(meta.rate_limit().limit, Some(100));
        assert_eq!(meta.rate_limit().remaining, Some(remaining));
        assert_eq!(meta.rate_limit().reset, Some(Duration::from_secs(30)));
        assert_eq!(meta.attempts(), 1);
    }
    assert_eq!(
        server.request_count(),
        2,
        "no second request for the metadata"
    );
}

#[test]
fn the_client_hook_sees_every_successful_call_once() {
    let server = TestServer::replies(vec![
        with_rate_limit(
            Reply::json(200, &fixture("managed_account.json")),
            "req-a",
            7,
        ),
        Reply::json(200, &list_page(1, 1)),
    ]);
    let (builder, seen) = recording(server.builder());
    let client = builder.build().unwrap();
    client.managed_accounts().retrieve("f65ceda4-6522").unwrap();
    assert_eq!(
        client.managed_accounts().list(Default::default()).count(),
        1
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].route(), "/managed_accounts/{id}");
    assert_eq!(seen[0].request_id(), Some("req-a"));
    assert_eq!(seen[0].rate_limit().remaining, Some(7));
    assert_eq!(seen[1].route(), "/managed_accounts");
    assert_eq!(seen[1].request_id(), None);
    assert_eq!(seen[1].rate_limit().remaining, None);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn attempts_count_the_retries_and_failures_call_no_hook() {
    let server = TestServer::replies(vec![
        Reply::json(503, "{}"),
        Reply::json(200, &fixture("managed_account.json")).header("x-request-id", "second"),
        Reply::json(404, "{}").header("x-request-id", "missing"),
    ]);
    let (builder, seen) = recording(server.builder());
    let client = builder.build().unwrap();
    client.managed_accounts().retrieve("abc").unwrap();
    assert!(
        client
            .managed_accounts()
            .retrieve("abc")
            .unwrap_err()
            .is_not_found()
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].attempts(), 2);
    assert_eq!(seen[0].request_id(), Some("second"));
}

#[test]
fn a_per_call_hook_captures_one_call() {
    let server = TestServer::replies(vec![
        Reply::json(200, &fixture("allocatable_channels.json")).header("x-request-id", "one"),
    ]);
    let client = server.client();
    let sink: Arc<Mutex<Option<ResponseMeta>>> = Arc::new(Mutex::new(None));
    let sink_for_hook = sink.clone();
    client
        .with_options(CallOptions::new().on_response(move |meta| {
            *sink_for_hook.lock().unwrap() = Some(meta.clone());
        }))
        .unwrap()
        .managed_accounts()
        .get_allocatable_global_outbound_channels()
        .unwrap();
    let meta = sink.lock().unwrap().clone().expect("the hook ran");
    assert_eq!(meta.request_id(), Some("one"));
    assert_eq!(
        meta.route(),
        "/managed_accounts/allocatable_global_outbound_channels"
    );
}

#[test]
fn server_values_are_bounded_and_never_carry_the_key() {
    let long_id = "a".repeat(5000);
    type Case = (Vec<(&'static str, String)>, fn(&ResponseMeta));
    let cases: Vec<Case> = vec![
        (
            vec![
                ("x-ratelimit-reset", u64::MAX.to_string()),
                ("x-ratelimit-remaining", "-1".into()),
                ("x-ratelimit-limit", "lots".into()),
                ("x-request-id", long_id),
            ],
            |meta| {
                // Capped like Retry-After, so `Instant::now() + reset` cannot overflow.
                let reset = meta.rate_limit().reset.unwrap();
                assert!(reset <= Duration::from_secs(1_000_000_000), "{reset:?}");
                let _ = std::time::Instant::now() + reset;
                assert_eq!(meta.rate_limit().remaining, None);
                assert_eq!(meta.rate_limit().limit, None);
                assert_eq!(meta.request_id().map(str::len), Some(128));
            },
        ),
        (vec![("x-request-id", format!("echo-{TEST_KEY}"))], |meta| {
            assert_eq!(meta.request_id(), None)
        }),
        (vec![("x-request-id", "a b\tc".into())], |meta| {
            assert_eq!(meta.request_id(), None)
        }),
    ];
    for (headers, check) in cases {
        let mut reply = Reply::json(200, &fixture("managed_account.json"));
        for (name, value) in &headers {
            reply = reply.header(name, value);
        }
        let server = TestServer::replies(vec![reply]);
        let (builder, seen) = recording(server.builder());
        builder
            .build()
            .unwrap()
            .managed_accounts()
            .retrieve("abc")
            .unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert!(!format!("{:?}", seen[0]).contains(TEST_KEY));
        check(&seen[0]);
    }
}

#[test]
fn the_mock_sends_a_request_id() {
    let server = telnyx_blocking::mock::MockServer::start();
    let client = telnyx_blocking::Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let page = client
        .managed_accounts()
        .list(Default::default())
        .pages()
        .next()
        .unwrap()
        .unwrap();
    assert!(page.response().request_id().is_some());
}

#[test]
fn an_errors_rate_limit_reset_is_capped_too() {
    let server = TestServer::replies(vec![
        Reply::json(429, "{}").header("x-ratelimit-reset", &u64::MAX.to_string()),
    ]);
    let err = server
        .client()
        .managed_accounts()
        .retrieve("abc")
        .unwrap_err();
    let reset = err.api_error().unwrap().rate_limit().reset.unwrap();
    assert!(reset <= Duration::from_secs(1_000_000_000), "{reset:?}");
    let _ = std::time::Instant::now() + reset;
    // Far over max_retry_wait: returned at once, not slept.
    assert_eq!(server.request_count(), 1);
}
