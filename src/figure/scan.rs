//! Finding figures in text: numbers with separators, decimals, sign, scale, currency, percent,
//! ranges and hedges; and leaving alone the numbers that are part of names, versions, dates,
//! times and years.

use super::{Figure, FigureError, Hedge, Unit};

/// Every figure in `text`, in order, with its span (hedge included).
///
/// Numbers inside words or names (`H800`, `GPT-4o`, `Llama3.1`, `R1-Zero`, `Pass@1`), version
/// strings (`0.6.6`), times (`21:49`), dates (`2025-01-15`, `January 27, 2025`) and years used
/// alone (`AIME 2024`) are not figures. Markdown or HTML markup around a number (`**79.8**`,
/// `<b>79.8</b>`) does not stop it being read, and LaTeX-style `$0.6$` is a plain number, not
/// money.
pub fn scan(text: &str) -> Vec<Figure> {
    scan_with(text, false)
}

/// The one figure a claim states, such as `"about $5.6 million"` or `"more than -4%"`.
pub fn parse_claimed(text: &str) -> Result<Figure, FigureError> {
    let mut found = scan_all(text);
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
    scan_all(text).into_iter().next()
}

/// Like [`scan`], but years count: in a claim or a cell, `2024` is a number.
fn scan_all(text: &str) -> Vec<Figure> {
    scan_with(text, true)
}

/// Reads every figure from left to right; with `years`, lone four-digit years count too.
fn scan_with(text: &str, years: bool) -> Vec<Figure> {
    let mut figures = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        match read_figure(text, i) {
            Read::Figure(figure, end) => {
                i = end.max(i + 1);
                figures.push(figure);
            }
            Read::Skip(end) => match year_figure(text, i, end).filter(|_| years) {
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

/// A number as written: its digits, where it ends, and how precise it is.
struct Number {
    value: f64,
    /// Half a unit of the last digit.
    half_ulp: f64,
    end: usize,
    /// Integer digits with no separator and no decimals (a year candidate).
    plain_int_digits: usize,
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names, in full or abbreviated (`Jan`, `Jan.`, `Sept`): 1 to 12.
pub(crate) fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 || !w.chars().all(char::is_alphabetic) {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .and_then(|p| u8::try_from(p + 1).ok())
}

/// The word just before byte `i`, skipping spaces and one `.` or `,`.
fn word_before(text: &str, i: usize) -> &str {
    let head = text[..i].trim_end_matches([' ', '\u{a0}']);
    let head = head.strip_suffix(['.', ',']).unwrap_or(head);
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(j, c)| j + c.len_utf8());
    &head[start..]
}

/// The word just after byte `i`, skipping spaces.
fn word_after(text: &str, i: usize) -> &str {
    let tail = text[i..].trim_start_matches([' ', '\u{a0}']);
    let end = tail
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(tail.len(), |(j, _)| j);
    &tail[..end]
}

/// Reads the digits at `start`: thousands separators, decimals, and where they end.
///
/// A separator (`,`, a thin, no-break or plain space, the same one throughout) counts only after
/// a first group of one to three digits and before exactly three digits not followed by a fourth.
fn read_number(text: &str, start: usize) -> Option<Number> {
    let b = text.as_bytes();
    let mut i = start;
    let mut digits = String::new();
    while i < b.len() && b[i].is_ascii_digit() {
        digits.push(char::from(b[i]));
        i += 1;
    }
    let mut grouped = false;
    if digits.len() <= 3 {
        let mut separator = None;
        while let Some(c) = next_char(text, i) {
            let is_separator = matches!(c, ',' | ' ' | '\u{2009}' | '\u{202f}' | '\u{a0}');
            if !is_separator || separator.is_some_and(|s| s != c) {
                break;
            }
            let after = i + c.len_utf8();
            if !three_digits_then_boundary(b, after) {
                break;
            }
            separator = Some(c);
            digits.push_str(&text[after..after + 3]);
            i = after + 3;
            grouped = true;
        }
    }
    let int_digits = digits.len();
    let mut decimals = 0;
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        digits.push('.');
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            digits.push(char::from(b[i]));
            decimals += 1;
            i += 1;
        }
    }
    let value: f64 = digits.parse().ok()?;
    Some(Number {
        value,
        half_ulp: 0.5 * 10f64.powi(-decimals),
        end: i,
        plain_int_digits: if grouped || decimals > 0 {
            0
        } else {
            int_digits
        },
    })
}

fn three_digits_then_boundary(b: &[u8], i: usize) -> bool {
    i + 3 <= b.len()
        && b[i..i + 3].iter().all(u8::is_ascii_digit)
        && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit())
}

/// Currency symbols and words before a number, longest first.
const CURRENCY_BEFORE: [(&str, &str); 12] = [
    ("US$", "USD"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
    ("JPY", "JPY"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY/CNY"),
    ("￥", "JPY/CNY"),
];

/// Currency codes and words after a number.
const CURRENCY_AFTER: [(&str, &str); 14] = [
    ("usd", "USD"),
    ("eur", "EUR"),
    ("gbp", "GBP"),
    ("cny", "CNY"),
    ("rmb", "CNY"),
    ("jpy", "JPY"),
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("yen", "JPY"),
];

/// Percent and percentage points in words, longest first.
const UNIT_WORDS: [(&str, Unit); 8] = [
    ("percentage points", Unit::Points),
    ("percentage point", Unit::Points),
    ("per cent", Unit::Percent),
    ("percent", Unit::Percent),
    ("pct", Unit::Percent),
    ("ppts", Unit::Points),
    ("ppt", Unit::Points),
    ("pp", Unit::Points),
];

/// A word (from `words`) after byte `at`, past at most one space: its length with the space,
/// and what it means.
fn word_suffix<T: Copy>(text: &str, at: usize, words: &[(&str, T)]) -> Option<(usize, T)> {
    let rest = &text[at..];
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let gap = rest.len() - trimmed.len();
    if gap > 2 {
        return None;
    }
    words.iter().find_map(|(word, meaning)| {
        let head = trimmed.get(..word.len())?;
        let boundary = trimmed[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        (head.eq_ignore_ascii_case(word) && boundary).then_some((gap + word.len(), *meaning))
    })
}

/// Scale words after a number (with a space) and suffixes (attached).
const SCALE_WORDS: [(&str, f64); 7] = [
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("mn", 1e6),
    ("bn", 1e9),
    ("tn", 1e12),
];

fn attached_scale(s: &str, money: bool) -> Option<(f64, usize)> {
    for (suffix, scale) in [
        ("bn", 1e9),
        ("mn", 1e6),
        ("tn", 1e12),
        ("K", 1e3),
        ("k", 1e3),
        ("M", 1e6),
        ("B", 1e9),
        ("T", 1e12),
        ("m", 1e6),
    ] {
        if suffix == "m" && !money {
            continue;
        }
        if let Some(rest) = s.strip_prefix(suffix)
            && rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
        {
            return Some((scale, suffix.len()));
        }
    }
    None
}

/// What comes before the digits at `start`: sign, currency, hedge; returns the figure's start.
struct Prefix {
    start: usize,
    negative: bool,
    currency: Option<&'static str>,
    latex: bool,
    hedge: Hedge,
    between: bool,
}

fn read_prefix(text: &str, start: usize) -> Prefix {
    let mut p = Prefix {
        start,
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
    for (sym, code) in CURRENCY_BEFORE {
        let spaced = head.trim_end_matches([' ', '\u{a0}']);
        let candidate = if sym.chars().all(char::is_alphabetic) {
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
    // Comparison signs and hedge words.
    let head = text[..at].trim_end_matches([' ', '\u{a0}']);
    for (sign, hedge) in [
        (">=", Hedge::AtLeast),
        ("≥", Hedge::AtLeast),
        ("<=", Hedge::AtMost),
        ("≤", Hedge::AtMost),
        (">", Hedge::MoreThan),
        ("<", Hedge::LessThan),
    ] {
        if let Some(rest) = head.strip_suffix(sign)
            && prev_char(rest, rest.len()).is_none_or(|c| c.is_whitespace() || c == '(')
        {
            p.hedge = hedge;
            at = rest.len();
            break;
        }
    }
    if p.hedge == Hedge::Exact {
        for (words, hedge) in Hedge::WORDS {
            if ends_with_ignore_case(head, words) {
                let begin = head.len() - words.len();
                if prev_char(head, begin).is_none_or(|c| !c.is_alphanumeric()) {
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

/// Whether `s` ends with `suffix`, ignoring ASCII case, without copying `s`.
fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// One side of a figure: the number with its prefix and suffix.
struct Side {
    prefix: Prefix,
    number: Number,
    scale: Option<f64>,
    unit: Unit,
    end: usize,
}

/// Reads a number at `start` (a digit) with its prefix and suffix; `None` when it is part of a
/// name, a version, a date or a time.
fn read_side(text: &str, start: usize, range_end: bool) -> Result<Side, usize> {
    let b = text.as_bytes();
    let skip_token = |from: usize| {
        from + text[from..]
            .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))
            .unwrap_or(text.len() - from)
    };
    // Attached to a word or name: H800, GPT-4o, Llama3.1, R1-Zero, Pass@1, v0.6.
    match prev_char(text, start) {
        Some(c) if c.is_alphanumeric() || c == '_' || c == '@' || c == '#' => {
            return Err(skip_token(start));
        }
        Some('.') if prev_char(text, start - 1).is_some_and(|c| c.is_ascii_digit()) => {
            return Err(skip_token(start));
        }
        Some(c @ ('-' | '–' | '/' | ':')) if !range_end => {
            let before = prev_char(text, start - c.len_utf8());
            if before.is_some_and(|x| x.is_alphanumeric()) {
                return Err(skip_token(start));
            }
        }
        _ => {}
    }
    let Some(number) = read_number(text, start) else {
        return Err(start + 1);
    };
    let mut end = number.end;
    // Version strings (0.6.6), times (21:49), ISO dates (2025-01-15).
    if end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        return Err(skip_token(start));
    }
    if end + 1 < b.len() && (b[end] == b':') && b[end + 1].is_ascii_digit() {
        return Err(skip_token(end + 1));
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
    let money = prefix.currency.is_some() && !prefix.latex;
    let mut scale = None;
    if let Some((s, len)) = attached_scale(&text[end..], money) {
        scale = Some(s);
        end += len;
    } else if let Some((len, s)) = word_suffix(text, end, &SCALE_WORDS) {
        scale = Some(s);
        end += len;
    }
    // LaTeX: `$0.6$` is a number between math delimiters, not money.
    let latex_math = prefix.latex && next_char(text, end) == Some('$');
    let mut unit = match prefix.currency {
        Some(code) if !latex_math => Unit::Currency(code),
        _ => Unit::None,
    };
    // Percent, percentage points, or a currency written after.
    let rest = &text[end..];
    let gap = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
    if gap <= 1 && rest[gap..].starts_with('%') {
        unit = Unit::Percent;
        end += gap + 1;
    } else if let Some((len, u)) = word_suffix(text, end, &UNIT_WORDS) {
        unit = u;
        end += len;
    } else if unit == Unit::None
        && let Some((len, code)) = word_suffix(text, end, &CURRENCY_AFTER)
    {
        unit = Unit::Currency(code);
        end += len;
    }
    // Attached letters left over: "4o", "2nd", "3D", "800x".
    if unit == Unit::None
        && scale.is_none()
        && next_char(text, end).is_some_and(|c| c.is_alphabetic())
    {
        return Err(skip_token(start));
    }
    Ok(Side {
        prefix,
        number,
        scale,
        unit,
        end,
    })
}

fn read_figure(text: &str, start: usize) -> Read {
    let first = match read_side(text, start, false) {
        Ok(side) => side,
        Err(end) => return Read::Skip(end),
    };
    // A range: "60–65 billion", "$60 billion to $65 billion", "between 60 and 65", "1B to 33B".
    let mut second = None;
    let rest = &text[first.end..];
    let seps: &[&str] = if first.prefix.between {
        &[" and ", " to ", "–", "-"]
    } else {
        &["–", "—", " – ", " — ", " to ", "-", " - "]
    };
    for sep in seps {
        if let Some(after) = rest.strip_prefix(sep) {
            let at = first.end + sep.len();
            let lead = after.len()
                - after
                    .trim_start_matches(['$', '€', '£', '¥', ' ', '-', '−'])
                    .len();
            if text
                .as_bytes()
                .get(at + lead)
                .is_some_and(u8::is_ascii_digit)
                && let Ok(side) = read_side(text, at + lead, true)
                && (side.prefix.start >= at || side.prefix.start == at + lead)
            {
                second = Some(side);
                break;
            }
        }
    }
    // A lone year is a name or a date, not a figure.
    let is_year = |s: &Side| {
        s.number.plain_int_digits == 4
            && s.scale.is_none()
            && s.unit == Unit::None
            && (1800.0..=2100.0).contains(&s.number.value)
    };
    if is_year(&first) && second.as_ref().is_none_or(is_year) {
        return Read::Skip(second.map_or(first.end, |s| s.end));
    }
    let scale_of = |s: &Side| s.scale.unwrap_or(1.0);
    let (unit, scale, end) = match &second {
        Some(s) => {
            let unit = if first.unit == Unit::None {
                s.unit
            } else {
                first.unit
            };
            (unit, first.scale.or(s.scale).unwrap_or(1.0), s.end)
        }
        None => (first.unit, scale_of(&first), first.end),
    };
    let sign = |s: &Side| if s.prefix.negative { -1.0 } else { 1.0 };
    let low = sign(&first) * first.number.value * scale;
    let mut precision = first.number.half_ulp * scale;
    let high = match &second {
        Some(s) => {
            let s_scale = s.scale.unwrap_or(scale);
            precision = precision.min(s.number.half_ulp * s_scale);
            sign(s) * s.number.value * s_scale
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
        text: text[start..end].trim().to_string(),
    };
    Read::Figure(figure, end)
}

/// A year-like integer read as a plain number (for claims and cells).
fn year_figure(text: &str, start: usize, skip_end: usize) -> Option<(Figure, usize)> {
    let number = read_number(text, start)?;
    if number.plain_int_digits != 4 || number.end > skip_end {
        return None;
    }
    if prev_char(text, start).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let next = next_char(text, number.end);
    if next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == ':') {
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
            text: text[prefix.start..number.end].trim().to_string(),
        },
        number.end,
    ))
}
