//! Every managed-account method: the exact request on the wire and the decoded answer.

mod support;

use serde_json::json;
use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, EnableManagedAccount, ListManagedAccounts, ManagedAccountSort,
    ManagedAccountStatus, UpdateGlobalChannelLimit, UpdateManagedAccount,
};
use telnyx_blocking::{Error, ErrorKind};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

/// Headers every call carries, and no body / content type unless `body` is expected.
fn assert_common_headers(request: &support::Recorded, has_body: bool) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TEST_KEY}").as_str())
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    let ua = request.header("user-agent").unwrap();
    assert_eq!(ua, concat!("telnyx-blocking/", env!("CARGO_PKG_VERSION")));
    if has_body {
        assert_eq!(request.header("content-type"), Some("application/json"));
    } else {
        assert_eq!(request.header("content-type"), None);
        assert!(
            request.body.is_empty(),
            "unexpected body {:?}",
            request.body
        );
    }
}

#[test]
fn list_without_filters_sends_no_query() {
    let server = TestServer::json(r#"{"data":[],"meta":{"page_number":1,"total_pages":0}}"#);
    let items: Vec<_> = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .collect();
    assert!(items.is_empty());
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/managed_accounts");
    assert_common_headers(&request, false);
}

#[test]
fn list_is_lazy() {
    let server = TestServer::json(&fixture("managed_accounts_list.json"));
    let paginator = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new());
    assert_eq!(server.request_count(), 0);
    drop(paginator);
    assert_eq!(server.request_count(), 0);
}

#[test]
fn list_sends_every_filter_with_bracketed_keys() {
    let server = TestServer::json(r#"{"data":[],"meta":{}}"#);
    let request = ListManagedAccounts::new()
        .email_contains("acme co")
        .email_eq("ops@acme.example.com")
        .organization_name_contains("Acme")
        .organization_name_eq("Acme & Sons")
        .status(ManagedAccountStatus::Disabled)
        .include_cancelled_accounts(true)
        .sort(ManagedAccountSort::EmailDesc)
        .page_number(1)
        .page_size(250);
    let _ = server.client().managed_accounts().list(request).count();
    let request = server.only_request();
    assert_eq!(
        request.query_pairs(),
        vec![
            ("filter[email][contains]", "acme co"),
            ("filter[email][eq]", "ops@acme.example.com"),
            ("filter[organization_name][contains]", "Acme"),
            ("filter[organization_name][eq]", "Acme & Sons"),
            ("filter[status][eq]", "disabled"),
            ("include_cancelled_accounts", "true"),
            ("sort", "-email"),
            ("page[size]", "250"),
            ("page[number]", "1"),
        ]
    );
    // Brackets and reserved characters are percent-encoded on the wire.
    assert!(
        request
            .target
            .contains("filter%5Bemail%5D%5Bcontains%5D=acme%20co"),
        "{}",
        request.target
    );
    assert!(
        request
            .target
            .contains("filter%5Borganization_name%5D%5Beq%5D=Acme%20%26%20Sons")
    );
}

/// `Display`, `FromStr` and serde all agree with the wire string.
fn assert_wire_string<T>(value: T, wire: &str)
where
    T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
    T: serde::Serialize + serde::de::DeserializeOwned,
    T::Err: std::fmt::Debug,
{
    assert_eq!(value.to_string(), wire);
    assert_eq!(wire.parse::<T>().unwrap(), value);
    assert_eq!(serde_json::to_value(value).unwrap(), json!(wire));
    assert_eq!(serde_json::from_value::<T>(json!(wire)).unwrap(), value);
}

#[test]
fn every_status_and_sort_value_is_spelled_as_the_spec_says() {
    let statuses = [
        (ManagedAccountStatus::All, "all"),
        (ManagedAccountStatus::Active, "active"),
        (ManagedAccountStatus::Enabled, "enabled"),
        (ManagedAccountStatus::Cancelled, "cancelled"),
        (ManagedAccountStatus::Disabled, "disabled"),
        (ManagedAccountStatus::Blocked, "blocked"),
    ];
    for (status, wire) in statuses {
        assert_eq!(status.as_str(), wire);
        assert_wire_string(status, wire);
    }
    let sorts = [
        (ManagedAccountSort::CreatedAt, "created_at"),
        (ManagedAccountSort::CreatedAtDesc, "-created_at"),
        (ManagedAccountSort::Email, "email"),
        (ManagedAccountSort::EmailDesc, "-email"),
    ];
    for (sort, wire) in sorts {
        assert_eq!(sort.as_str(), wire);
        assert_wire_string(sort, wire);
        let server = TestServer::json(r#"{"data":[]}"#);
        let _ = server
            .client()
            .managed_accounts()
            .list(ListManagedAccounts::new().sort(sort))
            .count();
        assert_eq!(server.only_request().query_pairs(), vec![("sort", wire)]);
    }
    let server = TestServer::json(r#"{"data":[]}"#);
    let _ = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new().include_cancelled_accounts(false))
        .count();
    assert_eq!(
        server.only_request().query_pairs(),
        vec![("include_cancelled_accounts", "false")]
    );
}

/// A server with `total` accounts in pages of `size`, answering by `page[number]`.
fn paged_server(total: usize, size: usize) -> TestServer {
    TestServer::start(move |request| {
        let number: usize = request
            .query_value("page[number]")
            .map_or(1, |n| n.parse().unwrap());
        let pages = total.div_ceil(size);
        let data: Vec<_> = ((number - 1) * size..(number * size).min(total))
            .map(|i| {
                json!({"id": format!("id-{i}"), "record_type": "managed_account", "email": format!("u{i}@example.com"),
                       "api_user": "manager@example.com", "manager_account_id": "m", "created_at": "t", "updated_at": "t"})
            })
            .collect();
        let body = json!({"data": data, "meta": {"page_number": number, "page_size": size, "total_pages": pages, "total_results": total}});
        Reply::json(200, &body.to_string())
    })
}

#[test]
fn pagination_walks_three_pages_and_keeps_filters() {
    let server = paged_server(7, 3);
    let list = ListManagedAccounts::new()
        .email_contains("example")
        .page_size(3);
    let ids: Vec<String> = server
        .client()
        .managed_accounts()
        .list(list)
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(ids, (0..7).map(|i| format!("id-{i}")).collect::<Vec<_>>());
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].query_pairs(),
        vec![("filter[email][contains]", "example"), ("page[size]", "3")]
    );
    for (i, request) in requests.iter().enumerate().skip(1) {
        let page = (i + 1).to_string();
        assert_eq!(
            request.query_pairs(),
            vec![
                ("filter[email][contains]", "example"),
                ("page[size]", "3"),
                ("page[number]", page.as_str())
            ]
        );
    }
}

#[test]
fn next_page_only_adds_page_number() {
    let server = paged_server(2, 1);
    let _ = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .count();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "/managed_accounts");
    assert_eq!(requests[1].target, "/managed_accounts?page%5Bnumber%5D=2");
}

#[test]
fn pages_view_yields_meta_and_fetches_lazily() {
    let server = paged_server(5, 2);
    let mut pages = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new().page_size(2))
        .pages();
    let first = pages.next().unwrap().unwrap();
    assert_eq!(first.data.len(), 2);
    assert_eq!(first.meta.page_number, Some(1));
    assert_eq!(first.meta.total_pages, Some(3));
    assert_eq!(first.meta.total_results, Some(5));
    assert_eq!(server.request_count(), 1);
    let rest: Vec<_> = pages.map(|p| p.unwrap().data.len()).collect();
    assert_eq!(rest, vec![2, 1]);
    assert_eq!(server.request_count(), 3);
}

#[test]
fn pagination_starts_at_the_requested_page() {
    let server = paged_server(6, 2);
    let ids: Vec<String> = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new().page_number(2).page_size(2))
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(ids, vec!["id-2", "id-3", "id-4", "id-5"]);
    let numbers: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query_value("page[number]").unwrap().to_owned())
        .collect();
    assert_eq!(numbers, vec!["2", "3"]);
}

#[test]
fn pagination_stops_on_empty_page_and_missing_meta() {
    // total_pages says 10 but page 2 is empty: stop there.
    let server = TestServer::start(|request| {
        let body = match request.query_value("page[number]") {
            None => {
                r#"{"data":[{"id":"a","record_type":"managed_account","email":"a@example.com","api_user":"m","manager_account_id":"m","created_at":"t","updated_at":"t"}],"meta":{"page_number":1,"total_pages":10}}"#
            }
            Some(_) => r#"{"data":[],"meta":{"page_number":2,"total_pages":10}}"#,
        };
        Reply::json(200, body)
    });
    assert_eq!(
        server
            .client()
            .managed_accounts()
            .list(ListManagedAccounts::new())
            .count(),
        1
    );
    assert_eq!(server.request_count(), 2);

    // No meta at all: one page is all we can know about.
    let server =
        TestServer::json(&fixture("managed_accounts_list.json").replace("\"meta\"", "\"other\""));
    assert_eq!(
        server
            .client()
            .managed_accounts()
            .list(ListManagedAccounts::new())
            .count(),
        1
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn pagination_refuses_a_server_that_repeats_the_same_page() {
    let server = TestServer::json(
        r#"{"data":[{"id":"a","record_type":"managed_account","email":"a@example.com","api_user":"m","manager_account_id":"m","created_at":"t","updated_at":"t"}],"meta":{"page_number":1,"total_pages":99}}"#,
    );
    let results: Vec<_> = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    assert!(
        matches!(err, telnyx_blocking::Error::Pagination(e) if e.kind() == telnyx_blocking::ErrorKind::WrongPage),
        "{err:?}"
    );
    assert!(err.to_string().contains("asked for page 2"), "{err}");
    assert_eq!(server.request_count(), 2);
}

#[test]
fn list_decodes_the_spec_example() {
    let server = TestServer::json(&fixture("managed_accounts_list.json"));
    // The example's meta says page 2 of 3, so ask for page 2.
    let list = ListManagedAccounts::new().page_number(2);
    let page = server
        .client()
        .managed_accounts()
        .list(list)
        .pages()
        .next()
        .unwrap()
        .unwrap();
    let account = &page.data[0];
    assert_eq!(account.id, ID);
    assert_eq!(account.email, "user@example.com");
    assert_eq!(
        account.organization_name.as_deref(),
        Some("Example Company LLC")
    );
    assert_eq!(account.api_key, None);
    assert_eq!(account.balance, None);
    assert_eq!(page.meta.total_results, Some(55));
}

#[test]
fn create_sends_only_business_name_by_default() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let account = server
        .client()
        .managed_accounts()
        .create(CreateManagedAccount::new("Larry's Cat Food Inc"))
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/managed_accounts");
    assert_common_headers(&request, true);
    assert_eq!(
        request.json(),
        json!({"business_name": "Larry's Cat Food Inc"})
    );
    assert_eq!(account.id, ID);
    assert_eq!(
        account.api_key.as_ref().map(|k| k.expose()),
        Some("KEY01236170692E74656C6E79782E636F6D_YmlnIGlyb24gaXMgZGVhZA")
    );
    let balance = account.balance.unwrap();
    assert_eq!(balance.available_credit.as_deref(), Some("400.00"));
    assert_eq!(balance.currency.as_deref(), Some("USD"));
}

#[test]
fn create_sends_every_optional_field() {
    let server = TestServer::json(&fixture("managed_account.json"));
    server
        .client()
        .managed_accounts()
        .create(
            CreateManagedAccount::new("Larry's Cat Food Inc")
                .email("larry_cat_food@customer.org")
                .password("3jVjLq!tMuWKyWx4NN*CvhnB")
                .managed_account_allow_custom_pricing(false)
                .rollup_billing(true),
        )
        .unwrap();
    assert_eq!(
        server.only_request().json(),
        json!({"business_name": "Larry's Cat Food Inc", "email": "larry_cat_food@customer.org",
               "password": "3jVjLq!tMuWKyWx4NN*CvhnB", "managed_account_allow_custom_pricing": false,
               "rollup_billing": true})
    );
}

#[test]
fn allocatable_channels() {
    let server = TestServer::json(&fixture("allocatable_channels.json"));
    let channels = server
        .client()
        .managed_accounts()
        .get_allocatable_global_outbound_channels()
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        (
            "GET",
            "/managed_accounts/allocatable_global_outbound_channels"
        )
    );
    assert_common_headers(&request, false);
    assert_eq!(channels.allocatable_global_outbound_channels, Some(500));
    assert_eq!(channels.total_global_channels_allocated, Some(135));
    assert_eq!(
        channels.record_type.as_deref(),
        Some("allocatable_global_outbound_channels")
    );
    assert_eq!(channels.managed_account_allow_custom_pricing, None);
}

#[test]
fn retrieve() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let account = server.client().managed_accounts().retrieve(ID).unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", format!("/managed_accounts/{ID}").as_str())
    );
    assert_common_headers(&request, false);
    assert_eq!(account.manager_account_id, ID);
    assert_eq!(account.rollup_billing, Some(false));
    assert_eq!(account.managed_account_allow_custom_pricing, Some(true));
}

#[test]
fn update_sends_empty_object_or_the_field() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.client();
    client
        .managed_accounts()
        .update(ID, UpdateManagedAccount::new())
        .unwrap();
    client
        .managed_accounts()
        .update(
            ID,
            UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
        )
        .unwrap();
    let requests = server.requests();
    for request in &requests {
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("PATCH", format!("/managed_accounts/{ID}").as_str())
        );
        assert_common_headers(request, true);
    }
    assert_eq!(requests[0].json(), json!({}));
    assert_eq!(
        requests[1].json(),
        json!({"managed_account_allow_custom_pricing": true})
    );
}

#[test]
fn disable_sends_no_body() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let account = server
        .client()
        .managed_accounts()
        .actions()
        .disable(ID)
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        (
            "POST",
            format!("/managed_accounts/{ID}/actions/disable").as_str()
        )
    );
    assert_common_headers(&request, false);
    assert_eq!(account.id, ID);
}

#[test]
fn enable_sends_empty_object_or_the_option() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.client();
    client
        .managed_accounts()
        .actions()
        .enable(ID, EnableManagedAccount::new())
        .unwrap();
    client
        .managed_accounts()
        .actions()
        .enable(
            ID,
            EnableManagedAccount::new().reenable_all_connections(true),
        )
        .unwrap();
    let requests = server.requests();
    for request in &requests {
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            (
                "POST",
                format!("/managed_accounts/{ID}/actions/enable").as_str()
            )
        );
        assert_common_headers(request, true);
    }
    assert_eq!(requests[0].json(), json!({}));
    assert_eq!(
        requests[1].json(),
        json!({"reenable_all_connections": true})
    );
}

#[test]
fn update_global_channel_limit() {
    let server = TestServer::json(&fixture("global_channel_limit.json"));
    let client = server.client();
    let limit = client
        .managed_accounts()
        .update_global_channel_limit(ID, UpdateGlobalChannelLimit::new().channel_limit(30))
        .unwrap();
    client
        .managed_accounts()
        .update_global_channel_limit(ID, UpdateGlobalChannelLimit::new())
        .unwrap();
    let requests = server.requests();
    for request in &requests {
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            (
                "PATCH",
                format!("/managed_accounts/{ID}/update_global_channel_limit").as_str()
            )
        );
        assert_common_headers(request, true);
    }
    assert_eq!(requests[0].json(), json!({"channel_limit": 30}));
    assert_eq!(requests[1].json(), json!({}));
    assert_eq!(limit.channel_limit, Some(30));
    assert_eq!(limit.email.as_deref(), Some("allocate_demo@customer.com"));
    assert_eq!(
        limit.record_type.as_deref(),
        Some("managed_account_global_outbound_settings")
    );
}

#[test]
fn negative_channel_limit_is_refused_before_any_request() {
    let server = TestServer::json(&fixture("global_channel_limit.json"));
    let ma = server.client().managed_accounts();
    for limit in [-1, i64::MIN] {
        let err = ma
            .update_global_channel_limit(ID, UpdateGlobalChannelLimit::new().channel_limit(limit))
            .unwrap_err();
        match &err {
            Error::InvalidRequest(e) => assert_eq!(e.kind(), ErrorKind::InvalidValue),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    assert_eq!(server.request_count(), 0);
    // 0 (no outbound calling) and the largest i64 are sent as given.
    for limit in [0, i64::MAX] {
        ma.update_global_channel_limit(ID, UpdateGlobalChannelLimit::new().channel_limit(limit))
            .unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests[0].json(), json!({"channel_limit": 0}));
    assert_eq!(requests[1].json(), json!({"channel_limit": i64::MAX}));
}

#[test]
fn ids_are_one_encoded_path_segment() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.client();
    client
        .managed_accounts()
        .retrieve("../organizations/users")
        .unwrap();
    client
        .managed_accounts()
        .actions()
        .disable("a/b?c#d e%")
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].raw_path,
        "/managed_accounts/..%2Forganizations%2Fusers"
    );
    assert_eq!(requests[0].path, "/managed_accounts/../organizations/users");
    assert_eq!(
        requests[1].raw_path,
        "/managed_accounts/a%2Fb%3Fc%23d%20e%25/actions/disable"
    );
    assert!(requests[1].query.is_empty());
}

#[test]
fn empty_ids_are_rejected_before_any_request() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let ma = server.client().managed_accounts();
    let results = [
        ma.retrieve("").map(|_| ()),
        ma.update(" ", UpdateManagedAccount::new()).map(|_| ()),
        ma.actions().disable("").map(|_| ()),
        ma.actions()
            .enable("", EnableManagedAccount::new())
            .map(|_| ()),
        ma.update_global_channel_limit("", UpdateGlobalChannelLimit::new())
            .map(|_| ()),
    ];
    for result in results {
        let err = result.unwrap_err();
        assert!(
            matches!(err, telnyx_blocking::Error::InvalidRequest(_)),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("managed account id must not be empty"),
            "{err}"
        );
    }
    assert_eq!(server.request_count(), 0);
}

#[test]
fn debug_output_hides_credentials() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.client();
    let account = client.managed_accounts().retrieve(ID).unwrap();
    let printed = format!("{account:?} {account:#?}");
    assert!(
        !printed.contains("KEY01236170692E74656C6E79782E636F6D"),
        "{printed}"
    );
    assert!(!printed.contains("x6oexQNHTs-fZ7-QsDMOeg"), "{printed}");
    assert!(printed.contains("[REDACTED]"));
    let printed = format!("{client:?}");
    assert!(!printed.contains(TEST_KEY), "{printed}");
    let request = CreateManagedAccount::new("x").password("hunter2-very-secret");
    assert!(!format!("{request:?}").contains("hunter2-very-secret"));
}

#[test]
fn unknown_fields_are_ignored() {
    let body =
        fixture("managed_account.json").replacen('{', r#"{"future_field": {"x": [1, 2]},"#, 2);
    let server = TestServer::json(&body);
    assert_eq!(
        server.client().managed_accounts().retrieve(ID).unwrap().id,
        ID
    );
}
