//! Text shared by every error: scrubbing secrets, one-line text, and caps.

/// What replaces a secret or a credential-shaped value.
pub(super) const REDACTED: &str = "[REDACTED]";

/// `text` cut to at most `max` bytes at a char boundary, ending with `…` when it was cut.
pub(super) fn cap(mut text: String, max: usize) -> String {
    if text.len() > max {
        let end = (0..=max - '…'.len_utf8())
            .rev()
            .find(|&i| text.is_char_boundary(i));
        text.truncate(end.unwrap_or(0));
        text.push('…');
    }
    text
}

/// `text` on one line, at most `max` bytes: control characters (CR, LF, ESC, …)
/// become spaces, so server text cannot forge log lines or terminal output.
pub(super) fn clean(text: &str, max: usize) -> String {
    cap(text.replace(char::is_control, " "), max)
}

/// `true` when `text` contains `secret` (never the empty one), as is or escaped.
pub(super) fn mentions(text: &str, secret: &str) -> bool {
    forms(secret).iter().any(|f| text.contains(f.as_str()))
}

/// The ways `secret` can appear in text the client keeps: as is, escaped in a
/// JSON string (a server echoing a password with `"` or `\` in it; with `&`, `<`
/// and `>` as `\u0026`-style escapes too, as some encoders write them), and
/// escaped by `{:?}` (serde_json's messages quote strings that way).
fn forms(secret: &str) -> Vec<String> {
    let inner = |quoted: String| quoted[1..quoted.len() - 1].to_owned();
    let json = inner(serde_json::to_string(secret).unwrap_or_else(|_| "\"\"".into()));
    let go = json
        .replace('&', "\\u0026")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e");
    let mut forms = vec![secret.to_owned(), go, json, inner(format!("{secret:?}"))];
    forms.dedup();
    forms.retain(|form| !form.is_empty());
    forms
}

/// Replaces every occurrence of each secret in `text` (as is or escaped, see
/// [`forms`]) with `[REDACTED]`, then [`cap`]s it at `max`. Should the text
/// still contain a secret (a key such as `]]` or `RED` overlaps the marker),
/// the whole text is replaced.
pub(super) fn scrub(text: &mut String, secrets: &[&str], max: usize) {
    for form in secrets.iter().flat_map(|secret| forms(secret)) {
        let form = form.as_str();
        if !text.contains(form) {
            continue;
        }
        let overlaps = REDACTED.contains(form);
        let mark = if overlaps { "" } else { REDACTED };
        *text = text.replace(form, mark);
        if text.contains(form) {
            *text = mark.to_owned();
        }
    }
    *text = cap(std::mem::take(text), max);
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
            scrub(&mut text, &[key], usize::MAX);
            assert!(!text.contains(key), "{key:?} left in {text:?}");
        }
        let mut text = "nothing here".to_owned();
        scrub(&mut text, &[""], usize::MAX);
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
            scrub(&mut text, &[secret], usize::MAX);
            assert!(!mentions(&text, secret), "{echo} -> {text}");
            assert!(text.contains(REDACTED), "{text}");
        }
    }
}
