//! Writing claims (issue 14): `factcheck add URL` on pages served from 127.0.0.1 and from the
//! shared WARC, and `factcheck figures DOCUMENT --scaffold` on drafts.

mod common;
mod skip;

use std::path::{Path, PathBuf};

use common::project::{factcheck, text, write};
use common::server::{Response, TestServer};
use factcheck::source::warc::WarcArchive;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const ARTICLE: &str = "<html><head><title>Chip stocks slide</title></head><body>\
<nav><a href='/'>Home</a> <a href='/markets'>Markets</a></nav>\
<article><h1>Chip stocks slide</h1>\
<p>Shares of the chipmaker fell 12% on 27 January 2025, wiping out $593 billion of market value.</p>\
<p>The company said revenue rose 8% to $3.1 billion in the quarter.</p></article>\
<footer>© 2025 Example News</footer></body></html>";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", "wayback_url = \"\"\n");
    dir
}

#[test]
fn add_fetches_stores_names_and_summarises_a_page() {
    let server = TestServer::start();
    server.respond("/news/chips.html", Response::html(ARTICLE));
    let url = server.url("/news/chips.html");
    let dir = project();
    write(
        dir.path(),
        "assertions/chips.toml",
        "# Claims about the chip story.\n[document]\ntitle = \"Chips\" # the story\n",
    );

    let args = [
        "add",
        &url,
        "--allow-private-addresses",
        "--warc",
        "captures/sources.warc.gz",
    ];
    let out = factcheck(dir.path(), &args);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("added `127-0-0-chips` to the [sources] of"),
        "{stdout}"
    );
    assert!(
        stdout.contains("appended to captures/sources.warc.gz"),
        "{stdout}"
    );
    assert!(stdout.contains("title:   Chip stocks slide"), "{stdout}");
    assert!(stdout.contains("format:  html"), "{stdout}");
    assert!(stdout.contains("main content:"), "{stdout}");
    assert!(
        stdout.contains("Shares of the chipmaker fell 12% on 27 January 2025"),
        "the first lines of the main content: {stdout}"
    );
    assert!(
        stdout.contains("figures (4): 12%, $593 billion, 8%, $3.1 billion"),
        "{stdout}"
    );
    assert!(stdout.contains("dates (1): 2025-01-27"), "{stdout}");
    assert_eq!(server.hits("/news/chips.html"), 1);

    // The file keeps its comments; the source is named with its format.
    let file = std::fs::read_to_string(dir.path().join("assertions/chips.toml")).unwrap();
    assert!(
        file.starts_with(
            "# Claims about the chip story.\n[document]\ntitle = \"Chips\" # the story\n"
        ),
        "{file}"
    );
    assert!(
        file.contains(&format!(
            "[sources.127-0-0-chips]\nurl = \"{url}\"\nformat = \"html\"\n"
        )),
        "{file}"
    );

    // The capture replays the page.
    let warc = WarcArchive::open(&dir.path().join("captures/sources.warc.gz")).expect("a WARC");
    let page = warc.get(&url).expect("readable").expect("the page");
    assert_eq!(page.body, ARTICLE.as_bytes());

    // A claim on the new source checks offline, from the capture alone (a fresh cache).
    let mut claims = file;
    claims.push_str(
        "\n[[claim]]\nid = \"fell\"\nstatement = \"Shares fell 12%.\"\nsource = \"127-0-0-chips\"\n\
         check.figure = \"12%\"\ncheck.near = \"fell\"\n",
    );
    write(dir.path(), "assertions/chips.toml", &claims);
    write(
        dir.path(),
        "factcheck.toml",
        "wayback_url = \"\"\narchives = [\"captures/sources.warc.gz\"]\ncache = \"fresh-cache\"\n",
    );
    let out = factcheck(dir.path(), &["check", "--offline"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("supported: chips::fell"),
        "{}",
        text(&out.stdout)
    );

    // Again: nothing new, nothing fetched (the cache has it).
    let out = factcheck(
        dir.path(),
        &[
            "add",
            &url,
            "--allow-private-addresses",
            "--warc",
            "captures/sources.warc.gz",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("is already in"), "{stdout}");
    assert!(
        stdout.contains("already in captures/sources.warc.gz"),
        "{stdout}"
    );
}

#[test]
fn add_says_what_to_do_when_a_page_cannot_be_had() {
    let server = TestServer::start();
    server.respond("/gone", Response::status(404));
    let dir = project();
    write(dir.path(), "assertions/a.toml", "");

    // A private address without the flag: refused before any request.
    let out = factcheck(dir.path(), &["add", &server.url("/gone")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("loopback address"), "{stderr}");
    assert!(
        stderr.contains("hint: it is a local or private address: pass --allow-private-addresses"),
        "{stderr}"
    );
    assert_eq!(server.hits("/gone"), 0);

    let out = factcheck(
        dir.path(),
        &["add", &server.url("/gone"), "--allow-private-addresses"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("HTTP 404"), "{stderr}");
    assert!(stderr.contains("hint: check the URL"), "{stderr}");

    let out = factcheck(dir.path(), &["add", "https://example.com/x", "--offline"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("hint: run without --offline"),
        "{}",
        text(&out.stderr)
    );

    // Nothing was written.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("assertions/a.toml")).unwrap(),
        ""
    );

    // Bad input is exit 2, before any fetch.
    let out = factcheck(dir.path(), &["add", "example.com/x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    write(dir.path(), "assertions/b.toml", "");
    let out = factcheck(dir.path(), &["add", "https://example.com/x", "--offline"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("choose one with --to FILE"),
        "{}",
        text(&out.stderr)
    );
}

fn shared_warc() -> Option<PathBuf> {
    let path = Path::new(ROOT).join("../shared/sources/deepseek-r1-sources.warc.gz");
    if path.is_file() {
        Some(path)
    } else {
        skip::skip(&format!("{} is not present", path.display()));
        None
    }
}

#[test]
fn add_offline_reads_the_shared_archive() {
    let Some(warc) = shared_warc() else { return };
    let dir = project();
    let url = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/ed4409d2a9ff2620d88914f3ba2ca5600bceb749/README.md";
    let out = factcheck(
        dir.path(),
        &[
            "add",
            url,
            "--offline",
            "--archive",
            warc.to_str().unwrap(),
            "--to",
            "assertions/r1.toml",
            "--name",
            "r1-readme",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("added `r1-readme`"), "{stdout}");
    assert!(stdout.contains("format:  markdown"), "{stdout}");
    assert!(stdout.contains("from the archive"), "{stdout}");
    let file = std::fs::read_to_string(dir.path().join("assertions/r1.toml")).unwrap();
    assert!(file.contains("[sources.r1-readme]"), "{file}");
    factcheck::load_str(Path::new("assertions/r1.toml"), &file).expect("a valid file");
}

const DRAFT: &str = "# Chips\n\nShares of the chipmaker fell 12% on Monday. Revenue rose 8% to \
$3.1 billion, the company said.\n\nAnalysts expect about $4 billion next year.\n";

#[test]
fn scaffold_adds_a_stub_per_uncovered_figure_once() {
    let dir = project();
    write(dir.path(), "drafts/chips.md", DRAFT);
    write(
        dir.path(),
        "assertions/chips.toml",
        "# Mine.\n[document]\npath = \"../drafts/chips.md\"\n\n[[claim]]\nid = \"fell\"\n\
         statement = \"Shares fell 12%.\"\nquote = \"fell 12%\"\ncheck.figure = \"12%\"\n\
         check.near = \"fell\"\n",
    );
    let out = factcheck(dir.path(), &["figures", "drafts/chips.md", "--scaffold"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("added 3 claim stubs to"), "{stderr}");
    let file = std::fs::read_to_string(dir.path().join("assertions/chips.toml")).unwrap();
    assert!(
        file.starts_with("# Mine.\n[document]\npath = \"../drafts/chips.md\"\n"),
        "{file}"
    );
    let loaded = factcheck::load_str(Path::new("assertions/chips.toml"), &file).expect("valid");
    let ids: Vec<&str> = loaded.claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(
        ids[1..],
        [
            "revenue-rose-8",
            "revenue-rose-3-1-billion-usd",
            "analysts-expect-4-billion-usd"
        ]
    );
    assert!(file.contains("check.figure = \"$3.1 billion\""), "{file}");
    assert!(
        file.contains("statement = \"Revenue rose 8% to $3.1 billion, the company said.\""),
        "{file}"
    );
    assert!(
        file.contains("check.figure = \"about $4 billion\"\ncheck.near = \"Analysts expect\""),
        "{file}"
    );
    assert!(loaded.claims[1..].iter().all(|c| c.sources.is_empty()));

    // Every figure is covered now: a second run adds nothing.
    let out = factcheck(dir.path(), &["figures", "drafts/chips.md", "--scaffold"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("nothing added"),
        "{}",
        text(&out.stderr)
    );
    let again = std::fs::read_to_string(dir.path().join("assertions/chips.toml")).unwrap();
    assert_eq!(again, file);

    // The stubs are unsourced until they name a source.
    let out = factcheck(dir.path(), &["check", "--offline", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let unsourced = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "unsourced")
        .count();
    assert_eq!(unsourced, 4);
}

#[test]
fn scaffold_creates_the_file_about_a_new_draft() {
    let dir = project();
    write(
        dir.path(),
        "drafts/new.md",
        "It cost $5.6 million to train.\n",
    );
    let out = factcheck(dir.path(), &["figures", "drafts/new.md", "--scaffold"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = std::fs::read_to_string(dir.path().join("assertions/new.toml")).unwrap();
    assert!(
        file.contains("[document]\npath = \"../drafts/new.md\""),
        "{file}"
    );
    assert!(file.contains("id = \"cost-5-6-million-usd\""), "{file}");
    // The language server and `figures` now see the claim on the draft's line.
    let out = factcheck(
        dir.path(),
        &["figures", "drafts/new.md", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report
            .to_string()
            .matches("new::cost-5-6-million-usd")
            .count(),
        1,
        "{report}"
    );
}

/// The path of the issue: stubs from the draft, the source added and attached to them, checked.
#[test]
fn scaffold_then_add_attach_gives_checked_claims() {
    let server = TestServer::start();
    server.respond("/chips.html", Response::html(ARTICLE));
    let dir = project();
    write(
        dir.path(),
        "drafts/chips.md",
        "Shares of the chipmaker fell 12% on Monday.\n\nRevenue rose 8% in the quarter.\n",
    );
    let out = factcheck(dir.path(), &["figures", "drafts/chips.md", "--scaffold"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let url = server.url("/chips.html");
    let out = factcheck(
        dir.path(),
        &[
            "add",
            &url,
            "--allow-private-addresses",
            "--name",
            "chips",
            "--attach",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("made `chips` the source of 2 claims: chipmaker-fell-12, revenue-rose-8"),
        "{stdout}"
    );
    let out = factcheck(dir.path(), &["check", "--offline"]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("2 claims: 2 passed"), "{report}");
}

/// A capture file that is not a WARC stops `add` before the assertion file is touched.
#[test]
fn a_bad_capture_file_changes_nothing() {
    let server = TestServer::start();
    server.respond("/a.html", Response::html(ARTICLE));
    let dir = project();
    write(dir.path(), "assertions/a.toml", "# mine\n");
    write(dir.path(), "captures/not.warc", "this is not a WARC file\n");
    let out = factcheck(
        dir.path(),
        &[
            "add",
            &server.url("/a.html"),
            "--allow-private-addresses",
            "--warc",
            "captures/not.warc",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cannot read it as a WARC file"),
        "{}",
        text(&out.stderr)
    );
    let file = std::fs::read_to_string(dir.path().join("assertions/a.toml")).unwrap();
    assert_eq!(file, "# mine\n");
    let capture = std::fs::read_to_string(dir.path().join("captures/not.warc")).unwrap();
    assert_eq!(capture, "this is not a WARC file\n");
}
