//! `telnyx-mock`: the offline mock as a standalone server; see
//! `telnyx_blocking::mock::cli` for its flags, state file and control API.

fn main() -> std::process::ExitCode {
    telnyx_blocking::mock::cli::main()
}
