//! Error answers: `ApiError::new` on any status and body, with the key echoed or not.
//!
//! Layout: 2 bytes status, 1 byte flags, 1 byte request-id length, the request id,
//! then (flag 0x01) a key length byte and a key chosen by the fuzzer, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnyx_blocking::__fuzz::{self, KEY};

fuzz_target!(|data: &[u8]| {
    let [s0, s1, flags, id_len, rest @ ..] = data else {
        return;
    };
    let status = u16::from_be_bytes([*s0, *s1]);
    let (id, rest) = rest.split_at(usize::from(*id_len).min(rest.len()));
    let request_id = (flags & 0x02 != 0).then(|| String::from_utf8_lossy(id).into_owned());
    let (key, body) = if flags & 0x01 != 0 {
        let Some((&len, rest)) = rest.split_first() else {
            return;
        };
        let (key, body) = rest.split_at(usize::from(len).min(rest.len()));
        // A key the client accepts: visible ASCII, not empty.
        if key.is_empty() || !key.iter().all(u8::is_ascii_graphic) {
            return;
        }
        (std::str::from_utf8(key).unwrap().to_owned(), body)
    } else {
        (KEY.to_owned(), rest)
    };
    let e = __fuzz::api_error(status, body, request_id, &key);

    assert_eq!(e.status(), status);
    assert!(
        e.body().len() <= 4096,
        "kept body is {} bytes",
        e.body().len()
    );
    // Whatever the key, nothing the server sent carries it.
    // (`message()` is one of these or a fixed reason phrase.)
    let mut sent = vec![e.body()];
    sent.extend(e.request_id());
    for d in e.errors() {
        sent.extend(d.code.as_deref());
        sent.extend(d.title.as_deref());
        sent.extend(d.detail.as_deref());
        sent.extend(d.pointer.as_deref());
        sent.extend(d.parameter.as_deref());
        if let Some(meta) = &d.meta {
            assert!(!mentions(meta, &key), "key in meta: {meta}");
        }
    }
    for text in sent {
        assert!(!text.contains(key.as_str()), "key {key:?} in {text:?}");
    }
    // With a realistic key, nothing printed carries it, and Display is one line.
    let shown = e.to_string();
    assert!(shown.starts_with("HTTP "), "{shown}");
    assert!(!shown.contains(['\n', '\r']), "{shown:?}");
    if key == KEY {
        let debug = format!("{e} {e:?} {e:#?}");
        assert!(!debug.contains(KEY), "{debug}");
    }
});

/// Any string or object key in `value` contains `key`.
fn mentions(value: &serde_json::Value, key: &str) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains(key),
        Value::Array(items) => items.iter().any(|v| mentions(v, key)),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains(key) || mentions(v, key)),
        _ => false,
    }
}
