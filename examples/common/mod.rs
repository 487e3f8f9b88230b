//! Shared by the examples: a client for the built-in mock, or for the real API
//! when you opt in.
#![allow(dead_code)]

use telnyx_blocking::Telnyx;
use telnyx_blocking::mock::MockServer;

/// Where the examples send their requests.
pub enum Backend {
    /// The offline mock; it lives as long as this value.
    Mock(MockServer),
    /// The real API (`TELNYX_LIVE=1` and `TELNYX_API_KEY` set).
    Live,
}

/// The mock, unless `TELNYX_LIVE=1` asks for the real API. The examples change
/// data (create, disable, remove), so they never touch a real account by accident.
pub fn connect() -> telnyx_blocking::Result<(Telnyx, Backend)> {
    if std::env::var("TELNYX_LIVE").as_deref() == Ok("1") {
        println!("Calling the real Telnyx API (TELNYX_LIVE=1).");
        return Ok((Telnyx::from_env()?, Backend::Live));
    }
    let server = MockServer::start();
    println!(
        "Using the built-in mock at {} (set TELNYX_LIVE=1 and TELNYX_API_KEY for the real API).",
        server.url()
    );
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()?;
    Ok((client, Backend::Mock(server)))
}
