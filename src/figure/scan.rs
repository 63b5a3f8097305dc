//! Finding figures in text: numbers with separators, decimals, sign, scale, currency, percent,
//! ranges and hedges; and leaving alone the numbers that are part of names, versions, dates,
//! times and years.

use super::ident::{is_identifier, phone_end, sub_section};
use super::number::{Number, read_number};
use super::units::{CURRENCY_AFTER, CURRENCY_BEFORE, measure_after};
use super::words::{
    CURRENCY_AFTER_INDEX, HEDGE_INDEX, SCALE_INDEX, SCALE_WORDS, UNIT_INDEX, UNIT_WORDS,
    attached_scale, duration_word, ends_with_ignore_case, month_number, next_char, prev_char,
    word_after, word_before, word_suffix,
};
use super::{Figure, FigureError, Hedge, Notation, Unit};
use crate::text::{is_cjk, is_word_char};

/// Every figure in `text`, in order, with its span (hedge included), numbers written with a
/// decimal point.
///
/// Numbers inside words or names (`H800`, `GPT-4o`, `Llama3.1`, `R1-Zero`, `Pass@1`,
/// `COVID-19`), version strings (`0.6.6`), times (`21:49`), dates (`2025-01-15`,
/// `January 27, 2025`), years used alone (`AIME 2024`), scores (`98-91`), phone numbers, ZIP
/// codes, street and suite numbers, `401(k)`, `24/7` and compounds like `3-pointer` are not
/// figures. Markdown or HTML markup around a number (`**79.8**`, `<b>79.8</b>`) does not stop it
/// being read, and LaTeX-style `$0.6$` is a plain number, not money.
///
/// "8% to $3.1 billion" and "from 18% to 27%" are two figures; a range needs a range cue
/// ("between 60 and 65", "60–65", "60 to 65" with units that agree and no "from").
pub fn scan(text: &str) -> Vec<Figure> {
    scan_with(text, false, Notation::Point)
}

/// Like [`scan`], in a page's number notation: with [`Notation::Comma`], `25.000` is twenty-five
/// thousand and `2,5` two and a half.
pub fn scan_in(text: &str, notation: Notation) -> Vec<Figure> {
    scan_with(text, false, notation)
}

/// The one figure a claim states, such as `"about $5.6 million"` or `"more than -4%"`.
pub fn parse_claimed(text: &str) -> Result<Figure, FigureError> {
    let mut found = scan_with(text, true, Notation::Point);
    match found.len() {
        0 => Err(FigureError::NoFigure(text.to_string())),
        1 => Ok(found.remove(0)),
        _ => Err(FigureError::Several {
            text: text.to_string(),
            first: found[0].text.clone(),
        }),
    }
}

/// The first figure in a located text (a table cell, an element, a regex group), including a
/// lone year-like integer, which in a cell is a value, not a name.
pub fn parse_located(text: &str) -> Option<Figure> {
    parse_located_in(text, Notation::Point)
}

/// Like [`parse_located`], in a page's number notation.
pub fn parse_located_in(text: &str, notation: Notation) -> Option<Figure> {
    scan_with(text, true, notation).into_iter().next()
}

/// Reads every figure from left to right; with `years`, lone four-digit years count too.
fn scan_with(text: &str, years: bool, notation: Notation) -> Vec<Figure> {
    let mut figures = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        match read_figure(text, i, notation) {
            Read::Figure(figure, end) => {
                i = end.max(i + 1);
                figures.push(figure);
            }
            Read::Skip(end) => match year_figure(text, i, end, notation).filter(|_| years) {
                Some((figure, end)) => {
                    figures.push(figure);
                    i = end;
                }
                None => i = end.max(i + 1),
            },
        }
    }
    figures
}

enum Read {
    Figure(Figure, usize),
    Skip(usize),
}

/// What comes before the digits at `start`: sign, currency, hedge; returns the figure's start.
struct Prefix {
    start: usize,
    negative: bool,
    currency: Option<&'static str>,
    latex: bool,
    hedge: Hedge,
    between: bool,
    /// Where the sign or currency starts, before any hedge words.
    core: usize,
}

fn read_prefix(text: &str, start: usize) -> Prefix {
    let mut p = Prefix {
        start,
        core: start,
        negative: false,
        currency: None,
        latex: false,
        hedge: Hedge::Exact,
        between: false,
    };
    let mut at = start;
    // Sign right before the digits, or before the currency ("-$5" and "$-5").
    let take_sign = |at: &mut usize, p: &mut Prefix| {
        if let Some(c @ ('-' | '−' | '+')) = prev_char(text, *at) {
            let before = prev_char(text, *at - c.len_utf8());
            if before.is_none_or(|b| !b.is_alphanumeric() && b != '.' && b != '-') {
                p.negative = c != '+';
                *at -= c.len_utf8();
            }
        }
    };
    take_sign(&mut at, &mut p);
    let head = &text[..at];
    let spaced = head.trim_end_matches([' ', '\u{a0}']);
    let ends = (
        head.as_bytes().last().copied(),
        spaced.as_bytes().last().copied(),
    );
    for (sym, code) in CURRENCY_BEFORE {
        let sym_last = sym.as_bytes().last().copied();
        if sym_last != ends.0 && sym_last != ends.1 {
            continue;
        }
        let candidate = if sym.starts_with(char::is_alphabetic) {
            spaced
        } else {
            head
        };
        if let Some(rest) = candidate.strip_suffix(sym)
            && prev_char(rest, rest.len()).is_none_or(|c| !c.is_alphanumeric())
        {
            if sym == "$" && prev_char(rest, rest.len()) == Some('$') {
                break;
            }
            p.currency = Some(code);
            p.latex = sym == "$";
            at = rest.len();
            break;
        }
    }
    if !p.negative {
        take_sign(&mut at, &mut p);
    }
    p.core = at;
    // Comparison signs and hedge words.
    let head = text[..at].trim_end_matches([' ', '\u{a0}']);
    // The last byte of `>`, `=`, `<`, `≥` and `≤`: most numbers follow none of them.
    let signed = matches!(
        head.as_bytes().last(),
        Some(b'>' | b'=' | b'<' | 0xA4 | 0xA5)
    );
    for (sign, hedge) in [
        (">=", Hedge::AtLeast),
        ("≥", Hedge::AtLeast),
        ("<=", Hedge::AtMost),
        ("≤", Hedge::AtMost),
        (">", Hedge::MoreThan),
        ("<", Hedge::LessThan),
    ] {
        if !signed {
            break;
        }
        if let Some(rest) = head.strip_suffix(sign)
            && prev_char(rest, rest.len()).is_none_or(|c| c.is_whitespace() || c == '(')
        {
            p.hedge = hedge;
            at = rest.len();
            break;
        }
    }
    if p.hedge == Hedge::Exact
        && let Some(&last) = head.as_bytes().last()
    {
        // Only the hedges that end with the byte before the number.
        for (words, hedge) in HEDGE_INDEX.get(last).map(|i| Hedge::WORDS[i]) {
            if ends_with_ignore_case(head, words) {
                let begin = head.len() - words.len();
                if prev_char(head, begin).is_none_or(|c| !is_word_char(c))
                    || words.starts_with(is_cjk)
                {
                    p.hedge = hedge;
                    at = begin;
                    break;
                }
            }
        }
    }
    let head = text[..at].trim_end_matches([' ', '\u{a0}']);
    if ends_with_ignore_case(head, "between")
        && prev_char(head, head.len() - 7).is_none_or(|c| !c.is_alphanumeric())
    {
        p.between = true;
        at = head.len() - 7;
    }
    p.start = at;
    p
}

/// One side of a figure: the number with its prefix and suffix.
struct Side {
    prefix: Prefix,
    number: Number,
    scale: Option<f64>,
    unit: Unit,
    /// The other unit an ambiguous word names ("pounds": money or weight).
    other_unit: Option<Unit>,
    end: usize,
}

/// Reads a number at `start` (a digit) with its prefix and suffix; `Err(end)` when it is part of
/// a name, a version, a date, a time, a phone number or a label, with where to go on from.
fn read_side(text: &str, start: usize, range_end: bool, notation: Notation) -> Result<Side, usize> {
    let b = text.as_bytes();
    let skip_token = |from: usize| {
        from + text[from..]
            .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))
            .unwrap_or(text.len() - from)
    };
    // Attached to a word or name: H800, GPT-4o, Llama3.1, R1-Zero, COVID-19, Pass@1, v0.6.
    match prev_char(text, start) {
        Some(c) if is_word_char(c) || c == '_' || c == '@' || c == '#' => {
            return Err(skip_token(start));
        }
        // "1.2.3", and names like "ID.3".
        Some('.') if prev_char(text, start - 1).is_some_and(is_word_char) => {
            return Err(skip_token(start));
        }
        // A tiebreak after a set score, "7-6(5)", "7-6 (5)".
        Some('(') if score_pair_ends(&text[..start - 1]) => {
            return Err(skip_token(start));
        }
        Some(c @ ('-' | '–' | '\u{2010}' | '\u{2011}' | '/' | ':')) if !range_end => {
            let before = prev_char(text, start - c.len_utf8());
            if before.is_some_and(is_word_char) {
                return Err(skip_token(start));
            }
        }
        _ => {}
    }
    if !range_end && let Some(end) = phone_end(text, start, notation == Notation::Point) {
        return Err(end);
    }
    if sub_section(text, start) {
        return Err(skip_token(start));
    }
    let Some(number) = read_number(text, start, notation) else {
        return Err(start + 1);
    };
    // Decades: '80, ’90s.
    if number.plain_int_digits == 2 && matches!(prev_char(text, start), Some('\'' | '’')) {
        return Err(skip_token(start));
    }
    let mut end = number.end;
    // Version strings (0.6.6), times (21:49), ISO dates (2025-01-15).
    if end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        return Err(skip_token(start));
    }
    if end + 1 < b.len() && (b[end] == b':') && b[end + 1].is_ascii_digit() {
        return Err(skip_token(end + 1));
    }
    // Fractions, ratios and slashed dates: 24/7, 9/11, 3/4.
    if end + 1 < b.len() && b[end] == b'/' && b[end + 1].is_ascii_digit() {
        let after = end
            + 1
            + b[end + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
        return Err(after);
    }
    if end + 1 < b.len()
        && b[end] == b'-'
        && b[end + 1].is_ascii_digit()
        && number.plain_int_digits == 4
        && text[end + 1..].len() >= 2
        && b[end + 1..].iter().take(2).all(u8::is_ascii_digit)
        && b.get(end + 3) == Some(&b'-')
    {
        return Err(skip_token(start));
    }
    let prefix = read_prefix(text, start);
    // Day numbers of written dates: "January 27, 2025", "27 Jan 2025".
    if number.plain_int_digits > 0
        && number.plain_int_digits <= 2
        && prefix.currency.is_none()
        && (month_number(word_before(text, prefix.start)).is_some()
            || month_number(word_after(text, end)).is_some())
    {
        return Err(end);
    }
    // Labels, codes and addresses: Suite 200, NY 10001, 10 Downing Street, 401(k), 0100.
    if prefix.currency.is_none() && is_identifier(text, start, number.end) {
        return Err(skip_token(number.end));
    }
    let money = prefix.currency.is_some() && !prefix.latex;
    let mut scale = None;
    if let Some((s, len)) = attached_scale(&text[end..], money) {
        scale = Some(s);
        end += len;
    } else if let Some((len, s)) = word_suffix(text, end, &SCALE_WORDS, &SCALE_INDEX) {
        scale = Some(s);
        end += len;
    } else if let Some(rest) = text[end..].strip_prefix('-')
        && let Some((len, s)) = word_suffix(rest, 0, &SCALE_WORDS, &SCALE_INDEX)
    {
        // "a $5-million grant"
        scale = Some(s);
        end += 1 + len;
    }
    // LaTeX: `$0.6$` is a number between math delimiters, not money.
    let latex_math = prefix.latex && next_char(text, end) == Some('$');
    let mut unit = match prefix.currency {
        Some(code) if !latex_math => Unit::Currency(code),
        _ => Unit::None,
    };
    let mut other_unit = None;
    // Percent, percentage points, a currency or a unit of measure written after.
    let rest = &text[end..];
    let spaced = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}', '\u{2009}']);
    let gap = rest.len() - spaced.len();
    if rest[..gap].chars().count() <= 1 && spaced.starts_with(['%', '％']) {
        unit = Unit::Percent;
        end += gap + spaced.chars().next().map_or(1, char::len_utf8);
    } else if unit == Unit::None
        && let Some(word) = rest.strip_prefix(['-', '\u{2010}', '\u{2011}'])
        && word
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case("percent"))
    {
        // "a 10-percent cut"
        unit = Unit::Percent;
        end += 8;
    } else if let Some((len, u)) = word_suffix(text, end, &UNIT_WORDS, &UNIT_INDEX) {
        unit = u;
        end += len;
    } else if unit == Unit::None
        && let Some((len, code)) = word_suffix(text, end, &CURRENCY_AFTER, &CURRENCY_AFTER_INDEX)
    {
        unit = Unit::Currency(code);
        if text[end..end + len].trim().eq_ignore_ascii_case("pounds") {
            other_unit = Some(Unit::Measure("lb"));
        }
        end += len;
    } else if unit == Unit::None
        && !prefix.latex
        && let Some((len, u)) = measure_after(rest)
    {
        unit = u;
        end += len;
    }
    if unit == Unit::None && scale.is_none() {
        // Attached letters left over: "4o", "2nd", "3D", "800x".
        if next_char(text, end).is_some_and(|c| c.is_alphabetic() && !is_cjk(c)) {
            return Err(skip_token(start));
        }
        // Compound words: "3-pointer", "5-star"; but a duration is a quantity ("a 30-minute
        // demo", "a 10-year-old").
        let rest = &text[end..];
        if let Some(word) = rest
            .strip_prefix(['-', '\u{2010}', '\u{2011}'])
            .filter(|w| w.starts_with(char::is_alphabetic) && !duration_word(w))
        {
            let len = word
                .find(|c: char| !(c.is_alphanumeric() || c == '-'))
                .unwrap_or(word.len());
            return Err(end + 1 + len);
        }
    }
    Ok(Side {
        prefix,
        number,
        scale,
        unit,
        other_unit,
        end,
    })
}

/// Whether a score follows: a descending pair of numbers joined by a dash (", 6-3"), as in a
/// run of set scores ("3-6, 6-3"); a run of ascending pairs is a list of ranges ("18-24, 25-34").
fn score_pair_follows(rest: &str) -> bool {
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(rest);
    let Some(after) = rest[n..].strip_prefix(['-', '–']) else {
        return false;
    };
    let m = digits(after);
    n > 0 && m > 0 && rest[..n].parse::<u32>().ok() >= after[..m].parse::<u32>().ok()
}

/// Whether `head` ends with a pair of numbers joined by a dash, maybe then a space ("7-6 ").
fn score_pair_ends(head: &str) -> bool {
    let head = head.strip_suffix(' ').unwrap_or(head);
    let tail = head.bytes().rev().take_while(u8::is_ascii_digit).count();
    tail > 0
        && head[..head.len() - tail]
            .strip_suffix(['-', '–'])
            .is_some_and(|r| r.ends_with(|c: char| c.is_ascii_digit()))
}

/// Whether a score (a descending pair, "6-3, ") comes just before; see [`score_pair_follows`].
fn score_pair_precedes(head: &str) -> bool {
    let head = head.trim_end_matches([' ', '\u{a0}']);
    let head = head.strip_suffix(',').unwrap_or(head);
    let head = head.strip_suffix(')').map_or(head, |h| {
        h.trim_end_matches(|c: char| c.is_ascii_digit())
            .strip_suffix('(')
            .unwrap_or(h)
    });
    let b = head.as_bytes();
    let tail = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if tail == 0 {
        return false;
    }
    let second = &head[head.len() - tail..];
    let Some(rest) = head[..head.len() - tail].strip_suffix(['-', '–']) else {
        return false;
    };
    let lead = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    let first = &rest[rest.len() - lead..];
    lead > 0 && first.parse::<u32>().ok() >= second.parse::<u32>().ok()
}

/// Range separators after a first number, and whether each is a dash (else "to"/"and").
const DASHES: [&str; 6] = ["–", "—", " – ", " — ", "-", " - "];

/// Reads the other end of a range after `sep`: the side, if a number follows.
fn range_end(text: &str, first_end: usize, sep: &str, notation: Notation) -> Option<Side> {
    let after = text[first_end..].strip_prefix(sep)?;
    let at = first_end + sep.len();
    let lead = after.len()
        - after
            .trim_start_matches(['$', '€', '£', '¥', ' ', '-', '−'])
            .len();
    if !text
        .as_bytes()
        .get(at + lead)
        .is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let side = read_side(text, at + lead, true, notation).ok()?;
    (side.prefix.start >= at || side.prefix.start == at + lead).then_some(side)
}

fn read_figure(text: &str, start: usize, notation: Notation) -> Read {
    let first = match read_side(text, start, false, notation) {
        Ok(side) => side,
        Err(end) => return Read::Skip(end),
    };
    let value = |s: &Side, scale: f64| {
        let sign = if s.prefix.negative { -1.0 } else { 1.0 };
        sign * s.number.value * s.scale.unwrap_or(scale)
    };
    let plain =
        |s: &Side| s.number.plain_int_digits > 0 && s.scale.is_none() && s.unit == Unit::None;
    // "$60 to 65 billion" and "8 to 10%" are ranges; "fell 1.2% to 5,600" is not.
    let compatible = |a: &Side, b: &Side| {
        a.unit == Unit::None
            || a.unit.agrees(b.unit)
            || (b.unit == Unit::None && matches!(a.unit, Unit::Currency(_)))
    };
    // A range needs a cue: "between 60 and 65", "60–65 billion", "$60 billion to $65 billion"
    // (units that agree, and no "from": "from 18% to 27%" is a change, two figures). Its ends
    // ascend: "98-91" is a score, and neither number is a figure.
    // "from 18% to 27%" and "cut by 30 to 126" are changes, not ranges.
    let change_cue = word_before(text, first.prefix.start);
    let from = change_cue.eq_ignore_ascii_case("from") || change_cue.eq_ignore_ascii_case("by");
    let seps: &[&str] = if first.prefix.between {
        &[" and ", " to ", "–", "-"]
    } else if from {
        &[]
    } else {
        &["–", "—", " – ", " — ", " to ", "-", " - "]
    };
    let mut second = None;
    for sep in seps {
        let Some(side) = range_end(text, first.end, sep, notation) else {
            continue;
        };
        if !compatible(&first, &side) {
            break;
        }
        let shared_scale = first.scale.or(side.scale).unwrap_or(1.0);
        let descending = value(&side, shared_scale) <= value(&first, shared_scale);
        // A run of dash pairs is a list of scores: "6-3, 3-6, 7-6".
        if DASHES.contains(sep)
            && plain(&first)
            && plain(&side)
            && (score_pair_follows(&text[side.end..])
                || score_pair_precedes(&text[..first.prefix.start]))
        {
            return Read::Skip(side.end);
        }
        if descending {
            if DASHES.contains(sep) && plain(&first) && plain(&side) && !first.prefix.between {
                return Read::Skip(side.end);
            }
            break;
        }
        second = Some(side);
        break;
    }
    // A lone year is a name or a date, not a figure; a hedged one is a count ("more than 2000").
    let is_year = |s: &Side| {
        s.number.plain_int_digits == 4
            && s.scale.is_none()
            && s.unit == Unit::None
            && s.prefix.hedge == Hedge::Exact
            && (1800.0..=2100.0).contains(&s.number.value)
    };
    if is_year(&first) && second.as_ref().is_none_or(is_year) {
        return Read::Skip(second.map_or(first.end, |s| s.end));
    }
    let (unit, scale, end) = match &second {
        Some(s) => {
            let unit = if first.unit == Unit::None {
                s.unit
            } else {
                first.unit
            };
            (unit, first.scale.or(s.scale).unwrap_or(1.0), s.end)
        }
        None => (first.unit, first.scale.unwrap_or(1.0), first.end),
    };
    let low = value(&first, scale);
    let mut precision = first.number.half_ulp * scale;
    let high = match &second {
        Some(s) => {
            precision = precision.min(s.number.half_ulp * s.scale.unwrap_or(scale));
            value(s, scale)
        }
        None => low,
    };
    let start = first.prefix.start;
    let figure = Figure {
        low: low.min(high),
        high: low.max(high),
        precision,
        unit,
        hedge: first.prefix.hedge,
        range: second.is_some(),
        scale,
        span: start..end,
        core_start: first.prefix.core,
        text: text[start..end].trim().to_string(),
        notation_decided: first.number.notation_decided
            || second.as_ref().is_some_and(|s| s.number.notation_decided),
        other_reading: (second.is_none() && first.number.dot_thousands).then_some(1000.0),
        other_unit: second.as_ref().map_or(first.other_unit, |s| s.other_unit),
    };
    Read::Figure(figure, end)
}

/// A year-like integer read as a plain number (for claims and cells).
fn year_figure(
    text: &str,
    start: usize,
    skip_end: usize,
    notation: Notation,
) -> Option<(Figure, usize)> {
    let number = read_number(text, start, notation)?;
    if number.plain_int_digits != 4 || number.end > skip_end {
        return None;
    }
    if prev_char(text, start).is_some_and(is_word_char) {
        return None;
    }
    let next = next_char(text, number.end);
    if next.is_some_and(|c| is_word_char(c) || c == '-' || c == ':') {
        return None;
    }
    let prefix = read_prefix(text, start);
    let value = if prefix.negative {
        -number.value
    } else {
        number.value
    };
    Some((
        Figure {
            low: value,
            high: value,
            precision: 0.5,
            unit: Unit::None,
            hedge: prefix.hedge,
            range: false,
            scale: 1.0,
            span: prefix.start..number.end,
            core_start: prefix.core,
            text: text[prefix.start..number.end].trim().to_string(),
            notation_decided: false,
            other_reading: None,
            other_unit: None,
        },
        number.end,
    ))
}
