//! Main-content extraction: find the element that holds the page's article, and render it without
//! boilerplate.
//!
//! A first, simple version (a benchmark-tuned extractor will replace it). On the dev half of the
//! extraction benchmark (`shared/extraction`) it scores F1 0.92, against 0.71 for the visible
//! text; it was not tuned to those pages.
//!
//! 1. An explicit container, if one holds at least [`MIN_MAIN_TEXT_CHARS`] of text: the `article`
//!    with the most text, else `main`, `[role=main]` or `[itemprop=articleBody]`; one inside
//!    `nav`/`header`/`footer`/`aside` or a navigation/complementary role does not count.
//! 2. Otherwise a Readability-style score: each paragraph (`p`, `pre`, or a `div`/`section`/`td`
//!    with only inline content) of at least [`MIN_PARAGRAPH_CHARS`] adds
//!    `1 + commas + min(chars / 100, 3)` to its parent and half that to its grandparent; a
//!    candidate's score is scaled by `1 - link density`, and the best one wins. Paragraphs under
//!    boilerplate do not count; if that finds too little, scoring runs again trusting tags and
//!    roles only, since layout classes (`penci_sidebar`, `theiaStickySidebar`) can wrap the
//!    whole article.
//!
//! Either way the chosen element is rendered without boilerplate: `nav`, `header`, `footer`,
//! `aside`, `form`, `[role=navigation|complementary|banner|contentinfo]`, and elements whose
//! class or id has a boilerplate word as a whole word-part, unless it also has a content word
//! (`article`, `body`, `content`, `entry`, `main`, `post`, `story`). Word-parts are split at
//! non-alphanumerics and camelCase humps, and a plural `s` is allowed: `related-stories`,
//! `commentList` and `social_links` are boilerplate, `navbar`, `shareholder` and `menuitem` are
//! not (`navbar`s are usually `nav` elements anyway), nor is `content-with-sidebar`. Class and
//! id are not consulted on `html`, `body`, `main` and `article`, whose page-wide classes
//! (`nav-open`, `has-comments`) say nothing about their content.

use std::collections::HashMap;

use scraper::ElementRef;

use super::render::{Mode, is_block, is_hidden, render};
use super::{MIN_MAIN_TEXT_CHARS, MIN_PARAGRAPH_CHARS};

/// Class and id word-parts that mark boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "comment",
    "sidebar",
    "related",
    "share",
    "social",
    "cookie",
    "consent",
    "banner",
    "promo",
    "newsletter",
    "subscribe",
    "advert",
    "advertisement",
    "ad",
    "breadcrumb",
    "footer",
    "nav",
    "menu",
    "popup",
];

/// Class and id word-parts that mark content, overriding boilerplate words on the same element
/// (`content-with-sidebar`, `article-body l-sidebar-fixed`).
const CONTENT_WORDS: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "story",
];

/// Explicit main-content containers after `article`, in order of preference.
const MAIN_SELECTORS: &[&str] = &["main", "[role=main]", "[itemprop=articleBody]"];

/// The main content under `body`, or `None` when nothing stands out.
pub(super) fn main_text(body: ElementRef<'_>) -> Option<String> {
    if let Some(text) = explicit_main(body) {
        return Some(text);
    }
    // Layout classes can wrap the whole article: if trusting class names finds too little,
    // score again on tags and roles alone.
    let long_enough = |text: &String| text.chars().count() >= MIN_MAIN_TEXT_CHARS;
    let by_class = scored_main(body, Trust::TagsAndClasses);
    if by_class.as_ref().is_some_and(long_enough) {
        return by_class;
    }
    scored_main(body, Trust::Tags).or(by_class)
}

/// Which signs of boilerplate an ancestor check believes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// Tags and ARIA roles only.
    Tags,
    /// Tags, roles, and class/id words.
    TagsAndClasses,
}

/// Whether an element is boilerplate, to be left out of the main content.
pub(super) fn is_boilerplate(el: ElementRef<'_>) -> bool {
    el.value().name() == "form" || is_boilerplate_container(el, Trust::TagsAndClasses)
}

/// Like [`is_boilerplate`], but a `form` is not (whole pages sit in one, as in ASP.NET), and
/// class and id words count only when `trust` says so.
fn is_boilerplate_container(el: ElementRef<'_>, trust: Trust) -> bool {
    let value = el.value();
    let name = value.name();
    if matches!(name, "nav" | "header" | "footer" | "aside") {
        return true;
    }
    if let Some(role) = value.attr("role") {
        let role = role.trim().to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation" | "complementary" | "banner" | "contentinfo"
        ) {
            return true;
        }
    }
    if trust == Trust::Tags || matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    let parts: Vec<String> = [value.attr("class"), value.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(word_parts)
        .collect();
    let is = |words: &[&str]| {
        parts.iter().any(|part| {
            words
                .iter()
                .any(|w| part == w || part.strip_suffix('s') == Some(w))
        })
    };
    is(BOILERPLATE_WORDS) && !is(CONTENT_WORDS)
}

/// Lower-cased word-parts, split at non-alphanumerics and at lower-to-upper case changes.
fn word_parts(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if !c.is_alphanumeric() {
            prev_lower = false;
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// Whether `el` or an ancestor up to (not including) `body` is hidden or boilerplate by tag or
/// role (class names are not trusted here: `has-sidebar` layouts wrap whole articles).
fn inside_boilerplate(el: ElementRef<'_>, body: ElementRef<'_>) -> bool {
    let mut node = Some(el);
    while let Some(current) = node {
        if current.id() == body.id() {
            return false;
        }
        if is_boilerplate_container(current, Trust::Tags) || is_hidden(current) {
            return true;
        }
        node = current.parent().and_then(ElementRef::wrap);
    }
    false
}

/// The text of the largest `article`, else of the first `main`-like element, if long enough.
fn explicit_main(body: ElementRef<'_>) -> Option<String> {
    let long_enough = |text: &String| text.chars().count() >= MIN_MAIN_TEXT_CHARS;
    let usable = |css: &str| -> Vec<String> {
        let Ok(selector) = scraper::Selector::parse(css) else {
            return Vec::new();
        };
        body.select(&selector)
            .filter(|el| !inside_boilerplate(*el, body))
            .map(|el| render(el, Mode::Main))
            .collect()
    };
    let article = usable("article")
        .into_iter()
        .max_by_key(|text| text.chars().count())
        .filter(long_enough);
    article.or_else(|| {
        MAIN_SELECTORS
            .iter()
            .find_map(|css| usable(css).into_iter().find(long_enough))
    })
}

/// The text of the best-scoring container, by paragraph scores and link density.
fn scored_main(body: ElementRef<'_>, trust: Trust) -> Option<String> {
    // Candidates in first-scored order (deterministic ties), indexed by node id.
    let mut candidates: Vec<(ElementRef<'_>, f64)> = Vec::new();
    let mut index = HashMap::new();
    let mut stack = vec![body];
    while let Some(el) = stack.pop() {
        for child in el.child_elements() {
            if is_hidden(child) || is_boilerplate_container(child, trust) {
                continue;
            }
            stack.push(child);
            let Some(score) = paragraph_score(child) else {
                continue;
            };
            let parent = child.parent().and_then(ElementRef::wrap);
            let grandparent = parent.and_then(|p| p.parent()).and_then(ElementRef::wrap);
            for (ancestor, share) in [(parent, score), (grandparent, score / 2.0)] {
                if let Some(ancestor) = ancestor {
                    let i = *index.entry(ancestor.id()).or_insert_with(|| {
                        candidates.push((ancestor, 0.0));
                        candidates.len() - 1
                    });
                    candidates[i].1 += share;
                }
            }
        }
    }
    let best = candidates
        .into_iter()
        .map(|(el, score)| (el, score * (1.0 - link_density(el))))
        .filter(|(_, score)| *score > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let text = render(best.0, Mode::Main);
    (!text.is_empty()).then_some(text)
}

/// A paragraph's score, `None` for non-paragraphs and short ones.
fn paragraph_score(el: ElementRef<'_>) -> Option<f64> {
    if !is_paragraph(el) {
        return None;
    }
    let text = render(el, Mode::Visible);
    let chars = text.chars().count();
    if chars < MIN_PARAGRAPH_CHARS {
        return None;
    }
    let commas = text.matches([',', '\u{ff0c}', '\u{3001}']).count();
    Some(1.0 + commas as f64 + (chars as f64 / 100.0).min(3.0))
}

/// Whether an element reads as a paragraph: `p`, `pre`, or a container with only inline content
/// (line breaks allowed: `text<br><br>text` is how some sites write paragraphs).
fn is_paragraph(el: ElementRef<'_>) -> bool {
    match el.value().name() {
        "p" | "pre" => true,
        "div" | "section" | "td" => !el
            .descendent_elements()
            .skip(1)
            .any(|d| d.value().name() != "br" && is_block(d.value().name())),
        _ => false,
    }
}

/// The share of an element's visible, non-boilerplate text that sits inside links.
fn link_density(el: ElementRef<'_>) -> f64 {
    let (mut total, mut linked) = (0usize, 0usize);
    count_text(el, false, &mut total, &mut linked);
    if total == 0 {
        1.0
    } else {
        linked as f64 / total as f64
    }
}

fn count_text(el: ElementRef<'_>, in_link: bool, total: &mut usize, linked: &mut usize) {
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            let n = text.chars().filter(|c| !c.is_whitespace()).count();
            *total += n;
            if in_link {
                *linked += n;
            }
        } else if let Some(child) = ElementRef::wrap(child) {
            if is_hidden(child) || is_boilerplate(child) {
                continue;
            }
            let in_link = in_link || child.value().name() == "a";
            count_text(child, in_link, total, linked);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn first<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
        let selector = Selector::parse(css).expect("test selector");
        doc.select(&selector).next().expect("test element")
    }

    #[test]
    fn word_parts_split_on_punctuation_and_camel_case() {
        assert_eq!(
            word_parts("related-stories commentList social_links NAV2x"),
            [
                "related", "stories", "comment", "list", "social", "links", "nav2x"
            ]
        );
    }

    #[test]
    fn boilerplate_by_whole_word_part() {
        let doc = Html::parse_document(
            r#"<div id="a" class="related-stories"></div><div id="b" class="navbar-free"></div>
               <div id="c" class="shareholder-letter"></div><div id="d" class="x" ></div>
               <div id="e" class="content-with-sidebar"></div><div id="f" class="sidebar"></div>
               <div id="menus"></div><div id="g" role="navigation"></div>"#,
        );
        let verdict = |css: &str| is_boilerplate(first(&doc, css));
        assert!(verdict("#a"));
        assert!(!verdict("#b"));
        assert!(!verdict("#c"));
        assert!(!verdict("#d"));
        assert!(!verdict("#e"), "a content word overrides");
        assert!(verdict("#f"));
        assert!(verdict("#menus"), "plural");
        assert!(verdict("#g"));
        assert!(!verdict("body"));
    }

    #[test]
    fn layout_class_around_the_article_does_not_hide_it() {
        let para = "A paragraph of the article, long enough to be scored as one, with commas, too.";
        let html = format!(
            r#"<body><div class="layout has-sidebar"><div class="text">
               <p>{para} One.</p><p>{para} Two.</p><p>{para} Three.</p></div>
               <div class="widget"><a href="/x">Some link</a></div></div></body>"#
        );
        let doc = Html::parse_document(&html);
        let text = main_text(first(&doc, "body")).expect("main content");
        assert!(text.contains("One.") && text.contains("Three."), "{text}");
        assert!(!text.contains("Some link"), "{text}");
    }

    #[test]
    fn br_separated_text_is_a_paragraph() {
        let doc = Html::parse_document("<div id=x>line one is long<br><br>line two</div>");
        assert!(is_paragraph(first(&doc, "#x")));
        let doc = Html::parse_document("<div id=x>text<p>para</p></div>");
        assert!(!is_paragraph(first(&doc, "#x")));
    }
}
