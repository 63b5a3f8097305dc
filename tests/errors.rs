//! Golden files for assertion-file errors: each `tests/errors/NAME.toml` is loaded through the
//! library and its diagnostics, rendered without colour, must equal `tests/errors/NAME.err`.
//! Run with `UPDATE_GOLDEN=1` to rewrite the `.err` files after a deliberate change.

use std::fs;
use std::path::{Path, PathBuf};

/// The directory of golden inputs, relative to the crate root (cargo's cwd for tests).
const GOLDEN_DIR: &str = "tests/errors";

fn inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = fs::read_dir(GOLDEN_DIR)
        .expect("tests/errors exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // Keep the path relative, as a user would give it.
        .map(|p| Path::new(GOLDEN_DIR).join(p.file_name().expect("a file name")))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn every_error_file_matches_its_golden_output() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let inputs = inputs();
    assert!(
        inputs.len() >= 16,
        "expected at least 16 golden inputs, found {}",
        inputs.len()
    );
    let mut failures = Vec::new();
    for input in &inputs {
        let actual = match factcheck::spec::load_file(input) {
            Ok(_) => format!("(no errors: {} loads)\n", input.display()),
            Err(diags) => diags.render(false),
        };
        let golden = input.with_extension("err");
        if update {
            fs::write(&golden, &actual).expect("golden file writable");
            continue;
        }
        let expected = fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "--- {} (expected)\n{expected}\n+++ actual\n{actual}",
                golden.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ (UPDATE_GOLDEN=1 rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_directory_reports_every_file_at_once() {
    let err = factcheck::spec::load_paths(&[PathBuf::from(GOLDEN_DIR)])
        .expect_err("the golden inputs are all invalid");
    let files: std::collections::BTreeSet<_> = err.0.iter().map(|d| d.path.clone()).collect();
    assert_eq!(files.len(), inputs().len(), "every golden input has errors");
    let rendered = err.render(false);
    let summary = rendered.lines().last().expect("a summary line");
    assert_eq!(
        summary,
        format!(
            "error: found {} errors in {} assertion files",
            err.errors(),
            files.len()
        )
    );
}
