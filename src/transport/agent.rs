//! The `ureq::Agent`: timeouts, redirects, proxy, TLS provider and roots, the idle
//! pool and the resolver.

use super::TransportConfig;
use crate::error::{Error, ErrorKind, Result};

/// The one agent of a client, configured explicitly rather than left at ureq's defaults.
///
/// # Errors
///
/// An unusable proxy URL or root-certificate choice ([`Error::Config`]).
pub(super) fn build(config: &TransportConfig) -> Result<ureq::Agent> {
    let idle = usize::try_from(config.pool_max_idle_per_host).unwrap_or(usize::MAX);
    let builder = ureq::Agent::config_builder()
        // Keep error bodies and rate-limit headers instead of ureq's bare StatusCode.
        .http_status_as_error(false)
        // A redirect is reported, never followed: the bearer token stays with our host.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(config.timeout))
        .timeout_connect(Some(config.connect_timeout))
        .user_agent(config.user_agent.as_str())
        .accept("application/json")
        // ureq keeps 3 idle connections per host: 16 threads sharing a client then
        // open a new connection (a TLS handshake) on most calls. The client talks to
        // one host, so the overall bound is the per-host one.
        .max_idle_connections(idle)
        .max_idle_connections_per_host(idle)
        .max_idle_age(config.pool_idle_timeout);
    // An explicit proxy is used for every base URL, loopback included: it was asked
    // for. ureq takes HTTP(S)_PROXY/ALL_PROXY from the environment and does not
    // exempt loopback; a local server (the mock, a test fake) is never behind one.
    let builder = match &config.proxy {
        Some(url) => builder.proxy(Some(proxy(url.0.expose())?)),
        None if config.use_env_proxy => builder,
        None => builder.proxy(None),
    };
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    let builder = {
        let roots = crate::tls::root_certs(config.tls_roots, &config.root_certificates)?;
        let tls = ureq::tls::TlsConfig::builder().root_certs(roots);
        #[cfg(feature = "native-tls")]
        let tls = tls.provider(ureq::tls::TlsProvider::NativeTls);
        builder.tls_config(tls.build())
    };
    // Without a TLS backend https is refused at build time: there is nothing to trust.
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    let _ = (&config.tls_roots, &config.root_certificates);
    // Not `new_agent()`: ureq's own resolver spawns a thread per request when a
    // global timeout is set, even for a pooled connection (see resolver.rs).
    Ok(super::resolver::agent(builder.build()))
}

/// Parses a proxy URL with [`ureq::Proxy`]: `http://`, `https://` (CONNECT), or
/// `socks4://`, `socks4a://`, `socks5://`, `socks5h://` with the `socks-proxy`
/// feature; credentials (percent-encoded) may be in it.
///
/// # Errors
///
/// [`ErrorKind::InvalidProxy`]. The message never quotes the URL: where its
/// credentials end cannot be told when a password holds an unencoded `/` or `@`.
fn proxy(url: &str) -> Result<ureq::Proxy> {
    use ureq::ProxyProtocol::{Http, Https};
    let invalid =
        |why: &str| Error::config(ErrorKind::InvalidProxy, format!("invalid proxy URL: {why}"));
    let expected = "expected http://, https:// or socks5://host:port";
    // ureq takes a URL without a scheme as http://; a scheme is asked for here.
    if !url.trim().contains("://") {
        return Err(invalid(expected));
    }
    let proxy = ureq::Proxy::new(url.trim()).map_err(|_| invalid(expected))?;
    // A proxy URL is `scheme://[user:password@]host[:port][/]`. Anything else is
    // most likely a password with an unencoded `/`, `?`, `#` or `@`, from which
    // ureq would take a wrong host or port.
    let uri = proxy.uri();
    let host_port = uri.authority().and_then(|a| a.as_str().rsplit('@').next());
    let port_ok = uri.port_u16().is_some() || host_port == Some(proxy.host());
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    if proxy.host().is_empty() || !port_ok || path != "/" || url.contains('#') {
        return Err(invalid(
            "expected scheme://host:port; percent-encode `/`, `?`, `#` and `@` in credentials",
        ));
    }
    match proxy.protocol() {
        Http | Https => Ok(proxy),
        _ if cfg!(feature = "socks-proxy") => Ok(proxy),
        _ => Err(invalid(
            "SOCKS proxies need the crate's `socks-proxy` feature",
        )),
    }
}

/// A proxy URL for `Debug`: ureq's own `Debug`, which masks the credentials, or
/// `***` for a URL that does not parse (nothing of it can be shown safely).
pub(crate) fn without_credentials(url: &str) -> String {
    proxy(url).map_or_else(|_| "***".to_owned(), |proxy| format!("{proxy:?}"))
}
