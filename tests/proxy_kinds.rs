//! The proxy kinds the README promises besides plain-http CONNECT
//! (tests/proxy_connect.rs): an `https://` proxy, which ureq reaches over TLS
//! verified with the client's own roots before sending CONNECT inside it; and,
//! with the `socks-proxy` feature, SOCKS5 (`socks5://` and `socks5h://`).

mod support;

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

#[cfg(any(feature = "rustls", feature = "native-tls"))]
mod https_proxy {
    use super::ID;
    use crate::support::proxy::TlsConnectProxy;
    use crate::support::tls::{TestCa, TlsServer};
    use crate::support::{TEST_KEY, fixture};
    use telnyx_blocking::{Error, Telnyx, TlsRoots};

    fn api_server(ca: &TestCa) -> TlsServer {
        let body = fixture("managed_account.json");
        TlsServer::json(ca.issue(&["localhost"]), &body)
    }

    /// A client for `server` through `proxy` that trusts the test CA only.
    fn client_via(proxy: &TlsConnectProxy, server: &TlsServer, ca: &TestCa) -> Telnyx {
        let builder = server.builder().proxy(proxy.url()).max_retries(0);
        let builder = builder.add_root_certificate(ca.certificate());
        builder.tls_roots(TlsRoots::AddedOnly).build().unwrap()
    }

    /// TLS to the proxy, CONNECT inside it, and the API's own TLS inside the
    /// tunnel: the proxy's certificate is checked against the roots the client
    /// was given (here the test CA and nothing else).
    #[test]
    fn an_https_proxy_carries_the_tunnel_inside_its_own_tls() {
        let ca = TestCa::new("test CA");
        let server = api_server(&ca);
        let proxy = TlsConnectProxy::start(ca.issue(&["127.0.0.1"]));
        let client = client_via(&proxy, &server, &ca);
        for _ in 0..2 {
            assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
        }

        assert_eq!(proxy.handshakes(), 1, "one TLS session with the proxy");
        let seen = proxy.seen();
        assert_eq!(seen.len(), 1, "one tunnel serves both calls: {seen:#?}");
        seen[0].assert_connect_to_localhost(server.port());
        // The API server, at the end of the tunnel, did its own handshake.
        assert_eq!(server.handshakes(), 1);
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[0].header("authorization"),
            Some(format!("Bearer {TEST_KEY}").as_str())
        );
    }

    /// The proxy's TLS is verified like the API's: a proxy certificate from a CA
    /// the client does not trust is a certificate error, and nothing is tunnelled.
    #[test]
    fn an_https_proxy_with_an_untrusted_certificate_is_refused() {
        let ca = TestCa::new("test CA");
        let server = api_server(&ca);
        let proxy = TlsConnectProxy::start(TestCa::new("other CA").issue(&["127.0.0.1"]));
        let client = client_via(&proxy, &server, &ca);
        let error = client.managed_accounts().retrieve(ID).unwrap_err();
        assert!(matches!(error, Error::Connection(_)), "{error:?}");
        assert!(error.to_string().contains("certificate"), "{error}");
        assert_eq!(proxy.handshakes(), 0);
        assert!(proxy.seen().is_empty());
        assert_eq!(server.accepted(), 0, "nothing reached the API server");
    }
}

#[cfg(feature = "socks-proxy")]
mod socks5 {
    use super::ID;
    use crate::support::proxy::{Socks5Proxy, SocksAddress, SocksSeen};
    use crate::support::{TEST_KEY, TestServer, fixture};

    fn api_server() -> (TestServer, u16) {
        let server = TestServer::json(&fixture("managed_account.json"));
        let port = server
            .url()
            .rsplit_once(':')
            .and_then(|(_, port)| port.parse().ok())
            .unwrap();
        (server, port)
    }

    /// `socks5://`: the client resolves the target itself and asks for an IPv4
    /// address (the base URL is 127.0.0.1 here, so nothing is looked up).
    #[test]
    fn socks5_connects_to_the_api_by_address() {
        let (server, port) = api_server();
        let proxy = Socks5Proxy::start();
        let client = server.builder().proxy(proxy.url("socks5")).build().unwrap();
        for _ in 0..2 {
            assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
        }
        let expected = SocksSeen {
            command: 1,
            address: SocksAddress::Ip([127, 0, 0, 1].into()),
            port,
        };
        assert_eq!(proxy.seen(), vec![expected], "one CONNECT, reused");
        let request = &server.requests()[0];
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TEST_KEY}").as_str())
        );
        assert_eq!(server.connection_count(), 1);
    }

    /// `socks5h://`: the host name goes to the proxy unresolved (address type 3).
    #[test]
    fn socks5h_hands_the_host_name_to_the_proxy() {
        let (server, port) = api_server();
        let proxy = Socks5Proxy::start();
        let client = server
            .builder()
            .base_url(format!("http://localhost:{port}"))
            .proxy(proxy.url("socks5h"))
            .build()
            .unwrap();
        assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
        let expected = SocksSeen {
            command: 1,
            address: SocksAddress::Domain("localhost".into()),
            port,
        };
        assert_eq!(proxy.seen(), vec![expected]);
        assert_eq!(server.request_count(), 1);
    }
}
