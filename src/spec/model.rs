//! The validated form of assertion files: what the loader produces and the runner consumes.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use regex::Regex;
use serde::Serialize;

/// Every assertion file of a run, in the order they were given.
#[derive(Debug, Clone, Default)]
pub struct Suite {
    /// The loaded files.
    pub files: Vec<AssertionFile>,
}

/// One assertion file: the claims about one document.
#[derive(Debug, Clone)]
pub struct AssertionFile {
    /// The path as the user gave it (or as found under a directory), used in reports.
    pub path: PathBuf,
    /// The file's text, kept for line/column lookups and error rendering.
    pub text: Arc<str>,
    /// The `[document]` table, when present.
    pub document: Option<DocumentRef>,
    /// Named sources from `[sources]`, by name.
    pub sources: BTreeMap<String, SourceDef>,
    /// The claims, in file order.
    pub claims: Vec<Claim>,
}

impl AssertionFile {
    /// The file name without its extension: the first half of every trial and snapshot name.
    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The `[document]` table: the draft whose claims the file checks.
#[derive(Debug, Clone, Default)]
pub struct DocumentRef {
    /// A human title.
    pub title: Option<String>,
    /// The draft's path, resolved against the assertion file's directory.
    pub path: Option<PathBuf>,
    /// Where the document is published.
    pub url: Option<String>,
    /// When the document was published (`published = 2025-01-28`, v1.2).
    pub published: Option<jiff::civil::Date>,
}

/// How to read a source's bytes; `None` in a [`SourceDef`] means "detect".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// An HTML page.
    Html,
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
    /// A PDF document.
    Pdf,
}

impl Format {
    /// Every format with its name in assertion files.
    pub const ALL: [(&'static str, Format); 6] = [
        ("html", Format::Html),
        ("text", Format::Text),
        ("markdown", Format::Markdown),
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("pdf", Format::Pdf),
    ];

    /// The name used in assertion files.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("text")
    }

    /// Parses a name used in assertion files.
    pub fn from_name(name: &str) -> Option<Format> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A source: where evidence is read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceDef {
    /// The name in `[sources]`, or `None` for a URL written in the claim.
    pub name: Option<String>,
    /// The URL, as written (it parses, and its scheme is http or https).
    pub url: String,
    /// A format that overrides detection.
    pub format: Option<Format>,
    /// A fallback copy (for example a Wayback Machine capture).
    pub archived: Option<String>,
}

/// How several sources combine into one verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Require {
    /// One source that supports, and none that disputes (the default).
    #[default]
    Any,
    /// Every source supports.
    All,
}

/// The outcome of checking a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// Evidence found that agrees with the claim.
    Supported,
    /// Evidence found that contradicts it.
    Disputed,
    /// The source was read, but the evidence is not in it.
    NotFound,
    /// The source could not be read.
    Unavailable,
    /// The claim names no source yet.
    Unsourced,
}

impl Verdict {
    /// Every verdict with its name in assertion files and reports.
    pub const ALL: [Verdict; 5] = [
        Verdict::Supported,
        Verdict::Disputed,
        Verdict::NotFound,
        Verdict::Unavailable,
        Verdict::Unsourced,
    ];

    /// The name used in assertion files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Disputed => "disputed",
            Verdict::NotFound => "not_found",
            Verdict::Unavailable => "unavailable",
            Verdict::Unsourced => "unsourced",
        }
    }

    /// Parses a name used in assertion files.
    pub fn from_name(name: &str) -> Option<Verdict> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Which part of an HTML page a check looks at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Within {
    /// The main content: no navigation, ads or related links (the default).
    #[default]
    Main,
    /// All visible text.
    Page,
    /// The text of the elements a CSS selector matches.
    Selector(String),
}

/// One claim: a statement, its sources, and how to check it.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Unique within its file: lowercase letters, digits and '-'.
    pub id: String,
    /// The claim in plain words.
    pub statement: String,
    /// The exact words in the document, for editors.
    pub quote: Option<String>,
    /// The sources, resolved (named ones looked up); empty for an unsourced claim.
    pub sources: Vec<SourceDef>,
    /// How several sources combine.
    pub require: Require,
    /// The verdict the claim expects (default `supported`).
    pub expect: Verdict,
    /// The last day the expectation holds (`until = 2026-06-30`, v1.2); after it the claim
    /// fails until someone looks again.
    pub until: Option<Until>,
    /// Why the claim has its expected verdict (`why = "..."`, v1.2).
    pub why: Option<String>,
    /// Which part of an HTML page to read.
    pub within: Within,
    /// A note for readers of the report.
    pub note: Option<String>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// How to check it; `None` only for an unsourced claim.
    pub check: Option<Check>,
    /// Where the claim is: 1-based line and column of its `[[claim]]` header.
    pub pos: Pos,
    /// Byte range of the claim's `id` value in the file (for editors and SARIF).
    pub id_span: Range<usize>,
}

/// The end date of an expectation, and where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Until {
    /// The last day the expectation holds (compared with today in UTC).
    pub date: jiff::civil::Date,
    /// Where `until`'s value is: 1-based line and column.
    pub pos: Pos,
}

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The `[claim.check]` table: exactly one kind of check, with its options.
#[derive(Debug, Clone)]
pub struct Check {
    /// The kind of check.
    pub kind: CheckKind,
    /// `case_sensitive = true` turns case folding off for text checks.
    pub case_sensitive: bool,
}

/// A regular expression of an assertion file, kept as written. It compiled when the file was
/// loaded; each check that runs it compiles it again, with its classes narrowed to the
/// characters of the text it searches (which makes `\w` cheap to compile), and drops it after,
/// since a compiled regex and its search caches hold tens to hundreds of KB (Unicode classes, the
/// lazy DFA), and a suite of a hundred thousand claims must not hold them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(String);

impl Pattern {
    /// A pattern that compiles (the loader has checked it).
    pub(crate) fn checked(source: String) -> Pattern {
        Pattern(source)
    }

    /// The regex as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The compiled regex (it compiled when loaded, with the same limits).
    pub fn compile(&self) -> Result<Regex, regex::Error> {
        Regex::new(&self.0)
    }
}

/// The kinds of check.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CheckKind {
    /// Passes when the text appears.
    Contains(String),
    /// Passes when the text does not appear.
    Absent(String),
    /// Passes when the regex matches.
    Matches(Pattern),
    /// A figure located in the source agrees with the claimed one.
    Figure(FigureCheck),
    /// A date located in the source agrees with the claimed one.
    Date(FigureCheck),
}

impl CheckKind {
    /// The key that names this kind in `[claim.check]`.
    pub fn key(&self) -> &'static str {
        match self {
            CheckKind::Contains(_) => "contains",
            CheckKind::Absent(_) => "absent",
            CheckKind::Matches(_) => "matches",
            CheckKind::Figure(_) => "figure",
            CheckKind::Date(_) => "date",
        }
    }
}

/// A `figure` or `date` check: the claimed value, where to find the source's value, and slack.
#[derive(Debug, Clone)]
pub struct FigureCheck {
    /// The claimed figure or date as written, e.g. `"about $5.6 million"` or `"2025-01-15"`.
    pub claimed: String,
    /// The claimed figure, read once when the file is loaded, with `unit` applied (figure
    /// checks only).
    pub figure: Option<crate::figure::Figure>,
    /// Where the source's value is.
    pub locator: Locator,
    /// `tolerance = "2%" | "0.1" | "0.5pp" | "3d"`, as written.
    pub tolerance: Option<String>,
}

/// Where a figure or date is in a source.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Locator {
    /// The figure nearest to a phrase, within `window` characters.
    Near {
        /// The anchor phrase.
        phrase: String,
        /// How far from the phrase to look, in characters (default 200).
        window: usize,
        /// Which appearance of the phrase to use (`occurrence = 2`), counting from 1; by
        /// default the first that has a candidate within the window.
        occurrence: Option<usize>,
    },
    /// The named group `value` of a regex.
    Pattern(Pattern),
    /// The first element a CSS selector matches: its text, or for a date the `datetime` of a
    /// `<time>`, `<ins>` or `<del>` and the `content` of a `<meta>` when present.
    Select(String),
    /// A table cell.
    Cell(CellRef),
    /// `published = true`: the page's own publication date, from its metadata (dates only,
    /// HTML only).
    Published,
    /// The relative change from one located figure to another, in percent.
    Change {
        /// The earlier value.
        from: Box<Locator>,
        /// The later value.
        to: Box<Locator>,
    },
}

/// A table cell: `cell = { row = "2025-01-27", column = "Close" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// The value to look for in the key column.
    pub row: String,
    /// The header of the column to read.
    pub column: String,
    /// The header of the key column (default: the first column).
    pub key: Option<String>,
    /// Which table, counting from 1 (default: the first that has both row and column).
    pub table: Option<usize>,
}

/// The default `window` of a `near` locator, in characters.
pub const DEFAULT_NEAR_WINDOW: usize = 200;

/// The largest `window`, in characters: far more than any page holds (a body is at most
/// `Limits::body_bytes`), and small enough that no arithmetic on it overflows.
pub const MAX_NEAR_WINDOW: usize = 100_000_000;
