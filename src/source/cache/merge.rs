//! Merging another cache into this one (`factcheck cache merge`), as the shards of a refresh
//! split by host are merged: per source, the newer record wins.
//!
//! A source's record is its metadata, its body and its state; it is as new as the later of the
//! metadata's `retrieved` and the state's `last_checked` (a refresh sets one or the other for
//! every source it tries). The other cache's record replaces this cache's when it is newer;
//! on a tie, or when neither has a time, this cache's is kept. A newer record without metadata
//! (a source that only failed) brings its state and leaves this cache's copy alone, as a failed
//! fetch never replaces a good copy. Bodies are content-addressed, so nothing conflicts; every
//! body is checked against its metadata before it is copied.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::{Cache, CacheError, Meta, Problem, SourceState, meta_file, state_file};

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Entries (metadata and body) copied in.
    pub entries: usize,
    /// States copied in, or removed because the newer record has none.
    pub states: usize,
    /// Records left out: unreadable files, damaged bodies.
    pub problems: Vec<Problem>,
}

impl Cache {
    /// Merges `other` into this cache (see the module documentation); hold this cache's lock.
    /// Durable when it returns.
    pub fn merge_from(&self, other: &Cache) -> Result<Merged, CacheError> {
        let mut merged = Merged::default();
        let (metas, problems) = other.scan()?;
        merged.problems = problems;
        let mut records: BTreeMap<String, (Option<Meta>, Option<SourceState>)> = BTreeMap::new();
        for meta in metas {
            let url = meta.url.clone();
            records.entry(url).or_default().0 = Some(meta);
        }
        for path in other.files(super::STATE_EXT)? {
            match super::read_state(&path) {
                Ok(Some(state)) => {
                    let url = state.url.clone();
                    records.entry(url).or_default().1 = Some(state);
                }
                Ok(None) => {}
                Err(e) => merged.problems.push(Problem {
                    path,
                    url: None,
                    message: e.to_string(),
                    fatal: true,
                }),
            }
        }
        let batch = self.batch()?;
        let listing = batch.listing().clone();
        for (url, (meta, state)) in records {
            let mine_meta = if listing.contains(&meta_file(&url)) {
                self.meta(&url)?
            } else {
                None
            };
            let mine_state = if listing.contains(&state_file(&url)) {
                self.state(&url)?
            } else {
                None
            };
            let theirs = newest(meta.as_ref(), state.as_ref());
            if theirs.is_none() || theirs <= newest(mine_meta.as_ref(), mine_state.as_ref()) {
                continue;
            }
            if let Some(meta) = meta.filter(|m| Some(m) != mine_meta.as_ref()) {
                let Some(entry) = other.get(&url)? else {
                    merged.problems.push(Problem {
                        path: other.root().join(meta_file(&url)),
                        url: Some(url.clone()),
                        message: format!(
                            "body {} is missing or does not match its metadata; not merged",
                            meta.body
                        ),
                        fatal: true,
                    });
                    continue;
                };
                batch.put(entry.meta, &entry.body, mine_meta.as_ref())?;
                merged.entries += 1;
            }
            if state != mine_state {
                batch.put_state(&state.unwrap_or_else(|| SourceState {
                    url: url.clone(),
                    ..SourceState::default()
                }))?;
                merged.states += 1;
            }
        }
        batch.finish()?;
        Ok(merged)
    }
}

/// When a record was last retrieved or tried; `None` when neither time reads as one.
fn newest(meta: Option<&Meta>, state: Option<&SourceState>) -> Option<Timestamp> {
    let retrieved = meta.and_then(|m| m.retrieved.parse::<Timestamp>().ok());
    let checked = state
        .and_then(|s| s.last_checked.as_deref())
        .and_then(|t| t.parse::<Timestamp>().ok());
    retrieved.max(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::cache::FailureRecord;

    fn meta(url: &str, retrieved: &str) -> Meta {
        Meta {
            url: url.into(),
            final_url: url.into(),
            status: Some(200),
            content_type: Some("text/plain".into()),
            retrieved: retrieved.into(),
            ..Meta::default()
        }
    }

    #[test]
    fn the_newer_record_wins_and_a_tie_keeps_ours() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ours = Cache::new(dir.path().join("ours"));
        let theirs = Cache::new(dir.path().join("theirs"));
        let (a, b, c, d) = (
            "https://a.example/",
            "https://b.example/",
            "https://c.example/",
            "https://d.example/",
        );
        // a: theirs is newer. b: ours is newer. c: a tie. d: only theirs.
        ours.put(meta(a, "2026-11-01T00:00:00Z"), b"a old")
            .expect("put");
        theirs
            .put(meta(a, "2026-11-02T00:00:00Z"), b"a new")
            .expect("put");
        ours.put(meta(b, "2026-11-02T00:00:00Z"), b"b ours")
            .expect("put");
        theirs
            .put(meta(b, "2026-11-01T00:00:00Z"), b"b theirs")
            .expect("put");
        ours.put(meta(c, "2026-11-01T00:00:00Z"), b"c ours")
            .expect("put");
        theirs
            .put(meta(c, "2026-11-01T00:00:00Z"), b"c theirs")
            .expect("put");
        theirs
            .put(meta(d, "2026-11-01T00:00:00Z"), b"d")
            .expect("put");
        // Ours has a failure history for a, which their newer success clears.
        let failure = FailureRecord {
            at: "2026-10-01T00:00:00Z".into(),
            reason: "HTTP 500".into(),
        };
        ours.put_state(&SourceState {
            url: a.into(),
            failures: vec![failure.clone()],
            last_failure: Some(failure),
            last_checked: Some("2026-10-01T00:00:00Z".into()),
            ..SourceState::default()
        })
        .expect("state");

        let merged = ours.merge_from(&theirs).expect("merge");
        assert_eq!((merged.entries, merged.states), (2, 1), "{merged:?}");
        assert!(merged.problems.is_empty());
        let body = |url| ours.get(url).expect("get").expect("hit").body;
        assert_eq!(body(a), b"a new");
        assert_eq!(body(b), b"b ours");
        assert_eq!(body(c), b"c ours");
        assert_eq!(body(d), b"d");
        assert_eq!(ours.state(a).expect("state"), None);
        assert!(ours.verify().expect("verify").is_empty());
    }

    #[test]
    fn a_newer_failure_brings_its_state_and_keeps_our_copy() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ours = Cache::new(dir.path().join("ours"));
        let theirs = Cache::new(dir.path().join("theirs"));
        let url = "https://a.example/";
        ours.put(meta(url, "2026-11-01T00:00:00Z"), b"good")
            .expect("put");
        let state = SourceState {
            url: url.into(),
            last_failure: Some(FailureRecord {
                at: "2026-11-05T00:00:00Z".into(),
                reason: "HTTP 503".into(),
            }),
            last_checked: Some("2026-11-05T00:00:00Z".into()),
            ..SourceState::default()
        };
        theirs.put_state(&state).expect("state");
        let merged = ours.merge_from(&theirs).expect("merge");
        assert_eq!((merged.entries, merged.states), (0, 1));
        assert_eq!(ours.state(url).expect("state"), Some(state));
        assert_eq!(ours.get(url).expect("get").expect("hit").body, b"good");
    }

    #[test]
    fn a_damaged_body_is_not_merged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ours = Cache::new(dir.path().join("ours"));
        let theirs = Cache::new(dir.path().join("theirs"));
        let url = "https://a.example/";
        let stored = theirs
            .put(meta(url, "2026-11-01T00:00:00Z"), b"good")
            .expect("put");
        std::fs::write(dir.path().join("theirs").join(&stored.body), b"evil").expect("tamper");
        let merged = ours.merge_from(&theirs).expect("merge");
        assert_eq!(merged.entries, 0);
        assert_eq!(merged.problems.len(), 1, "{merged:?}");
        assert!(ours.meta(url).expect("meta").is_none());
    }
}
