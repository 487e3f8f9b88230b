//! Onboarding customers exactly once, from a CSV, in the fewest requests: a
//! provisioning script that can be killed at any point and simply run again.
//!
//! ```sh
//! cargo run --example provisioning                    # the embedded CSV, offline
//! cargo run --example provisioning -- customers.csv   # your CSV: business_name,email,customer_id
//! ```
//!
//! Offline by default: the built-in mock plays the API, and the first run loses
//! the answer of one create (the account is made, the connection drops before
//! the reply) so you can see it recovered. The script then runs a second time,
//! as after a crash: every customer is found by one listing pass, nothing is
//! created. With `TELNYX_LIVE=1` and `TELNYX_API_KEY` set it onboards the CSV on
//! your real account, once.
//!
//! Progress goes to stderr; each row's outcome goes to stdout as CSV
//! (`customer_id,outcome,account_id,error`), so it can be piped into a file.

mod common;

use std::io::Write;
use std::sync::Arc;
use std::sync::{Mutex, PoisonError};

use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOptions};
use telnyx_blocking::mock::{MockFault, MockRule};

use common::Backend;

/// Fake customers (the default when no CSV file is named).
const EMBEDDED_CSV: &str = "\
business_name,email,customer_id
Northwind Traders,telecom@northwind.example.com,cust-1001
Contoso Pharmacy,it@contoso.example.com,cust-1002
Fabrikam Garden Supply,ops@fabrikam.example.org,cust-1003
Tailspin Tours,admin@tailspin.example.net,cust-1004
Wide World Importers,accounts@wideworld.example.com,cust-1005
Tailspin Tours (duplicate row),ADMIN@tailspin.example.net,cust-1004b
";

fn main() {
    match run() {
        Ok(0) => {}
        // Some rows are not done: exit non-zero so a wrapper runs it again.
        Ok(_) => std::process::exit(2),
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}

/// One CSV row: the request to make and the caller's own id for it.
fn parse(csv: &str) -> Vec<(String, CreateManagedAccount)> {
    csv.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.split(',').map(str::trim);
            let (name, email, id) = (
                fields.next().unwrap_or_default(),
                fields.next().unwrap_or_default(),
                fields.next().unwrap_or_default(),
            );
            let mut request = CreateManagedAccount::new(name)
                // Where the API honours it, a repeat with this key is answered
                // with the first result; nothing here depends on it.
                .idempotency_key(CreateManagedAccount::idempotency_key_from(id));
            if !email.is_empty() {
                request = request.email(email);
            }
            (id.to_owned(), request)
        })
        .collect()
}

/// Onboards every row; returns how many rows the last run left undone.
fn run() -> telnyx_blocking::Result<usize> {
    let csv = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(1)
        }),
        None => EMBEDDED_CSV.to_owned(),
    };
    let (client, backend) = common::connect()?;
    if let Backend::Mock(server) = &backend {
        // The second create is processed, then its answer is lost.
        server.fail(
            MockRule::on("POST", "/v2/managed_accounts").after(1),
            MockFault::ResetAfterProcessing,
        );
    }
    // Offline, run twice, as a re-run after a crash would.
    let runs = if matches!(backend, Backend::Mock(_)) {
        2
    } else {
        1
    };
    let mut failures = 0;
    for run in 1..=runs {
        eprintln!("\nRun {run}:");
        failures = onboard(&client, parse(&csv));
        if failures > 0 {
            eprintln!("{failures} row(s) not done: run the script again");
        }
    }
    Ok(failures)
}

/// Provisions the rows, drawing progress on stderr and printing each row's
/// outcome on stdout; returns how many failed.
fn onboard(client: &telnyx_blocking::Telnyx, rows: Vec<(String, CreateManagedAccount)>) -> usize {
    let total = rows.len();
    // Rows finish on several threads: one lock keeps the bar's count and its drawing in step.
    let finished = Arc::new(Mutex::new(0_usize));
    let progress = Arc::clone(&finished);
    let options = ProvisionOptions::new().concurrency(4).on_row(move |_, _| {
        let mut done = progress.lock().unwrap_or_else(PoisonError::into_inner);
        *done += 1;
        let done = *done;
        let bar = "#".repeat(done * 30 / total.max(1));
        eprint!("\r  [{bar:<30}] {done}/{total}");
        let _ = std::io::stderr().flush();
    });
    let (ids, requests): (Vec<String>, Vec<CreateManagedAccount>) = rows.into_iter().unzip();
    let results = client
        .managed_accounts()
        .create_or_find_all(requests, options);
    eprintln!();
    println!("customer_id,outcome,account_id,error");
    let mut failures = 0;
    for (id, result) in ids.iter().zip(&results) {
        match result {
            Ok(done) => println!("{id},{},{},", done.how, done.account.id),
            Err(err) => {
                failures += 1;
                // `outcome()` says whether a re-run is needed to learn the result.
                println!("{id},failed,,\"{:?}: {err}\"", err.outcome());
            }
        }
    }
    failures
}
