//! Organization users, every operation in the order of Telnyx's guide: list,
//! groups report (JSON and CSV), retrieve and remove.
//!
//! Run: `cargo run --example organization_users` (offline, against the built-in mock).
//! With `TELNYX_LIVE=1 TELNYX_API_KEY=...` it calls the real API and REMOVES a user.

mod common;

use telnyx_blocking::organizations::users::{
    ListOrganizationUsers, RetrieveOrganizationUser, UserStatus,
};

fn main() -> telnyx_blocking::Result<()> {
    let (client, _backend) = common::connect()?;
    let users = client.organizations().users();

    // List organization users (GET /organizations/users).
    println!("\n# List enabled users with their groups");
    let mut first_id = None;
    for user in users.list(
        ListOrganizationUsers::new()
            .user_status(UserStatus::Enabled)
            .include_groups(true),
    ) {
        let user = user?;
        let groups: Vec<_> = user
            .groups
            .iter()
            .flatten()
            .map(|g| g.name.as_str())
            .collect();
        println!("{:?}  {:?}  [{}]", user.id, user.email, groups.join(", "));
        first_id = first_id.or(user.id);
    }

    // Groups report as JSON (GET /organizations/users/users_groups_report, Accept: application/json).
    println!("\n# Groups report (JSON)");
    for entry in users.get_groups_report()? {
        let groups: Vec<_> = entry.groups.iter().map(|g| g.name.as_str()).collect();
        println!(
            "{} ({}): {}",
            entry.email,
            entry.user_status,
            groups.join(", ")
        );
    }

    // The same report as CSV (Accept: text/csv), returned verbatim.
    println!("\n# Groups report (CSV)");
    print!("{}", users.get_groups_report_csv()?);

    let Some(id) = first_id else {
        println!("\nno users to retrieve");
        return Ok(());
    };

    // Retrieve one user (GET /organizations/users/{id}).
    println!("\n# Retrieve {id}");
    let user = users.retrieve(&id, RetrieveOrganizationUser::new().include_groups(true))?;
    println!("{:?} last signed in {:?}", user.email, user.last_sign_in_at);

    // Remove a user (POST /organizations/users/{id}/actions/remove).
    println!("\n# Remove {id}");
    let removed = users.actions().remove(&id)?;
    println!("removed {:?}", removed.email);
    Ok(())
}
