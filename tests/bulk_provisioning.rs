//! Bulk onboarding (`ManagedAccounts::create_or_find_all`) against `MockServer`:
//! one result per row in input order, one account per email under every create
//! fault, and the fewest requests the API allows (a re-run of a batch already in
//! place costs a handful).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use telnyx_blocking::managed_accounts::{
    CreateManagedAccount, ListManagedAccounts, ManagedAccount, ProvisionOptions, ProvisionOutcome,
};
use telnyx_blocking::mock::{MockAccount, MockFault, MockRetryHint, MockRule, MockServer};
use telnyx_blocking::{Error, Telnyx};

/// A client whose waits are recorded, never slept.
fn client(server: &MockServer, max_retries: u32) -> Telnyx {
    Telnyx::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .max_retries(max_retries)
        .sleep_fn(|_| {})
        .build()
        .unwrap()
}

fn email(n: usize) -> String {
    format!("ops{n}@bulk.example.com")
}

fn rows(range: std::ops::Range<usize>) -> Vec<CreateManagedAccount> {
    range
        .map(|n| CreateManagedAccount::new(format!("Bulk Co {n}")).email(email(n)))
        .collect()
}

fn creates() -> MockRule {
    MockRule::on("POST", "/v2/managed_accounts")
}

/// Every account the mock holds, by lowercased email.
fn accounts_by_email(client: &Telnyx) -> HashMap<String, Vec<ManagedAccount>> {
    let mut by_email: HashMap<String, Vec<ManagedAccount>> = HashMap::new();
    let all = ListManagedAccounts::new()
        .include_cancelled_accounts(true)
        .page_size(250);
    for account in client.managed_accounts().list(all) {
        let account = account.unwrap();
        by_email
            .entry(account.email.to_ascii_lowercase())
            .or_default()
            .push(account);
    }
    by_email
}

/// Exactly one account for each of these emails.
fn assert_one_each(client: &Telnyx, emails: impl IntoIterator<Item = String>) {
    let by_email = accounts_by_email(client);
    for email in emails {
        let n = by_email.get(&email).map_or(0, Vec::len);
        assert_eq!(n, 1, "{email}: {n} accounts");
    }
}

fn posts(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count()
}

#[test]
fn a_large_first_run_then_a_rerun_that_costs_a_handful_of_requests() {
    let server = MockServer::builder().start();
    let client = client(&server, 2);
    let accounts = client.managed_accounts();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let hook = Arc::clone(&seen);
    let options = ProvisionOptions::new()
        .concurrency(4)
        .on_row(move |row, result| hook.lock().unwrap().push((row, result.is_ok())));

    let first = accounts.create_or_find_all(rows(0..1000), options);
    assert_eq!(first.len(), 1000);
    for (n, result) in first.iter().enumerate() {
        let done = result.as_ref().unwrap();
        assert_eq!(done.how, ProvisionOutcome::Created, "row {n}");
        assert_eq!(done.account.email, email(n), "results come in input order");
    }
    let mut hooked = seen.lock().unwrap().clone();
    hooked.sort_unstable();
    assert_eq!(
        hooked,
        (0..1000).map(|n| (n, true)).collect::<Vec<_>>(),
        "one progress call per row"
    );
    // An empty organization: one list page says nothing exists, then one create per row.
    assert_eq!(posts(&server), 1000);
    assert!(
        server.request_count() <= 1002,
        "{} requests",
        server.request_count()
    );

    let before = server.request_count();
    let again = accounts.create_or_find_all(rows(0..1000), ProvisionOptions::new().complete(false));
    for (n, result) in again.iter().enumerate() {
        let done = result.as_ref().unwrap();
        assert_eq!(done.how, ProvisionOutcome::Existing, "row {n}");
        assert_eq!(done.account.id, first[n].as_ref().unwrap().account.id);
    }
    let rerun = server.request_count() - before;
    // 1,000 accounts are 4 pages of 250: the listing pass is the whole cost.
    assert!(rerun <= 5, "a re-run of 1,000 rows cost {rerun} requests");
    assert_one_each(&client, (0..1000).map(email));
}

#[test]
fn a_small_batch_against_a_large_organization_looks_emails_up() {
    let mut builder = MockServer::builder();
    for n in 0..2000 {
        builder = builder.managed_account(MockAccount::new(format!("Big Org {n}")).email(email(n)));
    }
    let server = builder.start();
    let client = client(&server, 2);
    // Two rows that exist (deep in the listing) and one that does not.
    let batch = vec![
        CreateManagedAccount::new("Old Co").email(email(1999)),
        CreateManagedAccount::new("Old Co 2").email(email(1500)),
        CreateManagedAccount::new("New Co").email(email(5000)),
    ];
    let results = client
        .managed_accounts()
        .create_or_find_all(batch, ProvisionOptions::new().complete(false));
    let hows: Vec<_> = results.iter().map(|r| r.as_ref().unwrap().how).collect();
    assert_eq!(
        hows,
        [
            ProvisionOutcome::Existing,
            ProvisionOutcome::Existing,
            ProvisionOutcome::Created
        ]
    );
    let gets = server
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    // 2,000 accounts are 8 pages: a listing pass would cost 8. One page shows the
    // organization is large for 3 rows, then one lookup per row.
    assert!(
        gets <= 4,
        "{gets} GET requests to find 3 rows among 2,000 accounts"
    );
    assert_eq!(posts(&server), 1);
    assert_one_each(&client, [email(1999), email(1500), email(5000)]);
}

#[test]
fn every_create_answer_lost_still_gives_one_account_per_email() {
    let server = MockServer::builder().start();
    let client = client(&server, 2);
    server.fail(creates().times(1000), MockFault::ResetAfterProcessing);
    let results = client
        .managed_accounts()
        .create_or_find_all(rows(0..30), ProvisionOptions::new().concurrency(4));
    for (n, result) in results.iter().enumerate() {
        let done = result.as_ref().unwrap_or_else(|e| panic!("row {n}: {e}"));
        assert_eq!(done.how, ProvisionOutcome::Recovered, "row {n}");
        assert!(done.account.api_key.is_some(), "completed with a retrieve");
    }
    assert_eq!(posts(&server), 30, "no create sent twice");
    assert_one_each(&client, (0..30).map(email));
}

#[test]
fn a_create_processed_then_answered_500_is_recovered_not_repeated() {
    let server = MockServer::builder().start();
    let client = client(&server, 2);
    server.fail(creates().times(1000), MockFault::StatusAfterProcessing(500));
    let results = client
        .managed_accounts()
        .create_or_find_all(rows(0..12), ProvisionOptions::new().concurrency(3));
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap().how == ProvisionOutcome::Recovered)
    );
    assert_eq!(posts(&server), 12);
    assert_one_each(&client, (0..12).map(email));
}

#[test]
fn rate_limits_sprinkled_through_the_run_never_duplicate_a_create() {
    let server = MockServer::builder().start();
    let client = client(&server, 1);
    for after in [0, 3, 4, 9, 15, 16, 17] {
        server.fail(
            creates().after(after).times(1),
            MockFault::RateLimitedWith(MockRetryHint::RetryAfterSecs(1)),
        );
    }
    let results = client
        .managed_accounts()
        .create_or_find_all(rows(0..25), ProvisionOptions::new().concurrency(4));
    for (n, result) in results.iter().enumerate() {
        assert_eq!(
            result.as_ref().unwrap().how,
            ProvisionOutcome::Created,
            "row {n}"
        );
    }
    // A 429 is turned away unprocessed: the create is sent again, never doubled.
    assert_one_each(&client, (0..25).map(email));
}

#[test]
fn duplicates_and_bad_rows_inside_a_batch() {
    let server = MockServer::builder().start();
    let client = client(&server, 2);
    let batch = vec![
        CreateManagedAccount::new("Dup Co").email("dup@bulk.example.com"),
        CreateManagedAccount::new("No Email Co"),
        CreateManagedAccount::new("Dup Co again").email("DUP@bulk.example.com"),
        CreateManagedAccount::new("Other Co").email(email(1)),
        CreateManagedAccount::new("Dup Co thrice").email("dup@bulk.example.com"),
    ];
    let results = client
        .managed_accounts()
        .create_or_find_all(batch, ProvisionOptions::new().concurrency(2));
    assert_eq!(results.len(), 5);
    assert!(
        matches!(results[1], Err(Error::InvalidRequest(_))),
        "{:?}",
        results[1]
    );
    let dup = results[0].as_ref().unwrap();
    assert_eq!(dup.how, ProvisionOutcome::Created);
    for row in [2, 4] {
        let again = results[row].as_ref().unwrap();
        assert_eq!(again.how, ProvisionOutcome::Existing, "row {row}");
        assert_eq!(
            again.account.id, dup.account.id,
            "row {row}: the same account"
        );
    }
    assert_eq!(results[3].as_ref().unwrap().how, ProvisionOutcome::Created);
    assert_eq!(posts(&server), 2, "one create per distinct email");
    assert_one_each(&client, ["dup@bulk.example.com".to_owned(), email(1)]);
}

#[test]
fn a_run_killed_halfway_then_rerun_ends_with_one_account_per_email() {
    let server = MockServer::builder().start();
    let client = client(&server, 0);
    // The "kill": from the 10th create on, every create dies before the server acts.
    server.fail(creates().after(10).times(1000), MockFault::Reset);
    let first = client
        .managed_accounts()
        .create_or_find_all(rows(0..40), ProvisionOptions::new().concurrency(4));
    let created = first.iter().filter(|r| r.is_ok()).count();
    assert_eq!(created, 10);
    server.clear_faults();
    let again = client
        .managed_accounts()
        .create_or_find_all(rows(0..40), ProvisionOptions::new().concurrency(4));
    for (n, result) in again.iter().enumerate() {
        let how = result.as_ref().unwrap().how;
        let expected = if first[n].is_ok() {
            ProvisionOutcome::Existing
        } else {
            ProvisionOutcome::Created
        };
        assert_eq!(how, expected, "row {n}");
    }
    assert_one_each(&client, (0..40).map(email));
}
