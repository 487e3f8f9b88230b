//! The `ureq::Agent`: timeouts, redirects, proxy, TLS provider and resolver.

use super::TransportConfig;

/// The one agent of a client, configured explicitly rather than left at ureq's defaults.
pub(super) fn build(config: &TransportConfig) -> ureq::Agent {
    let builder = ureq::Agent::config_builder()
        // Keep error bodies and rate-limit headers instead of ureq's bare StatusCode.
        .http_status_as_error(false)
        // A redirect is reported, never followed: the bearer token stays with our host.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(config.timeout))
        .timeout_connect(Some(config.connect_timeout))
        .user_agent(config.user_agent.as_str())
        .accept("application/json");
    // ureq takes HTTP(S)_PROXY/ALL_PROXY from the environment and does not exempt
    // loopback; a local server (the mock, a test fake) is never behind a proxy.
    let builder = if config.use_env_proxy {
        builder
    } else {
        builder.proxy(None)
    };
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_config(
        ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::NativeTls)
            .build(),
    );
    // Not `new_agent()`: ureq's own resolver spawns a thread per request when a
    // global timeout is set, even for a pooled connection (see resolver.rs).
    super::resolver::agent(builder.build())
}
