//! Entry points for the fuzz targets in `fuzz/`: thin wrappers around the very
//! decoders the client uses, so the fuzzers exercise the real code path.
//!
//! Not public API. Compiled only under `--cfg fuzzing` (set by `cargo fuzz`)
//! and in the crate's own unit tests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ureq::http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{ApiError, Error, Result};
use crate::managed_accounts::{
    AllocatableGlobalOutboundChannels, GlobalChannelLimit, ManagedAccount,
};
use crate::organizations::users::{GroupsReportEntry, OrganizationUser};
use crate::pagination::{Page, decode_page};
use crate::response::RateLimitInfo;
use crate::transport::{decode_data, retry_after};

/// The API key the wrappers scrub, as a client configured with it would.
pub const KEY: &str = "KEYfuzz0123456789ABCDEF_c2VjcmV0LWtleQ";

fn redacted<T>(result: Result<T>) -> Result<T> {
    result.map_err(|e| e.finish(&[KEY], None))
}

/// `GET /managed_accounts/{id}` and every other single-account answer.
pub fn managed_account(body: &[u8]) -> Result<ManagedAccount> {
    redacted(decode_data(body))
}

/// `PATCH /managed_accounts/{id}/update_global_channel_limit`.
pub fn global_channel_limit(body: &[u8]) -> Result<GlobalChannelLimit> {
    redacted(decode_data(body))
}

/// `GET /managed_accounts/allocatable_global_outbound_channels`.
pub fn allocatable_channels(body: &[u8]) -> Result<AllocatableGlobalOutboundChannels> {
    redacted(decode_data(body))
}

/// `GET /organizations/users/{id}` and `remove`.
pub fn organization_user(body: &[u8]) -> Result<OrganizationUser> {
    redacted(decode_data(body))
}

/// `GET /organizations/users/users_groups_report` (JSON).
pub fn groups_report(body: &[u8]) -> Result<Vec<GroupsReportEntry>> {
    redacted(decode_data(body))
}

/// One page of `GET /managed_accounts`.
pub fn managed_accounts_page(body: &[u8]) -> Result<Page<ManagedAccount>> {
    redacted(decode_page(body))
}

/// One page of `GET /organizations/users`.
pub fn organization_users_page(body: &[u8]) -> Result<Page<OrganizationUser>> {
    redacted(decode_page(body))
}

/// The error of a non-2xx answer, as the transport builds and cleans it, scrubbing `key`.
pub fn api_error(status: u16, body: &[u8], request_id: Option<String>, key: &str) -> ApiError {
    let raw = ApiError::new(
        status,
        &ureq::http::HeaderMap::new(),
        body,
        request_id,
        None,
        RateLimitInfo::default(),
    );
    match Error::Api(raw).finish(&[key], None) {
        Error::Api(e) => e,
        _ => unreachable!("finish keeps the variant"),
    }
}

fn at(now_secs: u64) -> SystemTime {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(now_secs))
        .unwrap_or(UNIX_EPOCH)
}

/// A `Retry-After` value on its own.
pub fn parse_retry_after(value: &str, now_secs: u64) -> Option<Duration> {
    crate::transport::pacing::parse_retry_after(value, at(now_secs))
}

/// The wait chosen from response headers (`retry-after-ms`, `Retry-After`);
/// pairs that are not valid headers are skipped, as the HTTP layer would reject them.
pub fn retry_after_headers(pairs: &[(&[u8], &[u8])], now_secs: u64) -> Option<Duration> {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            headers.append(name, value);
        }
    }
    retry_after(&headers, at(now_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_decode_and_redact() {
        let body = format!(r#"{{"data":{{"id":1,"email":"{KEY}"}}}}"#);
        assert!(managed_account(body.as_bytes()).is_err());
        let body = format!(r#"{{"data":{{"channel_limit":"{KEY}"}}}}"#);
        let err = global_channel_limit(body.as_bytes()).unwrap_err();
        assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
        assert!(allocatable_channels(br#"{"data":{}}"#).is_ok());
        assert!(organization_user(br#"{"data":{}}"#).is_ok());
        assert!(groups_report(br#"{"data":[]}"#).is_ok());
        assert!(managed_accounts_page(br#"{"data":[]}"#).is_ok());
        assert!(organization_users_page(br#"{"data":[],"meta":null}"#).is_ok());
        let e = api_error(500, KEY.as_bytes(), Some(KEY.into()), KEY);
        assert!(!format!("{e} {e:?}").contains(KEY));
        assert_eq!(parse_retry_after("2", 0), Some(Duration::from_secs(2)));
        let pairs: [(&[u8], &[u8]); 1] = [(b"retry-after-ms", b"1500")];
        assert_eq!(
            retry_after_headers(&pairs, 0),
            Some(Duration::from_millis(1500))
        );
    }
}
