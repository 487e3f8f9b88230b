//! `telnyx-mock`, the standalone mock, driven from outside as a script or another
//! language's tests would: started as a child process, used over HTTP, killed with
//! SIGKILL and restarted on its state file; its control API; `/v2` only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use telnyx_blocking::managed_accounts::{CreateManagedAccount, ListManagedAccounts};
use telnyx_blocking::mock::MockServer;
use telnyx_blocking::{Error, Telnyx};

const BIN: &str = env!("CARGO_BIN_EXE_telnyx-mock");

/// A running `telnyx-mock`, killed (SIGKILL) when dropped.
struct Mock {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    url: String,
    api_key: String,
}

impl Mock {
    /// Starts the binary and waits for its first line (a blocking read, no sleep).
    fn start(args: &[&str]) -> Mock {
        let mut child = Command::new(BIN)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn telnyx-mock");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (mut first, mut second) = (String::new(), String::new());
        stdout.read_line(&mut first).unwrap();
        stdout.read_line(&mut second).unwrap();
        let url = first
            .trim()
            .strip_prefix("telnyx-mock listening on ")
            .unwrap_or_else(|| panic!("first line: {first:?}"))
            .to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with("/v2"),
            "{url}"
        );
        let api_key = second.trim().rsplit(' ').next().unwrap().to_owned();
        Mock {
            child,
            _stdout: stdout,
            url,
            api_key,
        }
    }

    fn client(&self) -> Telnyx {
        Telnyx::builder()
            .api_key(&self.api_key)
            .base_url(&self.url)
            .sleep_fn(|_| {})
            .build()
            .unwrap()
    }

    fn addr(&self) -> &str {
        self.url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix("/v2"))
            .unwrap()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 exchange on a fresh connection: (status, body).
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

fn temp_state(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("telnyx-mock-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    file
}

fn state_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn state_survives_sigkill_and_a_restart() {
    let state = temp_state("sigkill");
    let created = {
        let mock = Mock::start(&["--state", state_arg(&state), "--empty"]);
        let client = mock.client();
        let created = client
            .managed_accounts()
            .create(CreateManagedAccount::new("Durable Co").email("durable@mock.example.com"))
            .unwrap();
        client
            .managed_accounts()
            .actions()
            .disable(&created.id)
            .unwrap();
        created
        // Dropped: SIGKILL, no chance to save anything more.
    };
    let mock = Mock::start(&["--state", state_arg(&state)]);
    let client = mock.client();
    let found = client.managed_accounts().retrieve(&created.id).unwrap();
    assert_eq!(found.email, "durable@mock.example.com");
    let disabled: Vec<_> = client
        .managed_accounts()
        .list(
            ListManagedAccounts::new()
                .status(telnyx_blocking::managed_accounts::ManagedAccountStatus::Disabled),
        )
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(disabled, [created.id], "the disable was saved too");
}

#[test]
fn a_corrupt_state_file_stops_the_start_and_is_kept() {
    let state = temp_state("corrupt");
    std::fs::write(&state, "{ not json").unwrap();
    let out = Command::new(BIN)
        .args(["--port", "0", "--state", state_arg(&state)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(state_arg(&state)),
        "names the file: {stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        "{ not json",
        "never replaced"
    );
}

#[test]
fn the_control_api_injects_a_lost_create_and_shows_requests_without_secrets() {
    let mock = Mock::start(&["--empty"]);
    let client = mock.client();
    let fault = r#"{"method":"POST","path":"/v2/managed_accounts","fault":"status_after_processing","status":500}"#;
    let (status, body) = http(mock.addr(), "POST", "/__mock/faults", fault);
    assert_eq!(status, 200, "{body}");

    let request = CreateManagedAccount::new("Lost Co")
        .email("lost@mock.example.com")
        .password("pw-Control-1234");
    let err = client.managed_accounts().create(request).unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 500),
        "{err:?}"
    );
    let listed: Vec<_> = client
        .managed_accounts()
        .list(ListManagedAccounts::new().email_eq("lost@mock.example.com"))
        .collect();
    assert_eq!(
        listed.len(),
        1,
        "processed before the 500: the account exists"
    );

    let (status, body) = http(mock.addr(), "GET", "/__mock/requests", "");
    assert_eq!(status, 200);
    assert!(body.contains("/v2/managed_accounts"), "{body}");
    assert!(!body.contains(&mock.api_key), "no API key: {body}");
    assert!(!body.contains("pw-Control-1234"), "no password: {body}");

    let (status, _) = http(mock.addr(), "DELETE", "/__mock/faults", "");
    assert_eq!(status, 200);
    let (status, body) = http(mock.addr(), "POST", "/__mock/faults", "{ nope");
    assert_eq!(status, 400, "{body}");
    let (status, body) = http(
        mock.addr(),
        "POST",
        "/__mock/faults",
        r#"{"method":"GET","path":"/v2/x","fault":"no_such_fault"}"#,
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("no_such_fault"), "says what is wrong: {body}");
}

#[test]
fn only_v2_is_served_by_the_binary_and_by_mock_server() {
    let mock = Mock::start(&[]);
    let (status, body) = http(mock.addr(), "GET", "/managed_accounts", "");
    assert_eq!(status, 404);
    assert!(body.contains("/v2"), "the 404 names the prefix: {body}");

    let server = MockServer::start();
    assert!(server.url().ends_with("/v2"), "{}", server.url());
    let root = server.url().trim_end_matches("/v2").to_owned();
    let client = Telnyx::builder()
        .api_key(server.api_key())
        .base_url(&root)
        .build()
        .unwrap();
    let err = client.managed_accounts().retrieve("x").unwrap_err();
    assert_eq!(
        err.status(),
        Some(404),
        "a base URL without /v2 fails in tests too"
    );
    assert!(err.to_string().contains("/v2"), "{err}");
}
