//! `TlsRoots::Platform` trusts the operating system's store, and native-tls uses
//! it by default: a CA that only the platform store holds (on Linux, the file
//! `SSL_CERT_FILE` names, read by OpenSSL and by rustls-platform-verifier) is
//! trusted, and not with `TlsRoots::WebPki`.
//!
//! One test in its own binary, because it changes the process environment. Run:
//! `cargo test --no-default-features --features native-tls,mock --test tls_platform`
//! and `cargo test --features platform-verifier --test tls_platform`.
#![cfg(all(
    any(feature = "native-tls", feature = "platform-verifier"),
    target_os = "linux"
))]

mod support;

use support::fixture;
use support::tls::{TestCa, TlsServer};
use telnyx_blocking::TlsRoots;

#[test]
fn the_platform_store_is_trusted_and_native_tls_uses_it_by_default() {
    let ca = TestCa::new("CA installed in the platform store");
    let path = std::env::temp_dir().join(format!("telnyx-blocking-ca-{}.pem", std::process::id()));
    std::fs::write(&path, ca.pem()).unwrap();
    // SAFETY: the only test in this binary, run before any client exists.
    unsafe { std::env::set_var("SSL_CERT_FILE", &path) };
    let server = TlsServer::json(ca.issue(&["localhost"]), &fixture("managed_account.json"));

    let call = |builder: telnyx_blocking::TelnyxBuilder| {
        builder.build().unwrap().managed_accounts().retrieve("x")
    };
    let platform = call(server.builder().tls_roots(TlsRoots::Platform));
    let by_default = call(server.builder());
    let refused = call(server.builder().tls_roots(TlsRoots::WebPki));
    let _ = std::fs::remove_file(&path);

    assert!(platform.is_ok(), "{platform:?}");
    if cfg!(feature = "native-tls") {
        assert!(
            by_default.is_ok(),
            "native-tls: the platform store by default: {by_default:?}"
        );
    } else {
        assert!(by_default.is_err(), "rustls: Mozilla's roots by default");
    }
    let error = refused.unwrap_err();
    assert!(error.to_string().contains("certificate"), "{error}");
}
