//! Onboarding customers exactly once: a provisioning script that can be killed
//! at any point and simply run again, with no duplicate accounts.
//!
//! Run: `cargo run --example provisioning`
//!
//! Offline by default: the built-in mock plays the API, and the first run
//! loses the answer of one create (the account is made, the connection drops
//! before the reply) so you can see it recovered. The script then runs a
//! second time, as after a crash: every customer is found, nothing is created.
//! With `TELNYX_LIVE=1` and `TELNYX_API_KEY` set it onboards the same (fake)
//! customers on your real account, once.

mod common;

use telnyx_blocking::RequestOutcome;
use telnyx_blocking::managed_accounts::{CreateManagedAccount, ProvisionOutcome};
use telnyx_blocking::mock::{MockFault, MockRule};

use common::Backend;

/// The customers to onboard: business name, account email, your own customer id.
const CUSTOMERS: [(&str, &str, &str); 4] = [
    (
        "Northwind Traders",
        "telecom@northwind.example.com",
        "cust-1001",
    ),
    ("Contoso Pharmacy", "it@contoso.example.com", "cust-1002"),
    (
        "Fabrikam Garden Supply",
        "ops@fabrikam.example.org",
        "cust-1003",
    ),
    ("Tailspin Tours", "admin@tailspin.example.net", "cust-1004"),
];

fn main() {
    match run() {
        Ok(0) => {}
        // Some customers are not done: exit non-zero so a wrapper runs it again.
        Ok(_) => std::process::exit(2),
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}

/// Onboards everyone; returns how many customers the last run left undone.
fn run() -> telnyx_blocking::Result<usize> {
    let (client, backend) = common::connect()?;
    if let Backend::Mock(server) = &backend {
        // The second create is processed, then its answer is lost.
        server.fail(
            MockRule::on("POST", "/managed_accounts").after(1),
            MockFault::ResetAfterProcessing,
        );
    }
    // Offline, run twice, as a re-run after a crash would: the second run
    // finds every account and creates nothing.
    let runs = if matches!(backend, Backend::Mock(_)) {
        2
    } else {
        1
    };
    let mut failures = 0;
    for run in 1..=runs {
        println!("\nRun {run}:");
        failures = onboard(&client);
        if failures > 0 {
            println!("{failures} customer(s) not done: run the script again");
        }
    }
    Ok(failures)
}

/// Provisions every customer, printing what happened; returns how many failed.
fn onboard(client: &telnyx_blocking::Telnyx) -> usize {
    let accounts = client.managed_accounts();
    let mut failures = 0;
    for (name, email, customer_id) in CUSTOMERS {
        let request = CreateManagedAccount::new(name)
            .email(email)
            // Where the API honours it, a repeat with this key is answered
            // with the first result; create_or_find does not depend on it.
            .idempotency_key(format!("{customer_id}:create"));
        match accounts.create_or_find(request) {
            Ok(done) => {
                let how = match done.how {
                    ProvisionOutcome::Created => "created",
                    ProvisionOutcome::Existing => "existing",
                    ProvisionOutcome::Recovered => "recovered",
                    _ => "provisioned",
                };
                println!("  {customer_id} {name:<24} {how:<9} {}", done.account.id);
            }
            Err(err) if err.outcome() == RequestOutcome::Unknown => {
                failures += 1;
                println!("  {customer_id} {name:<24} outcome unknown, re-run to resolve: {err}");
            }
            Err(err) => {
                failures += 1;
                println!("  {customer_id} {name:<24} not created: {err}");
            }
        }
    }
    failures
}
