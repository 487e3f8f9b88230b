//! Error handling, as in Telnyx's guides: connection errors, rate limits (429,
//! waiting for `Retry-After`) and API status errors (401/403/404/422), plus the
//! mistakes the client catches before sending anything. Every branch matches on
//! a variant and a kind, never on message text.
//!
//! Run: `cargo run --example error_handling` (offline: the built-in mock injects
//! the failures, and a closed local port shows a connection error).

use std::time::Duration;

use telnyx_blocking::managed_accounts::UpdateGlobalChannelLimit;
use telnyx_blocking::mock::{MockFault, MockServer};
use telnyx_blocking::{Error, ErrorKind, Telnyx};

/// What a caller typically does with each kind of failure.
fn handle(err: &Error) {
    match err {
        Error::Connection(e) => println!("network error, check connectivity and retry: {e}"),
        Error::Timeout(e) => println!("the API did not answer in time: {e}"),
        Error::RateLimited(e) => {
            // The client already retried (twice by default); this is what is left.
            let wait = e.retry_after().unwrap_or(Duration::from_secs(1));
            println!("rate limited, waiting {wait:?} before trying again");
            std::thread::sleep(wait.min(Duration::from_secs(1))); // capped for the demo
        }
        Error::Api(e) => {
            println!("API error {}: {}", e.status(), e.message());
            match e.kind() {
                ErrorKind::Authentication => println!("  check TELNYX_API_KEY"),
                ErrorKind::NotFound => println!("  no such resource"),
                ErrorKind::UnprocessableEntity => {
                    println!("  check required fields and formats")
                }
                _ => {}
            }
            if let Some(id) = e.request_id() {
                println!("  request id for Telnyx support: {id}");
            }
        }
        Error::Config(e) => match e.kind() {
            ErrorKind::MissingApiKey => println!("set TELNYX_API_KEY: {}", e.message()),
            ErrorKind::InvalidValue => println!("fix the client settings: {}", e.message()),
            _ => println!("{e}"),
        },
        Error::InvalidRequest(e) => match e.kind() {
            ErrorKind::InvalidId => println!("bad id, nothing was sent: {}", e.message()),
            ErrorKind::InvalidValue => println!("bad value, nothing was sent: {}", e.message()),
            _ => println!("{e} (nothing was sent)"),
        },
        other => println!("other error: {other}"),
    }
}

fn main() -> telnyx_blocking::Result<()> {
    let server = MockServer::start();
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .max_retries(0) // show each failure as it happens
        .build()?;
    let accounts = client.managed_accounts();

    println!("# 404: an id that does not exist");
    if let Err(err) = accounts.retrieve("00000000-0000-4000-8000-000000000000") {
        handle(&err);
    }

    println!("\n# 422: a create without a business name");
    if let Err(err) =
        accounts.create(telnyx_blocking::managed_accounts::CreateManagedAccount::new(""))
    {
        handle(&err);
    }

    println!("\n# 429: rate limited, with Retry-After");
    server.fail_next(
        1,
        MockFault::RateLimited {
            retry_after_secs: 1,
        },
    );
    if let Err(err) = accounts.get_allocatable_global_outbound_channels() {
        handle(&err);
    }

    println!("\n# 429 again, but this time the client's own retries absorb it");
    server.fail_next(
        1,
        MockFault::RateLimited {
            retry_after_secs: 0,
        },
    );
    let patient = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()?;
    let channels = patient
        .managed_accounts()
        .get_allocatable_global_outbound_channels()?;
    println!(
        "succeeded after a retry: {:?} channels",
        channels.allocatable_global_outbound_channels
    );

    println!("\n# 401: a wrong API key");
    let wrong = Telnyx::builder()
        .api_key("KEY_WRONG")
        .base_url(server.url())
        .build()?;
    if let Err(err) = wrong
        .managed_accounts()
        .get_allocatable_global_outbound_channels()
    {
        handle(&err);
    }

    println!("\n# Caught before sending: a negative channel limit, an empty id, a zero timeout");
    let negative = UpdateGlobalChannelLimit::new().channel_limit(-1);
    if let Err(err) = accounts.update_global_channel_limit("any", negative) {
        handle(&err);
    }
    if let Err(err) = accounts.retrieve("") {
        handle(&err);
    }
    if let Err(err) = Telnyx::builder()
        .api_key("KEY_EXAMPLE")
        .timeout(Duration::ZERO)
        .build()
    {
        handle(&err);
    }

    println!("\n# Connection error: nothing listens on the port");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    let offline = Telnyx::builder()
        .api_key("KEY_EXAMPLE")
        .base_url(format!("http://127.0.0.1:{closed}"))
        .max_retries(0)
        .build()?;
    if let Err(err) = offline.managed_accounts().retrieve("any") {
        handle(&err);
    }
    Ok(())
}
