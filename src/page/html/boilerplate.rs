//! What counts as boilerplate: navigation, sidebars, comments, banners, share bars, bylines and
//! the like, told by tag, ARIA role, and the words of class and id.
//!
//! Class and id are split into word-parts at non-alphanumerics and camelCase humps, and a plural
//! `s` is allowed: `related-stories`, `commentList` and `social_links` are boilerplate, `navbar`,
//! `shareholder` and `menuitem` are not; `nocontent` (the `robots-nocontent` convention),
//! `noscript` (a fallback for browsers without scripts) and `print` (a box shown in print only)
//! are words of their own. A content word (`body`, `content`, `main`, `text`) on the same element
//! overrides (`content-with-sidebar`, `article-body l-sidebar-fixed`); prefixes such as `post-` or
//! `article-` do not (`post-meta`, `article-tags` are boilerplate), and a negation does
//! (`no-caption`, `no-print`). Class and id are not consulted on `html`, `body`, `main` and
//! `article`, whose page-wide classes (`nav-open`, `has-comments`) say nothing about their
//! content, nor on an inline element in running text, nor on a box around a `blockquote` (an
//! embedded post or statement the article quotes) or a MathML formula (a renderer's `CtxtMenu`
//! class). A date stamp by its microdata (`itemprop="datePublished"`) is boilerplate whatever the
//! trust, unless it is in running text.

use scraper::ElementRef;

use super::render::is_block;

/// Class and id word-parts that mark boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "account",
    "ad",
    "advert",
    "advertisement",
    "author",
    "banner",
    "breadcrumb",
    "byline",
    "caption",
    "comment",
    "consent",
    "cookie",
    "credit",
    "dateline",
    "dialog",
    "disqus",
    "footer",
    "hidden",
    "login",
    "masthead",
    "menu",
    "meta",
    "modal",
    "nav",
    "newsletter",
    "nocontent",
    "noscript",
    "outbrain",
    "overlay",
    "popular",
    "popup",
    "print",
    "promo",
    "recommend",
    "recommended",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signin",
    "signup",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "taboola",
    "tag",
    "timestamp",
    "toolbar",
    "trending",
    "widget",
];

/// Class and id word-parts that mark content, overriding boilerplate words on the same element.
const CONTENT_WORDS: &[&str] = &["body", "content", "main", "text"];

/// Word-parts that negate the next one (`no-caption` is not a caption).
const NEGATIONS: &[&str] = &["no", "non", "without"];

/// Elements that are boilerplate by tag.
const BOILERPLATE_TAGS: &[&str] = &["nav", "header", "footer", "aside"];

/// ARIA roles that are boilerplate.
const BOILERPLATE_ROLES: &[&str] = &["navigation", "complementary", "banner", "contentinfo"];

/// Which signs of boilerplate a check believes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
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
pub(super) fn is_boilerplate_container(el: ElementRef<'_>, trust: Trust) -> bool {
    let value = el.value();
    let name = value.name();
    if BOILERPLATE_TAGS.contains(&name) {
        return true;
    }
    // One pass over the attributes: `attr(name)` would intern `name` on every call, and this runs
    // for every element of the page.
    let (mut role, mut class, mut id, mut itemprop) = (None, None, None, None);
    for (attr, v) in value.attrs() {
        match attr {
            "role" => role = Some(v),
            "class" => class = Some(v),
            "id" => id = Some(v),
            "itemprop" => itemprop = Some(v),
            _ => {}
        }
    }
    // A date stamp by its microdata (`itemprop="datePublished"`), unless a sentence is about it.
    if itemprop.is_some_and(names_a_date) && !in_running_text(el) {
        return true;
    }
    if role.is_some_and(|r| {
        BOILERPLATE_ROLES
            .iter()
            .any(|b| r.trim().eq_ignore_ascii_case(b))
    }) {
        return true;
    }
    if trust == Trust::Tags || matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    let (mut boilerplate, mut content) = (false, false);
    for attr in [class, id].into_iter().flatten() {
        let mut negated = false;
        for_each_word_part(attr, |part| {
            // `no-caption`, `no_comments`: the box lacks the thing, it is not one.
            boilerplate = boilerplate || (!negated && is_word(part, BOILERPLATE_WORDS));
            content = content || is_word(part, CONTENT_WORDS);
            negated = NEGATIONS.iter().any(|n| part.eq_ignore_ascii_case(n));
        });
    }
    // Class words name boxes, not words of a sentence (`on <a class="meta-loc">Sudan</a> and`),
    // and not content the article quotes (a post or statement in an `embed` or `widget` box).
    boilerplate && !content && !in_running_text(el) && !quotes(el) && !holds_formula(el)
}

/// Whether a microdata property names a date (`datePublished`, `dateModified`).
fn names_a_date(itemprop: &str) -> bool {
    let mut date = false;
    for_each_word_part(itemprop, |part| date |= part.eq_ignore_ascii_case("date"));
    date
}

/// Whether an element is a box around a formula: a MathML `math` element is its child or
/// grandchild (a formula renderer's `menu` class names its context menu, not the box). Two
/// levels only: each node is looked at for at most two elements.
fn holds_formula(el: ElementRef<'_>) -> bool {
    let is_math = |e: &ElementRef<'_>| e.value().name() == "math";
    el.child_elements()
        .any(|c| is_math(&c) || c.child_elements().any(|g| is_math(&g)))
}

/// Whether an inline element sits in running text: a sibling beside it is text other than white
/// space.
fn in_running_text(el: ElementRef<'_>) -> bool {
    if is_block(el.value().name()) {
        return false;
    }
    let is_text = |node: Option<ego_tree::NodeRef<'_, scraper::Node>>| {
        node.and_then(|n| n.value().as_text().map(|t| !t.trim().is_empty()))
            .unwrap_or(false)
    };
    is_text(el.prev_sibling()) || is_text(el.next_sibling())
}

/// Whether an element is a box around quoted content: its one child, white space and scripts
/// aside, is a `blockquote`.
fn quotes(el: ElementRef<'_>) -> bool {
    let mut children = el.children().filter(|c| match c.value() {
        scraper::Node::Text(t) => !t.trim().is_empty(),
        scraper::Node::Element(e) => !matches!(e.name(), "script" | "style" | "noscript"),
        _ => false,
    });
    let first = children.next();
    children.next().is_none()
        && first
            .and_then(ElementRef::wrap)
            .is_some_and(|c| c.value().name() == "blockquote")
}

/// Whether a word-part is one of `words` (lower-case ASCII), ignoring ASCII case, or its plural.
fn is_word(part: &str, words: &[&str]) -> bool {
    let part = part.as_bytes();
    words.iter().any(|w| {
        let w = w.as_bytes();
        match part.len().checked_sub(w.len()) {
            Some(0) => part.eq_ignore_ascii_case(w),
            Some(1) => {
                matches!(part[w.len()], b's' | b'S') && part[..w.len()].eq_ignore_ascii_case(w)
            }
            _ => false,
        }
    })
}

/// Calls `f` with each word-part, as written, split at non-alphanumerics and at lower-to-upper
/// case changes (slices of `value`: nothing is allocated, and this runs for every element).
fn for_each_word_part(value: &str, mut f: impl FnMut(&str)) {
    let mut start = None;
    let mut prev_lower = false;
    for (i, c) in value.char_indices() {
        if !c.is_alphanumeric() {
            prev_lower = false;
            if let Some(s) = start.take() {
                f(&value[s..i]);
            }
            continue;
        }
        if c.is_uppercase() && prev_lower {
            if let Some(s) = start {
                f(&value[s..i]);
            }
            start = Some(i);
        }
        start.get_or_insert(i);
        prev_lower = c.is_lowercase() || c.is_numeric();
    }
    if let Some(s) = start {
        f(&value[s..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn word_parts(value: &str) -> Vec<String> {
        let mut parts = Vec::new();
        for_each_word_part(value, |p| parts.push(p.to_lowercase()));
        parts
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

    /// Whether the first element `css` matches in `doc` is boilerplate.
    fn verdict(doc: &Html, css: &str) -> bool {
        let selector = Selector::parse(css).expect("test selector");
        is_boilerplate(doc.select(&selector).next().expect("test element"))
    }

    #[test]
    fn boilerplate_by_whole_word_part() {
        let doc = Html::parse_document(
            r#"<div id="a" class="related-stories"></div><div id="b" class="navbar-free"></div>
               <div id="c" class="shareholder-letter"></div><div id="d" class="x" ></div>
               <div id="e" class="content-with-sidebar"></div><div id="f" class="sidebar"></div>
               <div id="menus"></div><div id="g" role="navigation"></div>
               <div id="h" class="post-meta"></div><div id="i" class="article-body share"></div>"#,
        );
        assert!(verdict(&doc, "#a"));
        assert!(!verdict(&doc, "#b"));
        assert!(!verdict(&doc, "#c"));
        assert!(!verdict(&doc, "#d"));
        assert!(!verdict(&doc, "#e"), "a content word overrides");
        assert!(verdict(&doc, "#f"));
        assert!(verdict(&doc, "#menus"), "plural");
        assert!(verdict(&doc, "#g"));
        assert!(verdict(&doc, "#h"), "a prefix is not a content word");
        assert!(!verdict(&doc, "#i"));
        assert!(!verdict(&doc, "body"));
    }

    #[test]
    fn marked_non_content_and_no_script_fallbacks_are_boilerplate() {
        let doc = Html::parse_document(
            r#"<p id="a" class="robots-nocontent">Not for indexing</p>
               <p id="b" class="gallery-noscript">This slideshow requires JavaScript.</p>
               <p id="c" class="no-content">A box without content is not boilerplate</p>
               <div id="d" class="print-header">https://example.com/story</div>
               <div id="e" class="no-print">Screen only</div>"#,
        );
        assert!(verdict(&doc, "#a"));
        assert!(verdict(&doc, "#b"));
        assert!(!verdict(&doc, "#c"));
        assert!(verdict(&doc, "#d"), "shown in print only");
        assert!(!verdict(&doc, "#e"), "hidden in print");
    }

    #[test]
    fn a_date_stamp_by_its_microdata_is_boilerplate() {
        let doc = Html::parse_document(
            r#"<span id="a" class="data" itemprop="datePublished">Friday, 22 October 2010</span>
               <p>Published on <time id="b" itemprop="datePublished">Friday</time>, it sold.</p>
               <span id="c" itemprop="headline">A headline</span>"#,
        );
        assert!(verdict(&doc, "#a"));
        assert!(!verdict(&doc, "#b"), "in a sentence");
        assert!(!verdict(&doc, "#c"));
    }
}
