//! Checks: one file per kind; each reads a [`Page`] and returns a [`Finding`].

mod absent;
mod contains;
// `factcheck explain` is its one user.
#[cfg(feature = "cli")]
pub mod explain;
mod figure;
mod locate;
mod matches;
mod narrow;

use serde::Serialize;

use crate::page::{Page, Region};
use crate::spec::{Check, CheckKind, Format, Verdict, Within};
use crate::text::{self, DEFAULT_EXCERPT_CHARS, Normalized, normalize_needle};

/// What one check found in one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The verdict for this source alone.
    pub verdict: Verdict,
    /// Why, in words.
    pub reason: String,
    /// The evidence: about 200 characters of readable text around what was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The located value, for figure and date checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Finding {
    /// A finding with no evidence.
    pub fn bare(verdict: Verdict, reason: impl Into<String>) -> Finding {
        Finding {
            verdict,
            reason: reason.into(),
            excerpt: None,
            value: None,
        }
    }
}

/// Runs `check` on the part of `page` that `within` names.
pub fn run(check: &Check, within: &Within, page: &Page) -> Finding {
    let text = match &check.kind {
        CheckKind::Figure(f) => return figure::figure(f, within, page),
        CheckKind::Date(d) => return figure::date(d, within, page),
        CheckKind::Contains(needle) => TextCheck::Contains(needle),
        CheckKind::Absent(needle) => TextCheck::Absent(needle),
        CheckKind::Matches(pattern) => TextCheck::Matches(pattern),
    };
    // `matches` is never case-folded: write `(?i)` for that.
    let case_sensitive = check.case_sensitive || matches!(text, TextCheck::Matches(_));
    let region = match page.region(within, case_sensitive) {
        Ok(Some(region)) => region,
        Ok(None) => {
            let selector = match within {
                Within::Selector(s) => s.as_str(),
                _ => "",
            };
            return Finding::bare(
                Verdict::NotFound,
                format!("no element matches the selector `{selector}`"),
            );
        }
        Err(e) => return Finding::bare(Verdict::NotFound, e.to_string()),
    };
    let mut finding = match text {
        TextCheck::Contains(needle) => contains::run(needle, case_sensitive, &region),
        TextCheck::Absent(needle) => absent::run(needle, case_sensitive, &region),
        // Compiled for the region's text alone (see `narrow`).
        TextCheck::Matches(pattern) => match narrow::compile_for(pattern, &region.norm().text) {
            Ok(regex) => matches::run(pattern, &regex, &region),
            Err(e) => return Finding::bare(Verdict::NotFound, not_compiled(pattern, &e)),
        },
    };
    // Say where an HTML page was looked at when nothing was found there, and where else the
    // text is.
    if page.format == Format::Html && finding.excerpt.is_none() {
        finding.reason = format!("{} in {}", finding.reason, describe(within));
        let other = match text {
            TextCheck::Contains(needle) | TextCheck::Absent(needle) => {
                elsewhere(page, within, needle, case_sensitive)
            }
            // Other texts: the regex as written.
            TextCheck::Matches(pattern) => match pattern.compile() {
                Ok(regex) => elsewhere_by(
                    page,
                    within,
                    true,
                    "matches",
                    |_| true,
                    |norm| regex.is_match(&norm.text),
                ),
                Err(_) => None,
            },
        };
        if let Some(other) = other {
            finding.reason = format!("{}, {other}", finding.reason);
        }
    }
    finding
}

/// Why a regex that compiled when its file was loaded does not now (it cannot happen: the same
/// limits apply), as a reason.
pub(crate) fn not_compiled(pattern: &crate::spec::Pattern, e: &regex::Error) -> String {
    format!("the regex /{}/ does not compile: {e}", pattern.as_str())
}

/// Where else on an HTML page a text is that was not found where a check looked, as a clause
/// for the reason: `but appears elsewhere on the page (use within = "page")` when it is in the
/// page's visible text, else `but appears in the alt text of an <img> (...)` when it is in text
/// readers do not see (attribute values, the `<title>`, hidden elements); `None` when it is
/// nowhere, or the page is not HTML.
///
/// `within` is where the check looked; `needle` is the text as the claim writes it. A locator
/// whose anchor phrase is missing (`near`) can call this too.
pub(crate) fn elsewhere(
    page: &Page,
    within: &Within,
    needle: &str,
    case_sensitive: bool,
) -> Option<String> {
    let wanted = normalize_needle(needle, case_sensitive);
    elsewhere_by(
        page,
        within,
        case_sensitive,
        "appears",
        |text| may_hold(text, &wanted, case_sensitive),
        |norm| norm.find(&wanted).is_some(),
    )
}

/// Whether `text`, white space collapsed, may hold `wanted` (normalised) once normalised: a
/// cheap test that spares normalising most of a page's unseen texts. Text with a non-ASCII
/// character always may; ASCII text is its own normal form but for case, so it must hold
/// `wanted` as it stands (ignoring ASCII case unless `case_sensitive`).
fn may_hold(text: &str, wanted: &str, case_sensitive: bool) -> bool {
    if !text.is_ascii() || wanted.is_empty() {
        return true;
    }
    if !wanted.is_ascii() {
        return false;
    }
    if case_sensitive {
        return text.contains(wanted);
    }
    // Where the first byte is, in either case: most texts hold it nowhere or seldom.
    let (text, wanted) = (text.as_bytes(), wanted.as_bytes());
    let first = wanted[0];
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), text).any(|at| {
        text.get(at..at + wanted.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(wanted))
    })
}

/// [`elsewhere`] for any test of a normalised text; `verb` says what was found (`appears`,
/// `matches`); `maybe` tells cheaply, from an unseen text as it stands, whether `found` can hold
/// once it is normalised (`false` only when it cannot).
fn elsewhere_by(
    page: &Page,
    within: &Within,
    case_sensitive: bool,
    verb: &str,
    maybe: impl Fn(&str) -> bool,
    found: impl Fn(&Normalized) -> bool,
) -> Option<String> {
    if page.format != Format::Html {
        return None;
    }
    if *within != Within::Page
        && let Ok(Some(whole)) = page.region(&Within::Page, case_sensitive)
        && found(whole.norm())
    {
        return Some(format!(
            "but {verb} elsewhere on the page (use within = \"page\")"
        ));
    }
    page.with_dom(|dom| {
        dom.find_unseen(|text| maybe(text) && found(&Normalized::new(text, case_sensitive)))
    })?
    .map(|u| {
        format!(
            "but {verb} in {}, which is not visible text (text checks read what readers see)",
            u.place
        )
    })
}

/// The text checks, which share normalisation and regions.
enum TextCheck<'a> {
    Contains(&'a str),
    Absent(&'a str),
    Matches(&'a crate::spec::Pattern),
}

/// The excerpt around a range of the region's normalised text.
fn excerpt_at(region: &Region<'_>, normalized: std::ops::Range<usize>) -> String {
    let original = region.norm().original_range(normalized);
    text::excerpt(region.text(), original, DEFAULT_EXCERPT_CHARS)
}

/// Where a region is, for reasons: "the main content" or "the page".
fn describe(within: &Within) -> String {
    match within {
        Within::Main => "the main content".into(),
        Within::Page => "the page".into(),
        Within::Selector(s) => format!("the elements matching `{s}`"),
    }
}

#[cfg(test)]
mod date_tests;
#[cfg(test)]
mod tests;
