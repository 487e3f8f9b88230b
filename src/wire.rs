//! What the request types share: setters, and enums read from their wire strings.

use serde::de::{DeserializeOwned, IntoDeserializer, value::Error as ValueError};

use crate::error::{Error, ErrorKind, Result};

/// The variant of `T` whose serde name is `value`. The error lists the
/// accepted values (serde's list) but never quotes `value`, which may come
/// from anywhere.
pub(crate) fn parse<T: DeserializeOwned>(value: &str, what: &str) -> Result<T> {
    T::deserialize(value.into_deserializer()).map_err(|e: ValueError| {
        let text = e.to_string();
        let expected = text.rsplit_once(", expected ").map_or("", |(_, list)| list);
        let message = format!("not a {what}; expected {expected}");
        Error::invalid_request(ErrorKind::InvalidValue, message)
    })
}

/// Builder setters: `name: Type;` becomes `pub fn name(mut self, value: Type) -> Self`
/// storing `Some(value.into())` in the field of the same name (the request
/// types are `#[must_use]`). Doc comments carry over.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)+) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value.into());
            self
        }
    )+};
}
pub(crate) use setters;
