//! Managed accounts, every operation in the order of Telnyx's guide: list with
//! filters, create, allocatable channels, retrieve, update, disable, enable and
//! the channel limit.
//!
//! Run: `cargo run --example managed_accounts` (offline, against the built-in mock).
//! With `TELNYX_LIVE=1 TELNYX_API_KEY=...` it calls the real API and CREATES an account.

mod common;

use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, EnableManagedAccount, ListManagedAccounts, ManagedAccountSort,
    ManagedAccountStatus, UpdateGlobalChannelLimit, UpdateManagedAccount,
};

fn main() -> telnyx_blocking::Result<()> {
    let (client, _backend) = common::connect()?;
    let accounts = client.managed_accounts();

    // Lists accounts managed by the current user (GET /managed_accounts).
    println!("\n# List managed accounts (enabled, sorted by email)");
    let list = ListManagedAccounts::new()
        .status(ManagedAccountStatus::Enabled)
        .sort(ManagedAccountSort::Email)
        .page_size(50);
    for account in accounts.list(list) {
        let account = account?;
        println!(
            "{}  {}  {:?}",
            account.id, account.email, account.organization_name
        );
    }

    // Create a new managed account (POST /managed_accounts).
    println!("\n# Create a managed account");
    let created = accounts.create(
        CreateManagedAccount::new("Larry's Cat Food Inc")
            .email("larry_cat_food@example.com")
            .managed_account_allow_custom_pricing(false)
            .rollup_billing(false),
    )?;
    println!(
        "created {} ({}), api_key {:?}",
        created.id, created.email, created.api_key
    );

    // Allocatable global outbound channels (GET /managed_accounts/allocatable_global_outbound_channels).
    println!("\n# Allocatable global outbound channels");
    let channels = accounts.get_allocatable_global_outbound_channels()?;
    println!(
        "allocatable {:?}, allocated {:?}",
        channels.allocatable_global_outbound_channels, channels.total_global_channels_allocated
    );

    // Retrieve a managed account (GET /managed_accounts/{id}).
    println!("\n# Retrieve");
    let account = accounts.retrieve(&created.id)?;
    println!(
        "{} balance {:?}",
        account.email,
        account.balance.and_then(|b| b.balance)
    );

    // Update a managed account (PATCH /managed_accounts/{id}).
    println!("\n# Update");
    let account = accounts.update(
        &created.id,
        UpdateManagedAccount::new().managed_account_allow_custom_pricing(true),
    )?;
    println!(
        "custom pricing now {:?}",
        account.managed_account_allow_custom_pricing
    );

    // Disable, then enable (POST /managed_accounts/{id}/actions/disable|enable).
    println!("\n# Disable and enable");
    accounts.actions().disable(&created.id)?;
    let disabled = accounts
        .list(ListManagedAccounts::new().status(ManagedAccountStatus::Disabled))
        .filter_map(Result::ok)
        .any(|a| a.id == created.id);
    println!("disabled: listed as disabled = {disabled}");
    accounts.actions().enable(
        &created.id,
        EnableManagedAccount::new().reenable_all_connections(true),
    )?;
    println!("enabled again");

    // Update the global channel limit (PATCH /managed_accounts/{id}/update_global_channel_limit).
    println!("\n# Update the global channel limit");
    let limit = accounts.update_global_channel_limit(
        &created.id,
        UpdateGlobalChannelLimit::new().channel_limit(30),
    )?;
    println!(
        "{:?} now has {:?} channels",
        limit.email, limit.channel_limit
    );
    Ok(())
}
