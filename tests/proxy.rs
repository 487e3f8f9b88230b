//! A loopback base URL bypasses proxies from the environment. This file holds a
//! single test because it changes the process environment.

mod support;

use support::{TestServer, fixture};

#[test]
fn loopback_base_url_ignores_proxy_environment() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://127.0.0.1:{}", dead.local_addr().unwrap().port());
    drop(dead);
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe {
        for name in [
            "ALL_PROXY",
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "all_proxy",
        ] {
            std::env::set_var(name, &proxy);
        }
    }
    let server = TestServer::json(&fixture("managed_account.json"));
    let account = server
        .builder()
        .max_retries(0)
        .build()
        .unwrap()
        .managed_accounts()
        .retrieve("x");
    assert!(account.is_ok(), "{account:?}");
    assert_eq!(server.request_count(), 1);
}
