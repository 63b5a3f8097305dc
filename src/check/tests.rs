//! Checks over small pages of each format.

use super::*;
use crate::source::cache::Meta;
use crate::source::{Origin, Snapshot};
use crate::spec::Check;

fn page(url: &str, content_type: &str, body: &str) -> Page {
    let snapshot = Snapshot {
        meta: Meta {
            url: url.into(),
            final_url: url.into(),
            status: Some(200),
            content_type: Some(content_type.into()),
            etag: None,
            last_modified: None,
            retrieved: String::new(),
            sha256: String::new(),
            body: String::new(),
            main_sha256: None,
        },
        body: body.as_bytes().to_vec(),
        origin: Origin::Network,
    };
    Page::read(&snapshot, None).expect("readable")
}

fn check(kind: CheckKind) -> Check {
    Check {
        kind,
        case_sensitive: false,
    }
}

const ARTICLE: &str = r#"<!doctype html><html><head><title>R1</title>
<style>.x { content: "hidden style text" }</style></head><body>
<nav><a href="/">Home</a> <a href="/tech">Most read: MIT wins again</a></nav>
<article><h1>DeepSeek R1</h1>
<p>The model is released under the <a href="/l">MIT License</a>, which
allows commercial use.</p><p>Training used <b>2.788M</b> H800 GPU hours.</p>
<p hidden>Secret: Apache 2.0</p></article>
<aside class="related-stories"><p>Related: Llama is under the Llama license</p></aside>
<script>var license = "GPL";</script>
</body></html>"#;

#[test]
fn contains_finds_text_across_markup_with_an_excerpt() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    let f = run(
        &check(CheckKind::Contains("released under the MIT license".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let excerpt = f.excerpt.expect("excerpt");
    assert!(
        excerpt.contains("released under the MIT License"),
        "{excerpt}"
    );
    let f = run(
        &check(CheckKind::Contains("2.788M H800".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
}

#[test]
fn hidden_script_and_style_text_is_never_read() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    for hidden in ["GPL", "Apache 2.0", "hidden style text"] {
        let f = run(
            &check(CheckKind::Contains(hidden.into())),
            &Within::Page,
            &p,
        );
        assert_eq!(f.verdict, Verdict::NotFound, "{hidden}: {f:?}");
    }
}

#[test]
fn main_content_leaves_out_navigation_and_related_links() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    let sidebar = check(CheckKind::Contains("Llama license".into()));
    assert_eq!(run(&sidebar, &Within::Main, &p).verdict, Verdict::NotFound);
    assert_eq!(run(&sidebar, &Within::Page, &p).verdict, Verdict::Supported);
}

#[test]
fn selector_scopes_the_check() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    let c = check(CheckKind::Contains("MIT".into()));
    assert_eq!(
        run(&c, &Within::Selector("nav".into()), &p).verdict,
        Verdict::Supported
    );
    assert_eq!(
        run(&c, &Within::Selector("h1".into()), &p).verdict,
        Verdict::NotFound
    );
    let none = run(&c, &Within::Selector("table.prices".into()), &p);
    assert_eq!(none.verdict, Verdict::NotFound);
    assert!(
        none.reason.contains("no element matches"),
        "{}",
        none.reason
    );
}

#[test]
fn absent_disputes_with_the_text_as_evidence() {
    let p = page(
        "https://x.example/LICENSE-MODEL",
        "text/plain",
        "DEEPSEEK LICENSE AGREEMENT\n\nVersion 1.0, 23 October 2023",
    );
    let f = run(
        &check(CheckKind::Absent("DeepSeek License Agreement".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Disputed);
    assert_eq!(
        f.excerpt.as_deref(),
        Some("DEEPSEEK LICENSE AGREEMENT Version 1.0, 23 October 2023")
    );
    let f = run(&check(CheckKind::Absent("GPL".into())), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported);
}

#[test]
fn case_sensitive_and_matches_are_not_folded() {
    let p = page("https://x.example/LICENSE", "text/plain", "MIT License");
    let mut c = check(CheckKind::Contains("mit license".into()));
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
    c.case_sensitive = true;
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::NotFound);
    let re = |s: &str| check(CheckKind::Matches(regex::Regex::new(s).expect("regex")));
    assert_eq!(
        run(&re("mit license"), &Within::Main, &p).verdict,
        Verdict::NotFound
    );
    assert_eq!(
        run(&re("(?i)mit license"), &Within::Main, &p).verdict,
        Verdict::Supported
    );
}

#[test]
fn markdown_links_emphasis_and_tables_do_not_break_phrases() {
    let md = "## License\nThis code repository and the model weights are licensed under the \
              [MIT License](https://github.com/x/LICENSE).\n\n| Benchmark | o1 | R1 |\n|---|---|---|\n\
              | AIME 2024 (Pass@1) | 79.2 | **79.8** |\n";
    let p = page(
        "https://raw.githubusercontent.com/x/y/c/README.md",
        "text/plain; charset=utf-8",
        md,
    );
    assert_eq!(p.format, crate::spec::Format::Markdown);
    let c = check(CheckKind::Contains(
        "licensed under the MIT License.".into(),
    ));
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
    let c = check(CheckKind::Contains("AIME 2024 (Pass@1)".into()));
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
    let f = run(
        &check(CheckKind::Contains("**79.8**".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
}

#[test]
fn csv_is_read_as_it_stands() {
    let p = page(
        "https://x.example/NVDA.csv",
        "text/plain",
        "Date,Ticker,Open,Close\n2025-01-27,NVDA,124.8,118.42\n",
    );
    let f = run(
        &check(CheckKind::Contains("2025-01-27,NVDA".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported);
}

#[test]
fn figure_checks_say_they_are_not_supported_yet() {
    let p = page("https://x.example/a.txt", "text/plain", "cost $5.576M");
    let f = run(
        &check(CheckKind::Figure(crate::spec::FigureCheck {
            claimed: "$5.6 million".into(),
            locator: crate::spec::Locator::Near {
                phrase: "cost".into(),
                window: 200,
            },
            tolerance: None,
        })),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::NotFound);
    assert!(f.reason.contains("not supported yet"), "{}", f.reason);
}
