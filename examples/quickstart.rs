//! Quickstart: lists your managed accounts.
//!
//! Run with `cargo run --example quickstart`. Reads `TELNYX_API_KEY`.
use telnyx_blocking::Telnyx;
use telnyx_blocking::managed_accounts::ListManagedAccounts;

fn main() {
    if std::env::var_os("TELNYX_API_KEY").is_none() {
        println!("Set TELNYX_API_KEY to your Telnyx API key to run this example.");
        return;
    }
    if let Err(err) = run() {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

fn run() -> telnyx_blocking::Result<()> {
    let client = Telnyx::from_env()?;
    for account in client
        .managed_accounts()
        .list(ListManagedAccounts::new().page_size(20))
        .take(20)
    {
        let account = account?;
        println!("{}  {}", account.id, account.email);
    }
    Ok(())
}
