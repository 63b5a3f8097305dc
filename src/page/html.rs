//! HTML pages: parse once, then read the visible text, the main content, CSS-selected text and
//! tables.
//!
//! Text is rendered the way a reader sees it: hidden and non-content elements are skipped,
//! block-level elements break lines, inline elements join their text with no separator (so
//! `<b>79</b>.8` reads `79.8`), table cells are separated by a tab and rows by a newline. The
//! main-content heuristics live in the `main_content` submodule, the text walker in `render`.

mod boilerplate;
#[cfg(test)]
mod hostile;
mod main_content;
mod parse;
mod published;
mod render;
mod select;
mod unseen;

use std::sync::LazyLock;

use scraper::error::SelectorErrorKind;
use scraper::{ElementRef, Html, Selector};

use render::{Mode, render};

use crate::limits::Limits;

pub use published::{MAX_JSON_LD_BYTES, PUBLISHED_META_NAMES, PublishedValue};
pub use unseen::Unseen;

/// The least main-content text, in characters, found when class and id words are trusted; with
/// less, the extractor tries again on tags and roles alone.
pub const MIN_MAIN_TEXT_CHARS: usize = 200;

/// The least text, in characters, for a paragraph to count when scoring main-content candidates.
pub const MIN_PARAGRAPH_CHARS: usize = 25;

/// The largest `colspan` honoured when padding table rows (larger values are clamped).
pub const MAX_COLSPAN: usize = 100;

/// Why a CSS selector could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// The selector does not parse as CSS.
    #[error("invalid CSS selector `{selector}`: {reason}")]
    Invalid {
        /// The selector as written.
        selector: String,
        /// What the CSS parser objected to, in plain words (the parser's own message is a debug
        /// dump for most errors, so it is not attached as a source).
        reason: String,
    },
}

/// A parsed HTML document.
///
/// `Send` (scraper's `atomic` feature), so parsed pages can move between threads.
#[derive(Debug)]
pub struct HtmlDoc {
    html: Html,
}

impl HtmlDoc {
    /// Parses an HTML document; never fails (html5ever recovers from any input).
    ///
    /// Elements nest at most [`Limits::dom_depth`] deep: deeper start tags are dropped, and
    /// their content is read as text of the element at the limit.
    pub fn parse(html: &str) -> HtmlDoc {
        HtmlDoc {
            html: parse::parse_document(html, Limits::current().dom_depth),
        }
    }

    /// The document's `<title>`, else its `og:title`, white space collapsed; `None` if empty.
    pub fn title(&self) -> Option<String> {
        let from_title = self
            .select_all(&TITLE)
            .first()
            .map(|el| collapse_spaces(&el.text().collect::<String>()));
        let from_og = || {
            self.select_all(&OG_TITLE)
                .iter()
                .find_map(|el| el.attr("content"))
                .map(collapse_spaces)
        };
        from_title
            .filter(|t| !t.is_empty())
            .or_else(|| from_og().filter(|t| !t.is_empty()))
    }

    /// All visible text of the page's `<body>`, one block per line.
    pub fn visible_text(&self) -> String {
        render(self.body(), Mode::Visible)
    }

    /// The page's main content (the article), leaving out the headline, navigation, sidebars,
    /// related stories, comments and banners; the visible text when no main content can be told
    /// apart.
    pub fn main_text(&self) -> String {
        main_content::main_text(self.body()).unwrap_or_else(|| self.visible_text())
    }

    /// The text of every element matched by a CSS selector, joined by `"\n"`; `None` when nothing
    /// matches.
    ///
    /// A matched element is rendered even if it is itself hidden or non-content (so
    /// `script[type="application/ld+json"]` reads its JSON); hidden elements inside it are
    /// skipped. Nested matches repeat their text, up to [`Limits::body_bytes`] in all (nested
    /// matches could otherwise repeat a page's text hundreds of times).
    pub fn select_text(&self, selector: &str) -> Result<Option<String>, SelectorError> {
        let selector = parse_selector(selector)?;
        let mut budget = text_budget();
        let mut matched = false;
        let mut texts: Vec<String> = Vec::new();
        for el in self.html.select(&selector) {
            matched = true;
            if budget == 0 {
                break;
            }
            let text = render(el, Mode::Visible);
            budget = budget.saturating_sub(text.len() + 1);
            if !text.is_empty() {
                texts.push(text);
            }
        }
        Ok(matched.then(|| texts.join("\n")))
    }

    /// The text of the first element matched by a CSS selector; `None` when nothing matches.
    pub fn select_first_text(&self, selector: &str) -> Result<Option<String>, SelectorError> {
        let selector = parse_selector(selector)?;
        Ok(self
            .html
            .select(&selector)
            .next()
            .map(|el| render(el, Mode::Visible)))
    }

    /// The first element matched by a CSS selector, with its machine-readable value when it has
    /// one: the `datetime` attribute of `<time>`, `<ins>` and `<del>`, the `content` attribute of
    /// `<meta>`. `None` when nothing matches.
    pub fn select_first_value(
        &self,
        selector: &str,
    ) -> Result<Option<SelectedElement>, SelectorError> {
        let parsed = parse_selector(selector)?;
        Ok(
            select::first_match(&self.html, selector, &parsed).map(|el| {
                let name = el.value().name();
                let attribute = match name {
                    "time" | "ins" | "del" => Some("datetime"),
                    "meta" => Some("content"),
                    _ => None,
                }
                .and_then(|attr| {
                    let value = collapse_spaces(el.value().attr(attr)?);
                    (!value.is_empty()).then_some((attr, value))
                });
                SelectedElement {
                    tag: name.to_owned(),
                    attribute,
                    text: render(el, Mode::Visible),
                }
            }),
        )
    }

    /// The page's language: `<html lang>`, else `<meta http-equiv="content-language">`.
    pub fn lang(&self) -> Option<String> {
        let root = self.html.root_element();
        let from_html = root
            .value()
            .attr("lang")
            .or_else(|| root.value().attr("xml:lang"));
        let from_meta = || {
            self.select_all(&META_HTTP_EQUIV)
                .into_iter()
                .find(|m| {
                    m.attr("http-equiv")
                        .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-language"))
                })
                .and_then(|m| m.attr("content"))
                // `content="en-US, es"`: the first.
                .and_then(|c| c.split(',').next())
        };
        from_html
            .or_else(from_meta)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
    }

    /// Every publication date the page's metadata states, best first: `<meta
    /// property="article:published_time">`, `<meta name>` in the order of
    /// [`PUBLISHED_META_NAMES`], `<meta itemprop="datePublished">`, JSON-LD `datePublished`
    /// (scripts up to [`MAX_JSON_LD_BYTES`]), then `<time itemprop="datePublished">` or `<time
    /// pubdate>`. The whole document is read, head included.
    pub fn published(&self) -> Vec<PublishedValue> {
        published::published(self.html.root_element())
    }

    /// Text the reader does not see: attribute values (`title`, `alt`, `aria-label`, `<meta
    /// content>`), the `<title>`, and hidden elements; for telling a writer where a missing text
    /// is.
    pub fn unseen(&self) -> Vec<Unseen> {
        unseen::unseen(self.html.root_element())
    }

    /// The first of [`HtmlDoc::unseen`]'s texts that `wanted` takes, walking no further (and
    /// describing no other).
    pub fn find_unseen(&self, wanted: impl FnMut(&str) -> bool) -> Option<Unseen> {
        unseen::find_unseen(self.html.root_element(), wanted)
    }

    /// Every `<table>` in document order, as rows of cell texts (`th` and `td` alike).
    ///
    /// Rows belong to their nearest table (a nested table is listed on its own). A cell with
    /// `colspan = n` is followed by `n - 1` empty cells so columns stay aligned; `rowspan` is not
    /// expanded. A cell's text is on one line. Rows without cells are left out. A nested table's
    /// text is also its cell's, so the tables are read up to [`Limits::body_bytes`] of cells in
    /// all (counting each cell's text and its `String`).
    pub fn tables(&self) -> Vec<Vec<Vec<String>>> {
        let mut budget = text_budget();
        let mut tables = Vec::new();
        for table in self.select_all(&TABLE) {
            if budget == 0 {
                break;
            }
            let mut rows = Vec::new();
            for row in table_rows(table) {
                if budget == 0 {
                    break;
                }
                let cells = row_cells(row, &mut budget);
                if !cells.is_empty() {
                    rows.push(cells);
                }
            }
            tables.push(rows);
        }
        tables
    }

    /// The `<body>` element (html5ever always makes one), else the root.
    fn body(&self) -> ElementRef<'_> {
        BODY.as_ref()
            .and_then(|body| self.html.select(body).next())
            .unwrap_or_else(|| self.html.root_element())
    }

    /// Elements matching one of this module's own selectors.
    fn select_all(&self, selector: &OwnSelector) -> Vec<ElementRef<'_>> {
        match selector.as_ref() {
            Some(selector) => self.html.select(selector).collect(),
            None => Vec::new(),
        }
    }
}

/// One of this module's own (valid) selectors, parsed once: every page read uses some.
type OwnSelector = LazyLock<Option<Selector>>;

static BODY: OwnSelector = LazyLock::new(|| Selector::parse("body").ok());
static TITLE: OwnSelector = LazyLock::new(|| Selector::parse("title").ok());
static OG_TITLE: OwnSelector =
    LazyLock::new(|| Selector::parse(r#"meta[property="og:title"]"#).ok());
static META_HTTP_EQUIV: OwnSelector = LazyLock::new(|| Selector::parse("meta[http-equiv]").ok());
static TABLE: OwnSelector = LazyLock::new(|| Selector::parse("table").ok());

/// The first element a selector matches, as [`HtmlDoc::select_first_value`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedElement {
    /// The element's tag name (`time`).
    pub tag: String,
    /// The attribute that holds its machine-readable value, and the value (`("datetime",
    /// "2021-03-14")`), when the element has one.
    pub attribute: Option<(&'static str, String)>,
    /// Its text, as [`HtmlDoc::select_first_text`] reads it.
    pub text: String,
}

/// Checks that a CSS selector parses, as `select` locators and `within` need.
pub fn validate_selector(selector: &str) -> Result<(), SelectorError> {
    parse_selector(selector).map(|_| ())
}

fn parse_selector(selector: &str) -> Result<Selector, SelectorError> {
    let invalid = |reason: String| SelectorError::Invalid {
        selector: selector.to_owned(),
        reason,
    };
    if selector.trim().is_empty() {
        return Err(invalid("the selector is empty".to_owned()));
    }
    Selector::parse(selector).map_err(|err| invalid(describe_selector_error(&err)))
}

/// A plain-words reason for a selector parse error (scraper's own message for most of them is a
/// debug dump addressed to its developers).
fn describe_selector_error(err: &SelectorErrorKind) -> String {
    let reason = match err {
        SelectorErrorKind::EndOfLine => {
            "the selector ends too early (an unclosed `[`, `(` or quote?)"
        }
        SelectorErrorKind::UnexpectedToken => "a character that CSS does not allow here",
        SelectorErrorKind::UnexpectedSelectorParseError(kind) => {
            return match format!("{kind:?}").as_str() {
                "EmptySelector" => {
                    "a selector is missing (nothing before a combinator or after a comma, an empty \
                     `:not()`, or an id that starts with a digit?)"
                        .to_owned()
                }
                "DanglingCombinator" => {
                    "a combinator (`>`, `+`, `~`) has nothing after it".to_owned()
                }
                "ClassNeedsIdent" => "`.` must be followed by a class name".to_owned(),
                "UnsupportedPseudoClassOrElement" => {
                    "unsupported pseudo-class or pseudo-element".to_owned()
                }
                "ExpectedNamespace" => "unknown namespace prefix before `|`".to_owned(),
                other => camel_to_words(other),
            };
        }
        other => return other.to_string().to_lowercase(),
    };
    reason.to_owned()
}

/// `DanglingCombinator` → `dangling combinator`.
fn camel_to_words(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().take_while(|c| c.is_alphanumeric()) {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The `tr` elements whose nearest enclosing table is `table`.
fn table_rows(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    collect_rows(table, &mut rows);
    rows
}

/// Walks `el`'s descendants in document order with an explicit stack, collecting `tr`s and not
/// entering nested tables.
fn collect_rows<'a>(el: ElementRef<'a>, rows: &mut Vec<ElementRef<'a>>) {
    let mut stack: Vec<ElementRef<'a>> = el.child_elements().collect();
    stack.reverse();
    while let Some(child) = stack.pop() {
        match child.value().name() {
            "tr" => rows.push(child),
            "table" => {}
            _ => {
                let at = stack.len();
                stack.extend(child.child_elements());
                stack[at..].reverse();
            }
        }
    }
}

/// The cell texts of one row, `colspan` padded with empty cells; each cell's text and `String`
/// are taken from `budget`, and the row stops when it runs out.
fn row_cells(row: ElementRef<'_>, budget: &mut usize) -> Vec<String> {
    let mut cells = Vec::new();
    for cell in row
        .child_elements()
        .filter(|c| matches!(c.value().name(), "td" | "th") && !render::is_hidden(*c))
    {
        if *budget == 0 {
            break;
        }
        let text = render(cell, Mode::Visible);
        let span = cell
            .attr("colspan")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, MAX_COLSPAN);
        *budget = budget.saturating_sub(text.len() + span * std::mem::size_of::<String>());
        cells.push(collapse_spaces(&text.replace(['\n', '\t'], " ")));
        cells.extend(std::iter::repeat_n(String::new(), span - 1));
    }
    cells
}

/// The most text, in bytes, that reading a page's tables or a selector's matches may produce:
/// [`Limits::body_bytes`].
fn text_budget() -> usize {
    usize::try_from(Limits::current().body_bytes).unwrap_or(usize::MAX)
}

/// Collapses every run of white space to one space and trims the ends.
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The selectors parsed once are all valid (an invalid one would select nothing, silently).
    #[test]
    fn own_selectors_parse() {
        for selector in [&BODY, &TITLE, &OG_TITLE, &META_HTTP_EQUIV, &TABLE] {
            assert!(selector.is_some());
        }
    }

    /// A news page with the usual furniture around one article.
    const NEWS_PAGE: &str = r##"<!DOCTYPE html>
<html class="no-js"><head><title> DeepSeek  shakes markets | Example News </title>
<script>window.dataLayer = [];</script><style>.x{}</style></head>
<body class="nav-open has-comments">
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Technology</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> / <a href="/tech">Tech</a></div>
<div class="page">
  <div class="content">
    <h1>DeepSeek shakes markets</h1>
    <p>The Chinese start-up said training its V3 model took only 2.788M H800 GPU hours,
       costing about <b>$5.6</b> million, a fraction of what rivals spend.</p>
    <p>Nvidia shares fell 17% on Monday, wiping nearly $600bn off its market value, the
       largest one-day loss for any company in US history.</p>
    <p>Analysts said the figure excludes research and ablation experiments, and that the
       true cost was likely much higher than the headline number suggests.</p>
    <div class="share-tools"><a href="#">Share on X</a> <a href="#">Share on Facebook</a></div>
  </div>
  <div class="sidebar">
    <h3>Most read</h3>
    <ol><li><a href="/a">Celebrity chef opens a second restaurant in town</a></li>
        <li><a href="/b">Ten gardening tips for a rainy spring, ranked</a></li></ol>
  </div>
</div>
<section id="comments"><h3>Comments</h3>
  <p>I always said these valuations were a bubble, and now we have the proof of it.</p></section>
<footer><p>Copyright Example News 2025, all rights reserved.</p></footer>
</body></html>"##;

    #[test]
    fn html_doc_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<HtmlDoc>();
    }

    #[test]
    fn title_is_collapsed() {
        let doc = HtmlDoc::parse(NEWS_PAGE);
        assert_eq!(
            doc.title().as_deref(),
            Some("DeepSeek shakes markets | Example News")
        );
        let og = HtmlDoc::parse(r#"<meta property="og:title" content=" OG  title "><p>x</p>"#);
        assert_eq!(og.title().as_deref(), Some("OG title"));
        assert_eq!(HtmlDoc::parse("<p>no title</p>").title(), None);
    }

    #[test]
    fn visible_text_has_everything_shown() {
        let text = HtmlDoc::parse(NEWS_PAGE).visible_text();
        assert!(text.contains("costing about $5.6 million"), "{text}");
        assert!(text.contains("Most read"));
        assert!(text.contains("We use cookies"));
        assert!(!text.contains("dataLayer"));
        assert!(!text.contains("Example News |"), "title is not body text");
        assert!(text.starts_with("We use cookies"), "{text}");
    }

    #[test]
    fn main_text_scored_leaves_out_furniture() {
        let text = HtmlDoc::parse(NEWS_PAGE).main_text();
        assert!(text.contains("only 2.788M H800 GPU hours, costing about $5.6 million"));
        assert!(text.contains("Nvidia shares fell 17% on Monday"));
        assert!(text.contains("true cost was likely much higher"));
        for furniture in [
            "Most read",
            "Celebrity chef",
            "cookies",
            "Technology",
            "Share on X",
            "valuations were a bubble",
            "Copyright",
        ] {
            assert!(!text.contains(furniture), "{furniture:?} in {text}");
        }
    }

    #[test]
    fn main_text_prefers_the_largest_article() {
        let html = r#"<body><nav><a href="/">Home</a></nav>
            <main>
              <article class="post has-comments">
                <h1>Headline of the story</h1>
                <p>First paragraph of the real story, which is long enough to count as one.</p>
                <aside class="pullquote"><p>A pull quote repeated from the text body</p></aside>
                <p>Second paragraph of the real story, also with plenty of words in it to read.</p>
                <p>Third paragraph, so that the article has more than two hundred characters.</p>
                <div id="comment-section"><p>First! Great article, thanks for writing it.</p></div>
                <form><label>Your reply</label><textarea></textarea></form>
              </article>
              <aside><article><p>Teaser: another story you might like to read today.</p></article></aside>
              <div role="complementary"><article><p>Sponsored: buy our product now</p></article></div>
            </main></body>"#;
        let text = HtmlDoc::parse(html).main_text();
        assert!(
            text.starts_with("First paragraph"),
            "the h1 headline is left out: {text}"
        );
        assert!(text.contains("Third paragraph"));
        for absent in [
            "Headline",
            "Home",
            "pull quote",
            "First!",
            "Your reply",
            "Teaser",
            "Sponsored",
        ] {
            assert!(!text.contains(absent), "{absent:?} in {text}");
        }
    }

    #[test]
    fn main_text_uses_role_main() {
        let body = "This paragraph is the main content of the page and it is long enough. ";
        let html = format!(
            r#"<div class="menu"><a href="/">Home</a></div><div role="main"><p>{}</p></div>
               <div class="related-stories"><p>{}</p></div>"#,
            body.repeat(3),
            "Some other story entirely, which is related but not the content. ".repeat(3)
        );
        let text = HtmlDoc::parse(&html).main_text();
        assert!(
            text.starts_with("This paragraph is the main content"),
            "{text}"
        );
        assert!(!text.contains("Some other story"));
        assert!(!text.contains("Home"));
    }

    #[test]
    fn main_text_falls_back_to_visible_text() {
        let doc = HtmlDoc::parse("<ul><li><a href='/a'>A</a></li><li>B</li></ul>");
        assert_eq!(doc.main_text(), "A\nB");
        assert_eq!(HtmlDoc::parse("").main_text(), "");
    }

    #[test]
    fn select_text_joins_all_matches() {
        let doc = HtmlDoc::parse(
            r#"<table class="prices"><tr><td class="close">10.5</td><td class="close"><b>11</b>.25</td></tr></table>
               <script type="application/ld+json">{"headline": "Hi"}</script>"#,
        );
        assert_eq!(
            doc.select_text("td.close").unwrap().as_deref(),
            Some("10.5\n11.25")
        );
        assert_eq!(
            doc.select_first_text("table.prices td.close")
                .unwrap()
                .as_deref(),
            Some("10.5")
        );
        assert_eq!(
            doc.select_first_text(r#"script[type="application/ld+json"]"#)
                .unwrap()
                .as_deref(),
            Some(r#"{"headline": "Hi"}"#)
        );
        assert_eq!(doc.select_text("td.open").unwrap(), None);
        assert_eq!(doc.select_first_text("td.open").unwrap(), None);
    }

    #[test]
    fn bad_selectors_are_readable_errors() {
        for bad in ["td..close", "", "   ", "div >", "p[", "a:not("] {
            let err = validate_selector(bad).unwrap_err();
            let message = err.to_string();
            assert!(message.starts_with("invalid CSS selector `"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
        assert!(HtmlDoc::parse("<p>x</p>").select_text("p[").is_err());
        assert!(validate_selector("table.prices > tbody tr:nth-child(2) td").is_ok());
    }

    #[test]
    fn tables_are_rows_of_cells() {
        let doc = HtmlDoc::parse(
            r#"<table><thead><tr><th>Date</th><th colspan="2">Price</th></tr></thead>
               <tbody><tr><td>2025-01-27</td><td>118.42</td><td><span>5.6</span> million</td></tr>
               <tr></tr>
               <tr><td>nested<table><tr><td>inner</td></tr></table></td><td hidden>x</td></tr>
               </tbody></table>"#,
        );
        let tables = doc.tables();
        assert_eq!(tables.len(), 2);
        assert_eq!(
            tables[0],
            vec![
                vec!["Date", "Price", ""],
                vec!["2025-01-27", "118.42", "5.6 million"],
                vec!["nested inner"],
            ]
        );
        assert_eq!(tables[1], vec![vec!["inner"]]);
    }
}
