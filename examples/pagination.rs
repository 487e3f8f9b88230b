//! Auto-pagination: iterate items across pages, or whole pages with their meta.
//! Pages are fetched lazily, one at a time, with your filters on every request.
//!
//! Run: `cargo run --example pagination` (offline, against the built-in mock).

mod common;

use telnyx_blocking::managed_accounts::{ListManagedAccounts, ManagedAccount};

fn main() -> telnyx_blocking::Result<()> {
    let (client, _backend) = common::connect()?;
    let accounts = client.managed_accounts();

    println!(
        "\n# Every account, item by item (2 per page, cancelled included, to show the paging)"
    );
    for account in accounts.list(
        ListManagedAccounts::new()
            .include_cancelled_accounts(true)
            .page_size(2),
    ) {
        let account = account?;
        println!("{}  {}", account.id, account.email);
    }

    println!("\n# Page by page, with meta");
    for page in accounts
        .list(ListManagedAccounts::new().page_size(2))
        .pages()
    {
        let page = page?;
        println!(
            "page {:?}/{:?}: {} accounts (total {:?})",
            page.meta.page_number,
            page.meta.total_pages,
            page.data.len(),
            page.meta.total_results
        );
    }

    println!("\n# Collect everything, stopping at the first error");
    let all: Vec<ManagedAccount> = accounts
        .list(ListManagedAccounts::new())
        .collect::<Result<_, _>>()?;
    println!("{} accounts", all.len());

    println!("\n# Only the first three (later pages are never fetched)");
    for account in accounts
        .list(ListManagedAccounts::new().page_size(1))
        .take(3)
    {
        println!("{}", account?.email);
    }
    Ok(())
}
