//! Hostile pages: every page shape that once overflowed the stack or took quadratic time reads,
//! on a small stack; the kept hostile files (`tests/hostile/pages/`) read as their `.expect`
//! files say; and random deep and wide DOMs read without a panic, keeping their text in order.

#[path = "../../../tests/hostile/pages/shapes.rs"]
mod shapes;

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;

use crate::limits::Limits;
use crate::page::Page;
use crate::source::Snapshot;
use crate::spec::Within;

/// The stack every hostile page is read on: far less than a thread's default (2 MiB), so any
/// walk that recurses on the DOM fails here.
const SMALL_STACK: usize = 256 * 1024;

/// Runs `f` on a thread with [`SMALL_STACK`]; a stack overflow aborts the test binary.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("reading a hostile page does not panic")
}

/// Reads `html` as an HTML page, as `check` does.
fn read(html: String) -> Page {
    let snapshot = Snapshot::local(
        "https://hostile.test/page.html",
        Some("text/html"),
        html.into_bytes(),
    );
    Page::read(&snapshot, None).expect("an HTML page always reads")
}

/// Every reading of a page a check may ask for: text, main content, tables, selectors, unseen
/// text, dates.
fn read_everything(html: String) -> Page {
    let page = read(html);
    let _ = page.tables();
    let _ = page.main_text();
    // Not `:nth-child`: the selectors crate checks its index cache against a linear recount in
    // debug builds (the bench times it in release).
    for css in ["p span", "li > b", "td", "div > b i", "b"] {
        let within = Within::Selector(css.to_owned());
        let region = page.region(&within, false).expect("valid selector");
        let _ = region.map(|r| r.text().len());
    }
    let _ = page.with_dom(|dom| (dom.unseen(), dom.published(), dom.title()));
    page
}

#[test]
fn every_hostile_shape_reads_on_a_small_stack() {
    for shape in shapes::all(5_000) {
        let name = shape.name;
        let page = on_small_stack(move || read_everything(shape.html));
        assert!(!page.text().contains('<'), "{name}: markup leaked as text");
    }
}

#[test]
fn forty_thousand_list_items_read() {
    // 320 KB: once 40 s, then a stack overflow. Timed in `cargo bench --bench hostile`.
    let html: String = std::iter::once("<body><ul>".to_owned())
        .chain((0..40_000).map(|i| format!("<li>{i}</li>")))
        .collect();
    let page = on_small_stack(move || read_everything(html));
    assert_eq!(page.text().lines().count(), 40_000);
    assert!(page.text().ends_with("39999"));
    let nested = format!("<body>{}", "<ul><li>x".repeat(40_000));
    let page = on_small_stack(move || read_everything(nested));
    assert_eq!(page.text().matches('x').count(), 40_000);
}

#[test]
fn dropping_a_deep_tree_needs_no_stack() {
    // scraper's own parse, without the depth limit: inline elements nest linearly.
    let html = format!("{}deep", "<span>".repeat(100_000));
    let doc = scraper::Html::parse_document(&html);
    let deepest = doc
        .tree
        .nodes()
        .find(|n| n.value().as_text().is_some_and(|t| &**t == "deep"))
        .map_or(0, |n| n.ancestors().count());
    assert!(deepest > 100_000, "the tree is {deepest} deep");
    // ego-tree keeps nodes in a Vec: dropping is a loop, not a recursion.
    on_small_stack(move || drop(doc));
}

/// The kept hostile files: each `NAME.html` with its `NAME.expect`, one expectation a line:
/// `visible: TEXT` (the visible text contains it), `not: TEXT` (it does not), `title: TEXT`,
/// `visible-lines: N`, `tables-at-most: N`.
#[test]
fn kept_hostile_pages_read_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/pages");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/hostile/pages")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.display().to_string();
        let html = std::fs::read_to_string(&path).expect("a page");
        let expect = std::fs::read_to_string(path.with_extension("expect")).expect("its .expect");
        let page = on_small_stack(move || read_everything(html));
        for line in expect.lines().filter(|l| !l.trim().is_empty()) {
            let (key, value) = line.split_once(": ").expect("`key: value`");
            match key {
                "visible" => assert!(page.text().contains(value), "{name}: no {value:?}"),
                "not" => assert!(!page.text().contains(value), "{name}: {value:?} shown"),
                "title" => assert_eq!(
                    page.with_dom(|d| d.title()).flatten().as_deref(),
                    Some(value),
                    "{name}"
                ),
                "visible-lines" => assert_eq!(
                    page.text().lines().count(),
                    value.parse::<usize>().expect("a count"),
                    "{name}"
                ),
                "tables-at-most" => assert!(
                    page.tables().len() <= value.parse::<usize>().expect("a count"),
                    "{name}"
                ),
                other => panic!("{name}: unknown expectation {other:?}"),
            }
        }
        seen += 1;
    }
    assert!(seen >= 5, "only {seen} kept pages");
}

/// A generated DOM: well-nested, so html5ever keeps its structure and text order.
#[derive(Debug, Clone)]
enum Dom {
    Text(String),
    /// An inline element (`span`, `b`, `i`, `em`) holding inline content.
    Inline(&'static str, Vec<Dom>),
    /// A block (`div`, `section`, `p` when its content is inline, `li` in a `ul`, a table cell).
    Block(Block, Vec<Dom>),
}

#[derive(Debug, Clone, Copy)]
enum Block {
    Div,
    Section,
    Paragraph,
    ListItem,
    TableCell,
}

impl Block {
    /// The tags opened around the content, outermost first.
    fn tags(self) -> &'static [&'static str] {
        match self {
            Block::Div => &["div"],
            Block::Section => &["section"],
            Block::Paragraph => &["p"],
            Block::ListItem => &["ul", "li"],
            Block::TableCell => &["table", "tbody", "tr", "td"],
        }
    }
}

fn text() -> impl Strategy<Value = Dom> {
    prop_oneof![
        "[a-z]{1,8}",
        (0u32..100_000).prop_map(|n| format!("{n}")),
        (0u32..1000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b}%")),
        (1u32..999).prop_map(|n| format!("${n} million")),
    ]
    .prop_map(Dom::Text)
}

fn inline() -> impl Strategy<Value = Dom> {
    text().prop_recursive(4, 24, 4, |inner| {
        (
            prop::sample::select(&["span", "b", "i", "em"][..]),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(tag, children)| Dom::Inline(tag, children))
    })
}

fn flow() -> impl Strategy<Value = Dom> {
    inline().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            (
                prop::sample::select(
                    &[
                        Block::Div,
                        Block::Section,
                        Block::ListItem,
                        Block::TableCell
                    ][..]
                ),
                prop::collection::vec(inner, 0..6),
            )
                .prop_map(|(block, children)| Dom::Block(block, children)),
            prop::collection::vec(inline(), 1..4)
                .prop_map(|children| Dom::Block(Block::Paragraph, children)),
        ]
    })
}

/// A deep chain around a wide tree: each level a block or an inline element, with text at
/// some levels.
fn deep_dom() -> impl Strategy<Value = Dom> {
    (
        flow(),
        prop::collection::vec((0u8..6, any::<bool>(), 0u32..1000), 0..700),
    )
        .prop_map(|(mut dom, chain)| {
            // Inline levels only inside the innermost blocks: blocks never sit in inlines.
            let mut chain = chain;
            chain.sort_by_key(|(kind, _, _)| *kind < 4);
            for (kind, with_text, n) in chain {
                let mut children = Vec::new();
                if with_text {
                    children.push(Dom::Text(format!("level{n}")));
                }
                children.push(dom);
                dom = match kind {
                    0 => Dom::Block(Block::Div, children),
                    1 => Dom::Block(Block::Section, children),
                    2 => Dom::Block(Block::ListItem, children),
                    3 => Dom::Block(Block::TableCell, children),
                    4 => Dom::Inline("b", children),
                    _ => Dom::Inline("span", children),
                };
            }
            dom
        })
}

/// Writes `dom` as HTML, and its text nodes with how much of the tree builder's depth each
/// sits under (open elements, and formatting elements twice: they are also in its list of
/// active formatting elements).
fn write(dom: &Dom, html: &mut String, texts: &mut Vec<(String, usize)>) {
    // An explicit stack: the generated DOMs are deep.
    enum Step<'a> {
        Node(&'a Dom, usize),
        Close(&'static str),
    }
    let mut stack = vec![Step::Node(dom, 0)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(tag) => {
                let _ = write!(html, "</{tag}>");
            }
            Step::Node(Dom::Text(t), depth) => {
                html.push_str(t);
                // Keep adjacent text nodes apart.
                html.push(' ');
                texts.push((t.clone(), depth));
            }
            Step::Node(Dom::Inline(tag, children), depth) => {
                let _ = write!(html, "<{tag}>");
                stack.push(Step::Close(tag));
                let weight = if *tag == "span" { 1 } else { 2 };
                stack.extend(children.iter().rev().map(|c| Step::Node(c, depth + weight)));
            }
            Step::Node(Dom::Block(block, children), depth) => {
                for tag in block.tags() {
                    let _ = write!(html, "<{tag}>");
                }
                for tag in block.tags() {
                    stack.push(Step::Close(tag));
                }
                let depth = depth + block.tags().len();
                stack.extend(children.iter().rev().map(|c| Step::Node(c, depth)));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_deep_and_wide_doms_read_with_their_text_in_order(dom in deep_dom()) {
        let mut html = String::from("<!DOCTYPE html><html><head></head><body>");
        let mut texts = Vec::new();
        write(&dom, &mut html, &mut texts);
        let page = on_small_stack(move || read_everything(html));
        // The tree builder also holds the document, `html`, `body` and the head pointer; a
        // margin covers the rest.
        let within = Limits::current().dom_depth.saturating_sub(16);
        let mut at = 0;
        for (t, depth) in texts.iter().filter(|(_, d)| *d <= within) {
            let found = page.text()[at..].find(t.as_str());
            prop_assert!(found.is_some(), "{t:?} (depth {depth}) missing after byte {at}");
            at += found.unwrap_or(0) + t.len();
        }
    }
}
