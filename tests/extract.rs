//! `factcheck extract`: the main content of a page, one file or a batch in the extraction
//! benchmark's JSON form, and the main-content hash that tells boilerplate drift from article
//! changes.

use std::io::Write;
use std::path::Path;

use factcheck::page::Page;
use factcheck::source::Snapshot;
use serde_json::Value;

mod common;

use common::project::{factcheck, text};

/// A news page: one article, a "most read" sidebar, a related-stories list, a cookie banner and a
/// comment, with `{article}` and `{sidebar}` to fill.
const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Story | News</title></head><body>
<div class="cookie-consent"><p>We use cookies to give you the best experience on our site.</p></div>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="wrapper">
  <div class="main-column">
    <h1>Headline of the story</h1>
    <div class="story">{article}</div>
    <ul class="more-stories"><li><a href="/1">A related story that is only a link</a></li>
      <li><a href="/2">Another related story that is only a link</a></li></ul>
  </div>
  <div class="rail"><h3>Most read</h3><p>{sidebar}</p></div>
</div>
<section id="comments"><p>Great article, I agree with every word of it, thanks.</p></section>
<footer>Copyright News</footer></body></html>"#;

const ARTICLE: &str = "<p>The company said on Monday that training the model took 2.788 million \
    GPU hours, at a cost of about 5.6 million dollars.</p><p>Analysts noted that the figure \
    leaves out research and ablation runs, so the full cost was likely much higher.</p>\
    <p>Shares of chip makers fell sharply after the report, led by a 17 percent drop.</p>";

fn page(article: &str, sidebar: &str) -> String {
    PAGE.replace("{article}", article)
        .replace("{sidebar}", sidebar)
}

fn write_gz(path: &Path, text: &str) {
    let file = std::fs::File::create(path).expect("create");
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    gz.write_all(text.as_bytes()).expect("gzip");
    gz.finish().expect("gzip");
}

fn assert_article_only(text: &str) {
    assert!(text.contains("2.788 million GPU hours"), "{text}");
    assert!(text.contains("a 17 percent drop"), "{text}");
    for furniture in [
        "cookies",
        "Home",
        "Headline of the story",
        "related story",
        "Most read",
        "Sidebar story",
        "Great article",
        "Copyright",
    ] {
        assert!(!text.contains(furniture), "{furniture:?} in {text}");
    }
}

#[test]
fn main_of_one_file_as_text_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("story.html");
    let sidebar = "Sidebar story: a celebrity chef opens a second restaurant in town.";
    std::fs::write(&file, page(ARTICLE, sidebar)).expect("write");
    let file = file.to_string_lossy().into_owned();

    let out = factcheck(Path::new("."), &["extract", "--main", &file]);
    assert!(out.status.success(), "{out:?}");
    assert_article_only(&text(&out.stdout));

    let out = factcheck(
        Path::new("."),
        &["extract", "--main", &file, "--format", "json"],
    );
    assert!(out.status.success(), "{out:?}");
    let json: Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    assert_article_only(json["articleBody"].as_str().expect("articleBody"));

    let out = factcheck(Path::new("."), &["extract", &file]);
    let all = text(&out.stdout);
    assert!(
        all.contains("Most read") && all.contains("2.788 million"),
        "{all}"
    );
}

#[test]
fn batch_reads_html_and_gzipped_html_keyed_by_stem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sidebar = "Sidebar story: a celebrity chef opens a second restaurant in town.";
    std::fs::write(dir.path().join("plain.html"), page(ARTICLE, sidebar)).expect("write");
    write_gz(&dir.path().join("zipped.html.gz"), &page(ARTICLE, sidebar));
    std::fs::write(dir.path().join("notes.txt"), "not a page").expect("write");
    let batch = dir.path().to_string_lossy().into_owned();

    let out = factcheck(
        Path::new("."),
        &["extract", "--main", "--batch", &batch, "--format", "json"],
    );
    assert!(out.status.success(), "{out:?}");
    let json: Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    let object = json.as_object().expect("object");
    assert_eq!(
        object.keys().collect::<Vec<_>>(),
        ["plain", "zipped"],
        "{json}"
    );
    for key in ["plain", "zipped"] {
        assert_article_only(json[key]["articleBody"].as_str().expect("articleBody"));
    }

    let out = factcheck(
        Path::new("."),
        &[
            "extract",
            "--main",
            "--batch",
            "/nonexistent/dir",
            "--format",
            "json",
        ],
    );
    assert!(!out.status.success());
    let out = factcheck(
        Path::new("."),
        &["extract", "--main", "x.html", "--batch", &batch],
    );
    assert!(!out.status.success(), "a file and --batch conflict");
}

fn read(html: &str) -> Page {
    let snapshot = Snapshot::local(
        "https://news.example/story",
        Some("text/html; charset=utf-8"),
        html.as_bytes().to_vec(),
    );
    Page::read(&snapshot, None).expect("html page")
}

#[test]
fn main_hash_ignores_boilerplate_drift_but_not_article_changes() {
    let before = read(&page(
        ARTICLE,
        "Sidebar story: a chef opens a restaurant in town.",
    ));
    let boilerplate_changed = read(&page(
        ARTICLE,
        "Sidebar story: ten tips for a rainy spring.",
    ));
    let article_changed = read(&page(
        &ARTICLE.replace("17 percent", "18 percent"),
        "Sidebar story: a chef opens a restaurant in town.",
    ));
    let hash = before.main_sha256().expect("html has a main hash");
    assert_eq!(hash.len(), 64);
    assert_ne!(before.sha256, boilerplate_changed.sha256);
    assert_eq!(boilerplate_changed.main_sha256().as_deref(), Some(&*hash));
    assert_ne!(article_changed.main_sha256().as_deref(), Some(&*hash));
}

/// The extraction bench's analysis of the corpora's labelling conventions (`--conventions`),
/// compiled here too so that `cargo test` tests it.
#[path = "../benches/extraction/convention.rs"]
mod convention;

#[test]
fn the_convention_analysis_finds_captions_and_comments_but_not_a_wrapper() {
    let html = r#"<body class="has-comments"><article><p>First line of the story.</p>
        <figure><img src=x><figcaption>A worker repairs a cable.</figcaption></figure>
        <p>Second line of the story.</p></article>
        <section id="comments"><p>Great post!</p></section></body>"#;
    let expected = "First line of the story.\nA worker repairs a cable.\nSecond line of the story.";
    let found = convention::sections(html, expected);
    assert_eq!(found, ["A worker repairs a cable.", "Great post!"]);
    assert_eq!(
        convention::neutral(expected, &found),
        "First line of the story.\nSecond line of the story."
    );
    assert_eq!(convention::neutral("Great   post!\nMine", &found), "Mine");
}

/// The extraction bench's perturbations (`--perturb`), compiled here too so that `cargo test`
/// tests them.
#[path = "../benches/extraction/perturb.rs"]
mod perturb;

#[test]
fn perturbations_rebuild_the_page_and_keep_its_text() {
    use factcheck::page::html::HtmlDoc;
    let para = |i: usize| {
        format!("<p>Paragraph {i} of the article, long enough to count, with a clause or two.</p>")
    };
    let html = format!(
        r#"<html><body><div class="story"><h2>Heading</h2>{}</div><div class="rail">Rail</div></body></html>"#,
        (1..=6).map(para).collect::<String>()
    );
    let words = |html: &str| {
        let mut w: Vec<String> = HtmlDoc::parse(html)
            .visible_text()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        w.sort();
        w
    };
    let original = words(&html);
    let page = scraper::Html::parse_document(&html);
    for kind in perturb::KINDS {
        let rebuilt = perturb::perturb_doc(&page, kind).unwrap_or_else(|| panic!("{kind} applies"));
        assert_ne!(rebuilt.html, html, "{kind} changed nothing");
        let gained = rebuilt.gained;
        let rebuilt = words(&rebuilt.html);
        // The shapes around the text change; the text stays, and only four kinds add to it.
        if matches!(kind, "related" | "listing" | "embed" | "sections") {
            let mut rest = rebuilt.clone();
            for w in &original {
                let at = rest.iter().position(|r| r == w);
                let at = at.unwrap_or_else(|| panic!("{kind} lost {w:?}"));
                rest.remove(at);
            }
            assert!(!rest.is_empty(), "{kind} added nothing");
            // What the article gains is what its expected text gains, word for word (a box of
            // other stories or teasers is not the article's, and gains nothing).
            if matches!(kind, "related" | "listing") {
                assert!(
                    gained.is_empty(),
                    "{kind} expects text that is not the article's"
                );
            } else {
                let mut expected: Vec<&str> = gained.split_whitespace().collect();
                expected.sort_unstable();
                assert_eq!(rest, expected, "{kind} added other words than it expects");
            }
        } else {
            assert_eq!(rebuilt, original, "{kind} changed the text");
            assert!(gained.is_empty(), "{kind} expects text it did not add");
        }
    }
    // A page with too few paragraphs is left out, not rebuilt.
    let short = scraper::Html::parse_document("<p>One short page.</p>");
    assert!(perturb::perturb_doc(&short, "lede").is_none());
    // The page a perturbation starts from is not changed by it: one parse serves every kind.
    assert_eq!(page.html(), scraper::Html::parse_document(&html).html());
}
