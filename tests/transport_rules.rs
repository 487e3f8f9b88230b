//! The transport's security rules, each checked against a loopback server:
//! https only (but for loopback), redirects never followed, ids confined to one
//! path segment, headers validated at build time, response bodies capped, and
//! pagination bounded.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::managed_accounts::{
    EnableManagedAccount, ListManagedAccounts, UpdateGlobalChannelLimit, UpdateManagedAccount,
};
use telnyx_blocking::organizations::users::{ListOrganizationUsers, RetrieveOrganizationUser};
use telnyx_blocking::{Error, Telnyx};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

fn config_error(result: telnyx_blocking::Result<Telnyx>) -> String {
    match result {
        Err(Error::Config(e)) => e.message().to_owned(),
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

// ---------------------------------------------------------------- https rule

#[test]
fn plain_http_is_refused_for_remote_hosts() {
    for url in [
        "http://api.telnyx.com/v2",
        "HTTP://api.telnyx.com/v2",
        "http://10.0.0.1:8080",
        "http://192.168.1.10",
        "http://0.0.0.0:80",
        "http://[::]:80",
        "http://[::ffff:127.0.0.1]:80",
        // Names that only start like loopback.
        "http://127.0.0.1.example.com",
        "http://localhost.example.com",
        "http://localhost@example.com",
        "http://127.0.0.1@example.com",
    ] {
        let message = config_error(Telnyx::builder().api_key(TEST_KEY).base_url(url).build());
        assert!(!message.contains(TEST_KEY), "{message}");
    }
}

#[test]
fn plain_http_is_accepted_for_loopback_hosts() {
    for url in [
        "http://127.0.0.1:8080",
        "http://127.255.0.9",
        "http://[::1]:8080/v2",
        "http://localhost:1",
        "http://LocalHost",
    ] {
        let client = Telnyx::builder().api_key(TEST_KEY).base_url(url).build();
        assert!(client.is_ok(), "{url}: {client:?}");
    }
}

#[test]
fn allow_http_opts_in_to_plain_http() {
    let client = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url("http://api.telnyx.com/v2")
        .allow_http(true)
        .build()
        .expect("allowed");
    assert_eq!(client.base_url(), "http://api.telnyx.com/v2");
    // Other schemes stay refused even then.
    for url in [
        "ftp://api.telnyx.com",
        "file:///etc/passwd",
        "api.telnyx.com",
    ] {
        config_error(
            Telnyx::builder()
                .api_key(TEST_KEY)
                .base_url(url)
                .allow_http(true)
                .build(),
        );
    }
}

#[test]
#[cfg(any(feature = "rustls", feature = "native-tls"))] // else https is TlsUnavailable
fn https_is_accepted_anywhere() {
    for url in ["https://api.telnyx.com/v2", "https://10.0.0.1:8443/v2"] {
        let client = Telnyx::builder().api_key(TEST_KEY).base_url(url).build();
        assert!(client.is_ok(), "{url}: {client:?}");
    }
}

#[test]
fn credentials_in_the_base_url_are_refused_and_not_quoted() {
    let message = config_error(
        Telnyx::builder()
            .api_key(TEST_KEY)
            .base_url("https://user:hunter2-password@api.telnyx.com/v2")
            .build(),
    );
    assert!(!message.contains("hunter2-password"), "{message}");
}

// ---------------------------------------------------------------- redirects

#[test]
fn redirects_are_never_followed() {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = TestServer::json(&fixture("managed_account.json"));
        let location = format!("{}/managed_accounts/{ID}", elsewhere.url());
        let server = TestServer::replies(vec![Reply::empty(status).header("Location", &location)]);
        let client = server.client(); // default retries: a redirect is not retried either
        let accounts = client.managed_accounts();

        let err = accounts.retrieve(ID).unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");
        let err = accounts
            .update(ID, UpdateManagedAccount::new())
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");
        let err = accounts
            .create(telnyx_blocking::managed_accounts::CreateManagedAccount::new("x"))
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");
        let err = accounts
            .list(ListManagedAccounts::new())
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");

        assert_eq!(
            server.request_count(),
            4,
            "one request per call for {status}"
        );
        assert_eq!(
            elsewhere.request_count(),
            0,
            "the redirect target was contacted for {status}"
        );
        assert_eq!(elsewhere.connection_count(), 0);
    }
}

#[test]
fn a_redirect_to_the_same_host_is_not_followed_either() {
    let server = TestServer::start(|request| {
        if request.path.ends_with("/elsewhere") {
            Reply::json(200, &fixture("managed_account.json"))
        } else {
            Reply::empty(307).header("Location", "/elsewhere")
        }
    });
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    assert_eq!(err.status(), Some(307));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].raw_path, format!("/managed_accounts/{ID}"));
}

// ---------------------------------------------------------------- path segments

/// Ids and the one path segment each must become on the wire.
const HOSTILE_IDS: &[(&str, &str)] = &[
    ("../x", "..%2Fx"),
    ("../../balance", "..%2F..%2Fbalance"),
    ("a/b", "a%2Fb"),
    ("/", "%2F"),
    ("a?b=c", "a%3Fb%3Dc"),
    ("a#frag", "a%23frag"),
    ("100%", "100%25"),
    ("%2e%2e", "%252e%252e"),
    ("a b", "a%20b"),
    ("a+b;c,d", "a%2Bb%3Bc%2Cd"),
    ("é☎", "%C3%A9%E2%98%8E"),
    (
        "a\r\nX-Injected: 1\r\n\r\nGET / HTTP/1.1",
        "a%0D%0AX-Injected%3A%201%0D%0A%0D%0AGET%20%2F%20HTTP%2F1.1",
    ),
    ("nul\0byte", "nul%00byte"),
    ("...", "..."),
    ("a\\b", "a%5Cb"),
];

#[test]
fn ids_are_percent_encoded_as_one_segment() {
    let server = TestServer::start(|request| {
        if request.raw_path.ends_with("/update_global_channel_limit") {
            Reply::json(200, &fixture("global_channel_limit.json"))
        } else if request.raw_path.starts_with("/organizations/") {
            Reply::json(200, &fixture("organization_user.json"))
        } else {
            Reply::json(200, &fixture("managed_account.json"))
        }
    });
    let client = server.client();
    let accounts = client.managed_accounts();
    let users = client.organizations().users();
    for (id, encoded) in HOSTILE_IDS {
        accounts.retrieve(id).unwrap();
        accounts.update(id, UpdateManagedAccount::new()).unwrap();
        accounts.actions().disable(id).unwrap();
        accounts
            .actions()
            .enable(id, EnableManagedAccount::new())
            .unwrap();
        accounts
            .update_global_channel_limit(id, UpdateGlobalChannelLimit::new())
            .unwrap();
        users
            .retrieve(id, RetrieveOrganizationUser::new().include_groups(true))
            .unwrap();
        users.actions().remove(id).unwrap();

        let expected = [
            format!("/managed_accounts/{encoded}"),
            format!("/managed_accounts/{encoded}"),
            format!("/managed_accounts/{encoded}/actions/disable"),
            format!("/managed_accounts/{encoded}/actions/enable"),
            format!("/managed_accounts/{encoded}/update_global_channel_limit"),
            format!("/organizations/users/{encoded}?include_groups=true"),
            format!("/organizations/users/{encoded}/actions/remove"),
        ];
        let requests = server.requests();
        let seen: Vec<&str> = requests[requests.len() - 7..]
            .iter()
            .map(|r| r.target.as_str())
            .collect();
        assert_eq!(seen, expected, "id {id:?}");
        // Decoded, the segment is the id again.
        assert_eq!(
            support::decode(&requests[requests.len() - 7].raw_path["/managed_accounts/".len()..]),
            *id
        );
    }
}

#[test]
fn empty_and_dot_ids_are_rejected_before_any_io() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.client();
    let accounts = client.managed_accounts();
    let users = client.organizations().users();
    for id in ["", " ", "\t", ".", ".."] {
        let results = [
            accounts.retrieve(id).err(),
            accounts.update(id, UpdateManagedAccount::new()).err(),
            accounts.actions().disable(id).err(),
            accounts
                .actions()
                .enable(id, EnableManagedAccount::new())
                .err(),
            accounts
                .update_global_channel_limit(id, UpdateGlobalChannelLimit::new())
                .err(),
        ];
        for err in results {
            assert!(
                matches!(err, Some(Error::InvalidRequest(_))),
                "{id:?}: {err:?}"
            );
        }
        let err = users
            .retrieve(id, RetrieveOrganizationUser::new())
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        let err = users.actions().remove(id).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    assert_eq!(server.request_count(), 0);
    assert_eq!(server.connection_count(), 0);
}

#[test]
fn get_json_paths_cannot_leave_the_base_url() {
    let server = TestServer::json("{}");
    let client = server.client();
    for path in ["", "/", "https://evil.example/x", "a?b=c", "a#b"] {
        let err = client.get_json(path, &[]).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{path:?}: {err:?}");
    }
    assert_eq!(server.request_count(), 0);
    // Query values are encoded, never spliced in raw.
    client
        .get_json("balance", &[("filter[x]", "a&b=c#d\r\n")])
        .unwrap();
    assert_eq!(
        server.only_request().target,
        "/balance?filter%5Bx%5D=a%26b%3Dc%23d%0D%0A"
    );
}

// ---------------------------------------------------------------- headers

#[test]
fn invalid_header_names_and_values_fail_the_build() {
    let bad_values = [
        "a\r\nX-Injected: 1",
        "a\nb",
        "a\rb",
        "a\0b",
        "a\x7fb",
        "a\x1bb",
        "a\u{85}b",
    ];
    for value in bad_values {
        let message = config_error(
            Telnyx::builder()
                .api_key(TEST_KEY)
                .header("X-Custom", value)
                .build(),
        );
        assert!(!message.contains(value), "the value is quoted: {message}");
    }
    let bad_names = [
        "",
        "Bad Name",
        "Bad:Name",
        "X\r\nInjected",
        "X\nY",
        "X\0Y",
        "Ünïcode",
        "(paren)",
    ];
    for name in bad_names {
        config_error(
            Telnyx::builder()
                .api_key(TEST_KEY)
                .header(name, "v")
                .build(),
        );
    }
    // Authorization only through api_key.
    for name in ["Authorization", "authorization", "AUTHORIZATION"] {
        config_error(
            Telnyx::builder()
                .api_key(TEST_KEY)
                .header(name, "Bearer other")
                .build(),
        );
    }
}

#[test]
fn user_agent_suffix_with_control_characters_fails_the_build() {
    for suffix in ["tool/1.0\r\nX-Injected: 1", "tool\n", "tool\0", "\rtool"] {
        config_error(
            Telnyx::builder()
                .api_key(TEST_KEY)
                .user_agent_suffix(suffix)
                .build(),
        );
    }
}

#[test]
fn valid_custom_headers_are_sent_as_given() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server
        .builder()
        .header("X-Team", "billing\tteam")
        .user_agent_suffix("my-tool/1.0")
        .build()
        .unwrap();
    client.managed_accounts().retrieve(ID).unwrap();
    let request = server.only_request();
    assert_eq!(request.header("x-team"), Some("billing\tteam"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .ends_with(" my-tool/1.0")
    );
    let auth: Vec<_> = request
        .headers
        .iter()
        .filter(|(name, _)| name == "authorization")
        .collect();
    assert_eq!(auth.len(), 1);
    assert_eq!(auth[0].1, format!("Bearer {TEST_KEY}"));
}

// ---------------------------------------------------------------- body caps

#[test]
fn a_success_body_over_the_cap_is_an_error() {
    let body = format!(r#"{{"data":[],"padding":"{}"}}"#, "x".repeat(4096));
    let server = TestServer::json(&body);
    let client = server.builder().max_response_bytes(1024).build().unwrap();
    let err = client.get_json("managed_accounts", &[]).unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert!(decode.to_string().contains("1024-byte limit"), "{decode}");
    assert_eq!(
        server.request_count(),
        1,
        "an oversized body is not retried"
    );
}

#[test]
fn a_body_exactly_at_the_cap_is_read() {
    let csv = "x".repeat(1024);
    let server = TestServer::replies(vec![Reply::text(200, "text/csv", &csv)]);
    let client = server.builder().max_response_bytes(1024).build().unwrap();
    assert_eq!(
        client
            .organizations()
            .users()
            .get_groups_report_csv()
            .unwrap(),
        csv
    );
    let client = server.builder().max_response_bytes(1023).build().unwrap();
    let err = client
        .organizations()
        .users()
        .get_groups_report_csv()
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn the_default_cap_is_32_mib() {
    const MIB: usize = 1024 * 1024;
    let fits = "x".repeat(32 * MIB);
    let server = TestServer::replies(vec![
        Reply::text(200, "text/csv", &fits),
        Reply::text(200, "text/csv", &(fits.clone() + "x")),
    ]);
    let users = server.client().organizations().users();
    assert_eq!(users.get_groups_report_csv().unwrap().len(), 32 * MIB);
    let err = users.get_groups_report_csv().unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("{}-byte limit", 32 * MIB)),
        "{err}"
    );
}

#[test]
fn a_large_groups_report_fits_the_default_cap() {
    // 20 000 users with groups: about 4 MiB of JSON.
    let entry = r#"{"id":"6a09cdc3-8948-47f0-aa62-74ac943d6c58","record_type":"organization_sub_user","email":"user@example.com","user_status":"enabled","created_at":"2018-02-02T22:25:27.521Z","last_sign_in_at":"2018-02-02T22:25:27.521Z","organization_user_bypasses_sso":false,"groups":[{"id":"a","name":"Admins"},{"id":"b","name":"Billing"}]}"#;
    let body = format!(r#"{{"data":[{}]}}"#, vec![entry; 20_000].join(","));
    let server = TestServer::json(&body);
    let report = server
        .client()
        .organizations()
        .users()
        .get_groups_report()
        .unwrap();
    assert_eq!(report.len(), 20_000);
}

#[test]
fn a_huge_error_body_is_cut_not_buffered() {
    let envelope = r#"{"errors":[{"code":"10005","detail":"nope"}]}"#;
    let huge = format!("{envelope}{}", " ".repeat(16 * 1024 * 1024));
    let server = TestServer::replies(vec![Reply::json(500, &huge)]);
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status(), 500);
    assert!(api.body().len() <= 4096, "{}", api.body().len());
    assert!(api.body().starts_with(envelope));
    assert_eq!(server.request_count(), 1);
}

/// A server that answers every connection with `head` and then `chunk`, again and
/// again, as a chunked body with no end, until the client hangs up or `max_bytes`
/// have been written. Returns its URL and how many requests it read.
fn endless_chunked_server(head: &'static str, max_bytes: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    std::thread::spawn(move || {
        // One connection per test call; the listener closes when the thread ends.
        for stream in listener.incoming().take(1) {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            seen.fetch_add(1, Ordering::SeqCst);
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = format!("4000\r\n{}\r\n", "y".repeat(0x4000));
            let mut written = 0;
            while written < max_bytes && stream.write_all(chunk.as_bytes()).is_ok() {
                written += 0x4000;
            }
        }
    });
    (url, requests)
}

#[test]
fn an_endless_chunked_success_body_stops_at_the_cap() {
    let (url, requests) = endless_chunked_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n",
        256 * 1024 * 1024,
    );
    let client = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(url)
        .max_response_bytes(1024 * 1024)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client
        .organizations()
        .users()
        .get_groups_report_csv()
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("1048576-byte limit"), "{err}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[test]
fn an_endless_chunked_error_body_is_cut() {
    let (url, requests) = endless_chunked_server(
        "HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n",
        256 * 1024 * 1024,
    );
    let client = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(url)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status(), 503);
    assert!(api.body().len() <= 4096);
    assert!(api.body().starts_with("yyyy"));
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------- pagination bound

/// A server whose list never ends: every page says it is the page asked for, out of
/// `i64::MAX` pages.
fn endless_list() -> TestServer {
    TestServer::start(|request| {
        let number = request.query_value("page[number]").unwrap_or("1");
        let body = if request.path.starts_with("/organizations") {
            format!(
                r#"{{"data":[{{"id":"u{number}"}}],"meta":{{"page_number":{number},"page_size":1,"total_pages":{max},"total_results":{max}}}}}"#,
                max = i64::MAX
            )
        } else {
            let account = fixture("managed_account.json");
            let mut item: serde_json::Value = serde_json::from_str(&account).unwrap();
            // Each page its own account, or the repeated-page guard stops the list.
            item["data"]["id"] = format!("acct-{number}").into();
            format!(
                r#"{{"data":[{}],"meta":{{"page_number":{number},"total_pages":{}}}}}"#,
                item["data"],
                i64::MAX
            )
        };
        Reply::json(200, &body)
    })
}

#[test]
fn an_endless_list_stops_after_max_pages() {
    let server = endless_list();
    let items: Vec<_> = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .max_pages(5)
        .collect();
    assert_eq!(items.len(), 6, "5 items, then the error");
    assert!(items[..5].iter().all(Result::is_ok));
    let err = items[5].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Pagination(e) if e.kind() == telnyx_blocking::PaginationErrorKind::PageLimit),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("did not end after 5 pages"),
        "{err}"
    );
    assert_eq!(server.request_count(), 5);
    let numbers: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query_value("page[number]").map(str::to_owned))
        .collect();
    assert_eq!(
        numbers,
        [None, Some("2"), Some("3"), Some("4"), Some("5")].map(|n| n.map(str::to_owned))
    );
}

#[test]
fn an_endless_list_of_pages_stops_after_max_pages_and_stays_stopped() {
    let server = endless_list();
    let mut pages = server
        .client()
        .organizations()
        .users()
        .list(ListOrganizationUsers::new())
        .pages()
        .max_pages(3);
    for n in 1..=3 {
        let page = pages.next().unwrap().unwrap();
        assert_eq!(page.meta.page_number, Some(n));
    }
    assert!(pages.next().unwrap().is_err());
    assert!(pages.next().is_none());
    assert!(pages.next().is_none());
    assert_eq!(server.request_count(), 3);
}

#[test]
fn max_pages_zero_sends_nothing() {
    let server = endless_list();
    let mut items = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .max_pages(0);
    assert!(items.next().unwrap().is_err());
    assert!(items.next().is_none());
    assert_eq!(server.request_count(), 0);
}

#[test]
fn the_same_page_forever_is_caught() {
    // The server ignores page[number] and always answers page 1 of 1000.
    let server = TestServer::json(
        r#"{"data":[{"id":"u1"}],"meta":{"page_number":1,"page_size":1,"total_pages":1000}}"#,
    );
    let items: Vec<_> = server
        .client()
        .organizations()
        .users()
        .list(ListOrganizationUsers::new())
        .collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    let err = items[1].as_ref().unwrap_err();
    assert!(
        err.to_string()
            .contains("asked for page 2 but the server returned page 1"),
        "{err}"
    );
    assert_eq!(server.request_count(), 2);
}

// The same page without a page number: tests/pagination_guards.rs.

#[test]
fn the_default_page_bound_is_max_pages() {
    // The default page cap, documented on `Paginator::max_pages` (0.3: no public const).
    const MAX_PAGES: u32 = 100_000;
    let server = endless_list();
    let list = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new());
    assert!(
        format!("{list:?}").contains(&format!("max_pages: {MAX_PAGES}")),
        "{list:?}"
    );
}

// ---------------------------------------------------------------- creates are not repeated

#[test]
fn a_create_is_repeated_only_when_the_server_provably_did_not_act() {
    use telnyx_blocking::managed_accounts::CreateManagedAccount;
    // The server may have created the account before failing: never repeat.
    for status in [408, 500, 502, 504] {
        let server = TestServer::replies(vec![Reply::empty(status)]);
        let err = server
            .client()
            .managed_accounts()
            .create(CreateManagedAccount::new("Acme"))
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(server.request_count(), 1, "create repeated after {status}");
    }
    // 429 and 503 turn the request away before it is processed: repeat (twice by default).
    for status in [429, 503] {
        let server = TestServer::replies(vec![Reply::empty(status)]);
        server
            .client()
            .managed_accounts()
            .create(CreateManagedAccount::new("Acme"))
            .unwrap_err();
        assert_eq!(
            server.request_count(),
            3,
            "create not retried after {status}"
        );
    }
    // The same failures are repeated for a retrieve, which is safe.
    let server = TestServer::replies(vec![Reply::empty(500)]);
    server.client().managed_accounts().retrieve(ID).unwrap_err();
    assert_eq!(server.request_count(), 3);
}

// ---------------------------------------------------------------- headers the transport owns

#[test]
fn builder_headers_cannot_break_framing() {
    for name in [
        "Content-Length",
        "Transfer-Encoding",
        "Host",
        "Connection",
        "Keep-Alive",
        "Proxy-Connection",
        "Proxy-Authorization",
        "TE",
        "Trailer",
        "Upgrade",
        "Accept",
        "content-type",
        "User-Agent",
        "Idempotency-Key",
    ] {
        let built = Telnyx::builder()
            .api_key(TEST_KEY)
            .base_url("http://127.0.0.1:9")
            .header(name, "0")
            .build();
        let Err(Error::Config(e)) = &built else {
            panic!("{name}: {built:?}")
        };
        assert_eq!(
            e.kind(),
            telnyx_blocking::ConfigErrorKind::ReservedHeader,
            "{name}"
        );
    }
    let Err(err) = Telnyx::builder()
        .api_key(TEST_KEY)
        .header("User-Agent", "mine/1")
        .build()
    else {
        panic!("User-Agent accepted")
    };
    assert!(err.to_string().contains("user_agent_suffix"), "{err}");
    // A create still carries its whole body next to a caller's own header.
    let server = TestServer::json(&fixture("managed_account.json"));
    server
        .builder()
        .header("X-Request-Source", "sync-tool")
        .build()
        .unwrap()
        .managed_accounts()
        .create(telnyx_blocking::managed_accounts::CreateManagedAccount::new("Acme"))
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.header("x-request-source"), Some("sync-tool"));
    assert_eq!(request.json()["business_name"], "Acme");
}
