//! Text on a page that a reader does not see: attribute values, the `<title>` and hidden
//! elements. Text checks never match it; a miss says when the text is there (see
//! `check::elsewhere`).

use std::borrow::Cow;

use scraper::{ElementRef, Node};

use super::collapse_spaces;
use super::render::is_hidden;

/// Attributes whose values are text for people (tooltips, image descriptions, labels).
const TEXT_ATTRIBUTES: [&str; 3] = ["title", "alt", "aria-label"];

/// Elements whose content is code or media, never text for people.
const CODE_TAGS: &[&str] = &[
    "script", "style", "template", "noscript", "svg", "iframe", "object", "embed", "canvas",
    "audio", "video",
];

/// A piece of text the reader does not see, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unseen {
    /// The text, white space collapsed.
    pub text: String,
    /// Where it is, for reasons: `the alt text of an <img>`, `a hidden <p>`.
    pub place: String,
}

/// Every unseen text under `root`, in document order; the tree is walked with an explicit
/// stack (no recursion on untrusted input).
pub(super) fn unseen(root: ElementRef<'_>) -> Vec<Unseen> {
    let mut out = Vec::new();
    walk(root, |text, place| {
        out.push(Unseen {
            text: text.to_owned(),
            place: place.describe(),
        });
        false
    });
    out
}

/// The first unseen text under `root`, in document order, that `wanted` takes.
pub(super) fn find_unseen(
    root: ElementRef<'_>,
    mut wanted: impl FnMut(&str) -> bool,
) -> Option<Unseen> {
    let mut found = None;
    walk(root, |text, place| {
        if !wanted(text) {
            return false;
        }
        found = Some(Unseen {
            text: text.to_owned(),
            place: place.describe(),
        });
        true
    });
    found
}

/// Where an unseen text is, described only when asked ([`Place::describe`]).
enum Place<'a> {
    /// A text attribute (one of [`TEXT_ATTRIBUTES`]) of an element.
    Attribute(&'static str, ElementRef<'a>),
    /// The `content` of a `<meta>`.
    Meta(ElementRef<'a>),
    /// The `<title>`.
    Title,
    /// A hidden element.
    Hidden(ElementRef<'a>),
}

impl Place<'_> {
    /// For reasons: `the alt text of an <img>`, `a hidden <p>`.
    fn describe(&self) -> String {
        match self {
            Place::Attribute(attr, el) => {
                let what = if *attr == "alt" {
                    "the alt text".to_owned()
                } else {
                    format!("the `{attr}` attribute")
                };
                format!("{what} of {}", article(el.value().name()))
            }
            Place::Meta(el) => {
                let key = ["name", "property", "itemprop", "http-equiv"]
                    .into_iter()
                    .find_map(|k| el.value().attr(k).map(|v| format!(" {k}=\"{v}\"")))
                    .unwrap_or_default();
                format!("the content of <meta{key}>")
            }
            Place::Title => "the page's <title>".to_owned(),
            Place::Hidden(el) => format!("a hidden <{}>", el.value().name()),
        }
    }
}

/// Calls `visit` with every unseen text under `root` (white space collapsed, not empty) and
/// where it is, in document order, until it returns `true`.
fn walk<'a>(root: ElementRef<'a>, mut visit: impl FnMut(&str, Place<'a>) -> bool) {
    let mut visit = |text: &str, place: Place<'a>| {
        let text = collapsed(text);
        !text.is_empty() && visit(&text, place)
    };
    // (element, inside a hidden element already reported)
    let mut stack = vec![(root, false)];
    while let Some((el, in_hidden)) = stack.pop() {
        let name = el.value().name();
        if CODE_TAGS.contains(&name) {
            continue;
        }
        // In the order of TEXT_ATTRIBUTES, whatever the document's order.
        let mut texts: [Option<&str>; TEXT_ATTRIBUTES.len()] = Default::default();
        for (attr, value) in el.value().attrs() {
            if let Some(i) = TEXT_ATTRIBUTES.iter().position(|a| *a == attr) {
                texts[i] = Some(value);
            }
        }
        for (attr, value) in TEXT_ATTRIBUTES.iter().zip(texts) {
            if let Some(value) = value
                && visit(value, Place::Attribute(attr, el))
            {
                return;
            }
        }
        if name == "meta"
            && let Some(content) = el.value().attr("content")
            && visit(content, Place::Meta(el))
        {
            return;
        }
        let mut hidden = in_hidden;
        if name == "title" {
            if visit(&text_of(el), Place::Title) {
                return;
            }
            continue;
        }
        if !in_hidden && name != "head" && name != "html" && is_hidden(el) {
            if name == "input" {
                continue;
            }
            if visit(&text_of(el), Place::Hidden(el)) {
                return;
            }
            hidden = true;
        }
        // `children()` runs both ways: pushed last first, they pop in document order.
        stack.extend(
            el.children()
                .rev()
                .filter_map(ElementRef::wrap)
                .map(|c| (c, hidden)),
        );
    }
}

/// `text` with its white space collapsed, borrowed when it already is: ASCII, one space between
/// words and none at the ends (most attribute values).
fn collapsed(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let tidy = text.is_ascii()
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.iter().any(|c| matches!(c, b'\t'..=b'\r'))
        && memchr::memmem::find(b, b"  ").is_none();
    if tidy {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(collapse_spaces(text))
    }
}

/// An element's text nodes joined by spaces (`text()` walks the subtree iteratively).
fn text_of(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        if let Node::Text(t) = node.value() {
            out.push_str(t);
            out.push(' ');
        }
    }
    out
}

/// `an <img>`, `a <span>`.
fn article(tag: &str) -> String {
    let vowel = tag.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} <{tag}>", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::super::HtmlDoc;

    #[test]
    fn finds_attributes_titles_and_hidden_text() {
        let doc = HtmlDoc::parse(
            r#"<html><head><title>Budget 2021</title>
            <meta name="description" content="The budget, explained">
            <script>var secret = "code";</script></head>
            <body><p>Seen <img src="c.png" alt="Chart of spending"> <abbr title="Gross domestic product">GDP</abbr></p>
            <div hidden><p>Hidden paragraph <span aria-hidden="true">twice</span></p></div>
            <p style="display: none">Collapsed note</p>
            <input type="hidden" value="token"></body></html>"#,
        );
        let found: Vec<(String, String)> = doc
            .unseen()
            .into_iter()
            .map(|u| (u.text, u.place))
            .collect();
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        assert_eq!(
            found,
            pairs(&[
                ("Budget 2021", "the page's <title>"),
                (
                    "The budget, explained",
                    "the content of <meta name=\"description\">"
                ),
                ("Chart of spending", "the alt text of an <img>"),
                (
                    "Gross domestic product",
                    "the `title` attribute of an <abbr>"
                ),
                ("Hidden paragraph twice", "a hidden <div>"),
                ("Collapsed note", "a hidden <p>"),
            ])
        );
    }

    #[test]
    fn texts_are_collapsed_only_when_they_need_it() {
        for text in [
            "", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u{a0}b", "é  e", "x\x1fy",
        ] {
            assert_eq!(
                super::collapsed(text),
                super::collapse_spaces(text),
                "{text:?}"
            );
        }
        assert!(matches!(
            super::collapsed("Chart of spending"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn deeply_nested_documents_do_not_overflow() {
        // Within the depth limit, in a page nested far past it.
        let html = format!(
            "{}<img alt=\"deep\">{}",
            "<span>".repeat(100),
            "<span>".repeat(50_000),
        );
        let found = HtmlDoc::parse(&html).unseen();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "deep");
    }
}
