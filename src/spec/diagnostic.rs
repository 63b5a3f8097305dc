//! Located diagnostics for assertion files: what went wrong, where, and how to fix it, rendered
//! rustc-style (`--> file:line:col`, the line, a caret, `= hint:`), plus "did you mean" by edit
//! distance.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::model::Pos;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// Worth fixing, but the file loads.
    Warning,
}

impl Severity {
    /// The word that starts a rendered diagnostic: `error` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one file, with the byte range it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user gave it (or as found under a directory).
    pub path: PathBuf,
    /// The file's text (empty when the file could not be read).
    pub text: Arc<str>,
    /// The byte range the diagnostic points at, when it points into the file.
    pub span: Option<Range<usize>>,
    /// What is wrong, in one line.
    pub message: String,
    /// A short note under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error pointing at `span` of `text`.
    pub fn error(
        path: impl Into<PathBuf>,
        text: Arc<str>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            text,
            span,
            message: shorten(&message.into()),
            label: None,
            hint: None,
        }
    }

    /// Sets the note under the caret.
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(shorten(&label.into()));
        self
    }

    /// Sets the hint.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        // A hint's example may quote a whole line: it keeps twice as much.
        self.hint = Some(shorten_to(&hint.into(), 2 * MAX_ECHO_CHARS));
        self
    }

    /// The 1-based line and column of the start of the span, if there is one.
    pub fn pos(&self) -> Option<Pos> {
        self.span.as_ref().map(|s| line_col(&self.text, s.start))
    }

    /// Renders this diagnostic alone, without a trailing newline.
    pub fn render(&self, color: bool) -> String {
        self.render_in(color, &LineIndex::new(&self.text))
    }

    /// Renders this diagnostic with `index`, the [`LineIndex`] of its text: only the lines the
    /// span covers are handed to the renderer, so rendering many diagnostics of one large file
    /// stays linear.
    fn render_in(&self, color: bool, index: &LineIndex) -> String {
        let path = self.path.display().to_string();
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        // For a long line: the location the renderer gives, and the right one.
        let mut relocate = None;
        if let Some(span) = &self.span {
            let span = clamp(&self.text, span.clone());
            let start = index.position(&self.text, span.start);
            let first = index.line_range(&self.text, start.line);
            let last_line = index.position(&self.text, span.end).line;
            let end = index.line_range(&self.text, last_line).end.max(span.end);
            // A long line is shown around the span only; the location is then corrected to
            // count from the line's start.
            let (window, long) = if first.len() > LONG_LINE_BYTES {
                let from = span.start.saturating_sub(CONTEXT_BYTES).max(first.start);
                let to = (span.end + CONTEXT_BYTES).min(first.end.max(span.end));
                (
                    floor_boundary(&self.text, from)..floor_boundary(&self.text, to).max(span.end),
                    true,
                )
            } else {
                (first.start..end, false)
            };
            let source = &self.text[window.clone()];
            let local = span.start - window.start..span.end - window.start;
            let mut annotation = AnnotationKind::Primary.span(local.clone());
            if let Some(label) = &self.label {
                annotation = annotation.label(label.as_str());
            }
            group = group.element(
                Snippet::source(source)
                    .line_start(start.line)
                    .path(path.as_str())
                    .annotation(annotation),
            );
            if long {
                let shown = source[..local.start].chars().count() + 1;
                relocate = Some((
                    format!("{path}:{}:{shown}", start.line),
                    format!("{path}:{}:{}", start.line, start.column),
                ));
            }
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.with_name("hint").message(hint.as_str()));
        }
        let out = renderer(color).render(&[group]);
        match relocate {
            Some((shown, real)) => out.replacen(&shown, &real, 1),
            None => out,
        }
    }
}

/// A line longer than this is shown around the span only.
const LONG_LINE_BYTES: usize = 1024;
/// How much of a long line is shown on each side of the span, in bytes.
const CONTEXT_BYTES: usize = 60;

/// `at`, moved back to a character boundary of `text`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Every diagnostic of a load, in file order and, within a file, in position order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Renders every diagnostic, a blank line between them, then a one-line summary.
    ///
    /// `color` adds ANSI styles; meaning never depends on them.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        // One index per file text, shared by that file's diagnostics.
        let mut index: Option<(&Arc<str>, LineIndex)> = None;
        for d in &self.0 {
            if index.as_ref().is_none_or(|(t, _)| !Arc::ptr_eq(t, &d.text)) {
                index = Some((&d.text, LineIndex::new(&d.text)));
            }
            let Some((_, lines)) = &index else { continue };
            out.push_str(&d.render_in(color, lines));
            out.push_str("\n\n");
        }
        if let Some(summary) = self.summary() {
            let level = if self.errors() > 0 {
                Level::ERROR
            } else {
                Level::WARNING
            };
            let title = Group::with_title(level.primary_title(summary));
            out.push_str(&renderer(color).render(&[title]));
            out.push('\n');
        }
        out
    }

    /// How many diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many diagnostics are warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// True when there is no diagnostic at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    /// `found 3 errors in 2 assertion files`, or `None` when there is nothing to say.
    fn summary(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let mut files: Vec<&PathBuf> = self.0.iter().map(|d| &d.path).collect();
        files.sort();
        files.dedup();
        let mut parts = Vec::new();
        for (n, word) in [(self.errors(), "error"), (self.warnings(), "warning")] {
            if n > 0 {
                parts.push(plural(n, word));
            }
        }
        Some(format!(
            "found {} in {}",
            parts.join(" and "),
            plural(files.len(), "assertion file")
        ))
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}

/// `1 error`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// Keeps a span inside the text and on character boundaries.
fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The 1-based line and column (in characters) of a byte offset; offsets past the end count
/// as the end.
///
/// This scans the text once; to place many offsets in one text, build a [`LineIndex`].
pub fn line_col(text: &str, byte: usize) -> Pos {
    let byte = clamp(text, byte..byte).start;
    let before = &text[..byte];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// The longest stretch of a line that [`LineIndex::position`] scans for non-ASCII bytes rather
/// than counting from checkpoints (a scan per offset of a long line would be quadratic).
const ASCII_LINE_BYTES: usize = 4 * CHECKPOINT_BYTES;

/// Bytes between two checkpoints of a [`LineIndex`].
const CHECKPOINT_BYTES: usize = 256;

/// Where each line of a text starts, and how many characters and UTF-16 units come before
/// every few hundred bytes, so that placing an offset costs a binary search and a short scan,
/// however long its line: placing every figure of a one-line draft stays linear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// The byte offset of each line's start.
    line_starts: Vec<usize>,
    /// `(byte, characters before it, UTF-16 units before it)`, at a character boundary at or
    /// after each multiple of [`CHECKPOINT_BYTES`]; none for ASCII text, where the three are one
    /// (a text with any other character has one at byte 0).
    checkpoints: Vec<(usize, usize, usize)>,
}

/// A place in a text, as a [`LineIndex`] counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 0-based column in UTF-16 code units.
    pub utf16: usize,
}

impl LineIndex {
    /// Indexes `text` in one pass.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        // Most assertion files are ASCII: their lines are found a word at a time, and counting
        // needs no checkpoints.
        if text.is_ascii() {
            line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
            return LineIndex {
                line_starts,
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = vec![(0, 0, 0)];
        let (mut chars, mut units) = (0, 0);
        let mut next = CHECKPOINT_BYTES;
        for (i, c) in text.char_indices() {
            if i >= next {
                checkpoints.push((i, chars, units));
                next = (i / CHECKPOINT_BYTES + 1) * CHECKPOINT_BYTES;
            }
            if c == '\n' {
                line_starts.push(i + 1);
            }
            chars += 1;
            units += c.len_utf16();
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// Characters and UTF-16 units of `text` before byte `byte` (a character boundary).
    fn counts(&self, text: &str, byte: usize) -> (usize, usize) {
        if self.checkpoints.is_empty() {
            // ASCII: every byte a character and a UTF-16 unit.
            return (byte, byte);
        }
        let at = self.checkpoints.partition_point(|c| c.0 <= byte).max(1) - 1;
        let (from, chars, units) = self.checkpoints[at];
        let rest = text.get(from..byte).unwrap_or("");
        (
            chars + rest.chars().count(),
            units + rest.chars().map(char::len_utf16).sum::<usize>(),
        )
    }

    /// The position of byte `byte` of `text` (the text this index was built from); offsets
    /// past the end count as the end, and inside a character as that character.
    pub fn position(&self, text: &str, byte: usize) -> TextPos {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= byte).max(1);
        let start = self.line_starts[line - 1];
        // Most lines of a mostly-ASCII file are ASCII: a short one's bytes are its columns.
        if byte - start <= ASCII_LINE_BYTES && text.as_bytes()[start..byte].is_ascii() {
            return TextPos {
                line,
                column: byte - start + 1,
                utf16: byte - start,
            };
        }
        let (c0, u0) = self.counts(text, start);
        let (c1, u1) = self.counts(text, byte);
        TextPos {
            line,
            column: c1 - c0 + 1,
            utf16: u1 - u0,
        }
    }

    /// The 1-based line and column of byte `byte` of `text`, as [`line_col`] gives them.
    pub fn line_col(&self, text: &str, byte: usize) -> Pos {
        let p = self.position(text, byte);
        Pos {
            line: p.line,
            column: p.column,
        }
    }

    /// The byte range of line `line` (1-based) of `text`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .line_starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(text.len());
        let end = self
            .line_starts
            .get(line.max(1))
            .map_or(text.len(), |&next| next - 1);
        start..end.max(start)
    }

    /// The number of lines.
    pub fn lines(&self) -> usize {
        self.line_starts.len()
    }
}

/// The most characters of a user's value that a message repeats.
pub const MAX_ECHO_CHARS: usize = 80;

/// `value`, cut to [`MAX_ECHO_CHARS`] characters with an ellipsis when longer: what a
/// message repeats of a value, however long the value.
pub fn cut(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(MAX_ECHO_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]).into(),
        None => value.into(),
    }
}

/// A message with every value it quotes (between backticks) and every run without spaces cut
/// to [`MAX_ECHO_CHARS`]: a 100 KB key is not repeated in full.
fn shorten(message: &str) -> String {
    shorten_to(message, MAX_ECHO_CHARS)
}

/// [`shorten`] with a limit of `limit` characters for a quoted value.
fn shorten_to(message: &str, limit: usize) -> String {
    let cut_to = |w: &str, limit: usize| -> String {
        match w.char_indices().nth(limit) {
            Some((at, _)) => format!("{}…", &w[..at]),
            None => w.to_owned(),
        }
    };
    let mut quoted = String::with_capacity(message.len().min(8 * limit));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            quoted.push('`');
        }
        if i % 2 == 1 {
            quoted.push_str(&cut_to(part, limit));
        } else {
            quoted.push_str(part);
        }
    }
    // A run without spaces: a value outside quotes. One just cut, with its quotes and
    // punctuation, stays under twice the limit.
    let mut out = String::with_capacity(quoted.len());
    let mut word = String::new();
    for c in quoted.chars() {
        if c.is_whitespace() {
            out.push_str(&cut_to(&word, 2 * limit));
            word.clear();
            out.push(c);
        } else {
            word.push(c);
        }
    }
    out.push_str(&cut_to(&word, 2 * limit));
    out
}

/// The Levenshtein distance between two strings, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, when it is close enough to be a likely typo: an edit
/// distance of at most 2 (or a third of the word's length, for long words), and less than the
/// word's own length. Case differences alone always count as close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let len = word.chars().count();
    let limit = 2.max(len / 3);
    candidates
        .into_iter()
        // Lengths further apart than the limit cannot be close: skip the distance.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit && *d < len)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(text: &str, span: Range<usize>) -> Diagnostic {
        let mut d = Diagnostic::error("a.toml", text.into(), Some(span), "unknown key `x`");
        d.label("unknown key").hint("did you mean `y`?");
        d
    }

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "a = 1\nédité = \"x\"\n";
        assert_eq!(line_col(text, 0), Pos { line: 1, column: 1 });
        assert_eq!(line_col(text, 6), Pos { line: 2, column: 1 });
        // "édité" is 7 bytes and 5 characters.
        assert_eq!(line_col(text, 6 + 7), Pos { line: 2, column: 6 });
        assert_eq!(line_col(text, 10_000), Pos { line: 3, column: 1 });
        // Inside a multi-byte character: the character's own column.
        assert_eq!(line_col(text, 7), Pos { line: 2, column: 1 });
    }

    #[test]
    fn line_index_places_every_byte_as_line_col_does() {
        let long_ascii = format!("id = \"{}\"\nx = 1\n", "a".repeat(3 * CHECKPOINT_BYTES));
        let long_mixed = format!(
            "{}é😀\n{}",
            "b".repeat(CHECKPOINT_BYTES - 1),
            "ü".repeat(400)
        );
        for text in [
            "",
            "a = 1\r\nb = 2\n\n",
            "a = 1\nédité = \"x\"\n",
            "emoji = \"😀\" # 4 bytes, 2 UTF-16 units\n日本 = 3",
            long_ascii.as_str(),
            long_mixed.as_str(),
        ] {
            let index = LineIndex::new(text);
            for byte in 0..=text.len() + 2 {
                let at = index.position(text, byte);
                assert_eq!(
                    index.line_col(text, byte),
                    line_col(text, byte),
                    "byte {byte} of {text:?}"
                );
                // The UTF-16 column counts the units of the characters before it on its line.
                let mut b = byte.min(text.len());
                while !text.is_char_boundary(b) {
                    b -= 1;
                }
                let start = text[..b].rfind('\n').map_or(0, |i| i + 1);
                let units: usize = text[start..b].chars().map(char::len_utf16).sum();
                assert_eq!(at.utf16, units, "byte {byte} of {text:?}");
            }
        }
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("contians", "contains"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggest_only_close_names() {
        let keys = ["contains", "absent", "matches", "figure", "date"];
        assert_eq!(suggest("contians", keys), Some("contains"));
        assert_eq!(suggest("Figure", keys), Some("figure"));
        assert_eq!(suggest("equals", keys), None);
        // Two-letter words are not "close" to everything two edits away.
        assert_eq!(suggest("ur", ["id"]), None);
    }

    #[test]
    fn renders_rustc_style() {
        let d = diag("[claim.check]\nx = 1\n", 14..15);
        assert_eq!(
            d.render(false),
            "error: unknown key `x`\n --> a.toml:2:1\n  |\n2 | x = 1\n  | ^ unknown key\n  |\n  = hint: did you mean `y`?"
        );
        assert_eq!(d.pos(), Some(Pos { line: 2, column: 1 }));
    }

    #[test]
    fn summary_counts_errors_and_files() {
        let text = "x = 1\n";
        let mut b = diag(text, 0..1);
        b.path = "b.toml".into();
        let all = Diagnostics(vec![diag(text, 0..1), diag(text, 0..1), b]);
        assert_eq!(all.errors(), 3);
        let out = all.render(false);
        assert!(
            out.ends_with("\n\nerror: found 3 errors in 2 assertion files\n"),
            "{out}"
        );
        assert!(!out.contains('\x1b'));
        assert!(all.render(true).contains('\x1b'));
    }

    #[test]
    fn renders_without_span() {
        let d = Diagnostic::error(
            "missing.toml",
            "".into(),
            None,
            "cannot read `missing.toml`",
        );
        assert_eq!(d.render(false), "error: cannot read `missing.toml`");
    }
}
