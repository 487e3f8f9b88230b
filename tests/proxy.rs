//! A loopback base URL bypasses proxies from the environment, and `no_proxy`
//! ignores them for any base URL. This file holds a single test because it
//! changes the process environment.

mod support;

use support::{TestServer, fixture};

#[test]
fn loopback_base_url_and_no_proxy_ignore_proxy_environment() {
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

    // An IPv4-mapped IPv6 address reaches the same loopback server, but the client
    // does not count it as loopback: the environment's (dead) proxy applies to it,
    // unless `no_proxy` says to ignore the environment.
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    let mapped = format!("http://[::ffff:127.0.0.1]:{port}");
    let builder = || {
        server
            .builder()
            .base_url(&mapped)
            .allow_http(true)
            .max_retries(0)
    };
    let through_env = builder().build().unwrap().managed_accounts().retrieve("x");
    assert!(through_env.is_err(), "the environment's proxy was used");
    assert_eq!(server.request_count(), 1);
    let direct = builder()
        .no_proxy()
        .build()
        .unwrap()
        .managed_accounts()
        .retrieve("x");
    assert!(direct.is_ok(), "{direct:?}");
    assert_eq!(server.request_count(), 2);
}
