//! The *after* check, pipelined with the fetches: a claim whose sources are all one URL is
//! checked as soon as that URL's new copy is stored, on the page the writer read from it for
//! its main-content hash (one read and one parse per new copy, none after the fetches); the
//! rest (claims citing several sources, sources not fetched again, kept or failing) are checked
//! in one last pass on the cache, once every write is committed.
//!
//! A page is read exactly as the checks read a cached copy (the stored metadata, the same
//! format, [`Origin::Cache`](crate::source::Origin::Cache)), and each claim is checked by
//! [`Runner::check_claim`], so the results are the ones a check of the whole suite on the
//! committed cache gives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::plan::Planned;
use crate::page::Page;
use crate::result::{ClaimResult, RunResult};
use crate::run::{Filter, Runner};
use crate::source::SourceError;
use crate::spec::{AssertionFile, Format, Suite};
use crate::sync::lock;

/// A claim of the suite: its file's index and its index in that file.
type ClaimAt = (usize, usize);

/// The claims checked as their source's new copy is stored, and their results so far.
pub struct After {
    runner: Runner,
    suite: Suite,
    /// For each planned URL, the selected claims that cite only it, read in the planned format.
    routes: HashMap<String, Vec<ClaimAt>>,
    done: Mutex<HashMap<ClaimAt, ClaimResult>>,
}

impl std::fmt::Debug for After {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("After")
            .field("routes", &self.routes.len())
            .finish_non_exhaustive()
    }
}

impl After {
    /// Routes each selected claim whose sources are all one planned URL, in the format its new
    /// copy will be read in, to that URL; `runner` reads the cache (offline) for the last pass.
    pub fn new(runner: Runner, suite: &Suite, filter: &Filter, planned: &[Planned]) -> After {
        let formats: HashMap<&str, Option<Format>> =
            planned.iter().map(|p| (p.url.as_str(), p.format)).collect();
        let mut routes: HashMap<String, Vec<ClaimAt>> = HashMap::new();
        for (f, file) in suite.files.iter().enumerate() {
            for (c, claim) in file.claims.iter().enumerate() {
                let Some(first) = claim.sources.first() else {
                    continue;
                };
                let Some(&format) = formats.get(first.url.as_str()) else {
                    continue;
                };
                if claim.check.is_some()
                    && filter.selects(file, claim)
                    && claim
                        .sources
                        .iter()
                        .all(|s| s.url == first.url && s.format == format)
                {
                    routes.entry(first.url.clone()).or_default().push((f, c));
                }
            }
        }
        After {
            runner,
            suite: suite.clone(),
            routes,
            done: Mutex::default(),
        }
    }

    /// Whether claims wait for `url`'s new copy.
    pub fn wants(&self, url: &str) -> bool {
        self.routes.contains_key(url)
    }

    /// Checks the claims routed to `url` on its new copy as stored: `page`, read in the planned
    /// format, or why it cannot be read. A claim that fails factcheck itself is left to the
    /// last pass, which reports the failure.
    pub fn check(&self, url: &str, page: Result<Arc<Page>, String>) {
        let Some(claims) = self.routes.get(url) else {
            return;
        };
        let Some(&(f, c)) = claims.first() else {
            return;
        };
        // Planned here, not up front: the claims of a copy never handed over are left to the
        // last pass, which plans its own reads, and no page outlives its last claim.
        self.runner
            .plan(claims.iter().map(|&(f, c)| &self.suite.files[f].claims[c]));
        self.runner
            .preload(&self.suite.files[f].claims[c].sources[0], page);
        for &(f, c) in claims {
            let file = &self.suite.files[f];
            if let Ok(result) = self.runner.check_claim(file, &file.claims[c]) {
                lock(&self.done).insert((f, c), result);
            }
        }
    }

    /// The whole *after* check, in suite order: the claims checked as their copies were stored,
    /// and the others, checked now on the cache (call it once every write is committed).
    /// Warnings are not collected (the drift report has none).
    pub fn finish(&self, filter: &Filter) -> Result<RunResult, SourceError> {
        let mut done = std::mem::take(&mut *lock(&self.done));
        let rest = Suite {
            files: self
                .suite
                .files
                .iter()
                .enumerate()
                .map(|(f, file)| AssertionFile {
                    claims: file
                        .claims
                        .iter()
                        .enumerate()
                        .filter(|(c, _)| !done.contains_key(&(f, *c)))
                        .map(|(_, claim)| claim.clone())
                        .collect(),
                    ..without_claims(file)
                })
                .collect(),
        };
        let mut rest = self.runner.run(&rest, filter)?.claims.into_iter();
        let mut claims = Vec::new();
        for (f, file) in self.suite.files.iter().enumerate() {
            for (c, claim) in file.claims.iter().enumerate() {
                if filter.selects(file, claim) {
                    claims.extend(done.remove(&(f, c)).or_else(|| rest.next()));
                }
            }
        }
        Ok(RunResult {
            claims,
            warnings: Vec::new(),
        })
    }
}

/// A file's copy without its claims.
fn without_claims(file: &AssertionFile) -> AssertionFile {
    AssertionFile {
        path: file.path.clone(),
        text: file.text.clone(),
        document: file.document.clone(),
        sources: file.sources.clone(),
        claims: Vec::new(),
    }
}
