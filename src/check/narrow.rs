//! A claim's regex compiled for the one text it searches: its character classes narrowed to the
//! characters that text holds, where that makes them smaller.
//!
//! Compiling a Unicode class is most of the cost of compiling a regex: `\w` is some 770 ranges of
//! code points, which become a large UTF-8 automaton, forwards and in reverse (about 0.6 ms for
//! `revenue at \w+ rose \d+%`, twenty times the rest). A match can only consume characters that
//! are in the text, so a class may drop every character the text lacks without changing what
//! matches, where, or what the groups capture: on a page of ASCII and a few dozen other
//! characters, `\w` becomes a class of about a hundred. Everything else is left as written:
//! literals, repetitions, groups and their names, and look-around assertions (`\b` still reads
//! the characters on each side with Unicode's word rules).
//!
//! The narrowed regex is valid for that text alone, so it is compiled for each search and
//! dropped after it, as [`Pattern::compile`]'s is (memory stays flat however many claims there
//! are). Whenever narrowing is not worth it or not possible (a text with many distinct non-ASCII
//! characters, a regex that does not parse again), the regex is compiled as written.

use regex::Regex;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};

use crate::spec::Pattern;

/// Distinct non-ASCII characters past which a text is searched with the regex as written:
/// narrowing a class to thousands of scattered code points (a Chinese page) saves little.
pub(super) const MAX_NARROWED_CHARS: usize = 512;

/// `pattern` compiled to search `haystack` alone: the same matches and groups in `haystack` as
/// [`Pattern::compile`] gives, but compiled with its classes narrowed to the characters of
/// `haystack` (see the module's documentation). Searching any other text with it is wrong.
pub(super) fn compile_for(pattern: &Pattern, haystack: &str) -> Result<Regex, regex::Error> {
    narrowed(pattern.as_str(), haystack)
        .and_then(|source| Regex::new(&source).ok())
        .map_or_else(|| pattern.compile(), Ok)
}

/// The regex `source` with its classes narrowed to the characters of `haystack`, as a regex to
/// compile; `None` when it is best compiled as written (nothing to narrow, too many characters
/// in the text, or a regex that does not parse).
fn narrowed(source: &str, haystack: &str) -> Option<String> {
    // The regex crate's own defaults (Unicode, UTF-8, the nesting limit), so the tree is the
    // one `Regex::new` compiles.
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    if !has_wide_class(&hir) {
        return None;
    }
    let alphabet = alphabet(haystack)?;
    let mut changed = false;
    let narrowed = narrow(&hir, &alphabet, &mut changed);
    changed.then(|| narrowed.to_string())
}

/// The characters a text may hold, as a class: all of ASCII (cheap to compile, and most of
/// any text) and each non-ASCII character in `text`; `None` past [`MAX_NARROWED_CHARS`].
fn alphabet(text: &str) -> Option<ClassUnicode> {
    let mut ranges = vec![ClassUnicodeRange::new('\0', '\x7f')];
    if !text.is_ascii() {
        let mut others: Vec<char> = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
            rest = &rest[at..];
            let mut chars = rest.chars();
            let Some(c) = chars.next() else { break };
            others.push(c);
            rest = chars.as_str();
            // Deduplicate as it grows, so a long non-Latin text stays cheap to give up on.
            if others.len() > 4 * MAX_NARROWED_CHARS {
                others.sort_unstable();
                others.dedup();
                if others.len() > MAX_NARROWED_CHARS {
                    return None;
                }
            }
        }
        others.sort_unstable();
        others.dedup();
        if others.len() > MAX_NARROWED_CHARS {
            return None;
        }
        ranges.extend(others.into_iter().map(|c| ClassUnicodeRange::new(c, c)));
    }
    Some(ClassUnicode::new(ranges))
}

/// Whether a regex has a class that reaches past ASCII (`\w`, `\d`, `.`, `[^x]`, a case-folded
/// letter): otherwise there is nothing to narrow. The parser limits nesting, so the recursion
/// is bounded.
fn has_wide_class(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => c.ranges().last().is_some_and(|r| !r.end().is_ascii()),
        HirKind::Class(Class::Bytes(_))
        | HirKind::Empty
        | HirKind::Literal(_)
        | HirKind::Look(_) => false,
        HirKind::Repetition(r) => has_wide_class(&r.sub),
        HirKind::Capture(c) => has_wide_class(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_wide_class),
    }
}

/// `hir` with every Unicode class intersected with `alphabet` where that leaves it fewer ranges
/// (`\w`'s hundreds become a few; `.`, two ranges, would become one per character, larger to
/// compile, so it stays); the rest as it is. `changed` is set when a class was narrowed.
fn narrow(hir: &Hir, alphabet: &ClassUnicode, changed: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let mut narrowed = c.clone();
            narrowed.intersect(alphabet);
            if narrowed.ranges().len() < c.ranges().len() {
                *changed = true;
                Hir::class(Class::Unicode(narrowed))
            } else {
                hir.clone()
            }
        }
        HirKind::Class(Class::Bytes(_))
        | HirKind::Empty
        | HirKind::Literal(_)
        | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(narrow(&r.sub, alphabet, changed)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(regex_syntax::hir::Capture {
            sub: Box::new(narrow(&c.sub, alphabet, changed)),
            ..c.clone()
        }),
        HirKind::Concat(hs) => {
            Hir::concat(hs.iter().map(|h| narrow(h, alphabet, changed)).collect())
        }
        HirKind::Alternation(hs) => {
            Hir::alternation(hs.iter().map(|h| narrow(h, alphabet, changed)).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(source: &str) -> Pattern {
        Pattern::checked(source.to_owned())
    }

    /// Every match of both regexes in `hay`, with every group's span.
    fn all(regex: &Regex, hay: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        regex
            .captures_iter(hay)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    fn same(source: &str, hay: &str) {
        let written = Regex::new(source).expect("compiles");
        let narrowed = compile_for(&pattern(source), hay).expect("compiles");
        assert_eq!(
            all(&written, hay),
            all(&narrowed, hay),
            "/{source}/ in {hay:?}"
        );
        let names: Vec<_> = narrowed.capture_names().collect();
        assert_eq!(written.capture_names().collect::<Vec<_>>(), names);
    }

    #[test]
    fn narrowed_regexes_match_what_the_written_ones_match() {
        let hays = [
            "Scale note 7: revenue at Quillfeather Works rose 8% to $3.1 billion in 2024.",
            "Der Umsatz der Müller Werke stieg um 8 % auf 3,1 Mrd. € — laut Straße ß.",
            "Ŝtono ſtarts KELVIN \u{212a} and İstanbul; ٣٤ digits; 大约3000万 people",
            "",
        ];
        let sources = [
            r"revenue at \w+ Works rose \d+%",
            r"(?i)MÜLLER \w+",
            r"(?i)s\w+",
            r"(?i)kelvin \w",
            r"\b\w+\b",
            r"[^a-z ]+",
            r"(?P<value>\d+(?:[.,]\d+)?)\s*(?:%|Mrd)",
            r"(?s).{3}\z",
            r"\p{Han}+|\p{Arabic}+",
            r"[é]|(?:x)",
            r"\B\w{2}\B",
            r"(?U)\w+ ",
            r"(?m)^\w+$",
        ];
        for hay in hays {
            for source in sources {
                same(source, hay);
            }
        }
    }

    proptest::proptest! {
        /// Regexes made of classes, literals, repetitions, groups and assertions find the same
        /// matches and groups, narrowed or not, in texts of ASCII and other characters (case
        /// folds such as `ſ` and the Kelvin sign, Arabic digits, a letter and its combining mark).
        #[test]
        fn narrowing_never_changes_a_match(
            atoms in proptest::collection::vec((0usize..ATOMS.len(), 0usize..QUANTIFIERS.len()), 1..6),
            case in proptest::bool::ANY,
            hay in proptest::collection::vec(proptest::sample::select(HAY_CHARS.to_vec()), 0..24),
        ) {
            let body: String = atoms
                .iter()
                .map(|&(a, q)| format!("{}{}", ATOMS[a], QUANTIFIERS[q]))
                .collect();
            let source = if case { format!("(?i){body}") } else { body };
            // A group name used twice does not compile.
            proptest::prop_assume!(Regex::new(&source).is_ok());
            let hay: String = hay.into_iter().collect();
            same(&source, &hay);
        }
    }

    const ATOMS: [&str; 16] = [
        r"\w",
        r"\d",
        r"\s",
        ".",
        r"[^a ]",
        "é",
        "É",
        "a",
        "k",
        "s",
        r"\b",
        r"\B",
        "(?P<value>\\w)",
        r"(?:\d|ß)",
        r"\p{L}",
        r"[0-9٠-٩]",
    ];
    const QUANTIFIERS: [&str; 6] = ["", "+", "*?", "?", "{2}", "{1,3}"];
    const HAY_CHARS: [char; 16] = [
        'a', 'B', 'k', 'S', 'é', 'É', 'e', '\u{301}', 'ß', 'ſ', '\u{212a}', '٣', '1', ' ', '-',
        '\n',
    ];

    #[test]
    fn classes_shrink_to_the_texts_characters() {
        let printed = narrowed(r"(?P<value>\w+) \d", "abc é").expect("narrowed");
        assert_eq!(printed, r"(?:(?P<value>[0-9A-Z_a-zé]+) [0-9])");
        // Nothing past ASCII to narrow.
        assert_eq!(narrowed(r"[a-z]+ (?-u:\w)", "abc é"), None);
        // `.` is two ranges; narrowed it would be one more per character of the text.
        assert_eq!(narrowed(r"(?s).+", "abc é"), None);
        assert_eq!(
            narrowed(r".+\d", "abc é"),
            Some(format!("(?:{}+[0-9])", {
                let dot = regex_syntax::Parser::new().parse(".").expect("parses");
                dot.to_string()
            }))
        );
    }

    #[test]
    fn texts_with_too_many_characters_are_searched_with_the_regex_as_written() {
        let han: String = ('\u{4e00}'..).take(MAX_NARROWED_CHARS + 1).collect();
        assert!(alphabet(&han).is_none());
        assert_eq!(narrowed(r"\w+", &han), None);
        let regex = compile_for(&pattern(r"\w+"), &han).expect("compiles");
        assert_eq!(regex.as_str(), r"\w+");
        let fewer: String = han.chars().take(MAX_NARROWED_CHARS).collect();
        assert!(alphabet(&fewer).is_some());
    }

    #[test]
    fn deeply_nested_regexes_narrow_within_the_parsers_limit() {
        // At the parser's nesting limit as written: printed again, it still parses (or, were it
        // past the limit, would be compiled as written).
        let deep = format!("{}\\w{}", "(?:a".repeat(125), ")".repeat(125));
        let hay = format!("{}b", "a".repeat(125));
        let regex = compile_for(&pattern(&deep), &hay).expect("compiles");
        assert_ne!(regex.as_str(), deep, "narrowed");
        assert!(regex.is_match(&hay));
        same(&deep, &hay);
    }
}
