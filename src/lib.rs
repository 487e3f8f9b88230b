//! Blocking client for Telnyx's Account Management API (work in progress).

/// An offline stand-in for the Account Management API on a loopback port,
/// for tests and for running examples without an API key (feature `mock`).
#[cfg(feature = "mock")]
pub mod mock;
