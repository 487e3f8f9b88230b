//! An explicit proxy (`TelnyxBuilder::proxy`): an https base URL goes through a
//! `CONNECT` tunnel, so the proxy sees the tunnel request and never the API key;
//! proxy credentials never show in `Debug`, `Display` or errors.
//!
//! (tests/proxy.rs, which changes the process environment, is a binary of its own.)
#![cfg(any(feature = "rustls", feature = "native-tls"))]

mod support;

use support::proxy::ConnectProxy;
use support::tls::{TestCa, TlsServer};
use support::{Reply, TEST_KEY, TestServer, fixture};
use telnyx_blocking::{Error, ErrorKind, Telnyx, TlsRoots};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";
const PROXY_PASSWORD: &str = "proxy-pw-EXAMPLE-4711";

fn tls_server(ca: &TestCa) -> TlsServer {
    TlsServer::json(ca.issue(&["localhost"]), &fixture("managed_account.json"))
}

#[test]
fn https_goes_through_a_connect_tunnel_and_the_key_stays_inside() {
    let ca = TestCa::new("test CA");
    let server = tls_server(&ca);
    let proxy = ConnectProxy::start();
    let client = server
        .builder()
        .proxy(proxy.url())
        .add_root_certificate(ca.certificate())
        .tls_roots(TlsRoots::AddedOnly)
        .build()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
    }

    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "one tunnel serves every call: {seen:#?}");
    seen[0].assert_connect_to_localhost(server.port());

    // The server, at the end of the tunnel, got the key.
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {TEST_KEY}").as_str())
    );
    assert_eq!(server.handshakes(), 1);
}

#[test]
fn proxy_credentials_go_to_the_proxy_only_and_never_show() {
    let ca = TestCa::new("test CA");
    let server = tls_server(&ca);
    let proxy = ConnectProxy::start();
    let url = format!("http://tester:{PROXY_PASSWORD}@127.0.0.1:{}", proxy.port());
    let builder = server
        .builder()
        .proxy(&url)
        .add_root_certificate(ca.certificate())
        .tls_roots(TlsRoots::AddedOnly);
    let debug = format!("{builder:?}");
    assert!(!debug.contains(PROXY_PASSWORD), "{debug}");
    assert!(debug.contains("127.0.0.1"), "{debug}");
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(PROXY_PASSWORD));
    assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
    // The proxy is the one party that gets them, as Proxy-Authorization.
    let seen = proxy.seen();
    assert!(seen[0].header("proxy-authorization").is_some(), "{seen:?}");
    assert!(server.requests()[0].header("proxy-authorization").is_none());
}

#[test]
fn failures_at_the_proxy_do_not_show_its_credentials() {
    let ca = TestCa::new("test CA");
    // A proxy that refuses with 407, and a port nothing listens on.
    let refusing = TestServer::replies(vec![Reply::empty(407)]);
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let refusing_port = refusing.url().rsplit(':').next().unwrap().to_owned();
    for port in [refusing_port, dead_port.to_string()] {
        let client = Telnyx::builder()
            .api_key(TEST_KEY)
            .base_url("https://localhost:9/v2")
            .proxy(format!("http://tester:{PROXY_PASSWORD}@127.0.0.1:{port}"))
            .add_root_certificate(ca.certificate())
            .tls_roots(TlsRoots::AddedOnly)
            .max_retries(0)
            .build()
            .unwrap();
        let error = client.managed_accounts().retrieve(ID).unwrap_err();
        assert!(matches!(error, Error::Connection(_)), "{error:?}");
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(PROXY_PASSWORD), "{text}");
        }
    }
}

#[test]
fn an_invalid_proxy_url_is_a_config_error_without_its_credentials() {
    for url in [
        "proxy.example.test:3128".to_owned(),
        "ftp://proxy.example.test".to_owned(),
        format!("http://tester:{PROXY_PASSWORD}@"),
        "http://proxy example.test:3128".to_owned(),
        String::new(),
        "http://".to_owned(),
        "http://:8080".to_owned(),
    ] {
        let error = Telnyx::builder()
            .api_key(TEST_KEY)
            .proxy(&url)
            .build()
            .unwrap_err();
        assert!(
            matches!(&error, Error::Config(c) if c.kind() == ErrorKind::InvalidProxy),
            "{url}: {error:?}"
        );
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(PROXY_PASSWORD), "{text}");
        }
    }
}

/// `no_proxy` drops an explicit proxy set before it.
#[test]
fn no_proxy_after_proxy_connects_directly() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server
        .builder()
        .proxy("http://127.0.0.1:9")
        .no_proxy()
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
}

/// The proxy URLs `build` accepts, and a SOCKS one only with the `socks-proxy`
/// feature (pinned from the unit tests of src/transport/agent.rs).
#[test]
fn proxy_urls_that_build() {
    let build = |url: &str| Telnyx::builder().api_key(TEST_KEY).proxy(url).build();
    for url in [
        "http://127.0.0.1:3128",
        "http://user:pass@proxy.example.test:8080",
        "https://proxy.example.test",
        "HTTP://proxy.example.test:80/",
    ] {
        assert!(build(url).is_ok(), "{url}");
    }
    let socks = build("socks5://127.0.0.1:1080");
    assert_eq!(socks.is_ok(), cfg!(feature = "socks-proxy"), "{socks:?}");
    if let Err(error) = socks {
        assert!(
            matches!(&error, Error::Config(c) if c.kind() == ErrorKind::InvalidProxy),
            "{error:?}"
        );
    }
}

/// Credentials never show in the builder's `Debug` or in a build error, even
/// when an unencoded `/`, `?`, `#` or `@` in the password makes it impossible to
/// tell where they end.
#[test]
fn proxy_credentials_never_show_however_they_are_written() {
    for url in [
        format!("http://tester:{PROXY_PASSWORD}@proxy.example.test:8080/x"),
        format!("http://tester:{PROXY_PASSWORD}/x@proxy.example.test:3128"),
        format!("http://tester:x/{PROXY_PASSWORD}@proxy.example.test:3128"),
        format!("http://tester:x?{PROXY_PASSWORD}@proxy.example.test:3128"),
        format!("http://tester:x#{PROXY_PASSWORD}@proxy.example.test:3128"),
        format!("http://tester:x@{PROXY_PASSWORD}@proxy.example.test:3128"),
        format!("http://proxy.example.test/a@{PROXY_PASSWORD}"),
        format!("tester:{PROXY_PASSWORD}@proxy.example.test"),
    ] {
        let builder = Telnyx::builder().api_key(TEST_KEY).proxy(&url);
        let debug = format!("{builder:?}");
        assert!(!debug.contains(PROXY_PASSWORD), "{debug}");
        assert!(!debug.contains("tester"), "{url}: {debug}");
        if let Err(error) = builder.build() {
            for text in [error.to_string(), format!("{error:?}")] {
                assert!(!text.contains(PROXY_PASSWORD), "{text}");
            }
        }
    }
    let debug = format!(
        "{:?}",
        Telnyx::builder().proxy("http://proxy.example.test:8080")
    );
    assert!(debug.contains("proxy.example.test:8080"), "{debug}");
}
