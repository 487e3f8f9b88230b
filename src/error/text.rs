//! Text handling shared by every error: scrubbing secrets and credential-shaped
//! members, one-line display, and the bound on formatted length.

use std::fmt;

/// The most bytes the `Display` or the `Debug` output of any error of this crate
/// takes ([`Error`](crate::Error) and every type it carries). Longer text is cut,
/// keeping its start, and ends with `… [truncated]`. A server's message, a decode
/// error quoting a huge string, or a long header cannot make a log line bigger.
pub const MAX_ERROR_TEXT: usize = 4096;

/// Marks text cut to fit [`MAX_ERROR_TEXT`].
const CUT_MARK: &str = "… [truncated]";

/// What replaces a secret or a credential-shaped value.
pub(super) const REDACTED: &str = "[REDACTED]";

/// A writer that takes at most `left` bytes (at a char boundary) and then fails,
/// so a formatter stops early instead of walking a megabyte of text.
struct Bounded<'a> {
    out: &'a mut dyn fmt::Write,
    left: usize,
    cut: bool,
}

impl fmt::Write for Bounded<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.len() <= self.left {
            self.left -= s.len();
            return self.out.write_str(s);
        }
        let mut end = self.left;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.out.write_str(&s[..end])?;
        self.left = 0;
        self.cut = true;
        Err(fmt::Error)
    }
}

/// Runs `body` against `f`, cut to [`MAX_ERROR_TEXT`] bytes in all.
pub(super) fn bounded(
    f: &mut fmt::Formatter<'_>,
    body: impl FnOnce(&mut dyn fmt::Write) -> fmt::Result,
) -> fmt::Result {
    let mut w = Bounded {
        out: f,
        left: MAX_ERROR_TEXT - CUT_MARK.len(),
        cut: false,
    };
    match body(&mut w) {
        // The cut is ours: the output is complete as far as it goes.
        Err(_) if w.cut => f.write_str(CUT_MARK),
        result => result,
    }
}

/// `text` cut to at most `max` bytes at a char boundary; `true` when it was cut.
pub(super) fn truncate(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    true
}

/// `true` when `text` contains the (non-empty) `secret`, as is or escaped.
pub(super) fn mentions(text: &str, secret: &str) -> bool {
    !secret.is_empty()
        && forms(secret)
            .iter()
            .any(|form| text.contains(form.as_str()))
}

/// The ways `secret` can appear in text the client keeps: as is, escaped in a
/// JSON string (a server echoing a password with `"` or `\` in it; with `&`, `<`
/// and `>` as `\u0026`-style escapes too, as some encoders write them), and
/// escaped by `{:?}` (serde_json's messages quote strings that way).
fn forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned()];
    let mut add = |form: String| {
        if !form.is_empty() && !forms.contains(&form) {
            forms.push(form);
        }
    };
    let inner = |quoted: String| {
        quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .map(str::to_owned)
            .unwrap_or(quoted)
    };
    let json = inner(serde_json::to_string(secret).unwrap_or_default());
    add(json
        .replace('&', "\\u0026")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e"));
    add(json);
    add(inner(format!("{secret:?}")));
    forms
}

/// Replaces every occurrence of `secret` in `text` (as is or escaped, see
/// [`forms`]) with `[REDACTED]`. Should the result still contain it (a key such
/// as `]]` or `RED` overlaps the marker), the whole text is replaced.
pub(super) fn scrub(text: &mut String, secret: &str) {
    const MARK: &str = REDACTED;
    if secret.is_empty() {
        return;
    }
    for form in forms(secret) {
        if text.contains(form.as_str()) {
            let mark = if MARK.contains(form.as_str()) {
                ""
            } else {
                MARK
            };
            *text = text.replace(form.as_str(), mark);
            if text.contains(form.as_str()) {
                *text = mark.to_owned();
            }
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

    #[test]
    fn escaped_echoes_of_a_secret_are_scrubbed() {
        let secret = r#"pa"s\s&<é>"#;
        for echo in [
            // The raw body of a JSON answer that repeats it.
            serde_json::json!({ "detail": secret }).to_string(),
            // As Go's encoder writes it.
            r#"{"detail":"pa\"s\\s\u0026\u003cé\u003e"}"#.to_owned(),
            // As serde_json's messages quote a string.
            format!("invalid type: string {secret:?}"),
        ] {
            assert!(mentions(&echo, secret), "{echo}");
            let mut text = echo.clone();
            scrub(&mut text, secret);
            assert!(!mentions(&text, secret), "{echo} -> {text}");
            assert!(text.contains(REDACTED), "{text}");
        }
    }
}
