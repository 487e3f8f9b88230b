//! The `telnyx-mock` command: the mock as a standalone server, for scripts
//! and for other languages' tests (the official SDKs included).
//!
//! ```text
//! cargo run --features mock --bin telnyx-mock -- --port 4010 --state mock.json
//! ```
//!
//! The first line on stdout is `telnyx-mock listening on http://HOST:PORT/v2`,
//! flushed at once, so a script can wait for it (and read the port from it
//! when started with `--port 0`); the second names the API key.
//!
//! It runs until SIGINT or SIGTERM. There is no signal handler: the default
//! action ends the process, which loses nothing, because with `--state` every
//! change is saved (to a temporary file, then renamed over the state file)
//! before it is answered. So even SIGKILL loses nothing the server
//! acknowledged (a power cut may: the file is not fsynced).
//!
//! The state file is JSON (accounts, users, the id and time counters). A
//! missing file is created from the seed (`--empty` or the default data); a
//! file that cannot be read or parsed stops the start with an error naming
//! it, and is never replaced. Faults and recorded requests are not saved.

use std::io::Write;
use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{DEFAULT_API_KEY, MockServer};

const USAGE: &str = "\
telnyx-mock: an offline, stateful mock of Telnyx's Account Management API (/v2)

USAGE: telnyx-mock [OPTIONS]

OPTIONS:
  --host HOST             address to listen on (default 127.0.0.1)
  --allow-non-loopback    allow a --host other machines can reach (the mock has no security)
  --port PORT             port to listen on; 0 picks a free one (default 4010)
  --api-key KEY           the only API key accepted (default KEYmock_0000)
  --state FILE            load the data from FILE (created if missing) and save every change to it
  --empty                 start from an empty organization instead of the default data
  -h, --help              print this help

CONTROL API (outside /v2, no key):
  POST   /__mock/faults    {\"method\": \"POST\", \"path\": \"/v2/managed_accounts\",
                            \"fault\": \"status_after_processing\", \"status\": 500}
  DELETE /__mock/faults    clear pending faults
  GET    /__mock/requests  the requests received, secrets redacted
";

/// Runs `telnyx-mock` with the process's arguments; see the [module docs](self).
pub fn main() -> ExitCode {
    match run(std::env::args().skip(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("telnyx-mock: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let (mut host, mut port, mut api_key) =
        ("127.0.0.1".to_string(), 4010, DEFAULT_API_KEY.to_string());
    let (mut state, mut empty, mut open) = (None, false, false);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => host = value()?,
            "--port" => port = value()?.parse().map_err(|_| "--port takes 0 to 65535")?,
            "--api-key" => api_key = value()?,
            "--state" => state = Some(PathBuf::from(value()?)),
            "--empty" => empty = true,
            "--allow-non-loopback" => open = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}; see --help")),
        }
    }
    let addrs: Vec<_> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| format!("--host {host}: {e}"))?
        .collect();
    let addr = *addrs.first().ok_or(format!("--host {host}: no address"))?;
    if !open && addrs.iter().any(|a| !a.ip().is_loopback()) {
        return Err(format!(
            "--host {host} is not a loopback address; the mock has no security, so add --allow-non-loopback to serve other machines"
        ));
    }
    let mut builder = match empty {
        true => MockServer::builder(),
        false => MockServer::builder().default_seed(),
    }
    .api_key(api_key);
    builder.addr = addr;
    builder.state_file = state;
    let mock = builder
        .try_start()
        .map_err(|e| format!("cannot start on {addr}: {e}"))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "telnyx-mock listening on {}", mock.url())
        .and_then(|()| writeln!(out, "API key: {}", mock.api_key()))
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    let MockServer { server, .. } = mock;
    server.wait();
    Ok(())
}
