//! Re-verification: fetch every source of the selected claims again, politely and
//! conditionally, keep the cache consistent whatever happens, and report what drifted.
//!
//! [`refresh`] takes the cache's lock, checks the claims on the copies held (the *before*
//! verdicts), fetches the planned sources ([`plan`]) with conditional requests ([`fetch`]),
//! updates each source's failure history ([`health`]), checks the claims again on the new
//! copies (*after*), and returns a [`DriftReport`] ([`drift`]), which [`report`] renders as
//! text, JSON or Markdown. Both checks read only the cache and the archives, so verdicts
//! change only because the copies did.
//!
//! The three overlap: fetching starts at once, while the *before* check reads the copies held
//! (the cache's writes are held back until it is done, so it sees the cache as it was; the
//! sources it may record main-content hashes for wait for it); and the *after* check of each
//! claim citing one source runs as that source's new copy is stored ([`after`]), on the page
//! read once for the copy's main-content hash. What is left (claims citing several sources,
//! sources kept, failing or not fetched) is checked once the cache is committed.

pub mod after;
pub mod drift;
pub mod fetch;
pub mod health;
pub mod plan;
pub mod report;
pub mod store;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::Timestamp;

pub use drift::{ChangeKind, ClaimDrift, DriftReport, SourceDrift, SourceStatus};
use fetch::{Baseline, Context, Job};
use plan::{Held, Planned};
use store::Writer;

use crate::result::RunResult;
use crate::run::{Filter, Runner, ShardBy};
use crate::source::cache::{Cache, CacheError, meta_file};
use crate::source::http::{FetchError, Fetcher};
use crate::source::warc::WarcArchive;
use crate::source::{SourceError, SourceOptions, Sources};
use crate::spec::Suite;

/// How to refresh.
#[derive(Debug, Clone)]
pub struct RefreshOptions {
    /// Only sources retrieved at least this long ago (and those never retrieved).
    pub older_than: Option<Duration>,
    /// The Wayback Machine's base URL, or `None` to never ask it.
    pub wayback: Option<String>,
    /// The time of this refresh (recorded as the retrieved time and in failure histories).
    pub now: Timestamp,
}

impl Default for RefreshOptions {
    fn default() -> RefreshOptions {
        RefreshOptions {
            older_than: None,
            wayback: Some(crate::source::http::wayback::DEFAULT_WAYBACK_URL.to_string()),
            now: Timestamp::now(),
        }
    }
}

/// Progress, reported after each source.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Sources done.
    pub done: usize,
    /// Sources planned.
    pub total: usize,
    /// The source just done.
    pub url: &'a str,
}

/// Failures of factcheck itself during a refresh (a source that fails is not one of them).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshError {
    /// Opening or reading sources failed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The cache failed (including: another run holds its lock).
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The HTTP client or its runtime could not be set up.
    #[error("cannot set up the HTTP client")]
    Client(#[source] FetchError),
    /// The async runtime could not be started.
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
}

/// Refreshes the sources of the suite's selected claims and reports the drift.
///
/// `sources.offline` is ignored for fetching (a refresh is the network's job); the before and
/// after checks never use the network. Under `filter.partition` the run is one shard of a
/// refresh split by host (see [`plan::plan`]): the claims checked and reported are those whose
/// first source's host is in the shard (`ShardBy::Host`, whatever `filter.shard_by` says), and
/// the sources fetched are those whose own host is in it.
///
/// The cache is read once (one directory listing, then the metadata and state files it shows:
/// those of the sources it holds a copy of after the *before* check) and written off the fetch
/// path, concurrently ([`store`]); every write is on disk before this returns. A *before* check
/// that fails factcheck itself is reported as the error; the new copies fetched meanwhile (of
/// sources the cache held none of) are kept.
pub fn refresh(
    suite: &Suite,
    filter: &Filter,
    sources: &SourceOptions,
    opts: &RefreshOptions,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<DriftReport, RefreshError> {
    let filter = &Filter {
        shard_by: ShardBy::Host,
        ..filter.clone()
    };
    let cache = Cache::new(&sources.cache_dir);
    let _lock = cache.lock()?;
    let offline = SourceOptions {
        offline: true,
        ..sources.clone()
    };
    let batch = Arc::new(cache.batch()?);
    // Nothing is committed until the before check has read the copies held.
    let hold = batch.hold();
    let planned = plan::plan(suite, filter);
    let archives = Arc::new(
        sources
            .archives
            .iter()
            .map(|path| WarcArchive::open(path))
            .collect::<Result<Vec<_>, _>>()
            .map_err(SourceError::from)?,
    );
    let after = Arc::new(after::After::new(
        Runner::new(Sources::open(&offline)?),
        suite,
        filter,
        &planned,
    ));
    // A source the cache holds no copy of does not wait for the before check: its baseline is
    // an archive's, if any. The others wait for it, which may record their main-content hashes.
    let (cached, fresh): (Vec<Planned>, Vec<Planned>) = planned
        .into_iter()
        .partition(|p| batch.listing().contains(&meta_file(&p.url)));
    let held = plan::held(&cache, batch.listing(), &fresh)?;
    let (fresh, skipped_fresh) = due(&cache, &archives, &HashSet::new(), fresh, held, opts)?;
    let fetcher = Fetcher::new(sources.http.clone()).map_err(RefreshError::Client)?;
    let ctx = Arc::new(Context {
        fetcher,
        writer: Writer::new(),
        now: opts.now,
        wayback: opts.wayback.clone(),
        archives: archives.clone(),
        after: after.clone(),
    });
    let writer = ctx.writer.clone();
    let total = AtomicUsize::new(fresh.len() + cached.len());
    let written = Mutex::new(store::Written::default());
    let report = |drifts: &[SourceDrift]| {
        if let Some(drift) = drifts.last() {
            progress(Progress {
                done: drifts.len(),
                total: total.load(Ordering::Relaxed),
                url: &drift.url,
            });
        }
    };
    let (before, fetched) = std::thread::scope(|scope| {
        let (later, jobs) = tokio::sync::oneshot::channel();
        let before = scope.spawn(|| -> Result<(RunResult, usize), RefreshError> {
            // Its workers inherit the lower priority.
            store::yield_to_fetches();
            let before = Runner::new(Sources::open(&offline)?).run(suite, filter);
            drop(hold);
            let before = before?;
            let held = plan::held(&cache, batch.listing(), &cached)?;
            let verified = plan::verified_copies(&before);
            let (due, skipped) = due(&cache, &archives, &verified, cached, held, opts)?;
            // The fetches may have ended meanwhile on a failure: then these are not fetched.
            let _ = later.send(due);
            Ok((before, skipped))
        });
        let writers: Vec<_> = (0..store::WRITERS)
            .map(|_| scope.spawn(|| writer.serve(&batch, &written, &report)))
            .collect();
        // A panic in a fetch is resumed only once the writers are closed: the scope waits for
        // them, and they wait for the queue to close.
        let fetched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            fetch_all(ctx, fresh, jobs, &total)
        }));
        // Every fetch has handed its write over: the writers return once they are done.
        writer.close();
        for thread in writers {
            if let Err(panic) = thread.join() {
                std::panic::resume_unwind(panic);
            }
        }
        let fetched = fetched.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let before = before
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (before, fetched)
    });
    let written = written.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(panic) = written.panic {
        std::panic::resume_unwind(panic);
    }
    // Whatever happened, what was written is committed (and on disk) before going on.
    let committed = batch.finish();
    let (before, skipped) = before?;
    fetched?;
    if let Some(err) = written.error {
        return Err(err.into());
    }
    committed?;
    let mut fetched = written.drifts;
    fetched.sort_by(|a, b| a.url.cmp(&b.url));

    let after = after.finish(filter)?;
    Ok(DriftReport {
        sources: fetched,
        skipped: skipped_fresh + skipped,
        claims: drift::compare(&before, &after),
    })
}

/// The planned sources that are due (with the cache's files for each, `held`, and the copy to
/// compare with), and how many are not.
fn due(
    cache: &Cache,
    archives: &[WarcArchive],
    verified: &HashSet<(String, String)>,
    planned: Vec<Planned>,
    held: Vec<Held>,
    opts: &RefreshOptions,
) -> Result<(Vec<Job>, usize), SourceError> {
    let mut due = Vec::new();
    let mut skipped = 0;
    for (planned, held) in planned.into_iter().zip(held) {
        if !plan::is_due(held.meta.as_ref(), opts.older_than, opts.now) {
            skipped += 1;
            continue;
        }
        let baseline = baseline(cache, archives, verified, &planned.url, &held)?;
        due.push(Job {
            planned,
            held,
            baseline,
        });
    }
    Ok((due, skipped))
}

/// The copy of `url` to compare with: the cached one when it is whole (the before check read
/// it whole, else its body is read and hashed here), else an archive's.
fn baseline(
    cache: &Cache,
    archives: &[WarcArchive],
    verified: &HashSet<(String, String)>,
    url: &str,
    held: &Held,
) -> Result<Option<Baseline>, SourceError> {
    if let Some(meta) = &held.meta {
        if verified.contains(&(url.to_string(), meta.sha256.clone())) {
            return Ok(Some(Baseline {
                meta: meta.clone(),
                cached: true,
            }));
        }
        if let Some(entry) = cache.get(url)? {
            return Ok(Some(Baseline {
                meta: entry.meta,
                cached: true,
            }));
        }
    }
    Ok(
        fetch::archived_copy(archives, url)?.map(|snapshot| Baseline {
            meta: snapshot.meta,
            cached: false,
        }),
    )
}

/// Fetches every planned source concurrently (the fetcher enforces the limits), handing each
/// outcome to the writer threads: `due` at once, and those `later` sends when it does (then
/// `total` counts them). Returns once every fetch has handed its outcome over.
///
/// The fetches are joined on the runtime, not on the calling thread, which sleeps until they
/// are all done rather than being woken as each one ends.
fn fetch_all(
    ctx: Arc<Context>,
    due: Vec<Job>,
    later: tokio::sync::oneshot::Receiver<Vec<Job>>,
    total: &AtomicUsize,
) -> Result<(), RefreshError> {
    let fresh = due.len();
    let (counted, count) = tokio::sync::oneshot::channel();
    let writer = ctx.writer.clone();
    let run = async move {
        let mut tasks = tokio::task::JoinSet::new();
        for job in due {
            tasks.spawn(fetch::refresh_source(ctx.clone(), job));
        }
        // No jobs when the before check failed: its error is reported.
        let jobs = later.await.unwrap_or_default();
        let _ = counted.send(fresh + jobs.len());
        for job in jobs {
            tasks.spawn(fetch::refresh_source(ctx.clone(), job));
        }
        while let Some(joined) = tasks.join_next().await {
            if writer.failed() {
                // A write failed factcheck itself (the writer threads report it): the fetches
                // not done yet are dropped.
                return Ok(());
            }
            task_result(joined)?;
        }
        Ok(())
    };
    let joined = crate::source::http::block_on(async move {
        let run = tokio::spawn(run);
        // The total, once the before check has said which cached sources are due.
        if let Ok(count) = count.await {
            total.store(count, Ordering::Relaxed);
        }
        run.await
    })
    .map_err(RefreshError::Runtime)?;
    task_result(joined)?
}

/// A task's result, with its panic resumed here, or the runtime's error.
fn task_result<T>(joined: Result<T, tokio::task::JoinError>) -> Result<T, RefreshError> {
    joined.or_else(|err| match err.try_into_panic() {
        Ok(panic) => std::panic::resume_unwind(panic),
        Err(err) => Err(RefreshError::Runtime(std::io::Error::other(
            err.to_string(),
        ))),
    })
}
