//! Closed enums that travel as fixed strings (`enabled`, `-email`, …): one
//! parser and one serde mapping for all of them, driven by each enum's table.

use std::fmt;

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serializer};

/// A closed enum with one wire string per variant.
pub(crate) trait WireEnum: Copy + 'static {
    /// What the enum is, for error messages: "managed account status".
    const WHAT: &'static str;
    /// Every variant, so the string table lives in `wire` alone.
    const ALL: &'static [Self];
    /// The variant's string on the wire.
    fn wire(self) -> &'static str;
}

/// The variant whose wire string is `value`.
pub(crate) fn parse<T: WireEnum>(value: &str) -> Result<T, ParseEnumError> {
    T::ALL
        .iter()
        .copied()
        .find(|v| v.wire() == value)
        .ok_or_else(|| ParseEnumError {
            what: T::WHAT,
            expected: T::ALL.iter().map(|v| v.wire()).collect(),
        })
}

pub(crate) fn serialize<T: WireEnum, S: Serializer>(
    value: T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire())
}

pub(crate) fn deserialize<'de, T: WireEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    parse(&value).map_err(D::Error::custom)
}

/// A string that is none of an enum's wire values, from `str::parse` of
/// [`ManagedAccountStatus`](crate::managed_accounts::ManagedAccountStatus) or
/// [`ManagedAccountSort`](crate::managed_accounts::ManagedAccountSort).
///
/// The message lists the accepted values; it never quotes the input, which
/// may come from anywhere.
///
/// ```
/// use telnyx_blocking::managed_accounts::ManagedAccountSort;
///
/// let err = "newest".parse::<ManagedAccountSort>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "not a managed account sort; expected one of: created_at, -created_at, email, -email"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    what: &'static str,
    expected: Vec<&'static str>,
}

impl ParseEnumError {
    /// The values that would have parsed, in declaration order.
    pub fn expected(&self) -> &[&'static str] {
        &self.expected
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a {}; expected one of: {}",
            self.what,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseEnumError {}

/// Implements [`WireEnum`], `Display`, `FromStr` (error [`ParseEnumError`]) and
/// serde for an enum with a `fn as_str(self) -> &'static str`. A macro because
/// a function cannot implement traits and a blanket impl of std's traits is
/// not allowed; every body is a call to the functions above.
macro_rules! wire_enum {
    ($ty:ident, $what:literal, [$($variant:ident),+ $(,)?]) => {
        impl $crate::wire::WireEnum for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            fn wire(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::wire::ParseEnumError;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::wire::parse(value)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::wire::serialize(*self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use wire_enum;
