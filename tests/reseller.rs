//! The newcomer's task from issue 17, written the way the README and the crate
//! docs say: a reseller script that creates accounts, filters them, disables
//! one and exports CSV, with its unit tests built from model constructors (no
//! JSON) and its integration test against `MockServer` (errors matched on
//! kinds, never on message text).

use telnyx_blocking::managed_accounts::{
    Balance, CreateManagedAccount, ListManagedAccounts, ManagedAccount, ManagedAccountSort,
    ManagedAccountStatus, UpdateGlobalChannelLimit,
};
use telnyx_blocking::mock::MockServer;
use telnyx_blocking::{Error, ErrorKind, Telnyx};

// ---- the user's script -----------------------------------------------------

/// One CSV row per account: id, email, organization, balance.
fn to_csv(accounts: &[ManagedAccount]) -> String {
    let mut out = String::from("id,email,organization,balance\n");
    for a in accounts {
        let balance = a.balance.as_ref().and_then(|b| b.balance.as_deref());
        out.push_str(&format!(
            "{},{},{},{}\n",
            a.id,
            a.email,
            a.organization_name.as_deref().unwrap_or(""),
            balance.unwrap_or("")
        ));
    }
    out
}

fn accounts_matching(client: &Telnyx, text: &str) -> telnyx_blocking::Result<Vec<ManagedAccount>> {
    client
        .managed_accounts()
        .list(
            ListManagedAccounts::new()
                .email_contains(text)
                .sort(ManagedAccountSort::Email),
        )
        .collect()
}

// ---- its tests --------------------------------------------------------------

#[test]
fn csv_from_constructed_models() {
    let mut a = ManagedAccount::new("id-a", "a@reseller.example.com");
    a.organization_name = Some("A Co".to_owned());
    let mut balance = Balance::new();
    balance.balance = Some("10.00".to_owned());
    a.balance = Some(balance);
    let b = ManagedAccount::new("id-b", "b@reseller.example.com");
    assert_eq!(
        to_csv(&[a, b]),
        "id,email,organization,balance\n\
         id-a,a@reseller.example.com,A Co,10.00\n\
         id-b,b@reseller.example.com,,\n"
    );
}

#[test]
fn create_filter_disable_export_against_the_mock() {
    let server = MockServer::builder().start(); // empty
    let client = Telnyx::builder()
        .read_env(false)
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let accounts = client.managed_accounts();
    for (name, email) in [
        ("Beta Co", "beta@reseller.example.com"),
        ("Alpha Co", "alpha@reseller.example.com"),
        ("Other Co", "someone@elsewhere.example.org"),
    ] {
        accounts
            .create(CreateManagedAccount::new(name).email(email))
            .unwrap();
    }

    let mine = accounts_matching(&client, "reseller").unwrap();
    let emails: Vec<_> = mine.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(
        emails,
        ["alpha@reseller.example.com", "beta@reseller.example.com"]
    );

    accounts.actions().disable(&mine[0].id).unwrap();
    let disabled: Vec<ManagedAccount> = accounts
        .list(ListManagedAccounts::new().status(ManagedAccountStatus::Disabled))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(disabled.len(), 1);
    assert_eq!(disabled[0].id, mine[0].id);

    let csv = to_csv(&mine);
    assert_eq!(csv.lines().count(), 3);
    assert!(
        csv.contains(",alpha@reseller.example.com,Alpha Co,"),
        "{csv}"
    );

    // A mistake in the script is a kind to match, and nothing reaches the server.
    let before = server.request_count();
    let err = accounts
        .update_global_channel_limit(
            &mine[0].id,
            UpdateGlobalChannelLimit::new().channel_limit(-5),
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(e) if e.kind() == ErrorKind::InvalidValue),
        "{err:?}"
    );
    assert_eq!(server.request_count(), before);
}
