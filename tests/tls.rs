//! HTTPS end to end against a loopback rustls server, with certificates made at
//! test time: a CA given through the roots options is trusted, a certificate for
//! another name, an expired one and a self-signed one are refused (once, as never
//! sent), and one TLS connection serves many calls.
//!
//! The same tests run with the native-tls backend:
//! `cargo test --no-default-features --features native-tls,mock --test tls`.
#![cfg(any(feature = "rustls", feature = "native-tls"))]

mod support;

use support::fixture;
use support::tls::{PlainHttpServer, ServerCert, TestCa, TlsServer};
use telnyx_blocking::{Certificate, Error, ErrorKind, Telnyx, TlsRoots};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

fn account_server(cert: ServerCert) -> TlsServer {
    TlsServer::json(cert, &fixture("managed_account.json"))
}

/// A client for `server` that trusts `ca` and nothing else.
fn trusting(server: &TlsServer, ca: &TestCa) -> Telnyx {
    server
        .builder()
        .add_root_certificate(ca.certificate())
        .tls_roots(TlsRoots::AddedOnly)
        .build()
        .unwrap()
}

/// Asks for the account through a client trusting `ca` only; the error.
fn refused_by(server: &TlsServer, ca: &TestCa) -> Error {
    trusting(server, ca)
        .managed_accounts()
        .retrieve(ID)
        .unwrap_err()
}

#[test]
fn a_ca_given_as_the_only_root_is_trusted() {
    let ca = TestCa::new("telnyx-blocking test CA");
    let server = account_server(ca.issue(&["localhost", "127.0.0.1"]));
    let client = trusting(&server, &ca);
    let account = client.managed_accounts().retrieve(ID).unwrap();
    assert_eq!(account.id, ID);
    assert_eq!(account.email, "user@example.com");
    assert_eq!(server.handshakes(), 1);
    let request = &server.requests()[0];
    assert_eq!(request.path, format!("/managed_accounts/{ID}"));
    assert!(request.header("authorization").is_some());
}

/// A company CA beside Mozilla's bundled roots (what most users want): the
/// bundled set is kept and the added CA is trusted too.
#[test]
fn a_ca_added_to_the_bundled_roots_is_trusted() {
    let ca = TestCa::new("company CA");
    let server = account_server(ca.issue(&["localhost"]));
    let client = server
        .builder()
        .tls_roots(TlsRoots::WebPki)
        .add_root_certificate(ca.certificate())
        .build()
        .unwrap();
    assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
}

/// A server by IP address: the certificate's IP SAN is checked.
#[test]
fn an_ip_address_base_url_is_verified_against_the_ip_san() {
    let ca = TestCa::new("test CA");
    let server = account_server(ca.issue(&["127.0.0.1"]));
    let client = server
        .builder()
        .base_url(format!("https://127.0.0.1:{}", server.port()))
        .add_root_certificate(ca.certificate())
        .tls_roots(TlsRoots::AddedOnly)
        .build()
        .unwrap();
    assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
}

/// The refused handshake: a certificate error, said so, tried once, never sent.
fn assert_refused(server: &TlsServer, error: &Error) {
    assert!(
        matches!(error, Error::Connection(_)),
        "expected a connection error, got {error:?}"
    );
    let message = error.to_string().to_ascii_lowercase();
    assert!(
        message.contains("certificate"),
        "the message must say it is a certificate problem: {error}"
    );
    assert_eq!(server.accepted(), 1, "a certificate failure is not retried");
    assert_eq!(server.handshakes(), 0);
    assert!(server.requests().is_empty(), "no request went out");
    // Nothing left the machine, so the error says so (classified in classify.rs).
    assert!(!error.request_may_have_been_sent(), "{error:?}");
}

#[test]
fn a_certificate_for_another_host_name_is_refused() {
    let ca = TestCa::new("test CA");
    let server = account_server(ca.issue(&["api.example.test"]));
    assert_refused(&server, &refused_by(&server, &ca));
}

#[test]
fn an_expired_certificate_is_refused() {
    let ca = TestCa::new("test CA");
    let server = account_server(ca.issue_expired());
    assert_refused(&server, &refused_by(&server, &ca));
}

#[test]
fn a_self_signed_certificate_is_refused() {
    let ca = TestCa::new("test CA");
    let server = account_server(ServerCert::self_signed());
    let client = trusting(&server, &ca);
    let error = client
        .managed_accounts()
        .create(telnyx_blocking::managed_accounts::CreateManagedAccount::new("Acme"))
        .unwrap_err();
    assert_refused(&server, &error);
}

/// With the default roots (no CA added) the test CA is unknown, so refused.
#[test]
fn the_default_roots_do_not_trust_a_private_ca() {
    let ca = TestCa::new("test CA");
    let server = account_server(ca.issue(&["localhost"]));
    let client = server
        .builder()
        .tls_roots(TlsRoots::WebPki)
        .build()
        .unwrap();
    let error = client.managed_accounts().retrieve(ID).unwrap_err();
    assert_refused(&server, &error);
}

#[test]
fn fifty_calls_share_one_tls_connection() {
    let ca = TestCa::new("test CA");
    let server = account_server(ca.issue(&["localhost"]));
    let client = trusting(&server, &ca);
    for _ in 0..50 {
        assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
    }
    assert_eq!(server.requests().len(), 50);
    assert_eq!(server.accepted(), 1, "one TCP connection");
    assert_eq!(server.handshakes(), 1, "one TLS handshake");
}

#[test]
fn invalid_root_certificates_are_config_errors() {
    let ca = TestCa::new("test CA");
    let cut = &ca.pem()[..ca.pem().len() / 2];
    for error in [
        Certificate::from_pem("not a certificate").unwrap_err(),
        Certificate::from_pem(cut).unwrap_err(),
        Certificate::from_der([0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err(),
    ] {
        let Error::Config(config) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(config.kind(), ErrorKind::InvalidCertificate);
    }
    let error = telnyx_blocking::Telnyx::builder()
        .api_key(support::TEST_KEY)
        .tls_roots(TlsRoots::AddedOnly)
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(c) if c.kind() == ErrorKind::InvalidCertificate),
        "{error:?}"
    );
}

/// native-tls trusts the platform store by default; extra certificates cannot be
/// added to it, which `build` says instead of silently dropping the store.
#[cfg(feature = "native-tls")]
#[test]
fn native_tls_platform_roots_refuse_extra_certificates() {
    let ca = TestCa::new("test CA");
    let error = telnyx_blocking::Telnyx::builder()
        .api_key(support::TEST_KEY)
        .add_root_certificate(ca.certificate())
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(c) if c.kind() == ErrorKind::TlsUnavailable),
        "{error:?}"
    );
}

#[cfg(not(any(feature = "native-tls", feature = "platform-verifier")))]
#[test]
fn rustls_has_no_platform_store() {
    let error = telnyx_blocking::Telnyx::builder()
        .api_key(support::TEST_KEY)
        .tls_roots(TlsRoots::Platform)
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(c) if c.kind() == ErrorKind::TlsUnavailable),
        "{error:?}"
    );
}

const CA_PEM: &str = include_str!("fixtures/test_ca.pem");

/// PEM and DER are read and checked (pinned from the unit tests of src/tls.rs):
/// a certificate round-trips, a bundle yields each certificate and skips other
/// items, `Debug` shows the size only, and every malformed input is an
/// `InvalidCertificate` config error that says it is about a certificate.
#[test]
fn pem_and_der_are_read_and_checked() {
    let ca = Certificate::from_pem(CA_PEM).unwrap();
    assert_eq!(Certificate::from_der(ca.to_der()).unwrap(), ca);
    let bundle = Certificate::from_pem_bundle(format!("{CA_PEM}{CA_PEM}")).unwrap();
    assert_eq!(bundle, vec![ca.clone(), ca.clone()]);
    let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    let mixed = Certificate::from_pem_bundle(format!("{key}{CA_PEM}")).unwrap();
    assert_eq!(mixed, vec![ca.clone()]);
    let debug = format!("{ca:?}");
    assert!(debug.contains("der_bytes"), "{debug}");
    assert!(!debug.contains("MII"), "{debug}");

    let two = format!("{CA_PEM}\n{CA_PEM}");
    let broken = CA_PEM.replace("MII", "M!I");
    let truncated = &ca.to_der()[..ca.to_der().len() - 1];
    let mut trailing = ca.to_der().to_vec();
    trailing.push(0);
    for error in [
        Certificate::from_pem(&two).unwrap_err(),
        Certificate::from_pem("not a certificate").unwrap_err(),
        Certificate::from_pem(key).unwrap_err(),
        Certificate::from_pem(&broken).unwrap_err(),
        Certificate::from_pem_bundle("").unwrap_err(),
        Certificate::from_der(b"").unwrap_err(),
        Certificate::from_der(truncated).unwrap_err(),
        Certificate::from_der(&trailing).unwrap_err(),
        Certificate::from_der(CA_PEM.as_bytes()).unwrap_err(),
    ] {
        let Error::Config(config) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(config.kind(), ErrorKind::InvalidCertificate, "{error}");
        assert!(error.to_string().contains("certificate"), "{error}");
    }
}

/// An `https://` base URL that points at a plain-HTTP server (issue 24): the
/// handshake fails on the server's plain-text answer, and the error says the
/// server may want `http://`. Never sent, a connection error, not retried.
#[test]
fn an_https_url_at_a_plain_http_server_suggests_http() {
    let ca = TestCa::new("test CA");
    let server = PlainHttpServer::start();
    let client = Telnyx::builder()
        .api_key(support::TEST_KEY)
        .base_url(format!("https://127.0.0.1:{}/v2", server.port()))
        .no_proxy()
        .add_root_certificate(ca.certificate())
        .tls_roots(TlsRoots::AddedOnly)
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    let error = client.managed_accounts().retrieve(ID).unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert!(!error.request_may_have_been_sent(), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("TLS"), "{message}");
    assert!(message.contains("http://"), "{message}");
    assert_eq!(server.accepted(), 1, "a handshake failure is not retried");
}
