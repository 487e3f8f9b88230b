//! [`DecodeError`]: a 2xx body that is not what the spec describes.

use std::fmt;

use super::credentials::key_is_credential;
use super::text::{OneLine, REDACTED, bounded, mentions, scrub, truncate};

/// Most bytes kept of serde_json's message: it quotes the offending value whole.
const MAX_MESSAGE: usize = 1024;
/// Most bytes kept of the JSON path (object keys come from the body).
const MAX_PATH: usize = 512;

/// A 2xx response whose body did not match the expected shape.
///
/// It has no [`source`](std::error::Error::source): serde_json's error quotes the
/// offending value whole, so its start (at most 1 KiB) is kept as this error's
/// message instead, with the JSON path where decoding stopped.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    path: Option<String>,
}

/// `true` when a path segment names a credential; the path keeps keys as the
/// body spelled them, so an escaped one (`api\u005fkey`) is decoded first.
fn segment_is_credential(segment: &str) -> bool {
    key_is_credential(&format!("\"{segment}\""))
}

impl DecodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            path: None,
        }
    }

    /// Builds the error for `body`, naming the JSON path where decoding stopped.
    pub(crate) fn from_json(err: serde_json::Error, body: &[u8]) -> Self {
        let mut path = json_path_at(body, err.line(), err.column());
        let mut message = err.to_string();
        if path
            .as_deref()
            .is_some_and(|p| p.split(['.', '[']).any(segment_is_credential))
        {
            // serde_json quotes the value it could not read: under `api_key`, say,
            // that is a credential. Say what was wrong, not what it was.
            message = format!(
                "the value has the wrong type ({REDACTED}) at line {} column {}",
                err.line(),
                err.column()
            );
        } else if truncate(&mut message, MAX_MESSAGE) {
            message.push_str(&format!(
                "… (cut) at line {} column {}",
                err.line(),
                err.column()
            ));
        }
        if let Some(p) = &mut path {
            if truncate(p, MAX_PATH) {
                p.push('…');
            }
        }
        DecodeError { message, path }
    }

    /// serde_json quotes the string it could not decode (`invalid type: string
    /// "…"`) and the path quotes object keys from the body: scrub `secret` from both.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if mentions(&self.message, secret)
            || self.path.as_deref().is_some_and(|p| mentions(p, secret))
        {
            scrub(&mut self.message, secret);
            if let Some(path) = &mut self.path {
                scrub(path, secret);
            }
        }
        self
    }

    /// Where in the JSON body decoding failed, e.g. `data[3].balance.currency`.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// What was wrong, as serde_json said it (its start, at most 1 KiB).
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(super) fn write_to(&self, w: &mut dyn fmt::Write) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(w, "at `{}`: ", OneLine(path))?;
        }
        write!(w, "{}", OneLine(&self.message))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| self.write_to(w))
    }
}

/// Bounded like `Display`.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded(f, |w| {
            write!(
                w,
                "DecodeError {{ path: {:?}, message: {:?} }}",
                self.path, self.message
            )
        })
    }
}

impl std::error::Error for DecodeError {}

/// The JSON path (`data[2].email`) of the value being read at `line`:`column`
/// (1-based, as serde_json reports them). Best effort: it scans the text, so it
/// works on any prefix of a document, valid or not.
pub(crate) fn json_path_at(body: &[u8], line: usize, column: usize) -> Option<String> {
    let mut offset = 0;
    let mut current_line = 1;
    while current_line < line {
        offset += body.get(offset..)?.iter().position(|&b| b == b'\n')? + 1;
        current_line += 1;
    }
    let end = offset.saturating_add(column).min(body.len());

    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let mut last_string: Option<String> = None;
    while i < end {
        match body[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                let raw = body.get(start..i.min(body.len())).unwrap_or(&[]);
                last_string = Some(String::from_utf8_lossy(raw).into_owned());
            }
            b':' => {
                if let Some(Frame::Object(key)) = stack.last_mut() {
                    *key = last_string.take();
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn path_of<T: serde::de::DeserializeOwned + fmt::Debug>(body: &str) -> Option<String> {
        let err = serde_json::from_str::<T>(body).unwrap_err();
        json_path_at(body.as_bytes(), err.line(), err.column())
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        email: String,
        n: i64,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct List {
        data: Vec<Item>,
    }

    #[test]
    fn decode_path_names_the_field() {
        let body = r#"{"data":[{"email":"a","n":1},{"email":"b, c","n":"x"}]}"#;
        assert_eq!(path_of::<List>(body).as_deref(), Some("data[1].n"));
        let body = "{\n \"data\": [\n {\"email\": null, \"n\": 1}]}";
        assert_eq!(path_of::<List>(body).as_deref(), Some("data[0].email"));
    }

    #[test]
    fn json_path_takes_any_position() {
        // Found by the json_path fuzz target: `offset + column` overflowed.
        assert_eq!(
            json_path_at(b"\n{\"a\":[", 2, usize::MAX).as_deref(),
            Some("a[0]")
        );
        assert_eq!(json_path_at(b"{\"a\":1}", usize::MAX, 3), None);
        assert_eq!(json_path_at(b"", 0, 0), None);
    }
}
