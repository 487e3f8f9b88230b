//! `json_path_at`, the best-effort JSON path of a decode error: with the line and
//! column serde_json reports, and with arbitrary ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnyx_blocking::__fuzz;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (pos, body) = data.split_at(4);
    // Positions as serde_json reports them for this body.
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(body) {
        let _ = __fuzz::json_path_at(body, e.line(), e.column());
    }
    // Any position, small or huge.
    let line = usize::from(u16::from_le_bytes([pos[0], pos[1]]));
    let column = match pos[2] {
        0xFF => usize::MAX,
        _ => usize::from(u16::from_le_bytes([pos[2], pos[3]])),
    };
    let _ = __fuzz::json_path_at(body, line, column);
    let _ = __fuzz::json_path_at(body, usize::MAX, column);
});
