//! One client shared by many threads keeps one connection per thread: the idle
//! pool holds the connections of every thread between calls (ureq's default of 3
//! makes 16 threads reconnect on most calls). Counts, not timing, are asserted.

mod support;

use std::sync::{Arc, Barrier};

use support::{TestServer, fixture};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";
const THREADS: usize = 16;
const CALLS: usize = 20;

/// `THREADS` threads make `CALLS` calls each; between two calls every thread
/// waits for all the others (a barrier, not a sleep), so all of their
/// connections are idle in the pool at once, as in a service between requests.
fn shared_client_connections(
    builder: telnyx_blocking::TelnyxBuilder,
    server: &TestServer,
) -> usize {
    let client = builder.build().unwrap();
    let barrier = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (client, barrier) = (client.clone(), barrier.clone());
            std::thread::spawn(move || {
                for _ in 0..CALLS {
                    assert_eq!(client.managed_accounts().retrieve(ID).unwrap().id, ID);
                    barrier.wait();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(server.request_count(), THREADS * CALLS);
    server.connection_count()
}

#[test]
fn sixteen_threads_sharing_a_client_keep_their_connections() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let opened = shared_client_connections(server.builder(), &server);
    assert!(
        opened <= THREADS + 2,
        "{THREADS} threads × {CALLS} calls opened {opened} connections; expected about {THREADS}"
    );
}

/// The bound is the builder's: 0 keeps no idle connection. (With ureq's old
/// default of 3, the test above opens well over 100 connections; that count
/// depends on how the threads interleave, so it is not asserted here.)
#[test]
fn a_pool_of_zero_reconnects_every_call() {
    let server = TestServer::json(&fixture("managed_account.json"));
    let client = server.builder().pool_max_idle_per_host(0).build().unwrap();
    for _ in 0..5 {
        client.managed_accounts().retrieve(ID).unwrap();
    }
    assert_eq!(server.connection_count(), 5, "no idle connection is kept");
}
