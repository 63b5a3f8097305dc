//! The words around a number: scale words and suffixes, percent words, month names for day
//! numbers, durations in compounds, and the one-byte indexes that keep their lookups cheap.

use std::sync::LazyLock;

use super::index::ByteIndex;
use super::units::CURRENCY_AFTER;
use super::{Hedge, Unit};
use crate::text::is_word_char;

/// The character before byte `i`.
#[inline]
pub(super) fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The character at byte `i`.
#[inline]
pub(super) fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// English month names, for day numbers written beside an abbreviation (`Sept`).
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

/// The month a word names, in full or abbreviated (`Jan`, `Jan.`, `Sept`, `März`, `janv.`):
/// 1 to 12.
#[inline]
pub(crate) fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.');
    if w.chars().count() < 3 {
        return None;
    }
    if let Some(m) = super::date::month_of(w) {
        return Some(m);
    }
    if !w.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.len() >= w.len() && m[..w.len()].eq_ignore_ascii_case(w))
        .and_then(|p| u8::try_from(p + 1).ok())
}

/// The word just before byte `i`, skipping spaces and one `.` or `,`.
#[inline]
pub(super) fn word_before(text: &str, i: usize) -> &str {
    let head = text[..i].trim_end_matches([' ', '\u{a0}']);
    trailing_word(head.strip_suffix(['.', ',']).unwrap_or(head))
}

/// The letters `head` ends with (empty when it ends with anything else).
#[inline]
pub(super) fn trailing_word(head: &str) -> &str {
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(j, c)| j + c.len_utf8());
    &head[start..]
}

/// The word just after byte `i`, skipping one `.` (`14. März`) and spaces.
#[inline]
pub(super) fn word_after(text: &str, i: usize) -> &str {
    let tail = &text[i..];
    let tail = tail.strip_prefix(". ").unwrap_or(tail);
    let tail = tail.trim_start_matches([' ', '\u{a0}']);
    let end = tail
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(tail.len(), |(j, _)| j);
    &tail[..end]
}

/// Percent and percentage points in words, longest first.
pub(super) const UNIT_WORDS: [(&str, Unit); 8] = [
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
#[inline]
pub(super) fn word_suffix<T: Copy>(
    text: &str,
    at: usize,
    words: &[(&str, T)],
    index: &ByteIndex,
) -> Option<(usize, T)> {
    let rest = &text[at..];
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let gap = rest.len() - trimmed.len();
    if gap > 2 {
        return None;
    }
    // Only the words that start with the byte that follows.
    let first = *trimmed.as_bytes().first()?;
    index.get(first).find_map(|i| {
        let (word, meaning) = &words[i];
        let head = trimmed.get(..word.len())?;
        let boundary = trimmed[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_word_char(c));
        (head.eq_ignore_ascii_case(word) && boundary).then_some((gap + word.len(), *meaning))
    })
}

pub(super) static SCALE_INDEX: LazyLock<ByteIndex> =
    LazyLock::new(|| ByteIndex::first(SCALE_WORDS.iter().map(|w| w.0)));
pub(super) static UNIT_INDEX: LazyLock<ByteIndex> =
    LazyLock::new(|| ByteIndex::first(UNIT_WORDS.iter().map(|w| w.0)));
pub(super) static CURRENCY_AFTER_INDEX: LazyLock<ByteIndex> =
    LazyLock::new(|| ByteIndex::first(CURRENCY_AFTER.iter().map(|w| w.0)));
pub(super) static HEDGE_INDEX: LazyLock<ByteIndex> =
    LazyLock::new(|| ByteIndex::last(Hedge::WORDS.iter().map(|w| w.0)));

/// Scale words after a number (with a space) and suffixes (attached).
pub(super) const SCALE_WORDS: [(&str, f64); 43] = [
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("mn", 1e6),
    ("bn", 1e9),
    ("tn", 1e12),
    // The scale words of other languages' news, so "25 Mio.", "10 millones" and
    // "100 milionů" read as they do in English.
    ("mil millones", 1e9),
    ("millones", 1e6),
    ("millón", 1e6),
    ("billones", 1e12),
    ("mil", 1e3),
    ("millions", 1e6),
    ("milliards", 1e9),
    ("milliard", 1e9),
    ("Millionen", 1e6),
    ("Milliarden", 1e9),
    ("Billionen", 1e12),
    ("Mio.", 1e6),
    ("Mio", 1e6),
    ("Mrd.", 1e9),
    ("Mrd", 1e9),
    ("Tsd.", 1e3),
    ("milioni", 1e6),
    ("miliardi", 1e9),
    ("milhões", 1e6),
    ("bilhões", 1e9),
    ("milionů", 1e6),
    ("miliónů", 1e6),
    ("miliardy", 1e9),
    ("miliard", 1e9),
    ("milionów", 1e6),
    ("miljoen", 1e6),
    ("miljard", 1e9),
    ("mln.", 1e6),
    ("mln", 1e6),
    ("mld.", 1e9),
    ("mld", 1e9),
    ("млн", 1e6),
    ("млрд", 1e9),
    ("тыс.", 1e3),
    ("lakh", 1e5),
    ("crore", 1e7),
];

#[inline]
pub(super) fn attached_scale(s: &str, money: bool) -> Option<(f64, usize)> {
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
        ("百万", 1e6),
        ("万", 1e4),
        ("亿", 1e8),
        ("千", 1e3),
    ] {
        if suffix == "m" && !money {
            continue;
        }
        if let Some(rest) = s.strip_prefix(suffix)
            && rest.chars().next().is_none_or(|c| !is_word_char(c))
        {
            return Some((scale, suffix.len()));
        }
    }
    None
}

/// Whether `s` ends with `suffix`, ignoring ASCII case, without copying `s`.
#[inline]
pub(super) fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// Whether `word` (after a number and a hyphen) starts with a unit of time.
#[inline]
pub(super) fn duration_word(word: &str) -> bool {
    const UNITS: [&str; 9] = [
        "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
    ];
    let head = word
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let singular = head.strip_suffix('s').unwrap_or(&head);
    UNITS.contains(&singular)
}
