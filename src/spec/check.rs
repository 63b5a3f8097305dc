//! Validating `[claim.check]`: exactly one kind of check, and for `figure` and `date` exactly one
//! locator (`near`, `pattern`, `select`, `cell`, `change`, and for `date` `published`) with its
//! options.

use toml::de::{DeTable, DeValue};

use super::claim::CLAIM_KEYS;
use super::diagnostic::suggest;
use super::model::{
    CellRef, Check, CheckKind, DEFAULT_NEAR_WINDOW, FigureCheck, Locator, MAX_NEAR_WINDOW,
};
use super::syntax;
use super::walk::{Ctx, Key, Value, describe, entry, list_or};

/// The kinds of check, as keys of `[claim.check]`.
pub(crate) const KINDS: [&str; 5] = ["contains", "absent", "matches", "figure", "date"];
/// The locators of a `figure` or `date` (`published` is for `date` only).
pub(crate) const LOCATORS: [&str; 6] = ["near", "pattern", "select", "cell", "change", "published"];
/// Every key of `[claim.check]`.
pub(crate) const CHECK_KEYS: [&str; 16] = [
    "contains",
    "absent",
    "matches",
    "figure",
    "date",
    "near",
    "pattern",
    "select",
    "cell",
    "change",
    "published",
    "window",
    "occurrence",
    "tolerance",
    "unit",
    "case_sensitive",
];
/// The keys of a cell: `cell = { row, column, key, table }`.
const CELL_KEYS: [&str; 4] = ["row", "column", "key", "table"];
/// The keys of `change = { from, to }`.
const CHANGE_KEYS: [&str; 2] = ["from", "to"];
/// The keys of a one-locator table in `change` (`{ near = "...", window = 80 }`).
/// (`published` is listed to be reported as a date locator, not as an unknown key.)
const END_KEYS: [&str; 7] = [
    "near",
    "pattern",
    "select",
    "cell",
    "published",
    "window",
    "occurrence",
];

/// An example of a cell, for hints.
const CELL_EXAMPLE: &str = "`cell = { row = \"2025-01-27\", column = \"Close\" }`";

/// The `[claim.check]` table; `key` is its key in the claim.
pub(crate) fn check(ctx: &mut Ctx, key: &Key<'_>, v: &Value<'_>) -> Option<Check> {
    let t = ctx.table(key.get_ref(), v)?;
    let before = ctx.diags.len();
    // Written only for a table with a key to report (not for every claim).
    let kinds_hint = t
        .iter()
        .any(|(k, _)| !CHECK_KEYS.contains(&k.get_ref().as_ref()))
        .then(|| format!("a check is one of {}", list_or(&KINDS)));
    let unknown = ctx.unknown_keys(
        t,
        &CHECK_KEYS,
        "[claim.check]",
        check_elsewhere,
        kinds_hint.as_deref(),
    );
    let kinds = present(t, &KINDS);
    let Some(&(kind_key, kind_value)) = kinds.first() else {
        if unknown == 0 {
            ctx.error(v.span(), "[claim.check] has no check")
                .label("no check here")
                .hint(format!(
                    "add one of {}, e.g. `contains = \"MIT License\"`",
                    list_or(&KINDS)
                ));
        }
        return None;
    };
    if let Some((second, _)) = kinds.get(1) {
        ctx.error(
            second.span(),
            format!(
                "more than one check in [claim.check]: `{}` and `{}`",
                kind_key.get_ref(),
                second.get_ref()
            ),
        )
        .label("second check")
        .hint("one check per claim; split it into two [[claim]]s with the same source");
        return None;
    }
    let name: &str = kind_key.get_ref();
    let locators = present(t, &LOCATORS);
    let is_figure = matches!(name, "figure" | "date");
    if !is_figure {
        for (k, _) in &locators {
            ctx.error(k.span(), format!("`{}` does not apply to `{name}`", k.get_ref()))
                .label("a locator, for `figure` and `date` only")
                .hint(format!(
                    "`{name}` reads the whole text; to read one part of an HTML page, set `within` on the claim"
                ));
        }
    }
    for option in ["tolerance", "window", "occurrence", "unit"] {
        if let Some((k, v)) = entry(t, option) {
            option_misplaced(ctx, k, v, name, &locators);
        }
    }
    let case_sensitive = match entry(t, "case_sensitive") {
        Some((k, v)) if name == "matches" => {
            ctx.error(k.span(), "`case_sensitive` does not apply to `matches`")
                .label("a regex is always case-sensitive")
                .hint("to ignore case, start the regex with `(?i)`");
            let _ = v;
            None
        }
        Some((_, v)) => ctx.boolean("case_sensitive", v),
        None => Some(false),
    };
    let kind = match name {
        "contains" => ctx
            .text(name, kind_value, "the text to find")
            .map(CheckKind::Contains),
        "absent" => ctx
            .text(name, kind_value, "the text that must not appear")
            .map(CheckKind::Absent),
        "matches" => syntax::regex(ctx, name, kind_value).map(CheckKind::Matches),
        _ => figure(ctx, t, kind_key, kind_value, &locators).map(|f| {
            if name == "date" {
                CheckKind::Date(f)
            } else {
                CheckKind::Figure(f)
            }
        }),
    };
    if ctx.diags.len() > before {
        return None;
    }
    Some(Check {
        kind: kind?,
        case_sensitive: case_sensitive?,
    })
}

/// The entries of `t` whose keys are in `keys`, in file order.
fn present<'t, 'i>(t: &'t DeTable<'i>, keys: &[&str]) -> Vec<(&'t Key<'i>, &'t Value<'i>)> {
    let mut found: Vec<_> = t
        .iter()
        .filter(|(k, _)| keys.contains(&k.get_ref().as_ref()))
        .collect();
    found.sort_by_key(|(k, _)| k.span().start);
    found
}

/// Keys that people write for `published = true`.
const PUBLISHED_ALIASES: [&str; 7] = [
    "pubdate",
    "published_date",
    "publication_date",
    "date_published",
    "datepublished",
    "published_time",
    "publish_date",
];

/// Where a key written in `[claim.check]` belongs instead, or what it is called.
fn check_elsewhere(key: &str) -> Option<String> {
    if PUBLISHED_ALIASES.contains(&key.to_ascii_lowercase().as_str()) {
        return Some(
            "did you mean `published = true`? It reads the page's own publication date".to_owned(),
        );
    }
    CLAIM_KEYS
        .contains(&key)
        .then(|| format!("`{key}` belongs to the claim: move it above the [claim.check] header"))
}

/// Reports `tolerance` outside `figure`/`date` and `window` without `near`.
fn option_misplaced(
    ctx: &mut Ctx,
    k: &Key<'_>,
    _v: &Value<'_>,
    kind: &str,
    locators: &[(&Key<'_>, &Value<'_>)],
) {
    let option: &str = k.get_ref();
    if option == "tolerance" && !matches!(kind, "figure" | "date") {
        ctx.error(k.span(), format!("`tolerance` does not apply to `{kind}`"))
            .label("for `figure` and `date` only")
            .hint("remove it, or check a figure with `figure = \"...\"`");
    }
    let near = locators.iter().any(|(l, _)| l.get_ref() == "near");
    if matches!(option, "window" | "occurrence") && !near && matches!(kind, "figure" | "date") {
        ctx.error(k.span(), format!("`{option}` only applies to `near`"))
            .label("no `near` in this check")
            .hint(near_option_hint(option));
    }
    if option == "unit" && kind != "figure" {
        ctx.error(k.span(), format!("`unit` does not apply to `{kind}`"))
            .label("for `figure` only")
            .hint("write the unit in the figure, e.g. `figure = \"8.69 GW\"`, or beside it: `unit = \"GW\"`");
    }
}

/// `unit = "GW"`: the claimed figure's unit, when the figure does not write it.
fn unit(ctx: &mut Ctx, figure: &mut crate::figure::Figure, v: &Value<'_>) -> Option<()> {
    use crate::figure::Unit;
    let written = ctx.text("unit", v, "a unit")?;
    let Some(unit) = crate::figure::parse_unit(&written) else {
        ctx.error(v.span(), format!("unknown unit `{written}`"))
            .label("not a unit factcheck reads")
            .hint("write a currency (`USD`, `€`, `won`), `%`, `pp`, or a unit of measure (`GW`, `km`, `mph`, `t`, `barrels a day`, `°C`); a count of things (people, homes) has no unit");
        return None;
    };
    if figure.unit != Unit::None && figure.unit != unit {
        ctx.error(
            v.span(),
            format!(
                "`unit = \"{written}\"` disagrees with the figure `{}`",
                figure.text
            ),
        )
        .label(format!("the figure is in {}", figure.unit))
        .hint("write the unit once, in the figure or in `unit`");
        return None;
    }
    figure.unit = unit;
    Some(())
}

/// What `window` and `occurrence` mean, for hints.
fn near_option_hint(option: &str) -> &'static str {
    if option == "window" {
        "`window` is how far from the `near` phrase to look, in characters"
    } else {
        "`occurrence = 2` uses the 2nd time the `near` phrase appears"
    }
}

/// `window` and `occurrence` beside a `near`.
#[derive(Clone, Copy)]
struct NearOptions<'a, 'i> {
    window: Option<&'a Value<'i>>,
    occurrence: Option<&'a Value<'i>>,
}

impl<'a, 'i> NearOptions<'a, 'i> {
    fn of(t: &'a DeTable<'i>) -> NearOptions<'a, 'i> {
        NearOptions {
            window: entry(t, "window").map(|(_, w)| w),
            occurrence: entry(t, "occurrence").map(|(_, o)| o),
        }
    }
}

/// A `figure` or `date` check with its one locator.
fn figure(
    ctx: &mut Ctx,
    t: &DeTable<'_>,
    kind_key: &Key<'_>,
    kind_value: &Value<'_>,
    locators: &[(&Key<'_>, &Value<'_>)],
) -> Option<FigureCheck> {
    let name: &str = kind_key.get_ref();
    let claimed = if name == "date" {
        ctx.string_or_date(name, kind_value)
    } else {
        ctx.text(name, kind_value, "the claimed figure")
    };
    let mut figure = None;
    if let Some(c) = &claimed {
        if name == "figure" && !c.chars().any(|c| c.is_ascii_digit()) {
            ctx.error(kind_value.span(), format!("the figure `{c}` has no number"))
                .label("no digits")
                .hint("write the figure with digits, e.g. `figure = \"about $5.6 million\"`");
        } else if name == "figure" {
            match crate::figure::parse_claimed(c) {
                Ok(f) => match misread(c, &f) {
                    None => figure = Some(f),
                    Some(m) => {
                        ctx.error(kind_value.span(), m.message)
                            .label(m.label)
                            .hint(m.hint);
                    }
                },
                Err(e) => {
                    ctx.error(kind_value.span(), format!("cannot read the figure `{c}`"))
                        .label(e.to_string())
                        .hint("write one figure, with its hedge and unit, e.g. `figure = \"more than $65 billion\"`");
                }
            }
        } else if name == "date" && crate::figure::date::parse_date(c).is_none() {
            ctx.error(kind_value.span(), format!("cannot read the date `{c}`"))
                .label("not a date")
                .hint("write it as `2025-01-15` or `January 15, 2025`");
        }
    }
    let tolerance =
        entry(t, "tolerance").and_then(|(_, v)| syntax::tolerance(ctx, v, name == "date"));
    // `published` is a date's locator only.
    let usable: Vec<&str> = LOCATORS
        .into_iter()
        .filter(|l| name == "date" || *l != "published")
        .collect();
    let locator = match locators {
        [] => {
            ctx.error(kind_key.span(), format!("`{name}` has no locator"))
                .label(format!("where in the source is this {name}?"))
                .hint(format!(
                    "add one of {}, e.g. `near = \"total training costs\"`",
                    list_or(&usable)
                ));
            None
        }
        [(k, _)] if name == "figure" && k.get_ref() == "published" => {
            ctx.error(k.span(), "`published` does not apply to `figure`")
                .label("a publication date, for `date` only")
                .hint("check the page's publication date with `date = \"...\"` and `published = true`; locate a figure with `near`, `pattern`, `select`, `cell` or `change`");
            None
        }
        [(k, v)] => locator(ctx, k, v, NearOptions::of(t), false),
        [(first, _), (second, _), ..] => {
            ctx.error(
                second.span(),
                format!(
                    "a `{name}` has one locator, found `{}` and `{}`",
                    first.get_ref(),
                    second.get_ref()
                ),
            )
            .label("second locator")
            .hint(format!(
                "keep the one that finds the {name}; to check it elsewhere too, write another [[claim]]"
            ));
            None
        }
    };
    let has_tolerance = entry(t, "tolerance").is_some();
    if has_tolerance && tolerance.is_none() {
        return None;
    }
    if let (Some(f), Some((_, v))) = (figure.as_mut(), entry(t, "unit")) {
        unit(ctx, f, v)?;
    }
    Some(FigureCheck {
        claimed: claimed?,
        figure,
        locator: locator?,
        tolerance,
    })
}

/// Why a claimed figure's text says more than the figure read from it.
struct Misread {
    message: String,
    label: String,
    hint: String,
}

/// The signs a figure may start with.
const SIGNS: [char; 4] = ['-', '+', '\u{2212}', '\u{2013}'];
/// The dashes that join the ends of a range.
const RANGE_DASHES: [char; 4] = ['-', '\u{2012}', '\u{2013}', '\u{2014}'];

/// What the figure reader would silently drop from a claimed figure `text`, read as `f`: a
/// second sign (`--12.49%` reads as 12.49%), a second hedge (`more than less than 200` reads
/// as "less than 200") or the other end of a range it does not read (`$5–6%` reads as $5).
fn misread(text: &str, f: &crate::figure::Figure) -> Option<Misread> {
    let before = text.get(..f.span.start)?.trim_end();
    let after = text.get(f.span.end..)?.trim_start();
    let shown = crate::spec::cut(text);
    // Signs before the figure, and the figure's own.
    let loose = before
        .chars()
        .rev()
        .take_while(|c| SIGNS.contains(c) || c.is_whitespace());
    let loose = loose.filter(|c| SIGNS.contains(c)).count();
    if loose > 0 {
        let own = usize::from(f.text.starts_with(SIGNS));
        return Some(Misread {
            message: if loose + own > 1 {
                format!("the figure `{shown}` has two signs")
            } else {
                format!("the figure `{shown}` has a sign apart from its number")
            },
            label: format!("read as {}", crate::spec::cut(&f.text)),
            hint: "write one sign against the number: `-12.49%` for a fall, `12.49%` for a rise"
                .to_owned(),
        });
    }
    let lower = before.to_lowercase();
    let hedge = crate::figure::Hedge::WORDS.iter().find(|(w, _)| {
        lower.strip_suffix(w).is_some_and(|rest| {
            rest.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    });
    if let Some((word, _)) = hedge {
        let message = if f.hedge == crate::figure::Hedge::Exact {
            format!("the figure `{shown}` has a hedge apart from its number")
        } else {
            format!(
                "the figure `{shown}` has two hedges: `{word}` and `{}`",
                f.hedge.words()
            )
        };
        return Some(Misread {
            message,
            label: format!("read as {}", crate::spec::cut(&f.text)),
            hint: "write one hedge, just before the number, e.g. `figure = \"more than 200\"`"
                .to_owned(),
        });
    }
    // The other end of a range the reader stopped before: `$5–6%`, `5 GW to 6%`.
    let rest = after
        .strip_prefix(RANGE_DASHES)
        .or_else(|| {
            after
                .get(..3)
                .filter(|w| w.eq_ignore_ascii_case("to "))
                .and_then(|_| after.get(3..))
        })?
        .trim_start();
    if !rest.chars().take(4).any(|c| c.is_ascii_digit()) {
        return None;
    }
    let other = crate::figure::parse_located(rest);
    let units = other.as_ref().map(|o| (f.unit, o.unit));
    let (message, label) = match units {
        Some((a, b))
            if a != crate::figure::Unit::None && b != crate::figure::Unit::None && !a.agrees(b) =>
        {
            (
                format!("the range `{shown}` has two units, {a} and {b}"),
                "a range of two units".to_owned(),
            )
        }
        _ => (
            format!("cannot read the figure `{shown}` whole"),
            format!("read as {} alone", crate::spec::cut(&f.text)),
        ),
    };
    Some(Misread {
        message,
        label,
        hint: "write both ends in one unit, with the unit once, e.g. `figure = \"$5–6 million\"` or `figure = \"5–6%\"`".to_owned(),
    })
}

/// One locator; `near_options` are the `window` and `occurrence` values next to a `near`,
/// `nested` is true inside `change`.
fn locator(
    ctx: &mut Ctx,
    k: &Key<'_>,
    v: &Value<'_>,
    near_options: NearOptions<'_, '_>,
    nested: bool,
) -> Option<Locator> {
    let name: &str = k.get_ref();
    match name {
        "near" => {
            let phrase = ctx.text(name, v, "a phrase near the figure");
            let window = match near_options.window {
                Some(w) => ctx.positive(
                    "window",
                    w,
                    "`window` counts characters around the phrase, e.g. `window = 300`",
                )?,
                None => DEFAULT_NEAR_WINDOW,
            };
            if window > MAX_NEAR_WINDOW {
                if let Some(w) = near_options.window {
                    ctx.error(w.span(), format!("`window` is at most {MAX_NEAR_WINDOW}"))
                        .label("too large")
                        .hint("`window` counts characters around the phrase, e.g. `window = 300`");
                }
                return None;
            }
            let occurrence = match near_options.occurrence {
                Some(o) => Some(ctx.positive(
                    "occurrence",
                    o,
                    "`occurrence = 2` uses the 2nd time the phrase appears",
                )?),
                None => None,
            };
            Some(Locator::Near {
                phrase: phrase?,
                window,
                occurrence,
            })
        }
        "pattern" => syntax::regex(ctx, name, v).map(Locator::Pattern),
        "select" => syntax::selector(ctx, name, v).map(Locator::Select),
        "cell" => cell(ctx, name, v).map(Locator::Cell),
        "published" if nested => {
            ctx.error(k.span(), "`published` does not apply to `change`")
                .label("a publication date, for `date` only")
                .hint(format!(
                    "`from` and `to` are each a figure's locator or a cell, e.g. {CELL_EXAMPLE}"
                ));
            None
        }
        "published" => published(ctx, v),
        _ if nested => {
            ctx.error(k.span(), "`change` cannot be nested")
                .label("inside another `change`")
                .hint(format!(
                    "`from` and `to` are each a cell, e.g. {CELL_EXAMPLE}"
                ));
            None
        }
        _ => change(ctx, v),
    }
}

/// `published = true`: the page's own publication date.
fn published(ctx: &mut Ctx, v: &Value<'_>) -> Option<Locator> {
    let other = "to find another date in the page, use `near`, `pattern`, `select` or `cell`";
    match v.get_ref() {
        DeValue::Boolean(true) => Some(Locator::Published),
        DeValue::Boolean(false) => {
            ctx.error(v.span(), "`published` can only be `true`")
                .label("`false` locates nothing")
                .hint(format!(
                    "`published = true` reads the page's publication date; {other}"
                ));
            None
        }
        found @ (DeValue::String(_) | DeValue::Datetime(_)) => {
            ctx.error(
                v.span(),
                format!("expected `true` for `published`, found {}", describe(found)),
            )
            .label("expected `true`")
            .hint("the claimed date goes in `date = \"...\"`; write `published = true` next to it");
            None
        }
        found => {
            ctx.error(
                v.span(),
                format!("expected `true` for `published`, found {}", describe(found)),
            )
            .label("expected `true`")
            .hint(format!(
                "`published = true` reads the page's publication date; {other}"
            ));
            None
        }
    }
}

/// `change = { from = ..., to = ... }`.
fn change(ctx: &mut Ctx, v: &Value<'_>) -> Option<Locator> {
    let t = ctx.table("change", v)?;
    ctx.unknown_keys(t, &CHANGE_KEYS, "`change`", |_| None, None);
    let mut ends = Vec::new();
    for end in CHANGE_KEYS {
        match entry(t, end) {
            Some((_, v)) => ends.push(change_end(ctx, end, v)),
            None => {
                ctx.error(v.span(), format!("`change` has no `{end}`"))
                    .label(format!("`{end}` is missing"))
                    .hint("a change needs `from` and `to`, e.g. `change = { from = { row = \"2025-01-24\", column = \"Close\" }, to = { row = \"2025-01-27\", column = \"Close\" } }`");
                ends.push(None);
            }
        }
    }
    let to = ends.pop().flatten();
    let from = ends.pop().flatten();
    Some(Locator::Change {
        from: Box::new(from?),
        to: Box::new(to?),
    })
}

/// One end of a change: a cell `{row, column, ...}` or a table with one locator.
fn change_end(ctx: &mut Ctx, end: &str, v: &Value<'_>) -> Option<Locator> {
    let DeValue::Table(t) = v.get_ref() else {
        ctx.error(v.span(), format!("expected a table for `{end}`, found {}", describe(v.get_ref())))
            .label("expected a table")
            .hint(format!("write a cell, e.g. `{end} = {{ row = \"2025-01-24\", column = \"Close\" }}`, or a locator, e.g. `{end} = {{ near = \"closing price\" }}`"));
        return None;
    };
    let place = format!("`change.{end}`");
    let locators = present(t, &LOCATORS);
    if locators.is_empty() {
        return cell(ctx, end, v).map(Locator::Cell);
    }
    ctx.unknown_keys(
        t,
        &END_KEYS,
        &place,
        |key| {
            CELL_KEYS.contains(&key).then(|| {
                format!("a cell goes alone (`{end} = {{ row = ..., column = ... }}`) or in `cell = {{ ... }}`, not next to a locator")
            })
        },
        None,
    );
    let near = locators.iter().any(|(l, _)| l.get_ref() == "near");
    for option in ["window", "occurrence"] {
        if let (Some((k, _)), false) = (entry(t, option), near) {
            ctx.error(k.span(), format!("`{option}` only applies to `near`"))
                .label("no `near` here")
                .hint(near_option_hint(option));
            return None;
        }
    }
    match locators.as_slice() {
        [(k, lv)] => locator(ctx, k, lv, NearOptions::of(t), true),
        [(first, _), (second, _), ..] => {
            ctx.error(
                second.span(),
                format!(
                    "{place} has one locator, found `{}` and `{}`",
                    first.get_ref(),
                    second.get_ref()
                ),
            )
            .label("second locator")
            .hint("keep the one that finds the figure");
            None
        }
        [] => None,
    }
}

/// A table cell `{ row, column, key?, table? }`; `name` is where it is written.
fn cell(ctx: &mut Ctx, name: &str, v: &Value<'_>) -> Option<CellRef> {
    let t = ctx.table(name, v)?;
    let place = if name == "cell" {
        "`cell`".to_owned()
    } else {
        format!("`change.{name}`")
    };
    // In `change`, `from` and `to` may also hold a locator: suggest those too, unless the
    // key is a typo of a cell key.
    let in_change = name != "cell";
    let unknown = ctx.unknown_keys(
        t,
        &CELL_KEYS,
        &place,
        |key| {
            if !in_change || suggest(key, CELL_KEYS).is_some() {
                return None;
            }
            if key == "window" {
                return Some(
                    "`window` goes with `near`: `{ near = \"...\", window = 80 }`".to_owned(),
                );
            }
            suggest(key, LOCATORS).map(|l| format!("did you mean `{l}`?"))
        },
        None,
    );
    let mut text = |key: &str| -> Option<Option<String>> {
        let Some((_, v)) = entry(t, key) else {
            return Some(None);
        };
        match v.get_ref() {
            DeValue::Integer(i) => Some(Some(i.as_str().to_owned())),
            _ => ctx.string_or_date(key, v).map(Some),
        }
    };
    let row = text("row");
    let column = text("column");
    let key = match entry(t, "key") {
        Some((_, v)) => ctx.text("key", v, "the header of the key column").map(Some),
        None => Some(None),
    };
    let table = match entry(t, "table") {
        Some((_, v)) => ctx
            .positive("table", v, "tables count from 1: `table = 1` is the first")
            .map(Some),
        None => Some(None),
    };
    let mut missing = Vec::new();
    for (field, value) in [("row", &row), ("column", &column)] {
        if matches!(value, Some(None)) {
            missing.push(field);
        }
    }
    if !missing.is_empty() && unknown == 0 {
        let what = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        ctx.error(v.span(), format!("{place} has no {what}"))
            .label(format!("{} missing", what))
            .hint(format!(
                "a cell needs `row` and `column`, e.g. {CELL_EXAMPLE}"
            ));
        return None;
    }
    Some(CellRef {
        row: row??,
        column: column??,
        key: key?,
        table: table?,
    })
}
