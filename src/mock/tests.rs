//! End-to-end tests of the mock server over real loopback sockets, with ureq
//! and with raw `TcpStream`s.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use super::*;

/// A response, read whole.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `data` of a list, as the values of `field`.
    fn column(&self, field: &str) -> Vec<Value> {
        self.json()["data"]
            .as_array()
            .expect("data array")
            .iter()
            .map(|item| item[field].clone())
            .collect()
    }
}

/// A ureq client for one server.
struct Api<'a> {
    server: &'a MockServer,
    agent: ureq::Agent,
    auth: String,
}

type UreqResult = Result<ureq::http::Response<ureq::Body>, ureq::Error>;

impl<'a> Api<'a> {
    fn new(server: &'a MockServer) -> Self {
        Api {
            server,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .proxy(None)
                .build()
                .new_agent(),
            auth: format!("Bearer {}", server.api_key()),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url(), path)
    }

    fn read(result: UreqResult) -> Reply {
        let mut resp = result.expect("HTTP exchange");
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        Reply {
            status: resp.status().as_u16(),
            headers,
            text: resp.body_mut().read_to_string().expect("body"),
        }
    }

    /// GET with the query encoded by ureq (`[` becomes `%5B`).
    fn get(&self, path: &str, query: &[(&str, &str)]) -> Reply {
        Self::read(
            self.agent
                .get(self.url(path))
                .header("Authorization", &self.auth)
                .query_pairs(query.iter().copied())
                .call(),
        )
    }

    fn post(&self, path: &str, body: Option<&str>) -> Reply {
        let req = self
            .agent
            .post(self.url(path))
            .header("Authorization", &self.auth);
        Self::read(match body {
            Some(b) => req.content_type("application/json").send(b),
            None => req.send_empty(),
        })
    }

    fn patch(&self, path: &str, body: &str) -> Reply {
        Self::read(
            self.agent
                .patch(self.url(path))
                .header("Authorization", &self.auth)
                .content_type("application/json")
                .send(body),
        )
    }

    fn list_accounts(&self, query: &[(&str, &str)]) -> Reply {
        let reply = self.get("/managed_accounts", query);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply
    }

    fn create(&self, body: Value) -> Value {
        let reply = self.post("/managed_accounts", Some(&body.to_string()));
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["data"].clone()
    }
}

fn strings(values: &[Value]) -> Vec<&str> {
    values.iter().map(|v| v.as_str().expect("string")).collect()
}

/// Five enabled accounts created in order a..e with shuffled emails, plus one
/// disabled and one cancelled.
fn five_accounts() -> MockServer {
    let mut builder = MockServer::builder();
    for (name, email) in [
        ("Alpha One", "delta@example.com"),
        ("Bravo Two", "alpha@example.com"),
        ("Charlie Three", "echo@example.com"),
        ("Delta Four", "bravo@example.com"),
        ("Echo Five", "charlie@example.com"),
    ] {
        builder = builder.managed_account(MockAccount::new(name).email(email));
    }
    builder
        .managed_account(
            MockAccount::new("Foxtrot Paused")
                .email("foxtrot@example.org")
                .status(MockAccountStatus::Disabled),
        )
        .managed_account(
            MockAccount::new("Golf Closed")
                .email("golf@example.org")
                .status(MockAccountStatus::Cancelled),
        )
        .start()
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.bytes()
            .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && parts[2].starts_with('4')
}

fn is_timestamp(s: &str) -> bool {
    // 2026-11-23T18:25:27.521Z
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn authentication_is_required() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let expected = json!({"errors":[{"code":"10009","title":"Authentication failed",
        "detail":"Could not understand the provided credentials.",
        "meta":{"url":"https://developers.telnyx.com/docs/overview/errors/10009"}}]});

    let none = Api::read(api.agent.get(api.url("/managed_accounts")).call());
    assert_eq!(none.status, 401);
    assert_eq!(none.json(), expected);
    assert_eq!(none.header("content-type"), Some("application/json"));
    assert!(none.header("x-request-id").is_some());

    for auth in [
        "Bearer KEYwrong",
        "Basic KEYmock_0000",
        "KEYmock_0000",
        "Bearer",
    ] {
        let reply = Api::read(
            api.agent
                .get(api.url("/organizations/users"))
                .header("Authorization", auth)
                .call(),
        );
        assert_eq!(reply.status, 401, "{auth}");
        assert_eq!(reply.json(), expected);
    }
    // Unknown routes and ids need the key too.
    let reply = Api::read(api.agent.get(api.url("/nope")).call());
    assert_eq!(reply.status, 401);

    let ok = api.get("/managed_accounts", &[]);
    assert_eq!(ok.status, 200);
    assert_eq!(server.api_key(), DEFAULT_API_KEY);

    let custom = MockServer::builder().api_key("KEYtest_abc").start();
    let api = Api::new(&custom);
    assert_eq!(api.get("/managed_accounts", &[]).status, 200);
    let old_key = Api::read(
        api.agent
            .get(api.url("/managed_accounts"))
            .header("Authorization", "Bearer KEYmock_0000")
            .call(),
    );
    assert_eq!(old_key.status, 401);
}

#[test]
fn create_retrieve_and_list() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let created =
        api.create(json!({"business_name": "Larry's Cat Food Inc", "password": "not-stored"}));

    let id = created["id"].as_str().expect("id");
    assert!(is_uuid_v4(id), "{id}");
    assert_eq!(created["email"], "larrys-cat-food-inc@managed.example.com");
    assert_eq!(created["organization_name"], "Larry's Cat Food Inc");
    assert_eq!(created["record_type"], "managed_account");
    assert_eq!(created["api_user"], "manager@example.com");
    assert_eq!(created["manager_account_id"], state::MANAGER_ACCOUNT_ID);
    assert!(
        created["api_key"]
            .as_str()
            .expect("api_key")
            .starts_with("KEYmock_")
    );
    assert!(created["api_token"].is_string());
    assert_eq!(
        created["balance"],
        json!({"available_credit":"0.00","balance":"0.00","credit_limit":"0.00","currency":"USD","record_type":"balance"})
    );
    assert_eq!(created["managed_account_allow_custom_pricing"], false);
    assert_eq!(created["rollup_billing"], false);
    let created_at = created["created_at"].as_str().expect("created_at");
    assert!(is_timestamp(created_at), "{created_at}");
    assert_eq!(created["updated_at"], created["created_at"]);
    assert!(created.get("password").is_none());

    let fetched = api.get(&format!("/managed_accounts/{id}"), &[]);
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json()["data"], created);
    // Only under /v2: the root is a 404 that names the prefix.
    let base = server.url().trim_end_matches("/v2");
    let root = Api::read(
        api.agent
            .get(format!("{base}/managed_accounts/{id}"))
            .call(),
    );
    assert_eq!(root.status, 404);
    assert!(root.text.contains("/v2"), "{}", root.text);

    // Newest first by default; list items drop the secrets and the balance.
    let list = api.list_accounts(&[]);
    let first = &list.json()["data"][0];
    assert_eq!(first["id"], id);
    for secret in ["api_key", "api_token", "balance"] {
        assert!(first.get(secret).is_none(), "{secret} in a list item");
    }
    assert_eq!(list.json()["meta"]["total_results"], 3);

    // Explicit fields, and a second generated email that doesn't collide.
    let second = api.create(
        json!({"business_name": "Example Two", "email": "two@example.com",
        "managed_account_allow_custom_pricing": true, "rollup_billing": true}),
    );
    assert_eq!(second["email"], "two@example.com");
    assert_eq!(second["managed_account_allow_custom_pricing"], true);
    assert_eq!(second["rollup_billing"], true);
    assert!(second["created_at"].as_str() > Some(created_at));
    let again = api.create(json!({"business_name": "Larry's Cat Food Inc"}));
    assert_eq!(again["email"], "larrys-cat-food-inc-2@managed.example.com");
    assert_ne!(again["id"], created["id"]);
}

#[test]
fn create_validates_its_body() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let missing = api.post("/managed_accounts", Some("{}"));
    assert_eq!(missing.status, 422);
    assert_eq!(
        missing.json(),
        json!({"errors":[{"code":"10015","title":"Bad Request","detail":"business_name is required",
            "source":{"pointer":"/business_name"}}]})
    );
    for (body, pointer) in [
        (r#"{"business_name":"  "}"#, "/business_name"),
        (r#"{"business_name":null}"#, "/business_name"),
        (r#"{"business_name":7}"#, "/business_name"),
        (r#"{"business_name":"X","email":"not-an-email"}"#, "/email"),
        (
            r#"{"business_name":"X","email":"acme-ops@example.com"}"#,
            "/email",
        ),
        (
            r#"{"business_name":"X","rollup_billing":"yes"}"#,
            "/rollup_billing",
        ),
        (r#"{"business_name":"X","password":1}"#, "/password"),
        ("[1,2]", "/"),
        ("{not json", "/"),
    ] {
        let reply = api.post("/managed_accounts", Some(body));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        let error = &reply.json()["errors"][0];
        assert_eq!(error["source"]["pointer"], pointer, "{body}");
        assert_eq!(error["code"], "10015");
        assert!(error["title"].is_string());
    }
    let empty = api.post("/managed_accounts", None);
    assert_eq!(empty.status, 422);
    // Nothing was created.
    assert_eq!(api.list_accounts(&[]).json()["meta"]["total_results"], 2);
}

#[test]
fn list_filters() {
    let server = five_accounts();
    let api = Api::new(&server);
    let emails = |query: &[(&str, &str)]| -> Vec<String> {
        let reply = api.list_accounts(query);
        let mut v: Vec<String> = strings(&reply.column("email"))
            .into_iter()
            .map(str::to_string)
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        emails(&[("filter[email][contains]", "ALPHA")]),
        ["alpha@example.com"]
    );
    assert_eq!(
        emails(&[("filter[email][contains]", "example.org")]),
        ["foxtrot@example.org"]
    );
    assert_eq!(
        emails(&[("filter[email][eq]", "echo@example.com")]),
        ["echo@example.com"]
    );
    assert!(emails(&[("filter[email][eq]", "ECHO@example.com")]).is_empty());
    assert_eq!(
        emails(&[("filter[organization_name][contains]", "tWo")]),
        ["alpha@example.com"]
    );
    assert_eq!(
        emails(&[("filter[organization_name][eq]", "Delta Four")]),
        ["bravo@example.com"]
    );
    assert!(emails(&[("filter[organization_name][eq]", "delta four")]).is_empty());
    assert_eq!(
        emails(&[
            ("filter[organization_name][contains]", "O"),
            ("filter[email][contains]", "ha")
        ]),
        ["alpha@example.com", "charlie@example.com"]
    );

    // Status: cancelled accounts are hidden unless asked for.
    assert_eq!(emails(&[]).len(), 6);
    assert_eq!(emails(&[("include_cancelled_accounts", "true")]).len(), 7);
    assert_eq!(emails(&[("include_cancelled_accounts", "false")]).len(), 6);
    assert_eq!(emails(&[("filter[status][eq]", "all")]).len(), 7);
    assert_eq!(emails(&[("filter[status][eq]", "enabled")]).len(), 5);
    assert_eq!(emails(&[("filter[status][eq]", "active")]).len(), 5);
    assert_eq!(
        emails(&[("filter[status][eq]", "disabled")]),
        ["foxtrot@example.org"]
    );
    assert_eq!(
        emails(&[("filter[status][eq]", "cancelled")]),
        ["golf@example.org"]
    );
    assert!(emails(&[("filter[status][eq]", "blocked")]).is_empty());

    for (key, value) in [
        ("filter[status][eq]", "paused"),
        ("filter[phone][eq]", "x"),
        ("include_cancelled_accounts", "yes"),
        ("sort", "name"),
    ] {
        let reply = api.get("/managed_accounts", &[(key, value)]);
        assert_eq!(reply.status, 422, "{key}={value}");
        assert_eq!(reply.json()["errors"][0]["source"]["parameter"], key);
    }
}

#[test]
fn disable_and_enable_change_the_status_filter() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
    let disabled = |api: &Api<'_>| {
        api.list_accounts(&[("filter[status][eq]", "disabled")])
            .column("id")
    };

    assert!(disabled(&api).is_empty());
    let reply = api.post(&format!("/managed_accounts/{acme}/actions/disable"), None);
    assert_eq!(reply.status, 200);
    let account = reply.json()["data"].clone();
    assert_eq!(account["id"], acme);
    assert!(account["api_key"].is_string());
    assert!(account["updated_at"].as_str() > account["created_at"].as_str());
    assert_eq!(disabled(&api), [json!(acme)]);
    let enabled = api
        .list_accounts(&[("filter[status][eq]", "enabled")])
        .column("id");
    assert!(!enabled.contains(&json!(acme)));

    // The enable body is optional; `{}` and the flag are accepted too.
    for body in [
        None,
        Some("{}"),
        Some(r#"{"reenable_all_connections":true}"#),
    ] {
        let reply = api.post(&format!("/managed_accounts/{acme}/actions/enable"), body);
        assert_eq!(reply.status, 200, "{body:?}");
        assert!(disabled(&api).is_empty());
        api.post(&format!("/managed_accounts/{acme}/actions/disable"), None);
    }
    let bad = api.post(
        &format!("/managed_accounts/{acme}/actions/enable"),
        Some(r#"{"reenable_all_connections":"yes"}"#),
    );
    assert_eq!(bad.status, 422);
    let missing = api.post("/managed_accounts/no-such-id/actions/disable", None);
    assert_eq!(missing.status, 404);
}

#[test]
fn list_sorts() {
    let server = five_accounts();
    let api = Api::new(&server);
    let names = |sort: Option<&str>| -> Vec<String> {
        let query: Vec<(&str, &str)> = sort.map(|s| ("sort", s)).into_iter().collect();
        strings(&api.list_accounts(&query).column("organization_name"))
            .into_iter()
            .map(|n| n.split(' ').next().unwrap_or_default().to_string())
            .collect()
    };
    let by_creation = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"];
    let mut newest_first = by_creation;
    newest_first.reverse();
    assert_eq!(names(Some("created_at")), by_creation);
    assert_eq!(names(Some("-created_at")), newest_first);
    assert_eq!(names(None), newest_first);
    // Emails: alpha@ is Bravo's, bravo@ Delta's, charlie@ Echo's, delta@ Alpha's, echo@ Charlie's.
    let by_email = ["Bravo", "Delta", "Echo", "Alpha", "Charlie", "Foxtrot"];
    let mut by_email_desc = by_email;
    by_email_desc.reverse();
    assert_eq!(names(Some("email")), by_email);
    assert_eq!(names(Some("-email")), by_email_desc);
}

#[test]
fn list_pages() {
    let server = five_accounts();
    let api = Api::new(&server);
    let mut seen = Vec::new();
    for number in 1..=3 {
        let n = number.to_string();
        let reply = api.list_accounts(&[
            ("sort", "created_at"),
            ("filter[status][eq]", "enabled"),
            ("page[number]", &n),
            ("page[size]", "2"),
        ]);
        let meta = &reply.json()["meta"];
        assert_eq!(
            *meta,
            json!({"page_number": number, "page_size": 2, "total_pages": 3, "total_results": 5})
        );
        seen.extend(reply.column("organization_name"));
    }
    assert_eq!(
        strings(&seen),
        [
            "Alpha One",
            "Bravo Two",
            "Charlie Three",
            "Delta Four",
            "Echo Five"
        ]
    );
    let past_end = api.list_accounts(&[("page[number]", "4"), ("page[size]", "2")]);
    assert_eq!(past_end.json()["data"], json!([]));
    assert_eq!(past_end.json()["meta"]["total_pages"], 3);

    let defaults = api.list_accounts(&[]);
    assert_eq!(
        defaults.json()["meta"],
        json!({"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 6})
    );
    let nothing = api.list_accounts(&[("filter[email][eq]", "nobody@example.com")]);
    assert_eq!(
        nothing.json(),
        json!({"data": [], "meta": {"page_number": 1, "page_size": 20, "total_pages": 0, "total_results": 0}})
    );
    assert_eq!(
        api.list_accounts(&[("page[size]", "250")])
            .column("id")
            .len(),
        6
    );

    for (key, value) in [
        ("page[size]", "0"),
        ("page[size]", "251"),
        ("page[size]", "ten"),
        ("page[number]", "0"),
        ("page[number]", "-1"),
        ("page[number]", "1.5"),
    ] {
        let reply = api.get("/managed_accounts", &[(key, value)]);
        assert_eq!(reply.status, 422, "{key}={value}");
        assert_eq!(reply.json()["errors"][0]["source"]["parameter"], key);
    }
}

#[test]
fn update_account() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let id = "a3b7d9e1-2f46-4c8b-8e10-5d9c7b3a1f62";
    let before = api.get(&format!("/managed_accounts/{id}"), &[]).json()["data"].clone();
    assert_eq!(before["managed_account_allow_custom_pricing"], true);

    let reply = api.patch(
        &format!("/managed_accounts/{id}"),
        r#"{"managed_account_allow_custom_pricing":false}"#,
    );
    assert_eq!(reply.status, 200);
    let after = reply.json()["data"].clone();
    assert_eq!(after["managed_account_allow_custom_pricing"], false);
    assert_eq!(after["created_at"], before["created_at"]);
    assert!(after["updated_at"].as_str() > before["updated_at"].as_str());
    assert_eq!(
        api.get(&format!("/managed_accounts/{id}"), &[]).json()["data"],
        after
    );
    // `{}` changes nothing but the update time.
    let same = api.patch(&format!("/managed_accounts/{id}"), "{}").json()["data"].clone();
    assert_eq!(same["managed_account_allow_custom_pricing"], false);

    let bad = api.patch(
        &format!("/managed_accounts/{id}"),
        r#"{"managed_account_allow_custom_pricing":"true"}"#,
    );
    assert_eq!(bad.status, 422);
    let missing = api.patch("/managed_accounts/unknown", "{}");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json(),
        json!({"errors":[{"code":"10005","title":"Resource not found",
            "detail":"The requested resource or URL could not be found.","source":{"pointer":"/"},
            "meta":{"url":"https://developers.telnyx.com/docs/overview/errors/10005"}}]})
    );
}

#[test]
fn channel_limits_feed_the_allocatable_report() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let report = |api: &Api<'_>| {
        let reply = api.get(
            "/managed_accounts/allocatable_global_outbound_channels",
            &[],
        );
        assert_eq!(reply.status, 200);
        reply.json()["data"].clone()
    };
    assert_eq!(
        report(&api),
        json!({"allocatable_global_outbound_channels": 500, "managed_account_allow_custom_pricing": false,
            "record_type": "allocatable_global_outbound_channels", "total_global_channels_allocated": 50})
    );
    let acme = "6f1c3a52-8d4e-4b7a-9c21-0e5d7f3b8a14";
    let path = format!("/managed_accounts/{acme}/update_global_channel_limit");
    let reply = api.patch(&path, r#"{"channel_limit":45}"#);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"data": {"channel_limit": 45, "email": "acme-ops@example.com", "id": acme,
            "manager_account_id": state::MANAGER_ACCOUNT_ID,
            "record_type": "managed_account_global_outbound_settings"}})
    );
    assert_eq!(report(&api)["total_global_channels_allocated"], 65);
    assert_eq!(api.patch(&path, "{}").json()["data"]["channel_limit"], 45);
    assert_eq!(api.patch(&path, r#"{"channel_limit":0}"#).status, 200);
    assert_eq!(report(&api)["total_global_channels_allocated"], 20);

    for body in [
        r#"{"channel_limit":-1}"#,
        r#"{"channel_limit":1.5}"#,
        r#"{"channel_limit":"3"}"#,
    ] {
        let reply = api.patch(&path, body);
        assert_eq!(reply.status, 422, "{body}");
        assert_eq!(
            reply.json()["errors"][0]["source"]["pointer"],
            "/channel_limit"
        );
    }
    let missing = api.patch(
        "/managed_accounts/unknown/update_global_channel_limit",
        r#"{"channel_limit":1}"#,
    );
    assert_eq!(missing.status, 404);

    let empty = MockServer::builder()
        .allocatable_global_outbound_channels(7)
        .start();
    let data = report(&Api::new(&empty));
    assert_eq!(data["allocatable_global_outbound_channels"], 7);
    assert_eq!(data["total_global_channels_allocated"], 0);
}

#[test]
fn users_list_filter_retrieve_and_remove() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let list = |query: &[(&str, &str)]| {
        let reply = api.get("/organizations/users", query);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply
    };
    let all = list(&[]);
    assert_eq!(
        strings(&all.column("email")),
        ["owner@example.com", "dev@example.com", "sales@example.com"]
    );
    assert_eq!(
        all.json()["meta"],
        json!({"page_number": 1, "page_size": 250, "total_pages": 1, "total_results": 3})
    );
    let owner = &all.json()["data"][0];
    assert_eq!(
        *owner,
        json!({"created_at": "2024-11-02T08:00:00.000Z", "email": "owner@example.com",
            "id": "0c4f8e2a-6b1d-4a93-8f57-2e9d1c3b5a70", "last_sign_in_at": "2026-01-12T16:45:10.250Z",
            "organization_user_bypasses_sso": false, "record_type": "organization_owner",
            "user_status": "enabled"})
    );
    assert_eq!(all.json()["data"][2]["last_sign_in_at"], Value::Null);

    let with_groups = list(&[("include_groups", "true")]);
    let groups = with_groups.column("groups");
    assert_eq!(groups[0], json!([]));
    let dev_groups = groups[1].as_array().expect("groups");
    assert_eq!(dev_groups.len(), 2);
    assert_eq!(dev_groups[0]["name"], "Engineering");
    assert!(is_uuid_v4(dev_groups[0]["id"].as_str().expect("group id")));
    // A group has the same id for every member.
    assert_eq!(groups[2][0]["name"], "Sales");
    assert_eq!(groups[2][0]["id"], dev_groups[1]["id"]);
    assert!(
        list(&[("include_groups", "false")]).json()["data"][1]
            .get("groups")
            .is_none()
    );

    assert_eq!(
        strings(&list(&[("filter[email]", "DEV@")]).column("email")),
        ["dev@example.com"]
    );
    assert_eq!(
        strings(&list(&[("filter[user_status]", "disabled")]).column("email")),
        ["sales@example.com"]
    );
    assert!(
        list(&[("filter[user_status]", "blocked")])
            .column("email")
            .is_empty()
    );
    let paged = list(&[("page[size]", "2"), ("page[number]", "2")]);
    assert_eq!(strings(&paged.column("email")), ["sales@example.com"]);
    assert_eq!(paged.json()["meta"]["total_pages"], 2);
    for (key, value) in [
        ("filter[user_status]", "active"),
        ("page[size]", "0"),
        ("page[size]", "251"),
        ("page[number]", "x"),
        ("include_groups", "1"),
    ] {
        let reply = api.get("/organizations/users", &[(key, value)]);
        assert_eq!(reply.status, 400, "{key}={value}");
        assert_eq!(reply.json()["errors"][0]["code"], "10015");
    }

    let dev = "4e8a1c6f-3d2b-4f95-a7c0-8b1e5d9f2c36";
    let one = api.get(&format!("/organizations/users/{dev}"), &[]);
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["data"]["email"], "dev@example.com");
    assert!(one.json()["data"].get("groups").is_none());
    let one = api.get(
        &format!("/organizations/users/{dev}"),
        &[("include_groups", "true")],
    );
    assert_eq!(one.json()["data"]["groups"][1]["name"], "Sales");

    let removed = api.post(&format!("/organizations/users/{dev}/actions/remove"), None);
    assert_eq!(removed.status, 200);
    assert_eq!(removed.json()["data"]["id"], dev);
    assert_eq!(
        api.get(&format!("/organizations/users/{dev}"), &[]).status,
        404
    );
    assert_eq!(
        api.post(&format!("/organizations/users/{dev}/actions/remove"), None)
            .status,
        404
    );
    assert_eq!(list(&[]).json()["meta"]["total_results"], 2);
}

#[test]
fn groups_report_json_and_csv() {
    let server = MockServer::builder()
        .default_seed()
        .organization_user(
            MockUser::new("quote\"d@example.com")
                .id("u-4")
                .created_at("2026-01-01T00:00:00.000Z")
                .groups(["R&D, Lab"]),
        )
        .start();
    let api = Api::new(&server);
    let json_reply = api.get("/organizations/users/users_groups_report", &[]);
    assert_eq!(json_reply.status, 200);
    assert_eq!(json_reply.header("content-type"), Some("application/json"));
    let report = json_reply.json();
    assert!(report.get("meta").is_none());
    let rows = report["data"].as_array().expect("data");
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r["groups"].is_array()));
    assert_eq!(rows[0]["groups"], json!([]));

    let csv = Api::read(
        api.agent
            .get(api.url("/organizations/users/users_groups_report"))
            .header("Authorization", &api.auth)
            .header("Accept", "text/csv")
            .call(),
    );
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv"));
    assert_eq!(
        csv.text,
        "id,email,user_status,created_at,last_sign_in_at,groups\r\n\
         0c4f8e2a-6b1d-4a93-8f57-2e9d1c3b5a70,owner@example.com,enabled,2024-11-02T08:00:00.000Z,2026-01-12T16:45:10.250Z,\r\n\
         4e8a1c6f-3d2b-4f95-a7c0-8b1e5d9f2c36,dev@example.com,enabled,2025-02-10T10:20:30.000Z,2026-01-10T09:05:00.000Z,\"Engineering, Sales\"\r\n\
         9b2d5f7e-1a4c-4c68-b3e9-6f0a8d2c4e15,sales@example.com,disabled,2025-09-01T13:00:00.000Z,,Sales\r\n\
         u-4,\"quote\"\"d@example.com\",enabled,2026-01-01T00:00:00.000Z,,\"R&D, Lab\"\r\n"
    );
}

#[test]
fn faults_come_first_then_normal_service() {
    let server = MockServer::start();
    let api = Api::new(&server);
    server.fail_next(
        2,
        MockFault::RateLimited {
            retry_after_secs: 3,
        },
    );
    server.fail_next(1, MockFault::Status(500));
    for _ in 0..2 {
        let reply = api.get("/managed_accounts", &[]);
        assert_eq!(reply.status, 429);
        assert_eq!(reply.header("retry-after"), Some("3"));
        assert_eq!(reply.json()["errors"][0]["code"], "10011");
        assert!(reply.header("x-request-id").is_some());
    }
    let reply = api.get("/organizations/users", &[]);
    assert_eq!(reply.status, 500);
    assert_eq!(reply.json()["errors"][0]["code"], "10007");
    assert_eq!(api.get("/managed_accounts", &[]).status, 200);

    // Faults apply before authentication and routing, to any request.
    server.fail_next(1, MockFault::Status(503));
    let reply = Api::read(api.agent.get(api.url("/nowhere")).call());
    assert_eq!(reply.status, 503);
    server.fail_next(1, MockFault::Status(404));
    assert_eq!(
        api.get("/managed_accounts", &[]).json()["errors"][0]["code"],
        "10005"
    );
    server.fail_next(1, MockFault::Status(42));
    assert_eq!(api.get("/managed_accounts", &[]).status, 500);

    // A reset reaches the client as a failed exchange, not a response.
    server.fail_next(1, MockFault::Reset);
    let result = api
        .agent
        .get(api.url("/managed_accounts"))
        .header("Authorization", &api.auth)
        .call();
    assert!(result.is_err(), "expected a connection error");
    assert_eq!(api.get("/managed_accounts", &[]).status, 200);

    server.fail_next(5, MockFault::Status(502));
    server.clear_faults();
    assert_eq!(api.get("/managed_accounts", &[]).status, 200);
    assert_eq!(server.request_count(), 10);
}

#[test]
fn records_requests() {
    let server = MockServer::start();
    let api = Api::new(&server);
    api.get(
        "/managed_accounts",
        &[("filter[email][contains]", "acme co"), ("page[size]", "5")],
    );
    api.post("/managed_accounts", Some(r#"{"business_name":"Rec"}"#));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(server.request_count(), 2);
    let list = &requests[0];
    assert_eq!(list.method, "GET");
    assert_eq!(list.path, "/v2/managed_accounts");
    assert!(list.query.contains("%5B"), "{}", list.query);
    assert_eq!(
        list.query_pairs(),
        [
            ("filter[email][contains]".to_string(), "acme co".to_string()),
            ("page[size]".to_string(), "5".to_string())
        ]
    );
    assert_eq!(list.header("AUTHORIZATION"), Some("Bearer KEYmock_0000"));
    assert!(
        list.headers
            .iter()
            .all(|(k, _)| *k == k.to_ascii_lowercase())
    );
    assert_eq!(list.body, "");
    let create = &requests[1];
    assert_eq!(create.method, "POST");
    assert_eq!(create.header("content-type"), Some("application/json"));
    assert_eq!(create.body, r#"{"business_name":"Rec"}"#);
}

#[test]
fn routing_edges() {
    let server = MockServer::builder()
        .managed_account(MockAccount::new("Odd Id").id("a b/c"))
        .start();
    let api = Api::new(&server);
    let odd = api.get("/managed_accounts/a%20b%2Fc", &[]);
    assert_eq!(odd.status, 200);
    assert_eq!(odd.json()["data"]["id"], "a b/c");
    assert_eq!(api.get("/managed_accounts/a%20b/c", &[]).status, 404);

    let unknown = api.get("/v1/managed_accounts", &[]);
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["errors"][0]["code"], "10005");
    assert_eq!(api.get("/", &[]).status, 404);
    assert_eq!(
        api.get("/managed_accounts/x/actions/disable", &[]).status,
        405
    );

    let wrong = Api::read(
        api.agent
            .delete(api.url("/managed_accounts"))
            .header("Authorization", &api.auth)
            .call(),
    );
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("allow"), Some("GET, POST"));
    assert!(wrong.json()["errors"][0]["code"].is_string());
    let wrong = api.post(
        "/managed_accounts/allocatable_global_outbound_channels",
        None,
    );
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("allow"), Some("GET"));
    assert_eq!(api.get("/managed_accounts/", &[]).status, 200);
}

/// Writes `request` and reads one response (Content-Length framed).
fn exchange(stream: &TcpStream, request: &[u8]) -> (u16, Vec<(String, String)>, String) {
    let mut writer = stream;
    writer.write_all(request).expect("write request");
    read_response(stream)
}

fn read_response(stream: &TcpStream) -> (u16, Vec<(String, String)>, String) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header line");
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (k, v) = trimmed.split_once(':').expect("header");
        headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
    }
    let length: usize = http::header_value(&headers, "content-length")
        .and_then(|v| v.parse().ok())
        .expect("content-length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    assert!(
        reader.buffer().is_empty(),
        "unexpected bytes after the body"
    );
    (
        status,
        headers,
        String::from_utf8(body).expect("UTF-8 body"),
    )
}

fn get_request(path: &str, extra: &str) -> Vec<u8> {
    format!(
        "GET /v2{path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEYmock_0000\r\n{extra}\r\n"
    )
    .into_bytes()
}

#[test]
fn keeps_connections_alive() {
    let server = MockServer::start();
    let stream = TcpStream::connect(server.server.addr()).expect("connect");
    let (status, headers, body) = exchange(&stream, &get_request("/managed_accounts", ""));
    assert_eq!(status, 200);
    assert!(body.starts_with("{\"data\":["));
    assert!(http::header_value(&headers, "x-request-id").is_some());
    assert!(http::header_value(&headers, "connection").is_none());
    let first_id = http::header_value(&headers, "x-request-id").map(str::to_string);

    // Same socket, a query with `+` and percent escapes.
    let (status, headers, body) = exchange(
        &stream,
        &get_request(
            "/organizations/users?filter%5Bemail%5D=Sales%40example.com+",
            "",
        ),
    );
    assert_eq!(status, 200);
    assert_ne!(
        http::header_value(&headers, "x-request-id").map(str::to_string),
        first_id
    );
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        v["meta"]["total_results"], 0,
        "trailing space is part of the filter"
    );
    let (_, _, body) = exchange(
        &stream,
        &get_request(
            "/organizations/users?filter%5Bemail%5D=Sales%40example.com",
            "",
        ),
    );
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["meta"]["total_results"], 1);

    // `Connection: close` is honoured.
    let (status, headers, _) = exchange(
        &stream,
        &get_request("/managed_accounts", "Connection: close\r\n"),
    );
    assert_eq!(status, 200);
    assert_eq!(http::header_value(&headers, "connection"), Some("close"));
    let mut rest = Vec::new();
    (&stream).read_to_end(&mut rest).expect("read to EOF");
    assert!(rest.is_empty());
    assert_eq!(server.request_count(), 4);
}

#[test]
fn accepts_chunked_and_expect_continue_bodies() {
    let server = MockServer::builder().start();
    let stream = TcpStream::connect(server.server.addr()).expect("connect");
    let request = "POST /v2/managed_accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEYmock_0000\r\n\
        Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
        10\r\n{\"business_name\"\r\n9;x=y\r\n:\"Chunky\"\r\n1\r\n}\r\n0\r\n\r\n";
    let (status, _, body) = exchange(&stream, request.as_bytes());
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["data"]["organization_name"], "Chunky");
    assert_eq!(server.requests()[0].body, r#"{"business_name":"Chunky"}"#);

    let body = r#"{"business_name":"Patient"}"#;
    let head = format!(
        "POST /v2/managed_accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEYmock_0000\r\n\
         Expect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut writer = &stream;
    writer.write_all(head.as_bytes()).expect("head");
    let mut reader = BufReader::new(&stream);
    let mut interim = String::new();
    reader.read_line(&mut interim).expect("interim");
    assert_eq!(interim, "HTTP/1.1 100 Continue\r\n");
    interim.clear();
    reader.read_line(&mut interim).expect("blank line");
    assert_eq!(interim, "\r\n");
    let (status, _, reply) = exchange(&stream, body.as_bytes());
    assert_eq!(status, 200, "{reply}");
}

#[test]
fn answers_garbage_without_panicking() {
    let server = MockServer::start();
    for garbage in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /v2/managed_accounts HTTP/9.9\r\n\r\n",
        b"GET /v2/managed_accounts HTTP/1.1\r\nBad Header\r\n\r\n",
        b"POST /v2/managed_accounts HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST /v2/managed_accounts HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"\xff\xfe\x00 / HTTP/1.1\r\n\r\n",
    ] {
        let stream = TcpStream::connect(server.server.addr()).expect("connect");
        let (status, headers, body) = exchange(&stream, garbage);
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(garbage));
        assert_eq!(http::header_value(&headers, "connection"), Some("close"));
        let v: Value = serde_json::from_str(&body).expect("JSON envelope");
        assert_eq!(v["errors"][0]["code"], "10015");
    }
    let stream = TcpStream::connect(server.server.addr()).expect("connect");
    let (status, _, _) = exchange(
        &stream,
        b"POST /v2/managed_accounts HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n",
    );
    assert_eq!(status, 413);
    let stream = TcpStream::connect(server.server.addr()).expect("connect");
    let huge = format!(
        "GET /v2/managed_accounts HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(70_000)
    );
    let (status, _, _) = exchange(&stream, huge.as_bytes());
    assert_eq!(status, 431);

    // A half-sent request followed by a hang-up is simply dropped.
    {
        let stream = TcpStream::connect(server.server.addr()).expect("connect");
        (&stream).write_all(b"GET /v2/manag").expect("write");
    }
    // None of it was recorded, and the server still answers.
    assert_eq!(server.request_count(), 0);
    let api = Api::new(&server);
    assert_eq!(api.get("/managed_accounts", &[]).status, 200);
    assert_eq!(server.request_count(), 1);
}

#[test]
fn shutdown_joins_with_idle_connections_open() {
    let server = MockServer::start();
    let addr = server.server.addr();
    // A keep-alive connection that has been served and now sits idle, one
    // that never sent a byte, and a ureq agent holding a pooled connection.
    let served = TcpStream::connect(addr).expect("connect");
    let (status, _, _) = exchange(&served, &get_request("/managed_accounts", ""));
    assert_eq!(status, 200);
    let silent = TcpStream::connect(addr).expect("connect");
    let api = Api::new(&server);
    assert_eq!(api.get("/organizations/users", &[]).status, 200);
    let agent = api.agent.clone();
    drop(api);

    let (done_tx, done_rx) = mpsc::channel();
    let stopper = std::thread::spawn(move || {
        server.shutdown();
        let _ = done_tx.send(());
    });
    // A generous bound: only a hang (a bug) gets anywhere near it.
    done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("shutdown should not hang on idle connections");
    stopper.join().expect("stopper thread");

    // Both sockets were closed by the server.
    for stream in [&served, &silent] {
        let mut buf = [0u8; 16];
        let n = (&*stream).read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0);
    }
    drop(agent);
}

#[test]
fn drop_stops_the_server() {
    let server = MockServer::start();
    let stream = TcpStream::connect(server.server.addr()).expect("connect");
    drop(server);
    let mut buf = [0u8; 1];
    assert_eq!((&stream).read(&mut buf).unwrap_or(0), 0);
}

#[test]
fn start_variants() {
    let server = MockServer::try_start().expect("start");
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert!(format!("{server:?}").contains(server.url()));
    let empty = MockServer::builder().try_start().expect("start");
    let api = Api::new(&empty);
    assert_eq!(api.list_accounts(&[]).json()["meta"]["total_results"], 0);
    assert_eq!(
        api.get("/organizations/users", &[]).json()["data"],
        json!([])
    );
    let seeded = MockServer::builder()
        .default_seed()
        .managed_account(MockAccount::new("Extra").id("extra"))
        .managed_account(MockAccount::new("Replaced").id("extra"))
        .start();
    let api = Api::new(&seeded);
    assert_eq!(api.list_accounts(&[]).json()["meta"]["total_results"], 3);
    assert_eq!(
        api.get("/managed_accounts/extra", &[]).json()["data"]["organization_name"],
        "Replaced"
    );
}
