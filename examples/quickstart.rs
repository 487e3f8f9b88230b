//! Quickstart: a tour of the whole API in one run.
//!
//! `cargo run --example quickstart`
//!
//! Without `TELNYX_API_KEY` it starts the built-in mock server (no network, no
//! account needed) and runs every operation. With `TELNYX_API_KEY` set it makes
//! read-only calls (list accounts, allocatable channels, list users) to
//! `TELNYX_BASE_URL` when that is set, else to the real API.

use std::sync::{Arc, Mutex};

use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, EnableManagedAccount, ListManagedAccounts, ManagedAccountStatus,
    UpdateGlobalChannelLimit, UpdateManagedAccount,
};
use telnyx_blocking::mock::MockServer;
use telnyx_blocking::organizations::users::{ListOrganizationUsers, RetrieveOrganizationUser};
use telnyx_blocking::{CallOptions, Error, Telnyx};

fn main() {
    let result = match std::env::var("TELNYX_API_KEY") {
        Ok(key) if !key.trim().is_empty() => live_read_only(),
        _ => offline_tour(),
    };
    if let Err(err) = result {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

/// Read-only calls against the real API.
fn live_read_only() -> telnyx_blocking::Result<()> {
    // TELNYX_BASE_URL, when set, is where the calls really go.
    let client = Telnyx::from_env()?;
    println!(
        "TELNYX_API_KEY is set: making read-only calls to {}",
        client.base_url()
    );
    println!("\nManaged accounts (first 10):");
    for account in client
        .managed_accounts()
        .list(ListManagedAccounts::new().page_size(10))
        .take(10)
    {
        let account = account?;
        println!("  {}  {}", account.id, account.email);
    }
    let channels = client
        .managed_accounts()
        .get_allocatable_global_outbound_channels()?;
    println!(
        "\nAllocatable global outbound channels: {:?} (allocated {:?})",
        channels.allocatable_global_outbound_channels, channels.total_global_channels_allocated
    );
    println!("\nOrganization users (first 10):");
    for user in client
        .organizations()
        .users()
        .list(ListOrganizationUsers::new().page_size(10))
        .take(10)
    {
        let user = user?;
        println!(
            "  {}  {}",
            user.id.unwrap_or_default(),
            user.email.unwrap_or_default()
        );
    }
    Ok(())
}

/// Every operation against the offline mock.
fn offline_tour() -> telnyx_blocking::Result<()> {
    let server = MockServer::start();
    println!(
        "TELNYX_API_KEY is not set: using the built-in mock at {}",
        server.url()
    );
    println!("(set TELNYX_API_KEY to make read-only calls to the real API)\n");

    // In your code: `let client = Telnyx::from_env()?;`
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()?;
    let accounts = client.managed_accounts();

    let created = accounts
        .create(CreateManagedAccount::new("Larry's Cat Food Inc").email("larry@example.com"))?;
    println!(
        "created managed account   {} ({})",
        created.id, created.email
    );

    let found: Vec<_> = accounts
        .list(ListManagedAccounts::new().email_contains("larry"))
        .collect::<Result<_, _>>()?;
    println!("list email contains larry {} match(es)", found.len());

    // A successful call's request id (what Telnyx support asks for) and rate
    // limit reach a response hook; a copy of the client with one costs nothing.
    let request_id = Arc::new(Mutex::new(None));
    let sink = request_id.clone();
    let traced = client.with_options(CallOptions::new().on_response(move |meta| {
        *sink.lock().unwrap() = meta.request_id().map(str::to_owned);
    }))?;
    let account = traced.managed_accounts().retrieve(&created.id)?;
    println!(
        "retrieved                 {:?}, balance {:?}, request id {}",
        account.organization_name,
        account.balance.and_then(|b| b.balance),
        request_id.lock().unwrap().as_deref().unwrap_or("-")
    );

    let account = accounts.update(
        &created.id,
        UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
    )?;
    println!(
        "updated                   custom pricing = {:?}",
        account.managed_account_allow_custom_pricing
    );

    accounts.actions().disable(&created.id)?;
    let disabled = accounts
        .list(ListManagedAccounts::new().status(ManagedAccountStatus::Disabled))
        .count();
    println!("disabled                  {disabled} disabled account(s) listed");
    accounts
        .actions()
        .enable(&created.id, EnableManagedAccount::new())?;
    println!("enabled                   again");

    let limit = accounts.update_global_channel_limit(
        &created.id,
        UpdateGlobalChannelLimit::new().channel_limit(30),
    )?;
    println!("channel limit             {:?}", limit.channel_limit);
    let channels = accounts.get_allocatable_global_outbound_channels()?;
    println!(
        "allocatable channels      {:?} (allocated {:?})",
        channels.allocatable_global_outbound_channels, channels.total_global_channels_allocated
    );

    let users = client.organizations().users();
    println!("organization users:");
    for user in users.list(ListOrganizationUsers::new().include_groups(true)) {
        let user = user?;
        let groups: Vec<_> = user
            .groups
            .iter()
            .flatten()
            .map(|g| g.name.as_str())
            .collect();
        println!(
            "  {:<32} {:<10} [{}]",
            user.email.unwrap_or_default(),
            user.user_status.map(|s| s.to_string()).unwrap_or_default(),
            groups.join(", ")
        );
    }
    let report = users.get_groups_report()?;
    println!("groups report (JSON)      {} user(s)", report.len());
    let csv = users.get_groups_report_csv()?;
    println!("groups report (CSV):");
    for line in csv.lines() {
        println!("  {line}");
    }
    // The mock's disabled sub-user: read it with its groups, then remove it.
    if let Some(id) = report
        .iter()
        .find(|entry| entry.email == "sales@example.com")
        .map(|entry| entry.id.clone())
    {
        let user = users.retrieve(&id, RetrieveOrganizationUser::new().include_groups(true))?;
        println!(
            "retrieved user            {} ({} group(s))",
            user.email.unwrap_or_default(),
            user.groups.map_or(0, |g| g.len())
        );
        users.actions().remove(&id)?;
        let gone = users.retrieve(&id, RetrieveOrganizationUser::new());
        println!(
            "removed user              a second retrieve answers {:?}",
            gone.err().and_then(|e| e.status())
        );
    }

    match accounts.retrieve("00000000-0000-4000-8000-000000000000") {
        Err(Error::Api(e)) => println!(
            "retrieve unknown id       HTTP {}: {}",
            e.status(),
            e.message()
        ),
        other => println!("retrieve unknown id       unexpected: {other:?}"),
    }
    println!(
        "\nDone. Next: examples/managed_accounts.rs, organization_users.rs, error_handling.rs, pagination.rs, bulk_export.rs"
    );
    Ok(())
}
