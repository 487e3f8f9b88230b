//! Status codes and bodies mapped to `Error`.

mod support;

use std::time::Duration;

use support::{Reply, TEST_KEY, TestServer};
use telnyx_blocking::managed_accounts::CreateManagedAccount;
use telnyx_blocking::{Error, ErrorKind};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

/// How a `Display` names the retrieve call that failed: method, host, path.
fn retrieve_call(server: &TestServer) -> String {
    let host = server.url().trim_start_matches("http://").to_owned();
    format!("(GET {host}/managed_accounts/{ID})")
}

fn retrieve_error(reply: Reply) -> (Error, TestServer) {
    let server = TestServer::replies(vec![reply]);
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    (err, server)
}

#[test]
fn unauthorized_with_empty_body() {
    let (err, server) = retrieve_error(Reply::empty(401));
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 401);
    assert_eq!(api.kind(), ErrorKind::Authentication);
    assert!(api.errors().is_empty());
    assert_eq!(api.message(), "Unauthorized");
    assert_eq!(
        err.to_string(),
        format!(
            "API error: HTTP 401 Unauthorized {}",
            retrieve_call(&server)
        )
    );
    let call = err.call().expect("the call that failed");
    assert_eq!(api.call(), Some(call));
    assert_eq!(call.method(), "GET");
    assert_eq!(call.path(), format!("/managed_accounts/{ID}"));
    assert_eq!(call.host(), server.url().trim_start_matches("http://"));
}

#[test]
fn not_found_with_envelope() {
    let body = r#"{"errors":[{"code":"10005","title":"Resource not found","detail":"The requested resource or URL could not be found.","source":{"pointer":"/"},"meta":{"url":"https://developers.telnyx.com/docs/overview/errors/10005"}}]}"#;
    let (err, server) = retrieve_error(Reply::json(404, body).header("x-request-id", "req-123"));
    assert!(err.is_not_found());
    let api = err.api_error().unwrap();
    assert_eq!(api.kind(), ErrorKind::NotFound);
    assert_eq!(api.code(), Some("10005"));
    assert_eq!(
        api.message(),
        "The requested resource or URL could not be found."
    );
    assert_eq!(api.request_id(), Some("req-123"));
    let detail = &api.errors()[0];
    assert_eq!(detail.title.as_deref(), Some("Resource not found"));
    assert_eq!(detail.pointer.as_deref(), Some("/"));
    assert_eq!(
        err.to_string(),
        format!(
            "API error: HTTP 404 Not Found (code 10005): The requested resource or URL could not be found. {} [request id req-123]",
            retrieve_call(&server)
        )
    );
}

#[test]
fn unprocessable_entity_on_create() {
    let body = r#"{"errors":[{"code":"10015","title":"Invalid value","detail":"business_name can't be blank","source":{"pointer":"/business_name"}}]}"#;
    let server = TestServer::replies(vec![Reply::json(422, body)]);
    let err = server
        .client()
        .managed_accounts()
        .create(CreateManagedAccount::new(""))
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 422);
    assert_eq!(api.kind(), ErrorKind::UnprocessableEntity);
    assert_eq!(api.message(), "business_name can't be blank");
    assert_eq!(api.errors()[0].pointer.as_deref(), Some("/business_name"));
    assert_eq!(server.request_count(), 1, "a 422 is never retried");
}

#[test]
fn rate_limited_carries_retry_after_and_rate_limit_headers() {
    let body = r#"{"errors":[{"code":"10011","title":"Too many requests","detail":"Rate limit exceeded"}]}"#;
    let reply = Reply::json(429, body)
        .header("Retry-After", "7")
        .header("x-ratelimit-limit", "100")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", "7");
    let (err, server) = retrieve_error(reply);
    assert!(err.is_rate_limited());
    let Error::RateLimited(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 429);
    assert_eq!(api.kind(), ErrorKind::RateLimit);
    assert_eq!(api.code(), Some("10011"));
    assert_eq!(api.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(api.rate_limit().limit, Some(100));
    assert_eq!(api.rate_limit().remaining, Some(0));
    assert_eq!(api.rate_limit().reset, Some(Duration::from_secs(7)));
    assert!(err.to_string().contains("retry after 7.0s"), "{err}");
    assert_eq!(server.request_count(), 1);
}

#[test]
fn server_error_with_envelope() {
    let body = r#"{"errors":[{"code":"10007","title":"Unexpected error","detail":"An unexpected error occured."}]}"#;
    let (err, _server) = retrieve_error(Reply::json(500, body));
    let api = err.api_error().unwrap();
    assert_eq!(api.status(), 500);
    assert_eq!(api.kind(), ErrorKind::InternalServer);
    assert_eq!(api.code(), Some("10007"));
}

#[test]
fn html_bad_gateway_still_gives_status() {
    let html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    let (err, server) = retrieve_error(Reply::text(502, "text/html", html));
    let api = err.api_error().unwrap();
    assert_eq!(api.status(), 502);
    assert_eq!(api.kind(), ErrorKind::InternalServer);
    assert!(api.errors().is_empty());
    assert_eq!(api.body(), html);
    assert_eq!(
        err.to_string(),
        format!("API error: HTTP 502 Bad Gateway {}", retrieve_call(&server))
    );
}

#[test]
fn non_json_text_error_is_shown() {
    let (err, server) = retrieve_error(Reply::text(400, "text/plain", "missing parameter"));
    assert_eq!(
        err.to_string(),
        format!(
            "API error: HTTP 400 Bad Request: missing parameter {}",
            retrieve_call(&server)
        )
    );
    assert_eq!(err.api_error().unwrap().kind(), ErrorKind::BadRequest);
}

#[test]
fn error_echoing_the_key_does_not_leak_it() {
    let body = format!(
        r#"{{"errors":[{{"code":"10009","title":"Authentication failed","detail":"bad key {TEST_KEY}"}}]}}"#
    );
    let (err, _server) = retrieve_error(Reply::json(401, &body));
    for text in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!text.contains(TEST_KEY), "{text}");
    }
    assert_eq!(err.api_error().unwrap().message(), "bad key [REDACTED]");
}

#[test]
fn other_kinds() {
    for (status, kind) in [
        (403, ErrorKind::PermissionDenied),
        (409, ErrorKind::Conflict),
        (418, ErrorKind::Other),
    ] {
        let (err, _server) = retrieve_error(Reply::empty(status));
        assert_eq!(err.api_error().unwrap().kind(), kind);
    }
}

#[test]
fn redirect_is_an_error_and_not_followed() {
    let (err, server) =
        retrieve_error(Reply::empty(302).header("Location", "http://127.0.0.1:9/elsewhere"));
    assert_eq!(err.status(), Some(302), "{err:?}");
    assert_eq!(server.request_count(), 1);
}

#[test]
fn invalid_json_on_success_is_a_decode_error_naming_the_field() {
    let server =
        TestServer::json(r#"{"data":{"id":"x","record_type":"managed_account","email":42}}"#);
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path(), Some("data.email"));
    assert!(err.to_string().contains("data.email"), "{err}");

    let server = TestServer::json("");
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn missing_key_names_the_variable() {
    // Only the builder path is tested here; the environment is shared by all tests.
    let err = telnyx_blocking::Telnyx::builder()
        .api_key("")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(err.to_string().contains("TELNYX_API_KEY"), "{err}");
}

#[test]
fn transport_errors_keep_the_cause_chain() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let client = telnyx_blocking::Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(url)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    let Error::Connection(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(!inner.request_may_have_been_sent());
    assert_eq!(inner.call().map(|c| c.method()), Some("GET"));
    let source = std::error::Error::source(&err).expect("the ureq error underneath");
    assert!(source.to_string().contains("refused"), "{source}");
    // An anyhow-style report (Display, then each source) shows each line once.
    let mut lines = vec![err.to_string()];
    let mut next = std::error::Error::source(&err);
    while let Some(e) = next {
        lines.push(e.to_string());
        next = e.source();
    }
    for (i, line) in lines.iter().enumerate() {
        for later in &lines[i + 1..] {
            assert!(!line.contains(later.as_str()), "{lines:#?}");
            assert!(!later.contains(line.as_str()), "{lines:#?}");
        }
    }
    assert!(
        lines[0].contains("POST") || lines[0].contains("GET"),
        "{lines:?}"
    );
}

#[test]
fn error_response_headers_are_readable_but_never_carry_the_key() {
    let reply = Reply::json(422, "{}")
        .header("X-Diagnostic", "field business_name missing")
        .header("X-Echo", &format!("Bearer {TEST_KEY}"));
    let (err, _server) = retrieve_error(reply);
    let api = err.api_error().unwrap();
    assert_eq!(
        api.header("x-diagnostic"),
        Some("field business_name missing")
    );
    assert_eq!(
        api.header("X-DIAGNOSTIC"),
        Some("field business_name missing")
    );
    assert_eq!(api.header("x-echo"), None);
    assert!(!format!("{err:?}").contains(TEST_KEY));
}

#[test]
fn a_429_waiting_longer_than_max_retry_wait_says_why_it_was_not_retried() {
    let server = TestServer::replies(vec![
        Reply::json(
            429,
            r#"{"errors":[{"code":"10011","title":"Too many requests"}]}"#,
        )
        .header("Retry-After", "120"),
    ]);
    let client = server
        .builder()
        .max_retries(3)
        .max_retry_wait(Duration::from_secs(60))
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(server.request_count(), 1, "returned at once, not retried");
    let text = err.to_string();
    assert!(text.contains("returned without retrying"), "{text}");
    assert!(text.contains("max_retry_wait"), "{text}");
    assert!(text.contains("120s"), "the wait asked for: {text}");
    assert!(text.contains("60s"), "the limit: {text}");

    // A 429 that is retried and then runs out of attempts says nothing of the kind.
    let server = TestServer::replies(vec![Reply::json(429, "{}").header("Retry-After", "1")]);
    let client = server.builder().max_retries(1).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    assert_eq!(server.request_count(), 2);
    assert!(!err.to_string().contains("max_retry_wait"), "{err}");
}

#[test]
fn a_decode_error_in_a_list_names_the_item() {
    // (Was a unit test of the hand-written path finder: the index, over lines too.)
    use telnyx_blocking::organizations::users::ListOrganizationUsers;
    for body in [
        r#"{"data":[{"id":"a","email":"a@b.c"},{"id":"b, c","email":42}],"meta":null}"#,
        "{\n \"data\": [\n {\"id\": \"a\"},\n {\"id\": \"b\", \"email\": 42}],\n \"meta\": null}",
    ] {
        let server = TestServer::json(body);
        let client = server.client();
        let users = client.organizations().users();
        let mut list = users.list(ListOrganizationUsers::new());
        let err = list.find_map(Result::err).expect("a decode error");
        let Error::Decode(decode) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(decode.path(), Some("data[1].email"), "{err}");
        assert!(err.to_string().contains("at `data[1].email`"), "{err}");
    }
}
