//! Claim stubs from a draft (`factcheck figures DOCUMENT --scaffold`, and the language server's
//! "Add a claim for this figure"): for every figure and date no claim covers, a `[[claim]]` with a
//! readable unique `id`, the sentence as `statement`, words of the draft that hold the figure as
//! `quote`, the figure as written as `check.figure` (or `check.date`), a `near` phrase guessed
//! from the words before it, and no source, so it is `unsourced` until someone adds one.
//!
//! The assertion file is edited with `toml_edit`, so its comments and layout stay as they were;
//! the stubs are appended. A stub's quote covers its figure, so running it again adds nothing.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use crate::document::{Draft, DraftFigure, Placement};
use crate::text::{collapse_ws, strip_inline_markup};

/// Longest `id` a stub gets (before a `-2`, `-3` that makes it unique).
const ID_CHARS: usize = 40;
/// Most words, edge words aside, in a guessed `near` phrase.
const NEAR_WORDS: usize = 2;
/// Most words a quote grows by to be unique in the draft.
const QUOTE_GROWTH: usize = 8;

/// Words that do not start or end a `near` phrase: the phrase is searched for on the source,
/// where "cost was" is less likely than "cost".
const EDGE_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "been", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "than", "that", "the", "their", "to", "was", "were", "which", "with",
];

/// A claim stub for one figure or date of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stub {
    /// A readable id, unique in the assertion file.
    pub id: String,
    /// The sentence holding the figure, markup removed.
    pub statement: String,
    /// Words of the draft that hold the figure and are found once in it.
    pub quote: String,
    /// `figure` or `date`.
    pub kind: &'static str,
    /// The check's value: the figure or the date as written.
    pub written: String,
    /// Words around the figure to find it by on a source: those before it when there are any.
    pub near: String,
    /// The draft line of the figure (1-based), for messages.
    pub line: usize,
}

/// The stubs for `uncovered` figures of `draft`, with ids not in `taken` (the file's ids); and
/// the figures left out because no words around them could locate them on a source (a check
/// needs a `near` phrase: those claims are for a person to write).
pub fn stubs(
    draft: &Draft,
    uncovered: &[DraftFigure],
    taken: &HashSet<String>,
) -> (Vec<Stub>, Vec<DraftFigure>) {
    let mut taken = taken.clone();
    let mut stubs = Vec::new();
    let mut skipped = Vec::new();
    for figure in uncovered {
        let sentence = sentence_around(&draft.text, &figure.range);
        // A check needs a locator: the words before the figure, else those after it, else the
        // first words of its sentence.
        let near = near_phrase(&draft.text[sentence.start..figure.range.start])
            .or_else(|| near_after(&draft.text[figure.range.end..sentence.end]))
            .or_else(|| near_after(&draft.text[sentence.start..figure.range.start]));
        let Some(near) = near else {
            skipped.push(figure.clone());
            continue;
        };
        let id = unique_id(&slug(&near, &figure.value), &mut taken);
        stubs.push(Stub {
            id,
            statement: statement(&draft.text[sentence.clone()]),
            quote: unique_quote(draft, &figure.range, &sentence),
            kind: figure.kind,
            written: figure.text.clone(),
            near,
            line: figure.start.line,
        });
    }
    (stubs, skipped)
}

/// Why stubs cannot be added to an assertion file.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The file is not TOML.
    #[error("the assertion file is not valid TOML")]
    Parse(#[from] toml_edit::TomlError),
    /// `claim` is there but is not a list of `[[claim]]` tables.
    #[error("`claim` in the assertion file is not a list of `[[claim]]` tables")]
    NotClaims,
}

/// `text` (an assertion file, or `None` for a new one) with `stubs` appended as `[[claim]]`
/// tables; a new file gets a `[document]` table naming the draft (`draft`, relative to the
/// file). Comments and layout of an existing file are kept.
pub fn append(text: Option<&str>, draft: &str, stubs: &[Stub]) -> Result<String, AppendError> {
    let mut doc = match text {
        Some(text) => text.parse::<DocumentMut>()?,
        None => {
            let mut doc = DocumentMut::new();
            let mut document = Table::new();
            document.insert("path", value(draft));
            document.decor_mut().set_prefix(
                "# Claims about the draft below. Stubs from `factcheck figures --scaffold`: each\n\
                 # is `unsourced` until it names a source (`source = \"https://...\"`).\n",
            );
            doc.insert("document", Item::Table(document));
            doc
        }
    };
    if !doc.contains_key("claim") {
        doc.insert("claim", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let claims = doc["claim"]
        .as_array_of_tables_mut()
        .ok_or(AppendError::NotClaims)?;
    for stub in stubs {
        claims.push(claim_table(stub));
    }
    let mut text = doc.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// One stub as a `[[claim]]` table, with `check.*` as dotted keys.
fn claim_table(stub: &Stub) -> Table {
    let mut claim = Table::new();
    claim.insert("id", value(&stub.id));
    claim.insert("statement", value(&stub.statement));
    claim.insert("quote", value(&stub.quote));
    let mut tags = Array::new();
    tags.push("scaffolded");
    claim.insert("tags", value(tags));
    let mut check = Table::new();
    check.set_dotted(true);
    check.insert(stub.kind, value(&stub.written));
    check.insert("near", value(&stub.near));
    claim.insert("check", Item::Table(check));
    claim.decor_mut().set_prefix(format!(
        "\n# Line {} of the draft. Add its source: source = \"https://...\"\n",
        stub.line
    ));
    claim
}

/// The byte range of the sentence holding `range`: from after the previous sentence end (or
/// the start of the paragraph) to the next one (or the end of the paragraph).
fn sentence_around(text: &str, range: &Range<usize>) -> Range<usize> {
    let before = &text[..range.start];
    let mut start = before.rfind("\n\n").map_or(0, |i| i + 2);
    for (i, c) in before.char_indices().rev() {
        if i < start {
            break;
        }
        if matches!(c, '.' | '!' | '?') && ends_sentence(text, i) {
            start = i + 1;
            break;
        }
    }
    let after = &text[range.end..];
    let mut end = after.find("\n\n").map_or(text.len(), |i| range.end + i);
    for (i, c) in after.char_indices() {
        let at = range.end + i;
        if at >= end {
            break;
        }
        if matches!(c, '.' | '!' | '?') && ends_sentence(text, at) {
            end = at + 1;
            break;
        }
    }
    start..end
}

/// Whether the stop at `at` ends a sentence: white space follows, then a capital, a quote, a
/// digit or the end (so `5.6`, `e.g. this` and `U.S. shares` do not).
fn ends_sentence(text: &str, at: usize) -> bool {
    let rest = &text[at + 1..];
    let mut chars = rest.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_whitespace() => {
            let next = rest.trim_start().chars().next();
            next.is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘'(*_#-".contains(n))
        }
        Some(_) => false,
    }
}

/// A sentence as a claim's statement: markup removed, list and heading markers dropped, white
/// space collapsed.
fn statement(sentence: &str) -> String {
    let text = collapse_ws(&strip_inline_markup(sentence));
    text.trim_start_matches(|c: char| matches!(c, '#' | '-' | '*' | '>') || c.is_whitespace())
        .trim()
        .to_string()
}

/// The words right before the figure, within its clause, up to [`NEAR_WORDS`] of them that are
/// not edge words, without edge words at either end; `None` when a number stands right before
/// it, or nothing is left.
fn near_phrase(before: &str) -> Option<String> {
    let is_edge = |w: &str| EDGE_WORDS.contains(&w.to_lowercase().as_str());
    let mut words: Vec<&str> = Vec::new();
    let mut content = 0;
    for token in before.split_whitespace().rev() {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let ends_clause = token.ends_with(|c: char| !c.is_alphanumeric() && c != '%');
        if word.is_empty() || word.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        // "fell, to": the comma ends the clause the figure is in.
        if ends_clause && !words.is_empty() {
            break;
        }
        words.push(word);
        if !is_edge(word) {
            content += 1;
        }
        // "(about": an opening mark starts the clause.
        if content == NEAR_WORDS || token.starts_with(|c: char| !c.is_alphanumeric()) {
            break;
        }
    }
    words.reverse();
    trim_edges(&words)
}

/// The first words after the figure, as [`near_phrase`] takes those before it: for a figure
/// that opens its clause ("$4 billion was spent on chips" → "spent").
fn near_after(after: &str) -> Option<String> {
    let is_edge = |w: &str| EDGE_WORDS.contains(&w.to_lowercase().as_str());
    let mut words: Vec<&str> = Vec::new();
    let mut content = 0;
    for token in after.split_whitespace() {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() || word.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        words.push(word);
        if !is_edge(word) {
            content += 1;
        }
        if content == NEAR_WORDS || token.ends_with(|c: char| !c.is_alphanumeric()) {
            break;
        }
    }
    trim_edges(&words)
}

/// The words without edge words at either end, joined; `None` when nothing is left.
fn trim_edges(words: &[&str]) -> Option<String> {
    let is_edge = |w: &str| EDGE_WORDS.contains(&w.to_lowercase().as_str());
    let first = words.iter().position(|w| !is_edge(w))?;
    let last = words.iter().rposition(|w| !is_edge(w))?;
    Some(words[first..=last].join(" "))
}

/// An id from the near phrase and the value: `training-cost-5-576-million-usd`.
fn slug(near: &str, value: &str) -> String {
    let source = format!("{near} {value}");
    let mut id = String::new();
    for c in source.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
        if id.len() >= ID_CHARS {
            break;
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "figure".to_string()
    } else {
        id
    }
}

/// `base`, or `base-2`, `base-3`, ... the first not in `taken` (which it joins).
fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// The figure's words, grown a word at a time to the left (then the right) within its sentence
/// until the draft holds them once.
fn unique_quote(draft: &Draft, figure: &Range<usize>, sentence: &Range<usize>) -> String {
    let text = &draft.text;
    let mut range = figure.clone();
    for _ in 0..=QUOTE_GROWTH {
        let quote = text[range.clone()].trim();
        if matches!(draft.place(quote), Placement::Found(_)) {
            return quote.to_string();
        }
        let left = previous_word_start(text, range.start, sentence.start);
        if left < range.start {
            range.start = left;
        } else {
            let right = next_word_end(text, range.end, sentence.end);
            if right == range.end {
                break;
            }
            range.end = right;
        }
    }
    text[range].trim().to_string()
}

/// Where the word before `at` starts, not before `floor`.
fn previous_word_start(text: &str, at: usize, floor: usize) -> usize {
    let before = &text[floor..at];
    let trimmed = before.trim_end();
    match trimmed.rfind(char::is_whitespace) {
        Some(i) => floor + i + trimmed[i..].chars().next().map_or(1, char::len_utf8),
        None => floor,
    }
}

/// Where the word after `at` ends, not after `ceiling`.
fn next_word_end(text: &str, at: usize, ceiling: usize) -> usize {
    let after = &text[at..ceiling];
    let lead = after.len() - after.trim_start().len();
    match after[lead..].find(char::is_whitespace) {
        Some(i) => at + lead + i,
        None => ceiling,
    }
}

/// `target` relative to the directory `base` (both absolute or both relative to one place), with
/// `/` separators: what a `[document] path` holds.
pub fn relative_path(target: &Path, base: &Path) -> String {
    let target: Vec<Component> = target.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..base.len() {
        path.push("..");
    }
    for c in &target[common..] {
        path.push(c.as_os_str());
    }
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::figures;

    fn draft(text: &str) -> Draft {
        Draft::new("drafts/a.md", text)
    }

    #[test]
    fn a_stub_reads_its_sentence_and_guesses_near() {
        let d = draft(
            "# DeepSeek\n\nThe lab says its training cost was $5.6 million. Shares fell 12% on Monday.\n",
        );
        let figs = figures(&d);
        let (stubs, _) = stubs(&d, &figs, &HashSet::new());
        assert_eq!(stubs.len(), 2, "{stubs:?}");
        assert_eq!(
            stubs[0].statement,
            "The lab says its training cost was $5.6 million."
        );
        assert_eq!(stubs[0].near, "training cost");
        assert_eq!(stubs[0].written, "$5.6 million");
        assert_eq!(stubs[0].kind, "figure");
        assert!(
            stubs[0].id.starts_with("training-cost-5-6"),
            "{}",
            stubs[0].id
        );
        assert_eq!(stubs[1].statement, "Shares fell 12% on Monday.");
        assert_eq!(stubs[1].near, "Shares fell");
        assert_eq!(stubs[0].line, 3);
    }

    #[test]
    fn a_number_right_before_the_figure_gives_no_near() {
        assert_eq!(near_phrase("Revenue rose 8% to "), None);
        assert_eq!(near_phrase("It reached "), Some("reached".to_string()));
        assert_eq!(near_phrase(""), None);
        assert_eq!(
            near_phrase("the total cost of the "),
            Some("total cost".to_string())
        );
    }

    #[test]
    fn a_figure_that_opens_its_clause_gets_the_words_after_it() {
        assert_eq!(
            near_after(" was spent on chips."),
            Some("spent on chips".to_string())
        );
        assert_eq!(near_after(" in 2024"), None);
        let d = draft("$4 billion was spent on chips.\n");
        let (made, _) = stubs(&d, &figures(&d), &HashSet::new());
        assert_eq!(made[0].near, "spent on chips");
        let d = draft("Costs\n\n$4\n");
        let (made, skipped) = stubs(&d, &figures(&d), &HashSet::new());
        assert!(made.is_empty(), "{made:?}");
        assert_eq!(skipped.len(), 1, "a bare figure has no words to find it by");
    }

    #[test]
    fn quotes_grow_until_unique_and_ids_do_not_collide() {
        let d = draft("Prices rose 5% in May. Wages rose 5% in June.\n");
        let figs = figures(&d);
        let taken: HashSet<String> = ["prices-rose-5".to_string()].into();
        let (stubs, _) = stubs(&d, &figs, &taken);
        assert_eq!(stubs.len(), 2);
        assert_eq!(stubs[0].quote, "Prices rose 5%");
        assert_eq!(stubs[1].quote, "Wages rose 5%");
        assert_eq!(stubs[0].id, "prices-rose-5-2");
        assert!(matches!(d.place(&stubs[0].quote), Placement::Found(_)));
    }

    #[test]
    fn sentences_do_not_end_at_decimals_or_abbreviations() {
        let text = "U.S. shares fell 3.5% on 27 January. Next.";
        let at = text.find("3.5%").unwrap();
        let s = sentence_around(text, &(at..at + 4));
        assert_eq!(&text[s], "U.S. shares fell 3.5% on 27 January.");
    }

    #[test]
    fn appending_keeps_comments_and_a_new_file_names_its_draft() {
        let existing = "# my claims\n[document]\npath = \"../a.md\" # the draft\n\n[[claim]]\nid = \"x\"\nstatement = \"s\"\ncheck.contains = \"y\"\n";
        let stub = Stub {
            id: "cost".into(),
            statement: "It cost $5.".into(),
            quote: "$5".into(),
            kind: "figure",
            written: "$5".into(),
            near: "cost".into(),
            line: 4,
        };
        let out = append(Some(existing), "../a.md", std::slice::from_ref(&stub)).unwrap();
        assert!(out.starts_with(existing), "{out}");
        assert!(
            out.contains("check.figure = \"$5\"\ncheck.near = \"cost\""),
            "{out}"
        );
        let file = crate::spec::load_str(Path::new("assertions/a.toml"), &out).expect("valid");
        assert_eq!(file.claims.len(), 2);
        assert!(file.claims[1].sources.is_empty());

        let new = append(None, "../drafts/a.md", &[stub]).unwrap();
        assert!(
            new.contains("[document]\npath = \"../drafts/a.md\""),
            "{new}"
        );
        crate::spec::load_str(Path::new("assertions/a.toml"), &new).expect("valid");
    }

    #[test]
    fn relative_paths_climb_to_the_common_directory() {
        assert_eq!(
            relative_path(Path::new("/p/drafts/a.md"), Path::new("/p/assertions")),
            "../drafts/a.md"
        );
        assert_eq!(relative_path(Path::new("/p/a.md"), Path::new("/p")), "a.md");
    }
}
