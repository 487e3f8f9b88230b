//! Models and enums as users' own code sees them: constructors instead of JSON,
//! `Eq`, and the wire strings through `Display`, `FromStr` and serde.

use std::collections::HashSet;

use serde_json::json;
use telnyx_blocking::managed_accounts::{
    AllocatableGlobalOutboundChannels, Balance, GlobalChannelLimit, ManagedAccount,
    ManagedAccountSort, ManagedAccountStatus,
};
use telnyx_blocking::organizations::users::{
    GroupsReportEntry, OrganizationUser, UserGroup, UserStatus,
};
use telnyx_blocking::{Error, InvalidRequestKind, Secret};

#[test]
fn unknown_enum_strings_are_errors_that_list_the_choices() {
    // `FromStr` fails with `Error::InvalidRequest` (ParseEnumError is gone in 0.3).
    let err = "Enabled".parse::<ManagedAccountStatus>().unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(e) if e.kind() == InvalidRequestKind::InvalidValue),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("`all`, `active`, `enabled`, `cancelled`, `disabled`, `blocked`"),
        "{err}"
    );
    // The input is not quoted back: it may come from anywhere.
    assert!(!err.to_string().contains("Enabled"), "{err}");
    let err = "x, expected evil"
        .parse::<ManagedAccountStatus>()
        .unwrap_err();
    assert!(!err.to_string().contains("evil"), "{err}");
    assert!(err.to_string().contains("managed account status"), "{err}");
    let err = "".parse::<ManagedAccountSort>().unwrap_err();
    assert!(
        err.to_string()
            .contains("`created_at`, `-created_at`, `email`, `-email`"),
        "{err}"
    );
    // serde's own message (from the derive) names the accepted values too.
    let err = serde_json::from_value::<ManagedAccountSort>(json!("newest")).unwrap_err();
    assert!(err.to_string().contains("-created_at"), "{err}");
    assert!(serde_json::from_value::<ManagedAccountStatus>(json!(3)).is_err());
}

#[test]
fn user_status_keeps_unknown_values_through_serde() {
    let status: UserStatus = serde_json::from_value(json!("paused")).unwrap();
    assert_eq!(status, UserStatus::Other("paused".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("paused"));
    let status: UserStatus = serde_json::from_value(json!("blocked")).unwrap();
    assert_eq!(status, UserStatus::Blocked);
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("blocked"));
    assert!(serde_json::from_value::<UserStatus>(json!(3)).is_err());
}

#[test]
fn user_status_parses_every_string() {
    assert_eq!("enabled".parse(), Ok(UserStatus::Enabled));
    assert_eq!("disabled".parse(), Ok(UserStatus::Disabled));
    assert_eq!("blocked".parse(), Ok(UserStatus::Blocked));
    assert_eq!("paused".parse(), Ok(UserStatus::Other("paused".into())));
}

#[test]
fn managed_account_new_has_documented_placeholders() {
    let account = ManagedAccount::new("id-1", "a@example.com");
    assert_eq!(
        serde_json::to_value(&account).unwrap(),
        json!({
            "id": "id-1",
            "record_type": "managed_account",
            "email": "a@example.com",
            "api_user": "",
            "manager_account_id": "",
            "created_at": "",
            "updated_at": "",
        })
    );
    // What it serializes to is a valid answer of the API, and reads back equal.
    let back: ManagedAccount =
        serde_json::from_value(serde_json::to_value(&account).unwrap()).unwrap();
    assert_eq!(back, account);
}

#[test]
fn built_models_equal_decoded_ones() {
    let mut account = ManagedAccount::new("id-1", "a@example.com");
    account.api_key = Some(Secret::new("KEY_EXAMPLE_SUB"));
    let mut balance = Balance::new();
    balance.balance = Some("300.00".to_owned());
    balance.credit_limit = Some("100.00".to_owned());
    balance.available_credit = Some("400.00".to_owned());
    balance.currency = Some("USD".to_owned());
    account.balance = Some(balance);
    account.rollup_billing = Some(false);
    let decoded: ManagedAccount = serde_json::from_value(json!({
        "id": "id-1", "record_type": "managed_account", "email": "a@example.com",
        "api_user": "", "manager_account_id": "", "created_at": "", "updated_at": "",
        "api_key": "KEY_EXAMPLE_SUB", "rollup_billing": false,
        "balance": {"balance": "300.00", "credit_limit": "100.00",
                    "available_credit": "400.00", "currency": "USD"},
    }))
    .unwrap();
    assert_eq!(decoded, account);

    let channels = AllocatableGlobalOutboundChannels::new(70, 30);
    assert_eq!(
        serde_json::to_value(&channels).unwrap(),
        json!({"allocatable_global_outbound_channels": 70, "total_global_channels_allocated": 30})
    );
    let limit = GlobalChannelLimit::new("id-1", 30);
    assert_eq!(
        serde_json::to_value(&limit).unwrap(),
        json!({"id": "id-1", "channel_limit": 30})
    );

    let group = UserGroup::new("g-1", "Developers");
    let mut user = OrganizationUser::new("u-1", "dev@example.com", UserStatus::Blocked);
    user.groups = Some(vec![group.clone()]);
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"id": "u-1", "email": "dev@example.com", "user_status": "blocked",
               "groups": [{"id": "g-1", "name": "Developers"}]})
    );
    let entry = GroupsReportEntry::new("u-1", "dev@example.com", UserStatus::Enabled, vec![group]);
    let back: GroupsReportEntry =
        serde_json::from_value(serde_json::to_value(&entry).unwrap()).unwrap();
    assert_eq!(back, entry);
    assert_eq!(entry.record_type, "organization_sub_user");
}

fn assert_eq_hash<T: Eq + std::hash::Hash>() {}
fn assert_eq_only<T: Eq + Clone + std::fmt::Debug>() {}

#[test]
fn every_model_is_eq() {
    assert_eq_only::<ManagedAccount>();
    assert_eq_only::<Balance>();
    assert_eq_only::<AllocatableGlobalOutboundChannels>();
    assert_eq_only::<GlobalChannelLimit>();
    assert_eq_only::<OrganizationUser>();
    assert_eq_only::<GroupsReportEntry>();
    assert_eq_only::<UserGroup>();
    assert_eq_hash::<ManagedAccountStatus>();
    assert_eq_hash::<ManagedAccountSort>();
    assert_eq_hash::<UserStatus>();
    let set: HashSet<_> = [ManagedAccountStatus::All, ManagedAccountStatus::Active].into();
    assert_eq!(set.len(), 2);
}
