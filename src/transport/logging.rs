//! The `log` events of a call, and the route templates they name.
//!
//! What may be logged is fixed here, in one place: the method, the route
//! template (ids replaced by `{id}`), the status or a failure class, times,
//! the attempt number and the request id. Never a header value, a body, a
//! query value or an error's text (which may quote a URL): those can carry the
//! key, passwords, sub-account credentials or personal data.
//!
//! The events themselves are written in the retry loop
//! ([`attempt`](super::attempt)), each behind `log_enabled!`, so with logging off
//! nothing is formatted and the route is not even looked up.

use std::borrow::Cow;

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
    if let Some(template) = ROUTES.iter().find(|t| matches(t, path)) {
        return Cow::Borrowed(template);
    }
    let word = |s: &str| s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let mut out = String::with_capacity(path.len() + 1);
    for segment in path.split('/') {
        let plain = !segment.is_empty() && word(segment);
        out.extend(["/", if plain { segment } else { "{}" }]);
    }
    Cow::Owned(out)
}

fn matches(template: &str, path: &str) -> bool {
    let (wanted, got) = (template.trim_start_matches('/').split('/'), path.split('/'));
    let same = |(w, g): (&str, &str)| w == g || (w == "{id}" && !g.is_empty());
    wanted.clone().count() == got.clone().count() && wanted.zip(got).all(same)
}

/// What a failed attempt ended with, as it may be logged: the status and request
/// id when the server answered, else the class of failure and whether the request
/// may have left, never the error's text (which may quote a URL).
pub(super) fn outcome(error: &Error) -> (Cow<'static, str>, Option<&str>) {
    if let Some(api) = error.api_error() {
        return (api.status().to_string().into(), api.request_id());
    }
    let sent = error.request_may_have_been_sent();
    let class = match error {
        Error::Timeout(_) if sent => "timeout (request may have been sent)",
        Error::Timeout(_) => "timeout (request not sent)",
        Error::Connection(_) if sent => "connection failed (request may have been sent)",
        Error::Connection(_) => "connection failed (request not sent)",
        Error::Decode(_) => "unreadable answer",
        _ => "failed",
    };
    (class.into(), None)
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
