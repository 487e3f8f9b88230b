//! Blocking client for Telnyx's Account Management API (work in progress).
