//! Closed enums that travel as fixed strings (`enabled`, `-email`, …): serde
//! derives map them; `FromStr` goes through the same derive.

use serde::de::{DeserializeOwned, IntoDeserializer, value};

use crate::error::{Error, ErrorKind, Result};

/// Parses `text` as the wire string of `T`, for `FromStr`. The error names
/// `what` and lists the choices, without quoting the input back.
pub(crate) fn parse<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    T::deserialize(IntoDeserializer::<value::Error>::into_deserializer(text)).map_err(|e| {
        let e = e.to_string();
        // The input is quoted first in serde's message: keep only the choices after it.
        let choices = e.rfind("expected ").map_or("", |at| &e[at..]);
        Error::invalid_request(ErrorKind::InvalidValue, format!("not a {what}; {choices}"))
    })
}

/// `Display` and `FromStr` for a wire enum with `fn as_str(self) -> &'static str`.
macro_rules! wire_text {
    ($ty:ident, $what:literal) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::Error;
            fn from_str(text: &str) -> $crate::Result<Self> {
                $crate::wire::parse(text, $what)
            }
        }
    };
}
pub(crate) use wire_text;

/// Chainable setters of optional request fields: `name: Type;` becomes
/// `pub fn name(mut self, value: Type) -> Self`, storing `Some(value.into())`.
macro_rules! setters {
    ($($(#[$attr:meta])* $name:ident: $ty:ty;)+) => {$(
        $(#[$attr])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value.into());
            self
        }
    )+};
}
pub(crate) use setters;
