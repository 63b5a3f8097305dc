//! What to refresh: the distinct sources of the selected claims, with their `archived`
//! fallbacks, minus those refreshed recently enough (`--older-than`); and what the cache holds
//! for each, read once ([`held`]).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use jiff::Timestamp;

use crate::run::{Filter, host_of};
use crate::source::cache::{Cache, CacheError, Listing, Meta, SourceState, meta_file, state_file};
use crate::spec::{Format, Suite};

/// One source to fetch again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The URL.
    pub url: String,
    /// The fallback copy named by the assertion file (`archived = "..."`), if any.
    pub archived: Option<String>,
    /// The format a claim gives the source (`format = "..."`), if any: the main-content hash
    /// recorded with a new copy reads it as the checks will.
    pub format: Option<Format>,
}

/// The distinct sources cited by the selected claims that have a check, sorted by URL (the
/// first `archived` and `format` given for a URL win).
///
/// Under `--partition`, sources are sharded by host, not claims: the claims are those the text
/// filter selects, and the sources kept are those whose host ([`host_of`]) falls in the shard.
/// So each source is fetched by exactly one shard (its host's), whichever shard reports the
/// claims that cite it, and per-host politeness holds across shards.
pub fn plan(suite: &Suite, filter: &Filter) -> Vec<Planned> {
    let claims = Filter {
        partition: None,
        ..filter.clone()
    };
    let mut sources: BTreeMap<String, (Option<String>, Option<Format>)> = BTreeMap::new();
    for file in &suite.files {
        for claim in file.claims.iter().filter(|c| c.check.is_some()) {
            if !claims.selects(file, claim) {
                continue;
            }
            for source in &claim.sources {
                if filter
                    .partition
                    .is_some_and(|p| !p.selects(&host_of(&source.url)))
                {
                    continue;
                }
                let (archived, format) = sources.entry(source.url.clone()).or_default();
                if archived.is_none() {
                    archived.clone_from(&source.archived);
                }
                if format.is_none() {
                    *format = source.format;
                }
            }
        }
    }
    sources
        .into_iter()
        .map(|(url, (archived, format))| Planned {
            url,
            archived,
            format,
        })
        .collect()
}

/// What the cache held for a planned source when the refresh began.
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// The entry's metadata, if it has a readable metadata file (its body may still be damaged).
    pub meta: Option<Meta>,
    /// The source's state file, if it has one.
    pub state: Option<SourceState>,
}

/// Reads, for each planned source, the metadata and state files that the cache listing shows
/// (so a source the cache does not hold costs no file system call), on several threads when
/// there are many.
pub fn held(
    cache: &Cache,
    listing: &Listing,
    planned: &[Planned],
) -> Result<Vec<Held>, CacheError> {
    let read = |p: &Planned| -> Result<Held, CacheError> {
        Ok(Held {
            meta: if listing.contains(&meta_file(&p.url)) {
                cache.meta(&p.url)?
            } else {
                None
            },
            state: if listing.contains(&state_file(&p.url)) {
                cache.state(&p.url)?
            } else {
                None
            },
        })
    };
    if listing.is_empty() {
        return Ok(planned.iter().map(|_| Held::default()).collect());
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(planned.len().div_ceil(PER_THREAD))
        .max(1);
    let chunk = planned.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<Held>, CacheError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = planned
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(read).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(planned.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Entries read by one thread at least, before another is started.
const PER_THREAD: usize = 256;

/// The copies the *before* check read whole from the cache, as (URL, body SHA-256): reading
/// one verified its body against its metadata, so a refresh need not read it again.
pub fn verified_copies(before: &crate::result::RunResult) -> HashSet<(String, String)> {
    before
        .claims
        .iter()
        .flat_map(|c| &c.evidence)
        .filter(|e| e.origin.as_deref() == Some("cache"))
        .filter_map(|e| Some((e.url.clone(), e.sha256.clone()?)))
        .collect()
}

/// Whether a cached entry is due: no entry, an unreadable time, or retrieved at least
/// `older_than` before `now`. Everything is due without `older_than`.
pub fn is_due(meta: Option<&Meta>, older_than: Option<Duration>, now: Timestamp) -> bool {
    let (Some(meta), Some(older_than)) = (meta, older_than) else {
        return true;
    };
    match meta.retrieved.parse::<Timestamp>() {
        Ok(retrieved) => {
            Duration::try_from(now.duration_since(retrieved)).is_ok_and(|age| age >= older_than)
        }
        Err(_) => true,
    }
}

/// Errors parsing an age such as `7d`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid age {0:?}: expected a number and a unit, like 90s, 30m, 12h, 7d or 2w")]
pub struct AgeError(pub String);

/// Parses an age: a whole number and a unit, `s`, `m`, `h`, `d` or `w`.
pub fn parse_age(text: &str) -> Result<Duration, AgeError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| AgeError(text.to_string()))?;
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| AgeError(text.to_string()))?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(AgeError(text.to_string())),
    };
    n.checked_mul(secs)
        .map(Duration::from_secs)
        .ok_or_else(|| AgeError(text.to_string()))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn distinct_sources_of_selected_checked_claims() {
        let text = "[sources]\n\
            a = { url = \"https://a.example/\", archived = \"https://web.archive.org/web/2025/https://a.example/\" }\n\
            [[claim]]\nid = \"one\"\nstatement = \"s\"\nsource = \"a\"\ncheck.contains = \"x\"\n\
            [[claim]]\nid = \"two\"\nstatement = \"s\"\nsources = [\"a\", \"https://b.example/\"]\ncheck.contains = \"x\"\n\
            [[claim]]\nid = \"three\"\nstatement = \"s\"\nsource = \"https://c.example/\"\ncheck.contains = \"x\"\n";
        let file = crate::spec::load_str(Path::new("f.toml"), text).expect("valid");
        let suite = Suite { files: vec![file] };
        let all = plan(&suite, &Filter::default());
        let urls: Vec<&str> = all.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://a.example/",
                "https://b.example/",
                "https://c.example/"
            ]
        );
        assert!(all[0].archived.is_some());
        let some = plan(
            &suite,
            &Filter {
                text: Some("f::one".into()),
                ..Filter::default()
            },
        );
        assert_eq!(some.len(), 1);
    }

    #[test]
    fn a_partition_keeps_the_sources_of_its_hosts_whoever_reports_the_claim() {
        use crate::partition::{Partition, shard_of};
        let hosts = [
            "a.example",
            "b.example",
            "c.example",
            "d.example",
            "e.example",
        ];
        let mut text = String::new();
        for (i, host) in hosts.iter().enumerate() {
            let next = hosts[(i + 1) % hosts.len()];
            text.push_str(&format!(
                "[[claim]]\nid = \"c{i}\"\nstatement = \"s\"\n\
                 sources = [\"https://{host}/1\", \"https://{next}/2\"]\ncheck.contains = \"x\"\n"
            ));
        }
        let file = crate::spec::load_str(Path::new("f.toml"), &text).expect("valid");
        let suite = Suite { files: vec![file] };
        let mut all = Vec::new();
        for k in 1..=2 {
            let filter = Filter {
                partition: Partition::new(k, 2),
                shard_by: crate::run::ShardBy::Host,
                ..Filter::default()
            };
            for p in plan(&suite, &filter) {
                assert_eq!(shard_of(&host_of(&p.url), 2), k, "{}", p.url);
                all.push(p.url);
            }
        }
        // Every source once, in exactly one shard.
        all.sort();
        let mut expected = plan(&suite, &Filter::default())
            .into_iter()
            .map(|p| p.url)
            .collect::<Vec<_>>();
        expected.sort();
        assert_eq!(all, expected);
        assert_eq!(all.len(), 2 * hosts.len());
    }

    #[test]
    fn ages_and_due_entries() {
        assert_eq!(parse_age("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_age("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_age("2w"), Ok(Duration::from_secs(14 * 86_400)));
        assert!(parse_age("7").is_err());
        assert!(parse_age("d").is_err());
        assert!(parse_age("7y").is_err());

        let now: Timestamp = "2026-11-29T00:00:00Z".parse().expect("ts");
        let meta = |retrieved: &str| Meta {
            retrieved: retrieved.into(),
            ..Meta::default()
        };
        let week = Some(Duration::from_secs(7 * 86_400));
        assert!(is_due(Some(&meta("2026-11-20T00:00:00Z")), week, now));
        assert!(!is_due(Some(&meta("2026-11-25T00:00:00Z")), week, now));
        assert!(is_due(Some(&meta("")), week, now));
        assert!(is_due(None, week, now));
        assert!(is_due(Some(&meta("2026-11-28T00:00:00Z")), None, now));
    }
}
