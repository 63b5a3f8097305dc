//! Refreshing one source: a conditional request, then the cache updated so that no failure ever
//! replaces the last good copy, the failure history kept, and an archived copy fetched in when a
//! gone source has no copy of its own.
//!
//! Nothing here reads the cache: what it held was read once, before fetching ([`Held`],
//! [`Baseline`]); and the writes go to the [`Writer`], after the network slot is released.

use std::sync::Arc;

use jiff::Timestamp;

use super::after::After;
use super::drift::{ChangeKind, SourceDrift, SourceStatus};
use super::health;
use super::plan::{Held, Planned};
use super::store::{self, Writer};
use crate::source::cache::{Batch, Meta, SourceState, body_file, sha256_hex};
use crate::source::http::wayback::wayback_timestamp;
use crate::source::http::{FetchError, Fetched, Fetcher, Outcome, Validators};
use crate::source::warc::WarcArchive;
use crate::source::{Origin, Snapshot, SourceError, snapshot_from_archive};

/// What every source's refresh shares.
#[derive(Debug, Clone)]
pub struct Context {
    /// The HTTP client, with its politeness limits.
    pub fetcher: Fetcher,
    /// Where the cache writes go.
    pub writer: Writer,
    /// The time recorded as "retrieved" and in failure histories.
    pub now: Timestamp,
    /// The Wayback Machine's base URL, or `None` to never ask it.
    pub wayback: Option<String>,
    /// The WARC archives: a source only archived is compared with (and conditionally
    /// requested against) its archived copy.
    pub archives: Arc<Vec<WarcArchive>>,
    /// The *after* check of the claims each new copy settles, run as it is stored.
    pub after: Arc<After>,
}

/// The copy a refresh compares with: the cache's, else an archive's.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// Its metadata (an archived copy's as the archive gives it).
    pub meta: Meta,
    /// Whether it is in the cache (else only in an archive).
    pub cached: bool,
}

/// One source to refresh: what was planned, what the cache held, and the copy to compare with.
#[derive(Debug, Clone)]
pub struct Job {
    /// The source.
    pub planned: Planned,
    /// The cache's files for it.
    pub held: Held,
    /// The whole copy held, if any.
    pub baseline: Option<Baseline>,
}

/// The first archive's copy of `url`, if any.
pub fn archived_copy(archives: &[WarcArchive], url: &str) -> Result<Option<Snapshot>, SourceError> {
    for archive in archives {
        if let Some(page) = archive.get(url)? {
            return Ok(Some(snapshot_from_archive(page, archive.path())));
        }
    }
    Ok(None)
}

/// What a refresh writes to an entry.
enum Write {
    /// Nothing (a failure with no stand-in).
    Nothing,
    /// A new copy.
    Fetched(Fetched),
    /// The cached copy, with new metadata (a 304).
    Renewed(Meta),
    /// The archived stand-in is current (a 304): it becomes the cached copy.
    FromArchive(Meta),
}

/// Fetches one source again and hands the outcome to the writer threads, which record it in
/// the cache and report the source's drift. A source whose fetch would start after a write
/// failed factcheck itself is not fetched.
pub async fn refresh_source(ctx: Arc<Context>, job: Job) {
    if ctx.writer.failed() {
        return;
    }
    let Job {
        planned,
        held,
        baseline,
    } = job;
    let url = planned.url.as_str();
    let mut state = held.state.clone().unwrap_or_else(|| SourceState {
        url: url.to_string(),
        ..SourceState::default()
    });
    state.last_checked = Some(ctx.now.to_string());
    // Validators describe the live URL's copy; an archived stand-in has none worth sending.
    let validators = match &baseline {
        Some(baseline) if state.archived_from.is_none() => Validators {
            etag: baseline.meta.etag.clone(),
            last_modified: baseline.meta.last_modified.clone(),
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
    let write = match ctx.fetcher.fetch_conditional(url, &validators).await {
        Ok(Outcome::NotModified(answer)) => {
            drift.http_status = Some(304);
            health::record_success(&mut state);
            // `baseline` is Some: validators were sent.
            match &baseline {
                Some(baseline) => {
                    let mut meta = baseline.meta.clone();
                    meta.url = url.to_string();
                    meta.final_url = answer.final_url;
                    meta.etag = answer.etag.or(meta.etag);
                    meta.last_modified = answer.last_modified.or(meta.last_modified);
                    meta.status = Some(200);
                    meta.retrieved = ctx.now.to_string();
                    if baseline.cached {
                        Write::Renewed(meta)
                    } else {
                        Write::FromArchive(meta)
                    }
                }
                None => Write::Nothing,
            }
        }
        Ok(Outcome::Modified(fetched)) => {
            drift.http_status = Some(fetched.status);
            health::record_success(&mut state);
            state.archived_from = None;
            Write::Fetched(fetched)
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
            let mut write = Write::Nothing;
            if baseline.is_none() && health::is_gone(&err) {
                match fetch_fallback(&ctx, &planned).await {
                    Ok(Some(fetched)) => {
                        state.archived_from = Some(fetched.final_url.clone());
                        write = Write::Fetched(fetched);
                    }
                    Ok(None) => reason.push_str("; no archived copy found"),
                    Err(e) => {
                        reason.push_str("; archived copy: ");
                        reason.push_str(&e.reason());
                    }
                }
            }
            drift.reason = Some(reason);
            write
        }
    };
    drift.archived_from = state.archived_from.clone();
    let fetched_copy = matches!(write, Write::Fetched(_)) && drift.reason.is_none();
    let format = planned.format;
    let replaces = held.meta;
    let whole = baseline
        .as_ref()
        .filter(|b| b.cached)
        .map(|b| b.meta.clone());
    let writer = ctx.writer.clone();
    // The fetch's task ends here: a writer thread stores the copy and finishes the drift.
    writer
        .submit(Box::new(move |batch| {
            let stored = store_write(
                &ctx,
                batch,
                &drift.url,
                write,
                format,
                replaces.as_ref(),
                whole.as_ref(),
            )?;
            batch.put_state(&state)?;
            if fetched_copy && let Some(stored) = &stored {
                drift.status = match &baseline {
                    None => SourceStatus::New,
                    Some(baseline) if baseline.meta.sha256 == stored.sha256 => {
                        SourceStatus::Unchanged
                    }
                    Some(_) => SourceStatus::Changed,
                };
                if drift.status == SourceStatus::Changed {
                    // The old copy's hash was recorded by the before check (or an earlier run),
                    // the new one as it was stored.
                    let old = replaces.as_ref().and_then(|m| m.main_sha256.as_deref());
                    drift.change = change_kind(old, stored.main_sha256.as_deref());
                }
            }
            Ok(drift)
        }))
        .await;
}

/// Performs an entry's write on a writer thread; returns the metadata stored with a body.
/// `replaces` is the entry's metadata file as it was; `whole`, the same when its body was read
/// whole: a new copy with the same bytes keeps that body (and its main-content hash), and
/// only the metadata is written.
fn store_write(
    ctx: &Context,
    batch: &Batch,
    url: &str,
    write: Write,
    format: Option<crate::spec::Format>,
    replaces: Option<&Meta>,
    whole: Option<&Meta>,
) -> Result<Option<Meta>, SourceError> {
    match write {
        Write::Nothing => Ok(None),
        Write::Renewed(meta) => {
            batch.put_meta(&meta)?;
            Ok(None)
        }
        Write::FromArchive(meta) => match archived_copy(&ctx.archives, url)? {
            Some(copy) => Ok(Some(batch.put(meta, &copy.body, replaces)?)),
            None => Ok(None),
        },
        Write::Fetched(fetched) => {
            let (mut meta, body) = crate::source::fetched_meta(url, fetched, ctx.now.to_string());
            meta.sha256 = sha256_hex(&body);
            meta.body = body_file(url, &meta.sha256);
            // The same bytes as the copy held keep its body (and its main-content hash).
            let same = whole.filter(|w| w.sha256 == meta.sha256 && w.body == meta.body);
            // The copy as the checks will read it from the cache.
            let snapshot = Snapshot {
                meta,
                body,
                origin: Origin::Cache,
            };
            let mut page = ctx
                .after
                .wants(url)
                .then(|| store::read_page(&snapshot, format));
            let main_sha256 = match (same.and_then(|w| w.main_sha256.clone()), page.as_mut()) {
                (Some(hash), _) => Some(hash),
                (None, Some(page)) => page.main_sha256.take(),
                (None, None) => store::main_hash(&snapshot, format),
            };
            let Snapshot { mut meta, body, .. } = snapshot;
            meta.main_sha256 = main_sha256;
            let meta = if same.is_some() {
                batch.put_meta(&meta)?;
                meta
            } else {
                batch.put(meta, &body, replaces)?
            };
            if let Some(page) = page.and_then(|p| p.page) {
                ctx.after.check(url, page);
            }
            Ok(Some(meta))
        }
    }
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
