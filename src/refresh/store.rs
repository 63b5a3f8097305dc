//! The cache writes of a refresh, off the fetch path: a fetch frees its network slot and hands
//! its result over to [`WRITERS`] writer threads, which write into one [`Batch`] that commits
//! them in groups and is durable before the refresh reports anything.
//!
//! The writer threads live as long as the fetches and take each write from one queue, so a
//! busy thread goes on to the next write without being woken, and a fetch's task ends as it
//! hands its write over: a write finishes its source's drift and reports it itself
//! ([`Writer::serve`]), and nothing waits for it on the runtime. (One blocking task per write,
//! awaited by the fetch's task, woke a thread to start each write and the runtime to finish it,
//! then the thread waiting for the fetches: about a third of the context switches of a run.)
//!
//! A new HTML copy is stored with its main-content hash ([`main_hash`]), so the *after* check,
//! which would record it, finds it there and rewrites nothing; when claims wait for the copy,
//! the page read for that hash is the one they are checked on ([`read_page`]).

use std::any::Any;
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::drift::SourceDrift;
use crate::page::{Page, detect_format};
use crate::source::cache::Batch;
use crate::source::{Snapshot, SourceError, error_chain};
use crate::spec::Format;
use crate::sync::lock;

/// How many sources' cache writes run at once, and how many writer threads there are. A write
/// does not wait for the disk (the batch's committer syncs), so a few threads keep up; they
/// also parse new pages for their main-content hashes, and bound the bodies waiting in memory.
pub const WRITERS: usize = 8;

/// One source's write: stores what its fetch brought and returns the source's drift.
pub type Write = Box<dyn FnOnce(&Batch) -> Result<SourceDrift, SourceError> + Send>;

/// Hands cache writes to the writer threads ([`Writer::serve`]), at most [`WRITERS`] waiting
/// or running at a time.
#[derive(Clone)]
pub struct Writer {
    queue: Arc<Queue>,
    slots: Arc<Semaphore>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

#[derive(Default)]
struct QueueState {
    writes: VecDeque<(Write, Option<OwnedSemaphorePermit>)>,
    /// Threads waiting for a write (only they need waking).
    idle: usize,
    /// No more writes come: the threads return once the queue is empty.
    closed: bool,
    /// A write failed factcheck itself: the fetches not started yet are not.
    failed: bool,
}

/// What the writer threads report: each source's drift, as its write finishes.
#[derive(Default)]
pub struct Written {
    /// The drifts, in the order their writes finished.
    pub drifts: Vec<SourceDrift>,
    /// The first write that failed factcheck itself.
    pub error: Option<SourceError>,
    /// The first write that panicked (resumed by the caller once the threads are done).
    pub panic: Option<Box<dyn Any + Send>>,
}

impl Writer {
    /// A writer with no threads yet (see [`Writer::serve`]).
    pub fn new() -> Writer {
        Writer {
            queue: Arc::default(),
            slots: Arc::new(Semaphore::new(WRITERS)),
        }
    }

    /// Queues `write` once a slot is free; waiting for a slot is what slows fetching down when
    /// the writers cannot keep up, so bodies do not pile up in memory.
    pub async fn submit(&self, write: Write) {
        let permit = self.slots.clone().acquire_owned().await.ok();
        let mut state = lock(&self.queue.state);
        state.writes.push_back((write, permit));
        if state.idle > 0 {
            self.queue.ready.notify_one();
        }
    }

    /// Whether a write failed factcheck itself (a fetch not started yet is then skipped).
    pub fn failed(&self) -> bool {
        lock(&self.queue.state).failed
    }

    /// No more writes: the threads return once they have done those queued.
    pub fn close(&self) {
        lock(&self.queue.state).closed = true;
        self.queue.ready.notify_all();
    }

    /// A writer thread: runs the queued writes into `batch` until the writer is closed and the
    /// queue is empty, reporting each drift into `written` and then to `report` (called with
    /// the drifts so far, under `written`'s lock, so the counts it sees only grow). A write that
    /// fails or panics is kept for the caller; the others go on, and are committed.
    pub fn serve(
        &self,
        batch: &Batch,
        written: &Mutex<Written>,
        report: &(dyn Fn(&[SourceDrift]) + Sync),
    ) {
        yield_to_fetches();
        while let Some((write, permit)) = self.next() {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| write(batch)));
            drop(permit);
            let mut written = lock(written);
            match result {
                Ok(Ok(drift)) => {
                    written.drifts.push(drift);
                    // A panic here would end this thread, and the fetches wait for the writers.
                    let drifts = &written.drifts;
                    if let Err(panic) =
                        std::panic::catch_unwind(AssertUnwindSafe(|| report(drifts)))
                    {
                        lock(&self.queue.state).failed = true;
                        written.panic.get_or_insert(panic);
                    }
                }
                Ok(Err(err)) => {
                    lock(&self.queue.state).failed = true;
                    written.error.get_or_insert(err);
                }
                Err(panic) => {
                    lock(&self.queue.state).failed = true;
                    written.panic.get_or_insert(panic);
                }
            }
        }
    }

    fn next(&self) -> Option<(Write, Option<OwnedSemaphorePermit>)> {
        let mut state = lock(&self.queue.state);
        loop {
            if let Some(write) = state.writes.pop_front() {
                return Some(write);
            }
            if state.closed {
                return None;
            }
            state.idle += 1;
            state = self
                .queue
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.idle -= 1;
        }
    }
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refresh::SourceStatus;
    use crate::source::cache::{Cache, CacheError};

    fn drift(url: String) -> SourceDrift {
        SourceDrift {
            url,
            status: SourceStatus::New,
            http_status: Some(200),
            conditional: false,
            archived_from: None,
            reason: None,
            change: None,
        }
    }

    /// Every write handed over is done and reported once, with counts that only grow, however
    /// many threads serve and however many writes wait for a slot; a write that fails or
    /// panics is kept for the caller, the others go on; closing ends the threads.
    #[test]
    fn every_write_is_reported_once_and_failures_are_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let batch = Cache::new(dir.path()).batch().expect("batch");
        let writer = Writer::new();
        let written = Mutex::new(Written::default());
        let counts = Mutex::new(Vec::new());
        let report = |drifts: &[SourceDrift]| lock(&counts).push(drifts.len());
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..3)
                .map(|_| scope.spawn(|| writer.serve(&batch, &written, &report)))
                .collect();
            let submit = writer.clone();
            crate::source::http::block_on(async move {
                for i in 0..100 {
                    let write: Write = match i {
                        17 => Box::new(|_| {
                            Err(SourceError::Cache(CacheError::Io {
                                action: "write",
                                path: "x".into(),
                                source: std::io::Error::other("disk full"),
                            }))
                        }),
                        42 => Box::new(|_| panic!("write 42")),
                        _ => Box::new(move |_| Ok(drift(format!("u{i}")))),
                    };
                    submit.submit(write).await;
                }
            })
            .expect("runtime");
            writer.close();
            for thread in threads {
                thread.join().expect("no thread panics");
            }
        });
        let written = written.into_inner().expect("written");
        assert_eq!(written.drifts.len(), 98);
        let mut urls: Vec<&str> = written.drifts.iter().map(|d| d.url.as_str()).collect();
        urls.sort_unstable();
        urls.dedup();
        assert_eq!(urls.len(), 98);
        assert!(matches!(
            written.error,
            Some(SourceError::Cache(CacheError::Io {
                action: "write",
                ..
            }))
        ));
        let panic = written.panic.expect("the panic is kept");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"write 42"));
        assert!(writer.failed());
        let counts = counts.into_inner().expect("counts");
        assert_eq!(counts, (1..=98).collect::<Vec<_>>());
        batch.finish().expect("finish");
    }
}
