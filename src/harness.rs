//! The test harness: every claim of the assertion files as a libtest trial, with an insta
//! snapshot of what a reviewer needs.
//!
//! A `tests/*.rs` file with `harness = false` in `Cargo.toml` calls it:
//!
//! ```no_run
//! // tests/assertions.rs
//! factcheck::harness::Harness::new(env!("CARGO_MANIFEST_DIR")).run_and_exit();
//! ```
//!
//! Trials are named `<file-stem>::<claim-id>`, so `cargo test`, `cargo test -- --list`, name
//! filters, `cargo nextest run` and its partitions all work. Listing reads no source: sources
//! are opened when the first trial runs, and each page is parsed once per process however many
//! trials cite it. A trial fails when the verdict differs from `expect`, and otherwise asserts the
//! snapshot `snapshots/<file-stem>__<claim-id>.snap` (verdict, located value, excerpt and source
//! URL of each source; nothing that changes when nothing that matters changed). `unsourced`
//! claims are reported as ignored, with the reason. A claim whose expectation's `until` has passed
//! fails, whatever its verdict (`FACTCHECK_TODAY` fixes today).
//!
//! The harness is offline unless `FACTCHECK_NETWORK=1`: sources come from the cache and the
//! archives that `factcheck.toml` names.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};
use serde::Serialize;

use crate::config::Config;
use crate::expiry::Standing;
use crate::result::ClaimResult;
use crate::run::{Runner, error_chain};
use crate::source::Sources;
use crate::spec::{self, AssertionFile, Verdict};

/// The environment variable that lets the harness use the network.
pub const NETWORK_ENV: &str = "FACTCHECK_NETWORK";
/// The default snapshot directory, relative to the root.
pub const DEFAULT_SNAPSHOT_DIR: &str = "snapshots";

/// Runs assertion files as libtest trials.
#[derive(Debug, Clone)]
pub struct Harness {
    root: PathBuf,
    paths: Option<Vec<PathBuf>>,
    snapshots: PathBuf,
}

/// What a snapshot holds.
#[derive(Debug, Serialize)]
struct Snap<'a> {
    statement: &'a str,
    verdict: Verdict,
    reason: &'a str,
    evidence: Vec<SnapEvidence<'a>>,
}

#[derive(Debug, Serialize)]
struct SnapEvidence<'a> {
    url: &'a str,
    verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excerpt: Option<&'a str>,
}

impl Harness {
    /// A harness for the project at `root` (the directory of `Cargo.toml` and
    /// `factcheck.toml`); by default it runs `assertions/` and keeps snapshots in `snapshots/`.
    pub fn new(root: impl Into<PathBuf>) -> Harness {
        let root = root.into();
        Harness {
            snapshots: root.join(DEFAULT_SNAPSHOT_DIR),
            root,
            paths: None,
        }
    }

    /// Runs these assertion files or directories instead (relative to the root).
    pub fn paths(mut self, paths: Vec<PathBuf>) -> Harness {
        self.paths = Some(paths);
        self
    }

    /// Keeps snapshots in this directory instead (relative to the root).
    pub fn snapshots(mut self, dir: impl AsRef<Path>) -> Harness {
        self.snapshots = self.root.join(dir);
        self
    }

    /// Builds the trials: one per claim, or a single failing trial when the files are invalid.
    pub fn trials(&self) -> Vec<Trial> {
        let config = match Config::discover(&self.root) {
            Ok(config) => {
                config.limits.install();
                config
            }
            Err(e) => return vec![failing("factcheck.toml", error_chain(&e))],
        };
        let paths: Vec<PathBuf> = match &self.paths {
            Some(paths) => paths.iter().map(|p| self.root.join(p)).collect(),
            None => config.assertion_paths(),
        };
        let suite = match load_relative(&self.root, &paths) {
            Ok(suite) => suite,
            Err(d) => return vec![failing("assertion-files", d.render(false))],
        };
        let files: Vec<Arc<AssertionFile>> = suite.files.into_iter().map(Arc::new).collect();
        let shared = Arc::new(Shared {
            config,
            runner: OnceLock::new(),
            snapshots: self.snapshots.clone(),
            files: files.clone(),
        });
        let mut trials = Vec::new();
        for file in files {
            for index in 0..file.claims.len() {
                let name = format!("{}::{}", file.stem(), file.claims[index].id);
                let (file, shared) = (file.clone(), shared.clone());
                trials.push(Trial::ignorable_test(name, move || {
                    shared.run(&file, index)
                }));
            }
        }
        trials
    }

    /// Runs the trials with the process's command-line arguments.
    pub fn run(&self) -> Conclusion {
        let args = Arguments::from_args();
        libtest_mimic::run(&args, self.trials())
    }

    /// Runs the trials and exits with libtest's exit code.
    pub fn run_and_exit(&self) -> ! {
        self.run().exit()
    }
}

/// Loads the suite, naming files relative to the root, as people write them.
fn load_relative(root: &Path, paths: &[PathBuf]) -> Result<spec::Suite, spec::Diagnostics> {
    let mut suite = spec::load_paths(paths)?;
    for file in &mut suite.files {
        if let Ok(rel) = file.path.strip_prefix(root) {
            file.path = rel.to_path_buf();
        }
    }
    Ok(suite)
}

fn failing(name: &str, message: String) -> Trial {
    Trial::test(name, move || Err(Failed::from(message)))
}

/// What all trials of a process share: the configuration, and the runner once a trial needs it.
struct Shared {
    config: Config,
    runner: OnceLock<Result<Runner, String>>,
    snapshots: PathBuf,
    /// The suite: the runner plans its claims, so each page is dropped after its last trial.
    files: Vec<Arc<AssertionFile>>,
}

impl Shared {
    fn runner(&self) -> Result<&Runner, Failed> {
        self.runner
            .get_or_init(|| {
                let mut opts = self.config.source_options();
                opts.offline =
                    opts.offline || std::env::var(NETWORK_ENV).map_or(true, |v| v != "1");
                let today = crate::expiry::today().map_err(|e| e.to_string())?;
                let runner = Sources::open(&opts)
                    .map(|s| Runner::new(s).with_today(today))
                    .map_err(|e| error_chain(&e))?;
                runner.plan(self.files.iter().flat_map(|f| &f.claims));
                Ok(runner)
            })
            .as_ref()
            .map_err(|e| Failed::from(format!("cannot open the sources: {e}")))
    }

    fn run(&self, file: &AssertionFile, index: usize) -> Result<Completion, Failed> {
        let claim = &file.claims[index];
        let today = crate::expiry::today().map_err(|e| Failed::from(e.to_string()))?;
        if claim.sources.is_empty() {
            // An unsourced claim is not checked, but its expectation may still run out.
            if let Some(until) = claim.until
                && let Standing::Expired { .. } = crate::expiry::standing(until.date, today)
            {
                let (_, expectation) = crate::expiry::judge(claim, Verdict::Unsourced, today);
                let note = expectation
                    .and_then(|e| crate::expiry::expired_note(claim.expect, &e))
                    .unwrap_or_default();
                let at = format!(
                    "{}:{}:{}",
                    file.path.display(),
                    claim.pos.line,
                    claim.pos.column
                );
                return Err(Failed::from(format!("{at}: claim `{}`: {note}", claim.id)));
            }
            return Ok(Completion::ignored_with(
                "unsourced: the claim names no source yet",
            ));
        }
        let runner = self.runner()?;
        // A dependency that panics on a page is a failure with its reason, printed once by
        // libtest, not a "thread panicked" on stderr.
        let result = crate::caught::catch(|| runner.check_claim(file, claim))
            .map_err(|c| Failed::from(format!("factcheck failed while checking this claim: {c}")))?
            .map_err(|e| Failed::from(error_chain(&e)))?;
        if !result.passed {
            return Err(Failed::from(result.explain()));
        }
        self.assert_snapshot(file, &result);
        Ok(Completion::Completed)
    }

    fn assert_snapshot(&self, file: &AssertionFile, result: &ClaimResult) {
        let snap = Snap {
            statement: &result.statement,
            verdict: result.verdict,
            reason: &result.reason,
            evidence: result
                .evidence
                .iter()
                .map(|e| SnapEvidence {
                    url: &e.url,
                    verdict: e.verdict,
                    value: e.value.as_deref(),
                    excerpt: e.excerpt.as_deref(),
                })
                .collect(),
        };
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&self.snapshots);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(&file.path);
        settings.set_description(format!("{}::{}", file.stem(), result.id));
        let name = format!("{}__{}", file.stem(), result.id);
        // insta's settings are per thread: bind them inside the trial.
        settings.bind(|| insta::assert_yaml_snapshot!(name, snap));
    }
}
