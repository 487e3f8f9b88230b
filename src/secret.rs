//! [`Secret`]: a credential that never shows up in `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// A credential (API key, API token or password) that redacts itself.
///
/// `Debug` prints a fixed placeholder and there is no `Display`, so a secret
/// cannot leak through `{:?}`, logging or an error message by accident. Read
/// the value on purpose with [`Secret::expose`].
///
/// Serde: `Deserialize` is transparent (a plain JSON string, as the API sends
/// it), but `Serialize` writes `"[REDACTED]"`. No default formatting or
/// serialization path emits a secret without an explicit `expose()`: writing a
/// [`ManagedAccount`](crate::managed_accounts::ManagedAccount) to JSON, a log or
/// a cache keeps its `api_key` and `api_token` out. To store one, serialize
/// `secret.expose()` yourself. (The client sends a create's password on the
/// wire through its own exposing serializer.)
///
/// ```
/// use telnyx_blocking::Secret;
///
/// let key = Secret::new("KEY0123456789");
/// assert_eq!(serde_json::to_string(&key)?, r#""[REDACTED]""#);
/// let read: Secret = serde_json::from_str(r#""KEY0123456789""#)?;
/// assert_eq!(read.expose(), "KEY0123456789");
/// # Ok::<(), serde_json::Error>(())
/// ```
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
#[derive(Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

/// The placeholder `Debug` and `Serialize` show instead of the value.
const REDACTED: &str = "[REDACTED]";

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

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
        write!(f, "Secret({REDACTED})")
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
