//! A single managed account (`{"data": {...}}`): create, retrieve, update and the
//! actions all decode through this path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnyx_blocking::__fuzz;
use telnyx_blocking::Secret;

mod common;

fuzz_target!(|data: &[u8]| {
    match __fuzz::managed_account(data) {
        Ok(account) => {
            // Debug output does not depend on the secrets' values.
            let mut masked = account.clone();
            masked.api_key = masked.api_key.map(|_| Secret::new("x"));
            masked.api_token = masked.api_token.map(|_| Secret::new("y"));
            assert_eq!(format!("{account:?}"), format!("{masked:?}"));
            assert_eq!(format!("{account:#?}"), format!("{masked:#?}"));
            common::check_round_trip(&account, __fuzz::managed_account);
        }
        Err(err) => common::check_error(&err),
    }
});
