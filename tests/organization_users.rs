//! Every organization-users method: the exact request on the wire and the decoded answer.

mod support;

use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::Error;
use telnyx_blocking::organizations::users::{
    ListOrganizationUsers, RetrieveOrganizationUser, UserStatus,
};

const ID: &str = "6a09cdc3-8948-47f0-aa62-74ac943d6c58";

fn assert_headers(request: &support::Recorded, accept: &str) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TEST_KEY}").as_str())
    );
    assert_eq!(request.header("accept"), Some(accept));
    assert_eq!(request.header("content-type"), None);
    assert!(request.body.is_empty());
}

#[test]
fn list_without_filters_sends_no_query() {
    let server = TestServer::json(&fixture("organization_users_list.json"));
    let users: Vec<_> = server
        .client()
        .organizations()
        .users()
        .list(ListOrganizationUsers::new())
        .collect();
    assert_eq!(users.len(), 2);
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/organizations/users")
    );
    assert_headers(&request, "application/json");
}

#[test]
fn list_sends_every_filter() {
    let server = TestServer::json(&fixture("organization_users_list.json"));
    let users = server.client().organizations().users();
    let list = ListOrganizationUsers::new()
        .email_contains("user@example")
        .user_status(UserStatus::Blocked)
        .include_groups(true)
        .page_number(1)
        .page_size(50);
    let _ = users.list(list).count();
    let request = server.only_request();
    assert_eq!(
        request.query_pairs(),
        vec![
            ("filter[email]", "user@example"),
            ("filter[user_status]", "blocked"),
            ("include_groups", "true"),
            ("page[size]", "50"),
            ("page[number]", "1"),
        ]
    );
    assert!(request.target.contains("filter%5Buser_status%5D=blocked"));
    for (status, wire) in [
        (UserStatus::Enabled, "enabled"),
        (UserStatus::Disabled, "disabled"),
    ] {
        let server = TestServer::json(r#"{"data":[]}"#);
        let _ = server
            .client()
            .organizations()
            .users()
            .list(ListOrganizationUsers::new().user_status(status))
            .count();
        assert_eq!(
            server.only_request().query_pairs(),
            vec![("filter[user_status]", wire)]
        );
    }
}

#[test]
fn list_decodes_groups_null_sign_in_and_unknown_status() {
    let server = TestServer::json(&fixture("organization_users_list.json"));
    let users: Vec<_> = server
        .client()
        .organizations()
        .users()
        .list(ListOrganizationUsers::new().include_groups(true))
        .map(Result::unwrap)
        .collect();
    assert_eq!(users[0].id.as_deref(), Some(ID));
    assert_eq!(users[0].user_status, Some(UserStatus::Enabled));
    assert_eq!(
        users[0].record_type.as_deref(),
        Some("organization_sub_user")
    );
    let groups = users[0].groups.as_ref().unwrap();
    assert_eq!(
        (groups[0].id.as_str(), groups[0].name.as_str()),
        ("7b09cdc3-8948-47f0-aa62-74ac943d6c59", "Engineering")
    );
    assert_eq!(users[1].last_sign_in_at, None);
    assert_eq!(
        users[1].user_status,
        Some(UserStatus::Other("suspended_for_review".into()))
    );
    assert_eq!(
        users[1].user_status.as_ref().unwrap().as_str(),
        "suspended_for_review"
    );
    assert_eq!(users[1].groups.as_deref(), Some(&[][..]));
}

#[test]
fn every_field_is_optional() {
    let server = TestServer::json(r#"{"data":{}}"#);
    let user = server
        .client()
        .organizations()
        .users()
        .retrieve(ID, RetrieveOrganizationUser::new())
        .unwrap();
    assert_eq!(user.id, None);
    assert_eq!(user.groups, None);
}

#[test]
fn paging_keeps_filters() {
    let server = TestServer::start(|request| {
        let number: u32 = request
            .query_value("page[number]")
            .map_or(1, |n| n.parse().unwrap());
        let body = format!(
            r#"{{"data":[{{"id":"u{number}","email":"u{number}@example.com"}}],"meta":{{"page_number":{number},"page_size":1,"total_pages":3,"total_results":3}}}}"#
        );
        Reply::json(200, &body)
    });
    let list = ListOrganizationUsers::new()
        .email_contains("example")
        .include_groups(false)
        .page_size(1);
    let ids: Vec<_> = server
        .client()
        .organizations()
        .users()
        .list(list)
        .map(|u| u.unwrap().id.unwrap())
        .collect();
    assert_eq!(ids, vec!["u1", "u2", "u3"]);
    let requests = server.requests();
    assert_eq!(
        requests[2].query_pairs(),
        vec![
            ("filter[email]", "example"),
            ("include_groups", "false"),
            ("page[size]", "1"),
            ("page[number]", "3")
        ]
    );
}

#[test]
fn retrieve_with_and_without_groups() {
    let server = TestServer::json(&fixture("organization_user.json"));
    let users = server.client().organizations().users();
    let user = users.retrieve(ID, RetrieveOrganizationUser::new()).unwrap();
    users
        .retrieve(ID, RetrieveOrganizationUser::new().include_groups(true))
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].target, format!("/organizations/users/{ID}"));
    assert_eq!(
        requests[1].target,
        format!("/organizations/users/{ID}?include_groups=true")
    );
    assert_headers(&requests[0], "application/json");
    assert_eq!(user.email.as_deref(), Some("user@example.com"));
    assert_eq!(user.organization_user_bypasses_sso, Some(false));
    assert_eq!(
        user.last_sign_in_at.as_deref(),
        Some("2018-02-02T22:25:27.521Z")
    );
}

#[test]
fn remove_posts_without_body() {
    let server = TestServer::json(&fixture("organization_user.json"));
    let removed = server
        .client()
        .organizations()
        .users()
        .actions()
        .remove(ID)
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        (
            "POST",
            format!("/organizations/users/{ID}/actions/remove").as_str()
        )
    );
    assert_headers(&request, "application/json");
    assert_eq!(removed.id.as_deref(), Some(ID));
}

#[test]
fn groups_report_json() {
    let server = TestServer::json(&fixture("groups_report.json"));
    let report = server
        .client()
        .organizations()
        .users()
        .get_groups_report()
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/organizations/users/users_groups_report")
    );
    assert_headers(&request, "application/json");
    assert_eq!(report.len(), 2);
    assert_eq!(report[0].email, "user@example.com");
    let names: Vec<_> = report[0].groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, vec!["Engineering", "Sales"]);
    assert_eq!(report[1].record_type, "organization_owner");
    assert!(report[1].groups.is_empty());
}

#[test]
fn groups_report_csv_is_returned_verbatim() {
    let csv = fixture("groups_report.csv");
    let server = TestServer::replies(vec![Reply::text(200, "text/csv", &csv)]);
    let text = server
        .client()
        .organizations()
        .users()
        .get_groups_report_csv()
        .unwrap();
    assert_eq!(text, csv);
    let request = server.only_request();
    assert_eq!(request.target, "/organizations/users/users_groups_report");
    assert_headers(&request, "text/csv");
}

#[test]
fn groups_report_csv_error_is_typed() {
    let body = r#"{"errors":[{"code":"10010","title":"Not authorized","detail":"You are not authorized to access the requested resource."}]}"#;
    let server = TestServer::replies(vec![Reply::json(403, body)]);
    let err = server
        .client()
        .organizations()
        .users()
        .get_groups_report_csv()
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 403);
    assert_eq!(api.code(), Some("10010"));
}

#[test]
fn not_found_and_forbidden() {
    let not_found = r#"{"errors":[{"code":"10005","title":"Resource not found","detail":"The requested resource or URL could not be found."}]}"#;
    let server = TestServer::replies(vec![Reply::json(404, not_found)]);
    let err = server
        .client()
        .organizations()
        .users()
        .retrieve("nope", RetrieveOrganizationUser::new())
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.api_error().unwrap().code(), Some("10005"));

    let forbidden = r#"{"errors":[{"code":"10010","title":"Not authorized"}]}"#;
    let server = TestServer::replies(vec![Reply::json(403, forbidden)]);
    let err = server
        .client()
        .organizations()
        .users()
        .actions()
        .remove(ID)
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.api_error().unwrap().message(), "Not authorized");
}

#[test]
fn empty_ids_are_rejected_before_any_request() {
    let server = TestServer::json(&fixture("organization_user.json"));
    let users = server.client().organizations().users();
    assert!(matches!(
        users.retrieve("", RetrieveOrganizationUser::new()),
        Err(Error::InvalidRequest(_))
    ));
    assert!(matches!(
        users.actions().remove(""),
        Err(Error::InvalidRequest(_))
    ));
    assert_eq!(server.request_count(), 0);
}

#[test]
fn users_handle_binds_as_one_expression() {
    let server = TestServer::json(&fixture("groups_report.json"));
    let users = server.client().organizations().users();
    assert_eq!(users.get_groups_report().unwrap().len(), 2);
}
