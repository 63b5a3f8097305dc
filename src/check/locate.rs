//! Locators: where a figure or a date is in a page (`near`, `pattern`, `select`, `cell`,
//! `change`, and for dates `published`). Each gives the value found, an excerpt of the evidence and where it was, or the
//! reason it found nothing.

use std::ops::Range;

use super::excerpt_at;
use crate::figure::date::{FoundDate, parse_date_in, scan_dates_in};
use crate::figure::{Figure, Notation, Unit, format_short, parse_located_in};
use crate::page::table::find_cell;
use crate::page::{Page, Region};
use crate::spec::{CellRef, Locator, Within};
use crate::text::{self, DEFAULT_EXCERPT_CHARS, normalize_needle};

/// A value located in a page.
#[derive(Debug, Clone)]
pub(super) struct Located<T> {
    /// The value.
    pub value: T,
    /// The evidence, from the readable text.
    pub excerpt: String,
    /// Where it was, for reasons: `near "total training costs"`.
    pub place: String,
    /// For `near`: the value's span in the region's text, and which appearance of the phrase
    /// (1-based) it was found by (`factcheck explain` marks it among the candidates).
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub near: Option<(Range<usize>, usize)>,
}

/// What a locator looks for: figures or dates.
pub(super) trait Target: Sized + Clone {
    /// What it is called in reasons.
    const NOUN: &'static str;
    /// Every one in a region, with its span in the readable text.
    fn all(region: &Region<'_>) -> Vec<(Range<usize>, Self)>;
    /// Whether this is a date: `select` then reads an element's machine-readable attribute
    /// (`datetime`, `content`) before its text, and `published` applies.
    const IS_DATE: bool;
    /// The first one in a short text (a cell, an element, a regex group), in the page's
    /// language `lang` (which decides the number notation and the order of numeric dates).
    fn parse(text: &str, lang: Option<&str>) -> Option<Self>;
    /// How to name one in a reason: its text as written.
    fn written(&self) -> String;
    /// Where the value itself starts, past words it may share with a `near` phrase (a hedge).
    fn core_start(&self, span: &Range<usize>) -> usize {
        span.start
    }
}

impl Target for Figure {
    const NOUN: &'static str = "figure";
    const IS_DATE: bool = false;
    fn all(region: &Region<'_>) -> Vec<(Range<usize>, Figure)> {
        region
            .figures()
            .iter()
            .map(|f| (f.span.clone(), f.clone()))
            .collect()
    }
    fn parse(text: &str, lang: Option<&str>) -> Option<Figure> {
        parse_located_in(text, lang.map(Notation::for_lang).unwrap_or_default())
    }
    fn core_start(&self, _: &Range<usize>) -> usize {
        self.core_start
    }
    fn written(&self) -> String {
        match self.unit {
            Unit::None => format!("{} (no unit)", self.text),
            unit => format!("{} (in {unit})", self.text),
        }
    }
}

impl Target for FoundDate {
    const NOUN: &'static str = "date";
    const IS_DATE: bool = true;
    fn all(region: &Region<'_>) -> Vec<(Range<usize>, FoundDate)> {
        scan_dates_in(region.text(), region.lang())
            .into_iter()
            .map(|d| (d.span.clone(), d))
            .collect()
    }
    fn parse(text: &str, lang: Option<&str>) -> Option<FoundDate> {
        parse_date_in(text, lang)
    }
    fn written(&self) -> String {
        self.date.to_string()
    }
}

/// Which values a `near` may pick: a figure in a unit that can be compared with the claim's.
pub(super) type Eligible<'a, T> = &'a dyn Fn(&T) -> bool;

/// Runs a locator (not `change`, which only figures have: see [`change`]); a `near` picks only
/// `eligible` values.
pub(super) fn locate<T: Target>(
    locator: &Locator,
    within: &Within,
    page: &Page,
    eligible: Eligible<'_, T>,
) -> Result<Located<T>, String> {
    match locator {
        Locator::Near {
            phrase,
            window,
            occurrence,
        } => {
            let region = region(page, within, false)?;
            near(phrase, *window, *occurrence, &region, eligible).map_err(|miss| match miss {
                Miss::Phrase => phrase_missing(phrase, within, page),
                Miss::Reason(reason) => reason,
            })
        }
        Locator::Pattern(p) => {
            let region = region(page, within, true)?;
            // Compiled for the region's text alone (see `narrow`).
            let regex = super::narrow::compile_for(p, &region.norm().text)
                .map_err(|e| super::not_compiled(p, &e))?;
            pattern(p, &regex, &region)
        }
        Locator::Select(selector) => select(selector, page),
        Locator::Cell(cell) => in_cell(cell, page),
        Locator::Published => published(page),
        Locator::Change { .. } => Err(format!("a change is a percentage, not a {}", T::NOUN)),
    }
}

fn region<'a>(page: &'a Page, within: &Within, case_sensitive: bool) -> Result<Region<'a>, String> {
    match page.region(within, case_sensitive) {
        Ok(Some(region)) => Ok(region),
        Ok(None) => Err("no element matches the `within` selector".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Why a `near` found nothing.
enum Miss {
    /// The phrase is not in the region.
    Phrase,
    /// It is, but no value fits.
    Reason(String),
}

/// Why a `near` phrase was not found, and where it is if it is elsewhere on the page.
fn phrase_missing(phrase: &str, within: &Within, page: &Page) -> String {
    let place = if page.format == crate::spec::Format::Html {
        format!(" in {}", super::describe(within))
    } else {
        String::new()
    };
    match super::elsewhere(page, within, phrase, false) {
        Some(clause) => format!("\"{phrase}\" does not appear{place}, {clause}"),
        None => format!("\"{phrase}\" does not appear{place}"),
    }
}

/// "1st", "2nd", "3rd", "4th"...
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The eligible value nearest to the phrase, within `window` characters, never one inside the
/// phrase (a hedge the phrase ends with may be shared: "flooded around" before "around 120").
///
/// When the phrase appears more than once, the first appearance (in reading order) with an
/// eligible value within the window is used, or the `occurrence`-th; the reason says which.
fn near<T: Target>(
    phrase: &str,
    window: usize,
    occurrence: Option<usize>,
    region: &Region<'_>,
    eligible: Eligible<'_, T>,
) -> Result<Located<T>, Miss> {
    let anchors = anchors(region, phrase);
    if anchors.is_empty() {
        return Err(Miss::Phrase);
    }
    let text = region.text();
    let values = T::all(region);
    let nearest = |anchor: &Range<usize>, want: bool| {
        nearest(text, &values, anchor, window, &|v| eligible(v) == want)
            .map(|(distance, i)| (distance, values[i].0.clone(), &values[i].1))
    };
    let chosen = match occurrence {
        Some(n) => {
            let Some(anchor) = anchors.get(n - 1) else {
                return Err(Miss::Reason(format!(
                    "`occurrence = {n}`, but \"{phrase}\" appears {} time{}",
                    anchors.len(),
                    if anchors.len() == 1 { "" } else { "s" }
                )));
            };
            nearest(anchor, true).map(|best| (n, best))
        }
        None => anchors
            .iter()
            .enumerate()
            .find_map(|(i, anchor)| nearest(anchor, true).map(|best| (i + 1, best))),
    };
    let Some((nth, (_, span, value))) = chosen else {
        let scope: Vec<&Range<usize>> = match occurrence {
            Some(n) => anchors.get(n - 1).into_iter().collect(),
            None => anchors.iter().collect(),
        };
        let other = scope
            .into_iter()
            .filter_map(|a| nearest(a, false))
            .min_by_key(|(d, _, _)| *d);
        return Err(Miss::Reason(match other {
            Some((_, _, value)) => format!(
                "no {} in the claim's unit within {window} characters of \"{phrase}\"; the nearest is {}",
                T::NOUN,
                value.written()
            ),
            None => format!("no {} within {window} characters of \"{phrase}\"", T::NOUN),
        }));
    };
    // PDF text separates pages with form feeds: say which page.
    let page = text[..span.start].matches('\x0c').count() + 1;
    let on_page = if text.contains('\x0c') {
        format!(" on p.{page}")
    } else {
        String::new()
    };
    let which = if anchors.len() > 1 {
        format!(" (its {} of {} appearances)", ordinal(nth), anchors.len())
    } else {
        String::new()
    };
    Ok(Located {
        value: value.clone(),
        excerpt: text::excerpt(text, span.clone(), DEFAULT_EXCERPT_CHARS),
        place: format!("near \"{phrase}\"{which}{on_page}"),
        near: Some((span, nth)),
    })
}

/// Every appearance of a `near` phrase in the region (normalised, case folded), as ranges of
/// its readable text, in reading order.
pub(super) fn anchors(region: &Region<'_>, phrase: &str) -> Vec<Range<usize>> {
    let wanted = normalize_needle(phrase, false);
    region
        .norm()
        .find_all(&wanted)
        .into_iter()
        .map(|r| region.norm().original_range(r))
        .collect()
}

/// How far a value at `span` is from an appearance of the phrase at `anchor`, in characters, as
/// `near` counts it: a value before the phrase counts as twice as far (plus one) as one after it,
/// so "Label: value" layouts and near-ties go to the value after. `None` for a value inside the
/// phrase or overlapping it (a hedge the phrase ends with may be shared: its core is after).
/// Past `window` characters the distance is only known to be more: `usize::MAX`.
pub(super) fn distance<T: Target>(
    text: &str,
    anchor: &Range<usize>,
    span: &Range<usize>,
    value: &T,
    window: usize,
) -> Option<usize> {
    let chars_between = |a: usize, b: usize| {
        // Cheap bound first: a char is at most 4 bytes.
        if b - a > window * 4 {
            usize::MAX
        } else {
            text[a..b].chars().count()
        }
    };
    let core = T::core_start(value, span);
    if span.start >= anchor.end || core >= anchor.end {
        Some(chars_between(anchor.end, span.start.max(anchor.end)))
    } else if span.end <= anchor.start {
        Some(
            chars_between(span.end, anchor.start)
                .saturating_mul(2)
                .saturating_add(1),
        )
    } else {
        None
    }
}

/// The value of `values` nearest to `anchor` within `window` that `pick` accepts: its distance
/// and index (the first of equals, in text order).
pub(super) fn nearest<T: Target>(
    text: &str,
    values: &[(Range<usize>, T)],
    anchor: &Range<usize>,
    window: usize,
    pick: &dyn Fn(&T) -> bool,
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (span, value)) in values.iter().enumerate() {
        if !pick(value) {
            continue;
        }
        let Some(distance) = distance(text, anchor, span, value, window) else {
            continue; // inside the phrase, or overlapping it
        };
        if distance <= window && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, i));
        }
    }
    best
}

/// The named group `value` of a regex, on the normalised (not case-folded) text: `regex` is
/// `written` compiled for that text.
fn pattern<T: Target>(
    written: &crate::spec::Pattern,
    regex: &regex::Regex,
    region: &Region<'_>,
) -> Result<Located<T>, String> {
    let norm = region.norm();
    let Some(captures) = regex.captures(&norm.text) else {
        return Err(format!("/{}/ matches nothing", written.as_str()));
    };
    let Some(group) = captures.name(crate::spec::VALUE_GROUP) else {
        return Err(format!(
            "/{}/ matched without its `value` group",
            written.as_str()
        ));
    };
    match T::parse(group.as_str(), region.lang()) {
        Some(value) => Ok(Located {
            value,
            excerpt: excerpt_at(region, group.range()),
            place: format!("matching /{}/", written.as_str()),
            near: None,
        }),
        None => Err(format!(
            "the `value` group matched \"{}\", which is not a {}",
            group.as_str(),
            T::NOUN
        )),
    }
}

/// The first element a CSS selector matches (HTML only): its text, or for a date its
/// `datetime` (`<time>`, `<ins>`, `<del>`) or `content` (`<meta>`) attribute when that holds one.
fn select<T: Target>(selector: &str, page: &Page) -> Result<Located<T>, String> {
    let found = page
        .with_dom(|dom| dom.select_first_value(selector))
        .ok_or_else(|| {
            format!(
                "`select` needs an HTML page; this source is {}",
                page.format
            )
        })?
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no element matches `{selector}`"))?;
    let lang = page.lang();
    if T::IS_DATE
        && let Some((attr, value)) = &found.attribute
        && let Some(parsed) = T::parse(value, lang)
    {
        return Ok(Located {
            value: parsed,
            excerpt: short(&format!("<{} {attr}=\"{value}\">", found.tag)),
            place: format!("in `{selector}` (its `{attr}` attribute)"),
            near: None,
        });
    }
    let value = T::parse(&found.text, lang).ok_or_else(|| match &found.attribute {
        Some((attr, value)) if T::IS_DATE => format!(
            "`{selector}` holds \"{}\" and its `{attr}` is \"{}\", neither a {}",
            short(&found.text),
            short(value),
            T::NOUN
        ),
        _ => format!(
            "`{selector}` holds \"{}\", not a {}",
            short(&found.text),
            T::NOUN
        ),
    })?;
    Ok(Located {
        value,
        excerpt: text::collapse_ws(&short(&found.text)),
        place: format!("in `{selector}`"),
        near: None,
    })
}

/// `published = true`: the page's own publication date, from the first of its metadata (in
/// the order of [`crate::page::html::HtmlDoc::published`]) that reads as a date.
fn published<T: Target>(page: &Page) -> Result<Located<T>, String> {
    if !T::IS_DATE {
        return Err(format!("`published` locates a date, not a {}", T::NOUN));
    }
    let stated = page.with_dom(|dom| dom.published()).ok_or_else(|| {
        format!(
            "`published` needs an HTML page; this source is {}",
            page.format
        )
    })?;
    let lang = page.lang();
    let Some((value, p)) = stated
        .iter()
        .find_map(|p| T::parse(&p.value, lang).map(|v| (v, p)))
    else {
        return Err(match stated.first() {
            None => "the page states no publication date (no article:published_time, date \
                     meta tag, JSON-LD datePublished or <time pubdate>)"
                .to_owned(),
            Some(p) => format!(
                "the page's publication date ({}) reads \"{}\", not a {}",
                p.from,
                short(&p.value),
                T::NOUN
            ),
        });
    };
    Ok(Located {
        value,
        excerpt: short(&format!("{}: {}", p.from, p.value)),
        place: format!("in the page's publication date ({})", p.from),
        near: None,
    })
}

/// A table cell.
fn in_cell<T: Target>(cell: &CellRef, page: &Page) -> Result<Located<T>, String> {
    let found = find_cell(page.tables(), cell)?;
    let value = T::parse(found.text, page.lang()).ok_or_else(|| {
        format!(
            "the cell at row \"{}\", column \"{}\" holds \"{}\", not a {}",
            cell.row,
            cell.column,
            found.text,
            T::NOUN
        )
    })?;
    // The row's key and the cell, with their headers: "Date: 2025-01-27 | Close: 118.42".
    let entry = |i: usize| {
        format!(
            "{}: {}",
            found.header.get(i).map_or("", String::as_str),
            found.row.get(i).map_or("", String::as_str)
        )
    };
    Ok(Located {
        value,
        excerpt: short(&format!("{} | {}", entry(found.key), entry(found.column))),
        place: format!("at {}, {}", cell.row, cell.column),
        near: None,
    })
}

fn short(s: &str) -> String {
    if s.chars().count() <= DEFAULT_EXCERPT_CHARS {
        s.trim().to_string()
    } else {
        let cut: String = s.chars().take(DEFAULT_EXCERPT_CHARS).collect();
        format!("{}…", cut.trim_end())
    }
}

/// `change = { from, to }`: the relative change from one located figure to another, in percent.
pub(super) fn change(
    from: &Locator,
    to: &Locator,
    within: &Within,
    page: &Page,
    eligible: Eligible<'_, Figure>,
) -> Result<Located<Figure>, String> {
    let a: Located<Figure> =
        locate(from, within, page, eligible).map_err(|e| format!("`from`: {e}"))?;
    let b: Located<Figure> =
        locate(to, within, page, eligible).map_err(|e| format!("`to`: {e}"))?;
    let (x, y) = (a.value.value(), b.value.value());
    if x == 0.0 {
        return Err(format!("`from` is 0 ({}), so no relative change", a.place));
    }
    let pct = (y - x) / x.abs() * 100.0;
    let unit = a.value.unit;
    Ok(Located {
        value: Figure::computed(pct, Unit::Percent),
        excerpt: format!("{} → {}", a.excerpt, b.excerpt),
        place: format!(
            "as the change from {} ({}) to {} ({})",
            format_short(x, unit),
            a.place,
            format_short(y, unit),
            b.place
        ),
        near: None,
    })
}
