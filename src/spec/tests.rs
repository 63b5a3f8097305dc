//! Happy-path tests of the loader: valid files load into the model as FORMAT.md describes.
//! The error cases are golden files under `tests/errors/`.

use std::path::{Path, PathBuf};

use super::*;

fn load(text: &str) -> AssertionFile {
    match load_str(Path::new("assertions/deepseek-r1.toml"), text) {
        Ok(f) => f,
        Err(d) => panic!("expected a valid file, got:\n{}", d.render(false)),
    }
}

fn locator(claim: &Claim) -> &Locator {
    match &claim.check.as_ref().expect("a check").kind {
        CheckKind::Figure(f) | CheckKind::Date(f) => &f.locator,
        other => panic!("expected a figure or date check, got {other:?}"),
    }
}

/// The example of FORMAT.md's "Assertion files" section, with the placeholders filled in.
const FORMAT_EXAMPLE: &str = r#"# Optional. The document whose claims this file checks.
[document]
title = "Why DeepSeek R1 matters"
path  = "../drafts/deepseek-r1.md"
url   = "https://example.com/deepseek-r1"

[sources.r1-readme]
url = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/0123abc/README.md"
format   = "markdown"
archived = "https://web.archive.org/web/20250127000000/https://example.com/page"

[sources]
nvda = "https://raw.githubusercontent.com/growwanalysis/nasdaq100/0123abc/data/NVDA.csv"

[[claim]]
id        = "r1-mit-license"
statement = "DeepSeek R1 is released under the MIT license."
quote     = "MIT open source license"
source    = "r1-readme"
expect    = "supported"
within    = "main"
note      = "Weights and code; the distilled models keep their base models' licences."
tags      = ["license"]

[claim.check]
contains = "licensed under the MIT License"
"#;

#[test]
fn loads_the_format_example() {
    let f = load(FORMAT_EXAMPLE);
    assert_eq!(f.stem(), "deepseek-r1");
    let doc = f.document.as_ref().expect("a [document]");
    assert_eq!(doc.title.as_deref(), Some("Why DeepSeek R1 matters"));
    // Relative to the assertion file's directory, `..` resolved lexically.
    assert_eq!(doc.path, Some(PathBuf::from("drafts/deepseek-r1.md")));
    assert_eq!(doc.url.as_deref(), Some("https://example.com/deepseek-r1"));

    let readme = &f.sources["r1-readme"];
    assert_eq!(readme.format, Some(Format::Markdown));
    assert!(
        readme
            .archived
            .as_deref()
            .is_some_and(|a| a.starts_with("https://web.archive.org/"))
    );
    assert_eq!(f.sources["nvda"].format, None);

    let [claim] = f.claims.as_slice() else {
        panic!("one claim expected, got {}", f.claims.len());
    };
    assert_eq!(claim.id, "r1-mit-license");
    assert_eq!(claim.quote.as_deref(), Some("MIT open source license"));
    assert_eq!(claim.sources, vec![readme.clone()]);
    assert_eq!(claim.expect, Verdict::Supported);
    assert_eq!(claim.within, Within::Main);
    assert_eq!(claim.tags, vec!["license".to_owned()]);
    assert!(
        claim
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("Weights and code"))
    );
    let check = claim.check.as_ref().expect("a check");
    assert!(matches!(&check.kind, CheckKind::Contains(t) if t == "licensed under the MIT License"));
    assert!(!check.case_sensitive);
    // The position of the `[[claim]]` header, and the span of the id's value (quotes included).
    let header = FORMAT_EXAMPLE.find("[[claim]]").expect("header");
    assert_eq!(claim.pos, line_col(FORMAT_EXAMPLE, header));
    assert_eq!(claim.pos.column, 1);
    assert_eq!(&FORMAT_EXAMPLE[claim.id_span.clone()], "\"r1-mit-license\"");
}

#[test]
fn sources_may_be_bare_urls() {
    let f = load(
        r#"
[[claim]]
id        = "v3-parameters"
statement = "DeepSeek V3 has 671 billion parameters."
source    = "https://github.com/deepseek-ai/DeepSeek-V3"
expect    = "not_found"
within    = "article .markdown-body"
check.figure = "671B"
check.near   = "total parameters"
"#,
    );
    let claim = &f.claims[0];
    assert_eq!(claim.sources.len(), 1);
    assert_eq!(claim.sources[0].name, None);
    assert_eq!(
        claim.sources[0].url,
        "https://github.com/deepseek-ai/DeepSeek-V3"
    );
    assert_eq!(claim.expect, Verdict::NotFound);
    assert_eq!(
        claim.within,
        Within::Selector("article .markdown-body".into())
    );
    assert!(matches!(
        locator(claim),
        Locator::Near { phrase, window: DEFAULT_NEAR_WINDOW, .. } if phrase == "total parameters"
    ));
}

#[test]
fn several_sources_with_require() {
    let f = load(
        r#"
[sources]
r1-readme = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/main/README.md"

[[claim]]
id        = "r1-mit-license"
statement = "DeepSeek R1 is released under the MIT license."
sources   = ["r1-readme", "https://huggingface.co/deepseek-ai/DeepSeek-R1"]
require   = "all"
within    = "page"

[claim.check]
absent         = "non-commercial"
case_sensitive = true
"#,
    );
    let claim = &f.claims[0];
    assert_eq!(claim.require, Require::All);
    assert_eq!(claim.within, Within::Page);
    let names: Vec<_> = claim.sources.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(names, vec![Some("r1-readme"), None]);
    assert_eq!(
        claim.sources[1].url,
        "https://huggingface.co/deepseek-ai/DeepSeek-R1"
    );
    let check = claim.check.as_ref().expect("a check");
    assert!(matches!(&check.kind, CheckKind::Absent(t) if t == "non-commercial"));
    assert!(check.case_sensitive);
}

#[test]
fn figures_and_dates_with_each_locator() {
    let f = load(
        r#"
[sources]
paper = "https://arxiv.org/abs/2412.19437"
nvda  = "https://example.com/data/NVDA.csv"

[[claim]]
id        = "near"
statement = "The final training run cost about $5.6 million."
source    = "paper"
[claim.check]
figure    = "about $5.6 million"
near      = "total training costs"
window    = 80
tolerance = "2%"

[[claim]]
id        = "pattern"
statement = "The final training run cost $5.576 million."
source    = "paper"
[claim.check]
figure  = "$5.576 million"
pattern = 'amount to only (?P<value>\$[\d.]+M)'

[[claim]]
id        = "select"
statement = "Nvidia closed at $118.42."
source    = "nvda"
[claim.check]
figure = "$118.42"
select = "table.prices td.close"

[[claim]]
id        = "cell"
statement = "Nvidia closed at $118.42 on 27 January 2025."
source    = "nvda"
[claim.check]
figure = "$118.42"
cell   = { row = "2025-01-27", column = "Close", key = "Date", table = 2 }

[[claim]]
id        = "date"
statement = "DeepSeek released R1 on 20 January 2025."
source    = "https://api-docs.deepseek.com/news/news250120"
[claim.check]
date      = 2025-01-20
near      = "Release"
tolerance = "3d"
"#,
    );
    let ids: Vec<&str> = f.claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["near", "pattern", "select", "cell", "date"]);
    assert!(matches!(
        locator(&f.claims[0]),
        Locator::Near { window: 80, .. }
    ));
    let Some(CheckKind::Figure(near)) = f.claims[0].check.as_ref().map(|c| &c.kind) else {
        panic!("a figure check");
    };
    assert_eq!(near.claimed, "about $5.6 million");
    assert_eq!(near.tolerance.as_deref(), Some("2%"));
    match locator(&f.claims[1]) {
        Locator::Pattern(re) => {
            let re = re.compile().expect("compiles");
            let caps = re
                .captures("costs amount to only $5.576M.")
                .expect("a match");
            assert_eq!(&caps[VALUE_GROUP], "$5.576M");
        }
        other => panic!("expected a pattern, got {other:?}"),
    }
    assert!(matches!(locator(&f.claims[2]), Locator::Select(s) if s == "table.prices td.close"));
    let Locator::Cell(cell) = locator(&f.claims[3]) else {
        panic!("expected a cell");
    };
    assert_eq!(
        cell,
        &CellRef {
            row: "2025-01-27".into(),
            column: "Close".into(),
            key: Some("Date".into()),
            table: Some(2),
        }
    );
    // An unquoted TOML date is taken as its text.
    let Some(CheckKind::Date(date)) = f.claims[4].check.as_ref().map(|c| &c.kind) else {
        panic!("a date check");
    };
    assert_eq!(date.claimed, "2025-01-20");
    assert_eq!(date.tolerance.as_deref(), Some("3d"));
}

#[test]
fn change_between_cells_or_locators() {
    let f = load(
        r#"
[sources]
nvda = "https://example.com/data/NVDA.csv"

[[claim]]
id        = "nvda-drop"
statement = "Nvidia shares fell about 17% on 27 January 2025."
source    = "nvda"
[claim.check]
figure = "about -17%"
change = { from = { row = "2025-01-24", column = "Close" }, to = { row = 2025-01-27, column = "Close" } }

[[claim]]
id        = "nvda-drop-news"
statement = "Nvidia shares fell about 17% on 27 January 2025."
source    = "https://www.example.com/markets/nvidia"
[claim.check]
figure = "about -17%"
change = { from = { near = "Friday's close", window = 40 }, to = { cell = { row = "Mon", column = "Close" } } }
"#,
    );
    let Locator::Change { from, to } = locator(&f.claims[0]) else {
        panic!("expected a change");
    };
    assert!(matches!(&**from, Locator::Cell(c) if c.row == "2025-01-24" && c.column == "Close"));
    assert!(matches!(&**to, Locator::Cell(c) if c.row == "2025-01-27" && c.key.is_none()));
    let Locator::Change { from, to } = locator(&f.claims[1]) else {
        panic!("expected a change");
    };
    assert!(
        matches!(&**from, Locator::Near { phrase, window: 40, .. } if phrase == "Friday's close")
    );
    assert!(matches!(&**to, Locator::Cell(c) if c.row == "Mon"));
}

#[test]
fn an_unsourced_claim_needs_no_check() {
    let f = load(
        r#"
[[claim]]
id        = "r2-release"
statement = "DeepSeek has not announced a release date for R2."
quote     = "no date has been given for R2"
"#,
    );
    let claim = &f.claims[0];
    assert!(claim.sources.is_empty());
    assert!(claim.check.is_none());
    assert_eq!(claim.expect, Verdict::Supported);
    assert_eq!(claim.pos, Pos { line: 2, column: 1 });
}

#[test]
fn a_file_without_claims_loads_empty() {
    let f = load("# nothing sourced yet\n");
    assert!(f.claims.is_empty() && f.sources.is_empty() && f.document.is_none());
}

#[test]
fn load_paths_walks_directories_and_reports_all_files() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let good = "[[claim]]\nid = \"a\"\nstatement = \"s\"\n";
    std::fs::create_dir_all(dir.path().join("b/nested")).expect("mkdir");
    std::fs::write(dir.path().join("b/nested/z.toml"), good).expect("write");
    std::fs::write(dir.path().join("a.toml"), good).expect("write");
    std::fs::write(dir.path().join("notes.md"), "not an assertion file").expect("write");
    let suite = load_paths(&[dir.path().to_path_buf()]).expect("a valid suite");
    let found: Vec<PathBuf> = suite
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(dir.path())
                .expect("below the dir")
                .to_path_buf()
        })
        .collect();
    assert_eq!(
        found,
        [PathBuf::from("a.toml"), PathBuf::from("b/nested/z.toml")]
    );

    std::fs::write(dir.path().join("a.toml"), "[[claim]]\nid = \"A\"\n").expect("write");
    std::fs::write(dir.path().join("b/nested/z.toml"), "x = \n").expect("write");
    let missing = dir.path().join("missing.toml");
    let err = load_paths(&[dir.path().to_path_buf(), missing.clone()]).expect_err("errors");
    // Two in a.toml (bad id, no statement), one syntax error in z.toml, one unreadable file.
    assert_eq!(err.errors(), 4, "{}", err.render(false));
    assert!(err.0.iter().any(|d| d.path == missing && d.span.is_none()));
    assert!(
        err.render(false)
            .ends_with("error: found 4 errors in 3 assertion files\n")
    );
    assert_eq!(
        err.to_string().lines().last(),
        Some("error: found 4 errors in 3 assertion files")
    );
}

#[test]
fn each_file_hands_files_and_errors_on_in_path_order() {
    // More files than one chunk of the loading threads, every seventh broken: valid files come
    // in path order, and the errors in the same order.
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut broken = Vec::new();
    for i in 0..40 {
        let path = dir.path().join(format!("f{i:02}.toml"));
        let text = if i % 7 == 3 {
            broken.push(path.clone());
            "x = \n".to_owned()
        } else {
            format!("[[claim]]\nid = \"c{i}\"\nstatement = \"s\"\n")
        };
        std::fs::write(&path, text).expect("write");
    }
    let mut ids = Vec::new();
    let err = each_file(&[dir.path().to_path_buf()], |f| {
        ids.push(f.claims[0].id.clone());
    })
    .expect_err("the broken files");
    let expected: Vec<String> = (0..40)
        .filter(|i| i % 7 != 3)
        .map(|i| format!("c{i}"))
        .collect();
    assert_eq!(ids, expected);
    let paths: Vec<&PathBuf> = err.0.iter().map(|d| &d.path).collect();
    assert_eq!(paths, broken.iter().collect::<Vec<_>>());
}

#[test]
fn load_file_reports_non_utf8_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[[claim]]\nid = \"caf\xe9\"\n").expect("write");
    let err = load_file(&path).expect_err("not UTF-8");
    assert_eq!(
        err.0[0].pos(),
        Some(Pos {
            line: 2,
            column: 10
        })
    );
}

#[test]
fn published_locates_a_date_on_html_or_unknown_sources() {
    let f = load(
        r#"
[sources.story]
url    = "https://news.example/2021/budget"
format = "html"

[[claim]]
id        = "named-html"
statement = "The budget story ran on 14 March 2021."
source    = "story"
[claim.check]
date      = 2021-03-14
published = true

[[claim]]
id        = "unknown-format"
statement = "The budget story ran on 14 March 2021."
sources   = ["https://news.example/a", "https://news.example/b.html"]
[claim.check]
date      = "March 14, 2021"
published = true
tolerance = "1d"
"#,
    );
    for claim in &f.claims {
        assert!(matches!(locator(claim), Locator::Published), "{}", claim.id);
    }
}

/// A valid file with every kind of value, to mutate.
const MUTATE_ME: &str = r#"[document]
title = "t"
path = "draft.md"

[sources]
paper = "https://arxiv.org/abs/2412.19437"
news = { url = "https://example.com/n", format = "html" }

[[claim]]
id = "cost"
statement = "It cost about $5.6 million."
quote = "cost $5.6 million"
sources = ["paper", "news"]
require = "all"
expect = "supported"
tags = ["money"]

[claim.check]
figure = "about $5.6 million"
near = "training costs"
window = 300
occurrence = 2
tolerance = "2%"

[[claim]]
id = "date"
statement = "Released January 20, 2025."
source = "news"
check.date = "2025-01-20"
check.near = "released"
check.tolerance = "3d"

[[claim]]
id = "move"
statement = "Shares fell 17%."
source = "https://example.com/p.csv"
check.figure = "-17%"
check.change = { from = { row = "2025-01-24", column = "Close" }, to = { row = "2025-01-27", column = "Close" } }
"#;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Arbitrary text: the loader returns a file or located errors, never panics, in bounded
    /// time, and every diagnostic renders.
    #[test]
    fn the_loader_survives_arbitrary_text(text in "\\PC{0,400}") {
        let start = std::time::Instant::now();
        if let Err(d) = load_str(Path::new("a.toml"), &text) {
            proptest::prop_assert!(!d.render(false).is_empty());
        }
        proptest::prop_assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    /// A valid file with bytes replaced, cut or inserted (digits, signs, quotes, brackets):
    /// a file or located errors, never a panic.
    #[test]
    fn the_loader_survives_mutated_files(
        edits in proptest::collection::vec(
            (0usize..2000, 0usize..12, proptest::sample::select(vec![
                "", "9", "99999999999999999999", "-", "--", "+-", "\"", "'", "[", "]", "{", "}",
                "=", "\n", "[[claim]]\n", "d", "%", "more than ", "7304485d", "\u{2212}", "\u{0}",
                "é", "$", "–",
            ])),
            1..6,
        ),
    ) {
        let mut text = MUTATE_ME.to_owned();
        for (at, len, with) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, with);
        }
        let start = std::time::Instant::now();
        match load_str(Path::new("a.toml"), &text) {
            Ok(file) => {
                for claim in &file.claims {
                    proptest::prop_assert!(!claim.id.is_empty());
                }
            }
            Err(d) => {
                proptest::prop_assert!(d.errors() > 0);
                proptest::prop_assert!(!d.render(false).is_empty());
            }
        }
        proptest::prop_assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}
