//! What to refresh: the distinct sources of the selected claims, with their `archived`
//! fallbacks, minus those refreshed recently enough (`--older-than`).

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;

use crate::run::Filter;
use crate::source::cache::Meta;
use crate::spec::Suite;

/// One source to fetch again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The URL.
    pub url: String,
    /// The fallback copy named by the assertion file (`archived = "..."`), if any.
    pub archived: Option<String>,
}

/// The distinct sources cited by the selected claims that have a check, sorted by URL (the
/// first `archived` given for a URL wins).
pub fn plan(suite: &Suite, filter: &Filter) -> Vec<Planned> {
    let mut sources: BTreeMap<String, Option<String>> = BTreeMap::new();
    for file in &suite.files {
        for claim in file.claims.iter().filter(|c| c.check.is_some()) {
            if !filter.selects(file, claim) {
                continue;
            }
            for source in &claim.sources {
                let archived = sources.entry(source.url.clone()).or_default();
                if archived.is_none() {
                    archived.clone_from(&source.archived);
                }
            }
        }
    }
    sources
        .into_iter()
        .map(|(url, archived)| Planned { url, archived })
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
