//! Bulk export: every managed account as CSV, paced on the rate limit the API
//! reports with each page (`x-ratelimit-remaining`, `x-ratelimit-reset`).
//!
//! ```sh
//! cargo run --example bulk_export                      # offline, against the built-in mock
//! TELNYX_LOG=debug cargo run --example bulk_export     # plus one log line per request
//! TELNYX_LIVE=1 TELNYX_API_KEY=… cargo run --example bulk_export -- accounts.csv
//! ```
//!
//! The CSV goes to the file named on the command line, else to stdout; progress
//! and logs go to stderr. The mock sends `x-ratelimit-limit`, `-remaining` and
//! `-reset` like the API (a window of 100 requests unless its builder says
//! otherwise), so offline the pacing runs too; against the real API the export
//! slows down when few requests are left in the window.
//!
//! Logging: the crate logs through the `log` facade and installs no logger. This
//! example installs a tiny one that honours `TELNYX_LOG=debug|info` as the
//! official SDKs do, and prints only the crate's own records (target
//! `telnyx_blocking`). With `env_logger` in your program use
//! `RUST_LOG=telnyx_blocking=debug`; never let `ureq` or `ureq_proto` log at
//! `trace`, which dumps the raw request (the API key) and every response.

mod common;

use std::io::Write;
use std::time::Duration;

use log::{Level, LevelFilter, Log, Metadata, Record};
use telnyx_blocking::RateLimitInfo;
use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccountSort};

/// Slow down when this few requests are left in the window.
const LOW_WATER: u64 = 5;
/// Never pause longer than this between pages, whatever the server says.
const MAX_PAUSE: Duration = Duration::from_secs(60);

fn main() -> telnyx_blocking::Result<()> {
    install_logger();
    let (client, _backend) = common::connect()?;
    let mut out: Box<dyn Write> = match std::env::args_os().nth(1) {
        Some(path) => match std::fs::File::create(&path) {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(e) => {
                eprintln!("cannot create {}: {e}", path.to_string_lossy());
                std::process::exit(2);
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let _ = writeln!(out, "id,email,organization_name,created_at");

    let list = ListManagedAccounts::new()
        // A stable order, so accounts created meanwhile do not shift the pages.
        .sort(ManagedAccountSort::CreatedAt)
        .include_cancelled_accounts(true)
        .page_size(2);
    let mut exported = 0;
    let mut warned = false;
    for page in client.managed_accounts().list(list).pages() {
        let page = page?;
        for account in &page.data {
            let _ = writeln!(
                out,
                "{},{},{},{}",
                csv(&account.id),
                csv(&account.email),
                csv(account.organization_name.as_deref().unwrap_or("")),
                csv(&account.created_at),
            );
        }
        exported += page.data.len();
        let response = page.response();
        let limit = response.rate_limit();
        eprintln!(
            "page {:?}/{:?}: {} accounts, request id {}, {} requests left",
            page.meta.page_number,
            page.meta.total_pages,
            page.data.len(),
            response.request_id().unwrap_or("-"),
            limit
                .remaining
                .map_or_else(|| "?".to_owned(), |r| r.to_string()),
        );
        if limit.remaining.is_none() && !warned {
            eprintln!("  (no x-ratelimit-remaining header: pacing off)");
            warned = true;
        }
        if let Some(pause) = pause_before_next(limit) {
            eprintln!("  pausing {pause:?} for the rate-limit window to reset");
            std::thread::sleep(pause);
        }
    }
    let _ = out.flush();
    eprintln!("exported {exported} accounts");
    Ok(())
}

/// How long to wait before the next page: none while enough requests are left,
/// else until the window resets (the server's `x-ratelimit-reset`, or 1 s when
/// it gave none), at most [`MAX_PAUSE`]. Without the headers, no pacing.
fn pause_before_next(limit: &RateLimitInfo) -> Option<Duration> {
    match limit.remaining? {
        left if left > LOW_WATER => None,
        _ => Some(limit.reset.unwrap_or(Duration::from_secs(1)).min(MAX_PAUSE)),
    }
}

/// One CSV field: quoted when it holds a comma, a quote or a line break.
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Prints the crate's log records to stderr at the level `TELNYX_LOG` names
/// (`debug` or `info`); nothing when it is unset.
fn install_logger() {
    struct Stderr(Level);
    impl Log for Stderr {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            // The crate's own records only: ureq's, at trace, would dump the wire.
            metadata.target() == "telnyx_blocking" && metadata.level() <= self.0
        }
        fn log(&self, record: &Record<'_>) {
            if self.enabled(record.metadata()) {
                eprintln!("[{}] {}", record.level(), record.args());
            }
        }
        fn flush(&self) {}
    }
    let level = match std::env::var("TELNYX_LOG").as_deref() {
        Ok("debug") => Level::Debug,
        Ok("info") => Level::Info,
        _ => return,
    };
    static DEBUG: Stderr = Stderr(Level::Debug);
    static INFO: Stderr = Stderr(Level::Info);
    let logger = if level == Level::Debug { &DEBUG } else { &INFO };
    if log::set_logger(logger).is_ok() {
        log::set_max_level(LevelFilter::Debug);
    }
}
