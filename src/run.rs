//! Orchestration: plan the sources, obtain them, parse each page once, check every claim that
//! cites it, in parallel, and drop the page when its last claim is done.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::check::{self, Finding};
use crate::document::{self, Draft};
use crate::page::Page;
use crate::partition::Partition;
use crate::result::{ClaimResult, DocumentPos, Evidence, RunResult};
use crate::source::cache::Meta;
use crate::source::{Obtain, Origin, Snapshot, SourceError, Sources};
use crate::spec::{AssertionFile, Claim, Format, SourceDef, Suite, Verdict};
use crate::verdict;

/// A page, or why it could not be had.
type PageSlot = Arc<OnceLock<Result<Arc<Page>, String>>>;
/// Pages are keyed by URL and format override.
type PageKey = (String, Option<Format>);

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

/// Checks claims against their sources; shares each parsed page among the claims citing it.
pub struct Runner {
    sources: Sources,
    pages: Mutex<HashMap<PageKey, PageSlot>>,
    /// How many claims still need each page (only when the plan is known).
    pending: Mutex<HashMap<PageKey, usize>>,
    /// The draft every claim is placed on (`--document`), instead of each file's own.
    document: Option<PathBuf>,
    /// Drafts read so far (`None`: could not be read).
    drafts: Mutex<HashMap<PathBuf, Option<Arc<Draft>>>>,
    /// Warnings of the run: quotes missing from or repeated in their draft, unreadable drafts.
    warnings: Mutex<Vec<String>>,
}

impl Runner {
    /// A runner over these sources.
    pub fn new(sources: Sources) -> Runner {
        Runner {
            sources,
            pages: Mutex::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
            document: None,
            drafts: Mutex::new(HashMap::new()),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Places every claim on this draft instead of its file's `[document] path`.
    pub fn with_document(mut self, path: Option<PathBuf>) -> Runner {
        self.document = path;
        self
    }

    /// The draft of a file's claims, read once.
    pub fn draft(&self, file: &AssertionFile) -> Option<Arc<Draft>> {
        let path = self
            .document
            .clone()
            .or_else(|| document::draft_path(file))?;
        lock(&self.drafts)
            .entry(path.clone())
            .or_insert_with(|| match Draft::read(&path) {
                Ok(draft) => Some(Arc::new(draft)),
                Err(e) => {
                    lock(&self.warnings).push(error_chain(&e));
                    None
                }
            })
            .clone()
    }

    /// Where a claim's quote is in its draft; a warning when it is missing or repeated.
    fn place(&self, file: &AssertionFile, claim: &Claim) -> Option<DocumentPos> {
        let draft = self.draft(file)?;
        match document::place_claim(&draft, file, claim) {
            Ok(placed) => Some(DocumentPos {
                path: draft.path.display().to_string(),
                line: placed.start.line,
                column: placed.start.column,
                end_line: placed.end.line,
                end_column: placed.end.column,
            }),
            Err(warning) => {
                // An unsourced claim without a quote is a note to self, not worth a warning.
                if claim.quote.is_some() {
                    lock(&self.warnings).push(warning);
                }
                None
            }
        }
    }

    /// The warnings so far, emptied.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.warnings))
    }

    /// The sources.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The page of `source`, parsed once per run; the inner `Err` is why it is unavailable.
    pub fn page(&self, source: &SourceDef) -> Result<Result<Arc<Page>, String>, SourceError> {
        let key = (source.url.clone(), source.format);
        let slot = lock(&self.pages).entry(key).or_default().clone();
        let mut fatal = None;
        let page = slot.get_or_init(|| match self.sources.get(&source.url) {
            Ok(snapshot) => Page::read(&snapshot, source.format)
                .map(|page| {
                    self.record_main_hash(&snapshot, &page);
                    Arc::new(page)
                })
                .map_err(|e| error_chain(&e)),
            Err(Obtain::Unavailable(reason)) => Err(reason),
            Err(Obtain::Failed(e)) => {
                let reason = error_chain(&e);
                fatal = Some(e);
                Err(reason)
            }
        });
        match fatal {
            Some(e) => Err(e),
            None => Ok(page.clone()),
        }
    }

    /// Records the main content's hash in the cache metadata of a cached page that lacks it (the
    /// drift signal of `refresh`), only when this process holds the cache's lock: a refresh
    /// does, a plain `check` does not, and must leave a (perhaps committed) cache untouched.
    /// Best effort, as a read-only cache must not fail the run.
    fn record_main_hash(&self, snapshot: &Snapshot, page: &Page) {
        // Only a cached copy has metadata to update (a fetched one is cached by now).
        if snapshot.meta.main_sha256.is_some()
            || !matches!(snapshot.origin, Origin::Cache | Origin::Network)
            || !self.sources.cache().locked_here()
        {
            return;
        }
        if let Some(hash) = page.main_sha256() {
            let meta = Meta {
                main_sha256: Some(hash),
                ..snapshot.meta.clone()
            };
            let _ = self.sources.cache().put_meta(&meta);
        }
    }

    /// Checks one claim against all its sources.
    pub fn check_claim(
        &self,
        file: &AssertionFile,
        claim: &Claim,
    ) -> Result<ClaimResult, SourceError> {
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
                self.release(source);
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
        Ok(ClaimResult {
            file: file.path.display().to_string(),
            line: claim.pos.line,
            column: claim.pos.column,
            id: claim.id.clone(),
            statement: claim.statement.clone(),
            verdict,
            expected: claim.expect,
            passed: verdict == claim.expect,
            reason,
            evidence,
            document: self.place(file, claim),
            note: claim.note.clone(),
            tags: claim.tags.clone(),
        })
    }

    /// Drops a page once no planned claim needs it.
    fn release(&self, source: &SourceDef) {
        let key = (source.url.clone(), source.format);
        let mut pending = lock(&self.pending);
        if let Some(n) = pending.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                pending.remove(&key);
                lock(&self.pages).remove(&key);
            }
        }
    }

    /// Runs every selected claim of the suite: fetches what is missing concurrently, then checks
    /// in parallel, pages grouped so each is parsed once and dropped after its last claim.
    pub fn run(&self, suite: &Suite, filter: &Filter) -> Result<RunResult, SourceError> {
        let work: Vec<(&AssertionFile, &Claim)> = suite
            .files
            .iter()
            .flat_map(|f| f.claims.iter().map(move |c| (f, c)))
            .filter(|(f, c)| filter.selects(f, c))
            .collect();
        let urls: Vec<String> = work
            .iter()
            .filter(|(_, c)| c.check.is_some())
            .flat_map(|(_, c)| c.sources.iter().map(|s| s.url.clone()))
            .collect();
        self.sources.prefetch(&urls)?;
        {
            let mut pending = lock(&self.pending);
            for (_, claim) in work.iter().filter(|(_, c)| c.check.is_some()) {
                for s in &claim.sources {
                    *pending.entry((s.url.clone(), s.format)).or_default() += 1;
                }
            }
        }
        // Claims citing the same first source run next to each other, so a page is alive only
        // while its claims are checked.
        let order: Vec<usize> = {
            let mut idx: Vec<usize> = (0..work.len()).collect();
            idx.sort_by_key(|&i| work[i].1.sources.first().map(|s| s.url.as_str()));
            idx
        };
        let results: Vec<Mutex<Option<Result<ClaimResult, SourceError>>>> =
            work.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(work.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = order.get(n) else { break };
                        let (file, claim) = work[i];
                        *lock(&results[i]) = Some(self.check_claim(file, claim));
                    }
                });
            }
        });
        let mut claims = Vec::with_capacity(work.len());
        for slot in results {
            if let Some(result) = slot.into_inner().unwrap_or_else(|p| p.into_inner()) {
                claims.push(result?);
            }
        }
        Ok(RunResult {
            claims,
            warnings: self.take_warnings(),
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
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
        assert!(lock(&runner.pages).is_empty(), "pages were dropped");
        assert!(lock(&runner.pending).is_empty());
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
