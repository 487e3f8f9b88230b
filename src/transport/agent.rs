//! The `ureq::Agent`: timeouts, redirects, proxy, TLS provider and roots, the idle
//! pool and the resolver.

use super::TransportConfig;
use crate::error::{ConfigErrorKind, Error, Result};

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
        Some(url) => builder.proxy(Some(proxy(url.expose())?)),
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

/// Parses a proxy URL: `http://`, `https://` (CONNECT), or `socks4://`, `socks4a://`,
/// `socks5://`, `socks5h://` with the `socks-proxy` feature; credentials may be in it.
///
/// # Errors
///
/// [`ConfigErrorKind::InvalidProxy`], quoting the URL without its credentials.
fn proxy(url: &str) -> Result<ureq::Proxy> {
    let invalid = |why: &str| {
        Error::config(
            ConfigErrorKind::InvalidProxy,
            format!("invalid proxy URL `{}`: {why}", without_credentials(url)),
        )
    };
    let url = url.trim();
    let (scheme, authority, _) = split_url(url);
    if !url.contains("://") {
        return Err(invalid("expected http://, https:// or socks5://host:port"));
    }
    let scheme = scheme.to_ascii_lowercase();
    let host = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    if host.is_empty() || host.starts_with(':') {
        return Err(invalid("it has no host"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("it contains whitespace or control characters"));
    }
    match scheme.as_str() {
        "http" | "https" => {}
        "socks4" | "socks4a" | "socks5" | "socks5h" if cfg!(feature = "socks-proxy") => {}
        "socks4" | "socks4a" | "socks5" | "socks5h" => {
            return Err(invalid(
                "SOCKS proxies need the crate's `socks-proxy` feature",
            ));
        }
        _ => return Err(invalid("expected http://, https:// or socks5://host:port")),
    }
    ureq::Proxy::new(url).map_err(|_| invalid("ureq cannot use it"))
}

/// `(scheme, authority, rest)` of `url`: the scheme before `://` (empty without
/// one), the authority up to the first `/`, `?` or `#`, and what follows it.
fn split_url(url: &str) -> (&str, &str, &str) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    (scheme, authority, path)
}

/// `scheme://host:port/…` with any `user:password@` removed, for messages and `Debug`.
pub(crate) fn without_credentials(url: &str) -> String {
    let (scheme, authority, path) = split_url(url.trim());
    // An `@` after the authority: a password with an unencoded `/`, `?` or `#`
    // (or a path no proxy has). Where the credentials end cannot be told, so
    // nothing of the URL is shown.
    if path.contains('@') {
        return match scheme {
            "" => "***".to_owned(),
            scheme => format!("{scheme}://***"),
        };
    }
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_owned(),
    };
    let path = if path.is_empty() { "" } else { "/…" };
    match scheme {
        "" => format!("{host}{path}"),
        scheme => format!("{scheme}://{host}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls() {
        for ok in [
            "http://127.0.0.1:3128",
            "http://user:pass@proxy.example.test:8080",
            "https://proxy.example.test",
            "HTTP://proxy.example.test:80/",
        ] {
            assert!(proxy(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "proxy.example.test:3128",
            "ftp://proxy.example.test",
            "http://",
            "http://user:hunter2@",
            "http://:8080",
            "http://proxy example.test",
        ] {
            let err = proxy(bad).unwrap_err();
            let Error::Config(config) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(config.kind(), ConfigErrorKind::InvalidProxy, "{bad}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        assert_eq!(
            proxy("socks5://127.0.0.1:1080").is_ok(),
            cfg!(feature = "socks-proxy")
        );
    }

    #[test]
    fn credentials_are_removed() {
        assert_eq!(
            without_credentials("http://user:hunter2@proxy.example.test:8080/x"),
            "http://***@proxy.example.test:8080/…"
        );
        assert_eq!(
            without_credentials("http://proxy.example.test:8080"),
            "http://proxy.example.test:8080"
        );
        assert_eq!(without_credentials("user:pw@host"), "***@host");
        assert!(!without_credentials("http://host/a@hunter2").contains("hunter2"));
        // An unencoded `/`, `?` or `#` in the password must not end the hiding early.
        for url in [
            "http://user:pa/ss@proxy.example.test:3128",
            "http://user:pa?ss@proxy.example.test:3128",
            "http://user:pa#ss@proxy.example.test:3128",
        ] {
            let shown = without_credentials(url);
            assert!(!shown.contains("user") && !shown.contains("pa"), "{shown}");
            assert_eq!(shown, "http://***");
        }
    }
}
