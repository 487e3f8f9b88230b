//! From a parsed request to a response: authentication, routing, parameter
//! and body validation, and Telnyx's error envelope.

use std::sync::Mutex;

use serde_json::{Map, Value, json};

use super::http::{Request, Response, parse_query, percent_decode};
use super::state::{AccountQuery, AccountSort, Paging, State, StatusFilter, UserQuery};
use super::{MockAccount, MockAccountStatus, lock};

/// An error answer: one entry of Telnyx's `{"errors": [...]}` envelope plus
/// its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    status: u16,
    code: &'static str,
    title: &'static str,
    detail: String,
    /// `("pointer", "/email")` or `("parameter", "page[size]")`.
    source: Option<(&'static str, String)>,
}

impl Failure {
    fn new(
        status: u16,
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Failure {
            status,
            code,
            title,
            detail: detail.into(),
            source: None,
        }
    }

    fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.source = Some(("pointer", pointer.into()));
        self
    }

    fn parameter(mut self, name: impl Into<String>) -> Self {
        self.source = Some(("parameter", name.into()));
        self
    }

    /// 401, code 10009.
    pub(crate) fn unauthorized() -> Self {
        Failure::new(
            401,
            "10009",
            "Authentication failed",
            "Could not understand the provided credentials.",
        )
    }

    /// 404, code 10005: unknown id or unknown route.
    pub(crate) fn not_found() -> Self {
        Failure::new(
            404,
            "10005",
            "Resource not found",
            "The requested resource or URL could not be found.",
        )
        .pointer("/")
    }

    /// 404 for a path outside `/v2`, naming the prefix.
    fn outside_v2() -> Self {
        Failure::new(
            404,
            "10005",
            "Resource not found",
            "The API is served under /v2 only, like api.telnyx.com: use http://HOST:PORT/v2 as the base URL.",
        )
        .pointer("/")
    }

    /// A control API error: this status (400 for a malformed request).
    pub(crate) fn control(status: u16, detail: impl Into<String>) -> Self {
        Failure::new(status, "10015", "Bad Request", detail).pointer("/")
    }

    /// 405 for a known route with another method.
    pub(crate) fn method_not_allowed(method: &str) -> Self {
        Failure::new(
            405,
            "10015",
            "Method not allowed",
            format!("The {method} method is not allowed for this resource."),
        )
        .pointer("/")
    }

    /// 422, code 10015, pointing at a field of the JSON body.
    pub(crate) fn invalid_body(pointer: &str, detail: impl Into<String>) -> Self {
        Failure::new(422, "10015", "Bad Request", detail).pointer(pointer)
    }

    /// `status` (422 for managed accounts, 400 for organization users),
    /// code 10015, naming a query parameter.
    fn invalid_param(status: u16, name: &str, detail: impl Into<String>) -> Self {
        Failure::new(status, "10015", "Bad Request", detail).parameter(name)
    }

    /// An answer to malformed HTTP: this status (400, 413 or 431), code 10015.
    pub(crate) fn malformed(status: u16, title: &'static str, detail: &'static str) -> Self {
        Failure::new(status, "10015", title, detail).pointer("/")
    }

    /// 500, code 10007.
    pub(crate) fn internal() -> Self {
        Failure::new(
            500,
            "10007",
            "Unexpected error",
            "An unexpected error occurred.",
        )
    }

    /// A plausible Telnyx error for an arbitrary status (used by faults).
    pub(crate) fn for_status(status: u16) -> Self {
        match status {
            400 => Failure::new(
                400,
                "10015",
                "Bad Request",
                "The request failed because it was not well-formed.",
            )
            .pointer("/"),
            401 => Failure::unauthorized(),
            403 => Failure::new(
                403,
                "10010",
                "Not authorized",
                "You are not authorized to access the requested resource.",
            )
            .pointer("/"),
            404 => Failure::not_found(),
            422 => Failure::invalid_body("/", "The request could not be processed."),
            429 => Failure::new(
                429,
                "10011",
                "Too many requests",
                "You have exceeded the rate limit. Please wait and try again.",
            ),
            500..=599 => Failure {
                status,
                ..Failure::internal()
            },
            _ => Failure::new(status, "10015", "Bad Request", "Injected fault."),
        }
    }

    /// The JSON envelope. `meta.url` accompanies every error except 422,
    /// whose schema (`UnprocessableEntityError`) the spec shows without it.
    pub(crate) fn response(&self) -> Response {
        let mut error = json!({"code": self.code, "title": self.title, "detail": self.detail});
        if let Some((key, value)) = &self.source {
            error["source"] = json!({ *key: value });
        }
        if self.status != 422 {
            let url = format!(
                "https://developers.telnyx.com/docs/overview/errors/{}",
                self.code
            );
            error["meta"] = json!({ "url": url });
        }
        let envelope = json!({ "errors": [error] });
        Response::json(
            self.status,
            serde_json::to_vec(&envelope).unwrap_or_default(),
        )
    }
}

/// The 12 operations, by path; ids are percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Accounts,
    AllocatableChannels,
    Account(String),
    DisableAccount(String),
    EnableAccount(String),
    ChannelLimit(String),
    Users,
    GroupsReport,
    User(String),
    RemoveUser(String),
}

impl Route {
    /// Matches decoded path segments. Literal segments
    /// (`allocatable_global_outbound_channels`, `users_groups_report`) win
    /// over `{id}` because they are tried first.
    fn find(segments: &[String]) -> Option<Route> {
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        let route = match s.as_slice() {
            ["managed_accounts"] => Route::Accounts,
            ["managed_accounts", "allocatable_global_outbound_channels"] => {
                Route::AllocatableChannels
            }
            ["managed_accounts", id] => Route::Account(id.to_string()),
            ["managed_accounts", id, "actions", "disable"] => Route::DisableAccount(id.to_string()),
            ["managed_accounts", id, "actions", "enable"] => Route::EnableAccount(id.to_string()),
            ["managed_accounts", id, "update_global_channel_limit"] => {
                Route::ChannelLimit(id.to_string())
            }
            ["organizations", "users"] => Route::Users,
            ["organizations", "users", "users_groups_report"] => Route::GroupsReport,
            ["organizations", "users", id] => Route::User(id.to_string()),
            ["organizations", "users", id, "actions", "remove"] => {
                Route::RemoveUser(id.to_string())
            }
            _ => return None,
        };
        Some(route)
    }

    fn methods(&self) -> &'static str {
        match self {
            Route::Accounts => "GET, POST",
            Route::Account(_) => "GET, PATCH",
            Route::ChannelLimit(_) => "PATCH",
            Route::DisableAccount(_) | Route::EnableAccount(_) | Route::RemoveUser(_) => "POST",
            Route::AllocatableChannels | Route::Users | Route::GroupsReport | Route::User(_) => {
                "GET"
            }
        }
    }
}

/// The path after the `/v2` prefix, if it has one.
fn under_v2(path: &str) -> Option<&str> {
    path.strip_prefix("/v2")
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `/v2/a/b%2Fc/` → `["a", "b%2Fc"]`: drops an optional `/v2` prefix and one
/// trailing slash, then splits, leaving each segment as sent.
pub(crate) fn raw_segments(path: &str) -> Vec<&str> {
    let path = under_v2(path).unwrap_or(path);
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    path.split('/').collect()
}

/// `/v2/a/b%2Fc/` → `["a", "b/c"]`: [`raw_segments`], each percent-decoded.
fn segments(path: &str) -> Vec<String> {
    raw_segments(path)
        .into_iter()
        .map(|s| percent_decode(s, false))
        .collect()
}

fn authorized(api_key: &str, head: &Request) -> bool {
    head.header("authorization")
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer") && token.trim() == api_key
        })
}

/// Answers one request against the state. Faults are handled by the caller.
/// A change is saved to the state file (if any) before it is answered.
pub(crate) fn respond(api_key: &str, state: &Mutex<State>, head: &Request) -> Response {
    if under_v2(&head.path).is_none() {
        return Failure::outside_v2().response();
    }
    if !authorized(api_key, head) {
        return Failure::unauthorized().response();
    }
    let Some(route) = Route::find(&segments(&head.path)) else {
        return Failure::not_found().response();
    };
    let allowed = route.methods();
    if !allowed.split(", ").any(|m| m == head.method) {
        return Failure::method_not_allowed(&head.method)
            .response()
            .with_header("Allow", allowed.to_string());
    }
    let params = Params(parse_query(&head.query));
    let mut state = lock(state);
    let answer = dispatch(&mut state, route, &params, head, &head.body);
    let saved = match head.method.as_str() {
        "GET" => Ok(()),
        _ => state.save(),
    };
    match (answer, saved) {
        (Ok(resp), Ok(())) => resp,
        (Err(failure), _) => failure.response(),
        (Ok(_), Err(_)) => Failure::internal().response(),
    }
}

fn dispatch(
    state: &mut State,
    route: Route,
    params: &Params,
    head: &Request,
    body: &[u8],
) -> Result<Response, Failure> {
    let json = |body: Vec<u8>| Response::json(200, body);
    match (route, head.method.as_str()) {
        (Route::Accounts, "GET") => state.list_accounts(&account_query(params)?).map(json),
        (Route::Accounts, _) => state.create_account(new_account(body)?).map(json),
        (Route::AllocatableChannels, _) => state.allocatable_channels().map(json),
        (Route::Account(id), "GET") => state.account(&id).map(json),
        (Route::Account(id), _) => {
            let body = JsonBody::parse(body)?;
            let allow = body.boolean("managed_account_allow_custom_pricing")?;
            state.update_account(&id, allow, None).map(json)
        }
        (Route::DisableAccount(id), _) => state
            .update_account(&id, None, Some(MockAccountStatus::Disabled))
            .map(json),
        (Route::EnableAccount(id), _) => {
            // Validated, then ignored: the mock has no connections.
            JsonBody::parse(body)?.boolean("reenable_all_connections")?;
            state
                .update_account(&id, None, Some(MockAccountStatus::Enabled))
                .map(json)
        }
        (Route::ChannelLimit(id), _) => {
            let limit = JsonBody::parse(body)?.channel_limit()?;
            state.update_channel_limit(&id, limit).map(json)
        }
        (Route::Users, _) => state.list_users(&user_query(params)?).map(json),
        (Route::GroupsReport, _) => {
            let csv = head
                .header("accept")
                .is_some_and(|a| a.to_ascii_lowercase().contains("text/csv"));
            if csv {
                let csv = ("Content-Type".to_string(), "text/csv".to_string());
                Ok(Response::new(200, vec![csv], state.groups_report_csv()))
            } else {
                state.groups_report_json().map(json)
            }
        }
        (Route::User(id), _) => {
            let include_groups = params.boolean(400, "include_groups")?;
            state.user(&id, include_groups).map(json)
        }
        (Route::RemoveUser(id), _) => state.remove_user(&id).map(json),
    }
}

/// Decoded query pairs; when a key repeats, the last value wins.
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_string)
    }

    /// `true`/`false`, absent = `false`; anything else fails with `status`.
    fn boolean(&self, status: u16, key: &str) -> Result<bool, Failure> {
        match self.get(key) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(Failure::invalid_param(
                status,
                key,
                format!("{key} must be true or false"),
            )),
        }
    }

    /// `page[number]` (>= 1, default 1) and `page[size]` (1..=250, default
    /// `default_size`); anything else fails with `status`.
    fn paging(&self, status: u16, default_size: usize) -> Result<Paging, Failure> {
        let int = |key: &str, default: usize, max: usize| -> Result<usize, Failure> {
            let Some(raw) = self.get(key) else {
                return Ok(default);
            };
            match raw.trim().parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ if max == usize::MAX => Err(Failure::invalid_param(
                    status,
                    key,
                    format!("{key} must be an integer greater than or equal to 1"),
                )),
                _ => Err(Failure::invalid_param(
                    status,
                    key,
                    format!("{key} must be an integer between 1 and {max}"),
                )),
            }
        };
        Ok(Paging {
            number: int("page[number]", 1, usize::MAX)?,
            size: int("page[size]", default_size, 250)?,
        })
    }
}

/// The query of `GET /managed_accounts`; problems are 422s.
fn account_query(params: &Params) -> Result<AccountQuery, Failure> {
    const FILTERS: [&str; 5] = [
        "filter[email][contains]",
        "filter[email][eq]",
        "filter[organization_name][contains]",
        "filter[organization_name][eq]",
        "filter[status][eq]",
    ];
    // The spec's filter object has `additionalProperties: false` at every level.
    if let Some((key, _)) = params.0.iter().find(|(k, _)| {
        (k == "filter" || k.starts_with("filter[")) && !FILTERS.contains(&k.as_str())
    }) {
        return Err(Failure::invalid_param(
            422,
            key,
            format!("{key} is not a supported filter"),
        ));
    }
    let status = match params.get("filter[status][eq]") {
        None => None,
        Some("all") => Some(StatusFilter::All),
        Some("active" | "enabled") => Some(StatusFilter::Is(MockAccountStatus::Enabled)),
        Some("disabled") => Some(StatusFilter::Is(MockAccountStatus::Disabled)),
        Some("cancelled") => Some(StatusFilter::Is(MockAccountStatus::Cancelled)),
        Some("blocked") => Some(StatusFilter::Is(MockAccountStatus::Blocked)),
        Some(_) => {
            return Err(Failure::invalid_param(
                422,
                "filter[status][eq]",
                "filter[status][eq] must be one of all, active, enabled, cancelled, disabled, blocked",
            ));
        }
    };
    let sort = match params.get("sort") {
        None => AccountSort::CreatedAtDesc,
        Some("created_at") => AccountSort::CreatedAt,
        Some("-created_at") => AccountSort::CreatedAtDesc,
        Some("email") => AccountSort::Email,
        Some("-email") => AccountSort::EmailDesc,
        Some(_) => {
            return Err(Failure::invalid_param(
                422,
                "sort",
                "sort must be one of created_at, -created_at, email, -email",
            ));
        }
    };
    Ok(AccountQuery {
        email_contains: params.text("filter[email][contains]"),
        email_eq: params.text("filter[email][eq]"),
        organization_name_contains: params.text("filter[organization_name][contains]"),
        organization_name_eq: params.text("filter[organization_name][eq]"),
        status,
        include_cancelled: params.boolean(422, "include_cancelled_accounts")?,
        sort,
        paging: params.paging(422, 20)?,
    })
}

/// The query of `GET /organizations/users`; problems are 400s, the status
/// the spec declares for these endpoints.
fn user_query(params: &Params) -> Result<UserQuery, Failure> {
    let user_status = match params.get("filter[user_status]") {
        None => None,
        Some(s @ ("enabled" | "disabled" | "blocked")) => Some(s.to_string()),
        Some(_) => {
            return Err(Failure::invalid_param(
                400,
                "filter[user_status]",
                "filter[user_status] must be one of enabled, disabled, blocked",
            ));
        }
    };
    Ok(UserQuery {
        email: params.text("filter[email]"),
        user_status,
        include_groups: params.boolean(400, "include_groups")?,
        paging: params.paging(400, 250)?,
    })
}

/// A JSON object request body. An empty body counts as `{}`.
struct JsonBody(Map<String, Value>);

impl JsonBody {
    fn parse(body: &[u8]) -> Result<JsonBody, Failure> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(JsonBody(map)),
            Ok(_) => Err(Failure::invalid_body(
                "/",
                "The request body must be a JSON object.",
            )),
            Err(_) => Err(Failure::invalid_body(
                "/",
                "The request body is not valid JSON.",
            )),
        }
    }

    /// A field that is absent or `null` is `None`.
    fn field(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>, Failure> {
        self.field(key)
            .map(|v| {
                v.as_bool().ok_or_else(|| {
                    Failure::invalid_body(&format!("/{key}"), format!("{key} must be a boolean"))
                })
            })
            .transpose()
    }

    fn string(&self, key: &str) -> Result<Option<String>, Failure> {
        self.field(key)
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    Failure::invalid_body(&format!("/{key}"), format!("{key} must be a string"))
                })
            })
            .transpose()
    }

    /// `channel_limit`: an integer >= 0, or absent.
    fn channel_limit(&self) -> Result<Option<i64>, Failure> {
        self.field("channel_limit")
            .map(|v| {
                v.as_i64().filter(|n| *n >= 0).ok_or_else(|| {
                    Failure::invalid_body(
                        "/channel_limit",
                        "channel_limit must be an integer greater than or equal to 0",
                    )
                })
            })
            .transpose()
    }
}

/// A plain syntactic check: `local@domain.tld`, no spaces.
fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
}

/// The body of `POST /managed_accounts`, validated; problems are 422s.
fn new_account(body: &[u8]) -> Result<MockAccount, Failure> {
    let body = JsonBody::parse(body)?;
    let business_name = body
        .string("business_name")?
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| Failure::invalid_body("/business_name", "business_name is required"))?;
    let email = body.string("email")?;
    if email.as_deref().is_some_and(|e| !valid_email(e)) {
        return Err(Failure::invalid_body(
            "/email",
            "email must be a valid email address",
        ));
    }
    // Type-checked only: the mock never stores or returns a password.
    body.string("password")?;
    let mut account = MockAccount::new(business_name)
        .managed_account_allow_custom_pricing(
            body.boolean("managed_account_allow_custom_pricing")?
                .unwrap_or(false),
        )
        .rollup_billing(body.boolean("rollup_billing")?.unwrap_or(false));
    account.email = email;
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_decodes_segments() {
        assert_eq!(segments("/v2/managed_accounts/"), ["managed_accounts"]);
        assert_eq!(segments("/v2"), [""]);
        assert_eq!(segments("/v2x/a"), ["v2x", "a"]);
        assert_eq!(
            segments("/organizations/users/a%2Fb+c"),
            ["organizations", "users", "a/b+c"]
        );
    }

    #[test]
    fn literal_segments_win_over_ids() {
        let find = |p: &str| Route::find(&segments(p));
        assert_eq!(
            find("/managed_accounts/allocatable_global_outbound_channels"),
            Some(Route::AllocatableChannels)
        );
        assert_eq!(
            find("/organizations/users/users_groups_report"),
            Some(Route::GroupsReport)
        );
        assert_eq!(
            find("/managed_accounts/x"),
            Some(Route::Account("x".into()))
        );
        assert_eq!(find("/managed_accounts/x/actions/stop"), None);
    }

    #[test]
    fn envelope_shapes() {
        let body = |f: Failure| -> Value {
            serde_json::from_slice(&f.response().body).expect("JSON envelope")
        };
        assert_eq!(
            body(Failure::unauthorized()).to_string(),
            r#"{"errors":[{"code":"10009","detail":"Could not understand the provided credentials.","meta":{"url":"https://developers.telnyx.com/docs/overview/errors/10009"},"title":"Authentication failed"}]}"#
        );
        assert_eq!(
            body(Failure::invalid_body("/business_name", "business_name is required")),
            serde_json::from_str::<Value>(
                r#"{"errors":[{"code":"10015","title":"Bad Request","detail":"business_name is required","source":{"pointer":"/business_name"}}]}"#
            )
            .expect("literal")
        );
        assert_eq!(Failure::for_status(503).response().status, 503);
    }

    #[test]
    fn emails() {
        assert!(valid_email("a.b@example.com"));
        for bad in [
            "",
            "a",
            "a@b",
            "@b.c",
            "a@b.c@d.e",
            "a b@c.d",
            "a@.c",
            "a@c.",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
