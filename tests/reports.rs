//! Report formats checked by their consumers: SARIF against the official SARIF 2.1.0 JSON schema
//! (from the `@microsoft/sarif-multitool-linux` npm package, fetched by `.ci/run` into
//! `target/ci/`), JUnit XML read by `junitparser`, GitHub annotations on the draft's lines, and
//! `factcheck figures` on the article.

mod skip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_factcheck");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const ARTICLE: &str = "../shared/seed/deepseek-r1-article.txt";

fn shared_present() -> bool {
    let present = Path::new(ROOT).join(ARTICLE).is_file();
    if !present {
        skip::skip("../shared is not present");
    }
    present
}

fn factcheck(args: &[&str]) -> Output {
    let cache = tempfile::tempdir().expect("tempdir");
    let mut all: Vec<&str> = args.to_vec();
    let cache_dir = cache.path().to_str().expect("utf-8").to_string();
    all.extend(["--offline", "--cache", &cache_dir]);
    Command::new(BIN)
        .args(&all)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("run factcheck")
}

/// Runs a Python snippet with `args`; `None` when Python or the module is missing.
fn python(module: &str, code: &str, args: &[&Path]) -> Option<Output> {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        skip::skip(&format!(
            "the {module} check: python3 with {module} is not installed (.ci/run installs it)"
        ));
        return None;
    }
    Some(
        Command::new("python3")
            .arg("-c")
            .arg(code)
            .args(args)
            .output()
            .expect("python3 runs"),
    )
}

fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let doubled = results
        .iter()
        .find(|r| r["partialFingerprints"]["claim"] == "deepseek-r1::nvidia-doubled")
        .expect("the doubled claim");
    assert_eq!(doubled["level"], "error");
    let loc = &doubled["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], ARTICLE);
    assert_eq!(loc["region"]["startLine"], 33);
    assert!(
        doubled["message"]["text"]
            .as_str()
            .expect("text")
            .contains("600.3%")
    );

    let schema = Path::new(ROOT).join("target/ci/sarif-2.1.0.json");
    if !schema.is_file() {
        skip::skip(&format!(
            "schema validation: {} is missing (.ci/run fetches it)",
            schema.display()
        ));
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let check = write_temp(dir.path(), "check.sarif", &out.stdout);
    let figures = factcheck(&["figures", ARTICLE, "--format", "sarif"]);
    let figures = write_temp(dir.path(), "figures.sarif", &figures.stdout);
    let code = "import json, sys, jsonschema\n\
                schema = json.load(open(sys.argv[1]))\n\
                for path in sys.argv[2:]:\n    \
                    jsonschema.validate(json.load(open(path)), schema, format_checker=jsonschema.FormatChecker())\n\
                print('valid')";
    if let Some(v) = python("jsonschema", code, &[&schema, &check, &figures]) {
        assert!(
            v.status.success(),
            "SARIF does not validate: {}",
            String::from_utf8_lossy(&v.stderr)
        );
    }
}

#[test]
fn junit_is_read_by_a_junit_consumer() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["check", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = write_temp(dir.path(), "report.xml", &out.stdout);
    // A failing claim too, to see a failure with its reason.
    let failing = dir.path().join("failing.toml");
    std::fs::write(
        &failing,
        "[[claim]]\nid = \"gpl\"\nstatement = \"R1 is under the GPL <v3> & more.\"\n\
         source = \"https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/ed4409d2a9ff2620d88914f3ba2ca5600bceb749/LICENSE\"\n\
         check.contains = \"GNU General Public License\"\n",
    )
    .expect("write");
    let out = factcheck(&[
        "check",
        "--format",
        "junit",
        failing.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let failed = write_temp(dir.path(), "failed.xml", &out.stdout);
    let code = "import sys\nfrom junitparser import JUnitXml, Failure, Skipped\n\
                for path in sys.argv[1:]:\n    \
                    xml = JUnitXml.fromfile(path)\n    \
                    cases = [c for s in xml for c in s]\n    \
                    failures = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]\n    \
                    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]\n    \
                    print(len(cases), len(failures), len(skipped), *[f.result[0].message for f in failures])";
    if let Some(v) = python("junitparser", code, &[&xml, &failed]) {
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let lines: Vec<String> = String::from_utf8_lossy(&v.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(lines[0], "21 0 3", "{lines:?}");
        assert!(
            lines[1].starts_with("1 1 0 not_found (expected supported)"),
            "{lines:?}"
        );
    }
}

#[test]
fn github_annotations_land_on_the_articles_lines() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["check", "--format", "github", "--document", ARTICLE]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 5, "{text}");
    assert!(
        text.contains("::error file=../shared/seed/deepseek-r1-article.txt,line=33,col=167,endLine=33,endColumn=214,title=disputed%3A deepseek-r1%3A%3Anvidia-doubled::"),
        "{text}"
    );
    assert!(
        text.lines().filter(|l| l.starts_with("::notice ")).count() == 3,
        "{text}"
    );
    assert!(
        !text.contains("supported%3A"),
        "supported claims are not annotated"
    );
}

#[test]
fn figures_lists_the_articles_figures_and_their_claims() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["figures", ARTICLE, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let figures = report["figures"].as_array().expect("figures");
    let texts: Vec<&str> = figures
        .iter()
        .map(|f| f["text"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts,
        [
            "$5.6 million",
            "nearly 2 million",
            "more than $65 billion",
            "as much as 12%"
        ]
    );
    assert_eq!(
        figures[0]["claims"][0]["claim"],
        "deepseek-r1::training-cost"
    );
    assert_eq!(figures[0]["claims"][0]["verdict"], "supported");
    assert_eq!(figures[0]["start"]["line"], 5);
    assert_eq!(report["summary"]["uncovered"], 0);

    // A draft with a figure no claim covers.
    let dir = tempfile::tempdir().expect("tempdir");
    let draft = write_temp(
        dir.path(),
        "draft.md",
        "Revenue rose **12%** to €3bn on Jan. 27, 2025.\n".as_bytes(),
    );
    let out = factcheck(&["figures", draft.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("draft.md:1:16: note: figure \"12%\" (12%) is covered by no claim"),
        "{text}"
    );
    assert!(text.contains("3 figures and dates"), "{text}");
}

/// A throwaway project whose factcheck.toml reads this repository's assertions and the shared
/// WARC file, and publishes ClaimReview as an example organisation on a fixed date.
fn review_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = Path::new(ROOT).canonicalize().expect("root");
    let config = format!(
        "archives = [{:?}]\nassertions = [{:?}]\n\n[review]\nauthor = \"Example Fact Check\"\n\
         url = \"https://factcheck.example.org/reviews/deepseek-r1\"\ndate = 2026-11-29\n",
        root.join("../shared/sources/deepseek-r1-sources.warc.gz"),
        root.join("assertions"),
    );
    write_temp(dir.path(), "factcheck.toml", config.as_bytes());
    dir
}

fn claimreview(project: &Path, extra: &[&str]) -> Output {
    let cache = project.join("cache");
    let mut args = vec!["check", "--format", "claimreview", "--offline", "--cache"];
    args.push(cache.to_str().expect("utf-8"));
    args.extend_from_slice(extra);
    Command::new(BIN)
        .args(&args)
        .current_dir(project)
        .env("NO_COLOR", "1")
        .env_remove("FACTCHECK_TODAY")
        .output()
        .expect("run factcheck")
}

/// PyLD expands the ClaimReview output with a schema.org context built here (no network): every
/// property is a schema.org IRI, and each review carries what Google's ClaimReview guidelines
/// require (claimReviewed, reviewRating with alternateName, url, author) and recommend.
const PYLD_CHECK: &str = r#"
import json, sys
from pyld import jsonld

S = "http://schema.org/"
# schema.org's JSON-LD context maps every term into its vocabulary and types `url` as an IRI;
# this is that, for the terms used, so nothing is fetched.
CONTEXT = {"@context": {"@vocab": S, "url": {"@id": S + "url", "@type": "@id"}}}

def loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": CONTEXT}
    raise RuntimeError("no network in tests: " + url)

# Properties schema.org defines (ClaimReview, Review, Claim, Rating, Organization, CreativeWork).
KNOWN = {"alternateName", "appearance", "author", "bestRating", "citation", "claimReviewed",
         "datePublished", "firstAppearance", "headline", "itemReviewed", "name",
         "ratingExplanation", "ratingValue", "reviewRating", "text", "url", "worstRating"}

nodes = jsonld.expand(json.load(open(sys.argv[1])), {"documentLoader": loader})
reviews = [n for n in nodes if S + "ClaimReview" in n.get("@type", [])]
assert len(reviews) == len(nodes), "every node is a ClaimReview"
for r in reviews:
    for prop in ("claimReviewed", "reviewRating", "url", "author", "itemReviewed", "datePublished"):
        assert S + prop in r, (prop, r)
    rating = r[S + "reviewRating"][0]
    assert S + "Rating" in rating["@type"] and S + "alternateName" in rating, rating
    if S + "ratingValue" in rating:
        assert S + "bestRating" in rating and S + "worstRating" in rating, rating
    author = r[S + "author"][0]
    assert S + "Organization" in author["@type"] and S + "name" in author, author
    assert r[S + "url"][0]["@id"].startswith("https://factcheck.example.org/reviews/deepseek-r1#")
    claim = r[S + "itemReviewed"][0]
    assert S + "Claim" in claim["@type"], claim

def props(node, out):
    if isinstance(node, dict):
        out.update(k for k in node if not k.startswith("@"))
        for v in node.values():
            props(v, out)
    elif isinstance(node, list):
        for v in node:
            props(v, out)
    return out

used = props(nodes, set())
assert all(p.startswith(S) and p[len(S):] in KNOWN for p in used), sorted(used)
print(len(reviews))
"#;

#[test]
fn claimreview_expands_to_schema_org_with_googles_required_properties() {
    if !shared_present() {
        return;
    }
    let project = review_project();
    let out = claimreview(project.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "3 unsourced claims left out of the ClaimReview output (a review needs a source)"
        ),
        "{stderr}"
    );
    // The same bytes with one worker or several.
    let one = claimreview(project.path(), &["--jobs", "1"]);
    let four = claimreview(project.path(), &["--jobs", "4"]);
    assert_eq!(one.stdout, out.stdout);
    assert_eq!(four.stdout, out.stdout);

    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().expect("@graph");
    assert_eq!(graph.len(), 18, "21 claims, 3 unsourced");
    let rated = |fragment: &str| {
        graph
            .iter()
            .find(|r| r["url"].as_str().is_some_and(|u| u.ends_with(fragment)))
            .map(|r| r["reviewRating"].clone())
            .unwrap_or_else(|| panic!("no review #{fragment}"))
    };
    assert_eq!(rated("#deepseek-r1-nvidia-doubled")["ratingValue"], 1);
    assert_eq!(
        rated("#deepseek-r1-r1-mit-license")["alternateName"],
        "Supported"
    );
    insta::assert_json_snapshot!("deepseek-r1-claimreview", doc);

    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_temp(dir.path(), "claimreview.jsonld", &out.stdout);
    if let Some(v) = python("pyld", PYLD_CHECK, &[&file]) {
        assert!(
            v.status.success(),
            "PyLD: {}",
            String::from_utf8_lossy(&v.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&v.stdout).trim(), "18");
    }
}

#[test]
fn claimreview_places_the_claim_in_its_document_and_needs_a_publisher() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_temp(
        dir.path(),
        "a.toml",
        b"[document]\ntitle = \"Chips\"\nurl = \"https://news.example.com/chips\"\n\
          published = 2025-01-28\npath = \"draft.md\"\n\n\
          [[claim]]\nid = \"gone\"\nstatement = \"The page says so.\"\n\
          quote = \"the page says so\"\n\
          source = \"https://example.com/page\"\nexpect = \"unavailable\"\n\
          check.contains = \"so\"\n",
    );
    write_temp(
        dir.path(),
        "draft.md",
        b"# Chips\n\nAs the page says so, chips are small.\n",
    );
    let run = |config: &str| {
        write_temp(dir.path(), "factcheck.toml", config.as_bytes());
        claimreview(dir.path(), &["a.toml"])
    };
    let out = run("");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs `author`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run("[review]\nauthor = \"Checks\"\nurl = \"https://checks.example.org/r\"\n");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let review = &doc["@graph"][0];
    assert_eq!(review["url"], "https://checks.example.org/r#a-gone");
    assert_eq!(review["claimReviewed"], "the page says so");
    assert_eq!(review["itemReviewed"]["name"], "The page says so.");
    let appearance = &review["itemReviewed"]["appearance"];
    assert_eq!(appearance["url"], "https://news.example.com/chips");
    assert_eq!(appearance["datePublished"], "2025-01-28");
    assert_eq!(review["itemReviewed"]["firstAppearance"], *appearance);
    assert_eq!(review["reviewRating"]["alternateName"], "Unverifiable");
    assert!(review["reviewRating"].get("ratingValue").is_none());
    assert_eq!(review["author"]["url"], "https://checks.example.org/");
    // With no `[review] date`, the run's date.
    let today = review["datePublished"].as_str().expect("a date");
    assert_eq!(today.len(), 10, "{today}");
}
