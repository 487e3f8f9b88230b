//! Hostile response bodies never make the client panic.
//!
//! Thousands of mutations of the spec's examples (truncation at every byte, every
//! value swapped for every JSON type, nulls, huge numbers, deep nesting, invalid
//! UTF-8, duplicate keys, and random byte edits from a fixed-seed PRNG) are served
//! by a loopback server to the real client, on every decoding endpoint and as
//! error envelopes. Each call must return `Ok` or a typed `Error` whose `Display`
//! is one line. Deterministic: same seed, same cases, same order.

mod support;

use std::sync::{Arc, Mutex};

use serde_json::Value;
use support::{Reply, TestServer, fixture};
use telnyx_blocking::managed_accounts::{ListManagedAccounts, UpdateGlobalChannelLimit};
use telnyx_blocking::organizations::users::{ListOrganizationUsers, RetrieveOrganizationUser};
use telnyx_blocking::{Error, Telnyx};

const ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

/// xorshift64*: a fixed seed gives the same cases on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One decoding endpoint and the example it answers with.
struct Endpoint {
    fixture: &'static str,
    call: fn(&Telnyx) -> Result<(), Error>,
}

fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            fixture: "managed_account.json",
            call: |c| c.managed_accounts().retrieve(ID).map(drop),
        },
        Endpoint {
            fixture: "global_channel_limit.json",
            call: |c| {
                c.managed_accounts()
                    .update_global_channel_limit(ID, UpdateGlobalChannelLimit::new())
                    .map(drop)
            },
        },
        Endpoint {
            fixture: "allocatable_channels.json",
            call: |c| {
                c.managed_accounts()
                    .get_allocatable_global_outbound_channels()
                    .map(drop)
            },
        },
        Endpoint {
            fixture: "organization_user.json",
            call: |c| {
                c.organizations()
                    .users()
                    .retrieve(ID, RetrieveOrganizationUser::new())
                    .map(drop)
            },
        },
        Endpoint {
            fixture: "groups_report.json",
            call: |c| c.organizations().users().get_groups_report().map(drop),
        },
        Endpoint {
            // The example is page 2, so ask for page 2.
            fixture: "managed_accounts_list.json",
            call: |c| {
                first_page(
                    c.managed_accounts()
                        .list(ListManagedAccounts::new().page_number(2))
                        .pages(),
                )
            },
        },
        Endpoint {
            fixture: "organization_users_list.json",
            call: |c| {
                first_page(
                    c.organizations()
                        .users()
                        .list(ListOrganizationUsers::new())
                        .pages(),
                )
            },
        },
    ]
}

fn first_page<T: serde::de::DeserializeOwned>(
    mut pages: telnyx_blocking::pagination::Pages<T>,
) -> Result<(), Error> {
    pages = pages.max_pages(1);
    pages.next().expect("a first page or an error").map(drop)
}

/// The error envelope of the spec's examples, served with a 4xx status.
const ERROR_ENVELOPE: &str = r#"{"errors":[{"code":"10015","title":"Invalid value","detail":"business_name can't be blank","source":{"pointer":"/business_name","parameter":"x"},"meta":{"url":"https://developers.telnyx.com/docs/overview/errors/10015"}}]}"#;

// ---------------------------------------------------------------- mutations

/// What to do to the node with the chosen pre-order index.
enum Edit<'a> {
    /// Write these bytes (raw JSON, possibly invalid) instead of the node.
    Replace(&'a [u8]),
    /// An object gets each member twice, the copy with a swapped value.
    Duplicate,
}

fn render(value: &Value, target: usize, edit: &Edit, next: &mut usize, out: &mut Vec<u8>) {
    let index = *next;
    *next += 1;
    if index == target {
        if let Edit::Replace(raw) = edit {
            out.extend_from_slice(raw);
            // Keep numbering the skipped subtree so later indexes stay stable.
            *next += count(value) - 1;
            return;
        }
    }
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                render(item, target, edit, next, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(serde_json::to_string(key).unwrap().as_bytes());
                out.push(b':');
                render(item, target, edit, next, out);
                if index == target && matches!(edit, Edit::Duplicate) {
                    out.push(b',');
                    out.extend_from_slice(serde_json::to_string(key).unwrap().as_bytes());
                    out.extend_from_slice(if item.is_string() { b":7" } else { b":\"x\"" });
                }
            }
            out.push(b'}');
        }
        scalar => out.extend_from_slice(serde_json::to_string(scalar).unwrap().as_bytes()),
    }
}

fn count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// Values that stand in for any node: every JSON type, nulls, edge numbers,
/// strange strings, invalid UTF-8, and nesting past serde_json's recursion limit.
fn replacements() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = [
        "\"s\"",
        "\"\"",
        "0",
        "-1",
        "1.5",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        "[null]",
        "{\"a\":1}",
        "1e400",
        "-1e400",
        "1e-400",
        "-0",
        "18446744073709551616",
        "-9223372036854775809",
        "9223372036854775807",
        "123456789012345678901234567890",
        "\"\\ud800\"",
        "\"\\u0000\\r\\n\\u001b[2J\"",
        "\"2018-02-30T25:61:61Z\"",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    // Invalid UTF-8 inside strings: a stray byte, a cut sequence, a surrogate.
    all.push(b"\"\xFF\"".to_vec());
    all.push(b"\"a\xC3\"".to_vec());
    all.push(b"\"\xED\xA0\x80\"".to_vec());
    all.push(b"\xFE\xFF".to_vec());
    all.push(deep(b"[", b"]", 10_000));
    all.push(deep(b"{\"a\":", b"}", 10_000));
    all.push(b"[".repeat(20_000));
    all
}

fn deep(open: &[u8], close: &[u8], depth: usize) -> Vec<u8> {
    let mut out = open.repeat(depth);
    out.extend_from_slice(&close.repeat(depth));
    out
}

fn random_edit(rng: &mut Rng, body: &[u8]) -> Vec<u8> {
    const TOKENS: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"\"",
        b"\\",
        b"null",
        b"1e999",
        b"-",
        b"\xFF",
        b"\\u",
        b"\"data\"",
        b"\"meta\"",
    ];
    let mut out = body.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if at < out.len() => out[at] ^= 1 << rng.below(8),
            1 => out.insert(at, rng.next() as u8),
            2 if at < out.len() => {
                out.remove(at);
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            _ => {
                let end = (at + rng.below(32)).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
        }
    }
    out
}

/// Every mutation of `example`, in a fixed order.
fn mutations(example: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut cases = Vec::new();
    // Truncation at every byte.
    for end in 0..example.len() {
        cases.push(example[..end].to_vec());
    }
    let value: Value = serde_json::from_slice(example).expect("fixtures are JSON");
    let nodes = count(&value);
    let replacements = replacements();
    for target in 0..nodes {
        for raw in &replacements {
            let mut out = Vec::new();
            render(&value, target, &Edit::Replace(raw), &mut 0, &mut out);
            cases.push(out);
        }
        let mut out = Vec::new();
        render(&value, target, &Edit::Duplicate, &mut 0, &mut out);
        cases.push(out);
    }
    // Random edits.
    for _ in 0..150 {
        cases.push(random_edit(rng, example));
    }
    // The whole body nested deep, and around the example.
    cases.push(deep(b"[", b"]", 100_000));
    let mut wrapped = b"[".repeat(5_000);
    wrapped.extend_from_slice(example);
    wrapped.extend_from_slice(&b"]".repeat(5_000));
    cases.push(wrapped);
    cases
}

// ---------------------------------------------------------------- the run

struct Served {
    status: u16,
    body: Vec<u8>,
}

fn server() -> (TestServer, Arc<Mutex<Served>>) {
    let current = Arc::new(Mutex::new(Served {
        status: 200,
        body: Vec::new(),
    }));
    let shared = current.clone();
    let server = TestServer::start(move |_| {
        let served = shared.lock().unwrap();
        Reply {
            status: served.status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: served.body.clone(),
        }
    });
    (server, current)
}

fn check_one_line(err: &Error, body: &[u8]) {
    let shown = err.to_string();
    assert!(
        !shown.contains(['\r', '\n']),
        "multi-line error {shown:?} for body {:?}",
        String::from_utf8_lossy(body)
    );
}

#[test]
fn mutated_success_bodies_give_ok_or_a_decode_error() {
    let (server, current) = server();
    let client = server.builder().max_retries(0).build().unwrap();
    let mut rng = Rng(0x5EED_CAFE_F00D_D00D);
    let (mut ok, mut failed) = (0, 0);
    for endpoint in endpoints() {
        let example = fixture(endpoint.fixture);
        for body in mutations(example.as_bytes(), &mut rng) {
            current.lock().unwrap().body = body.clone();
            match (endpoint.call)(&client) {
                Ok(()) => ok += 1,
                Err(err) => {
                    // A list page reporting another number than the one asked
                    // for is the paginator's guard, not a decode error.
                    assert!(
                        matches!(err, Error::Decode(_) | Error::Pagination(_)),
                        "{}: a 2xx gave {err:?}",
                        endpoint.fixture
                    );
                    check_one_line(&err, &body);
                    failed += 1;
                }
            }
        }
    }
    eprintln!(
        "{} bodies: {ok} decoded, {failed} decode errors",
        ok + failed
    );
    assert!(ok > 500 && failed > 5_000, "ok {ok}, failed {failed}");
    assert_eq!(server.request_count(), ok + failed);
}

#[test]
fn mutated_error_bodies_give_an_api_error_with_the_status() {
    let (server, current) = server();
    let client = server.builder().max_retries(0).build().unwrap();
    let mut rng = Rng(0xBAD_5EED);
    current.lock().unwrap().status = 422;
    let mut cases = 0;
    for body in mutations(ERROR_ENVELOPE.as_bytes(), &mut rng) {
        current.lock().unwrap().body = body.clone();
        let err = client.managed_accounts().retrieve(ID).unwrap_err();
        let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(api.status(), 422);
        assert!(!api.message().is_empty());
        check_one_line(&err, &body);
        cases += 1;
    }
    eprintln!("{cases} error bodies");
    assert!(cases > 500, "{cases}");
    assert_eq!(server.request_count(), cases);
}
