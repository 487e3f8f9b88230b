//! One kept-alive connection serves a whole session: successes, list pages,
//! creates, error answers with and without a body, and retried calls.
//!
//! ureq returns a connection to its pool only when the body was read to the end
//! and the request used the agent's own configuration; a regression in either
//! shows up here as a second accepted connection. No timing is asserted.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use support::{Recorded, Reply, TestServer, fixture};
use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, ListManagedAccounts, UpdateManagedAccount,
};
use telnyx_blocking::organizations::users::ListOrganizationUsers;

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";
const NOT_FOUND: &str = r#"{"errors":[{"code":"10005","title":"Resource not found","detail":"The requested resource or URL could not be found."}]}"#;

/// Three pages of two accounts each.
fn page(number: &str) -> String {
    let item = |n: usize| {
        format!(
            r#"{{"id":"acc-{n}","record_type":"managed_account","email":"u{n}@example.com","api_user":"m@example.com","manager_account_id":"m-1","created_at":"2018-02-02T22:25:27.521Z","updated_at":"2018-02-02T22:25:27.521Z"}}"#
        )
    };
    let n: usize = number.parse().unwrap_or(1);
    format!(
        r#"{{"data":[{},{}],"meta":{{"page_number":{n},"page_size":2,"total_pages":3,"total_results":6}}}}"#,
        item(2 * n - 1),
        item(2 * n)
    )
}

fn server() -> TestServer {
    let flaky = AtomicUsize::new(0);
    TestServer::start(move |request: &Recorded| {
        let account = || Reply::json(200, &fixture("managed_account.json"));
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/managed_accounts") => Reply::json(
                200,
                &page(request.query_value("page[number]").unwrap_or("1")),
            ),
            ("POST", "/managed_accounts") => account(),
            ("GET", "/managed_accounts/missing") => Reply::json(404, NOT_FOUND),
            ("GET", "/managed_accounts/gone") => Reply::empty(410),
            ("GET", "/managed_accounts/garbled") => Reply::json(200, r#"{"data":{"id":1}}"#),
            // 503 on the first call, then the account: one retry.
            ("GET", "/managed_accounts/flaky") => match flaky.fetch_add(1, Ordering::SeqCst) {
                0 => Reply::json(503, r#"{"errors":[{"title":"Service Unavailable"}]}"#),
                _ => account(),
            },
            ("GET", "/organizations/users") => Reply::json(
                200,
                r#"{"data":[],"meta":{"page_number":1,"page_size":20,"total_pages":0,"total_results":0}}"#,
            ),
            (_, path) if path.starts_with("/managed_accounts/") => account(),
            _ => Reply::json(404, NOT_FOUND),
        }
    })
}

#[test]
fn a_whole_session_uses_one_connection() {
    let server = server();
    let client = server.client();
    let accounts = client.managed_accounts();

    for _ in 0..5 {
        assert_eq!(accounts.retrieve(ID).unwrap().id, ID);
    }
    let listed: Vec<_> = accounts
        .list(ListManagedAccounts::new().page_size(2))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(listed.len(), 6);
    accounts
        .create(CreateManagedAccount::new("Acme").email("a@example.com"))
        .unwrap();
    accounts
        .update(
            ID,
            UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
        )
        .unwrap();
    accounts.actions().disable(ID).unwrap();
    let missing = accounts.retrieve("missing").unwrap_err();
    assert_eq!(missing.status(), Some(404));
    let gone = accounts.retrieve("gone").unwrap_err();
    assert_eq!(gone.status(), Some(410));
    let garbled = accounts.retrieve("garbled").unwrap_err();
    assert!(
        matches!(garbled, telnyx_blocking::Error::Decode(_)),
        "{garbled:?}"
    );
    assert_eq!(accounts.retrieve("flaky").unwrap().id, ID);
    let users: Vec<_> = client
        .organizations()
        .users()
        .list(ListOrganizationUsers::new())
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(users.is_empty());
    assert_eq!(accounts.retrieve(ID).unwrap().id, ID);

    // 5 retrieves, 3 pages, create, update, disable, 404, 410, garbled,
    // 503 + its retry, users, 1 retrieve.
    assert_eq!(server.request_count(), 18);
    assert_eq!(
        server.connection_count(),
        1,
        "every call reused the first connection"
    );

    // A bodiless POST says `Content-Length: 0`; an empty chunked body would be
    // misread by simple servers (this one included) and cost the connection.
    let disable = server
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/actions/disable"))
        .unwrap();
    assert_eq!(disable.header("content-length"), Some("0"));
    assert_eq!(disable.header("transfer-encoding"), None);
    assert!(disable.body.is_empty());
}

#[test]
fn clones_and_threads_share_the_pool() {
    let server = server();
    let client = server.client();
    let clone = client.clone();
    std::thread::spawn(move || {
        for _ in 0..3 {
            clone.managed_accounts().retrieve(ID).unwrap();
        }
    })
    .join()
    .unwrap();
    for _ in 0..3 {
        client.managed_accounts().retrieve(ID).unwrap();
    }
    assert_eq!(server.request_count(), 6);
    assert_eq!(server.connection_count(), 1);
}

/// Through a host name rather than an IP literal the resolver's cache is used;
/// the connection is still reused and every call succeeds.
#[test]
fn a_host_name_base_url_reuses_the_connection_too() {
    let server = server();
    let url = server.url().replace("127.0.0.1", "localhost");
    let client = server.builder().base_url(url).build().unwrap();
    for _ in 0..10 {
        assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
    }
    assert!(client.managed_accounts().retrieve("missing").is_err());
    assert_eq!(server.request_count(), 11);
    assert_eq!(server.connection_count(), 1);
}
