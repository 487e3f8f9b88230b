//! `Retry-After` / `retry-after-ms` parsing: any text, any clock.
//!
//! Layout: 8 bytes "now" (seconds since the epoch), then the header value; the same
//! bytes are also tried as the values of both headers.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use telnyx_blocking::__fuzz;

const MAX: Duration = Duration::from_secs(1_000_000_000);

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (now, value) = data.split_at(8);
    let now = u64::from_le_bytes(now.try_into().unwrap());
    // Clocks from 1970 to the year 9999, as a real clock would be.
    let now = now % 253_402_300_800;
    let text = String::from_utf8_lossy(value);
    if let Some(wait) = __fuzz::parse_retry_after(&text, now) {
        // Every wait is capped, so callers can add it to an Instant.
        assert!(wait <= MAX, "{text:?} -> {wait:?}");
    }
    let (ms, secs) = value.split_at(value.len() / 2);
    let pairs: [(&[u8], &[u8]); 2] = [(b"retry-after-ms", ms), (b"retry-after", secs)];
    if let Some(wait) = __fuzz::retry_after_headers(&pairs, now) {
        assert!(wait <= MAX, "{pairs:?} -> {wait:?}");
    }
});
