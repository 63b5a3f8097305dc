//! The results of a run, as one tree of plain data: [`RunResult`] → [`ClaimResult`] →
//! [`Evidence`]. Every report is a view of it; its JSON form is FORMAT.md's JSON report.

use serde::Serialize;

use crate::spec::Verdict;

/// The version of the JSON report's shape.
pub const REPORT_VERSION: u32 = 1;

/// Every claim's result, in the order of the files and claims.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct RunResult {
    /// The claims.
    pub claims: Vec<ClaimResult>,
    /// Warnings: quotes missing from or repeated in their draft, drafts that cannot be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Counts over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Claims checked.
    pub claims: usize,
    /// Claims whose verdict met their expectation.
    pub passed: usize,
    /// Claims whose verdict did not.
    pub failed: usize,
    /// Claims per verdict.
    pub supported: usize,
    /// Claims found disputed.
    pub disputed: usize,
    /// Claims whose evidence was not found.
    pub not_found: usize,
    /// Claims whose sources could not be read.
    pub unavailable: usize,
    /// Claims with no source.
    pub unsourced: usize,
}

impl Summary {
    /// Counts one more claim.
    pub fn add(&mut self, c: &ClaimResult) {
        self.claims += 1;
        if c.passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        *match c.verdict {
            Verdict::Supported => &mut self.supported,
            Verdict::Disputed => &mut self.disputed,
            Verdict::NotFound => &mut self.not_found,
            Verdict::Unavailable => &mut self.unavailable,
            Verdict::Unsourced => &mut self.unsourced,
        } += 1;
    }
}

impl ClaimResult {
    /// Why the claim failed, for a test's failure message: the verdict against the expectation,
    /// the reason, and each source's evidence.
    pub fn explain(&self) -> String {
        let expected = match &self.expectation {
            Some(crate::expiry::Expectation {
                until: Some(until),
                expired: true,
                ..
            }) => format!("expected {} until {until}, which has passed", self.expected),
            _ => format!("expected {}", self.expected),
        };
        let mut s = format!(
            "{}:{}:{}: claim `{}` is {}, {expected}\n  statement: {}\n  reason: {}",
            self.file,
            self.line,
            self.column,
            self.id,
            self.verdict,
            self.statement,
            self.shown_reason()
        );
        for e in &self.evidence {
            s.push_str(&format!(
                "\n  source {} ({}): {}",
                e.url, e.verdict, e.reason
            ));
            if let Some(x) = &e.excerpt {
                s.push_str(&format!("\n    “{x}”"));
            }
        }
        s
    }
}

impl RunResult {
    /// The counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in &self.claims {
            s.add(c);
        }
        s
    }

    /// Whether every claim met its expectation.
    pub fn passed(&self) -> bool {
        self.claims.iter().all(|c| c.passed)
    }
}

/// One claim's result.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ClaimResult {
    /// The assertion file, as given.
    pub file: String,
    /// The line of the claim's `[[claim]]` header.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The claim's id.
    pub id: String,
    /// The claim in plain words.
    pub statement: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The expected verdict.
    pub expected: Verdict,
    /// Whether they are equal.
    pub passed: bool,
    /// Why, in words.
    pub reason: String,
    /// What each source gave.
    pub evidence: Vec<Evidence>,
    /// Where the claim's quote is in the draft, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentPos>,
    /// The claim's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The claim's tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The claim's `until` and `why`, and whether `until` has passed (v1.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation: Option<crate::expiry::Expectation>,
    /// The claim's quote, the document's exact words (for ClaimReview; not in the JSON report).
    #[serde(skip)]
    pub quote: Option<String>,
    /// The assertion file's `[document]` (for ClaimReview; not in the JSON report).
    #[serde(skip)]
    pub reviewed: Option<crate::spec::DocumentRef>,
}

impl ClaimResult {
    /// The reason as reports show it: after "expectation expired on …" when the claim's
    /// expectation has run out (the JSON report keeps the two apart: `reason` and
    /// `expectation`).
    pub fn shown_reason(&self) -> std::borrow::Cow<'_, str> {
        match self
            .expectation
            .as_ref()
            .and_then(|e| crate::expiry::expired_note(self.expected, e))
        {
            Some(note) => format!("{note}. {}", self.reason).into(),
            None => self.reason.as_str().into(),
        }
    }

    /// The trial and snapshot name: `<file-stem>::<claim-id>`.
    pub fn name(&self) -> String {
        let stem = std::path::Path::new(&self.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{stem}::{}", self.id)
    }
}

/// What one source gave for a claim.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Evidence {
    /// The source URL.
    pub url: String,
    /// This source's verdict alone.
    pub verdict: Verdict,
    /// Why.
    pub reason: String,
    /// About 200 characters of readable text around what was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The located value (figure and date checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The SHA-256 of the body read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// When the body was retrieved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Where the body came from: `cache`, `archive <file>` or `network`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// Where a claim's quote is in the draft.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DocumentPos {
    /// The draft's path.
    pub path: String,
    /// 1-based line where the quote starts.
    pub line: usize,
    /// 1-based column (characters) where it starts.
    pub column: usize,
    /// 1-based line where it ends.
    pub end_line: usize,
    /// 1-based column just past its end.
    pub end_column: usize,
}
