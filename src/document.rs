//! Drafts: placing each claim's `quote` on the draft's own lines and columns, and finding the
//! draft's figures and dates with the claims that cover them.
//!
//! Quotes are found with the same normalisation as checks (a curly quote or a line break in the
//! draft does not hide a quote), then mapped back to the original text: lines count from 1,
//! columns in characters from 1, and in UTF-16 code units from 0 for the language server.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::figure::{self, date};
use crate::spec::{AssertionFile, Claim, LineIndex};
use crate::text::{Normalized, normalize_needle};

/// A position in a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 0-based column in UTF-16 code units (what the language server protocol counts).
    pub utf16: usize,
}

/// A draft, read once: its text and normalised form.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The draft's path.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    norm: Normalized,
    lines: LineIndex,
}

/// Where a claim's quote is in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Found once: the byte range in the draft.
    Found(Range<usize>),
    /// Not in the draft.
    Missing,
    /// Found more than once (the first is used).
    Ambiguous(Vec<Range<usize>>),
}

/// Errors reading a draft.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file could not be read.
    #[error("cannot read the draft {}", path.display())]
    Read {
        /// The draft.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl Draft {
    /// A draft from its text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Draft {
        let text = text.into();
        Draft {
            path: path.into(),
            norm: Normalized::new(&text, false),
            lines: LineIndex::new(&text),
            text,
        }
    }

    /// Reads a draft from disk: a regular file of at most the `draft_bytes` limit (a FIFO or a
    /// device such as `/dev/zero` is refused, not read).
    pub fn read(path: &Path) -> Result<Draft, DocumentError> {
        let limit = crate::limits::Limits::current().draft_bytes;
        let bytes =
            crate::source::file::read_regular(path, limit, "draft_bytes").map_err(|source| {
                DocumentError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        Ok(Draft::new(
            path,
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    }

    /// The position of a byte offset (a binary search and a short scan, however long the
    /// line).
    pub fn position(&self, byte: usize) -> Position {
        let p = self.lines.position(&self.text, byte);
        Position {
            line: p.line,
            column: p.column,
            utf16: p.utf16,
        }
    }

    /// The byte offset of a 0-based line and a UTF-16 column (the language server's
    /// positions); a column past the line's end is its end, and `None` for a line past the
    /// last.
    pub fn offset_of(&self, line: usize, utf16: usize) -> Option<usize> {
        if line >= self.lines.lines() {
            return None;
        }
        let range = self.lines.line_range(&self.text, line + 1);
        let mut units = 0;
        for (i, c) in self.text[range.clone()].char_indices() {
            if units >= utf16 {
                return Some(range.start + i);
            }
            units += c.len_utf16();
        }
        Some(range.end)
    }

    /// Where `quote` is in the draft.
    pub fn place(&self, quote: &str) -> Placement {
        let wanted = normalize_needle(quote, false);
        let found: Vec<Range<usize>> = self
            .norm
            .find_all(&wanted)
            .into_iter()
            .map(|r| self.norm.original_range(r))
            .collect();
        match found.len() {
            0 => Placement::Missing,
            1 => Placement::Found(found[0].clone()),
            _ => Placement::Ambiguous(found),
        }
    }
}

/// The most lines a warning about an ambiguous quote lists.
const MAX_LISTED_LINES: usize = 10;

/// A claim placed on its draft, or a warning that says why it could not be.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The byte range of the quote in the draft.
    pub range: Range<usize>,
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
}

/// Places a claim's quote; `Err` is a warning naming the claim.
pub fn place_claim(draft: &Draft, file: &AssertionFile, claim: &Claim) -> Result<Placed, String> {
    let Some(quote) = &claim.quote else {
        return Err(format!(
            "{}::{} has no `quote`, so it cannot be placed on {}",
            file.stem(),
            claim.id,
            draft.path.display()
        ));
    };
    let placed = |range: Range<usize>| Placed {
        start: draft.position(range.start),
        end: draft.position(range.end),
        range,
    };
    match draft.place(quote) {
        Placement::Found(range) => Ok(placed(range)),
        Placement::Missing => Err(format!(
            "the quote of {}::{} (\"{}\") is not in {}",
            file.stem(),
            claim.id,
            crate::spec::cut(quote),
            draft.path.display()
        )),
        Placement::Ambiguous(all) => {
            let mut lines: Vec<String> = all
                .iter()
                .take(MAX_LISTED_LINES)
                .map(|r| draft.position(r.start).line.to_string())
                .collect();
            if all.len() > MAX_LISTED_LINES {
                lines.push("…".to_owned());
            }
            Err(format!(
                "the quote of {}::{} (\"{}\") appears {} times in {} (lines {}); make it longer",
                file.stem(),
                claim.id,
                crate::spec::cut(quote),
                all.len(),
                draft.path.display(),
                lines.join(", ")
            ))
        }
    }
}

/// A figure or a date in a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftFigure {
    /// The text as written (hedge included).
    pub text: String,
    /// `figure` or `date`.
    pub kind: &'static str,
    /// The value in words: `5.6 million USD`, `2025-01-27`.
    pub value: String,
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// Its byte range.
    #[serde(skip)]
    pub range: Range<usize>,
}

/// Every figure and date of a draft, in order; a number that is part of a date is the date's
/// (`14. März 2021` is one date, not also the figure 14). A draft has no declared language, so
/// its language is guessed from its common words ([`crate::page::lang::guess_lang`]): a Spanish
/// draft's `40.000` is forty thousand.
pub fn figures(draft: &Draft) -> Vec<DraftFigure> {
    let lang = crate::page::lang::guess_lang(&draft.text);
    let notation = lang.map(figure::Notation::for_lang).unwrap_or_default();
    let dates = date::scan_dates_in(&draft.text, lang);
    // Figures and dates both come in text order: one pass drops the figures inside a date.
    let mut next_date = 0;
    let mut in_a_date = |span: &Range<usize>| {
        while dates
            .get(next_date)
            .is_some_and(|d| d.span.end <= span.start)
        {
            next_date += 1;
        }
        dates
            .get(next_date)
            .is_some_and(|d| d.span.start < span.end)
    };
    let mut out: Vec<DraftFigure> = figure::scan_in(&draft.text, notation)
        .into_iter()
        .filter(|f| !in_a_date(&f.span))
        .map(|f| DraftFigure {
            kind: "figure",
            value: f.display(),
            start: draft.position(f.span.start),
            end: draft.position(f.span.end),
            text: f.text,
            range: f.span,
        })
        .collect();
    out.extend(dates.into_iter().map(|d| DraftFigure {
        kind: "date",
        value: d.date.to_string(),
        start: draft.position(d.span.start),
        end: draft.position(d.span.end),
        text: d.text,
        range: d.span,
    }));
    out.sort_by_key(|f| f.range.start);
    out
}

/// The draft an assertion file names, resolved against the file's directory.
pub fn draft_path(file: &AssertionFile) -> Option<PathBuf> {
    file.document.as_ref()?.path.clone()
}

/// Whether two paths name the same file (compared canonically when both exist).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "What makes R1 formidable…\nDeepSeek claims that it only cost $5.6 million to run.\n\
                           Nvidia — “whose shares have doubled” — fell as much as 12% on January 27, 2025.\n\
                           The café’s 12% tip.";

    #[test]
    fn positions_count_characters_and_utf16_units() {
        let d = Draft::new("a.txt", "ab\n€x 😀y");
        assert_eq!(
            d.position(0),
            Position {
                line: 1,
                column: 1,
                utf16: 0
            }
        );
        let y = d.text.find('y').expect("y");
        assert_eq!(
            d.position(y),
            Position {
                line: 2,
                column: 5,
                utf16: 5
            }
        );
    }

    #[test]
    fn quotes_are_found_through_normalisation() {
        let d = Draft::new("a.txt", ARTICLE);
        let Placement::Found(r) = d.place("whose shares have doubled") else {
            panic!("not found")
        };
        assert_eq!(&d.text[r.clone()], "whose shares have doubled");
        assert_eq!(d.position(r.start).line, 3);
        let Placement::Found(r) = d.place("it only cost $5.6 million") else {
            panic!("not found")
        };
        assert_eq!(
            d.position(r.start),
            Position {
                line: 2,
                column: 22,
                utf16: 21
            }
        );
        assert_eq!(d.place("cost $6 million"), Placement::Missing);
        assert!(matches!(d.place("12%"), Placement::Ambiguous(v) if v.len() == 2));
    }

    #[test]
    fn figures_and_dates_of_a_draft() {
        let d = Draft::new("a.txt", ARTICLE);
        let found: Vec<(&str, &str, usize)> = figures(&d)
            .iter()
            .map(|f| (f.kind, &d.text[f.range.clone()], f.start.line))
            .collect();
        assert_eq!(
            found,
            [
                ("figure", "$5.6 million", 2),
                ("figure", "as much as 12%", 3),
                ("date", "January 27, 2025", 3),
                ("figure", "12%", 4),
            ]
        );
    }

    #[test]
    fn a_number_inside_a_date_is_the_date_and_a_drafts_language_sets_its_notation() {
        let text = "Die Firma hat am 14. März 2021 und am 2. April 2021 mehr als 25.000 Autos \
                    verkauft, und die Zahl ist nicht klein, denn sie ist die Zahl der Autos, die \
                    von der Firma in einem Jahr verkauft wurden, und das ist mit einer Firma \
                    dieser Art nicht selten der Fall, wie die Zahlen der Firma auf der Seite \
                    zeigen, die von der Firma ist.";
        let d = Draft::new("a.txt", text);
        let found: Vec<(&str, String)> = figures(&d)
            .iter()
            .map(|f| (f.kind, f.value.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("date", "2021-03-14".to_string()),
                ("date", "2021-04-02".to_string()),
                ("figure", "25000".to_string()),
            ]
        );
    }
}

/// A claim that covers a figure of the draft: its quote overlaps the figure.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// `<file-stem>::<id>`.
    pub claim: String,
    /// The assertion file.
    pub file: String,
    /// The claim's verdict.
    pub verdict: crate::spec::Verdict,
    /// Why.
    pub reason: String,
}

/// A figure of the draft and the claims that cover it.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredFigure {
    /// The figure or date.
    #[serde(flatten)]
    pub figure: DraftFigure,
    /// The claims whose quote overlaps it; empty when it is uncovered.
    pub claims: Vec<Cover>,
}

/// Every figure and date of `draft` with the claims covering it; `placed` pairs each claim's
/// quote range in this draft with its result.
pub fn cover(
    draft: &Draft,
    placed: &[(Range<usize>, &crate::result::ClaimResult)],
) -> Vec<CoveredFigure> {
    // One sweep over figures and quotes, both by start: a quote joins the active ones once a
    // figure ends after its start, and leaves once a figure starts at or after its end.
    let mut quotes: Vec<(usize, &Range<usize>, &crate::result::ClaimResult)> = placed
        .iter()
        .enumerate()
        .map(|(i, (r, c))| (i, r, *c))
        .collect();
    quotes.sort_by_key(|(_, r, _)| r.start);
    let mut next = 0;
    let mut active = Vec::new();
    figures(draft)
        .into_iter()
        .map(|figure| {
            while let Some(&q) = quotes
                .get(next)
                .filter(|(_, r, _)| r.start < figure.range.end)
            {
                active.push(q);
                next += 1;
            }
            active.retain(|(_, r, _)| figure.range.start < r.end);
            // In the order of `placed`.
            let mut covering = active.clone();
            covering.sort_by_key(|(i, _, _)| *i);
            let claims = covering
                .into_iter()
                .map(|(_, _, c)| Cover {
                    claim: c.name(),
                    file: c.file.clone(),
                    verdict: c.verdict,
                    reason: c.reason.clone(),
                })
                .collect();
            CoveredFigure { figure, claims }
        })
        .collect()
}
