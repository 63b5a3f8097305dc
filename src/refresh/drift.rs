//! The drift report's model: what a refresh found, per source and per claim, as plain data that
//! every format renders.

use serde::Serialize;

use crate::result::{ClaimResult, RunResult};
use crate::spec::Verdict;

/// The version of the JSON drift report's shape.
pub const DRIFT_REPORT_VERSION: u32 = 1;

/// What happened to one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SourceStatus {
    /// The server said 304, or sent the same bytes.
    Unchanged,
    /// The bytes differ from the cached copy.
    Changed,
    /// The fetch failed; the last good copy (if any) is still used.
    Failing,
    /// The fetch failed on enough refreshes, far enough apart, to give up on the live page.
    Dead,
    /// Not cached before: fetched for the first time.
    New,
}

impl SourceStatus {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Unchanged => "unchanged",
            SourceStatus::Changed => "changed",
            SourceStatus::Failing => "failing",
            SourceStatus::Dead => "dead",
            SourceStatus::New => "new",
        }
    }
}

/// Which part of a changed page changed, when the main-content hash tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ChangeKind {
    /// The main content changed.
    Content,
    /// Only the boilerplate around it (navigation, ads, footers) changed.
    Boilerplate,
}

/// One source's refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SourceDrift {
    /// The URL.
    pub url: String,
    /// What happened.
    pub status: SourceStatus,
    /// The live server's HTTP status, when it answered (304 for a conditional hit).
    pub http_status: Option<u16>,
    /// Whether the request was conditional (sent `If-None-Match` or `If-Modified-Since`).
    pub conditional: bool,
    /// Where the evidence now comes from when not from the URL: an archived copy's URL.
    pub archived_from: Option<String>,
    /// Why the fetch failed (failing and dead sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a changed source, which part changed, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeKind>,
}

/// One claim before and after the refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClaimDrift {
    /// The assertion file.
    pub file: String,
    /// The claim's id.
    pub id: String,
    /// The claim in words.
    #[serde(skip)]
    pub statement: String,
    /// The verdict on the copies held before the refresh.
    pub before: Verdict,
    /// The verdict after.
    pub after: Verdict,
    /// Whether the verdict changed.
    pub flipped: bool,
    /// The evidence excerpt before, when the excerpt changed.
    pub excerpt_before: Option<String>,
    /// The evidence excerpt after, when it changed.
    pub excerpt_after: Option<String>,
    /// The reason for the verdict after.
    #[serde(skip)]
    pub reason_after: String,
}

impl ClaimDrift {
    /// The trial name, `<file-stem>::<claim-id>`.
    pub fn name(&self) -> String {
        let stem = std::path::Path::new(&self.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{stem}::{}", self.id)
    }

    /// Whether the evidence excerpt changed.
    pub fn excerpt_changed(&self) -> bool {
        self.excerpt_before != self.excerpt_after
    }
}

/// A refresh: every source fetched and every claim compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DriftReport {
    /// The sources fetched, sorted by URL.
    pub sources: Vec<SourceDrift>,
    /// Sources left alone because they were refreshed recently (`--older-than`).
    pub skipped: usize,
    /// Every selected claim, in file order.
    pub claims: Vec<ClaimDrift>,
}

impl DriftReport {
    /// Whether some verdict flipped.
    pub fn flipped(&self) -> bool {
        self.claims.iter().any(|c| c.flipped)
    }

    /// How many sources have each status, in the order of [`SourceStatus`].
    pub fn counts(&self) -> Vec<(SourceStatus, usize)> {
        [
            SourceStatus::Unchanged,
            SourceStatus::Changed,
            SourceStatus::New,
            SourceStatus::Failing,
            SourceStatus::Dead,
        ]
        .into_iter()
        .map(|s| (s, self.sources.iter().filter(|d| d.status == s).count()))
        .collect()
    }
}

/// Pairs the claims of two runs over the same suite (by file and id) into drifts.
pub fn compare(before: &RunResult, after: &RunResult) -> Vec<ClaimDrift> {
    let before: std::collections::HashMap<(&str, &str), &ClaimResult> = before
        .claims
        .iter()
        .map(|b| ((b.file.as_str(), b.id.as_str()), b))
        .collect();
    after
        .claims
        .iter()
        .map(|a| {
            let b = before.get(&(a.file.as_str(), a.id.as_str())).copied();
            let before_verdict = b.map_or(a.verdict, |b| b.verdict);
            let excerpt_before = b.and_then(excerpt);
            let excerpt_after = excerpt(a);
            let changed = excerpt_before != excerpt_after;
            ClaimDrift {
                file: a.file.clone(),
                id: a.id.clone(),
                statement: a.statement.clone(),
                before: before_verdict,
                after: a.verdict,
                flipped: before_verdict != a.verdict,
                excerpt_before: excerpt_before.filter(|_| changed),
                excerpt_after: excerpt_after.filter(|_| changed),
                reason_after: a.reason.clone(),
            }
        })
        .collect()
}

/// A claim's evidence excerpts, one per source that gave one (prefixed with the URL when the
/// claim has several sources).
fn excerpt(claim: &ClaimResult) -> Option<String> {
    let several = claim.evidence.len() > 1;
    let parts: Vec<String> = claim
        .evidence
        .iter()
        .filter_map(|e| {
            e.excerpt.as_ref().map(|x| {
                if several {
                    format!("{}: {x}", e.url)
                } else {
                    x.clone()
                }
            })
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Evidence;

    fn claim(id: &str, verdict: Verdict, excerpt: Option<&str>) -> ClaimResult {
        ClaimResult {
            file: "assertions/a.toml".into(),
            line: 1,
            column: 1,
            id: id.into(),
            statement: "s".into(),
            verdict,
            expected: Verdict::Supported,
            passed: verdict == Verdict::Supported,
            expectation: None,
            quote: None,
            reviewed: None,
            reason: "r".into(),
            evidence: vec![Evidence {
                url: "https://a.example/".into(),
                verdict,
                reason: "r".into(),
                excerpt: excerpt.map(str::to_string),
                value: None,
                sha256: None,
                retrieved: None,
                origin: None,
            }],
            document: None,
            note: None,
            tags: Vec::new(),
        }
    }

    #[test]
    fn flips_and_moved_excerpts_are_marked() {
        let before = RunResult {
            claims: vec![
                claim("same", Verdict::Supported, Some("MIT License")),
                claim("flip", Verdict::Supported, Some("costs $5.6M")),
                claim("moved", Verdict::Supported, Some("old text")),
            ],
            ..RunResult::default()
        };
        let after = RunResult {
            claims: vec![
                claim("same", Verdict::Supported, Some("MIT License")),
                claim("flip", Verdict::NotFound, None),
                claim("moved", Verdict::Supported, Some("new text")),
            ],
            ..RunResult::default()
        };
        let drift = compare(&before, &after);
        assert!(!drift[0].flipped && !drift[0].excerpt_changed());
        assert_eq!(drift[0].excerpt_before, None);
        assert!(drift[1].flipped);
        assert_eq!(drift[1].excerpt_before.as_deref(), Some("costs $5.6M"));
        assert_eq!(drift[1].excerpt_after, None);
        assert!(!drift[2].flipped);
        assert_eq!(drift[2].excerpt_after.as_deref(), Some("new text"));
        assert_eq!(drift[2].name(), "a::moved");
        let report = DriftReport {
            claims: drift,
            ..DriftReport::default()
        };
        assert!(report.flipped());
    }
}
