//! `select` without building every element's list of classes: a plain selector's last element
//! must have the classes it names, so only the elements whose `class` holds them are matched in
//! full (building an element's list of classes, which matching does, costs more than the walk).

use scraper::{ElementRef, Html, Selector};

/// The first element `parsed` (the selector `written`) matches in `html`, as `Html::select`
/// finds it.
pub(super) fn first_match<'a>(
    html: &'a Html,
    written: &str,
    parsed: &Selector,
) -> Option<ElementRef<'a>> {
    let classes = required_classes(written);
    if classes.is_empty() {
        return html.select(parsed).next();
    }
    // `Html::select`'s walk: the tree's nodes in the order they were made, every element but
    // the root's container.
    html.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .find(|el| el.parent().is_some() && may_have(el, &classes) && parsed.matches(el))
}

/// The classes an element must have for `selector` to match it, when the selector is a plain
/// one (type, class and id selectors and descendant combinators, in ASCII letters, digits, `-`
/// and `_`): those of its last compound selector. Empty for any other selector, or one whose
/// last compound names no class: the caller then matches every element.
fn required_classes(selector: &str) -> Vec<&str> {
    let plain = selector
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.#".contains(&b) || b.is_ascii_whitespace());
    let Some(last) = selector.split_ascii_whitespace().last().filter(|_| plain) else {
        return Vec::new();
    };
    let mut classes = Vec::new();
    let mut rest = last;
    while let Some(at) = rest.find(['.', '#']) {
        let after = &rest[at + 1..];
        let end = after.find(['.', '#']).unwrap_or(after.len());
        if rest.as_bytes()[at] == b'.' {
            if end == 0 {
                return Vec::new();
            }
            classes.push(&after[..end]);
        }
        rest = &after[end..];
    }
    classes
}

/// Whether `el` may have every one of `classes`: each is in the value of a `class` attribute
/// (as a class of it, the selector's test, it is in that value).
fn may_have(el: &ElementRef<'_>, classes: &[&str]) -> bool {
    classes.iter().all(|class| {
        el.value()
            .attrs()
            .any(|(name, value)| name == "class" && value.contains(class))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::html::HtmlDoc;

    #[test]
    fn plain_selectors_name_the_classes_their_last_element_needs() {
        assert_eq!(
            required_classes("#scale-note-0 .scale-figure"),
            ["scale-figure"]
        );
        assert_eq!(required_classes("div.a.b#c span#x.d_1"), ["d_1"]);
        assert_eq!(required_classes("\tp  \n.a-b "), ["a-b"]);
        for other in [
            "div",
            "#id",
            ".a > .b",
            ".a, .b",
            ".a:not(.b)",
            "[class~=a]",
            ".a\\:b",
            ".é",
            "*.a",
            ".a + .b",
            ".a ~ .b",
            "",
        ] {
            assert_eq!(required_classes(other), Vec::<&str>::new(), "{other:?}");
        }
    }

    /// Each selector's first match, found with the classes as a filter and by `Html::select`.
    fn same_first_match(html: &str, selectors: &[&str]) {
        let doc = HtmlDoc::parse(html);
        let doc = &doc.html;
        for &written in selectors {
            let Ok(parsed) = Selector::parse(written) else {
                continue;
            };
            let filtered = first_match(doc, written, &parsed).map(|el| el.id());
            let walked = doc.select(&parsed).next().map(|el| el.id());
            assert_eq!(filtered, walked, "{written:?} in {html:?}");
        }
    }

    #[test]
    fn filtering_by_class_finds_the_element_select_finds() {
        let selectors = [
            ".a", ".b", "p.a", "#x .a", "#x .a.b", "div .ab", "span.a#y", ".A", "table .a", "b .a",
            ".a-b",
        ];
        for html in [
            r#"<div id="x"><p class="ab">1</p><p class="b a">2</p><span class="a" id="y">3</span></div>"#,
            "<p class=\"a\u{a0}b\">nbsp</p><p class=\"A\">upper</p><p class=\" a \">a</p>",
            // Foster parenting and the adoption agency make nodes out of document order.
            r#"<table><tr><td>x</td></tr><p class="a">fostered</p></table><div class="a">after</div>"#,
            r#"<b><p class="a b">adopted</b> <i class="a">i</i></p><div id="x"><p class="a-b a">z</p></div>"#,
            r#"<svg class="a"><g class="a b"></g></svg><math class="a-b"></math>"#,
            "",
        ] {
            same_first_match(html, &selectors);
        }
    }

    proptest::proptest! {
        /// Random documents of nested elements with random classes and ids: the filtered search
        /// finds the element the plain one does.
        #[test]
        fn filtering_never_changes_the_first_match(
            elements in proptest::collection::vec(
                (0usize..6, proptest::collection::vec(0usize..5, 0..3), 0usize..3, 0usize..3),
                0..24,
            ),
            selector in (0usize..3, 0usize..5, 0usize..5),
        ) {
            const TAGS: [&str; 6] = ["div", "p", "b", "table", "td", "span"];
            const CLASSES: [&str; 5] = ["a", "ab", "b", "a-b", "A"];
            let mut html = String::new();
            for (tag, classes, id, close) in &elements {
                let classes: Vec<&str> = classes.iter().map(|&c| CLASSES[c]).collect();
                html.push_str(&format!(
                    "<{} class=\"{}\" id=\"i{id}\">t",
                    TAGS[*tag],
                    classes.join(" ")
                ));
                for _ in 0..*close {
                    html.push_str(&format!("</{}>", TAGS[*tag]));
                }
            }
            let (ancestor, first, second) = selector;
            let written = [
                format!(".{}", CLASSES[first]),
                format!("#i{ancestor} .{}.{}", CLASSES[first], CLASSES[second]),
                format!("{} .{}", TAGS[ancestor], CLASSES[second]),
                format!("p.{}#i{ancestor}", CLASSES[first]),
            ];
            same_first_match(&html, &written.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}
