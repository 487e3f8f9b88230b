//! A blocking, minimal-dependency client for Telnyx's Account Management API:
//! managed accounts and organization users.
//!
//! ```no_run
//! use telnyx_blocking::Telnyx;
//! use telnyx_blocking::managed_accounts::ListManagedAccounts;
//!
//! let client = Telnyx::from_env()?; // TELNYX_API_KEY
//! for account in client.managed_accounts().list(ListManagedAccounts::new().email_contains("acme")) {
//!     let account = account?;
//!     println!("{} {}", account.id, account.email);
//! }
//! # Ok::<(), telnyx_blocking::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod error;
pub mod managed_accounts;
/// An offline stand-in for the Account Management API on a loopback port,
/// for tests and for running examples without an API key (feature `mock`).
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod organizations;
pub mod pagination;
mod resolver;
mod secret;
mod transport;

pub use crate::client::{API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, Telnyx, TelnyxBuilder};
pub use crate::error::{
    ApiError, ApiErrorDetail, ApiErrorKind, ApiErrorSource, DecodeError, Error, RateLimitInfo,
    Result, TransportError,
};
pub use crate::secret::Secret;
