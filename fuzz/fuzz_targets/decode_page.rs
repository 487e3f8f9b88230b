//! List envelopes (`{"data": [...], "meta": {...}}`) of managed accounts and of
//! organization users. The first byte picks one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnyx_blocking::__fuzz;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        match __fuzz::managed_accounts_page(body) {
            Ok(page) => {
                for account in &page.data {
                    common::check_round_trip(account, __fuzz::managed_account);
                }
            }
            Err(e) => common::check_error(&e),
        }
    } else {
        match __fuzz::organization_users_page(body) {
            Ok(page) => {
                for user in &page.data {
                    common::check_round_trip(user, __fuzz::organization_user);
                }
            }
            Err(e) => common::check_error(&e),
        }
    }
});
