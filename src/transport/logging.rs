//! The `log` events of a call, and the route templates they name.
//!
//! What may be logged is fixed here, in one place: the method, the route
//! template (ids replaced by `{id}`), the status or a failure class, times,
//! the attempt number and the request id. Never a header value, a body, a
//! query value or an error's text (which may quote a URL): those can carry the
//! key, passwords, sub-account credentials or personal data.
//!
//! Every event is behind `log_enabled!`, so with logging off nothing is
//! formatted and the route is not even looked up.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};

use log::Level;

use crate::error::Error;

/// The target of every event of this crate, whatever module logs it, so one
/// filter (`RUST_LOG=telnyx_blocking=debug`) selects them all.
pub(super) const TARGET: &str = "telnyx_blocking";

/// The routes of the API this crate calls. Literal segments come before the
/// `{id}` form they would also match.
const ROUTES: &[&str] = &[
    "/managed_accounts",
    "/managed_accounts/allocatable_global_outbound_channels",
    "/managed_accounts/{id}",
    "/managed_accounts/{id}/actions/disable",
    "/managed_accounts/{id}/actions/enable",
    "/managed_accounts/{id}/update_global_channel_limit",
    "/organizations/users",
    "/organizations/users/users_groups_report",
    "/organizations/users/{id}",
    "/organizations/users/{id}/actions/remove",
];

/// The route template of `path` (relative to the base URL, ids encoded as one
/// segment each): `managed_accounts/abc/actions/disable` gives
/// `/managed_accounts/{id}/actions/disable`. A path of no known route (from
/// `get_json`) keeps its plain lowercase segments and shows every other as `{}`,
/// so an id or anything personal a caller put in it is never repeated.
pub(super) fn route(path: &str) -> Cow<'static, str> {
    let path = path.trim_start_matches('/');
    for template in ROUTES {
        if matches(template, path) {
            return Cow::Borrowed(template);
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for segment in path.split('/') {
        out.push('/');
        let plain = !segment.is_empty()
            && segment.len() <= 64
            && segment.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        out.push_str(if plain { segment } else { "{}" });
    }
    Cow::Owned(out)
}

fn matches(template: &str, path: &str) -> bool {
    let mut wanted = template.trim_start_matches('/').split('/');
    let mut got = path.split('/');
    loop {
        match (wanted.next(), got.next()) {
            (None, None) => return true,
            (Some("{id}"), Some(segment)) if !segment.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// `true` when events at `level` go anywhere: checked before any work is done for them.
pub(super) fn enabled(level: Level) -> bool {
    log::log_enabled!(target: TARGET, level)
}

/// What an attempt ended with, as it may be logged.
pub(super) enum Outcome<'a> {
    /// An HTTP answer, 2xx or not, and its request id.
    Status(u16, Option<&'a str>),
    /// No usable answer; the class of failure, never its text.
    Failed(&'a Error),
}

impl<'a> Outcome<'a> {
    /// The outcome of a failed attempt: the status when the server answered.
    pub(super) fn of(error: &'a Error) -> Self {
        match error.api_error() {
            Some(api) => Outcome::Status(api.status(), api.request_id()),
            None => Outcome::Failed(error),
        }
    }
}

impl fmt::Display for Outcome<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Status(status, _) => write!(f, "{status}"),
            Outcome::Failed(error) => f.write_str(failure_class(error)),
        }
    }
}

impl Outcome<'_> {
    fn request_id(&self) -> &str {
        match self {
            Outcome::Status(_, Some(id)) => id,
            _ => "-",
        }
    }
}

/// A failure named by its class and by whether the request may have left.
fn failure_class(error: &Error) -> &'static str {
    let sent = error.request_may_have_been_sent();
    match error {
        Error::Timeout(_) if sent => "timeout (request may have been sent)",
        Error::Timeout(_) => "timeout (request not sent)",
        Error::Connection(_) if sent => "connection failed (request may have been sent)",
        Error::Connection(_) => "connection failed (request not sent)",
        Error::Decode(_) => "unreadable answer",
        _ => "failed",
    }
}

/// Where a call is: its method, route and attempt `k` of `n`.
pub(super) struct Step<'a> {
    pub(super) method: &'a str,
    pub(super) route: &'a str,
    pub(super) attempt: u32,
    pub(super) attempts: u32,
}

/// One event per attempt, at debug; `start` is when the attempt began.
pub(super) fn attempt(step: &Step<'_>, outcome: &Outcome<'_>, start: Option<Instant>) {
    let elapsed = start.map_or(Duration::ZERO, |s| s.elapsed());
    let (
        Step {
            method,
            route,
            attempt,
            attempts,
        },
        id,
    ) = (step, outcome.request_id());
    log::debug!(
        target: TARGET,
        "{method} {route} -> {outcome} in {elapsed:?} (attempt {attempt} of {attempts}, request id {id})"
    );
}

/// One event per retry, at info: the reason and the wait.
pub(super) fn retry(step: &Step<'_>, outcome: &Outcome<'_>, wait: Duration) {
    let (
        Step {
            method,
            route,
            attempts,
            ..
        },
        next,
    ) = (step, step.attempt + 1);
    log::info!(
        target: TARGET,
        "{method} {route} -> {outcome}, retrying in {wait:?} (attempt {next} of {attempts} next)"
    );
}

/// A retryable failure that is returned instead, at debug: why.
pub(super) fn not_retried(step: &Step<'_>, why: fmt::Arguments<'_>) {
    log::debug!(target: TARGET, "{} {}: not retried: {why}", step.method, step.route);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_templates() {
        for (path, template) in [
            ("managed_accounts", "/managed_accounts"),
            ("managed_accounts/abc", "/managed_accounts/{id}"),
            (
                "managed_accounts/allocatable_global_outbound_channels",
                "/managed_accounts/allocatable_global_outbound_channels",
            ),
            (
                "managed_accounts/a%2Fb/actions/disable",
                "/managed_accounts/{id}/actions/disable",
            ),
            (
                "managed_accounts/x/update_global_channel_limit",
                "/managed_accounts/{id}/update_global_channel_limit",
            ),
            ("organizations/users/u1", "/organizations/users/{id}"),
            (
                "organizations/users/u1/actions/remove",
                "/organizations/users/{id}/actions/remove",
            ),
            // Unknown routes (get_json) keep plain words only.
            ("balance", "/balance"),
            ("phone_numbers/1234/voice", "/phone_numbers/{}/voice"),
            ("x/a%40b.example", "/x/{}"),
            ("managed_accounts/ab1/other", "/managed_accounts/{}/other"),
        ] {
            assert_eq!(route(path), template, "{path}");
        }
    }
}
