//! Text normalisation for matching, with a map back to the readable text for excerpts.
//!
//! Both sides of a text check are normalised the same way (FORMAT.md, "Checks"): Unicode NFKC,
//! case folded (unless asked not to) with Unicode's full case folding (CaseFolding.txt, status C
//! and F: `ß` folds to `ss`, final `ς` to `σ`), runs of white space collapsed to one space, curly
//! quotes and dashes made plain. Markup is removed before this, when a page is read ([`crate::page`]) and,
//! for the needle, by [`strip_inline_markup`].

use std::ops::Range;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, is_nfkc_quick};

/// The default length of an evidence excerpt, in characters.
pub const DEFAULT_EXCERPT_CHARS: usize = 200;

/// A normalised text and, for every byte of it, the byte in the original where it came from.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Where each byte of `text` comes from, as runs in order ([`Normalized::origin_of`]); a
    /// last run maps the end of `text` to the end of the original.
    origin: Vec<Run>,
}

/// Normalised bytes from `norm` up to the next run's start, which come from the original's
/// bytes from `orig` on: one for one when `copied` (ASCII copied as it stands), else all from
/// the character at `orig` (the bytes of one character's normal form).
///
/// Most of a page is ASCII copied a word at a time, so a run stands for a word or a whole line
/// where a byte each took 8 bytes of map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    norm: usize,
    orig: usize,
    copied: bool,
}

impl Normalized {
    /// Normalises `original`, folding case unless `case_sensitive`.
    ///
    /// Every normalised byte maps back to the original character (with the combining marks after
    /// it) that produced it, so a fold that grows (`ß` → `ss`) maps both bytes to the `ß`.
    pub fn new(original: &str, case_sensitive: bool) -> Normalized {
        let mut out = Builder::new(original, case_sensitive);
        let bytes = original.as_bytes();
        let mut group = String::new();
        let mut at = 0;
        while at < bytes.len() {
            // ASCII is its own NFKC form and already plain: most of any page, copied a run at a
            // time, except a character that a combining mark follows.
            let run = at + first_non_ascii(&bytes[at..]);
            let marked = run < bytes.len()
                && original[run..]
                    .chars()
                    .next()
                    .is_some_and(is_combining_mark);
            let plain_end = if marked && run > at { run - 1 } else { run };
            out.push_ascii(&original[at..plain_end], at);
            at = plain_end;
            let Some(c) = original[at..].chars().next() else {
                break;
            };
            let mut next = at + c.len_utf8();
            // A character no mark follows, which the quick check finds in NFKC already (curly
            // quotes, dashes, accented letters: most non-ASCII text), is its own normal form.
            if !original[next..]
                .chars()
                .next()
                .is_some_and(is_combining_mark)
                && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
            {
                out.push(plain(c), at);
                at = next;
                continue;
            }
            // A base character and the combining marks after it normalise together.
            group.clear();
            group.push(c);
            for m in original[next..].chars() {
                if !is_combining_mark(m) {
                    break;
                }
                group.push(m);
                next += m.len_utf8();
            }
            for n in group.nfkc() {
                out.push(plain(n), at);
            }
            at = next;
        }
        out.finish(original.len())
    }

    /// The byte of the original that normalised byte `i` comes from; the end of the original
    /// for the end of the text (and past it).
    fn origin_of(&self, i: usize) -> usize {
        let i = i.min(self.text.len());
        let k = self.origin.partition_point(|r| r.norm <= i);
        let Some(run) = k.checked_sub(1).and_then(|k| self.origin.get(k)) else {
            return 0;
        };
        if run.copied {
            run.orig + (i - run.norm)
        } else {
            run.orig
        }
    }

    /// Maps a byte range of the normalised text back to a byte range of the original.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.origin_of(range.start);
        let end = if range.end == 0 {
            start
        } else {
            // The end is just past the original character that produced the last byte: where
            // the next original character starts. A range that ends inside the expansion of one
            // character (`ß` folded to `ss`, `…` made `...`) ends after that whole character.
            let last = self.origin_of(range.end - 1);
            (range.end.min(self.text.len())..=self.text.len())
                .map(|i| self.origin_of(i))
                .find(|&o| o != last)
                .unwrap_or(last + 1)
        };
        start..end.max(start)
    }

    /// Finds `needle` (already normalised) where it starts and ends at word boundaries.
    ///
    /// A needle that begins (ends) with a letter or digit must not be preceded (followed) by one,
    /// so `MIT` does not match inside `SUBMIT`.
    pub fn find(&self, needle: &str) -> Option<Range<usize>> {
        self.matches(needle).next()
    }

    /// Every non-overlapping place where `needle` (already normalised) occurs at word
    /// boundaries, as byte ranges of the normalised text.
    pub fn find_all(&self, needle: &str) -> Vec<Range<usize>> {
        self.matches(needle).collect()
    }

    /// The places where `needle` occurs at word boundaries, left to right, not overlapping.
    fn matches<'a>(&'a self, needle: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let hay = self.text.as_str();
        let mut from = 0;
        std::iter::from_fn(move || {
            if needle.is_empty() {
                return None;
            }
            while let Some(i) = hay.get(from..)?.find(needle) {
                let start = from + i;
                let end = start + needle.len();
                if at_boundary(hay, start, end, needle) {
                    from = end;
                    return Some(start..end);
                }
                from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
            }
            None
        })
    }
}

/// A normalised text being built: white space collapsed, case folded, each byte mapped back.
struct Builder {
    text: String,
    origin: Vec<Run>,
    /// The map a byte at a time, as it was before runs, which the runs must agree with.
    #[cfg(test)]
    flat: Vec<usize>,
    /// Where a run of white space began, while it waits for the next character.
    pending_space: Option<usize>,
    case_sensitive: bool,
}

impl Builder {
    fn new(original: &str, case_sensitive: bool) -> Builder {
        Builder {
            text: String::with_capacity(original.len()),
            origin: Vec::new(),
            #[cfg(test)]
            flat: Vec::new(),
            pending_space: None,
            case_sensitive,
        }
    }

    /// Adds `n`, a normalised character of the original's character at byte `at`.
    #[inline]
    fn push(&mut self, n: char, at: usize) {
        if n.is_whitespace() {
            if !self.text.is_empty() && self.pending_space.is_none() {
                self.pending_space = Some(at);
            }
            return;
        }
        if let Some(space) = self.pending_space.take() {
            self.map(1, space, true);
            self.text.push(' ');
        }
        if self.case_sensitive {
            self.push_mapped(n, at);
        } else if n.is_ascii() {
            self.push_mapped(n.to_ascii_lowercase(), at);
        } else {
            for l in std::iter::once(n).default_case_fold() {
                self.push_mapped(l, at);
            }
        }
    }

    /// Adds `ascii`, which starts at byte `at` of the original: white space collapsed, and
    /// each stretch of words with one space between them copied whole (and lowercased unless
    /// case-sensitive).
    fn push_ascii(&mut self, ascii: &str, at: usize) {
        // The ASCII characters `char::is_whitespace` takes: tab, line feed, vertical tab, form
        // feed, carriage return and space.
        let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
        let bytes = ascii.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if space(bytes[i]) {
                if !self.text.is_empty() && self.pending_space.is_none() {
                    self.pending_space = Some(at + i);
                }
                i += 1;
                continue;
            }
            // A stretch up to the next control character (white space other than a space is
            // one) or two spaces in a row, without a last space (which waits, as the next
            // character may be white space too): its single spaces are kept as they stand.
            let control = i + first_control(&bytes[i..]);
            let double = memchr::memmem::find(&bytes[i..control], b"  ").map_or(control, |p| i + p);
            let end = if double == i {
                // A control character that is not white space.
                i + 1
            } else if bytes[double - 1] == b' ' {
                double - 1
            } else {
                double
            };
            if let Some(space) = self.pending_space.take() {
                self.map(1, space, true);
                self.text.push(' ');
            }
            let from = self.text.len();
            self.map(end - i, at + i, true);
            self.text.push_str(&ascii[i..end]);
            if !self.case_sensitive {
                self.text[from..].make_ascii_lowercase();
            }
            i = end;
        }
    }

    #[inline]
    fn push_mapped(&mut self, c: char, at: usize) {
        self.map(c.len_utf8(), at, false);
        self.text.push(c);
    }

    /// Maps the next `len` bytes of the text, about to be pushed, to the original from `orig`:
    /// one for one when `copied`, else all to `orig`. A run that goes on from the last one
    /// extends it.
    #[inline]
    fn map(&mut self, len: usize, orig: usize, copied: bool) {
        #[cfg(test)]
        self.flat
            .extend((0..len).map(|i| if copied { orig + i } else { orig }));
        let norm = self.text.len();
        // One byte is copied either way.
        let copied = copied || len == 1;
        if let Some(last) = self.origin.last() {
            let goes_on = if last.copied {
                copied && last.orig + (norm - last.norm) == orig
            } else {
                !copied && last.orig == orig
            };
            if goes_on {
                return;
            }
        }
        self.origin.push(Run { norm, orig, copied });
    }

    /// The normalised text, its map ending with the end of the original, `len` bytes.
    fn finish(mut self, len: usize) -> Normalized {
        self.map(1, len, false);
        Normalized {
            text: self.text,
            origin: self.origin,
        }
    }
}

/// The index of the first byte below 0x20 (a control character) in `b`, else its length;
/// sixteen bytes at a time where none is.
fn first_control(b: &[u8]) -> usize {
    let mut k = 0;
    while k + 16 <= b.len() && !b[k..k + 16].iter().fold(false, |any, &c| any | (c < 0x20)) {
        k += 16;
    }
    b[k..]
        .iter()
        .position(|&c| c < 0x20)
        .map_or(b.len(), |p| k + p)
}

/// The index of the first byte of `b` that is not ASCII, else its length; sixteen bytes at a
/// time where all are.
fn first_non_ascii(b: &[u8]) -> usize {
    let mut k = 0;
    while k + 16 <= b.len() && b[k..k + 16].is_ascii() {
        k += 16;
    }
    b[k..]
        .iter()
        .position(|c| !c.is_ascii())
        .map_or(b.len(), |p| k + p)
}

/// Whether `c` is part of a word, for word boundaries: letters and digits, except Chinese,
/// Japanese and Korean script, which is written without spaces (`大约3000万`), so that each of its
/// characters stands alone.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// CJK ideographs, kana, hangul and full-width forms.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff
        | 0xff00..=0xffef | 0x20000..=0x2fa1f)
}

fn at_boundary(hay: &str, start: usize, end: usize, needle: &str) -> bool {
    let word = is_word_char;
    let first_word = needle.chars().next().is_some_and(word);
    let last_word = needle.chars().next_back().is_some_and(word);
    let before_ok = !first_word || !hay[..start].chars().next_back().is_some_and(word);
    let after_ok = !last_word || !hay[end..].chars().next().is_some_and(word);
    before_ok && after_ok
}

/// Makes curly quotes, dashes, and odd spaces plain.
fn plain(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => ' ',
        c => c,
    }
}

/// Normalises a needle (the text of a check) the way pages are normalised.
///
/// Inline markup in the needle is removed first, so `contains = "[MIT License](...)"` and
/// `contains = "**MIT** License"` look for `mit license`.
pub fn normalize_needle(needle: &str, case_sensitive: bool) -> String {
    Normalized::new(&strip_inline_markup(needle), case_sensitive).text
}

/// Removes inline markdown and HTML markup: links keep their text, emphasis and code marks go,
/// HTML tags go.
pub fn strip_inline_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let rest = &s[i..];
        match c {
            // `[text](url)` and `![alt](url)` read as their text.
            '[' | '!' if c == '[' || rest.starts_with("![") => {
                let open = if c == '!' { i + 1 } else { i };
                if let Some((text, after)) = markdown_link(s, open) {
                    out.push_str(text);
                    i = after;
                    continue;
                }
                out.push(c);
                i += 1;
            }
            '<' => match rest.find('>') {
                Some(close) if looks_like_tag(&rest[1..close]) => i += close + 1,
                _ => {
                    out.push('<');
                    i += 1;
                }
            },
            // Emphasis and code marks: a run of `*`, `_` or backticks touching a word.
            '*' | '_' | '`' | '~' => {
                let run = rest.chars().take_while(|&d| d == c).count();
                let before = s[..i].chars().next_back();
                let after = s[i + run..].chars().next();
                let touches_word = |x: Option<char>| x.is_some_and(|x| !x.is_whitespace());
                let inside_word = before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric)
                    && c == '_';
                if !(touches_word(before) || touches_word(after)) || inside_word {
                    out.push_str(&rest[..run]);
                }
                i += run;
            }
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Parses `[text](url)` starting at the `[` at byte `open`; returns the text and the end.
fn markdown_link(s: &str, open: usize) -> Option<(&str, usize)> {
    let close = open + s[open..].find("](")?;
    let text = &s[open + 1..close];
    if text.contains('[') || text.contains(']') {
        return None;
    }
    let url_end = close + 2 + s[close + 2..].find(')')?;
    if s[close + 2..url_end].contains(char::is_whitespace) {
        return None;
    }
    Some((text, url_end + 1))
}

fn looks_like_tag(inner: &str) -> bool {
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_len = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name_len > 0
        && inner.as_bytes()[0].is_ascii_alphabetic()
        && inner[name_len..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '/')
}

/// An excerpt of about `chars` characters of `text` around `range`, cut at word boundaries,
/// with white space collapsed and "…" where it was cut.
pub fn excerpt(text: &str, range: Range<usize>, chars: usize) -> String {
    let matched = text[range.clone()].chars().count();
    let context = chars.saturating_sub(matched) / 2;
    let mut start = range.start;
    for (taken, (i, _)) in text[..range.start].char_indices().rev().enumerate() {
        if taken >= context {
            break;
        }
        start = i;
    }
    let mut end = range.end;
    for (taken, (i, c)) in text[range.end..].char_indices().enumerate() {
        if taken >= context {
            break;
        }
        end = range.end + i + c.len_utf8();
    }
    // Cut at word boundaries: move inwards to the nearest white space.
    if start > 0 {
        if let Some(ws) = text[start..range.start].find(char::is_whitespace) {
            start += ws;
        }
    }
    if end < text.len() {
        if let Some(ws) = text[range.end..end].rfind(char::is_whitespace) {
            end = range.end + ws;
        }
    }
    let body = collapse_ws(&text[start..end]);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(body.trim());
    if end < text.len() {
        out.push('…');
    }
    out
}

/// Collapses runs of white space to one space.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Normalized::new` as it was before ASCII was copied a run at a time: one character at a
    /// time, the reference the faster one must agree with.
    /// Returns the text and its map a byte at a time (one extra entry maps the end).
    fn reference(original: &str, case_sensitive: bool) -> (String, Vec<usize>) {
        let mut out = Builder::new(original, case_sensitive);
        let mut chars = original.char_indices().peekable();
        let mut group = String::new();
        while let Some((start, c)) = chars.next() {
            let marked = chars
                .peek()
                .is_some_and(|&(_, next)| !next.is_ascii() && is_combining_mark(next));
            if c.is_ascii() && !marked {
                // ASCII is its own NFKC form and already plain: most of any page, done directly.
                out.push(c, start);
                continue;
            }
            // A base character and the combining marks after it normalise together.
            group.clear();
            group.push(c);
            while let Some(&(_, next)) = chars.peek() {
                if !is_combining_mark(next) {
                    break;
                }
                group.push(next);
                chars.next();
            }
            for n in group.nfkc() {
                out.push(plain(n), start);
            }
        }
        let Builder { text, mut flat, .. } = out;
        flat.push(original.len());
        (text, flat)
    }

    proptest::proptest! {
        /// Text mixing ASCII words, every ASCII white space, combining marks (after ASCII and
        /// not), folds that grow, NFKC expansions and curly punctuation normalises to the same
        /// text and map as the reference.
        #[test]
        fn runs_of_ascii_normalise_as_characters_do(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES.to_vec()), 0..40),
            case_sensitive in proptest::bool::ANY,
        ) {
            let original: String = pieces.concat();
            let fast = Normalized::new(&original, case_sensitive);
            let (text, map) = reference(&original, case_sensitive);
            proptest::prop_assert_eq!(&fast.text, &text);
            // The runs give every byte the origin the map a byte at a time gives it.
            let runs: Vec<usize> = (0..=fast.text.len()).map(|i| fast.origin_of(i)).collect();
            proptest::prop_assert_eq!(&runs, &map);
            proptest::prop_assert_eq!(fast.origin_of(fast.text.len() + 3), original.len());
        }
    }

    const PIECES: [&str; 31] = [
        "a",
        "MIT",
        "Licence",
        " ",
        "  ",
        "\t",
        "\n",
        "\x0b",
        "\x0c",
        "\r",
        "\x1f",
        "e\u{301}",
        "\u{301}",
        "\u{308}\u{301}",
        "ß",
        "ẞ",
        "ﬁ",
        "…",
        "“",
        "—",
        "\u{a0}",
        "\u{200b}",
        "２",
        "Σ",
        "é",
        "\u{212b}",
        "ǅ",
        "한",
        "\u{1100}",
        "\u{1161}",
        "\u{ff76}\u{ff9e}",
    ];

    #[test]
    fn folds_case_quotes_dashes_and_space() {
        let n = Normalized::new("The  “MIT”\n License – Fully", false);
        assert_eq!(n.text, "the \"mit\" license - fully");
    }

    #[test]
    fn nfkc_and_combining_marks() {
        assert_eq!(
            Normalized::new("ﬁve Cafe\u{301} ２０２５", false).text,
            "five café 2025"
        );
    }

    #[test]
    fn full_case_folding() {
        let cases = [
            ("STRASSE", "Straße", "strasse"),
            ("ΟΔΥΣΣΕΥΣ", "Οδυσσευς", "οδυσσευσ"),
            ("MASSE", "Maße", "masse"),
            ("ẞ", "ß", "ss"),
            ("ΣΟΦΊΑ", "σοφία", "σοφία"),
            ("İstanbul", "i\u{307}stanbul", "i\u{307}stanbul"),
            // NFKC makes ﬀ `ff` and ſ `s` (compatibility); folding makes ǰ `ǰ`.
            ("ﬀ", "FF", "ff"),
            ("ǰ", "J\u{30C}", "j\u{30C}"),
            ("ΐ", "\u{3B9}\u{308}\u{301}", "\u{3B9}\u{308}\u{301}"),
            // Cherokee folds to its capitals; Greek symbols to their letters.
            ("\u{AB70}", "\u{13A0}", "\u{13A0}"),
            ("ϐ", "Β", "β"),
            ("ᾈ", "ἀι", "ἀι"),
        ];
        for (a, b, folded) in cases {
            assert_eq!(Normalized::new(a, false).text, folded, "{a}");
            assert_eq!(Normalized::new(b, false).text, folded, "{b}");
        }
        // Found in the page with the folded needle, at word boundaries.
        let page = Normalized::new("Die Straße ist lang.", false);
        let found = page
            .find(&normalize_needle("STRASSE", false))
            .expect("found");
        assert_eq!(&page.text[found.clone()], "strasse");
        assert!(
            Normalized::new("Straßenbahn", false)
                .find("strasse")
                .is_none()
        );
        // Case-sensitive text is not folded.
        assert_eq!(Normalized::new("Straße", true).text, "Straße");
    }

    #[test]
    fn folding_keeps_the_map_to_the_original() {
        let original = "Die  STRAẞE, ΟΔΥΣΣΕΥΣ.";
        let n = Normalized::new(original, false);
        assert_eq!(n.text, "die strasse, οδυσσευσ.");
        let found = n.find("strasse").expect("found");
        assert_eq!(&original[n.original_range(found)], "STRAẞE");
        // The two bytes of `ss` both map to the `ẞ`; a range ending inside them ends after it.
        let at = n.text.find("ss").expect("ss");
        assert_eq!(&original[n.original_range(at..at + 1)], "ẞ");
        assert_eq!(&original[n.original_range(at + 1..at + 2)], "ẞ");
        let found = n.find("οδυσσευσ").expect("found");
        assert_eq!(&original[n.original_range(found)], "ΟΔΥΣΣΕΥΣ");
        // NFKC expansions too: a match that ends inside `…` (made `...`) takes all of it.
        let original = "Wait… ok";
        let n = Normalized::new(original, false);
        let found = n.find("wait.").expect("found");
        assert_eq!(&original[n.original_range(found)], "Wait…");
    }

    #[test]
    fn case_sensitive_keeps_case() {
        assert_eq!(Normalized::new("MIT License", true).text, "MIT License");
    }

    #[test]
    fn maps_back_to_the_original() {
        let original = "Released   under the “MIT” License.";
        let n = Normalized::new(original, false);
        let found = n.find("\"mit\" license").expect("found");
        let r = n.original_range(found);
        assert_eq!(&original[r], "“MIT” License");
    }

    #[test]
    fn find_respects_word_boundaries() {
        let n = Normalized::new("SUBMIT the MIT form", false);
        let r = n.find("mit").expect("found");
        assert_eq!(&n.text[r.clone()], "mit");
        assert_eq!(r.start, 11);
        assert!(Normalized::new("112%", false).find("12%").is_none());
        assert!(Normalized::new("fell 12%.", false).find("12%").is_some());
    }

    #[test]
    fn strips_markdown_and_html_from_needles() {
        assert_eq!(
            strip_inline_markup("[MIT License](https://x.org/l) and **bold** `code` <b>79.8</b>"),
            "MIT License and bold code 79.8"
        );
        assert_eq!(strip_inline_markup("snake_case stays"), "snake_case stays");
        assert_eq!(strip_inline_markup("2 * 3 < 4"), "2 * 3 < 4");
        assert_eq!(
            normalize_needle("The **MIT** License", false),
            "the mit license"
        );
    }

    #[test]
    fn excerpt_cuts_at_words() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";
        let at = text.find("epsilon").expect("in text");
        let e = excerpt(text, at..at + 7, 24);
        assert_eq!(e, "…delta epsilon zeta…");
        assert_eq!(excerpt("short text", 0..5, 200), "short text");
    }
}
