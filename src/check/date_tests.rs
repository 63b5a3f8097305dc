//! Date checks over HTML: `select` reading `datetime` and `content`, `published`, and the
//! page's language deciding ambiguous numeric dates.

use super::*;
use crate::source::Snapshot;
use crate::spec::{Check, FigureCheck, Locator};

fn page(body: &str) -> Page {
    let snapshot = Snapshot::local(
        "https://news.example/story",
        Some("text/html"),
        body.as_bytes().to_vec(),
    );
    Page::read(&snapshot, None).expect("readable")
}

fn check_of(kind: fn(FigureCheck) -> CheckKind, claimed: &str, locator: Locator) -> Check {
    Check {
        kind: kind(FigureCheck {
            claimed: claimed.into(),
            figure: None,
            locator,
            tolerance: None,
        }),
        case_sensitive: false,
    }
}

fn date(claimed: &str, locator: Locator) -> Check {
    check_of(CheckKind::Date, claimed, locator)
}

fn select(selector: &str) -> Locator {
    Locator::Select(selector.into())
}

const STORY: &str = r#"<!doctype html><html lang="en-US"><head>
<meta property="og:title" content="Budget passes">
<meta name="sailthru.date" content="2021-03-15 08:00:00">
<meta property="article:published_time" content="2021-03-14T09:15:00-05:00">
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-03-13"}</script>
</head><body>
<header><p class="byline">By A. Writer · <time class="pub" datetime="2021-03-14T09:15:00-05:00">Yesterday</time>
· <time class="upd">03/04/2021</time></p></header>
<article><p>The budget passed on <ins datetime="2021-03-12">Friday</ins> after a long debate in
the chamber, which went on for most of the night and well into the next morning.</p>
<p>Amounts: <span class="cost" data-x="1">$5.6 million</span>; <time class="bare" datetime="soon">March 4, 2021</time>.</p>
</article></body></html>"#;

#[test]
fn select_reads_datetime_and_content_attributes_before_text() {
    let p = page(STORY);
    let f = run(&date("2021-03-14", select("time.pub")), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(
        f.reason,
        "located 2021-03-14 in `time.pub` (its `datetime` attribute); \"2021-03-14\" means 2021-03-14"
    );
    assert_eq!(
        f.excerpt.as_deref(),
        Some(r#"<time datetime="2021-03-14T09:15:00-05:00">"#)
    );
    let f = run(&date("2021-03-12", select("ins")), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let f = run(
        &date("2021-03-15", select(r#"meta[name="sailthru.date"]"#)),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert!(f.reason.contains("its `content` attribute"), "{}", f.reason);
}

#[test]
fn select_falls_back_to_the_text_when_the_attribute_is_not_a_date() {
    let p = page(STORY);
    let f = run(&date("2021-03-04", select("time.bare")), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(
        f.reason.split(';').next(),
        Some("located 2021-03-04 in `time.bare`")
    );
    // Only the selected element's own attribute counts, not those of elements inside it.
    let f = run(&date("2021-03-14", select("p.byline")), &Within::Main, &p);
    assert_eq!(f.value.as_deref(), Some("2021-03-04"), "{f:?}");
    let f = run(&date("2021-03-14", select("ins")), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Disputed, "{f:?}");
}

#[test]
fn figure_select_keeps_reading_text() {
    // A `<meta content>` is not a figure's source: figures read the element's text.
    let p = page(
        r#"<html><head><meta name="price" content="118.42"></head>
        <body><time class="t" datetime="2021">12 days</time></body></html>"#,
    );
    let figure = |claimed: &str, selector: &str| {
        run(
            &check_of(CheckKind::Figure, claimed, select(selector)),
            &Within::Main,
            &p,
        )
    };
    let f = figure("12", "time.t");
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(
        figure("118.42", r#"meta[name="price"]"#).verdict,
        Verdict::NotFound
    );
}

#[test]
fn the_page_language_reads_ambiguous_dates() {
    // `<html lang="en-US">`: 03/04/2021 is March 4, and so is 03.04.2021.
    let p = page(STORY);
    let f = run(&date("2021-03-04", select("time.upd")), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let gb = page(&STORY.replace(r#"lang="en-US""#, r#"lang="en-GB""#));
    let f = run(&date("2021-04-03", select("time.upd")), &Within::Main, &gb);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let de = page(r#"<html lang="de"><body><p>Stand: 03.04.2021</p></body></html>"#);
    let near = Locator::Near {
        phrase: "Stand".into(),
        window: 20,
        occurrence: None,
    };
    let f = run(&date("3. April 2021", near.clone()), &Within::Page, &de);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let us = page(r#"<html lang="en-US"><body><p>Stand: 03.04.2021</p></body></html>"#);
    let f = run(&date("March 4, 2021", near), &Within::Page, &us);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
}

#[test]
fn published_reads_the_best_metadata_and_says_which() {
    let p = page(STORY);
    let f = run(&date("2021-03-14", Locator::Published), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(
        f.reason,
        "located 2021-03-14 in the page's publication date (meta article:published_time); \
         \"2021-03-14\" means 2021-03-14"
    );
    assert_eq!(
        f.excerpt.as_deref(),
        Some("meta article:published_time: 2021-03-14T09:15:00-05:00")
    );
    assert_eq!(f.value.as_deref(), Some("2021-03-14"));
    let f = run(&date("2021-03-13", Locator::Published), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Disputed, "{f:?}");
}

#[test]
fn published_skips_metadata_that_is_not_a_date() {
    let p = page(
        r#"<html><head><meta property="article:published_time" content="yesterday">
        <script type="application/ld+json">{"@graph":[{"@type":"Article","datePublished":"14 mars 2021"}]}</script>
        </head><body><p>Text</p></body></html>"#,
    );
    let f = run(&date("2021-03-14", Locator::Published), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert!(f.reason.contains("(JSON-LD datePublished)"), "{}", f.reason);
    let only_bad =
        page(r#"<html><head><meta name="date" content="yesterday"></head><body></body></html>"#);
    let f = run(
        &date("2021-03-14", Locator::Published),
        &Within::Main,
        &only_bad,
    );
    assert_eq!(f.verdict, Verdict::NotFound);
    assert_eq!(
        f.reason,
        "the page's publication date (meta date) reads \"yesterday\", not a date"
    );
}

#[test]
fn published_needs_an_html_page_with_metadata() {
    let none = page("<html><body><p>March 14, 2021</p></body></html>");
    let f = run(
        &date("2021-03-14", Locator::Published),
        &Within::Main,
        &none,
    );
    assert_eq!(f.verdict, Verdict::NotFound);
    assert!(
        f.reason.starts_with("the page states no publication date"),
        "{}",
        f.reason
    );
    let text = Page::read(
        &Snapshot::local(
            "https://x.example/notes.txt",
            Some("text/plain"),
            b"2021-03-14".to_vec(),
        ),
        None,
    )
    .expect("readable");
    let f = run(
        &date("2021-03-14", Locator::Published),
        &Within::Main,
        &text,
    );
    assert_eq!(f.verdict, Verdict::NotFound);
    assert_eq!(
        f.reason,
        "`published` needs an HTML page; this source is text"
    );
    let f = run(
        &check_of(CheckKind::Figure, "12", Locator::Published),
        &Within::Main,
        &page(STORY),
    );
    assert_eq!(f.verdict, Verdict::NotFound);
    assert_eq!(f.reason, "`published` locates a date, not a figure");
}
