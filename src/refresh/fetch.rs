//! Refreshing one source: a conditional request, then the cache updated so that no failure ever
//! replaces the last good copy, the failure history kept, and an archived copy fetched in when a
//! gone source has no copy of its own.

use std::sync::Arc;

use jiff::Timestamp;

use super::drift::{ChangeKind, SourceDrift, SourceStatus};
use super::health;
use super::plan::Planned;
use crate::source::cache::{Cache, CacheError, Entry, Meta, SourceState, sha256_hex};
use crate::source::http::wayback::wayback_timestamp;
use crate::source::http::{FetchError, Fetched, Fetcher, Outcome, Validators};
use crate::source::warc::WarcArchive;
use crate::source::{SourceError, snapshot_from_archive};

/// What every source's refresh shares.
#[derive(Debug, Clone)]
pub struct Context {
    /// The HTTP client, with its politeness limits.
    pub fetcher: Fetcher,
    /// The cache written.
    pub cache: Cache,
    /// The time recorded as "retrieved" and in failure histories.
    pub now: Timestamp,
    /// The Wayback Machine's base URL, or `None` to never ask it.
    pub wayback: Option<String>,
    /// The WARC archives: a source only archived is compared with (and conditionally
    /// requested against) its archived copy.
    pub archives: Arc<Vec<WarcArchive>>,
}

/// The copy a refresh compares with: the cache's, else an archive's.
struct Baseline {
    entry: Entry,
    /// Whether it is in the cache (else only in an archive).
    cached: bool,
}

fn baseline(ctx: &Context, url: &str) -> Result<Option<Baseline>, SourceError> {
    if let Some(entry) = ctx.cache.get(url)? {
        return Ok(Some(Baseline {
            entry,
            cached: true,
        }));
    }
    for archive in ctx.archives.iter() {
        if let Some(page) = archive.get(url)? {
            let snapshot = snapshot_from_archive(page, archive.path());
            return Ok(Some(Baseline {
                entry: Entry {
                    meta: snapshot.meta,
                    body: snapshot.body,
                },
                cached: false,
            }));
        }
    }
    Ok(None)
}

/// Fetches one source again and records the outcome in the cache.
pub async fn refresh_source(
    ctx: Arc<Context>,
    planned: Planned,
) -> Result<SourceDrift, SourceError> {
    let url = planned.url.as_str();
    let cache = &ctx.cache;
    let held = baseline(&ctx, url)?;
    let mut state = cache.state(url)?.unwrap_or_else(|| SourceState {
        url: url.to_string(),
        ..SourceState::default()
    });
    state.last_checked = Some(ctx.now.to_string());
    // Validators describe the live URL's copy; an archived stand-in has none worth sending.
    let validators = match &held {
        Some(held) if state.archived_from.is_none() => Validators {
            etag: held.entry.meta.etag.clone(),
            last_modified: held.entry.meta.last_modified.clone(),
        },
        _ => Validators::default(),
    };
    let conditional = !validators.is_empty();
    let mut drift = SourceDrift {
        url: url.to_string(),
        status: SourceStatus::Unchanged,
        http_status: None,
        conditional,
        archived_from: None,
        reason: None,
        change: None,
    };
    match ctx.fetcher.fetch_conditional(url, &validators).await {
        Ok(Outcome::NotModified(answer)) => {
            // `held` is Some: validators were sent.
            if let Some(held) = held {
                let mut meta = held.entry.meta;
                meta.url = url.to_string();
                meta.final_url = answer.final_url;
                meta.etag = answer.etag.or(meta.etag);
                meta.last_modified = answer.last_modified.or(meta.last_modified);
                meta.status = Some(200);
                meta.retrieved = ctx.now.to_string();
                if held.cached {
                    cache.put_meta(&meta)?;
                } else {
                    // The archived copy is current: it becomes the cached one.
                    cache.put(meta, &held.entry.body)?;
                }
            }
            drift.http_status = Some(304);
            health::record_success(&mut state);
        }
        Ok(Outcome::Modified(fetched)) => {
            drift.http_status = Some(fetched.status);
            let new_sha = sha256_hex(&fetched.body);
            drift.status = match &held {
                None => SourceStatus::New,
                Some(held) if held.entry.meta.sha256 == new_sha => SourceStatus::Unchanged,
                Some(_) => SourceStatus::Changed,
            };
            store(cache, url, fetched, ctx.now)?;
            health::record_success(&mut state);
            state.archived_from = None;
        }
        Err(err) => {
            if let FetchError::Status { status, .. } = &err {
                drift.http_status = Some(*status);
            }
            let mut reason = err.reason();
            let dead = health::record_failure(&mut state, ctx.now, &reason);
            drift.status = if dead {
                SourceStatus::Dead
            } else {
                SourceStatus::Failing
            };
            if held.is_none() && health::is_gone(&err) {
                match fetch_fallback(&ctx, &planned).await {
                    Ok(Some(fetched)) => {
                        state.archived_from = Some(fetched.final_url.clone());
                        store(cache, url, fetched, ctx.now)?;
                    }
                    Ok(None) => reason.push_str("; no archived copy found"),
                    Err(e) => {
                        reason.push_str("; archived copy: ");
                        reason.push_str(&e.reason());
                    }
                }
            }
            drift.reason = Some(reason);
        }
    }
    drift.archived_from = state.archived_from.clone();
    cache.put_state(&state)?;
    Ok(drift)
}

/// The stand-in for a gone source: its `archived` URL, else the Wayback Machine's capture
/// closest to now. `Ok(None)` when there is none.
async fn fetch_fallback(ctx: &Context, planned: &Planned) -> Result<Option<Fetched>, FetchError> {
    if let Some(archived) = &planned.archived {
        return ctx.fetcher.fetch(archived).await.map(Some);
    }
    let Some(base) = &ctx.wayback else {
        return Ok(None);
    };
    let timestamp = wayback_timestamp(&ctx.now.to_string());
    let capture = ctx
        .fetcher
        .wayback_closest(base, &planned.url, Some(&timestamp))
        .await?;
    match capture {
        Some(capture) => ctx.fetcher.fetch(&capture.url).await.map(Some),
        None => Ok(None),
    }
}

/// Stores a fetched body as the copy of `url` (atomically: body first, metadata last).
fn store(cache: &Cache, url: &str, fetched: Fetched, now: Timestamp) -> Result<Meta, CacheError> {
    let (meta, body) = crate::source::fetched_meta(url, fetched, now.to_string());
    cache.put(meta, &body)
}

/// Which part of a changed page changed, from the main-content hashes of the old and new copies
/// (`Meta::main_sha256`, recorded when an HTML page is read): the same hash means only the
/// boilerplate around the article changed. Unknown (`None`) for other formats.
pub fn change_kind(old_main: Option<&str>, new_main: Option<&str>) -> Option<ChangeKind> {
    match (old_main, new_main) {
        (Some(old), Some(new)) if old == new => Some(ChangeKind::Boilerplate),
        (Some(_), Some(_)) => Some(ChangeKind::Content),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_kind_needs_both_main_hashes() {
        assert_eq!(change_kind(None, None), None);
        assert_eq!(change_kind(Some("a"), None), None);
        assert_eq!(
            change_kind(Some("a"), Some("a")),
            Some(ChangeKind::Boilerplate)
        );
        assert_eq!(change_kind(Some("a"), Some("b")), Some(ChangeKind::Content));
    }
}
