//! The small languages inside assertion values: regexes (located to the character that is
//! wrong), CSS selectors and tolerances.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use scraper::Selector;
use scraper::error::SelectorErrorKind;

use super::diagnostic::cut;
use super::model::Pattern;
use super::walk::{Ctx, Value};

/// The named group a `pattern` must have.
pub const VALUE_GROUP: &str = "value";

/// What a `tolerance` looks like: a number, then `%`, `pp`, `d` or nothing.
static TOLERANCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]+(?:\.[0-9]+)?)(%|pp|d)?$").unwrap_or_else(|e| panic!("{e}"))
});

/// A regex that compiles; `pattern` regexes must also have the group `value`.
///
/// The regex is parsed here, not compiled (compiling a Unicode class such as `\w` costs more
/// than the rest of loading a claim): only a regex whose compiled size could pass the regex
/// crate's limit, going by [`compiled_size`], is compiled to be sure.
pub(crate) fn regex(ctx: &mut Ctx, key: &str, v: &Value<'_>) -> Option<Pattern> {
    let s = ctx.text(key, v, "a regular expression")?;
    let checked = match regex_syntax::Parser::new().parse(&s) {
        Ok(hir) if compiled_size(&hir) <= PARSE_ONLY_SIZE => Ok(hir),
        Ok(hir) => Regex::new(&s).map(|_| hir),
        Err(_) => Regex::new(&s).map(|_| regex_syntax::hir::Hir::empty()),
    };
    let hir = match checked {
        Ok(hir) => hir,
        Err(e) => {
            regex_error(ctx, key, v, &s, &e);
            return None;
        }
    };
    let mut names = Vec::new();
    capture_names(&hir, &mut names);
    if key == "pattern" && !names.iter().any(|n| n == VALUE_GROUP) {
        let others = names;
        let hint = match others.first() {
            Some(other) => format!("name the group that holds the figure `value`: (?P<value>...) instead of (?P<{other}>...)"),
            None => "mark the figure with a group named `value`, e.g. 'amount to only (?P<value>\\$[\\d.]+M)'".to_owned(),
        };
        ctx.error(v.span(), "`pattern` has no group named `value`")
            .label("no (?P<value>...) group")
            .hint(hint);
        return None;
    }
    Some(Pattern::checked(s))
}

/// The size past which a parsed regex is compiled at load to check it against the regex
/// crate's size limit: far below that limit, in [`compiled_size`]'s units.
const PARSE_ONLY_SIZE: u64 = 100_000;

/// A rough upper bound on a regex's compiled size: literal bytes, class ranges, and repetitions
/// multiplying what they repeat (`\w{1000}` is large, `\w+` is not). The parser limits nesting,
/// so the recursion is bounded.
fn compiled_size(hir: &regex_syntax::hir::Hir) -> u64 {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(lit) => lit.0.len() as u64,
        HirKind::Class(Class::Unicode(c)) => c.ranges().len() as u64,
        HirKind::Class(Class::Bytes(c)) => c.ranges().len() as u64,
        HirKind::Repetition(r) => {
            let times = u64::from(r.max.unwrap_or(r.min).max(r.min)).max(1);
            compiled_size(&r.sub).saturating_mul(times)
        }
        HirKind::Capture(c) => compiled_size(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            hs.iter().map(compiled_size).fold(0, u64::saturating_add)
        }
    }
}

/// The names of a regex's named groups, in order.
fn capture_names(hir: &regex_syntax::hir::Hir, names: &mut Vec<String>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            names.extend(c.name.as_deref().map(str::to_owned));
            capture_names(&c.sub, names);
        }
        HirKind::Repetition(r) => capture_names(&r.sub, names),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            for h in hs {
                capture_names(h, names);
            }
        }
        _ => {}
    }
}

/// Reports a regex that does not compile, pointing at the wrong part when it can.
fn regex_error(ctx: &mut Ctx, key: &str, v: &Value<'_>, pattern: &str, e: &regex::Error) {
    let located = match regex_syntax::Parser::new().parse(pattern) {
        Err(regex_syntax::Error::Parse(e)) => Some((
            e.kind().to_string(),
            e.span().start.offset..e.span().end.offset,
        )),
        Err(regex_syntax::Error::Translate(e)) => Some((
            e.kind().to_string(),
            e.span().start.offset..e.span().end.offset,
        )),
        _ => None,
    };
    let raw = ctx.snippet(v.span()).to_owned();
    let (label, span) = match located {
        Some((label, inner)) => {
            let span = match to_raw(&raw, inner) {
                Some(r) => v.span().start + r.start..v.span().start + r.end,
                None => v.span(),
            };
            (label, span)
        }
        None => (
            e.to_string().lines().last().unwrap_or("invalid").to_owned(),
            v.span(),
        ),
    };
    ctx.error(span, format!("invalid regular expression in `{key}`"))
        .label(label);
}

/// Maps a byte range of a string's value to the byte range of its TOML source `raw` (quotes
/// included), when the string form allows it: literal strings, and one-line basic strings.
fn to_raw(raw: &str, inner: Range<usize>) -> Option<Range<usize>> {
    // For each byte of the value, where its character or escape starts in `raw`.
    let mut map = Vec::new();
    let (start, body_end, basic) = if let Some(rest) = raw.strip_prefix("'''") {
        let newline = if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
        (3 + newline, raw.len().checked_sub(3)?, false)
    } else if raw.starts_with("\"\"\"") {
        return None;
    } else if raw.starts_with('\'') || raw.starts_with('"') {
        (1, raw.len().checked_sub(1)?, raw.starts_with('"'))
    } else {
        return None;
    };
    let body = raw.get(start..body_end)?;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if basic && c == '\\' {
            let (len, decoded) = match chars.peek().map(|(_, c)| *c) {
                Some('u') => (6, body.get(i + 2..i + 6)),
                Some('U') => (10, body.get(i + 2..i + 10)),
                Some('x') => (4, body.get(i + 2..i + 4)),
                _ => (2, None),
            };
            let bytes = decoded
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map_or(1, char::len_utf8);
            map.extend(std::iter::repeat_n(start + i, bytes));
            for _ in 1..len {
                chars.next();
            }
        } else {
            map.extend(std::iter::repeat_n(start + i, c.len_utf8()));
        }
    }
    map.push(body_end);
    let from = *map.get(inner.start)?;
    let to = *map.get(inner.end)?;
    Some(from..to.max(from))
}

/// A CSS selector that parses.
pub(crate) fn selector(ctx: &mut Ctx, key: &str, v: &Value<'_>) -> Option<String> {
    let s = ctx.text(key, v, "a CSS selector")?;
    match Selector::parse(&s) {
        Ok(_) => Some(s),
        Err(e) => {
            let why = match e {
                SelectorErrorKind::EndOfLine => "the selector ends too early",
                SelectorErrorKind::UnexpectedToken => "unexpected character in the selector",
                _ => "not valid CSS",
            };
            let d = ctx.error(v.span(), format!("invalid CSS selector `{s}` in `{key}`"));
            d.label(why);
            if s.contains(":contains(") {
                d.hint("`:contains()` is jQuery, not CSS; to find a figure next to some words, use `near = \"...\"`");
            } else if key == "within" {
                d.hint("`within` is `main` (the default), `page`, or a CSS selector such as `article .body`");
            } else {
                d.hint("write a CSS selector such as `table.prices td.close` or `#cost > span`");
            }
            None
        }
    }
}

/// A `tolerance`: `"2%"`, `"0.1"` or `"0.5pp"` for a figure, `"3d"` for a date.
pub(crate) fn tolerance(ctx: &mut Ctx, v: &Value<'_>, date: bool) -> Option<String> {
    let s = ctx.string("tolerance", v)?.to_owned();
    let Some(caps) = TOLERANCE.captures(s.trim()) else {
        let hint = if date {
            "for a date, write a number of days, e.g. `tolerance = \"3d\"`"
        } else {
            "write `2%` (relative), `0.1` (absolute, in the figure's unit) or `0.5pp` (percentage points)"
        };
        ctx.error(v.span(), format!("invalid tolerance `{}`", cut(&s)))
            .label("not a tolerance")
            .hint(hint);
        return None;
    };
    let unit = caps.get(2).map_or("", |m| m.as_str());
    if date && (unit != "d" || caps[1].contains('.')) {
        ctx.error(v.span(), "a date's tolerance is a whole number of days")
            .label("not in days")
            .hint("write e.g. `tolerance = \"3d\"`");
        return None;
    }
    if !date && unit == "d" {
        ctx.error(v.span(), "a tolerance in days only applies to `date`")
            .label("days, for a figure")
            .hint("for a figure, write `2%` (relative), `0.1` (absolute) or `0.5pp` (percentage points)");
        return None;
    }
    if date && crate::figure::date::parse_days(&s).is_none() {
        let max = crate::figure::date::MAX_TOLERANCE_DAYS;
        ctx.error(
            v.span(),
            format!("the date tolerance `{}` is too large", cut(s.trim())),
        )
        .label(format!("more than {max} days"))
        .hint(format!(
            "a date's tolerance is at most {max} days (the calendar's whole range, years -9999 to 9999); write e.g. `tolerance = \"3d\"`"
        ));
        return None;
    }
    if !date && crate::figure::parse_tolerance(&s).is_err() {
        ctx.error(
            v.span(),
            format!("the tolerance `{}` is too large", cut(s.trim())),
        )
        .label("not a finite number")
        .hint("write `2%` (relative), `0.1` (absolute) or `0.5pp` (percentage points)");
        return None;
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_literal_strings_directly() {
        assert_eq!(to_raw("'ab(c'", 2..3), Some(3..4));
        assert_eq!(to_raw("'''\nab(c'''", 2..3), Some(6..7));
        assert_eq!(to_raw("'ab'", 2..2), Some(3..3));
    }

    #[test]
    fn maps_basic_strings_through_escapes() {
        // The value is `\d+(` : `\\` in the source is one byte of the value.
        let raw = r#""\\d+(""#;
        assert_eq!(to_raw(raw, 0..1), Some(1..3));
        assert_eq!(to_raw(raw, 3..4), Some(5..6));
        // `\u00e9` is two bytes of the value.
        let raw = r#""\u00e9(""#;
        assert_eq!(to_raw(raw, 2..3), Some(7..8));
        assert_eq!(to_raw("\"\"\"x\"\"\"", 0..1), None);
    }
}
