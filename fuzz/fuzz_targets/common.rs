//! Checks shared by the targets.
#![allow(dead_code)]

use telnyx_blocking::__fuzz::KEY;
use telnyx_blocking::Error;

/// What every error must satisfy: typed, the key nowhere in its text or its
/// source chain, and a `Display` on one line.
pub fn check_error(err: &Error) {
    let shown = err.to_string();
    assert!(!shown.contains(KEY), "key in Display: {shown}");
    assert!(
        !shown.contains(['\n', '\r']),
        "Display spans lines: {shown:?}"
    );
    let debug = format!("{err:?} {err:#?}");
    assert!(!debug.contains(KEY), "key in Debug: {debug}");
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        let text = format!("{e} {e:?}");
        assert!(!text.contains(KEY), "key in a source: {text}");
        source = e.source();
    }
    assert!(
        matches!(err, Error::Decode(_)),
        "a decoder returned another kind of error: {err:?}"
    );
}

/// A decoded value encodes to JSON that decodes to the same value.
pub fn check_round_trip<T>(value: &T, decode: impl Fn(&[u8]) -> Result<T, Error>)
where
    T: serde::Serialize + PartialEq + std::fmt::Debug,
{
    let inner = serde_json::to_vec(value).expect("a decoded value encodes");
    let mut body = b"{\"data\":".to_vec();
    body.extend_from_slice(&inner);
    body.push(b'}');
    match decode(&body) {
        Ok(again) => assert_eq!(&again, value, "round trip changed the value"),
        Err(e) => panic!("round trip failed: {e}"),
    }
}
