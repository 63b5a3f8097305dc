//! `factcheck explain` on a real news page of `../shared/extraction` (read through a WARC the
//! test writes; nothing is copied): the candidates a `near` sees around each appearance of its
//! phrase, the one chosen and why not the others, and the closest passages to a text that is
//! not on the page. The candidate lists are snapshots.

mod common;
mod skip;

use std::path::Path;

use common::project::{factcheck, text, write};
use common::shared_page;
use factcheck::source::warc::WarcWriter;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A Reuters markets story: oil, stocks, many figures close together.
const PAGE: &str = "57d46c9d751e3fd3ffaf3ede7ac20cebd30eacb5ea78e1a6aa0a72059244e7ca";
const URL: &str = "https://corpus.test/scrapinghub/57d46c9d751e";

const CLAIMS: &str = r#"
[sources]
story = "https://corpus.test/scrapinghub/57d46c9d751e"

[[claim]]
id = "crude-price"
statement = "U.S. crude settled at $55.12 a barrel."
source = "story"
check.figure = "$55.12"
check.near = "U.S. crude"

[[claim]]
id = "dow-fall"
statement = "The Dow fell 0.36%."
source = "story"
check.figure = "-0.36%"
check.near = "Dow Jones Industrial Average"

[[claim]]
id = "analyst"
statement = "A Commerzbank analyst said Russia failed to make its cuts."
source = "story"
check.contains = "Commerzbank analyst Carsten Fritch said"
"#;

/// A project whose only source is the page, in a WARC written here.
fn project() -> Option<tempfile::TempDir> {
    let page = Path::new(ROOT)
        .join("../shared/extraction/html")
        .join(format!("{PAGE}.html.gz"));
    if !page.is_file() {
        skip::skip(&format!("{} is not present", page.display()));
        return None;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = WarcWriter::new(Vec::new(), "test", false).with_date("2025-01-01T00:00:00Z");
    writer
        .write_page(&shared_page::archived(&page, URL).expect("page"))
        .expect("record");
    std::fs::write(
        dir.path().join("story.warc"),
        writer.finish().expect("warc"),
    )
    .expect("write");
    write(
        dir.path(),
        "factcheck.toml",
        "offline = true\narchives = [\"story.warc\"]\ncache = \"cache\"\n",
    );
    write(dir.path(), "assertions/oil.toml", CLAIMS);
    Some(dir)
}

/// `explain --format json` for one claim, with the parts that name this machine removed.
fn explained(dir: &Path, claim: &str) -> Value {
    let out = factcheck(dir, &["explain", claim, "--format", "json"]);
    let mut doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    for source in doc["sources"].as_array_mut().expect("sources") {
        let origin = source["origin"].as_str().expect("origin").to_string();
        assert!(
            origin.starts_with("archive ") && origin.ends_with("story.warc"),
            "{origin}"
        );
        source["origin"] = Value::from("archive story.warc");
    }
    doc
}

#[test]
fn a_near_lists_its_candidates_and_the_choice() {
    let Some(dir) = project() else { return };
    let doc = explained(dir.path(), "oil::crude-price");
    assert_eq!(doc["claim"]["verdict"], "supported");
    let source = &doc["sources"][0];
    let candidates = &source["near"]["appearances"][0]["candidates"];
    assert_eq!(candidates[0]["text"], "$55.12");
    assert_eq!(candidates[0]["chosen"], true);
    insta::assert_json_snapshot!("oil-crude-price", source);

    let doc = explained(dir.path(), "oil::dow-fall");
    insta::assert_json_snapshot!("oil-dow-fall", doc["sources"][0]["near"]);
}

#[test]
fn a_text_not_found_gets_the_closest_passage_and_what_differs() {
    let Some(dir) = project() else { return };
    let doc = explained(dir.path(), "oil::analyst");
    assert_eq!(doc["claim"]["verdict"], "not_found");
    let closest = &doc["sources"][0]["closest"];
    assert_eq!(
        closest[0]["text"],
        "Commerzbank analyst Carsten Fritsch said"
    );
    insta::assert_json_snapshot!("oil-analyst-closest", closest);

    // The human form says the same.
    let out = factcheck(dir.path(), &["explain", "oil::analyst"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the claim fails its expectation"
    );
    let shown = text(&out.stdout);
    assert!(shown.contains("closest passages:"), "{shown}");
    assert!(
        shown.contains("the page lacks \"fritch\"; the page has \"fritsch\""),
        "{shown}"
    );
}

#[test]
fn an_unknown_claim_is_invalid_input_with_suggestions() {
    let Some(dir) = project() else { return };
    let out = factcheck(dir.path(), &["explain", "oil::crude"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("did you mean: oil::analyst, oil::crude-price, oil::dow-fall"),
        "{err}"
    );
    let out = factcheck(dir.path(), &["explain", "crude-price"]);
    assert_eq!(out.status.code(), Some(2));
}
