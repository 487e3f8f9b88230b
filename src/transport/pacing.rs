//! The waits a server asks for: `retry-after-ms`, `Retry-After` (seconds or an
//! HTTP date) and the numeric rate-limit headers.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ureq::http::HeaderMap;

use crate::response::RateLimitInfo;

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_str(headers, name)?.parse().ok()
}

/// No wait the server asks for is taken as longer than this (about 31 years), so
/// `Instant::now() + e.retry_after()` cannot overflow in the caller's code.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(1_000_000_000);

/// The longest `x-request-id` kept; Telnyx's are UUIDs, anything longer is cut.
const MAX_REQUEST_ID: usize = 128;

/// The `x-ratelimit-*` headers; the reset is capped like every server wait.
pub(super) fn rate_limit_info(headers: &HeaderMap) -> RateLimitInfo {
    RateLimitInfo {
        limit: header_u64(headers, "x-ratelimit-limit"),
        remaining: header_u64(headers, "x-ratelimit-remaining"),
        reset: header_u64(headers, "x-ratelimit-reset")
            .map(|secs| Duration::from_secs(secs).min(MAX_SERVER_WAIT)),
    }
}

/// The `x-request-id` header of an answer, 2xx or not, at most [`MAX_REQUEST_ID`] bytes.
/// Only id-like text is kept (letters, digits, `-`, `_`, `.`, `:`), and never one
/// that contains `secret` (a server echoing the API key): it goes to logs and hooks.
pub(super) fn request_id(headers: &HeaderMap, secret: &str) -> Option<String> {
    let id = header_str(headers, "x-request-id")?;
    let id_like = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':');
    if id.is_empty() || !id.bytes().all(id_like) || (!secret.is_empty() && id.contains(secret)) {
        return None;
    }
    // ASCII only, so any cut is on a character boundary.
    Some(id[..id.len().min(MAX_REQUEST_ID)].to_owned())
}

/// The wait from `retry-after-ms`, else `Retry-After` (delta-seconds or HTTP date).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let ms = header_str(headers, "retry-after-ms").and_then(|v| seconds(v, 1000.0));
    ms.or_else(|| parse_retry_after(header_str(headers, "retry-after")?, now))
}

/// A number of `unit`s per second (whole or fractional, not negative) as a wait
/// of at most [`MAX_SERVER_WAIT`].
fn seconds(value: &str, unit: f64) -> Option<Duration> {
    let n = value
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)?;
    let secs = (n / unit).min(MAX_SERVER_WAIT.as_secs_f64());
    Some(Duration::from_secs_f64(secs))
}

/// Parses a `Retry-After` value: whole or fractional seconds, or an HTTP date
/// (IMF-fixdate, RFC 850 or asctime). A date in the past means "now". The result
/// is at most [`MAX_SERVER_WAIT`].
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.parse::<f64>().is_ok() {
        return seconds(value, 1.0);
    }
    let wait = parse_http_date(value)?.duration_since(now);
    Some(wait.unwrap_or_default().min(MAX_SERVER_WAIT))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn parse_http_date(value: &str) -> Option<SystemTime> {
    let parts = value.split([' ', ',', '-']).filter(|p| !p.is_empty());
    let parts: Vec<&str> = parts.collect();
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT  -> [Sun, 06, Nov, 1994, 08:49:37, GMT]
    // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT -> [Sunday, 06, Nov, 94, 08:49:37, GMT]
    // asctime:     Sun Nov  6 08:49:37 1994       -> [Sun, Nov, 6, 08:49:37, 1994]
    let (day, month, year, time) = match parts.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, *year, *time),
        [_, month, day, time, year] => (*day, *month, *year, *time),
        _ => return None,
    };
    let day: u64 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut year: u64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    // HTTP dates have four-digit years; a longer one would overflow the day count.
    let valid = (1..=31).contains(&day) && h < 24 && m < 60 && s <= 60;
    if hms.next().is_some() || !valid || !(1970..=9999).contains(&year) {
        return None;
    }
    // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let (era, yoe) = (y / 400, y % 400);
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = (era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy).checked_sub(719_468)?;
    UNIX_EPOCH.checked_add(Duration::from_secs(days * 86_400 + h * 3600 + m * 60 + s))
}

/// `(year, month, day)` of a day count since 1970-01-01: the inverse of the
/// above, shared with the mock, which writes dates.
#[cfg(any(test, feature = "mock"))]
pub(crate) fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let (year, day) = (
        yoe + era * 400 + u64::from(month <= 2),
        doy - (153 * mp + 2) / 5 + 1,
    );
    (year, month, day)
}

/// Seconds since the epoch as an HTTP date (IMF-fixdate), `Sun, 06 Nov 1994
/// 08:49:37 GMT`: what [`parse_retry_after`] reads, for the mock's `Retry-After`.
#[cfg(any(test, feature = "mock"))]
pub(crate) fn http_date(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month = MONTHS[(month as usize - 1) % 12];
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    format!("{weekday}, {day:02} {month} {year:04} {h:02}:{m:02}:{s:02} GMT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_reset_is_bounded() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", "18446744073709551615".parse().unwrap());
        let reset = rate_limit_info(&headers).reset.unwrap();
        assert_eq!(reset, MAX_SERVER_WAIT);
        // What the README invites callers to do must not overflow.
        assert!(std::time::Instant::now().checked_add(reset).is_some());
        headers.insert("x-ratelimit-reset", " 7 ".parse().unwrap());
        assert_eq!(
            rate_limit_info(&headers).reset,
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn http_dates_are_written_as_they_are_read() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        for secs in [0, 784_111_777, 951_782_400, 4_102_444_800, 253_402_300_799] {
            let read = parse_http_date(&http_date(secs)).unwrap();
            assert_eq!(read, UNIX_EPOCH + Duration::from_secs(secs));
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        let later = "Sun, 06 Nov 1994 08:49:47 GMT";
        assert_eq!(parse_retry_after(later, now), Some(Duration::from_secs(10)));
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:38 1994", now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-1", now), None);
        // Found by the retry_after fuzz target: an uncapped wait made
        // `Instant::now() + e.retry_after().unwrap()` overflow in callers.
        assert_eq!(
            parse_retry_after("99999999999999", now),
            Some(MAX_SERVER_WAIT)
        );
        assert_eq!(
            parse_retry_after("18446744073709551615", now),
            Some(MAX_SERVER_WAIT)
        );
        // Found by the retry_after fuzz target: a 20-digit year overflowed the day
        // count (a panic in debug builds, a wrong date in release builds).
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:37 1994999999999999999", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 99999999999999999 08:49:37 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(MAX_SERVER_WAIT)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("Sun, 32 Nov 1994 08:49:47 GMT", now),
            None
        );
        // Years that would overflow the day count are refused, not a panic.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 18446744073709551615 08:49:37 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 10000 08:49:37 GMT", now),
            None
        );
    }
}
