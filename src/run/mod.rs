//! Orchestration: plan the sources, obtain them, parse each page once, check every claim that
//! cites it, in parallel, and drop the page when its last claim is done.

mod drafts;
mod pool;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::check::{self, Finding};
use crate::page::Page;
use crate::partition::Partition;
use crate::result::{ClaimResult, Evidence, RunResult};
use crate::source::{SourceError, Sources};
use crate::spec::{AssertionFile, Claim, SourceDef, Suite, Verdict};
use crate::sync::lock;
use crate::verdict;
use drafts::Drafts;
use pool::{PageKey, Pool};

/// Which claims to run.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep claims whose `<file-stem>::<id>` contains this text, or that have it as a tag.
    pub text: Option<String>,
    /// Keep only this shard's claims (`--partition hash:K/N`), keyed as `shard_by` says.
    pub partition: Option<Partition>,
    /// What a claim's shard is decided by.
    pub shard_by: ShardBy,
}

/// What decides the shard of a claim under `--partition`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ShardBy {
    /// Its first source's URL: a page's claims stay together, each page is read on one shard
    /// (`check`).
    #[default]
    Page,
    /// Its first source's host: a host's sources stay together, so per-host politeness holds
    /// across shards (`refresh`).
    Host,
}

impl Filter {
    /// Whether the claim is selected.
    pub fn selects(&self, file: &AssertionFile, claim: &Claim) -> bool {
        let by_text = match &self.text {
            None => true,
            Some(text) => {
                format!("{}::{}", file.stem(), claim.id).contains(text.as_str())
                    || claim.tags.iter().any(|t| t == text)
            }
        };
        by_text
            && self
                .partition
                .is_none_or(|p| p.selects(&self.shard_key(file, claim)))
    }

    /// The key a claim is sharded by: its first source's URL or host; an unsourced claim's
    /// `<file-stem>::<id>`.
    pub fn shard_key(&self, file: &AssertionFile, claim: &Claim) -> String {
        match claim.sources.first() {
            None => format!("{}::{}", file.stem(), claim.id),
            Some(source) => match self.shard_by {
                ShardBy::Page => source.url.clone(),
                ShardBy::Host => host_of(&source.url),
            },
        }
    }
}

/// The host of a URL as the fetcher paces it (the URL itself when it has none).
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string())
}

/// Checks claims against their sources, on every core: each page is read once, by one worker,
/// checked against all the claims citing it, and dropped.
pub struct Runner {
    sources: Sources,
    pool: Pool,
    drafts: Drafts,
    /// Worker threads of [`Runner::run`].
    jobs: usize,
    /// The day expectations' `until` is compared with.
    today: jiff::civil::Date,
}

/// The claims of a run that share their first page, checked by one worker in a row.
struct Group {
    /// Indexes into the run's selected claims, in suite order.
    claims: Vec<usize>,
}

/// One claim's result, with its placement warning, as a worker hands it over.
type Done = (usize, Result<(ClaimResult, Option<String>), SourceError>);

impl Runner {
    /// A runner over these sources, with one worker per available core. Today is
    /// `FACTCHECK_TODAY`, else the clock's date; an unreadable `FACTCHECK_TODAY` falls back to
    /// the clock here, so a caller that must refuse it passes
    /// [`with_today`](Runner::with_today)`(`[`expiry::today`](crate::expiry::today)`()?)`, as
    /// the commands do.
    pub fn new(sources: Sources) -> Runner {
        Runner {
            sources,
            pool: Pool::default(),
            drafts: Drafts::default(),
            jobs: default_jobs(),
            today: crate::expiry::today().unwrap_or_else(|_| crate::expiry::clock_today()),
        }
    }

    /// Judges expectations' `until` against this day (default: `FACTCHECK_TODAY`, else the
    /// UTC date).
    pub fn with_today(mut self, today: jiff::civil::Date) -> Runner {
        self.today = today;
        self
    }

    /// Places every claim on this draft instead of its file's `[document] path`.
    pub fn with_document(mut self, path: Option<PathBuf>) -> Runner {
        self.drafts.document = path;
        self
    }

    /// Checks with `jobs` worker threads (at least one).
    pub fn with_jobs(mut self, jobs: usize) -> Runner {
        self.jobs = jobs.max(1);
        self
    }

    /// The sources.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The page of `source`, read once per run; the inner `Err` is why it is unavailable.
    pub fn page(&self, source: &SourceDef) -> Result<Result<Arc<Page>, String>, SourceError> {
        self.pool.get(&self.sources, source)
    }

    /// Hands over the page of `source`, already read (a refresh's new copy, parsed once as it is
    /// stored), or why it is unavailable: [`Runner::check_claim`] uses it instead of reading
    /// the source again. Like a read page, it is dropped after its last planned use.
    pub fn preload(&self, source: &SourceDef, page: Result<Arc<Page>, String>) {
        self.pool.insert(source, page);
    }

    /// Plans these claims' reads of their pages, so that [`Runner::check_claim`] drops each page
    /// once the last of them is checked (without a plan, pages are kept for the runner's life).
    /// [`Runner::run`] plans its own.
    pub fn plan<'a>(&self, claims: impl IntoIterator<Item = &'a Claim>) {
        for claim in claims.into_iter().filter(|c| c.check.is_some()) {
            self.pool.plan(&claim.sources);
        }
    }

    /// Checks one claim against all its sources. Warnings (a quote missing from its draft, a
    /// draft that cannot be read) are dropped; [`Runner::run`] reports them.
    pub fn check_claim(
        &self,
        file: &AssertionFile,
        claim: &Claim,
    ) -> Result<ClaimResult, SourceError> {
        self.check_placed(file, claim).map(|(result, _)| result)
    }

    /// Checks one claim and places it on its draft: its result and its placement warning.
    fn check_placed(
        &self,
        file: &AssertionFile,
        claim: &Claim,
    ) -> Result<(ClaimResult, Option<String>), SourceError> {
        let mut evidence = Vec::new();
        let mut findings = Vec::new();
        if let Some(check) = &claim.check {
            for source in &claim.sources {
                let (finding, page) = match self.page(source)? {
                    Ok(page) => (check::run(check, &claim.within, &page), Some(page)),
                    Err(reason) => (Finding::bare(Verdict::Unavailable, reason), None),
                };
                evidence.push(Evidence {
                    url: source.url.clone(),
                    verdict: finding.verdict,
                    reason: finding.reason.clone(),
                    excerpt: finding.excerpt.clone(),
                    value: finding.value.clone(),
                    sha256: page.as_ref().map(|p| p.sha256.clone()),
                    retrieved: page
                        .as_ref()
                        .map(|p| p.retrieved.clone())
                        .filter(|r| !r.is_empty()),
                    origin: page.as_ref().map(|p| p.origin.clone()),
                });
                findings.push((source.url.as_str(), finding));
                self.pool.release(source);
            }
        }
        let refs: Vec<(&str, &Finding)> = findings.iter().map(|(u, f)| (*u, f)).collect();
        let (verdict, reason) = if claim.sources.is_empty() {
            (
                Verdict::Unsourced,
                "the claim names no source yet".to_string(),
            )
        } else {
            verdict::judge(claim.require, &refs)
        };
        let (document, warning) = self.drafts.place(file, claim);
        let (passed, expectation) = crate::expiry::judge(claim, verdict, self.today);
        let result = ClaimResult {
            file: file.path.display().to_string(),
            line: claim.pos.line,
            column: claim.pos.column,
            id: claim.id.clone(),
            statement: claim.statement.clone(),
            verdict,
            expected: claim.expect,
            passed,
            reason,
            evidence,
            document,
            note: claim.note.clone(),
            tags: claim.tags.clone(),
            expectation,
            quote: claim.quote.clone(),
            reviewed: file.document.clone(),
        };
        Ok((result, warning))
    }

    /// Runs every selected claim of the suite and collects the results, in suite order.
    pub fn run(&self, suite: &Suite, filter: &Filter) -> Result<RunResult, SourceError> {
        let mut claims = Vec::new();
        let warnings = self.run_each(suite, filter, |c| claims.push(c))?;
        Ok(RunResult { claims, warnings })
    }

    /// Runs every selected claim of the suite, handing each result to `each` in suite order as
    /// soon as it and all before it are done (so a report can be written while the run goes
    /// on), and returns the run's warnings.
    ///
    /// Missing sources are fetched first, concurrently. Then the claims are grouped by their
    /// first source, and the workers take whole groups, in the order the suite first cites
    /// them: each page is read by one worker, checked against its claims and dropped, and no
    /// worker waits on another's read. A source that fails factcheck itself (not one that is
    /// unavailable) stops the run with its error.
    pub fn run_each(
        &self,
        suite: &Suite,
        filter: &Filter,
        mut each: impl FnMut(ClaimResult),
    ) -> Result<Vec<String>, SourceError> {
        let work: Vec<(&AssertionFile, &Claim)> = suite
            .files
            .iter()
            .flat_map(|f| f.claims.iter().map(move |c| (f, c)))
            .filter(|(f, c)| filter.selects(f, c))
            .collect();
        let checked = || work.iter().filter(|(_, c)| c.check.is_some());
        let urls: Vec<String> = checked()
            .flat_map(|(_, c)| c.sources.iter().map(|s| s.url.clone()))
            .collect();
        self.sources.prefetch(&urls)?;
        self.plan(work.iter().map(|(_, c)| *c));
        // Drafts are read here, in suite order, so their warnings come in a fixed order.
        for (file, _) in &work {
            self.drafts.get(file);
        }
        let mut warnings = self.drafts.take_warnings();
        let groups = group_by_first_page(&work);

        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        // A group's results travel together: one message (and one wake-up) per page.
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Done>>();
        let mut failure: Option<(usize, SourceError)> = None;
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.min(groups.len()) {
                let tx = tx.clone();
                let (work, groups, next, stop) = (&work, &groups, &next, &stop);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let Some(group) = groups.get(next.fetch_add(1, Ordering::Relaxed)) else {
                            break;
                        };
                        let mut results = Vec::with_capacity(group.claims.len());
                        for &i in &group.claims {
                            let (file, claim) = work[i];
                            let done = self.check_placed(file, claim);
                            let failed = done.is_err();
                            results.push((i, done));
                            if failed {
                                stop.store(true, Ordering::Relaxed);
                                break;
                            }
                        }
                        if tx.send(results).is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                });
            }
            drop(tx);
            // Results come in any order; they leave in suite order.
            let mut ready: BTreeMap<usize, (ClaimResult, Option<String>)> = BTreeMap::new();
            let mut emitted = 0;
            for (i, done) in rx.into_iter().flatten() {
                match done {
                    Ok(done) => {
                        ready.insert(i, done);
                    }
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        if failure.as_ref().is_none_or(|(at, _)| i < *at) {
                            failure = Some((i, e));
                        }
                    }
                }
                while let Some((result, warning)) = ready.remove(&emitted) {
                    warnings.extend(warning);
                    each(result);
                    emitted += 1;
                }
            }
        });
        match failure {
            Some((_, e)) => Err(e),
            None => Ok(warnings),
        }
    }
}

/// The selected claims grouped by their first source's page, in the order the suite first
/// cites each page; a claim with no page to read (no check or no source) is a group of its own.
fn group_by_first_page(work: &[(&AssertionFile, &Claim)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_page: HashMap<PageKey, usize> = HashMap::new();
    for (i, (_, claim)) in work.iter().enumerate() {
        let first = claim
            .sources
            .first()
            .filter(|_| claim.check.is_some())
            .map(pool::key);
        let at = match first {
            Some(key) => *by_page.entry(key).or_insert_with(|| {
                groups.push(Group { claims: Vec::new() });
                groups.len() - 1
            }),
            None => {
                groups.push(Group { claims: Vec::new() });
                groups.len() - 1
            }
        };
        groups[at].claims.push(i);
    }
    groups
}

/// The default number of worker threads: the available parallelism.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

pub use crate::source::error_chain;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::source::SourceOptions;
    use crate::source::cache::{Cache, Meta};

    const URL: &str = "https://news.example/r1";

    fn runner(dir: &Path) -> Runner {
        let cache = Cache::new(dir);
        let meta = Meta {
            url: URL.into(),
            final_url: URL.into(),
            status: Some(200),
            content_type: Some("text/html".into()),
            etag: None,
            last_modified: None,
            retrieved: "2026-11-29T00:00:00Z".into(),
            sha256: String::new(),
            body: String::new(),
            main_sha256: None,
        };
        cache
            .put(
                meta,
                b"<article><p>R1 is released under the MIT License.</p></article>",
            )
            .expect("put");
        let opts = SourceOptions {
            cache_dir: dir.to_path_buf(),
            offline: true,
            ..SourceOptions::default()
        };
        Runner::new(Sources::open(&opts).expect("sources"))
    }

    fn suite() -> Suite {
        let text = format!(
            "[sources]\nnews = \"{URL}\"\n\
             [[claim]]\nid = \"a\"\nstatement = \"s\"\nsource = \"news\"\ncheck.contains = \"MIT License\"\n\
             [[claim]]\nid = \"b\"\nstatement = \"s\"\nsource = \"news\"\ncheck.absent = \"GPL\"\n\
             [[claim]]\nid = \"c\"\nstatement = \"s\"\nsource = \"https://other.example/\"\nexpect = \"unavailable\"\ncheck.contains = \"x\"\n"
        );
        let file = crate::spec::load_str(Path::new("a.toml"), &text).expect("valid");
        Suite { files: vec![file] }
    }

    #[test]
    fn a_page_is_parsed_once_and_shared() {
        let dir = tempfile::tempdir().expect("tempdir");
        let runner = runner(dir.path());
        let suite = suite();
        let source = &suite.files[0].claims[0].sources[0];
        let first = runner.page(source).expect("ok").expect("page");
        let second = runner.page(source).expect("ok").expect("page");
        assert!(Arc::ptr_eq(&first, &second));
    }

    /// Regression: `check` wrote `main_sha256` into the cache without its lock.
    #[test]
    fn reading_without_the_lock_leaves_the_cache_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let runner = runner(dir.path());
        let suite = suite();
        let before = std::fs::read(
            dir.path()
                .join(format!("{}.json", crate::source::cache::key(URL))),
        )
        .expect("meta");
        runner
            .page(&suite.files[0].claims[0].sources[0])
            .expect("ok")
            .expect("page");
        let after = std::fs::read(
            dir.path()
                .join(format!("{}.json", crate::source::cache::key(URL))),
        )
        .expect("meta");
        assert_eq!(before, after);
    }

    #[test]
    fn reading_a_cached_page_under_the_lock_records_its_main_content_hash() {
        let dir = tempfile::tempdir().expect("tempdir");
        let runner = runner(dir.path());
        let _lock = runner.sources().cache().lock().expect("lock");
        let suite = suite();
        let page = runner
            .page(&suite.files[0].claims[0].sources[0])
            .expect("ok")
            .expect("page");
        let meta = runner
            .sources()
            .cache()
            .meta(URL)
            .expect("meta")
            .expect("cached");
        assert_eq!(meta.main_sha256, page.main_sha256());
        assert!(meta.main_sha256.is_some());
    }

    #[test]
    fn a_planned_run_drops_each_page_after_its_last_claim() {
        let dir = tempfile::tempdir().expect("tempdir");
        let runner = runner(dir.path());
        let result = runner.run(&suite(), &Filter::default()).expect("run");
        let verdicts: Vec<Verdict> = result.claims.iter().map(|c| c.verdict).collect();
        assert_eq!(
            verdicts,
            [Verdict::Supported, Verdict::Supported, Verdict::Unavailable]
        );
        assert!(result.passed());
        assert!(runner.pool.is_empty(), "pages were dropped");
    }

    #[test]
    fn filter_matches_names_and_tags() {
        let suite = suite();
        let file = &suite.files[0];
        let f = |t: &str| Filter {
            text: Some(t.into()),
            ..Filter::default()
        };
        assert!(f("a::a").selects(file, &file.claims[0]));
        assert!(!f("a::b").selects(file, &file.claims[0]));
        assert!(Filter::default().selects(file, &file.claims[2]));
    }
}
