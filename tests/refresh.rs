//! `factcheck refresh` end to end against local servers that change pages between runs:
//! conditional requests, flipped verdicts, hysteresis, archived fallbacks, the address guard,
//! the lock, and a killed run. The misbehaving servers are in `refresh_faults.rs`.

mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::project::*;
use common::server::{Response, TestServer, conditional_page};
use factcheck::source::cache::{Cache, FailureRecord, SourceState};
use serde_json::Value;
/// A server with a page whose version the test sets (`body(n)` is version n's HTML, served with
/// ETag `"vn"`), and a project with one claim that the page contains `contains`.
struct Versioned {
    server: TestServer,
    version: Arc<AtomicU32>,
    url: String,
    dir: tempfile::TempDir,
}

fn versioned(path: &str, contains: &str, body: fn(u32) -> String) -> Versioned {
    let server = TestServer::start();
    let version = Arc::new(AtomicU32::new(1));
    let v = version.clone();
    server.route(
        path,
        conditional_page(move || {
            let n = v.load(Ordering::SeqCst);
            (n, body(n).into_bytes())
        }),
    );
    let url = server.url(path);
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", &config(""));
    write(
        dir.path(),
        "assertions/r1.toml",
        &claim_toml("mit", &url, contains),
    );
    Versioned {
        server,
        version,
        url,
        dir,
    }
}

#[test]
fn conditional_requests_keep_the_body_and_changes_flip_verdicts() {
    let Versioned {
        server,
        version,
        url,
        dir,
    } = versioned("/license", "MIT License", |n| {
        let licence = if n < 3 { "MIT" } else { "Apache" };
        format!("<article><p>R1 is released under the {licence} License.</p></article>")
    });

    // First refresh: the source is new; the claim goes from unavailable to supported.
    let report = refresh_json(dir.path(), &[], 1);
    assert_eq!(report["version"], 1);
    assert_eq!(source(&report, &url)["status"], "new");
    assert_eq!(source(&report, &url)["conditional"], false);
    assert_eq!(claim(&report, "mit")["before"], "unavailable");
    assert_eq!(claim(&report, "mit")["after"], "supported");
    assert_eq!(claim(&report, "mit")["flipped"], true);

    // Second: a conditional request, answered 304; body kept, retrieved time updated.
    let cache = Cache::new(dir.path().join(".factcheck/cache"));
    let mut meta = cache.meta(&url).expect("meta").expect("cached");
    meta.retrieved = "2020-01-01T00:00:00Z".into();
    cache.put_meta(&meta).expect("age the entry");
    let report = refresh_json(dir.path(), &[], 0);
    let s = source(&report, &url);
    assert_eq!(s["status"], "unchanged");
    assert_eq!(s["http_status"], 304);
    assert_eq!(s["conditional"], true);
    assert_eq!(s["archived_from"], Value::Null);
    let request = server.last_request("/license").expect("request");
    assert_eq!(request.header("if-none-match"), Some("\"v1\""));
    assert!(request.header("if-modified-since").is_some());
    let meta = cache.meta(&url).expect("meta").expect("cached");
    assert_ne!(meta.retrieved, "2020-01-01T00:00:00Z");
    assert_eq!(claim(&report, "mit")["flipped"], false);

    // --older-than skips what was just refreshed.
    let hits = server.hits("/license");
    let report = refresh_json(dir.path(), &["--older-than", "7d"], 0);
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["sources"].as_array().map(Vec::len), Some(0));
    assert_eq!(server.hits("/license"), hits);

    // Version 2, same text: fetched again (new ETag), unchanged content, no flip.
    version.store(2, Ordering::SeqCst);
    let report = refresh_json(dir.path(), &[], 0);
    assert_eq!(source(&report, &url)["status"], "unchanged");
    assert_eq!(source(&report, &url)["http_status"], 200);

    // Version 3 changes the licence: changed, flipped, exit 1, excerpts before and after.
    version.store(3, Ordering::SeqCst);
    let out = factcheck(dir.path(), &["refresh", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let markdown = text(&out.stdout);
    assert!(markdown.contains("### Flipped verdicts"), "{markdown}");
    assert!(
        markdown.contains("| `r1::mit` | supported | **not_found** |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- R1 is released under the MIT License."),
        "{markdown}"
    );
    assert!(out.stderr.is_empty(), "quiet when stderr is not a terminal");
    // The human report says the same.
    version.store(4, Ordering::SeqCst);
    let out = factcheck(dir.path(), &["refresh"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("claims: no verdict flipped (1 claim)"),
        "{}",
        text(&out.stdout)
    );
    assert_cache_verifies(dir.path());
}

#[test]
fn dead_after_spaced_failures_and_archived_copies_stand_in() {
    let server = TestServer::start();
    server.respond("/dead", Response::status(410));
    server.respond("/no-copy", Response::status(404));
    server.respond(
        "/archived-copy",
        Response::html("<article><p>Archived: the figure was 42.</p></article>"),
    );
    server.respond("/wb-only", Response::status(404));
    let wb_original = server.url("/wb-only");
    let capture = format!("/web/20250101000000/{wb_original}");
    server.respond(
        "/wayback/available",
        Response::status(200)
            .header("Content-Type", "application/json")
            .body(format!(
                "{{\"archived_snapshots\":{{\"closest\":{{\"available\":true,\"status\":\"200\",\
                 \"url\":\"{}\",\"timestamp\":\"20250101000000\"}}}}}}",
                server.url(&capture)
            )),
    );
    server.respond(
        &format!("/web/20250101000000id_/{wb_original}"),
        Response::html("<article><p>From the Wayback Machine: 7 billion.</p></article>"),
    );

    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", &config(&server.url("")));
    let dead_url = server.url("/dead");
    write(
        dir.path(),
        "assertions/d.toml",
        &format!(
            "[sources]\nwith-archive = {{ url = \"{}\", archived = \"{}\" }}\n\n{}{}\
             [[claim]]\nid = \"archived\"\nstatement = \"s\"\nsource = \"with-archive\"\ncheck.contains = \"42\"\n",
            server.url("/no-copy"),
            server.url("/archived-copy"),
            claim_toml("dead", &dead_url, "still here"),
            claim_toml("wayback", &wb_original, "7 billion"),
        ),
    );
    // The dead source has a good copy and two failures three days apart already.
    let cache = Cache::new(dir.path().join(".factcheck/cache"));
    cache
        .put(
            factcheck::source::cache::Meta {
                url: dead_url.clone(),
                final_url: dead_url.clone(),
                status: Some(200),
                retrieved: "2026-01-01T00:00:00Z".into(),
                ..Default::default()
            },
            b"It is still here.",
        )
        .expect("prime");
    let failure = |at: &str| FailureRecord {
        at: at.into(),
        reason: "HTTP 410 Gone".into(),
    };
    let now = jiff::Timestamp::now();
    let days_ago = |d: i64| (now - jiff::SignedDuration::from_hours(24 * d)).to_string();
    cache
        .put_state(&SourceState {
            url: dead_url.clone(),
            failures: vec![failure(&days_ago(7)), failure(&days_ago(4))],
            last_failure: Some(failure(&days_ago(4))),
            ..SourceState::default()
        })
        .expect("history");

    let report = refresh_json(dir.path(), &[], 1);
    let dead = source(&report, &dead_url);
    assert_eq!(dead["status"], "dead", "{report:#}");
    assert_eq!(
        claim(&report, "dead")["after"],
        "supported",
        "the last good copy"
    );

    let no_copy = source(&report, &server.url("/no-copy"));
    assert_eq!(no_copy["status"], "failing");
    assert_eq!(no_copy["archived_from"], server.url("/archived-copy"));
    assert_eq!(claim(&report, "archived")["after"], "supported");

    let wb = source(&report, &wb_original);
    assert_eq!(wb["status"], "failing");
    let from = wb["archived_from"].as_str().unwrap_or_default();
    assert!(from.contains("/web/20250101000000id_/"), "{from}");
    assert_eq!(claim(&report, "wayback")["after"], "supported");
    let lookup = server.last_request("/wayback/available").expect("asked");
    assert!(
        lookup.target.contains("url=http%3A%2F%2F127.0.0.1"),
        "{}",
        lookup.target
    );
    // The live URL failed only once: a second refresh the same day does not kill it.
    let report = refresh_json(dir.path(), &[], 0);
    assert_eq!(source(&report, &wb_original)["status"], "failing");
    assert_eq!(source(&report, &dead_url)["status"], "dead");
    assert_cache_verifies(dir.path());
}

#[test]
fn private_addresses_are_refused_by_default() {
    let server = TestServer::start();
    server.respond("/x", Response::html("<p>secret metadata</p>"));
    let dir = tempfile::tempdir().expect("tempdir");
    let literal = server.url("/x");
    let named = format!("http://localhost:{}/x", server.addr().port());
    write(
        dir.path(),
        "assertions/p.toml",
        &format!(
            "{}{}",
            claim_toml("literal", &literal, "secret"),
            claim_toml("named", &named, "secret")
        ),
    );
    write(dir.path(), "factcheck.toml", "wayback_url = \"\"\n");
    let report = refresh_json(dir.path(), &[], 0);
    let reason = source(&report, &literal)["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason.contains("127.0.0.1 is a loopback address"),
        "{reason}"
    );
    let reason = source(&report, &named)["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason.contains("localhost resolves to a loopback address"),
        "{reason}"
    );
    assert_eq!(server.hits("/x"), 0, "no request reached the server");

    // Opting in on the command line.
    let report = refresh_json(dir.path(), &["--allow-private-addresses"], 1);
    assert_eq!(source(&report, &literal)["status"], "new");
}

#[test]
fn the_lock_keeps_a_second_run_out_and_a_killed_run_leaves_the_cache_whole() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", &config(""));
    let mut toml = String::new();
    for i in 0..40 {
        let path = format!("/p{i}");
        server.respond(
            &path,
            Response::html(format!("<p>page {i} says hello</p>")).delay(Duration::from_millis(50)),
        );
        toml.push_str(&claim_toml(&format!("c{i}"), &server.url(&path), "hello"));
    }
    write(dir.path(), "assertions/many.toml", &toml);

    let cache = Cache::new(dir.path().join(".factcheck/cache"));
    {
        let _held = cache.lock().expect("lock");
        let out = factcheck(dir.path(), &["refresh"]);
        assert_eq!(out.status.code(), Some(3));
        assert!(
            text(&out.stderr).contains("another factcheck run is writing the cache"),
            "{}",
            text(&out.stderr)
        );
    }

    let mut child = Command::new(BIN)
        .args(["refresh"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while cache.list().map(|l| l.len()).unwrap_or(0) < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    let _ = child.wait();
    let written = cache.list().expect("list").len();
    assert!(
        (5..40).contains(&written),
        "killed midway: {written} entries"
    );
    let problems = cache.verify().expect("verify");
    assert!(problems.iter().all(|p| !p.fatal), "{problems:?}");
    // The lock died with the run: the next one completes.
    let report = refresh_json(dir.path(), &[], 1);
    assert_eq!(report["sources"].as_array().map(Vec::len), Some(40));
    assert_cache_verifies(dir.path());
}

#[test]
fn an_archived_copy_is_the_baseline_of_a_source_not_yet_cached() {
    let server = TestServer::start();
    server.route(
        "/doc",
        conditional_page(|| (1, b"<p>The archive holds the MIT License.</p>".to_vec())),
    );
    let url = server.url("/doc");
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", &config(""));
    write(
        dir.path(),
        "assertions/a.toml",
        &claim_toml("mit", &url, "MIT License"),
    );
    refresh_json(dir.path(), &[], 1);
    let out = factcheck(dir.path(), &["cache", "export", "captures.warc"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::remove_dir_all(dir.path().join(".factcheck/cache")).expect("empty the cache");

    // Only the archive has it: the request is conditional on the archived validators, the 304
    // makes the archived copy the cached one, and nothing flipped.
    let report = refresh_json(dir.path(), &["--archive", "captures.warc"], 0);
    let s = source(&report, &url);
    assert_eq!(s["status"], "unchanged", "{report:#}");
    assert_eq!(s["http_status"], 304);
    assert_eq!(s["conditional"], true);
    assert_eq!(claim(&report, "mit")["before"], "supported");
    let cache = Cache::new(dir.path().join(".factcheck/cache"));
    assert!(cache.get(&url).expect("get").is_some());
    assert_cache_verifies(dir.path());
}

#[test]
fn a_changed_sidebar_is_only_boilerplate_and_a_changed_article_is_content() {
    let Versioned {
        server: _server,
        version,
        url,
        dir,
    } = versioned("/story", "MIT License", |n| {
        let licence = if n < 3 { "MIT" } else { "Apache" };
        format!(
            "<html><body><nav><a href='/'>Home</a></nav><article><h1>R1</h1><p>R1 is released \
             under the {licence} License, which allows commercial use and derivative works, \
             including distillation for training other models.</p><p>The weights are on \
             Hugging Face; the report explains the training in detail across many pages of \
             prose that make this the main content.</p></article><aside class='most-read'><ul>\
             <li><a href='/a'>Most read story number {n}</a></li></ul></aside></body></html>"
        )
    });
    refresh_json(dir.path(), &[], 1);
    // Version 2: only the "most read" sidebar changed.
    version.store(2, Ordering::SeqCst);
    let report = refresh_json(dir.path(), &[], 0);
    assert_eq!(source(&report, &url)["status"], "changed", "{report:#}");
    assert_eq!(source(&report, &url)["change"], "boilerplate", "{report:#}");
    // Version 3: the article itself changed.
    version.store(3, Ordering::SeqCst);
    let report = refresh_json(dir.path(), &[], 1);
    assert_eq!(source(&report, &url)["change"], "content", "{report:#}");
    assert_eq!(claim(&report, "mit")["flipped"], true);
}

/// The *after* check runs in pieces (each claim citing one source as that source's new copy
/// is stored, the rest once the cache is committed); its verdicts, reasons and excerpts are the
/// ones a check of the whole suite on the cache gives, before and after, on a first refresh and
/// on a second one that changes, keeps and loses copies. The claims mix single sources, several
/// sources, one URL read in two formats, a `within`, a failing source and a claim with no source yet.
#[test]
fn the_pipelined_after_check_is_a_check_of_the_whole_suite() {
    use factcheck::refresh::{RefreshOptions, drift, refresh};
    use factcheck::run::{Filter, Runner};
    use factcheck::source::{SourceOptions, Sources};

    let server = TestServer::start();
    let version = Arc::new(AtomicU32::new(1));
    for (path, word) in [("/a", "alpha"), ("/b", "beta"), ("/c", "gamma")] {
        let v = version.clone();
        server.route(
            path,
            conditional_page(move || {
                // /c stays at version 1: a second refresh renews it (304).
                let n = if path == "/c" {
                    1
                } else {
                    v.load(Ordering::SeqCst)
                };
                let said = if n == 1 || path != "/b" {
                    word
                } else {
                    "other"
                };
                let body = format!(
                    "<html><body><nav>menu {n}</nav><article><p>The {word} page says {said}.</p>\
                     </article></body></html>"
                );
                (n, body.into_bytes())
            }),
        );
    }
    let gone = Arc::new(AtomicU32::new(0));
    let g = gone.clone();
    server.route("/d", move |_| {
        if g.load(Ordering::SeqCst) == 0 {
            Response::text("delta says delta")
        } else {
            Response::status(500)
        }
    });
    let (a, b, c, d) = (
        server.url("/a"),
        server.url("/b"),
        server.url("/c"),
        server.url("/d"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = format!(
        "[sources.a-text]\nurl = \"{a}\"\nformat = \"text\"\n\n\
         [[claim]]\nid = \"one\"\nstatement = \"s\"\nsource = \"{a}\"\ncheck.contains = \"says alpha\"\n\n\
         [[claim]]\nid = \"within\"\nstatement = \"s\"\nsource = \"{a}\"\nwithin = \"page\"\ncheck.contains = \"menu\"\n\n\
         [[claim]]\nid = \"as-text\"\nstatement = \"s\"\nsource = \"a-text\"\ncheck.contains = \"<nav>\"\n\n\
         [[claim]]\nid = \"several\"\nstatement = \"s\"\nsources = [\"{a}\", \"{b}\"]\nrequire = \"all\"\ncheck.contains = \"says\"\n\n\
         [[claim]]\nid = \"changes\"\nstatement = \"s\"\nsource = \"{b}\"\ncheck.contains = \"says beta\"\n\n\
         [[claim]]\nid = \"same\"\nstatement = \"s\"\nsource = \"{c}\"\ncheck.contains = \"says gamma\"\n\n\
         [[claim]]\nid = \"fails\"\nstatement = \"s\"\nsource = \"{d}\"\ncheck.contains = \"delta\"\n\n\
         [[claim]]\nid = \"unsourced\"\nstatement = \"s\"\n"
    );
    let path = write(dir.path(), "assertions/pipe.toml", &toml);
    let suite = factcheck::spec::Suite {
        files: vec![factcheck::spec::load_file(&path).expect("load")],
    };
    let sources = SourceOptions {
        cache_dir: dir.path().join("cache"),
        http: factcheck::source::http::HttpOptions {
            allow_private: true,
            retries: 0,
            per_host_delay: Duration::ZERO,
            ..Default::default()
        },
        ..SourceOptions::default()
    };
    let offline = SourceOptions {
        offline: true,
        ..sources.clone()
    };
    let filter = Filter::default();
    let check = || {
        Runner::new(Sources::open(&offline).expect("sources"))
            .run(&suite, &filter)
            .expect("check")
    };
    let opts = RefreshOptions {
        wayback: None,
        ..RefreshOptions::default()
    };
    for round in 0..2 {
        if round == 1 {
            // /a changes around its article, /b in it, /c is renewed (304), /d fails and keeps
            // its copy.
            version.store(2, Ordering::SeqCst);
            gone.store(1, Ordering::SeqCst);
        }
        let before = check();
        let report = refresh(&suite, &filter, &sources, &opts, &|_| {}).expect("refresh");
        let after = check();
        assert_eq!(
            report.claims,
            drift::compare(&before, &after),
            "round {round}"
        );
        assert_eq!(report.claims.len(), 8);
    }
}
