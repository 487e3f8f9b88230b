//! An API key from `TELNYX_API_KEY` with whitespace in it: the error names the
//! variable. One test, because it changes the process environment.

use telnyx_blocking::{Error, ErrorKind, Telnyx};

#[test]
fn an_api_key_from_the_environment_with_a_newline_names_the_variable() {
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe { std::env::set_var("TELNYX_API_KEY", "KEY_FROM_ENV\n") };
    let built = Telnyx::builder().base_url("http://127.0.0.1:9").build();
    match built {
        Err(Error::Config(e)) => {
            assert_eq!(e.kind(), ErrorKind::InvalidApiKey);
            assert!(e.message().contains("TELNYX_API_KEY"), "{}", e.message());
            assert!(e.message().contains("trim"), "{}", e.message());
            assert!(!e.message().contains("KEY_FROM_ENV"), "{}", e.message());
        }
        other => panic!("expected InvalidApiKey, got {other:?}"),
    }
}
