//! Name resolution for the agent: IP literals answered inline, host names cached
//! for a short while.
//!
//! Why this exists: ureq 3.5 resolves the host of *every* request, before it
//! looks for a pooled connection (`run.rs`, `connect()`), and whenever
//! `timeout_global`, `timeout_per_call` or `timeout_resolve` is set its
//! `DefaultResolver` runs the lookup on a newly spawned thread so it can give up
//! on time (`unversioned/resolver.rs`, `resolve_async`) — even for an IP literal
//! that needs no lookup at all. The client sets `timeout_global`, so each call,
//! though it reuses a kept-alive connection, paid for a thread spawn: on loopback
//! that more than doubled the time of a small request.
//!
//! [`CachingResolver`] keeps the whole-request timeout and removes that cost:
//!
//! - an IP literal (`127.0.0.1`, `[::1]`) is turned into its address inline;
//! - a host name is looked up by `DefaultResolver`, which still honours the
//!   request's timeout, and the answer is reused for [`TTL`] (at most
//!   [`MAX_ENTRIES`] hosts are kept; the client talks to one);
//! - failed lookups are not cached, and the cache is dropped when opening a
//!   connection fails, so a host that moved is looked up again on the
//!   next attempt (the retry) instead of after the TTL.
//!
//! Both seams also mark their failures as [`ConnectPhase`]: everything that
//! fails in them (the lookup, the TCP connect, the proxy's CONNECT, the TLS
//! handshake, the whole-call timeout expiring meanwhile) happened before any
//! byte of the request was written, so the request was never sent.
//!
//! The resolver and connector traits live in `ureq::unversioned`, which is
//! outside ureq's semver promise; Cargo.toml pins `ureq = "~3.5"` for that.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ureq::config::{Config, IpFamily};
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{ConnectionDetails, Connector, DefaultConnector, NextTimeout};

/// How long a looked-up address is reused. Short enough that DNS changes are
/// picked up quickly (a pooled connection is kept for ureq's idle age anyway),
/// long enough that steady traffic almost never waits for a lookup.
pub(crate) const TTL: Duration = Duration::from_secs(30);

/// Most (host, port, family) entries kept. The client talks to one API host
/// (plus a proxy, if any); the bound only keeps odd use from growing the cache.
pub(crate) const MAX_ENTRIES: usize = 8;

/// An agent with ureq's stock connector chain (TCP, TLS, proxies) and the
/// caching resolver. `config`, timeouts included, is used unchanged.
pub(crate) fn agent(config: Config) -> ureq::Agent {
    agent_with(config, DefaultResolver::default())
}

/// [`agent`] with `lookup` in place of the system resolver: tests pass a fake
/// one to reach made-up host names without DNS.
pub(crate) fn agent_with<R: Resolver>(config: Config, lookup: R) -> ureq::Agent {
    let resolver = CachingResolver::new(lookup);
    ureq::Agent::with_parts(config, resolver.clone(), resolver)
}

/// Where in the connect phase a failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Looking up the host name.
    Resolve,
    /// Opening the connection: TCP, a proxy's CONNECT, the TLS handshake.
    Connect,
}

/// A failure of the connect phase: nothing of the request left the machine.
///
/// It travels through ureq as `ureq::Error::Other`, which ureq passes through
/// untouched, and [`take_connect_phase`] unwraps it in the classification.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub(crate) struct ConnectPhase {
    stage: Stage,
    #[source]
    error: ureq::Error,
}

impl ConnectPhase {
    /// `error` marked as a failure of the connect phase, at `stage`.
    pub(crate) fn mark(stage: Stage, error: ureq::Error) -> ureq::Error {
        ureq::Error::Other(Box::new(ConnectPhase { stage, error }))
    }
}

/// The error ureq reported, with the connect-phase marks removed, and the
/// stage of the first mark (`None`: the failure came after the connect phase).
/// A proxy is connected through the same connector, so marks can nest.
pub(crate) fn take_connect_phase(error: ureq::Error) -> (ureq::Error, Option<Stage>) {
    match error {
        ureq::Error::Other(other) => match other.downcast::<ConnectPhase>() {
            // The outermost mark is the stage the request was in; an inner
            // Resolve (the proxy's host) is still part of connecting.
            Ok(phase) => (take_connect_phase(phase.error).0, Some(phase.stage)),
            Err(other) => (ureq::Error::Other(other), None),
        },
        other => (other, None),
    }
}

/// A resolver that answers IP literals itself and caches what `R` looks up; it is
/// the agent's connector too, which forgets the cache when connecting fails.
///
/// Clones share the cache.
#[derive(Debug)]
pub(crate) struct CachingResolver<R = DefaultResolver> {
    shared: Arc<Shared<R>>,
}

impl<R> Clone for CachingResolver<R> {
    fn clone(&self) -> Self {
        let shared = self.shared.clone();
        CachingResolver { shared }
    }
}

#[derive(Debug)]
struct Shared<R> {
    lookup: R,
    connector: DefaultConnector,
    /// A handful of entries: a linear scan beats hashing, and a hit allocates nothing.
    entries: Mutex<Vec<Entry>>,
}

#[derive(Debug)]
struct Entry {
    /// Lowercase host as written in the URI (IPv6 literals never get here).
    host: String,
    port: u16,
    family: IpFamily,
    addrs: ResolvedSocketAddrs,
    expires: Instant,
}

impl<R: Resolver> CachingResolver<R> {
    pub(crate) fn new(lookup: R) -> Self {
        let (connector, entries) = (DefaultConnector::new(), Mutex::default());
        let shared = Arc::new(Shared {
            lookup,
            connector,
            entries,
        });
        CachingResolver { shared }
    }

    /// Forgets every cached address.
    pub(crate) fn invalidate(&self) {
        self.entries().clear();
    }

    /// A panic elsewhere while the lock was held cannot leave the list invalid
    /// (every change is a single push, retain or clear), so a poisoned lock is
    /// simply taken over.
    fn entries(&self) -> MutexGuard<'_, Vec<Entry>> {
        let entries = self.shared.entries.lock();
        entries.unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// [`Resolver::resolve`] with the clock passed in, so tests can move it.
    ///
    /// Only an http(s) URI with a host is answered here, with the port
    /// `DefaultResolver` would use; anything else goes to the inner resolver,
    /// which reports the proper error.
    fn resolve_at(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
        now: Instant,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let default_port = match uri.scheme_str() {
            Some("https") => 443,
            Some("http") => 80,
            _ => 0,
        };
        let Some(host) = uri.host().filter(|h| !h.is_empty() && default_port != 0) else {
            return self.shared.lookup.resolve(uri, config, timeout);
        };
        let (port, family) = (uri.port_u16().unwrap_or(default_port), config.ip_family());
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            // Same answer as DefaultResolver for, e.g., an IPv6 literal with Ipv4Only.
            let addr = SocketAddr::new(ip, port);
            let wanted = family.keep_wanted(std::iter::once(addr)).next();
            let mut addrs = self.empty();
            addrs.push(wanted.ok_or(ureq::Error::HostNotFound)?); // 1 of 16 slots
            return Ok(addrs);
        }
        let same =
            |e: &Entry| e.port == port && e.family == family && e.host.eq_ignore_ascii_case(host);
        if let Some(hit) = self.entries().iter().find(|e| same(e) && e.expires > now) {
            return Ok(hit.addrs.clone());
        }
        // Looked up without holding the lock: a slow DNS answer must not block
        // other threads' hits. Errors are returned, not cached.
        let addrs = self.shared.lookup.resolve(uri, config, timeout)?;
        let mut entries = self.entries();
        entries.retain(|e| !same(e) && e.expires > now);
        if entries.len() >= MAX_ENTRIES {
            // All entries share one TTL, so the first is the oldest.
            entries.remove(0);
        }
        let (host, expires) = (host.to_ascii_lowercase(), now + TTL);
        let entry = Entry {
            host,
            port,
            family,
            addrs: addrs.clone(),
            expires,
        };
        entries.push(entry);
        Ok(addrs)
    }
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.resolve_at(uri, config, timeout, Instant::now())
            .map_err(|e| ConnectPhase::mark(Stage::Resolve, e))
    }
}

/// As the connector, ureq's [`DefaultConnector`], plus: when a new connection
/// cannot be opened, the cached addresses are dropped, so the next attempt looks
/// the host up again.
impl<R: Resolver> Connector for CachingResolver<R> {
    type Out = <DefaultConnector as Connector>::Out;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let connected = self.shared.connector.connect(details, chained);
        connected.map_err(|e| {
            self.invalidate();
            ConnectPhase::mark(Stage::Connect, e)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Answers every name with 192.0.2.1 (TEST-NET-1) without touching DNS, and
    /// counts the lookups.
    #[derive(Debug, Default)]
    struct FakeDns {
        lookups: AtomicUsize,
        fail: bool,
    }

    impl Resolver for FakeDns {
        fn resolve(
            &self,
            uri: &Uri,
            _config: &Config,
            _timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            if self.fail {
                return Err(ureq::Error::HostNotFound);
            }
            let http = uri.scheme_str() == Some("http");
            let port = uri.port_u16().unwrap_or(if http { 80 } else { 443 });
            let mut addrs = self.empty();
            addrs.push(SocketAddr::from(([192, 0, 2, 1], port)));
            Ok(addrs)
        }
    }

    impl<R> CachingResolver<R> {
        fn len(&self) -> usize {
            self.shared.entries.lock().unwrap().len()
        }
    }

    fn fake() -> CachingResolver<FakeDns> {
        CachingResolver::new(FakeDns::default())
    }

    fn lookups(resolver: &CachingResolver<FakeDns>) -> usize {
        resolver.shared.lookup.lookups.load(Ordering::SeqCst)
    }

    fn resolve_at<R: Resolver>(
        resolver: &CachingResolver<R>,
        url: &str,
        now: Instant,
    ) -> Result<Vec<SocketAddr>, ureq::Error> {
        let uri: Uri = url.parse().expect("valid test URI");
        resolver
            .resolve_at(&uri, &Config::default(), NextTimeout::default(), now)
            .map(|addrs| addrs.iter().copied().collect())
    }

    #[test]
    fn ip_literals_need_no_lookup_and_no_entry() {
        let resolver = fake();
        let now = Instant::now();
        assert_eq!(
            resolve_at(&resolver, "http://127.0.0.1:8080/v2/x", now).unwrap(),
            vec![SocketAddr::from(([127, 0, 0, 1], 8080))]
        );
        assert_eq!(
            resolve_at(&resolver, "https://[::1]/v2", now).unwrap(),
            vec!["[::1]:443".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve_at(&resolver, "http://10.1.2.3/", now).unwrap(),
            vec![SocketAddr::from(([10, 1, 2, 3], 80))]
        );
        assert_eq!(lookups(&resolver), 0);
        assert_eq!(resolver.len(), 0);
    }

    /// Ports as `DefaultResolver` has them: the URI's, else the scheme's.
    #[test]
    fn ports_default_by_scheme_and_names_are_cached_apart_from_literals() {
        let resolver = fake();
        let now = Instant::now();
        for (url, port) in [
            ("https://api.example.test/v2", 443),
            ("HTTPS://API.example.test:8443/v2?x=1", 8443),
            ("http://user:pw@host.example.test:81/", 81),
            ("http://1.2.3.4.example.test/", 80),
        ] {
            let addrs = resolve_at(&resolver, url, now).unwrap();
            assert_eq!(
                addrs,
                vec![SocketAddr::from(([192, 0, 2, 1], port))],
                "{url}"
            );
        }
        assert_eq!(lookups(&resolver), 4);
        assert_eq!(
            resolve_at(&resolver, "http://[2001:db8::1]:8080/", now).unwrap(),
            vec!["[2001:db8::1]:8080".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(lookups(&resolver), 4, "a literal needs no lookup");
    }

    #[test]
    fn ip_literal_of_the_wrong_family_is_host_not_found() {
        let resolver = fake();
        let config = Config::builder().ip_family(IpFamily::Ipv4Only).build();
        let uri: Uri = "http://[::1]:80/".parse().unwrap();
        let result = resolver.resolve_at(&uri, &config, NextTimeout::default(), Instant::now());
        assert!(matches!(result, Err(ureq::Error::HostNotFound)));
    }

    #[test]
    fn host_names_are_cached_within_the_ttl() {
        let resolver = fake();
        let t0 = Instant::now();
        let first = resolve_at(&resolver, "https://api.example.test/v2/a", t0).unwrap();
        let again = resolve_at(&resolver, "https://API.example.test/v2/b", t0 + TTL / 2).unwrap();
        let last = resolve_at(
            &resolver,
            "https://api.example.test:443/",
            t0 + TTL - Duration::from_millis(1),
        )
        .unwrap();
        assert_eq!(first, vec![SocketAddr::from(([192, 0, 2, 1], 443))]);
        assert_eq!(again, first);
        assert_eq!(last, first);
        assert_eq!(lookups(&resolver), 1);
        assert_eq!(resolver.len(), 1);
        // Another port is another entry.
        resolve_at(&resolver, "http://api.example.test:8080/", t0).unwrap();
        assert_eq!(lookups(&resolver), 2);
        assert_eq!(resolver.len(), 2);
    }

    #[test]
    fn entries_expire_after_the_ttl() {
        let resolver = fake();
        let t0 = Instant::now();
        resolve_at(&resolver, "https://api.example.test/", t0).unwrap();
        resolve_at(&resolver, "https://api.example.test/", t0 + TTL).unwrap();
        assert_eq!(lookups(&resolver), 2);
        // The stale entry was replaced, not kept beside the new one.
        assert_eq!(resolver.len(), 1);
        resolve_at(&resolver, "https://api.example.test/", t0 + TTL + TTL / 2).unwrap();
        assert_eq!(lookups(&resolver), 2);
    }

    #[test]
    fn the_cache_is_bounded_and_drops_the_oldest() {
        let resolver = fake();
        let t0 = Instant::now();
        for i in 0..3 * MAX_ENTRIES {
            let at = t0 + Duration::from_millis(i as u64);
            resolve_at(&resolver, &format!("https://h{i}.example.test/"), at).unwrap();
            assert!(resolver.len() <= MAX_ENTRIES);
        }
        assert_eq!(resolver.len(), MAX_ENTRIES);
        let lookups_before = lookups(&resolver);
        let newest = format!("https://h{}.example.test/", 3 * MAX_ENTRIES - 1);
        resolve_at(&resolver, &newest, t0 + Duration::from_secs(1)).unwrap();
        assert_eq!(lookups(&resolver), lookups_before, "newest still cached");
        resolve_at(
            &resolver,
            "https://h0.example.test/",
            t0 + Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(lookups(&resolver), lookups_before + 1, "oldest evicted");
    }

    #[test]
    fn failures_are_not_cached_and_invalidate_forgets() {
        let failing = CachingResolver::new(FakeDns {
            fail: true,
            ..FakeDns::default()
        });
        let now = Instant::now();
        assert!(resolve_at(&failing, "https://down.example.test/", now).is_err());
        assert!(resolve_at(&failing, "https://down.example.test/", now).is_err());
        assert_eq!(lookups(&failing), 2);
        assert_eq!(failing.len(), 0);

        let resolver = fake();
        resolve_at(&resolver, "https://api.example.test/", now).unwrap();
        resolver.clone().invalidate(); // clones share the cache
        assert_eq!(resolver.len(), 0);
        resolve_at(&resolver, "https://api.example.test/", now).unwrap();
        assert_eq!(lookups(&resolver), 2);
    }

    #[test]
    fn other_schemes_go_to_the_inner_resolver() {
        let resolver = CachingResolver::new(DefaultResolver::default());
        let result = resolve_at(&resolver, "ftp://127.0.0.1:21/", Instant::now());
        assert!(matches!(result, Err(ureq::Error::BadUri(_))), "{result:?}");
    }

    #[test]
    fn localhost_through_the_system_resolver_is_cached() {
        let resolver = CachingResolver::new(DefaultResolver::default());
        let addrs = resolve_at(&resolver, "http://localhost:9/", Instant::now()).unwrap();
        assert!(!addrs.is_empty());
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 9));
        assert_eq!(resolver.len(), 1);
    }

    #[test]
    fn a_failed_connect_drops_the_cache() {
        // A port nothing listens on: bind, note it, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("loopback port");
        let resolver = CachingResolver::new(FakeLoopback);
        let config = Config::builder()
            .proxy(None)
            .timeout_connect(Some(Duration::from_secs(5)))
            .build();
        let agent = ureq::Agent::with_parts(config, resolver.clone(), resolver.clone());
        let result = agent.get(format!("http://bench.test:{port}/")).call();
        assert!(result.is_err(), "nothing listens on {port}");
        assert_eq!(resolver.len(), 0, "the address that failed is forgotten");
    }

    /// Answers every name with 127.0.0.1, so a made-up name reaches loopback
    /// without DNS.
    #[derive(Debug)]
    struct FakeLoopback;

    impl Resolver for FakeLoopback {
        fn resolve(
            &self,
            uri: &Uri,
            _config: &Config,
            _timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::from((
                [127, 0, 0, 1],
                uri.port_u16().unwrap_or(80),
            )));
            Ok(addrs)
        }
    }
}
