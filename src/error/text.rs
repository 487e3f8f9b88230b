//! Text handling shared by every error: scrubbing secrets, one-line display.

use std::fmt;

/// `true` when `text` contains the (non-empty) `secret`.
pub(super) fn mentions(text: &str, secret: &str) -> bool {
    !secret.is_empty() && text.contains(secret)
}

/// Replaces every occurrence of `secret` in `text` with `[REDACTED]`. Should the
/// result still contain it (a key such as `]]` or `RED` overlaps the marker), the
/// whole text is replaced.
pub(super) fn scrub(text: &mut String, secret: &str) {
    const MARK: &str = "[REDACTED]";
    if mentions(text, secret) {
        let mark = if MARK.contains(secret) { "" } else { MARK };
        *text = text.replace(secret, mark);
        if text.contains(secret) {
            *text = mark.to_owned();
        }
    }
}

/// `true` when any string or object key in `value` contains `secret`.
pub(super) fn value_mentions(value: &serde_json::Value, secret: &str) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => mentions(s, secret),
        Value::Array(items) => items.iter().any(|v| value_mentions(v, secret)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| mentions(k, secret) || value_mentions(v, secret)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Displays server-sent text on one line: control characters (CR, LF, ESC, …)
/// become spaces, so an error message cannot forge log lines or terminal output.
pub(super) struct OneLine<'a>(pub(super) &'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.0.split(char::is_control).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(part)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_leaves_no_trace_of_odd_keys() {
        for (key, text) in [
            ("]]", "a]]]b"),
            ("RED", "xREDACTEDx RED"),
            ("[REDACTED]", "[REDACTED][REDACTED]"),
            ("aa", "aaaaa"),
        ] {
            let mut text = text.to_owned();
            scrub(&mut text, key);
            assert!(!text.contains(key), "{key:?} left in {text:?}");
        }
        let mut text = "nothing here".to_owned();
        scrub(&mut text, "");
        assert_eq!(text, "nothing here");
    }
}
