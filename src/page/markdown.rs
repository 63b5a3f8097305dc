//! Markdown pages: the readable text of a markdown file, and its GFM tables.
//!
//! Markup is removed the way a rendered page reads: `[text](url)` reads `text`, an image reads as
//! its alt text, emphasis, code and strike marks go, headings and list markers go, raw HTML tags
//! go (their text stays; `<br>` and block tags break lines; comments, `<script>` and `<style>`
//! vanish). Blocks are separated by newlines, a paragraph's soft line breaks become spaces, and
//! a table reads one row per line with cells separated by a tab, so `**79.8**` in a cell reads
//! `79.8` and no pipe is left.
//!
//! Hostile input is bounded: the markdown parser pads every table row to its header's width, so
//! a wide header over many short rows would make rows × columns cells from a few bytes. The
//! renderer takes at most [`EVENTS_PER_BYTE`] parser events a byte of input; past that, the rest
//! of the document is kept as it stands (markup and all), so no text goes unread. The tables
//! hold at most [`Limits::body_bytes`] of cells (each cell counting its text and its `String`);
//! rows past that are left out of the tables (a `cell` locator then finds no row), never out of
//! the text. A row's trailing empty cells are not written to the text (tidying drops them).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::limits::Limits;

/// The most parser events the renderer takes for each byte of markdown (plus a few thousand):
/// ordinary markdown makes far fewer; only padded table cells make more.
pub const EVENTS_PER_BYTE: usize = 16;

/// The readable text of a markdown document, one block (or table row) per line.
pub fn markdown_to_text(md: &str) -> String {
    let mut renderer = Renderer::default();
    renderer.run(md);
    tidy(&renderer.text)
}

/// Every GFM table in a markdown document: the header row first, then the body rows, each a list
/// of cell texts with inline markup removed.
pub fn markdown_tables(md: &str) -> Vec<Vec<Vec<String>>> {
    let mut renderer = Renderer::default();
    renderer.run(md);
    renderer.tables
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Walks the parser's events once, writing the text and collecting the tables.
#[derive(Default)]
struct Renderer {
    /// Bytes of table cells still allowed ([`Limits::body_bytes`], set by `run`).
    budget: usize,
    text: String,
    tables: Vec<Vec<Vec<String>>>,
    table: Vec<Vec<String>>,
    row: Vec<String>,
    /// The cell being read: while set, output goes here and line breaks become spaces.
    cell: Option<String>,
    html: HtmlStripper,
}

impl Renderer {
    fn run(&mut self, md: &str) {
        self.budget = usize::try_from(Limits::current().body_bytes).unwrap_or(usize::MAX);
        let mut events_left = md
            .len()
            .saturating_mul(EVENTS_PER_BYTE)
            .saturating_add(4096);
        for (event, range) in Parser::new_ext(md, parser_options()).into_offset_iter() {
            if events_left == 0 {
                // The rest as it stands: bounded by the input, and nothing left unread. A table
                // being read keeps the rows read so far (and its number).
                if !self.table.is_empty() {
                    self.tables.push(std::mem::take(&mut self.table));
                }
                self.cell = None;
                self.line_break();
                self.text.push_str(&md[range.start..]);
                return;
            }
            events_left -= 1;
            self.event(event);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => self.push_text(&text),
            Event::Html(html) | Event::InlineHtml(html) => self.push_html(&html),
            Event::SoftBreak => self.push(" "),
            Event::HardBreak | Event::Rule => self.line_break(),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Table(_) => {
                self.line_break();
                self.table.clear();
            }
            Tag::TableHead | Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.cell = Some(String::new()),
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.line_break(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Table => {
                // Pushed even when the budget left it empty, so tables keep their numbers.
                self.tables.push(std::mem::take(&mut self.table));
                self.line_break();
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let row = std::mem::take(&mut self.row);
                let written = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
                self.text.push('\n');
                self.text.push_str(&row[..written].join("\t"));
                self.text.push('\n');
                let cost: usize = row
                    .iter()
                    .map(|c| c.len() + std::mem::size_of::<String>())
                    .sum();
                if cost <= self.budget {
                    self.budget -= cost;
                    self.table.push(row);
                } else {
                    self.budget = 0;
                }
            }
            TagEnd::TableCell => {
                let cell = self.cell.take().unwrap_or_default();
                self.row.push(collapse_spaces(&cell));
            }
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.line_break(),
            _ => {}
        }
    }

    /// Writes text, keeping its line breaks (code blocks) and turning tabs into spaces, since
    /// tabs only separate table cells.
    fn push_text(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.line_break();
            }
            self.push(&line.replace('\t', " "));
        }
    }

    /// Writes the text of a raw HTML chunk, tags removed.
    fn push_html(&mut self, html: &str) {
        let mut pieces = Vec::new();
        self.html.strip(html, &mut pieces);
        for piece in pieces {
            match piece {
                Piece::Text(text) => self.push_text(&decode_entities(&text)),
                Piece::Break => self.line_break(),
            }
        }
    }

    fn push(&mut self, s: &str) {
        match &mut self.cell {
            Some(cell) => cell.push_str(s),
            None => self.text.push_str(s),
        }
    }

    fn line_break(&mut self) {
        match &mut self.cell {
            Some(cell) => cell.push(' '),
            None => self.text.push('\n'),
        }
    }
}

/// What a raw HTML chunk contributes.
enum Piece {
    Text(String),
    Break,
}

/// Removes tags from raw HTML, keeping state across chunks (a comment or a `<script>` can span
/// several of the parser's HTML events).
#[derive(Default)]
struct HtmlStripper {
    in_comment: bool,
    /// Inside `<script>` or `<style>`: the closing tag that ends the skipped content.
    skip_until: Option<&'static str>,
}

/// HTML tags that break lines when markdown embeds them.
const HTML_BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

impl HtmlStripper {
    fn strip(&mut self, html: &str, out: &mut Vec<Piece>) {
        let mut rest = html;
        let mut text = String::new();
        while !rest.is_empty() {
            if self.in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        self.in_comment = false;
                    }
                    None => rest = "",
                }
                continue;
            }
            if let Some(close) = self.skip_until {
                match find_ignore_case(rest, close) {
                    Some(end) => {
                        rest = &rest[end..];
                        self.skip_until = None;
                    }
                    None => rest = "",
                }
                continue;
            }
            let Some(lt) = rest.find('<') else {
                text.push_str(rest);
                break;
            };
            text.push_str(&rest[..lt]);
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                self.in_comment = true;
                rest = after;
                continue;
            }
            let is_tag = rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
            let end = rest.find('>');
            match (is_tag, end) {
                (true, Some(end)) => {
                    let name = tag_name(&rest[1..end]);
                    if HTML_BLOCK_TAGS.contains(&name.as_str()) {
                        out.push(Piece::Text(std::mem::take(&mut text)));
                        out.push(Piece::Break);
                    }
                    if !rest[1..].starts_with('/') {
                        self.skip_until = match name.as_str() {
                            "script" => Some("</script"),
                            "style" => Some("</style"),
                            _ => None,
                        };
                    }
                    rest = &rest[end + 1..];
                }
                _ => {
                    // A lone `<` (as in `a < b`) is text.
                    text.push('<');
                    rest = &rest[1..];
                }
            }
        }
        out.push(Piece::Text(text));
    }
}

/// The lower-cased element name of a tag's inside (`/td class=x` → `td`).
fn tag_name(inside: &str) -> String {
    inside
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// Decodes the character references common in raw HTML: numeric ones and a few named ones.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collapses every run of white space to one space and trims the ends.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collapses space runs within each cell, trims lines and drops empty ones.
fn tidy(buf: &str) -> String {
    let lines = buf.split('\n').filter_map(|line| {
        let cells: Vec<String> = line.split('\t').map(collapse_spaces).collect();
        let line = cells.join("\t");
        let line = line.trim_matches('\t');
        (!line.is_empty()).then(|| line.to_owned())
    });
    lines.collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_and_emphasis_read_as_text() {
        let md = "Released under the [MIT License](https://example.com/LICENSE). \
                  ![DeepSeek logo](logo.svg) **bold** *it* `code` ~~old~~ <https://x.org>";
        assert_eq!(
            markdown_to_text(md),
            "Released under the MIT License. DeepSeek logo bold it code old https://x.org"
        );
    }

    #[test]
    fn headings_lists_and_paragraphs_become_lines() {
        let md = "# Title\n\nFirst para\ncontinues here.\n\n- one\n- **two**\n\n\
                  1. first\n2. second\n\n> quoted\n\n---\n\nend";
        assert_eq!(
            markdown_to_text(md),
            "Title\nFirst para continues here.\none\ntwo\nfirst\nsecond\nquoted\nend"
        );
    }

    #[test]
    fn code_blocks_keep_lines() {
        let md = "```bash\npip install x\n\tpython run.py\n```\n";
        assert_eq!(markdown_to_text(md), "pip install x\npython run.py");
    }

    #[test]
    fn html_tags_removed_text_kept() {
        let md = "<div align=\"center\">\n  <img src=\"logo.svg\" alt=\"Logo\" />\n</div>\n\n\
                  Paper: <a href=\"x.pdf\"><b>Paper Link</b></a> line<br>two &amp; more\n\n\
                  <!-- a comment\nover lines -->\n\n<p>Block &#169; text&nbsp;here</p>\n";
        assert_eq!(
            markdown_to_text(md),
            "Paper: Paper Link line\ntwo & more\nBlock \u{a9} text here"
        );
    }

    #[test]
    fn lone_angle_bracket_is_text() {
        assert_eq!(markdown_to_text("a < b and c<d"), "a < b and c<d");
    }

    #[test]
    fn tables_read_one_row_per_line() {
        let md = "Results:\n\n| Category | Benchmark (Metric) | DeepSeek R1 |\n\
                  |---|---|:---:|\n\
                  | Math | AIME 2024 (Pass@1) | **79.8** |\n\
                  | | MATH-500 (Pass@1) | **97.3** |\n\nAfter the table.";
        assert_eq!(
            markdown_to_text(md),
            "Results:\nCategory\tBenchmark (Metric)\tDeepSeek R1\n\
             Math\tAIME 2024 (Pass@1)\t79.8\n\
             MATH-500 (Pass@1)\t97.3\n\
             After the table."
        );
    }

    #[test]
    fn tables_collected_with_header_first() {
        let md = "| Model | Score |\n|---|---|\n| [R1](https://x) | **79.8** |\n\
                  | `V3` | 39.2<br>(est.) |\n| a \\| b | 1 |\n\n\
                  text\n\n| only | header |\n|--|--|\n";
        assert_eq!(
            markdown_tables(md),
            vec![
                vec![
                    vec!["Model".to_owned(), "Score".to_owned()],
                    vec!["R1".to_owned(), "79.8".to_owned()],
                    vec!["V3".to_owned(), "39.2 (est.)".to_owned()],
                    vec!["a | b".to_owned(), "1".to_owned()],
                ],
                vec![vec!["only".to_owned(), "header".to_owned()]],
            ]
        );
    }

    #[test]
    fn no_tables_gives_empty_list() {
        assert!(markdown_tables("just | a pipe").is_empty());
    }

    #[test]
    fn entities_decoded() {
        assert_eq!(
            decode_entities("a&amp;b &#x41;&#66; &bogus; & end"),
            "a&b AB &bogus; & end"
        );
    }
}

/// Property tests of the markdown, CSV, JSON and text readers (kept beside this module).
#[cfg(test)]
#[path = "fuzz_tests.rs"]
mod fuzz_tests;
