//! Skipping a test whose tool or fixture is missing: outside CI, a note on stderr; under
//! `CI=true`, a failure, since `.ci/run` installs every tool and CI has `../shared` beside the
//! clone, so a skip there would hide a broken setup.

/// Skips (a note) or, under `CI=true`, fails (a panic) because of `reason`.
pub fn skip(reason: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{reason}: under CI=true this test fails instead of skipping");
    }
    eprintln!("skipping: {reason}");
}
