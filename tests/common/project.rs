//! A throwaway factcheck project for end-to-end tests of `factcheck refresh`: its
//! factcheck.toml, assertion files, and helpers to run the binary and read its JSON report.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_factcheck");

/// The test project's factcheck.toml: private addresses allowed (the servers are on
/// 127.0.0.1), fast pacing and retries, a 1 s timeout, a 64 KiB body limit.
pub fn config(wayback: &str) -> String {
    format!(
        "allow_private_addresses = true\nwayback_url = \"{wayback}\"\n\
         [http]\nper_host = 4\nper_host_delay_ms = 10\nretries = 1\nretry_base_ms = 10\n\
         retry_after_cap_secs = 5\ntimeout_secs = 1\nbody_limit = 65536\n"
    )
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

pub fn factcheck(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("FACTCHECK_NETWORK")
        .output()
        .expect("run factcheck")
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `refresh --format json`, checks the exit code, returns the report.
pub fn refresh_json(dir: &Path, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["refresh", "--format", "json"];
    args.extend_from_slice(extra);
    let out = factcheck(dir, &args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json report")
}

pub fn source<'a>(report: &'a Value, url: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["url"] == url))
        .unwrap_or_else(|| panic!("no source {url} in {report:#}"))
}

pub fn claim<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["claims"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no claim {id} in {report:#}"))
}

/// A claim citing `url` that checks `contains`.
pub fn claim_toml(id: &str, url: &str, contains: &str) -> String {
    format!(
        "[[claim]]\nid = \"{id}\"\nstatement = \"{id}\"\nsource = \"{url}\"\ncheck.contains = \"{contains}\"\n\n"
    )
}

pub fn assert_cache_verifies(dir: &Path) {
    let out = factcheck(dir, &["cache", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// Waits for `child` to exit, killing it and failing the test after `limit` (`what` names it).
pub fn wait_within(child: &mut std::process::Child, limit: std::time::Duration, what: &str) {
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} did not finish within {} s", limit.as_secs());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
