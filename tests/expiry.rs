//! Expectations that expire, end to end: `until` and `why` on a claim make `check` fail after
//! the date (fixed by `--today` or `FACTCHECK_TODAY`), `check --expired` lists what is due,
//! the JSON report carries the expectation, and the test harness fails an expired claim too.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::project::{BIN, text, write};

/// A claim whose source is not cached (offline, so `unavailable`, as expected until
/// 2026-06-30), one expiring later, and one with no end date.
const SUITE: &str = r#"
[[claim]]
id = "known-dispute"
statement = "The page is gone."
source = "https://example.com/gone"
expect = "unavailable"
until = 2026-06-30
why = "correction requested from the publisher"
check.contains = "anything"

[[claim]]
id = "to-source"
statement = "Nothing here yet."
expect = "unsourced"
until = "2026-07-15"
why = "waiting for the report"

[[claim]]
id = "open-ended"
statement = "Nothing here either."
expect = "unsourced"
why = "an editor's note, with no end date"
"#;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", "offline = true\n");
    write(dir.path(), "assertions/a.toml", SUITE);
    dir
}

fn run(dir: &Path, args: &[&str], today: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("FACTCHECK_NETWORK")
        .env_remove("FACTCHECK_TODAY");
    if let Some(today) = today {
        cmd.env("FACTCHECK_TODAY", today);
    }
    cmd.output().expect("run factcheck")
}

#[test]
fn an_expectation_holds_through_its_date_and_fails_after() {
    let dir = project();
    let on = run(dir.path(), &["check", "--today", "2026-06-30"], None);
    assert_eq!(on.status.code(), Some(0), "{}", text(&on.stdout));
    let stderr = text(&on.stderr);
    assert!(
        stderr.contains("2 expectations in the suite end within 30 days"),
        "{stderr}"
    );

    let after = run(dir.path(), &["check", "--today", "2026-07-01"], None);
    assert_eq!(after.status.code(), Some(1), "{}", text(&after.stdout));
    let out = text(&after.stdout);
    assert!(
        out.contains(
            "assertions/a.toml:2:1: error: unavailable: a::known-dispute: The page is gone. — \
             expectation expired on 2026-06-30 (expected unavailable until then: correction \
             requested from the publisher); look again and move `until` or change `expect`."
        ),
        "{out}"
    );
    assert!(
        out.contains("[FAIL: expected unavailable until 2026-06-30]"),
        "{out}"
    );
    assert!(out.contains("3 claims: 2 passed, 1 failed"), "{out}");

    // FACTCHECK_TODAY does what --today does, and --today wins over it.
    let env = run(dir.path(), &["check"], Some("2026-07-16"));
    assert_eq!(env.status.code(), Some(1));
    assert!(
        text(&env.stdout).contains("2 failed"),
        "{}",
        text(&env.stdout)
    );
    let flag = run(
        dir.path(),
        &["check", "--today", "2026-01-01"],
        Some("2026-07-16"),
    );
    assert_eq!(flag.status.code(), Some(0), "{}", text(&flag.stdout));
}

#[test]
fn a_bad_today_is_invalid_input() {
    let dir = project();
    let out = run(dir.path(), &["check"], Some("tomorrow"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("FACTCHECK_TODAY is `tomorrow`, not a date"),
        "{}",
        text(&out.stderr)
    );
    let out = run(dir.path(), &["check", "--today", "2026-02-30"], None);
    assert_eq!(out.status.code(), Some(2));
    // `explain` and `refresh` judge expectations too, and refuse the same date rather than use
    // the clock's.
    for command in [&["explain", "a::known-dispute"][..], &["refresh"][..]] {
        let out = run(dir.path(), command, Some("tomorrow"));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command:?}: {}",
            text(&out.stdout)
        );
        assert!(
            text(&out.stderr).contains("FACTCHECK_TODAY is `tomorrow`, not a date"),
            "{command:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn the_json_report_carries_the_expectation() {
    let dir = project();
    let out = run(
        dir.path(),
        &["check", "--format", "json", "--today", "2026-07-01"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let claims = report["claims"].as_array().expect("claims");
    assert_eq!(
        claims[0]["expectation"],
        serde_json::json!({"until": "2026-06-30", "why": "correction requested from the publisher", "expired": true})
    );
    // The reason stays the verdict's; the expectation says why the claim failed.
    assert!(
        !claims[0]["reason"]
            .as_str()
            .expect("reason")
            .contains("expired"),
        "{}",
        claims[0]
    );
    assert_eq!(claims[0]["passed"], false);
    assert_eq!(claims[1]["expectation"]["expired"], false);
    assert_eq!(
        claims[2]["expectation"],
        serde_json::json!({"why": "an editor's note, with no end date", "expired": false})
    );
}

/// Code scanning shows an expired expectation as an error, whatever the claim's verdict.
#[test]
fn sarif_reports_an_expired_expectation_as_a_failing_error() {
    let dir = project();
    let out = run(
        dir.path(),
        &["check", "--format", "sarif", "--today", "2026-07-01"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results[0]["level"], "error", "{}", results[0]);
    assert_eq!(results[0]["kind"], "fail");
    // Not expired: the verdict's level, as before.
    assert_eq!(results[1]["level"], "note", "{}", results[1]);
}

#[test]
fn expired_lists_what_is_due_without_checking() {
    let dir = project();
    let out = run(dir.path(), &["check", "--expired"], Some("2026-07-01"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "assertions/a.toml:7:9: error: a::known-dispute: expectation expired on 2026-06-30 (1 day ago) — correction requested from the publisher\n\
         assertions/a.toml:15:9: warning: a::to-source: expectation expires on 2026-07-15 (in 14 days) — waiting for the report\n\
         \n1 expired, 1 ending within 30 days (today is 2026-07-01, UTC)\n"
    );

    let out = run(
        dir.path(),
        &["check", "--expired", "--format", "json"],
        Some("2026-06-20"),
    );
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["expired"], 0);
    assert_eq!(report["expiring"], 2);
    assert_eq!(report["expectations"][1]["days"], 25);

    let out = run(dir.path(), &["check", "--expired"], Some("2026-01-01"));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).starts_with("no expectation has expired or ends within 30 days"),
        "{}",
        text(&out.stdout)
    );
    let out = run(
        dir.path(),
        &["check", "--expired", "--format", "sarif"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The harness (one libtest trial per claim) fails a claim whose expectation has expired,
/// sourced or not; the one with no end date is ignored as unsourced claims are. The dates are
/// long past, so the system clock decides.
#[test]
fn the_harness_fails_an_expired_expectation() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", "offline = true\n");
    write(
        dir.path(),
        "assertions/h.toml",
        &SUITE
            .replace("2026-06-30", "2020-06-30")
            .replace("2026-07-15", "2020-07-15"),
    );
    let trials = factcheck::harness::Harness::new(dir.path()).trials();
    let args = libtest_mimic::Arguments {
        test_threads: Some(1),
        ..Default::default()
    };
    eprintln!("the harness's own report follows: its two failures are the ones this test expects");
    let conclusion = libtest_mimic::run(&args, trials);
    assert_eq!(conclusion.num_failed, 2, "{conclusion:?}");
    assert_eq!(conclusion.num_ignored, 1, "{conclusion:?}");
}
