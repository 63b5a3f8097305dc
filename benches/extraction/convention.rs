//! How much of a score is a labelling convention rather than extraction (`--conventions`).
//!
//! The two corpora label the same structures in opposite ways: Readability's expected text keeps
//! photo captions and, on some pages, the comment thread; Scrapinghub's ground truth leaves both
//! out. No rule on structure can agree with both, so this analysis scores every extractor again
//! with those lines **neutral**: a line of the expected or the extracted text that is the text of
//! a caption or a comment section of the page is dropped from both before scoring. What is left
//! of the gap is extraction.
//!
//! A caption or comment section is a `figcaption`, or an element whose `class` or `id` holds
//! `caption`, `credit` or `comment` (`wp-caption-text`, `comments-area`, …), unless it holds more
//! than half of the expected text's lines: then it wraps the article (a `has-comments` layout
//! class), and is not one. This is an analysis of the ground truth, not an extraction rule: the
//! extractor never sees it.

use scraper::{Html, Selector};

/// Class and id words that mark a caption, a photo credit or a comment section.
const WORDS: [&str; 3] = ["caption", "credit", "comment"];

/// The white-space-collapsed texts of `html`'s captions and comment sections, leaving out any
/// that holds more than half of `expected`'s lines.
pub fn sections(html: &str, expected: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").expect("valid selector");
    let lines: Vec<String> = lines(expected).collect();
    doc.select(&all)
        .filter(|el| {
            let v = el.value();
            v.name() == "figcaption"
                || [v.attr("class"), v.attr("id")]
                    .into_iter()
                    .flatten()
                    .any(|a| {
                        let a = a.to_ascii_lowercase();
                        WORDS.iter().any(|w| a.contains(w))
                    })
        })
        .map(|el| collapse(&el.text().collect::<String>()))
        .filter(|text| {
            !text.is_empty()
                && 2 * lines.iter().filter(|l| text.contains(l.as_str())).count() <= lines.len()
        })
        .collect()
}

/// `text` without the lines that lie within one of `sections` (compared white space collapsed).
pub fn neutral(text: &str, sections: &[String]) -> String {
    text.lines()
        .filter(|line| {
            let line = collapse(line);
            line.is_empty() || !sections.iter().any(|s| s.contains(&line))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The non-empty lines of `text`, white space collapsed.
fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(collapse).filter(|l| !l.is_empty())
}

/// `text` with runs of white space made one space, and trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
