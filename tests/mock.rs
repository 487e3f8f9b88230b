//! The `mock` feature's MockServer, driven through the real client: state changes
//! are visible, filters, sorts and paging behave, and each error is typed.

use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, EnableManagedAccount, ListManagedAccounts, ManagedAccountSort,
    ManagedAccountStatus, UpdateGlobalChannelLimit, UpdateManagedAccount,
};
use telnyx_blocking::mock::{MockAccount, MockAccountStatus, MockFault, MockServer, MockUser};
use telnyx_blocking::organizations::users::{
    ListOrganizationUsers, RetrieveOrganizationUser, UserStatus,
};
use telnyx_blocking::{ApiErrorKind, Error, Telnyx};

fn client(server: &MockServer) -> Telnyx {
    Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .sleep_fn(|_| {})
        .build()
        .unwrap()
}

fn emails(client: &Telnyx, list: ListManagedAccounts) -> Vec<String> {
    client
        .managed_accounts()
        .list(list)
        .map(|a| a.unwrap().email)
        .collect()
}

#[test]
fn create_then_retrieve_and_list_find_it() {
    let server = MockServer::start();
    let client = client(&server);
    let ma = client.managed_accounts();
    let created = ma
        .create(CreateManagedAccount::new("Larry's Cat Food Inc").email("larry@example.com"))
        .unwrap();
    assert_eq!(created.email, "larry@example.com");
    assert_eq!(
        created.organization_name.as_deref(),
        Some("Larry's Cat Food Inc")
    );
    assert!(
        created
            .api_key
            .as_ref()
            .is_some_and(|k| !k.expose().is_empty())
    );
    assert!(created.api_token.is_some());
    assert_eq!(
        created.balance.as_ref().and_then(|b| b.currency.as_deref()),
        Some("USD")
    );
    assert_eq!(created.id.len(), 36);

    let fetched = ma.retrieve(&created.id).unwrap();
    assert_eq!(fetched.id, created.id);
    let listed = emails(
        &client,
        ListManagedAccounts::new().email_eq("larry@example.com"),
    );
    assert_eq!(listed, vec!["larry@example.com"]);
}

#[test]
fn update_and_channel_limit_change_later_reads() {
    let server = MockServer::start();
    let client = client(&server);
    let ma = client.managed_accounts();
    let id = ma
        .create(CreateManagedAccount::new("Pricing Co"))
        .unwrap()
        .id;
    let before = ma.get_allocatable_global_outbound_channels().unwrap();

    ma.update(
        &id,
        UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
    )
    .unwrap();
    assert_eq!(
        ma.retrieve(&id)
            .unwrap()
            .managed_account_allow_custom_pricing,
        Some(true)
    );

    let limit = ma
        .update_global_channel_limit(&id, UpdateGlobalChannelLimit::new().channel_limit(25))
        .unwrap();
    assert_eq!(limit.channel_limit, Some(25));
    assert_eq!(limit.id.as_deref(), Some(id.as_str()));
    let after = ma.get_allocatable_global_outbound_channels().unwrap();
    assert_eq!(
        after.total_global_channels_allocated.unwrap(),
        before.total_global_channels_allocated.unwrap() + 25
    );
}

#[test]
fn disable_and_enable_change_what_the_status_filter_finds() {
    let server = MockServer::start();
    let client = client(&server);
    let ma = client.managed_accounts();
    let id = ma
        .create(CreateManagedAccount::new("Toggle Inc").email("toggle@example.com"))
        .unwrap()
        .id;
    let disabled = || {
        emails(
            &client,
            ListManagedAccounts::new().status(ManagedAccountStatus::Disabled),
        )
    };
    let enabled = || {
        emails(
            &client,
            ListManagedAccounts::new().status(ManagedAccountStatus::Enabled),
        )
    };
    assert!(!disabled().contains(&"toggle@example.com".to_owned()));

    ma.actions().disable(&id).unwrap();
    assert_eq!(disabled(), vec!["toggle@example.com"]);
    assert!(!enabled().contains(&"toggle@example.com".to_owned()));

    ma.actions()
        .enable(
            &id,
            EnableManagedAccount::new().reenable_all_connections(true),
        )
        .unwrap();
    assert!(disabled().is_empty());
    assert!(enabled().contains(&"toggle@example.com".to_owned()));
}

fn seeded() -> MockServer {
    MockServer::builder()
        .managed_account(
            MockAccount::new("Acme Widgets")
                .email("b-acme@example.com")
                .created_at("2025-01-02T00:00:00.000Z"),
        )
        .managed_account(
            MockAccount::new("Acme Labs")
                .email("a-labs@example.com")
                .created_at("2025-01-03T00:00:00.000Z"),
        )
        .managed_account(
            MockAccount::new("Globex")
                .email("c-globex@example.org")
                .created_at("2025-01-01T00:00:00.000Z"),
        )
        .managed_account(
            MockAccount::new("Gone Ltd")
                .email("d-gone@example.com")
                .status(MockAccountStatus::Cancelled)
                .created_at("2025-01-04T00:00:00.000Z"),
        )
        .start()
}

#[test]
fn filters() {
    let server = seeded();
    let client = client(&server);
    let sorted = |list: ListManagedAccounts| {
        let mut e = emails(&client, list);
        e.sort();
        e
    };
    assert_eq!(
        sorted(ListManagedAccounts::new().email_contains("ACME")),
        vec!["b-acme@example.com"]
    );
    assert_eq!(
        sorted(ListManagedAccounts::new().email_eq("a-labs@example.com")),
        vec!["a-labs@example.com"]
    );
    assert_eq!(
        sorted(ListManagedAccounts::new().organization_name_contains("acme")),
        vec!["a-labs@example.com", "b-acme@example.com"]
    );
    assert_eq!(
        sorted(ListManagedAccounts::new().organization_name_eq("Globex")),
        vec!["c-globex@example.org"]
    );
    assert_eq!(
        sorted(ListManagedAccounts::new()).len(),
        3,
        "cancelled accounts are hidden by default"
    );
    assert_eq!(
        sorted(ListManagedAccounts::new().include_cancelled_accounts(true)).len(),
        4
    );
    assert_eq!(
        sorted(ListManagedAccounts::new().status(ManagedAccountStatus::Cancelled)),
        vec!["d-gone@example.com"]
    );
}

#[test]
fn sorts() {
    let server = seeded();
    let client = client(&server);
    let by = |sort| emails(&client, ListManagedAccounts::new().sort(sort));
    assert_eq!(
        by(ManagedAccountSort::Email),
        vec![
            "a-labs@example.com",
            "b-acme@example.com",
            "c-globex@example.org"
        ]
    );
    assert_eq!(
        by(ManagedAccountSort::EmailDesc),
        vec![
            "c-globex@example.org",
            "b-acme@example.com",
            "a-labs@example.com"
        ]
    );
    assert_eq!(
        by(ManagedAccountSort::CreatedAt),
        vec![
            "c-globex@example.org",
            "b-acme@example.com",
            "a-labs@example.com"
        ]
    );
    assert_eq!(
        by(ManagedAccountSort::CreatedAtDesc),
        vec![
            "a-labs@example.com",
            "b-acme@example.com",
            "c-globex@example.org"
        ]
    );
    // No sort: newest first, as the spec describes.
    assert_eq!(
        emails(&client, ListManagedAccounts::new()),
        by(ManagedAccountSort::CreatedAtDesc)
    );
}

#[test]
fn paging_meta_is_real() {
    let mut builder = MockServer::builder();
    for i in 0..5 {
        builder = builder.managed_account(
            MockAccount::new(format!("Org {i}")).email(format!("u{i}@example.com")),
        );
    }
    let server = builder.start();
    let client = client(&server);
    let pages: Vec<_> = client
        .managed_accounts()
        .list(
            ListManagedAccounts::new()
                .sort(ManagedAccountSort::Email)
                .page_size(2),
        )
        .pages()
        .map(Result::unwrap)
        .collect();
    assert_eq!(pages.len(), 3);
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.meta.page_number, Some(i as i64 + 1));
        assert_eq!(page.meta.page_size, Some(2));
        assert_eq!(page.meta.total_pages, Some(3));
        assert_eq!(page.meta.total_results, Some(5));
    }
    assert_eq!(pages[2].data.len(), 1);
    assert_eq!(server.request_count(), 3);
}

#[test]
fn errors_in_the_service_envelope() {
    let server = MockServer::start();
    let client = client(&server);
    let ma = client.managed_accounts();

    let err = ma
        .retrieve("00000000-0000-4000-8000-000000000000")
        .unwrap_err();
    assert_eq!(err.api_error().unwrap().kind(), ApiErrorKind::NotFound);
    assert_eq!(err.api_error().unwrap().code(), Some("10005"));

    let err = ma.create(CreateManagedAccount::new("")).unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 422);
    assert!(api.message().contains("business_name"), "{}", api.message());

    // Since 0.3 the client refuses page[size] 251 itself (issue 24); nothing is sent.
    let err = ma
        .list(ListManagedAccounts::new().page_size(251))
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let wrong = Telnyx::builder()
        .api_key("KEY_WRONG")
        .base_url(server.url())
        .build()
        .unwrap();
    let err = wrong.managed_accounts().retrieve("x").unwrap_err();
    assert_eq!(
        err.api_error().unwrap().kind(),
        ApiErrorKind::Authentication
    );
    assert_eq!(err.api_error().unwrap().code(), Some("10009"));
}

#[test]
fn a_taken_email_is_a_422_about_the_email() {
    let server = MockServer::start();
    let client = client(&server);
    let ma = client.managed_accounts();
    // acme-ops@example.com is in the default data; the check ignores case.
    for email in ["acme-ops@example.com", "ACME-Ops@Example.com"] {
        let err = ma
            .create(CreateManagedAccount::new("Copycat").email(email))
            .unwrap_err();
        let Error::Api(api) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(api.status(), 422);
        assert_eq!(api.code(), Some("10015"));
        assert!(api.message().contains("taken"), "{}", api.message());
        let pointer = api.errors()[0].source.as_ref().unwrap().pointer.as_deref();
        assert_eq!(pointer, Some("/email"));
        assert_eq!(err.outcome(), telnyx_blocking::RequestOutcome::NotProcessed);
    }
    assert_eq!(ma.list(ListManagedAccounts::new()).count(), 2);
}

#[test]
fn injected_faults_exercise_the_retry_policy() {
    let server = MockServer::start();
    let client = client(&server);
    // Two rate-limited answers are absorbed by the default two retries.
    server.fail_next(
        2,
        MockFault::RateLimited {
            retry_after_secs: 1,
        },
    );
    assert!(
        client
            .managed_accounts()
            .get_allocatable_global_outbound_channels()
            .is_ok()
    );
    assert_eq!(server.request_count(), 3);

    // A 500 on create is not retried: the account might exist.
    server.fail_next(1, MockFault::Status(500));
    let err = client
        .managed_accounts()
        .create(CreateManagedAccount::new("Once Inc"))
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.request_count(), 4);

    // A dropped connection on create is not retried either.
    server.fail_next(1, MockFault::Reset);
    let err = client
        .managed_accounts()
        .create(CreateManagedAccount::new("Once Inc"))
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(server.request_count(), 5);

    // Three 429s exhaust the retries.
    server.fail_next(
        3,
        MockFault::RateLimited {
            retry_after_secs: 2,
        },
    );
    let err = client
        .managed_accounts()
        .retrieve("6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14")
        .unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(2)));
    assert_eq!(server.request_count(), 8);
}

#[test]
fn users_seed_filter_retrieve_remove_and_report() {
    let server = MockServer::builder()
        .organization_user(
            MockUser::new("owner@example.com")
                .id("u-owner")
                .record_type("organization_owner"),
        )
        .organization_user(
            MockUser::new("dev@example.com")
                .id("u-dev")
                .groups(["Engineering", "Sales"]),
        )
        .organization_user(
            MockUser::new("gone@example.com")
                .id("u-gone")
                .user_status(UserStatus::Blocked)
                .last_sign_in_at(None),
        )
        .start();
    let client = client(&server);
    let users = client.organizations().users();

    let blocked: Vec<_> = users
        .list(ListOrganizationUsers::new().user_status(UserStatus::Blocked))
        .map(|u| u.unwrap())
        .collect();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].email.as_deref(), Some("gone@example.com"));
    assert_eq!(blocked[0].last_sign_in_at, None);
    assert_eq!(blocked[0].groups, None, "groups only with include_groups");

    let dev: Vec<_> = users
        .list(ListOrganizationUsers::new().email_contains("DEV@"))
        .map(|u| u.unwrap())
        .collect();
    assert_eq!(dev.len(), 1);

    let with_groups = users
        .retrieve(
            "u-dev",
            RetrieveOrganizationUser::new().include_groups(true),
        )
        .unwrap();
    let names: Vec<_> = with_groups
        .groups
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, vec!["Engineering", "Sales"]);
    assert_eq!(
        users
            .retrieve("u-dev", RetrieveOrganizationUser::new())
            .unwrap()
            .groups,
        None
    );

    let report = users.get_groups_report().unwrap();
    assert_eq!(report.len(), 3);
    let csv = users.get_groups_report_csv().unwrap();
    assert!(
        csv.starts_with("id,email,user_status,created_at,last_sign_in_at,groups"),
        "{csv}"
    );
    assert!(csv.contains("u-dev,dev@example.com,enabled,"), "{csv}");
    assert!(csv.contains("\"Engineering, Sales\""), "{csv}");

    let removed = users.actions().remove("u-gone").unwrap();
    assert_eq!(removed.id.as_deref(), Some("u-gone"));
    let err = users
        .retrieve("u-gone", RetrieveOrganizationUser::new())
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(users.list(ListOrganizationUsers::new()).count(), 2);
}

#[test]
fn the_mock_records_what_the_client_sent() {
    let server = MockServer::start();
    let client = client(&server);
    client
        .managed_accounts()
        .list(
            ListManagedAccounts::new()
                .email_contains("acme")
                .page_size(5),
        )
        .for_each(drop);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/managed_accounts");
    assert_eq!(
        requests[0].query_pairs(),
        vec![
            ("filter[email][contains]".to_owned(), "acme".to_owned()),
            ("page[size]".to_owned(), "5".to_owned())
        ]
    );
    let auth = format!("Bearer {}", server.api_key());
    assert_eq!(requests[0].header("authorization"), Some(auth.as_str()));
}

#[test]
fn shutdown_stops_the_server() {
    let server = MockServer::start();
    let client = client(&server);
    assert!(
        client
            .managed_accounts()
            .get_allocatable_global_outbound_channels()
            .is_ok()
    );
    server.shutdown();
    let quick = Telnyx::builder()
        .api_key("KEY_EXAMPLE")
        .base_url(client.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let err = quick
        .managed_accounts()
        .get_allocatable_global_outbound_channels()
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
}

#[test]
fn a_recorded_requests_debug_hides_the_key() {
    let server = MockServer::start();
    client(&server)
        .managed_accounts()
        .get_allocatable_global_outbound_channels()
        .unwrap();
    let recorded = server.requests().pop().unwrap();
    assert!(
        recorded
            .header("authorization")
            .is_some_and(|v| v.contains(server.api_key())),
        "the field keeps what was sent"
    );
    let debug = format!("{recorded:?}");
    assert!(!debug.contains(server.api_key()), "{debug}");
    assert!(debug.contains("[REDACTED]"), "{debug}");
}
