//! How a check came to its verdict on one page (`factcheck explain`): for a `near`, every
//! figure or date around each appearance of the phrase, its distance, the one chosen and why
//! not the others; for a text that is not found, the closest passages and what differs; for
//! every check, how much text was looked at and the finding itself.
//!
//! It reuses the checks' own code (the same candidates, distances and choice), so an
//! explanation cannot disagree with the verdict it explains.

use std::ops::Range;

use serde::Serialize;

use super::figure::{eligible, locate_figure};
use super::locate::{self, Target};
use super::{Finding, describe};
use crate::figure::date::FoundDate;
use crate::figure::{Figure, Unit};
use crate::page::{Page, Region};
use crate::spec::{Check, CheckKind, Format, Locator, Within};
use crate::text::{collapse_ws, normalize_needle};

/// Candidates listed around one appearance of a phrase, nearest first.
const CANDIDATES: usize = 8;
/// Candidates are listed up to this many times the window away.
const SHOWN_WINDOWS: usize = 2;
/// Closest passages listed for a text not found.
const PASSAGES: usize = 3;
/// Characters of context shown around an appearance.
const CONTEXT_CHARS: usize = 60;
/// Most places the fuzzy search compares the needle with.
const MAX_STARTS: usize = 200;
/// The longest needle the fuzzy search compares (in characters).
const FUZZY_CHARS: usize = 300;

/// How one check came to its verdict on one page.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The finding, exactly as the check reports it.
    pub finding: Finding,
    /// Where the check looked and how much text that is.
    pub looked_at: LookedAt,
    /// For a `near`: the candidates around each appearance of the phrase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near: Option<Near>,
    /// For a `pattern`: each match of the regex, the first being the one used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<PatternMatch>,
    /// For a figure: what the claim means, and what the located figure states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervals: Option<Intervals>,
    /// For a text not found, or a `near` phrase that does not appear: the closest passages of
    /// the region.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub closest: Vec<Passage>,
}

/// The text a check read.
#[derive(Debug, Clone, Serialize)]
pub struct LookedAt {
    /// `the main content`, `the page`, `the elements matching ...`.
    pub region: String,
    /// Characters in the region.
    pub region_chars: usize,
    /// Characters of the whole page's readable text.
    pub page_chars: usize,
    /// Characters of the main content (HTML only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_chars: Option<usize>,
}

/// A `near` phrase and what is around it.
#[derive(Debug, Clone, Serialize)]
pub struct Near {
    /// The phrase.
    pub phrase: String,
    /// The window, in characters.
    pub window: usize,
    /// Each appearance of the phrase in the region, in reading order.
    pub appearances: Vec<Appearance>,
}

/// One appearance of a `near` phrase.
#[derive(Debug, Clone, Serialize)]
pub struct Appearance {
    /// 1-based, in reading order.
    pub number: usize,
    /// Where it starts, in characters from the region's start.
    pub at: usize,
    /// The PDF page, for PDF text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The text around it.
    pub context: String,
    /// The figures or dates around it, nearest first.
    pub candidates: Vec<Candidate>,
}

/// A figure or date near an appearance of the phrase.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// As written.
    pub text: String,
    /// As read: `5.576 million USD`, `2025-01-27`.
    pub value: String,
    /// `after` or `before` the phrase, or `inside` it.
    pub side: &'static str,
    /// Characters from the phrase as `near` counts them (a value before counts twice, plus
    /// one); `None` inside the phrase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<usize>,
    /// Whether it is the one the check used.
    pub chosen: bool,
    /// Why it was, or why not.
    pub why: String,
}

/// A match of a `pattern` locator.
#[derive(Debug, Clone, Serialize)]
pub struct PatternMatch {
    /// What the whole regex matched (normalised text).
    pub matched: String,
    /// What its `value` group matched, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The value read from the group, if one could be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether it is the one used (the first match).
    pub chosen: bool,
}

/// A figure's meaning, as an interval, on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct Intervals {
    /// What the claimed figure means (`"$5.6 million" means 5.55M ≤ x < 5.65M`, from the
    /// comparison).
    pub claimed: String,
    /// What the located figure states, its precision included.
    pub located: String,
}

/// A passage of the region close to a text that was not found.
#[derive(Debug, Clone, Serialize)]
pub struct Passage {
    /// The passage as the page writes it.
    pub text: String,
    /// How close, from 0 to 1 (1 − edit distance / length, on normalised text).
    pub similarity: f64,
    /// What differs, in words: `a dash`, `a quote`, `words: "fell" for "dropped"`.
    pub differs: Vec<String>,
}

/// Explains `check` on the part of `page` that `within` names; `finding` is what the check
/// found (the verdict being explained).
pub fn explain(check: &Check, within: &Within, page: &Page, finding: Finding) -> Explanation {
    let looked_at = looked_at(within, page, check.case_sensitive);
    let mut explanation = Explanation {
        finding,
        looked_at,
        near: None,
        matches: Vec::new(),
        intervals: None,
        closest: Vec::new(),
    };
    match &check.kind {
        CheckKind::Figure(f) => {
            let located = locate_figure(f, within, page).ok();
            if let Locator::Near { phrase, window, .. } = &f.locator {
                let claimed = located.as_ref().map(|(c, _)| c.clone()).or_else(|| {
                    f.figure
                        .clone()
                        .or_else(|| crate::figure::parse_claimed(&f.claimed).ok())
                });
                let chosen = located.as_ref().and_then(|(_, l)| l.near.clone());
                explanation.near = near::<Figure>(
                    phrase,
                    *window,
                    within,
                    page,
                    chosen,
                    &|v| claimed.as_ref().is_none_or(|c| eligible(c, v)),
                    &|v| match v.unit {
                        Unit::None => "not in the claim's unit (no unit)".to_string(),
                        unit => format!("not in the claim's unit (in {unit})"),
                    },
                );
            }
            if let Locator::Pattern(p) = &f.locator {
                explanation.matches = pattern_matches::<Figure>(p, within, page);
            }
            if let Some((_, located)) = &located {
                explanation.intervals = Some(Intervals {
                    claimed: claimed_meaning(&explanation.finding.reason),
                    located: crate::figure::stated(&located.value),
                });
            }
        }
        CheckKind::Date(d) => {
            if let Locator::Pattern(p) = &d.locator {
                explanation.matches = pattern_matches::<FoundDate>(p, within, page);
            }
            if let Locator::Near { phrase, window, .. } = &d.locator {
                let chosen = locate::locate::<FoundDate>(&d.locator, within, page, &|_| true)
                    .ok()
                    .and_then(|l| l.near);
                explanation.near =
                    near::<FoundDate>(phrase, *window, within, page, chosen, &|_| true, &|_| {
                        String::new()
                    });
            }
        }
        CheckKind::Contains(needle) if explanation.finding.excerpt.is_none() => {
            if let Ok(Some(region)) = page.region(within, check.case_sensitive) {
                explanation.closest = closest(needle, &region, check.case_sensitive);
            }
        }
        _ => {}
    }
    // A `near` phrase that is not in the text: the passages closest to it.
    if let Some(near) = &explanation.near
        && near.appearances.is_empty()
        && let Ok(Some(region)) = page.region(within, false)
    {
        explanation.closest = closest(&near.phrase, &region, false);
    }
    explanation
}

/// How much text the check read.
fn looked_at(within: &Within, page: &Page, case_sensitive: bool) -> LookedAt {
    let region_chars = match page.region(within, case_sensitive) {
        Ok(Some(region)) => region.text().chars().count(),
        _ => 0,
    };
    let html = page.format == Format::Html;
    LookedAt {
        region: if html {
            describe(within)
        } else {
            "the whole text".to_string()
        },
        region_chars,
        page_chars: page.text().chars().count(),
        main_chars: html.then(|| page.main_text().chars().count()),
    }
}

/// The candidates around every appearance of `phrase`, marking `chosen` (its span and the
/// appearance it was found by); `pick` is what the check may choose, `not_picked` says why a
/// value it may not choose was passed over.
fn near<T: Target + Describe>(
    phrase: &str,
    window: usize,
    within: &Within,
    page: &Page,
    chosen: Option<(Range<usize>, usize)>,
    pick: &dyn Fn(&T) -> bool,
    not_picked: &dyn Fn(&T) -> String,
) -> Option<Near> {
    let Ok(Some(region)) = page.region(within, false) else {
        return None;
    };
    let text = region.text();
    let anchors = locate::anchors(&region, phrase);
    let values = T::all(&region);
    let shown = window.saturating_mul(SHOWN_WINDOWS);
    let pdf = text.contains('\x0c');
    let appearances = anchors
        .iter()
        .enumerate()
        .map(|(i, anchor)| {
            let number = i + 1;
            let best = locate::nearest(text, &values, anchor, window, pick);
            let mut candidates: Vec<(usize, Candidate)> = values
                .iter()
                .enumerate()
                .filter_map(|(vi, (span, value))| {
                    let distance = locate::distance(text, anchor, span, value, shown);
                    let side = match distance {
                        None => "inside",
                        Some(_) if span.start >= anchor.end || value.core(span) >= anchor.end => {
                            "after"
                        }
                        Some(_) => "before",
                    };
                    if distance.is_some_and(|d| d > shown) {
                        return None;
                    }
                    let is_chosen = chosen
                        .as_ref()
                        .is_some_and(|(s, n)| *s == *span && *n == number);
                    let why = if is_chosen {
                        "chosen: the nearest the claim can use".to_string()
                    } else if distance.is_none() {
                        "inside the phrase itself".to_string()
                    } else if !pick(value) {
                        not_picked(value)
                    } else if distance.is_some_and(|d| d > window) {
                        format!("past the window of {window} characters")
                    } else if best.is_some_and(|(_, b)| b != vi) {
                        "farther than the nearest".to_string()
                    } else if chosen.as_ref().is_some_and(|(_, n)| *n < number) {
                        "an earlier appearance of the phrase already gave a value".to_string()
                    } else {
                        "not used".to_string()
                    };
                    Some((
                        distance.unwrap_or(0),
                        Candidate {
                            text: value.written_text(),
                            value: value.read_value(),
                            side,
                            distance,
                            chosen: is_chosen,
                            why,
                        },
                    ))
                })
                .collect();
            candidates.sort_by_key(|(d, c)| (!c.chosen, *d));
            Appearance {
                number,
                at: text[..anchor.start].chars().count(),
                page: pdf.then(|| text[..anchor.start].matches('\x0c').count() + 1),
                context: context(text, anchor),
                candidates: candidates
                    .into_iter()
                    .take(CANDIDATES)
                    .map(|(_, c)| c)
                    .collect(),
            }
        })
        .collect();
    Some(Near {
        phrase: phrase.to_string(),
        window,
        appearances,
    })
}

/// Every match of a `pattern` locator (at most [`CANDIDATES`]), on the text it reads (normalised,
/// not case-folded); the first is the one the check uses.
fn pattern_matches<T: Target + Describe>(
    pattern: &crate::spec::Pattern,
    within: &Within,
    page: &Page,
) -> Vec<PatternMatch> {
    let (Ok(Some(region)), Ok(regex)) = (page.region(within, true), pattern.compile()) else {
        return Vec::new();
    };
    regex
        .captures_iter(&region.norm().text)
        .take(CANDIDATES)
        .enumerate()
        .map(|(i, captures)| {
            let group = captures.name(crate::spec::VALUE_GROUP);
            PatternMatch {
                matched: captures[0].to_string(),
                group: group.map(|g| g.as_str().to_string()),
                value: group
                    .and_then(|g| T::parse(g.as_str(), region.lang()))
                    .map(|v| v.read_value()),
                chosen: i == 0,
            }
        })
        .collect()
}

/// How a candidate is shown.
trait Describe {
    fn written_text(&self) -> String;
    fn read_value(&self) -> String;
    fn core(&self, span: &Range<usize>) -> usize;
}

impl Describe for Figure {
    fn written_text(&self) -> String {
        self.text.clone()
    }
    fn read_value(&self) -> String {
        self.display()
    }
    fn core(&self, _: &Range<usize>) -> usize {
        self.core_start
    }
}

impl Describe for FoundDate {
    fn written_text(&self) -> String {
        self.text.clone()
    }
    fn read_value(&self) -> String {
        self.date.to_string()
    }
    fn core(&self, span: &Range<usize>) -> usize {
        span.start
    }
}

/// The text around an appearance, white space collapsed, the phrase in brackets.
fn context(text: &str, anchor: &Range<usize>) -> String {
    let start = text[..anchor.start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS)
        .map_or(0, |(i, _)| i);
    let end = text[anchor.end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| anchor.end + i);
    collapse_ws(&format!(
        "{}[{}]{}",
        &text[start..anchor.start],
        &text[anchor.clone()],
        &text[anchor.end..end]
    ))
}

/// What the claimed figure means, from the comparison's reason (`"$5.6 million" means ...`).
fn claimed_meaning(reason: &str) -> String {
    reason
        .rsplit_once("; ")
        .map_or(reason, |(_, meaning)| meaning)
        .to_string()
}

/// The passages of the region closest to `needle`, by edit distance on normalised text, with
/// what differs.
fn closest(needle: &str, region: &Region<'_>, case_sensitive: bool) -> Vec<Passage> {
    let wanted: Vec<char> = normalize_needle(needle, case_sensitive)
        .chars()
        .take(FUZZY_CHARS)
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let norm = region.norm();
    let hay = &norm.text;
    // Candidate starts: where a word of the needle appears, minus its offset in the needle; the
    // rarest words first, and at most MAX_STARTS in all, so a long needle of common words on a
    // big page costs a bounded number of edit distances.
    let wanted_str: String = wanted.iter().collect();
    let mut words: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut offset: usize = 0;
    for word in wanted_str.split(' ') {
        if word.chars().count() >= 3 {
            let found: Vec<usize> = norm.find_all(word).into_iter().map(|r| r.start).collect();
            words.push((offset, found));
        }
        offset += word.chars().count() + 1;
    }
    words.sort_by_key(|(_, found)| found.len());
    let mut starts: Vec<usize> = Vec::new();
    for (offset, found) in words {
        for at in found {
            if starts.len() == MAX_STARTS {
                break;
            }
            let back = hay[..at]
                .char_indices()
                .rev()
                .nth(offset.saturating_sub(1))
                .map_or(0, |(i, _)| i);
            starts.push(if offset == 0 { at } else { back });
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let len = wanted.len();
    // The passage may be a little shorter or longer than the needle (a dash for a comma, a word
    // more): its end is where the edit distance to the needle is least, within a fifth.
    let slack = (len / 5).max(2);
    let mut scored: Vec<(f64, Range<usize>)> = starts
        .into_iter()
        .filter_map(|start| {
            let window: Vec<(usize, char)> =
                hay[start..].char_indices().take(len + slack).collect();
            let chars: Vec<char> = window.iter().map(|(_, c)| *c).collect();
            let row = prefix_distances(&wanted, &chars);
            let (d, n) = (len.saturating_sub(slack)..=chars.len())
                .map(|n| (row[n], n.abs_diff(len), n))
                .min()
                .map(|(d, _, n)| (d, n))?;
            let end = window.get(n).map_or(hay.len(), |(i, _)| start + i);
            let similarity = 1.0 - d as f64 / len.max(n) as f64;
            (similarity > 0.5).then_some((similarity, start..end))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for (similarity, range) in scored {
        if taken
            .iter()
            .any(|t| t.start < range.end && range.start < t.end)
        {
            continue;
        }
        taken.push(range.clone());
        // Whole words: a passage that starts or ends inside one reads badly.
        let start = hay[..range.start]
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| i + hay[i..].chars().next().map_or(1, char::len_utf8));
        let end = hay[range.end..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(hay.len(), |i| range.end + i);
        let range = start.min(range.start)..end.max(range.end);
        let original = norm.original_range(range.clone());
        out.push(Passage {
            text: collapse_ws(&region.text()[original]),
            similarity: (similarity * 100.0).round() / 100.0,
            differs: differences(&wanted_str, &hay[range]),
        });
        if out.len() == PASSAGES {
            break;
        }
    }
    out
}

/// The Levenshtein distance from `a` to every prefix of `b`: element `j` is the distance to
/// `b[..j]` (one row at a time).
fn prefix_distances(a: &[char], b: &[char]) -> Vec<usize> {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row
}

/// What differs between the needle and a passage, both normalised, in words a writer acts on.
fn differences(wanted: &str, found: &str) -> Vec<String> {
    let mut out = Vec::new();
    let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    if letters(wanted) == letters(found) {
        let marks = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_alphanumeric() && !c.is_whitespace())
                .collect()
        };
        out.push(format!(
            "only punctuation or spacing: the claim writes {:?}, the page {:?}",
            marks(wanted),
            marks(found)
        ));
        return out;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (w, f) = (words(wanted), words(found));
    let missing: Vec<&String> = w.iter().filter(|x| !f.contains(x)).collect();
    let extra: Vec<&String> = f.iter().filter(|x| !w.contains(x)).collect();
    if !missing.is_empty() {
        out.push(format!(
            "the page lacks {}",
            missing
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !extra.is_empty() {
        out.push(format!(
            "the page has {}",
            extra
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Snapshot;

    fn page(html: &str) -> Page {
        let snapshot = Snapshot::local("https://example.com/", Some("text/html"), html.into());
        Page::read(&snapshot, None).expect("readable")
    }

    fn check(toml: &str) -> Check {
        let file = crate::spec::load_str(
            std::path::Path::new("assertions/t.toml"),
            &format!("[[claim]]\nid = \"c\"\nstatement = \"s\"\nsource = \"https://example.com/\"\n{toml}"),
        )
        .expect("valid");
        file.claims[0].check.clone().expect("a check")
    }

    #[test]
    fn near_lists_every_candidate_and_why() {
        let p = page(
            "<article><p>Revenue rose 8% to $3.1 billion in the quarter, and profit was $0.9 \
             billion.</p></article>",
        );
        let c = check("check.figure = \"$3.1 billion\"\ncheck.near = \"Revenue rose\"\n");
        let finding = super::super::run(&c, &Within::Main, &p);
        let e = explain(&c, &Within::Main, &p, finding);
        let near = e.near.expect("a near");
        assert_eq!(near.appearances.len(), 1);
        let cands = &near.appearances[0].candidates;
        assert_eq!(cands[0].text, "$3.1 billion");
        assert!(cands[0].chosen, "{cands:#?}");
        let pct = cands.iter().find(|c| c.text == "8%").expect("8%");
        assert!(!pct.chosen);
        assert_eq!(pct.why, "not in the claim's unit (in %)");
        let profit = cands
            .iter()
            .find(|c| c.text == "$0.9 billion")
            .expect("profit");
        assert_eq!(profit.why, "farther than the nearest");
        let intervals = e.intervals.expect("intervals");
        assert!(intervals.claimed.contains("means"), "{intervals:?}");
        assert_eq!(
            intervals.located,
            "\"$3.1 billion\" means 3.05B ≤ x < 3.15B"
        );
    }

    #[test]
    fn a_pattern_lists_its_matches_and_uses_the_first() {
        let p = page("<article><p>Q1: $1.2 billion. Q2: $1.5 billion.</p></article>");
        let c = check(
            "check.figure = \"$1.2 billion\"\ncheck.pattern = 'Q\\d: (?<value>\\$[\\d.]+ billion)'\n",
        );
        let finding = super::super::run(&c, &Within::Main, &p);
        let e = explain(&c, &Within::Main, &p, finding);
        assert_eq!(e.matches.len(), 2, "{:?}", e.matches);
        assert!(e.matches[0].chosen && !e.matches[1].chosen);
        assert_eq!(e.matches[1].group.as_deref(), Some("$1.5 billion"));
        assert_eq!(e.matches[1].value.as_deref(), Some("1.5 billion USD"));
    }

    #[test]
    fn a_text_not_found_gets_its_closest_passages() {
        let p = page(
            "<article><p>The model is licensed under the MIT License — and so are its weights.</p>\
             <p>Nothing else here.</p></article>",
        );
        let c = check("check.contains = \"licenced under the MIT licence\"\n");
        let finding = super::super::run(&c, &Within::Main, &p);
        assert!(finding.excerpt.is_none());
        let e = explain(&c, &Within::Main, &p, finding);
        assert_eq!(e.closest.len(), 1, "{:#?}", e.closest);
        assert!(
            e.closest[0].text.starts_with("licensed under the MIT"),
            "{:?}",
            e.closest
        );
        assert!(
            e.closest[0]
                .differs
                .iter()
                .any(|d| d.contains("\"licenced\"")),
            "{:?}",
            e.closest[0].differs
        );
        let c = check("check.contains = \"MIT License, and so\"\n");
        let finding = super::super::run(&c, &Within::Main, &p);
        let e = explain(&c, &Within::Main, &p, finding);
        assert!(
            e.closest[0].differs[0].starts_with("only punctuation"),
            "{:?}",
            e.closest
        );
    }

    #[test]
    fn prefix_distances_count_edits_to_each_prefix() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(prefix_distances(&c("kitten"), &c("sitting"))[7], 3);
        assert_eq!(prefix_distances(&c(""), &c("abc")), vec![0, 1, 2, 3]);
        assert_eq!(
            prefix_distances(&c("same"), &c("samex")),
            vec![4, 3, 2, 1, 0, 1]
        );
    }
}
