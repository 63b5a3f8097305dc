//! Main-content extraction: find the element that holds the page's article, and render it without
//! boilerplate.
//!
//! One pass over the tree, bottom-up, gives each element its visible text length, the part of it
//! inside links, and its *paragraph mass*: the text of the paragraphs beneath it (`p`, `pre`, or a
//! block with only inline content) that are at least [`MIN_PARAGRAPH_CHARS`] long and not mostly
//! links. Boilerplate (see `boilerplate`) is left out of the counts.
//!
//! 1. **The container.** From `body`, step down into the child with the most paragraph mass as
//!    long as it holds at least [`DESCEND_SHARE`] of its parent's: the smallest element that
//!    holds nearly all of the article's paragraphs. If the class and id words leave too little
//!    (layout classes such as `has-sidebar` can wrap a whole article), the pass runs again
//!    trusting tags and roles only.
//! 2. **Pruning.** The container is rendered without boilerplate, without `h1` (the headline),
//!    figures and captions, buttons, and without link-dense blocks (lists of related stories,
//!    tag clouds, "read more" lines): a block more than [`MAX_LINK_DENSITY`] of whose text is in
//!    links.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{ElementRef, Node};

use super::boilerplate::{Trust, is_boilerplate, is_boilerplate_container};
use super::render::{is_block, is_hidden, render_with};
use super::{MIN_MAIN_TEXT_CHARS, MIN_PARAGRAPH_CHARS};

/// The least share of its parent's paragraph mass for which the descent steps into a child.
pub const DESCEND_SHARE: f64 = 0.75;

/// The largest share of a block's text that may sit in links before it is pruned as a link list.
pub const MAX_LINK_DENSITY: f64 = 0.5;

/// Elements never part of the main content's text, besides boilerplate.
const PRUNED_TAGS: &[&str] = &["h1", "figure", "figcaption", "button", "select", "label"];

/// One element's text counts (characters other than white space).
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    /// All visible text beneath the element.
    chars: usize,
    /// The part of it inside links.
    link_chars: usize,
    /// The text of good paragraphs beneath (or of the element itself, if one).
    para_chars: usize,
    /// Whether a block element other than `br` is beneath the element.
    has_block: bool,
}

impl Stats {
    fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// Text counts of every counted element under a root.
type StatsMap = HashMap<NodeId, Stats>;

/// The main content under `body`, or `None` when nothing stands out.
pub(super) fn main_text(body: ElementRef<'_>) -> Option<String> {
    let stats = count(body, Trust::TagsAndClasses);
    let text = extract(body, &stats);
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() >= MIN_MAIN_TEXT_CHARS)
    {
        return text;
    }
    let by_tags = count(body, Trust::Tags);
    extract(body, &by_tags).or(text)
}

fn extract(body: ElementRef<'_>, stats: &StatsMap) -> Option<String> {
    let container = container(body, stats)?;
    let skip = |el: ElementRef<'_>| {
        let name = el.value().name();
        if is_boilerplate(el) || PRUNED_TAGS.contains(&name) {
            return true;
        }
        is_block(name)
            && !matches!(name, "td" | "th" | "tr")
            && stats
                .get(&el.id())
                .is_some_and(|s| s.link_density() > MAX_LINK_DENSITY)
    };
    let text = render_with(container, &skip);
    (!text.is_empty()).then_some(text)
}

/// The smallest element holding nearly all the paragraph mass.
fn container<'a>(body: ElementRef<'a>, stats: &StatsMap) -> Option<ElementRef<'a>> {
    let mass = |el: ElementRef<'_>| stats.get(&el.id()).map_or(0, |s| s.para_chars);
    if mass(body) == 0 {
        return None;
    }
    let mut current = body;
    loop {
        let total = mass(current) as f64;
        let Some(best) = current.child_elements().max_by_key(|c| mass(*c)) else {
            break;
        };
        if (mass(best) as f64) < DESCEND_SHARE * total || is_paragraph(best, stats) {
            break;
        }
        current = best;
    }
    Some(current)
}

/// Counts text bottom-up under `root`, leaving out hidden elements and boilerplate by `trust`.
fn count(root: ElementRef<'_>, trust: Trust) -> StatsMap {
    let mut map = StatsMap::new();
    // Iterative post-order: deep documents must not overflow the stack.
    let mut stack = vec![(root, false)];
    while let Some((el, children_done)) = stack.pop() {
        if !children_done {
            stack.push((el, true));
            for child in el.child_elements() {
                if !is_hidden(child) && !is_boilerplate_container(child, trust) {
                    stack.push((child, false));
                }
            }
            continue;
        }
        let mut s = Stats::default();
        for child in el.children() {
            match child.value() {
                Node::Text(text) => s.chars += text.chars().filter(|c| !c.is_whitespace()).count(),
                Node::Element(e) => {
                    if let Some(c) = map.get(&child.id()) {
                        s.chars += c.chars;
                        s.link_chars += c.link_chars;
                        s.para_chars += c.para_chars;
                        s.has_block |= c.has_block || (e.name() != "br" && is_block(e.name()));
                    }
                }
                _ => {}
            }
        }
        if el.value().name() == "a" {
            s.link_chars = s.chars;
        }
        let paragraph = match el.value().name() {
            "p" | "pre" => true,
            "div" | "section" | "td" => !s.has_block,
            _ => false,
        };
        if paragraph
            && s.chars >= MIN_PARAGRAPH_CHARS
            && s.link_density() <= MAX_LINK_DENSITY
        {
            s.para_chars = s.chars;
        }
        map.insert(el.id(), s);
    }
    map
}

/// Whether an element reads as a paragraph: `p`, `pre`, or a container with only inline content
/// (line breaks allowed: `text<br><br>text` is how some sites write paragraphs).
fn is_paragraph(el: ElementRef<'_>, stats: &StatsMap) -> bool {
    match el.value().name() {
        "p" | "pre" => true,
        "div" | "section" | "td" => stats.get(&el.id()).is_some_and(|s| !s.has_block),
        _ => false,
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
        let stats = count(first(&doc, "body"), Trust::Tags);
        assert!(is_paragraph(first(&doc, "#x"), &stats));
        let doc = Html::parse_document("<div id=x>text<p>para</p></div>");
        let stats = count(first(&doc, "body"), Trust::Tags);
        assert!(!is_paragraph(first(&doc, "#x"), &stats));
    }
}
