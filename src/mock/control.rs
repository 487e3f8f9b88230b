//! The HTTP control API under `/__mock`, outside `/v2`, so tests in any
//! language can steer a running mock: set and clear faults, read what was
//! sent. No API key is needed; the mock listens on loopback.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::http::{Request, Response};
use super::routes::Failure;
use super::{Armed, MockFault, MockRetryHint, MockRule, Shared, lock};

/// The `fault` member of `POST /__mock/faults` and each fault's own fields.
#[derive(Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case", deny_unknown_fields)]
enum FaultJson {
    RateLimited { retry_after_secs: u64 },
    RateLimitedWith { hint: MockRetryHint },
    Status { status: u16 },
    Reset {},
    ResetAfterProcessing {},
    StatusAfterProcessing { status: u16 },
    Delay { delay_ms: u64 },
    MalformedBody {},
    TruncatedBody {},
}

/// The rule members of `POST /__mock/faults`.
#[derive(Deserialize)]
struct RuleJson {
    method: String,
    path: Option<String>,
    times: Option<u32>,
    after: Option<u32>,
}

/// Answers one control request.
pub(crate) fn respond(shared: &Shared, request: &Request) -> Response {
    let answer = match (request.path.as_str(), request.method.as_str()) {
        ("/__mock/faults", "POST") => add_fault(shared, &request.body),
        ("/__mock/faults", "DELETE") => {
            lock(&shared.faults).clear();
            Ok(json!({"data": {"pending_faults": 0}}))
        }
        ("/__mock/requests", "GET") => Ok(json!({"data": recorded(shared)})),
        ("/__mock/faults" | "/__mock/requests", method) => Err(Failure::method_not_allowed(method)),
        _ => Err(Failure::control(
            404,
            "Unknown control route: use POST or DELETE /__mock/faults, or GET /__mock/requests.",
        )),
    };
    match answer {
        Ok(value) => Response::json(200, value.to_string().into_bytes()),
        Err(failure) => failure.response(),
    }
}

/// `POST /__mock/faults`: `method`, `path`, optional `times` and `after`,
/// `fault` and the fault's own fields, in one JSON object.
fn add_fault(shared: &Shared, body: &[u8]) -> Result<Value, Failure> {
    let bad =
        |e: &dyn std::fmt::Display| Failure::control(400, format!("Invalid fault rule: {e}."));
    let Ok(Value::Object(mut fault)) = serde_json::from_slice::<Value>(body) else {
        return Err(bad(
            &r#"the body must be a JSON object such as {"method": "POST", "path": "/v2/managed_accounts", "fault": "status_after_processing", "status": 500}"#,
        ));
    };
    let mut rule = Map::new();
    for key in ["method", "path", "times", "after"] {
        if let Some(value) = fault.remove(key) {
            rule.insert(key.to_string(), value);
        }
    }
    let rule: RuleJson = serde_json::from_value(Value::Object(rule)).map_err(|e| bad(&e))?;
    let fault = match serde_json::from_value(Value::Object(fault)).map_err(|e| bad(&e))? {
        FaultJson::RateLimited { retry_after_secs } => MockFault::RateLimited { retry_after_secs },
        FaultJson::RateLimitedWith { hint } => MockFault::RateLimitedWith(hint),
        FaultJson::Status { status } => MockFault::Status(status),
        FaultJson::Reset {} => MockFault::Reset,
        FaultJson::ResetAfterProcessing {} => MockFault::ResetAfterProcessing,
        FaultJson::StatusAfterProcessing { status } => MockFault::StatusAfterProcessing(status),
        FaultJson::Delay { delay_ms } => {
            MockFault::Delay(std::time::Duration::from_millis(delay_ms))
        }
        FaultJson::MalformedBody {} => MockFault::MalformedBody,
        FaultJson::TruncatedBody {} => MockFault::TruncatedBody,
    };
    let mut on = match rule.path {
        Some(path) => MockRule::on(rule.method, path),
        None => MockRule {
            method: rule.method,
            ..MockRule::any()
        },
    };
    on = on
        .times(rule.times.unwrap_or(1))
        .after(rule.after.unwrap_or(0));
    let mut faults = lock(&shared.faults);
    faults.push(Armed { rule: on, fault });
    Ok(json!({"data": {"pending_faults": faults.len()}}))
}

/// The recorded requests, with `Authorization` and passwords redacted.
fn recorded(shared: &Shared) -> Vec<Value> {
    let secret = |name: &str| ["authorization", "proxy-authorization", "cookie"].contains(&name);
    lock(&shared.requests)
        .iter()
        .map(|r| {
            let headers: Vec<[&str; 2]> = r
                .headers
                .iter()
                .map(|(k, v)| [k.as_str(), if secret(k) { "[REDACTED]" } else { v }])
                .collect();
            let body = match serde_json::from_str::<Value>(&r.body) {
                Ok(Value::Object(mut map)) if map.contains_key("password") => {
                    map.insert("password".into(), "[REDACTED]".into());
                    Value::Object(map).to_string()
                }
                Err(_) if r.body.to_ascii_lowercase().contains("password") => "[REDACTED]".into(),
                _ => r.body.clone(),
            };
            json!({"method": r.method, "path": r.path, "query": r.query, "headers": headers, "body": body})
        })
        .collect()
}
