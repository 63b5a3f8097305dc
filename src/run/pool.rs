//! The page pool: each page is read once, by the first worker that needs it, shared by the
//! claims citing it, and dropped after its last planned claim.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::page::Page;
use crate::source::cache::Meta;
use crate::source::{Obtain, Origin, Snapshot, SourceError, Sources, error_chain};
use crate::spec::{Format, SourceDef};

use super::lock;

/// A page, or why it could not be had.
pub(crate) type PageResult = Result<Arc<Page>, String>;
/// Pages are keyed by URL and format override.
pub(crate) type PageKey = (String, Option<Format>);

/// The key of a source's page.
pub(crate) fn key(source: &SourceDef) -> PageKey {
    (source.url.clone(), source.format)
}

/// Pages being read or in use, and how many planned claims still need each.
#[derive(Default)]
pub(crate) struct Pool {
    pages: Mutex<HashMap<PageKey, Arc<OnceLock<PageResult>>>>,
    /// Planned uses left per page; a page without an entry is kept (unplanned use, such as the
    /// harness's one trial at a time).
    pending: Mutex<HashMap<PageKey, usize>>,
}

impl Pool {
    /// Plans one more use of each of these pages.
    pub(crate) fn plan<'a>(&self, sources: impl IntoIterator<Item = &'a SourceDef>) {
        let mut pending = lock(&self.pending);
        for s in sources {
            *pending.entry(key(s)).or_default() += 1;
        }
    }

    /// The page of `source`, read on first use; the inner `Err` is why it is unavailable, the
    /// outer one a failure of factcheck itself (such as a cache that cannot be read).
    pub(crate) fn get(
        &self,
        sources: &Sources,
        source: &SourceDef,
    ) -> Result<PageResult, SourceError> {
        let slot = lock(&self.pages).entry(key(source)).or_default().clone();
        let mut fatal = None;
        let page = slot.get_or_init(|| match sources.get(&source.url) {
            Ok(snapshot) => Page::read(&snapshot, source.format)
                .map(|page| {
                    record_main_hash(sources, &snapshot, &page);
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

    /// Puts a page already read in the pool, in place of any held.
    pub(crate) fn insert(&self, source: &SourceDef, page: PageResult) {
        let slot = Arc::new(OnceLock::new());
        let _ = slot.set(page);
        lock(&self.pages).insert(key(source), slot);
    }

    /// One planned use of the page of `source` is done: drop it after the last.
    pub(crate) fn release(&self, source: &SourceDef) {
        let key = key(source);
        let mut pending = lock(&self.pending);
        if let Some(n) = pending.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                pending.remove(&key);
                lock(&self.pages).remove(&key);
            }
        }
    }

    /// Whether no page is held and no use is planned.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        lock(&self.pages).is_empty() && lock(&self.pending).is_empty()
    }
}

/// Records the main content's hash in the cache metadata of a cached page that lacks it (the
/// drift signal of `refresh`), only when this process holds the cache's lock: a refresh does, a
/// plain `check` does not, and must leave a (perhaps committed) cache untouched. Best effort, as
/// a read-only cache must not fail the run.
fn record_main_hash(sources: &Sources, snapshot: &Snapshot, page: &Page) {
    // Only a cached copy has metadata to update (a fetched one is cached by now).
    if snapshot.meta.main_sha256.is_some()
        || !matches!(snapshot.origin, Origin::Cache | Origin::Network)
        || !sources.cache().locked_here()
    {
        return;
    }
    if let Some(hash) = page.main_sha256() {
        let meta = Meta {
            main_sha256: Some(hash),
            ..snapshot.meta.clone()
        };
        let _ = sources.cache().put_meta(&meta);
    }
}
