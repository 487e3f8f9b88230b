//! native-tls trusts the platform's store by default: a CA that only the
//! platform store holds (here OpenSSL's, pointed at a file by `SSL_CERT_FILE`)
//! is trusted with no root option at all, and not with `TlsRoots::WebPki`.
//!
//! One test in its own binary, because it changes the process environment.
//! Run: `cargo test --no-default-features --features native-tls,mock --test tls_platform`.
#![cfg(all(feature = "native-tls", target_os = "linux"))]

mod support;

use support::fixture;
use support::tls::{TestCa, TlsServer};
use telnyx_blocking::TlsRoots;

#[test]
fn native_tls_trusts_the_platform_store_by_default() {
    let ca = TestCa::new("CA installed in the platform store");
    let path = std::env::temp_dir().join(format!("telnyx-blocking-ca-{}.pem", std::process::id()));
    std::fs::write(&path, ca.pem()).unwrap();
    // SAFETY: the only test in this binary, run before any client exists.
    unsafe { std::env::set_var("SSL_CERT_FILE", &path) };
    let server = TlsServer::json(ca.issue(&["localhost"]), &fixture("managed_account.json"));

    let by_default = server.builder().build().unwrap();
    let account = by_default.managed_accounts().retrieve("x");
    let bundled = server
        .builder()
        .tls_roots(TlsRoots::WebPki)
        .build()
        .unwrap();
    let refused = bundled.managed_accounts().retrieve("x");
    let _ = std::fs::remove_file(&path);

    assert!(account.is_ok(), "{account:?}");
    let error = refused.unwrap_err();
    assert!(error.to_string().contains("certificate"), "{error}");
}
