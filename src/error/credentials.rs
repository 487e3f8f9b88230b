//! Credential-shaped members of what a server sends back: a `password`, an
//! `api_key`, a sub-account's `api_token`, whatever their value, are redacted
//! before an error keeps them, so no formatted error and no `body()` shows one.

use serde_json::Value;

use super::text::REDACTED;

/// Parts of a member or header name that mark its value as a credential, after
/// lowercasing and reading `-` as `_` (`api_key`, `X-Api-Key`, `new_password`,
/// `api_token`, `client_secret`, `credentials`, …).
const CREDENTIAL_WORDS: &str =
    "password passwd secret api_key apikey token authorization credential private_key";

/// `true` when a member or header called `name` holds a credential.
pub(super) fn is_credential_name(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase().replace('-', "_");
    CREDENTIAL_WORDS.split(' ').any(|word| name.contains(word)) || name == "cookie"
}

/// Redacts, at any depth, every value under a credential-shaped member, and
/// credential members of JSON embedded in string values (`"detail":
/// "{\"api_key\":…}"`).
pub(super) fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if is_credential_name(key) {
                    redact_all(member);
                } else {
                    redact_value(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        Value::String(text) => redact_in_place(text),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// [`redact_text`] on `text` itself.
pub(super) fn redact_in_place(text: &mut String) {
    if let Some(redacted) = redact_text(text) {
        *text = redacted;
    }
}

fn redact_all(value: &mut Value) {
    match value {
        Value::String(_) | Value::Number(_) => *value = Value::String(REDACTED.to_owned()),
        Value::Object(map) => map.values_mut().for_each(redact_all),
        Value::Array(items) => items.iter_mut().for_each(redact_all),
        Value::Null | Value::Bool(_) => {}
    }
}

/// `text` with the value of every credential-shaped JSON member replaced, or
/// `None` when it has none. It scans the text rather than parsing it, so it
/// works on a body that is cut off, is not valid JSON, or only embeds some.
pub(super) fn redact_text(text: &str) -> Option<String> {
    let out = scan(text, false);
    (out != text).then_some(out)
}

/// The end (exclusive) of the string literal opening at `start` (a `"`), or the
/// end of the text for an unterminated one.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end (exclusive) of the object or array opening at `start`.
fn container_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The end (exclusive) of a bare scalar (number, `true`, …) starting at `start`.
fn scalar_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(bytes.len(), |n| start + n)
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Copies `text`, replacing the values of credential-shaped members; with
/// `everything`, every string and number value (the inside of such a member).
/// Every index it cuts at is an ASCII byte or the end, so slicing is safe.
fn scan(text: &str, everything: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            let end = string_end(bytes, i);
            let after = skip_space(bytes, end);
            let is_key = bytes.get(after) == Some(&b':');
            if !is_key {
                if everything {
                    out.push_str(&text[copied..i]);
                    push_redacted(&mut out);
                    copied = end;
                }
                i = end;
                continue;
            }
            let value = skip_space(bytes, after + 1);
            if everything || !key_is_credential(&text[i..end]) || value >= bytes.len() {
                i = value;
                continue;
            }
            out.push_str(&text[copied..value]);
            let value_end = match bytes[value] {
                b'"' => {
                    push_redacted(&mut out);
                    string_end(bytes, value)
                }
                b'{' | b'[' => {
                    let end = container_end(bytes, value);
                    out.push_str(&scan(&text[value..end], true));
                    end
                }
                _ => {
                    let end = scalar_end(bytes, value);
                    if matches!(&text[value..end], "null" | "true" | "false") {
                        out.push_str(&text[value..end]);
                    } else {
                        push_redacted(&mut out);
                    }
                    end
                }
            };
            copied = value_end;
            i = value_end;
            continue;
        }
        if everything && (b.is_ascii_digit() || b == b'-') && is_value_start(bytes, i) {
            let end = scalar_end(bytes, i);
            out.push_str(&text[copied..i]);
            push_redacted(&mut out);
            copied = end;
            i = end;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// A JSON string in place of the value that was there.
fn push_redacted(out: &mut String) {
    out.push('"');
    out.push_str(REDACTED);
    out.push('"');
}

/// `true` when a number starting at `i` is a value (after `:`, `,` or `[`).
fn is_value_start(bytes: &[u8], i: usize) -> bool {
    bytes[..i]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b':' | b',' | b'['))
}

/// `literal` is a JSON string literal with its quotes (maybe without the closing one).
pub(super) fn key_is_credential(literal: &str) -> bool {
    let inner = literal
        .strip_prefix('"')
        .map(|s| s.strip_suffix('"').unwrap_or(s))
        .unwrap_or(literal);
    if !inner.contains('\\') {
        return is_credential_name(inner);
    }
    // An escaped key (`"pass\u0077ord"`) is decoded before it is judged.
    serde_json::from_str::<String>(literal).map_or_else(
        // Not decodable: judge the raw text, minus the escapes.
        |_| is_credential_name(&inner.replace('\\', "")),
        |key| is_credential_name(&key),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_members_are_redacted_in_text() {
        for (body, leaked) in [
            (r#"{"password":"hunter2"}"#, "hunter2"),
            (
                r#"{"errors":[{"meta":{"api_key":"KEY_EXAMPLE_X"}}]}"#,
                "KEY_EXAMPLE_X",
            ),
            (r#"{"data": {"api_token" : "tok-1", "id": "a"}}"#, "tok-1"),
            (r#"{"Password": 12345678}"#, "12345678"),
            (r#"{"credentials": {"user": "u", "pin": 4321}}"#, "4321"),
            (r#"{"api_key": ["KEY_A", {"x": "KEY_B"}]}"#, "KEY_B"),
            (r#"{"pass\u0077ord": "esc-secret"}"#, "esc-secret"),
            (r#"{"password": "cut-off-secr"#, "cut-off-secr"),
            (
                r#"<html>{"x-api-key": "KEY_IN_HTML"}</html>"#,
                "KEY_IN_HTML",
            ),
            (r#"{"password": "a\"b-quoted"}"#, "b-quoted"),
        ] {
            let redacted = redact_text(body).unwrap_or_else(|| panic!("{body}"));
            assert!(!redacted.contains(leaked), "{body} -> {redacted}");
            assert!(redacted.contains(REDACTED), "{redacted}");
        }
        let plain = r#"{"errors":[{"detail":"email is taken","source":{"pointer":"/email"}}]}"#;
        assert_eq!(redact_text(plain), None);
        // Valid JSON stays valid JSON.
        let json = redact_text(r#"{"a":{"password":{"v":[1,"x"]}},"b":2}"#).unwrap();
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["b"], 2);
        assert_eq!(value["a"]["password"]["v"][0], REDACTED);
    }

    #[test]
    fn odd_text_never_panics() {
        for text in [
            "\"",
            "\"\\",
            "\"a\":",
            "{\"password\":",
            "{\"password\":\"",
            "\"password\" :  ",
            "{\"pässword\":\"é\"}",
            "{\"password\":é1}",
            "[\"token\":-]",
            "{\"secret\":[[[{",
        ] {
            let _ = redact_text(text);
            let _ = scan(text, true);
        }
        // Random JSON-ish text, multi-byte characters included.
        let alphabet: Vec<char> = "{}[]\":,\\ -0123abcé€password_token".chars().collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(x % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let _ = redact_text(&text);
            let _ = scan(&text, true);
        }
    }

    #[test]
    fn credential_members_are_redacted_in_values() {
        let mut value: Value = serde_json::from_str(
            r#"{"url":"https://x","nested":[{"api_token":"t"}],"password":{"a":1}}"#,
        )
        .unwrap();
        redact_value(&mut value);
        assert_eq!(value["url"], "https://x");
        assert_eq!(value["nested"][0]["api_token"], REDACTED);
        assert_eq!(value["password"]["a"], REDACTED);
    }
}
