//! The cache writes of a refresh, off the fetch path: a fetch frees its network slot and hands
//! its result over; the writes run on blocking threads, [`WRITERS`] at a time, into one
//! [`Batch`] that commits them in groups and is durable before the refresh reports anything.
//!
//! A new HTML copy is stored with its main-content hash ([`main_hash`]), so the *after* check,
//! which would record it, finds it there and rewrites nothing; when claims wait for the copy,
//! the page read for that hash is the one they are checked on ([`read_page`]).

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::page::{Page, detect_format};
use crate::source::cache::{Batch, CacheError};
use crate::source::{Snapshot, SourceError, error_chain};
use crate::spec::Format;

/// How many sources' cache writes run at once. A write does not wait for the disk (the batch's
/// committer syncs), so a few threads keep up; they also parse new pages for their
/// main-content hashes, and bound the bodies waiting in memory.
pub const WRITERS: usize = 8;

/// Runs cache writes on blocking threads, at most [`WRITERS`] at a time, into one batch.
#[derive(Debug, Clone)]
pub struct Writer {
    batch: Arc<Batch>,
    slots: Arc<Semaphore>,
}

impl Writer {
    /// A writer into `batch`.
    pub fn new(batch: Arc<Batch>) -> Writer {
        Writer {
            batch,
            slots: Arc::new(Semaphore::new(WRITERS)),
        }
    }

    /// Runs `write` on a blocking thread once a slot is free; waiting for a slot is what slows
    /// fetching down when the disk cannot keep up, so bodies do not pile up in memory.
    pub async fn run<T, F>(&self, write: F) -> Result<T, SourceError>
    where
        T: Send + 'static,
        F: FnOnce(&Batch) -> Result<T, SourceError> + Send + 'static,
    {
        let permit = self.slots.clone().acquire_owned().await.ok();
        let batch = self.batch.clone();
        let root = batch.root().to_path_buf();
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            yield_to_fetches();
            write(&batch)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(err) => match err.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(err) => Err(SourceError::Cache(CacheError::Io {
                    action: "write to",
                    path: root,
                    source: std::io::Error::other(err.to_string()),
                })),
            },
        }
    }
}

/// Lowers the calling thread's CPU priority, once per thread (Linux, where the nice value is the
/// thread's own: `setpriority` on the calling thread; elsewhere nothing). The cache writes, the
/// checks run as copies are stored and the *before* check then take the CPU the fetches leave
/// idle, rather than delaying each host's next request while its answers are processed: with
/// more writer threads than cores, equal shares would give the fetches a small part of the
/// machine when many answers arrive at once. Best effort: a refusal changes nothing.
pub fn yield_to_fetches() {
    #[cfg(target_os = "linux")]
    {
        thread_local! {
            static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if !LOWERED.get() {
            LOWERED.set(true);
            let _ = rustix::process::setpriority_process(None, BACKGROUND_NICE);
        }
    }
}

/// The nice value of the threads that yield to the fetches (0 is the default, 19 the lowest).
#[cfg(target_os = "linux")]
const BACKGROUND_NICE: i32 = 10;

/// The main-content hash of an HTML copy (what the checks record when they read the page), read
/// as `format` when a claim gives one; `None` for other formats, and for a page that cannot be
/// read (the checks will say why).
pub fn main_hash(snapshot: &Snapshot, format: Option<Format>) -> Option<String> {
    let format = format.unwrap_or_else(|| {
        detect_format(
            snapshot.meta.content_type.as_deref(),
            &snapshot.meta.final_url,
            &snapshot.body,
        )
    });
    if format != Format::Html {
        return None;
    }
    crate::caught::catch(|| Page::read(snapshot, Some(format)).ok()?.main_sha256())
        .ok()
        .flatten()
}

/// A new copy read once, for its main-content hash and for the claims it settles.
#[derive(Debug)]
pub struct Read {
    /// The page as the checks read it, or why it cannot be read; `None` when reading it
    /// panicked (the last pass of the *after* check then reads it, and reports that).
    pub page: Option<Result<Arc<Page>, String>>,
    /// Its main-content hash, as [`main_hash`] gives it.
    pub main_sha256: Option<String>,
}

/// Reads `snapshot` as the checks read it (as `format` when a claim gives one).
pub fn read_page(snapshot: &Snapshot, format: Option<Format>) -> Read {
    let read = crate::caught::catch(|| {
        Page::read(snapshot, format)
            .map(Arc::new)
            .map_err(|e| error_chain(&e))
    });
    let Ok(page) = read else {
        return Read {
            page: None,
            main_sha256: None,
        };
    };
    // As main_hash: only an HTML page has one (no other format keeps a DOM).
    let main_sha256 = match &page {
        Ok(page) => crate::caught::catch(|| page.main_sha256()).ok().flatten(),
        Err(_) => None,
    };
    Read {
        page: Some(page),
        main_sha256,
    }
}
