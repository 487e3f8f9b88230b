//! Secrets never show: every public type that can hold one is formatted with
//! `{:?}`, `{:#?}` and (where it exists) `{}`, and every error variant is
//! provoked with the client's key echoed back at it, and the secret text must
//! be absent from all of it, source chains included.

mod support;

use std::error::Error as _;
use std::fmt::{Debug, Display};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use support::{Reply, TEST_KEY, TestServer};
use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, EnableManagedAccount, ListManagedAccounts, ManagedAccountSort,
    ManagedAccountStatus, UpdateGlobalChannelLimit, UpdateManagedAccount,
};
use telnyx_blocking::organizations::users::{
    ListOrganizationUsers, RetrieveOrganizationUser, UserStatus,
};
use telnyx_blocking::{Error, Secret, Telnyx};

/// A managed account's own credentials, as the API returns them.
const ACCOUNT_KEY: &str = "KEYmanaged_4d616e61676564_c2VjcmV0LWtleS1vZi1hLW1hbmFnZWQ";
const ACCOUNT_TOKEN: &str = "tokenManaged-9f8e7d6c5b4a";
/// A password given to `CreateManagedAccount`.
const PASSWORD: &str = "correct-horse-battery-staple-7";

const SECRETS: [&str; 4] = [TEST_KEY, ACCOUNT_KEY, ACCOUNT_TOKEN, PASSWORD];

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

fn assert_hidden(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
    }
}

fn check_debug(what: &str, value: &impl Debug) {
    assert_hidden(what, &format!("{value:?}"));
    assert_hidden(what, &format!("{value:#?}"));
}

fn check_display(what: &str, value: &(impl Display + Debug)) {
    check_debug(what, value);
    assert_hidden(what, &format!("{value}"));
    assert_hidden(what, &format!("{value:#}"));
}

/// The error, its accessors and its whole source chain.
fn check_error(what: &str, err: &Error) {
    check_display(what, err);
    if let Some(api) = err.api_error() {
        assert_hidden(what, api.body());
        assert_hidden(what, api.message());
        assert_hidden(what, api.code().unwrap_or_default());
        assert_hidden(what, api.request_id().unwrap_or_default());
        for detail in api.errors() {
            check_debug(what, detail);
            if let Some(meta) = &detail.meta {
                assert_hidden(what, &meta.to_string());
            }
        }
    }
    if let Error::Decode(decode) = err {
        assert_hidden(what, decode.path().unwrap_or_default());
    }
    let mut source = err.source();
    while let Some(e) = source {
        assert_hidden(what, &format!("{e} {e:?} {e:#?}"));
        source = e.source();
    }
}

// ---------------------------------------------------------------- Secret itself

/// `true` when `T: Display`: the inherent method is chosen when its bound holds,
/// the trait method otherwise.
struct Probe<T>(std::marker::PhantomData<T>);

impl<T: Display> Probe<T> {
    fn has_display(&self) -> bool {
        true
    }
}

trait NoDisplay {
    fn has_display(&self) -> bool {
        false
    }
}

impl<T> NoDisplay for Probe<T> {}

#[test]
fn secret_has_no_display() {
    // The probe works: String has Display.
    assert!(Probe::<String>(std::marker::PhantomData).has_display());
    assert!(!Probe::<Secret>(std::marker::PhantomData).has_display());
}

#[test]
fn secret_debug_is_fixed() {
    let secret = Secret::new(TEST_KEY);
    assert_eq!(format!("{secret:?}"), "Secret([REDACTED])");
    assert_eq!(format!("{secret:#?}"), "Secret([REDACTED])");
    assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret([REDACTED]))");
    assert_eq!(secret.expose(), TEST_KEY);
}

// ---------------------------------------------------------------- client and requests

#[test]
fn client_builder_and_handles_hide_the_key() {
    let builder = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url("http://127.0.0.1:1")
        // A header value may be a credential too: only names are shown.
        .header("X-Extra-Token", PASSWORD)
        .user_agent_suffix("tool/1.0");
    check_debug("TelnyxBuilder", &builder);
    let client = builder.build().unwrap();
    check_debug("Telnyx", &client);
    check_debug("ManagedAccounts", &client.managed_accounts());
    check_debug(
        "ManagedAccountActions",
        &client.managed_accounts().actions(),
    );
    check_debug("Organizations", &client.organizations());
    check_debug("Users", &client.organizations().users());
    check_debug("UserActions", &client.organizations().users().actions());
    let list = client.managed_accounts().list(ListManagedAccounts::new());
    check_debug("Paginator", &list);
    check_debug("Pages", &list.pages());
    check_debug(
        "Paginator<OrganizationUser>",
        &client
            .organizations()
            .users()
            .list(ListOrganizationUsers::new()),
    );
}

#[test]
fn request_structs_hide_the_password() {
    let create = CreateManagedAccount::new("Larry's Cat Food Inc")
        .email("larry@example.com")
        .password(PASSWORD)
        .managed_account_allow_custom_pricing(true)
        .rollup_billing(false);
    check_debug("CreateManagedAccount", &create);
    check_debug("CreateManagedAccount clone", &create.clone());
    check_debug(
        "ListManagedAccounts",
        &ListManagedAccounts::new()
            .email_contains("acme")
            .status(ManagedAccountStatus::Active)
            .sort(ManagedAccountSort::EmailDesc)
            .page_number(2)
            .page_size(250),
    );
    check_debug(
        "UpdateManagedAccount",
        &UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
    );
    check_debug(
        "EnableManagedAccount",
        &EnableManagedAccount::new().reenable_all_connections(true),
    );
    check_debug(
        "UpdateGlobalChannelLimit",
        &UpdateGlobalChannelLimit::new().channel_limit(30),
    );
    check_debug(
        "ListOrganizationUsers",
        &ListOrganizationUsers::new()
            .email_contains("x@y.z")
            .user_status(UserStatus::Enabled),
    );
    check_debug(
        "RetrieveOrganizationUser",
        &RetrieveOrganizationUser::new().include_groups(true),
    );
}

#[test]
fn the_password_goes_on_the_wire_and_nowhere_else() {
    let server = TestServer::json(&account_body());
    let client = server.client();
    let account = client
        .managed_accounts()
        .create(CreateManagedAccount::new("Acme").password(PASSWORD))
        .unwrap();
    assert_eq!(server.only_request().json()["password"], PASSWORD);
    check_debug("ManagedAccount", &account);
}

// ---------------------------------------------------------------- decoded models

fn account_body() -> String {
    format!(
        r#"{{"data":{{"id":"{ID}","record_type":"managed_account","email":"user@example.com",
        "api_user":"managed_account@example.com","manager_account_id":"{ID}",
        "created_at":"2018-02-02T22:25:27.521Z","updated_at":"2018-02-02T22:25:27.521Z",
        "api_key":"{ACCOUNT_KEY}","api_token":"{ACCOUNT_TOKEN}",
        "balance":{{"balance":"300.00","currency":"USD"}}}}}}"#
    )
}

#[test]
fn a_managed_account_hides_its_key_and_token() {
    let server = TestServer::json(&account_body());
    let account = server.client().managed_accounts().retrieve(ID).unwrap();
    assert_eq!(account.api_key.as_ref().unwrap().expose(), ACCOUNT_KEY);
    assert_eq!(account.api_token.as_ref().unwrap().expose(), ACCOUNT_TOKEN);
    check_debug("ManagedAccount", &account);
    assert_eq!(format!("{:?}", account.api_key), "Some(Secret([REDACTED]))");
}

#[test]
fn list_pages_hide_keys_of_their_items() {
    let item: serde_json::Value = serde_json::from_str(&account_body()).unwrap();
    let body = format!(
        r#"{{"data":[{}],"meta":{{"page_number":1,"total_pages":1}}}}"#,
        item["data"]
    );
    let server = TestServer::json(&body);
    let page = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .pages()
        .next()
        .unwrap()
        .unwrap();
    check_debug("Page<ManagedAccount>", &page);
}

// ---------------------------------------------------------------- Config

#[test]
fn config_errors_never_quote_the_key() {
    let cases = [
        (
            "key with CR/LF",
            Telnyx::builder()
                .api_key(format!("{TEST_KEY}\r\nX-Injected: 1"))
                .build(),
        ),
        (
            "key with a space",
            Telnyx::builder().api_key(format!("{TEST_KEY} x")).build(),
        ),
        (
            "key with NUL",
            Telnyx::builder().api_key(format!("{TEST_KEY}\0")).build(),
        ),
        (
            "key given as the base URL",
            Telnyx::builder()
                .api_key(TEST_KEY)
                .base_url(TEST_KEY)
                .build(),
        ),
        (
            "key inside a refused http URL",
            Telnyx::builder()
                .api_key(TEST_KEY)
                .base_url(format!("http://{TEST_KEY}.example.com/v2"))
                .build(),
        ),
        (
            "key inside an invalid header name",
            Telnyx::builder()
                .api_key(TEST_KEY)
                .header(format!("{TEST_KEY} x"), "v")
                .build(),
        ),
        (
            "key as a header value with CR/LF",
            Telnyx::builder()
                .api_key(TEST_KEY)
                .header("X-Key", format!("{TEST_KEY}\r\n"))
                .build(),
        ),
        (
            "key in a user agent suffix with LF",
            Telnyx::builder()
                .api_key(TEST_KEY)
                .user_agent_suffix(format!("{TEST_KEY}\n"))
                .build(),
        ),
        (
            "key as an Authorization header",
            Telnyx::builder()
                .api_key(TEST_KEY)
                .header("Authorization", format!("Bearer {TEST_KEY}"))
                .build(),
        ),
    ];
    for (what, result) in cases {
        let err = result.expect_err(what);
        assert!(matches!(err, Error::Config(_)), "{what}: {err:?}");
        check_error(what, &err);
    }
}

// ---------------------------------------------------------------- Api and RateLimited

/// An error envelope that echoes the client's key in every field, long enough
/// that one echo straddles the 4 KiB of the body that `ApiError` keeps.
fn echoing_envelope() -> String {
    let first = format!(
        r#"{{"code":"{TEST_KEY}","title":"bad key {TEST_KEY}","detail":"the key {TEST_KEY} is revoked","source":{{"pointer":"/{TEST_KEY}","parameter":"{TEST_KEY}"}},"meta":{{"url":"https://x/{TEST_KEY}","nested":[{{"{TEST_KEY}":1}}]}}}}"#
    );
    let head = format!(r#"{{"errors":[{first},"#);
    let second = r#"{"detail":""#;
    let pad = 4096 - 6 - head.len() - second.len();
    let body = format!(r#"{head}{}{second}{TEST_KEY}"}}]}}"#, " ".repeat(pad));
    assert_eq!(
        body.find(&format!("{second}{TEST_KEY}")).unwrap() + second.len(),
        4090
    );
    body
}

#[test]
fn api_errors_scrub_the_echoed_key() {
    let server = TestServer::replies(vec![
        Reply::json(401, &echoing_envelope()).header("x-request-id", &format!("req-{TEST_KEY}")),
    ]);
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    assert_eq!(err.status(), Some(401));
    check_error("Api", &err);
    let api = err.api_error().unwrap();
    assert_eq!(api.message(), "the key [REDACTED] is revoked");
    // An id that carries the key is not an id: dropped, as for a 2xx answer.
    assert_eq!(api.request_id(), None);
    assert!(
        api.errors()[0].meta.is_none(),
        "meta mentioning the key is dropped"
    );
    assert_eq!(api.errors().len(), 2);
    // No prefix of the key survives the cut at 4 KiB either.
    assert!(!api.body().contains(&TEST_KEY[..6]), "{}", api.body());
}

#[test]
fn rate_limit_errors_scrub_the_echoed_key() {
    let server = TestServer::replies(vec![
        Reply::json(429, &echoing_envelope())
            .header("retry-after", "1")
            .header("x-request-id", TEST_KEY),
    ]);
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    check_error("RateLimited", &err);
}

#[test]
fn non_json_error_bodies_scrub_the_echoed_key() {
    for body in [
        format!("Unauthorized: Bearer {TEST_KEY}"),
        format!("<html><body>token {TEST_KEY}</body></html>"),
        format!("{}{TEST_KEY}", "x".repeat(4090)),
    ] {
        let straddles = body.len() > 4096;
        let server = TestServer::replies(vec![Reply::text(403, "text/plain", &body)]);
        let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
        assert_eq!(err.status(), Some(403));
        check_error("Api (text)", &err);
        if straddles {
            let kept = err.api_error().unwrap().body();
            assert!(!kept.contains(&TEST_KEY[..6]), "{kept}");
        }
    }
}

#[test]
fn error_display_stays_on_one_line() {
    let body = r#"{"errors":[{"detail":"line one\r\nFAKE LOG LINE: ok\u001b[2J"}]}"#;
    let server = TestServer::replies(vec![Reply::json(400, body)]);
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    let shown = err.to_string();
    assert!(!shown.contains(['\r', '\n', '\u{1b}']), "{shown:?}");
    assert!(
        shown.contains("line one  FAKE LOG LINE: ok [2J"),
        "{shown:?}"
    );
    // The detail itself stays as sent, for callers that want it.
    assert_eq!(
        err.api_error().unwrap().message(),
        "line one\r\nFAKE LOG LINE: ok\u{1b}[2J"
    );
}

// ---------------------------------------------------------------- Decode

#[test]
fn decode_errors_never_quote_the_key() {
    let cases = [
        // serde_json quotes the string it could not use.
        format!(r#"{{"data":{{"channel_limit":"{TEST_KEY}"}}}}"#),
        format!(r#"{{"data":{{"channel_limit":["{TEST_KEY}"]}}}}"#),
        // The path quotes object keys.
        format!(r#"{{"data":{{"{TEST_KEY}":{{"channel_limit":"x"}}, "#),
        format!(r#"{{"data":{{"{TEST_KEY}":[1,2,"#),
        // The key elsewhere in a body that fails for another reason.
        format!(r#"{{"data":{{"email":"{TEST_KEY}","channel_limit":true}}}}"#),
        TEST_KEY.to_string(),
        format!("\"{TEST_KEY}\""),
    ];
    let server = TestServer::replies(cases.iter().map(|c| Reply::json(200, c)).collect());
    let client = server.client();
    for body in &cases {
        let err = client
            .managed_accounts()
            .update_global_channel_limit(ID, UpdateGlobalChannelLimit::new())
            .unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
        check_error("Decode", &err);
    }
}

#[test]
fn decode_errors_in_lists_never_quote_the_key() {
    let body = format!(
        r#"{{"data":[{{"id":"{ID}","email":"{TEST_KEY}","created_at":5}}],"meta":{{"page_number":"{TEST_KEY}"}}}}"#
    );
    let server = TestServer::json(&body);
    let err = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    check_error("Decode (list)", &err);
    let body = format!(r#"{{"data":{{"id":"{ID}","created_at":"{TEST_KEY}"}}}}"#);
    let server = TestServer::json(&body);
    let err = server.client().get_json("x", &[]).map(|_| ());
    assert!(err.is_ok(), "get_json takes any JSON");
}

#[test]
fn decode_errors_do_not_quote_an_accounts_own_secrets() {
    // The key and token decode fine; the balance does not.
    let body = account_body().replace(
        r#""balance":{"balance":"300.00","currency":"USD"}"#,
        r#""balance":"broke""#,
    );
    let server = TestServer::json(&body);
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    check_error("Decode (account)", &err);
}

// ---------------------------------------------------------------- Connection and Timeout

#[test]
fn connection_errors_never_show_the_key() {
    // Nothing listens on this port once the listener is dropped.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    check_error("Connection (refused)", &err);
}

/// A server that reads one request and answers with `reply` (raw bytes), then
/// waits for the client to hang up.
fn raw_server(reply: Option<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let Some(Ok(mut stream)) = listener.incoming().next() else {
            return;
        };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        if let Some(reply) = reply {
            let _ = stream.write_all(&reply);
        }
        // Blocks until the client closes the connection.
        let _ = reader.read_to_end(&mut Vec::new());
    });
    url
}

#[test]
fn protocol_errors_never_show_the_key() {
    for reply in [
        format!("HTTP/1.1 200 OK\r\nX-Echo {TEST_KEY}\r\n\r\n"),
        format!("HTTP/1.1 {TEST_KEY}\r\n\r\n"),
        format!("{TEST_KEY}\r\n\r\n"),
        format!("HTTP/1.1 200 OK\r\ncontent-length: {TEST_KEY}\r\n\r\n"),
        format!("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n{TEST_KEY}\r\n"),
    ] {
        let url = raw_server(Some(reply.clone().into_bytes()));
        let client = Telnyx::builder()
            .api_key(TEST_KEY)
            .base_url(url)
            .max_retries(0)
            .build()
            .unwrap();
        let err = client.managed_accounts().retrieve(ID).unwrap_err();
        assert!(
            matches!(err, Error::Connection(_) | Error::Decode(_)),
            "{reply:?}: {err:?}"
        );
        check_error("Connection (protocol)", &err);
    }
}

#[test]
fn timeouts_never_show_the_key() {
    let url = raw_server(None);
    let client = Telnyx::builder()
        .api_key(TEST_KEY)
        .base_url(url)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    check_error("Timeout", &err);
}

// ---------------------------------------------------------------- InvalidRequest

#[test]
fn invalid_requests_never_quote_the_key() {
    let server = TestServer::json("{}");
    let client = server.client();
    for path in [
        format!("https://{TEST_KEY}/x"),
        format!("{TEST_KEY}?x=1"),
        format!("{TEST_KEY}#x"),
    ] {
        let err = client.get_json(&path, &[]).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        check_error("InvalidRequest (get_json)", &err);
    }
    for id in ["", " ", ".", ".."] {
        let err = client.managed_accounts().retrieve(id).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        check_error("InvalidRequest (id)", &err);
    }
    assert_eq!(server.request_count(), 0);
}

// ---------------------------------------------------------------- the request's own secrets

/// Secrets only the server knows: credential-shaped members of its bodies.
const SERVER_SIDE: [&str; 5] = [
    "KEY_EXAMPLE_server_side_key",
    "TOKEN_EXAMPLE_server_side",
    "server-side-password-1",
    "KEY_EXAMPLE_sub_account",
    "sub-account-token-2",
];

fn assert_no_server_side_secret(what: &str, err: &Error) {
    let mut texts = vec![format!("{err}"), format!("{err:?}"), format!("{err:#?}")];
    if let Some(api) = err.api_error() {
        texts.push(api.body().to_owned());
        texts.push(format!("{api} {api:?}"));
        for detail in api.errors() {
            texts.push(format!("{detail:?}"));
        }
    }
    for text in texts {
        for secret in SERVER_SIDE {
            assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
        }
    }
}

#[test]
fn a_422_echoing_the_password_does_not_show_it() {
    let body = format!(
        r#"{{"errors":[{{"code":"10015","title":"Invalid value","detail":"password {PASSWORD} is too common","source":{{"pointer":"/password"}},"meta":{{"echo":"{PASSWORD}"}}}}],"request":{{"business_name":"Acme","note":"{PASSWORD}"}}}}"#
    );
    let server = TestServer::replies(vec![Reply::json(422, &body)]);
    let err = server
        .client()
        .managed_accounts()
        .create(CreateManagedAccount::new("Acme").password(PASSWORD))
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    check_error("422 echoing the password", &err);
    let api = err.api_error().unwrap();
    assert_eq!(api.message(), "password [REDACTED] is too common");
    // The password still went out, once.
    assert_eq!(server.only_request().json()["password"], PASSWORD);
}

#[test]
fn a_password_echoed_as_text_or_in_a_2xx_does_not_show() {
    // A proxy's plain-text page quoting the request, and a 200 whose field of
    // the wrong type makes serde_json quote the password.
    let created = format!(r#"{{"data":{{"id":"{ID}","balance":"{PASSWORD}"}}}}"#);
    let server = TestServer::replies(vec![
        Reply::text(
            400,
            "text/plain",
            &format!("bad request body: password={PASSWORD}"),
        ),
        Reply::json(200, &created),
    ]);
    let client = server.builder().max_retries(0).build().unwrap();
    for _ in 0..2 {
        let err = client
            .managed_accounts()
            .create(CreateManagedAccount::new("Acme").password(PASSWORD))
            .unwrap_err();
        check_error("echoed password", &err);
    }
}

#[test]
fn credential_shaped_members_of_error_bodies_are_redacted() {
    let [key, token, password, sub_key, sub_token] = SERVER_SIDE;
    let envelope = format!(
        r#"{{"errors":[{{"detail":"conflict","meta":{{"api_key":"{key}","deep":[{{"API_TOKEN":"{token}"}}]}},"source":{{"pointer":"/x","password":"{password}"}}}}]}}"#
    );
    let sub_account = format!(
        r#"{{"message":"already exists","account":{{"id":"{ID}","api_key":"{sub_key}","api_token":"{sub_token}"}}}}"#
    );
    let html = format!(r#"<html><pre>{{"password": "{password}"}}</pre></html>"#);
    let server = TestServer::replies(vec![
        Reply::json(409, &envelope),
        Reply::json(409, &sub_account),
        Reply::text(502, "text/html", &html),
        Reply::json(400, "{}").header("X-Api-Key", key),
    ]);
    let client = server.builder().max_retries(0).build().unwrap();
    for what in ["envelope", "sub-account", "html", "header"] {
        let err = client.managed_accounts().retrieve(ID).unwrap_err();
        assert_no_server_side_secret(what, &err);
        assert!(
            err.api_error().unwrap().body().contains("[REDACTED]") || what == "header",
            "{what}: {err:?}"
        );
    }
}

#[test]
fn credentials_in_json_embedded_in_error_text_are_redacted() {
    let [key, token, ..] = SERVER_SIDE;
    // The server put a JSON document inside a string: escaped, in every field.
    let inner = format!(r#"{{"api_key":"{key}","api_token":"{token}"}}"#);
    let quoted = serde_json::to_string(&inner).unwrap();
    let envelope = format!(
        r#"{{"errors":[{{"title":{quoted},"detail":{quoted},"meta":{{"raw":{quoted}}}}}]}}"#
    );
    let server = TestServer::replies(vec![Reply::json(422, &envelope)]);
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    assert_no_server_side_secret("embedded JSON", &err);
    assert!(
        err.api_error().unwrap().body().contains("[REDACTED]"),
        "{err:?}"
    );
}

#[test]
fn a_password_echoed_with_escapes_does_not_show() {
    // JSON escapes `"` and `\`; some encoders also `&`, `<` and `>`.
    let password = r#"pa"ss\w&rd<1>"#;
    let echoed = serde_json::to_string(password).unwrap();
    let body = format!(r#"{{"errors":[{{"detail":"not allowed: "}}],"echo":{echoed}}}"#);
    let go_style = echoed
        .replace('&', "\\u0026")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e");
    let go_body = format!(r#"{{"errors":[{{"detail":"x"}}],"echo":{go_style}}}"#);
    let server = TestServer::replies(vec![Reply::json(422, &body), Reply::json(422, &go_body)]);
    let client = server.builder().max_retries(0).build().unwrap();
    for what in ["json-escaped", "go-escaped"] {
        let err = client
            .managed_accounts()
            .create(CreateManagedAccount::new("Acme").password(password))
            .unwrap_err();
        let api = err.api_error().unwrap();
        for text in [format!("{err}"), format!("{err:?}"), api.body().to_owned()] {
            assert!(
                !text.contains(&echoed[1..echoed.len() - 1]),
                "{what}: {text}"
            );
            assert!(
                !text.contains(&go_style[1..go_style.len() - 1]),
                "{what}: {text}"
            );
        }
        assert!(api.body().contains("[REDACTED]"), "{what}: {}", api.body());
    }
}

#[test]
fn decode_errors_do_not_quote_credential_members() {
    for body in [
        // `api_key` of the wrong type: serde_json would quote the value.
        format!(r#"{{"data":{{"id":"{ID}","api_key":{{"value":1}},"api_token":12345678901234}}}}"#),
        format!(r#"{{"data":{{"id":"{ID}","api_token":12345678901234}}}}"#),
        // The same member with an escaped name: judged by what it decodes to.
        format!(r#"{{"data":{{"id":"{ID}","api_t\u006fken":12345678901234}}}}"#),
    ] {
        let server = TestServer::json(&body);
        let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
        assert!(
            !format!("{err} {err:?}").contains("12345678901234"),
            "{body}: {err}"
        );
    }
}

#[test]
fn serializing_a_model_never_writes_its_secrets() {
    let server = TestServer::json(&account_body());
    let account = server.client().managed_accounts().retrieve(ID).unwrap();
    let json = serde_json::to_string(&account).unwrap();
    assert_hidden("serialized ManagedAccount", &json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["api_key"], "[REDACTED]");
    assert_eq!(value["api_token"], "[REDACTED]");
    assert_eq!(value["id"], ID);
    assert_hidden(
        "serialized Secret",
        &serde_json::to_string(&Secret::new(PASSWORD)).unwrap(),
    );
    // Deserializing stays transparent.
    let secret: Secret = serde_json::from_str(&format!("\"{PASSWORD}\"")).unwrap();
    assert_eq!(secret.expose(), PASSWORD);
}

#[test]
fn a_key_written_with_unicode_escapes_or_inside_embedded_json_does_not_show() {
    // Every character of the key as `\uXXXX`: no raw form of it is in the body.
    let escaped: String = TEST_KEY
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    // And the key inside a JSON document inside a JSON string, twice escaped.
    let inner = serde_json::to_string(&format!(r#"{{"note":"{TEST_KEY}"}}"#)).unwrap();
    let twice = serde_json::to_string(&inner).unwrap();
    let body = format!(
        r#"{{"errors":[{{"detail":"revoked: {escaped}","meta":{{"raw":{twice}}}}}],"echo":"{escaped}"}}"#
    );
    let server = TestServer::replies(vec![Reply::json(401, &body)]);
    let err = server.client().managed_accounts().retrieve(ID).unwrap_err();
    check_error("escaped key", &err);
    let api = err.api_error().unwrap();
    assert_eq!(api.message(), "revoked: [REDACTED]");
    // The body stays JSON, and decoding it does not bring the key back.
    let decoded: serde_json::Value = serde_json::from_str(api.body()).unwrap();
    assert!(!decoded.to_string().contains(TEST_KEY), "{decoded}");
    let raw = decoded["errors"][0]["meta"]["raw"]
        .as_str()
        .unwrap_or_default();
    assert!(!raw.contains(TEST_KEY), "{raw}");
}

#[test]
fn a_meta_with_anything_redacted_is_dropped_and_a_clean_one_kept() {
    // One redaction pass cleans the whole body; an entry's `meta` that lost a
    // secret or a credential member to it is dropped whole, not kept half-blank.
    let envelope = format!(
        r#"{{"errors":[{{"detail":"taken","meta":{{"url":"https://x","api_token":"{ACCOUNT_TOKEN}"}}}},{{"detail":"echo","meta":{{"seen":"{TEST_KEY}"}}}},{{"detail":"plain","meta":{{"url":"https://developers.telnyx.com/x"}}}}]}}"#
    );
    let server = TestServer::replies(vec![Reply::json(422, &envelope)]);
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.managed_accounts().retrieve(ID).unwrap_err();
    check_error("meta", &err);
    let errors = err.api_error().unwrap().errors();
    let details: Vec<_> = errors.iter().map(|e| e.detail.as_deref()).collect();
    assert_eq!(details, [Some("taken"), Some("echo"), Some("plain")]);
    assert!(
        errors[0].meta.is_none(),
        "credential member: {:?}",
        errors[0]
    );
    assert!(
        errors[1].meta.is_none(),
        "the client's key: {:?}",
        errors[1]
    );
    let kept = errors[2].meta.as_ref().expect("a clean meta is kept");
    assert_eq!(kept["url"], "https://developers.telnyx.com/x");
}
