//! Reading the digits of a number: thousands separators and the decimal mark, by the page's
//! notation, and how precise the number is as written.

use super::Notation;
use super::words::next_char;

/// A number as written: its digits, where it ends, and how precise it is.
pub(super) struct Number {
    pub(super) value: f64,
    /// Half a unit of the last digit.
    pub(super) half_ulp: f64,
    pub(super) end: usize,
    /// Integer digits with no separator and no decimals (a year candidate).
    pub(super) plain_int_digits: usize,
    /// Whether the notation decided the value (a `.` read as a thousands separator, a `,` as
    /// the decimal mark).
    pub(super) notation_decided: bool,
    /// `1.000` with a decimal point: 1, or 1,000 if the writer meant a thousands separator.
    pub(super) dot_thousands: bool,
}

/// Reads the digits at `start`: thousands separators, decimals, and where they end.
///
/// A separator (`,` with a decimal point, `.` with a decimal comma; a thin, no-break or plain
/// space in either; the same one throughout) counts only after a first group of one to three
/// digits and before exactly three digits not followed by a fourth.
#[inline]
pub(super) fn read_number(text: &str, start: usize, notation: Notation) -> Option<Number> {
    let b = text.as_bytes();
    let (group_mark, decimal_mark) = match notation {
        Notation::Point => (',', b'.'),
        Notation::Comma => ('.', b','),
    };
    let mut i = start;
    let mut digits = String::new();
    while i < b.len() && b[i].is_ascii_digit() {
        digits.push(char::from(b[i]));
        i += 1;
    }
    let mut grouped = false;
    let mut decided = false;
    if digits.len() <= 3 {
        let mut separator = None;
        let mut groups = 0;
        let before_groups = (i, digits.len());
        while let Some(c) = next_char(text, i) {
            let is_separator =
                c == group_mark || matches!(c, ' ' | '\u{2009}' | '\u{202f}' | '\u{a0}');
            if !is_separator || separator.is_some_and(|s| s != c) {
                break;
            }
            let after = i + c.len_utf8();
            if !three_digits_then_boundary(b, after) {
                break;
            }
            separator = Some(c);
            decided |= c == '.';
            digits.push_str(&text[after..after + 3]);
            i = after + 3;
            grouped = true;
            groups += 1;
        }
        // A plain space between one group and the next is no separator in English prose
        // ("roughly 400 737 Max jets"); "5 576 000" (two groups) and French "25 000" are.
        if separator == Some(' ') && groups == 1 && notation == Notation::Point {
            (i, grouped) = (before_groups.0, false);
            digits.truncate(before_groups.1);
        }
    }
    let int_digits = digits.len();
    let mut decimals = 0;
    // The decimal mark; with a decimal comma, a point that is no thousands separator is still a
    // decimal point ("3.5 GHz" on a German page).
    let is_decimal = |c: u8| c == decimal_mark || (notation == Notation::Comma && c == b'.');
    if i + 1 < b.len() && is_decimal(b[i]) && b[i + 1].is_ascii_digit() {
        decided |= b[i] == b',';
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
        notation_decided: decided,
        dot_thousands: notation == Notation::Point
            && !grouped
            && decimals == 3
            && (1..=3).contains(&int_digits)
            && b[start] != b'0'
            && b.get(i) != Some(&b'.'),
    })
}

/// Three digits at `i`, then no fourth digit (`1,234` groups; `1,2345` does not).
#[inline]
pub(super) fn three_digits_then_boundary(b: &[u8], i: usize) -> bool {
    i + 3 <= b.len()
        && b[i..i + 3].iter().all(u8::is_ascii_digit)
        && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit())
}
