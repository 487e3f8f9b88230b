//! [`Secret`]: a credential that never shows up in `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A credential (API key, API token or password) that redacts itself.
///
/// `Debug` prints a fixed placeholder and there is no `Display`, so a secret
/// cannot leak through `{:?}`, logging or an error message by accident. Read
/// the value on purpose with [`Secret::expose`]. Serde is transparent: the
/// secret (de)serializes as a plain JSON string, which is what the API sends
/// and expects.
///
/// ```
/// use telnyx_blocking::Secret;
///
/// let key = Secret::new("KEY0123456789");
/// assert_eq!(format!("{key:?}"), "Secret([REDACTED])");
/// assert_eq!(key.expose(), "KEY0123456789");
/// ```
///
/// There is deliberately no `Display`, so this does not compile:
///
/// ```compile_fail
/// let key = telnyx_blocking::Secret::new("KEY0123456789");
/// println!("{key}");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself. Call this only where the value must leave the
    /// program (a request header, a secrets store), never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `true` when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}
