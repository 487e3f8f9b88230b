//! Credential-shaped members of what a server sends back: a `password`, an
//! `api_key`, a sub-account's `api_token`, whatever their value, are redacted
//! before an error keeps them, so no formatted error and no `body()` shows one.

use serde_json::Value;

use super::text::{REDACTED, scrub};

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

fn redact_all(value: &mut Value) {
    match value {
        Value::String(_) | Value::Number(_) => *value = Value::String(REDACTED.to_owned()),
        Value::Object(map) => map.values_mut().for_each(redact_all),
        Value::Array(items) => items.iter_mut().for_each(redact_all),
        Value::Null | Value::Bool(_) => {}
    }
}

/// `text` (a JSON body, or any text that embeds JSON) with the value of every
/// credential-shaped member redacted and every form of each of `secrets`
/// scrubbed. It scans rather than parses, so it works on a body that is cut
/// off, is not valid JSON, or only embeds some: each such member's value is
/// read on its own, and one that cannot be read (cut off, not JSON) is
/// redacted to the end of the text. A string literal with escapes is decoded,
/// cleaned the same way and encoded again: JSON inside a JSON string, or a
/// secret written with `\u` escapes, is out of reach of a scan of the raw text.
pub(super) fn clean_json_text(text: &str, secrets: &[&str]) -> String {
    let bytes = text.as_bytes();
    let (mut out, mut copied, mut i) = (String::new(), 0, 0);
    while let Some(start) = text[i..].find('"').map(|at| i + at) {
        let end = string_end(bytes, start);
        let literal = &text[start..end];
        // An escaped literal (`"pass\u0077ord"`) is read decoded; one that
        // does not decode (cut off) without its escapes.
        let escaped = Some(literal).filter(|literal| literal.contains('\\'));
        let decoded = escaped.and_then(|l| serde_json::from_str::<String>(l).ok());
        if let Some(decoded) = &decoded {
            let clean = clean_json_text(decoded, secrets);
            if clean != *decoded {
                let encoded = serde_json::to_string(&clean).unwrap_or_default();
                out.extend([&text[copied..start], encoded.as_str()]);
                copied = end;
            }
        }
        i = end;
        let colon = skip_space(bytes, end);
        let value = skip_space(bytes, colon + 1);
        let key = decoded.unwrap_or_else(|| literal.replace(['\\', '"'], ""));
        if bytes.get(colon) != Some(&b':') || value >= bytes.len() || !is_credential_name(&key) {
            continue;
        }
        let mut values = serde_json::Deserializer::from_str(&text[value..]).into_iter::<Value>();
        let (shown, value_end) = match values.next() {
            Some(Ok(mut v)) => {
                redact_all(&mut v);
                (v.to_string(), value + values.byte_offset())
            }
            _ => (format!("\"{REDACTED}\""), bytes.len()),
        };
        out.extend([&text[copied..value], shown.as_str()]);
        (copied, i) = (value_end, value_end);
    }
    out.push_str(&text[copied..]);
    scrub(&mut out, secrets, usize::MAX);
    out
}

/// The end (exclusive) of the string literal opening at `start` (a `"`), or the
/// end of the text for an unterminated one.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut escaped = false;
    let close = bytes.iter().skip(start + 1).position(|&b| {
        let close = b == b'"' && !escaped;
        escaped = b == b'\\' && !escaped;
        close
    });
    close.map_or(bytes.len(), |n| start + n + 2)
}

fn skip_space(bytes: &[u8], i: usize) -> usize {
    let rest = bytes.get(i..).unwrap_or_default();
    i + rest.iter().take_while(|b| b.is_ascii_whitespace()).count()
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
            let redacted = clean_json_text(body, &[]);
            assert!(!redacted.contains(leaked), "{body} -> {redacted}");
            assert!(redacted.contains(REDACTED), "{redacted}");
        }
        let plain = r#"{"errors":[{"detail":"email is taken","source":{"pointer":"/email"}}]}"#;
        assert_eq!(clean_json_text(plain, &[]), plain);
        // Valid JSON stays valid JSON.
        let json = clean_json_text(r#"{"a":{"password":{"v":[1,"x"]}},"b":2}"#, &[]);
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
            let _ = clean_json_text(text, &["pass"]);
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
            let _ = clean_json_text(&text, &["pass"]);
        }
    }

    #[test]
    fn credential_members_are_redacted_in_values() {
        let text = r#"{"url":"https://x","nested":[{"api_token":"t"}],"password":{"a":1}}"#;
        let value: Value = serde_json::from_str(&clean_json_text(text, &[])).unwrap();
        assert_eq!(value["url"], "https://x");
        assert_eq!(value["nested"][0]["api_token"], REDACTED);
        assert_eq!(value["password"]["a"], REDACTED);
    }
}
