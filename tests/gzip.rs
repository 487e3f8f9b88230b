//! The `gzip` feature: gzip-encoded pages decode, and `max_response_bytes` bounds
//! the *decompressed* size, so a small body that inflates without end (a gzip
//! bomb) is refused after reading just past the limit.
#![cfg(feature = "gzip")]

mod support;

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use support::{Reply, TestServer, fixture};
use telnyx_blocking::Error;
use telnyx_blocking::managed_accounts::ListManagedAccounts;

const MIB: usize = 1024 * 1024;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn gzipped(body: Vec<u8>) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Content-Encoding".into(), "gzip".into()),
        ],
        body,
    }
}

#[test]
fn gzip_encoded_pages_decode() {
    let page = fixture("managed_accounts_list.json");
    let server = TestServer::replies(vec![gzipped(gzip(page.as_bytes()))]);
    let expected: serde_json::Value = serde_json::from_str(&page).unwrap();
    let first = server
        .client()
        .managed_accounts()
        .list(ListManagedAccounts::new())
        .pages()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(first.data.len(), expected["data"].as_array().unwrap().len());
    assert_eq!(first.data[0].id, expected["data"][0]["id"]);
    let request = &server.requests()[0];
    assert!(
        request
            .header("accept-encoding")
            .is_some_and(|v| v.contains("gzip")),
        "{request:?}"
    );
}

#[test]
fn a_gzip_bomb_is_refused_at_the_decompressed_limit() {
    // 100 gzip members of 1 MiB of spaces each: about 100 KB on the wire that
    // would inflate to 100 MiB (a reader must accept concatenated members).
    let member = gzip(&vec![b' '; MIB]);
    let bomb: Vec<u8> = member
        .iter()
        .copied()
        .cycle()
        .take(member.len() * 100)
        .collect();
    assert!(bomb.len() < 200 * 1024, "{} bytes on the wire", bomb.len());
    let server = TestServer::replies(vec![gzipped(bomb)]);
    let client = server
        .builder()
        .max_response_bytes(MIB as u64)
        .build()
        .unwrap();
    let error = client.get_json("managed_accounts", &[]).unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("larger than") && message.contains(&MIB.to_string()),
        "{message}"
    );
    assert_eq!(server.request_count(), 1, "not retried");
}

/// Under the limit, the same kind of body is read whole: the limit is on the
/// decompressed bytes, not on what came over the wire.
#[test]
fn a_body_that_inflates_past_the_limit_is_refused_even_when_small_on_the_wire() {
    let json = format!(r#"{{"data":[],"pad":"{}"}}"#, " ".repeat(2 * MIB));
    let compressed = gzip(json.as_bytes());
    assert!(compressed.len() < 64 * 1024);
    let server = TestServer::replies(vec![gzipped(compressed)]);
    let big = server
        .builder()
        .max_response_bytes(4 * MIB as u64)
        .build()
        .unwrap();
    assert!(big.get_json("managed_accounts", &[]).is_ok());
    let small = server
        .builder()
        .max_response_bytes(MIB as u64)
        .build()
        .unwrap();
    let error = small.get_json("managed_accounts", &[]).unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}
