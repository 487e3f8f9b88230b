//! The other single-object answers: global channel limit, allocatable channels,
//! an organization user, and the JSON groups report. The first byte picks one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnyx_blocking::__fuzz;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 4 {
        0 => match __fuzz::global_channel_limit(body) {
            Ok(v) => common::check_round_trip(&v, __fuzz::global_channel_limit),
            Err(e) => common::check_error(&e),
        },
        1 => match __fuzz::allocatable_channels(body) {
            Ok(v) => common::check_round_trip(&v, __fuzz::allocatable_channels),
            Err(e) => common::check_error(&e),
        },
        2 => match __fuzz::organization_user(body) {
            Ok(v) => common::check_round_trip(&v, __fuzz::organization_user),
            Err(e) => common::check_error(&e),
        },
        _ => match __fuzz::groups_report(body) {
            Ok(v) => common::check_round_trip(&v, __fuzz::groups_report),
            Err(e) => common::check_error(&e),
        },
    }
});
