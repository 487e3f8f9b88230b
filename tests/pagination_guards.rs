//! A server, or a page number, cannot make a list repeat itself.

mod support;

use support::{Reply, TestServer};
use telnyx_blocking::managed_accounts::ListManagedAccounts;
use telnyx_blocking::organizations::users::{ListOrganizationUsers, OrganizationUser};
use telnyx_blocking::pagination::Page;
use telnyx_blocking::{Error, InvalidRequestKind, PaginationErrorKind};

fn list_users(
    server: &TestServer,
    request: ListOrganizationUsers,
) -> Vec<Result<OrganizationUser, Error>> {
    server
        .client()
        .organizations()
        .users()
        .list(request)
        .collect()
}

fn assert_guard(item: &Result<OrganizationUser, Error>, kind: PaginationErrorKind) {
    let err = item.as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Pagination(e) if e.kind() == kind),
        "{err:?}"
    );
    // A wrong or repeated page was an answer to a request; the cap stops before one.
    assert_eq!(
        err.request_may_have_been_sent(),
        kind != PaginationErrorKind::PageLimit,
        "{err:?}"
    );
}

fn users_page(ids: &[&str], number: i64, total: i64) -> String {
    let data: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":"{id}"}}"#)).collect();
    format!(
        r#"{{"data":[{}],"meta":{{"page_number":{number},"page_size":{},"total_pages":{total}}}}}"#,
        data.join(","),
        ids.len()
    )
}

#[test]
fn page_number_zero_is_refused_before_any_request() {
    let server = TestServer::json(&users_page(&["u1"], 1, 1));
    let client = server.client();
    let mut users = client
        .organizations()
        .users()
        .list(ListOrganizationUsers::new().page_number(0));
    let err = users.next().unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(e) if e.kind() == InvalidRequestKind::InvalidValue),
        "{err:?}"
    );
    assert!(!err.request_may_have_been_sent());
    assert!(users.next().is_none(), "fused after the error");
    let accounts = client
        .managed_accounts()
        .list(ListManagedAccounts::new().page_number(0))
        .collect::<Vec<_>>();
    assert_eq!(accounts.len(), 1);
    assert!(accounts[0].is_err());
    assert_eq!(server.request_count(), 0);
}

#[test]
fn a_chosen_first_page_must_be_the_page_returned() {
    // Asked for page 3, the server answers page 1: its items are not page 3's.
    let server = TestServer::json(&users_page(&["u1"], 1, 5));
    let items = list_users(&server, ListOrganizationUsers::new().page_number(3));
    assert_eq!(items.len(), 1);
    assert_guard(&items[0], PaginationErrorKind::WrongPage);
    assert_eq!(server.only_request().query_value("page[number]"), Some("3"));
    // Page 1 chosen and page 1 returned is fine.
    let server = TestServer::json(&users_page(&["u1"], 1, 1));
    let items = list_users(&server, ListOrganizationUsers::new().page_number(1));
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    assert_eq!(items.len(), 1);
}

#[test]
fn the_same_full_page_forever_ends_at_once() {
    // The server honours page numbers in `meta` but serves the same items.
    let server = TestServer::start(|request| {
        let number: i64 = request
            .query_value("page[number]")
            .map_or(1, |n| n.parse().unwrap());
        Reply::json(200, &users_page(&["u1", "u2", "u3"], number, 1_000_000))
    });
    let items = list_users(&server, ListOrganizationUsers::new());
    assert_eq!(items.len(), 4, "{items:?}");
    assert_guard(&items[3], PaginationErrorKind::RepeatedPage);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn the_same_page_without_a_page_number_ends_at_once() {
    // No page_number to check against: the second page has the same items as
    // the first, and the list ends there rather than at the page cap.
    let server =
        TestServer::json(r#"{"data":[{"id":"u1"},{"id":"u2"}],"meta":{"total_pages":1000000}}"#);
    let items = list_users(&server, ListOrganizationUsers::new());
    assert_eq!(items.len(), 3, "{items:?}");
    assert_guard(&items[2], PaginationErrorKind::RepeatedPage);
    assert_eq!(server.request_count(), 2);
    // Pages that differ go on.
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::start(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Reply::json(
            200,
            &format!(r#"{{"data":[{{"id":"u{n}"}}],"meta":{{"total_pages":3}}}}"#),
        )
    });
    let items = list_users(&server, ListOrganizationUsers::new());
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    assert_eq!(items.len(), 3);
}

#[test]
fn a_server_cycling_through_a_few_pages_ends_at_once() {
    // A, B, C, A, B, C, … with a total that never ends: not only a repeat of
    // the page just before is caught.
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::start(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) % 3;
        Reply::json(
            200,
            &format!(
                r#"{{"data":[{{"id":"a{n}"}},{{"id":"z{n}"}}],"meta":{{"total_pages":1000000}}}}"#
            ),
        )
    });
    let items = list_users(&server, ListOrganizationUsers::new());
    assert_eq!(
        items.len(),
        7,
        "3 pages of 2 items, then the error: {items:?}"
    );
    assert_guard(&items[6], PaginationErrorKind::RepeatedPage);
    assert_eq!(server.request_count(), 4);
}

#[test]
fn paginators_clone_and_pages_serialize_like_the_api() {
    let server = TestServer::json(&users_page(&["u1", "u2"], 1, 1));
    let client = server.client();
    let list = client
        .organizations()
        .users()
        .list(ListOrganizationUsers::new());
    let again = list.clone();
    assert_eq!(list.count(), 2);
    assert_eq!(again.count(), 2);
    let mut pages = client
        .organizations()
        .users()
        .list(ListOrganizationUsers::new())
        .pages();
    let copy = pages.clone();
    let page: Page<_> = pages.next().unwrap().unwrap();
    let json: serde_json::Value = serde_json::to_value(&page).unwrap();
    assert_eq!(json["meta"]["page_number"], 1);
    assert_eq!(json["data"][1]["id"], "u2");
    assert_eq!(copy.count(), 1);
}

/// `page[size]` is 1 to 250 on both lists (the spec's bounds): anything else is
/// refused by the first `next`, before any request (issue 24).
#[test]
fn page_sizes_outside_1_to_250_are_refused_before_any_request() {
    use telnyx_blocking::mock::MockServer;
    let server = MockServer::start();
    let client = telnyx_blocking::Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let assert_refused = |first: Option<Result<(), Error>>, size: u32| {
        let err = first.expect("an error, not the end").unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(e) if e.kind() == InvalidRequestKind::InvalidValue),
            "{err:?}"
        );
        assert!(err.to_string().contains("page_size"), "{err}");
        assert!(err.to_string().contains(&size.to_string()), "{err}");
        assert!(!err.request_may_have_been_sent());
    };
    for size in [0, 251, 100_000] {
        let mut accounts = client
            .managed_accounts()
            .list(ListManagedAccounts::new().page_size(size));
        assert_refused(accounts.next().map(|r| r.map(drop)), size);
        assert!(accounts.next().is_none(), "fused after the error");
        let mut users = client
            .organizations()
            .users()
            .list(ListOrganizationUsers::new().page_size(size));
        assert_refused(users.next().map(|r| r.map(drop)), size);
        assert!(users.next().is_none(), "fused after the error");
        let pages = client
            .managed_accounts()
            .list(ListManagedAccounts::new().page_size(size))
            .pages();
        assert_refused(pages.take(1).next().map(|r| r.map(drop)), size);
    }
    assert_eq!(server.request_count(), 0, "{:?}", server.requests());
    // The bounds themselves are sent.
    for size in [1, 250] {
        let accounts = client
            .managed_accounts()
            .list(ListManagedAccounts::new().page_size(size));
        assert!(accounts.collect::<Result<Vec<_>, _>>().is_ok());
        let users = client
            .organizations()
            .users()
            .list(ListOrganizationUsers::new().page_size(size));
        assert!(users.collect::<Result<Vec<_>, _>>().is_ok());
    }
    assert!(server.request_count() >= 4);
}

#[test]
fn page_number_zero_is_refused_on_both_lists_against_the_mock() {
    use telnyx_blocking::mock::MockServer;
    let server = MockServer::start();
    let client = telnyx_blocking::Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let accounts = client
        .managed_accounts()
        .list(ListManagedAccounts::new().page_number(0))
        .next();
    let users = client
        .organizations()
        .users()
        .list(ListOrganizationUsers::new().page_number(0).page_size(10))
        .next();
    for err in [accounts.unwrap().map(drop), users.unwrap().map(drop)] {
        let err = err.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(e) if e.kind() == InvalidRequestKind::InvalidValue),
            "{err:?}"
        );
    }
    assert_eq!(server.request_count(), 0);
}
